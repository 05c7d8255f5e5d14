// Package encode writes decoded HAProxy entries as JSON objects with
// json-iterator's Stream writer (no reflection). The command-line tool and
// the Fluent Bit plugin share it, so both write the same fields.
//
// # Layout
//
// One entry is one JSON object with nested objects (never dotted keys), in
// the Elastic Common Schema where a field exists there and under "haproxy"
// otherwise. The JSON name of every decode.Entry field is given in a comment
// in decode/entry.go. In short:
//
//	@timestamp (Options.TimeKey)   request date, else header time, else received, else now; UTC
//	message                        the line (always for unknown lines)
//	log.level, log.syslog.*        stderr label (lower-case) or syslog severity; priority, facility, severity
//	host.hostname, process.*       framing
//	source.*, destination.*        client (traffic, connection errors, "Connect from") and destination
//	http.*, url.*, tls.*           request, response and TLS facts
//	event.*                        ECS: kind "event", category, outcome, duration (ns), dataset, module
//	haproxy.*                      everything else: log_type (always), timers, termination, events ...
//
// Rules: an integer that is decode.Unset and a nil or empty byte slice are
// omitted, and an object left without fields is not written. The booleans
// haproxy.frontend_ssl and haproxy.connections.redispatched are written for
// every traffic line; other booleans are written when true (or, for
// haproxy.server.backup, on events about a server). A timer that is -1 is
// omitted and haproxy.timers.unreached names the first phase never reached.
//
// An unknown line keeps only the timestamp, message (even when KeepMessage is
// false: nothing is lost), the framing fields (log, host, process,
// haproxy.framing), haproxy.log_type "unknown" and haproxy.parse_error.
//
// event.outcome: for traffic, the outcome of the termination state's
// explanation ("----" is success, "sH--" failure ...); for events, failure
// for a server going DOWN, a backend without server, a failed check, a
// connection error, a resource limit, a hard stop or a worker exiting with a
// non-zero code, success for a server coming UP, a passed check, a proxy
// started or resumed; otherwise it is left out.
//
// Strings are escaped by the encoder itself: bytes that are not valid UTF-8
// become U+FFFD (as encoding/json does), so the output is always valid JSON.
// Encoding allocates nothing in steady state.
package encode

import (
	"strconv"
	"strings"
	"time"

	jsoniter "github.com/json-iterator/go"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

const unset = decode.Unset

// Options are fixed for the life of an encoder (one plugin instance).
type Options struct {
	// KeepMessage writes the original line as "message" (default on).
	KeepMessage bool
	// TimeKey names the timestamp field (default "@timestamp").
	TimeKey string
	// TimeKeyFormat is a Go time layout for TimeKey (default RFC 3339 with
	// milliseconds, UTC). TimeKeyNanos writes nanoseconds instead of ms.
	// The time is always written in UTC.
	TimeKeyFormat string
	TimeKeyNanos  bool
	// RequestHeaderNames / ResponseHeaderNames name the captured headers in
	// HAProxy's capture order; each captured value is then also written as
	// haproxy.http.request.headers.<name> (lower-cased name).
	RequestHeaderNames  []string
	ResponseHeaderNames []string
}

// Layouts of the timestamp (always written in UTC).
const (
	LayoutMillis = "2006-01-02T15:04:05.000Z"
	LayoutNanos  = "2006-01-02T15:04:05.000000000Z"
)

// Encoder writes entries. It is safe for concurrent use (it holds only
// options computed once).
type Encoder struct {
	opts       Options
	timeKey    []byte // `"@timestamp":`, escaped
	layout     string
	custom     bool     // layout is the user's: escape its output
	reqHeader  [][]byte // `"host":` per capture position, nil when unnamed
	respHeader [][]byte
}

// New checks the options once.
func New(o Options) *Encoder {
	if o.TimeKey == "" {
		o.TimeKey = "@timestamp"
	}
	enc := &Encoder{opts: o, layout: LayoutMillis}
	switch {
	case o.TimeKeyFormat != "":
		enc.layout, enc.custom = o.TimeKeyFormat, true
	case o.TimeKeyNanos:
		enc.layout = LayoutNanos
	}
	enc.timeKey = fieldKey(o.TimeKey)
	enc.reqHeader = headerKeys(o.RequestHeaderNames)
	enc.respHeader = headerKeys(o.ResponseHeaderNames)
	return enc
}

// fieldKey escapes a user-given field name as `"name":`.
func fieldKey(name string) []byte {
	return append(appendString(nil, name), ':')
}

// headerKeys lower-cases the header names once. An empty or repeated name
// gets no key (a JSON object must not repeat a key).
func headerKeys(names []string) [][]byte {
	if len(names) == 0 {
		return nil
	}
	keys := make([][]byte, len(names))
	seen := make(map[string]bool, len(names))
	for i, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		keys[i] = fieldKey(n)
	}
	return keys
}

// EventTime is the time Encode writes for e: the request date of a traffic
// line, else the time in the line's header, else received, else now.
func EventTime(e *decode.Entry, received time.Time) time.Time {
	switch {
	case e.RequestDateOK:
		return e.RequestDate
	case e.HeaderTimeOK:
		return e.HeaderTime
	case !received.IsZero():
		return received
	}
	return time.Now()
}

// Encode writes e as one JSON object (no newline). received is the time the
// record was received (the Fluent Bit record time), used for the timestamp
// when the line carries none. extra, when not nil, writes the caller's own
// fields, each as `"key":value,` (trailing comma included): they come first
// in the object. It returns the event time it wrote.
func (enc *Encoder) Encode(s *jsoniter.Stream, e *decode.Entry, received time.Time, extra func(*jsoniter.Stream)) time.Time {
	s.WriteRaw("{")
	if extra != nil {
		extra(s)
	}
	t := EventTime(e, received)
	w := writer{b: s.Buffer()}
	w.rawKey(enc.timeKey)
	w.timeValue(t, enc.layout, enc.custom)
	if enc.opts.KeepMessage || e.Type == decode.LogUnknown {
		w.key("message")
		w.b = appendString(w.b, b2s(e.Message))
	}
	writeFraming(&w, e)
	if e.Type == decode.LogUnknown {
		w.open("haproxy")
		w.lit("log_type", e.Type.String())
		w.lit("framing", e.Framing.String())
		w.str("parse_error", e.ParseError)
		w.close()
	} else {
		enc.writeKnown(&w, e)
	}
	w.b = append(w.b, '}')
	s.SetBuffer(w.b)
	return t
}

// writeFraming writes log.*, host.* and process.* (what the syslog header or
// stderr prefix said).
func writeFraming(w *writer, e *decode.Entry) {
	w.open("log")
	switch {
	case len(e.StderrLevel) > 0:
		w.key("level")
		start := len(w.b) + 1
		w.b = appendString(w.b, b2s(e.StderrLevel))
		lower(w.b[start : len(w.b)-1])
	case e.Priority >= 0 && e.Priority <= 191:
		w.lit("level", severityNames[e.Priority&7])
	}
	if e.Priority >= 0 && e.Priority <= 191 {
		w.open("syslog")
		w.int("priority", e.Priority)
		fac, sev := e.Priority>>3, e.Priority&7
		w.open("facility")
		w.int("code", fac)
		w.lit("name", facilityNames[fac])
		w.close()
		w.open("severity")
		w.int("code", sev)
		w.lit("name", severityNames[sev])
		w.close()
		w.close()
	}
	w.close()

	w.open("host")
	w.bytes("hostname", e.Hostname)
	w.close()

	w.open("process")
	w.bytes("name", e.ProcessName)
	w.int("pid", e.PID)
	if e.Type != decode.LogUnknown {
		w.int("exit_code", e.ExitCode)
	}
	w.close()
}

// lower lower-cases ASCII letters in place.
func lower(b []byte) {
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
}

var facilityNames = [24]string{
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
}

var severityNames = [8]string{
	"emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug",
}

// writeKnown writes everything after the framing for a traffic line or an
// event.
func (enc *Encoder) writeKnown(w *writer, e *decode.Entry) {
	traffic := e.IsTraffic()
	term, termOK := decode.Termination{}, false
	if len(e.TermState) > 0 {
		term, termOK = decode.ExplainTermination(e.TermState)
	}

	w.open("source")
	w.bytes("ip", e.ClientIP)
	w.int("port", e.ClientPort)
	w.close()

	w.open("destination")
	w.bytes("ip", e.DestIP)
	w.int("port", e.DestPort)
	w.close()

	w.open("http")
	w.open("request")
	w.bytes("method", e.Method)
	w.close()
	w.open("response")
	w.int("status_code", e.Status)
	w.close()
	w.bytes("version", e.HTTPVersion)
	w.close()

	w.open("url")
	w.bytes("original", e.URL)
	w.bytes("scheme", e.URLScheme)
	w.bytes("domain", e.URLDomain)
	w.int("port", e.URLPort)
	w.bytes("path", e.URLPath)
	w.bytes("query", e.URLQuery)
	w.close()

	w.open("tls")
	if len(e.TLSVersion) > 0 {
		proto, num := tlsVersion(e.TLSVersion)
		w.key("version")
		w.b = append(w.b, '"')
		w.b = appendStringBody(w.b, b2s(num))
		if proto != "" && indexByte(num, '.') < 0 {
			w.b = append(w.b, ".0"...) // "TLSv1" is TLS 1.0, "SSLv3" is SSL 3.0
		}
		w.b = append(w.b, '"')
		w.str("version_protocol", proto)
	}
	w.bytes("cipher", e.TLSCipher)
	if e.TLSResumed != unset {
		w.bool("resumed", e.TLSResumed > 0)
	}
	w.open("client")
	w.bytes("server_name", e.TLSSNI)
	w.close()
	w.close()

	enc.writeECSEvent(w, e, traffic, term, termOK)

	w.open("haproxy")
	w.lit("log_type", e.Type.String())
	w.lit("framing", e.Framing.String())
	if e.RequestDateOK {
		w.time("request_date", e.RequestDate, LayoutMillis, false)
	}
	w.bytes("frontend_name", e.Frontend)
	if traffic || e.FrontendSSL {
		w.bool("frontend_ssl", e.FrontendSSL)
	}
	w.bytes("bind_name", e.BindName)
	w.bytes("backend_name", e.Backend)
	w.bytes("server_name", e.Server)
	w.bytes("mode", e.Mode)

	w.open("http")
	w.open("request")
	w.int("time_wait_ms", e.TR)
	w.int("time_wait_without_data_ms", e.Tr)
	w.bytes("captured_cookie", e.ReqCookie)
	enc.writeHeaders(w, e.HasReqHeaders, e.ReqHeaders, enc.reqHeader)
	w.bytes("raw_request_line", e.RequestLine)
	if e.RequestTrunc {
		w.bool("truncated", true)
	}
	w.close()
	w.open("response")
	w.bytes("captured_cookie", e.RespCookie)
	enc.writeHeaders(w, e.HasRespHeaders, e.RespHeaders, enc.respHeader)
	w.close()
	w.close()

	w.int("total_waiting_time_ms", e.Tw)
	w.int("connection_wait_time_ms", e.Tc)
	w.int("total_time_ms", e.Ta)
	w.open("timers")
	if traffic {
		http := e.Type != decode.LogTCP
		w.str("unreached", decode.TimerUnreached(e.TR, e.Tw, e.Tc, e.Tr, http))
	}
	if e.Logasap {
		w.bool("logasap", true)
	}
	w.close()
	w.int64("bytes_read", e.BytesRead)

	w.bytes("termination_state", e.TermState)
	if termOK {
		writeTermination(w, &term)
	}

	w.open("connections")
	w.int("active", e.ActConn)
	w.int("frontend", e.FeConn)
	w.int("backend", e.BeConn)
	w.int("server", e.SrvConn)
	w.int("retries", e.Retries)
	if traffic || e.Redispatched {
		w.bool("redispatched", e.Redispatched)
	}
	w.int64("frontend_total", e.FeTotal)
	w.int64("backend_total", e.BeTotal)
	w.int("remaining", e.Remaining)
	w.close()
	w.int("server_queue", e.SrvQueue)
	w.int("backend_queue", e.BackendQueue)

	w.open("tls")
	w.int("connection_error", e.TLSConnErr)
	w.bytes("ssl_error", e.TLSSSLErr)
	w.int("client_cert_error", e.TLSClientErr)
	w.int("client_ca_error", e.TLSClientCAErr)
	w.close()
	w.bytes("connection_error", e.ConnError)

	writeEvent(w, e)

	if e.Outage {
		w.bool("outage", true)
	}
	w.open("diagnosis")
	w.str("summary", e.DiagSummary)
	w.str("layer", e.DiagLayer)
	w.close()
	w.close()
}

// writeHeaders writes captured_headers and, for named positions, headers.<name>.
func (enc *Encoder) writeHeaders(w *writer, present bool, values [][]byte, names [][]byte) {
	if !present && len(values) == 0 {
		return
	}
	w.array("captured_headers", values)
	if len(names) == 0 {
		return
	}
	w.open("headers")
	for i, v := range values {
		if i < len(names) && names[i] != nil {
			w.rawKey(names[i])
			w.b = appendString(w.b, b2s(v))
		}
	}
	w.close()
}

func writeTermination(w *writer, t *decode.Termination) {
	w.open("termination")
	writeFlag(w, "cause", t.Cause)
	writeFlag(w, "phase", t.Phase)
	writeFlag(w, "client_cookie", t.ClientCookie)
	writeFlag(w, "server_cookie", t.ServerCookie)
	w.str("summary", t.Summary)
	w.str("cookie_summary", t.CookieSummary)
	w.str("blame", t.Blame)
	w.bool("anomaly", t.Anomaly)
	w.str("advice", t.Advice)
	w.close()
}

func writeFlag(w *writer, k string, f decode.Flag) {
	if f.Code == 0 {
		return
	}
	w.open(k)
	w.key("code")
	code := [1]byte{f.Code}
	w.b = appendString(w.b, b2s(code[:]))
	w.str("meaning", f.Meaning)
	w.close()
}

// writeEvent writes the operational event fields under haproxy.
func writeEvent(w *writer, e *decode.Entry) {
	if e.Event != decode.EventNone {
		w.open("event")
		w.lit("kind", e.Event.String())
		w.str("severity", e.Severity)
		w.close()
	}

	w.open("server")
	if serverEvent(e.Event) || e.ServerBackup {
		w.bool("backup", e.ServerBackup)
	}
	w.bytes("state", e.ServerState)
	w.bytes("admin_state", e.ServerAdmin)
	w.bytes("fqdn", e.ServerFQDN)
	w.close()

	w.open("check")
	w.bytes("kind", e.CheckKind)
	w.str("result", e.CheckResult)
	w.str("status", e.CheckStatus)
	w.bytes("reason", e.CheckReason)
	w.int("code", e.CheckCode)
	w.bytes("info", e.CheckInfo)
	w.int("duration_ms", e.CheckDuration)
	w.int("health", e.CheckHealth)
	w.int("threshold", e.CheckThreshold)
	w.bytes("state", e.CheckState)
	w.close()

	w.bytes("cause", e.Cause)
	if len(e.ViaBackend) > 0 || len(e.ViaServer) > 0 {
		w.key("via")
		w.b = append(w.b, '"')
		w.b = appendStringBody(w.b, b2s(e.ViaBackend))
		if len(e.ViaServer) > 0 {
			w.b = append(w.b, '/')
			w.b = appendStringBody(w.b, b2s(e.ViaServer))
		}
		w.b = append(w.b, '"')
	}

	w.open("servers")
	w.int("active", e.ActiveServers)
	w.int("backup", e.BackupServers)
	if e.ActiveServers != unset || e.RunningOnBackup {
		w.bool("running_on_backup", e.RunningOnBackup)
	}
	w.close()

	w.open("sessions")
	w.int("active", e.SessActive)
	w.int("requeued", e.SessRequeued)
	w.int("queued", e.SessQueued)
	w.close()

	w.bytes("proxy_name", e.ProxyName)
	w.bytes("proxy_type", e.ProxyType)
	w.int("grace_ms", e.GraceMs)

	w.open("address")
	w.bytes("old", e.OldAddr)
	w.int("old_port", e.OldPort)
	w.bytes("new", e.NewAddr)
	w.int("new_port", e.NewPort)
	w.bytes("updater", e.Updater)
	w.close()

	w.open("worker")
	w.int("pid", e.WorkerPID)
	w.bytes("exit_reason", e.ExitReason)
	w.close()
}

func serverEvent(k decode.EventKind) bool {
	switch k {
	case decode.EventServerUp, decode.EventServerDown, decode.EventServerStopping,
		decode.EventServerMaintenance, decode.EventServerDrain, decode.EventServerReady,
		decode.EventHealthCheck, decode.EventAgentCheck:
		return true
	}
	return false
}

// writeECSEvent writes the ECS event object.
func (enc *Encoder) writeECSEvent(w *writer, e *decode.Entry, traffic bool, term decode.Termination, termOK bool) {
	w.open("event")
	w.lit("kind", "event")
	if c := category(e); c != "" {
		w.key("category")
		w.b = append(w.b, '[', '"')
		w.b = append(w.b, c...)
		w.b = append(w.b, '"', ']')
	}
	var outcome string
	if traffic {
		if termOK {
			outcome = term.Outcome
		}
	} else {
		outcome = eventOutcome(e)
	}
	w.str("outcome", outcome)
	switch {
	case traffic && e.Ta != unset:
		w.key("duration")
		w.b = strconv.AppendInt(w.b, int64(e.Ta)*int64(time.Millisecond), 10)
	case !traffic && e.CheckDuration != unset:
		w.key("duration")
		w.b = strconv.AppendInt(w.b, int64(e.CheckDuration)*int64(time.Millisecond), 10)
	}
	w.lit("dataset", "haproxy.log")
	w.lit("module", "haproxy")
	w.close()
}

// category is the ECS event.category: web for HTTP traffic, network for TCP
// traffic and for events about connections, servers and checks, process for
// the life of proxies and workers.
func category(e *decode.Entry) string {
	switch e.Type {
	case decode.LogHTTP, decode.LogHTTPS, decode.LogCLF:
		return "web"
	case decode.LogTCP:
		return "network"
	}
	switch e.Event {
	case decode.EventServerUp, decode.EventServerDown, decode.EventServerStopping,
		decode.EventServerMaintenance, decode.EventServerDrain, decode.EventServerReady,
		decode.EventHealthCheck, decode.EventAgentCheck, decode.EventBackendNoServer,
		decode.EventAddressChange, decode.EventConnect, decode.EventConnectionError:
		return "network"
	case decode.EventProxyStarted, decode.EventProxyPaused, decode.EventProxyResumed,
		decode.EventProxyStopping, decode.EventProxyStopped, decode.EventProxyHardStopped,
		decode.EventHardStop, decode.EventSoftStop, decode.EventWorker, decode.EventResourceLimit:
		return "process"
	}
	return ""
}

func eventOutcome(e *decode.Entry) string {
	switch e.Event {
	case decode.EventServerDown, decode.EventBackendNoServer, decode.EventConnectionError,
		decode.EventResourceLimit, decode.EventProxyHardStopped, decode.EventHardStop:
		return "failure"
	case decode.EventServerUp, decode.EventProxyStarted, decode.EventProxyResumed:
		return "success"
	case decode.EventHealthCheck, decode.EventAgentCheck:
		switch {
		case e.CheckResult == "failed":
			return "failure"
		case strings.HasSuffix(e.CheckResult, "succeeded"):
			return "success"
		}
	case decode.EventWorker:
		if e.ExitCode > 0 {
			return "failure"
		}
	}
	return ""
}

// tlsVersion splits "TLSv1.3" into ("tls", "1.3") and "SSLv3" into ("ssl",
// "3"); another text is returned as the number with no protocol.
func tlsVersion(v []byte) (proto string, num []byte) {
	if len(v) > 4 && v[3]|0x20 == 'v' {
		switch p := [3]byte{v[0] | 0x20, v[1] | 0x20, v[2] | 0x20}; string(p[:]) {
		case "tls":
			return "tls", v[4:]
		case "ssl":
			return "ssl", v[4:]
		}
	}
	return "", v
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
