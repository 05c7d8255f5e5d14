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
// options computed once; the package's caches of serialized explanations
// are filled by atomic compare-and-swap and only read afterwards).
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
	w.tsStart = len(w.b)
	w.timeValue(t, enc.layout, enc.custom)
	w.tsEnd = len(w.b)
	if enc.opts.KeepMessage || e.Type == decode.LogUnknown {
		w.keyQ(`"message":`)
		w.b = appendString(w.b, b2s(e.Message))
	}
	writeFraming(&w, e)
	if e.Type == decode.LogUnknown {
		w.openQ(`"haproxy":{`)
		writeTypeFraming(&w, e)
		w.strQ(`"parse_error":`, e.ParseError)
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
	pri := e.Priority
	validPri := pri >= 0 && pri < len(logObjects)
	if len(e.StderrLevel) == 0 {
		if validPri {
			w.rawQ(`"log":`, logObjects[pri])
		}
	} else {
		w.openQ(`"log":{`)
		w.keyQ(`"level":`)
		start := len(w.b) + 1
		w.b = appendString(w.b, b2s(e.StderrLevel))
		lower(w.b[start : len(w.b)-1])
		if validPri {
			w.rawQ(`"syslog":`, syslogObjects[pri])
		}
		w.close()
	}

	w.openQ(`"host":{`)
	w.bytesQ(`"hostname":`, e.Hostname)
	w.close()

	w.openQ(`"process":{`)
	w.bytesQ(`"name":`, e.ProcessName)
	w.intQ(`"pid":`, e.PID)
	if e.Type != decode.LogUnknown {
		w.intQ(`"exit_code":`, e.ExitCode)
	}
	w.close()
}

// typeFraming holds the haproxy.log_type and haproxy.framing fields
// together, for the first values of both.
var typeFraming = func() (t [8][8]string) {
	for i := range t {
		for j := range t[i] {
			t[i][j] = `"log_type":"` + decode.LogType(i).String() + `","framing":"` + decode.Framing(j).String() + `"`
		}
	}
	return t
}()

func writeTypeFraming(w *writer, e *decode.Entry) {
	if int(e.Type) < len(typeFraming) && int(e.Framing) < len(typeFraming[0]) {
		w.field(typeFraming[e.Type][e.Framing])
		return
	}
	w.litQ(`"log_type":`, e.Type.String())
	w.litQ(`"framing":`, e.Framing.String())
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

// logObjects and syslogObjects are the log and log.syslog objects of each
// syslog priority, serialized once: logObjects[p] for a line without a
// stderr label (log.level is then the priority's severity).
var logObjects, syslogObjects = func() (log, syslog [192][]byte) {
	for p := range log {
		w := writer{b: []byte{'{'}}
		writeSyslog(&w, p)
		syslog[p] = append(w.b, '}')
		w = writer{b: []byte{'{'}}
		w.litQ(`"level":`, severityNames[p&7])
		w.rawQ(`"syslog":`, syslog[p])
		log[p] = append(w.b, '}')
	}
	return log, syslog
}()

// writeSyslog writes the fields of log.syslog for the priority pri (0-191).
func writeSyslog(w *writer, pri int) {
	w.intQ(`"priority":`, pri)
	fac, sev := pri>>3, pri&7
	w.openQ(`"facility":{`)
	w.intQ(`"code":`, fac)
	w.litQ(`"name":`, facilityNames[fac])
	w.close()
	w.openQ(`"severity":{`)
	w.intQ(`"code":`, sev)
	w.litQ(`"name":`, severityNames[sev])
	w.close()
}

// writeKnown writes everything after the framing for a traffic line or an
// event.
func (enc *Encoder) writeKnown(w *writer, e *decode.Entry) {
	traffic := e.IsTraffic()
	// The termination state's explanation, from the table or, for a state
	// outside decode's character sets, from decode itself.
	var term *termEntry
	if len(e.TermState) > 0 {
		if term = termination(e.TermState); term == nil {
			if t, ok := decode.ExplainTermination(e.TermState); ok {
				term = &termEntry{ok: true, outcome: t.Outcome, json: appendTermination(nil, &t)}
			}
		}
	}
	termOK := term != nil && term.ok

	w.openQ(`"source":{`)
	w.bytesQ(`"ip":`, e.ClientIP)
	w.intQ(`"port":`, e.ClientPort)
	w.close()

	w.openQ(`"destination":{`)
	w.bytesQ(`"ip":`, e.DestIP)
	w.intQ(`"port":`, e.DestPort)
	w.close()

	w.openQ(`"http":{`)
	w.openQ(`"request":{`)
	w.bytesQ(`"method":`, e.Method)
	w.close()
	w.openQ(`"response":{`)
	w.intQ(`"status_code":`, e.Status)
	w.close()
	w.bytesQ(`"version":`, e.HTTPVersion)
	w.close()

	w.openQ(`"url":{`)
	w.bytesQ(`"original":`, e.URL)
	w.bytesQ(`"scheme":`, e.URLScheme)
	w.bytesQ(`"domain":`, e.URLDomain)
	w.intQ(`"port":`, e.URLPort)
	w.bytesQ(`"path":`, e.URLPath)
	w.bytesQ(`"query":`, e.URLQuery)
	w.close()

	w.openQ(`"tls":{`)
	if len(e.TLSVersion) > 0 {
		proto, num := tlsVersion(e.TLSVersion)
		w.keyQ(`"version":`)
		w.b = append(w.b, '"')
		w.b = appendStringBody(w.b, b2s(num))
		if proto != "" && indexByte(num, '.') < 0 {
			w.b = append(w.b, ".0"...) // "TLSv1" is TLS 1.0, "SSLv3" is SSL 3.0
		}
		w.b = append(w.b, '"')
		w.strQ(`"version_protocol":`, proto)
	}
	w.bytesQ(`"cipher":`, e.TLSCipher)
	if e.TLSResumed != unset {
		w.boolQ(`"resumed":`, e.TLSResumed > 0)
	}
	w.openQ(`"client":{`)
	w.bytesQ(`"server_name":`, e.TLSSNI)
	w.close()
	w.close()

	enc.writeECSEvent(w, e, traffic, term, termOK)

	w.openQ(`"haproxy":{`)
	writeTypeFraming(w, e)
	if e.RequestDateOK {
		if enc.layout == LayoutMillis && !enc.custom {
			// The timestamp is this date, written the same way: copy it.
			w.keyQ(`"request_date":`)
			w.b = append(w.b, w.b[w.tsStart:w.tsEnd]...)
		} else {
			w.timeQ(`"request_date":`, e.RequestDate, LayoutMillis, false)
		}
	}
	w.bytesQ(`"frontend_name":`, e.Frontend)
	if traffic || e.FrontendSSL {
		w.boolQ(`"frontend_ssl":`, e.FrontendSSL)
	}
	w.bytesQ(`"bind_name":`, e.BindName)
	w.bytesQ(`"backend_name":`, e.Backend)
	w.bytesQ(`"server_name":`, e.Server)
	w.bytesQ(`"mode":`, e.Mode)

	w.openQ(`"http":{`)
	w.openQ(`"request":{`)
	w.intQ(`"time_wait_ms":`, e.TR)
	w.intQ(`"time_wait_without_data_ms":`, e.Tr)
	w.bytesQ(`"captured_cookie":`, e.ReqCookie)
	enc.writeHeaders(w, e.HasReqHeaders, e.ReqHeaders, enc.reqHeader)
	w.bytesQ(`"raw_request_line":`, e.RequestLine)
	if e.RequestTrunc {
		w.boolQ(`"truncated":`, true)
	}
	w.close()
	w.openQ(`"response":{`)
	w.bytesQ(`"captured_cookie":`, e.RespCookie)
	enc.writeHeaders(w, e.HasRespHeaders, e.RespHeaders, enc.respHeader)
	w.close()
	w.close()

	w.intQ(`"total_waiting_time_ms":`, e.Tw)
	w.intQ(`"connection_wait_time_ms":`, e.Tc)
	w.intQ(`"total_time_ms":`, e.Ta)
	w.openQ(`"timers":{`)
	if traffic {
		http := e.Type != decode.LogTCP
		w.strQ(`"unreached":`, decode.TimerUnreached(e.TR, e.Tw, e.Tc, e.Tr, http))
	}
	if e.Logasap {
		w.boolQ(`"logasap":`, true)
	}
	w.close()
	w.int64Q(`"bytes_read":`, e.BytesRead)

	w.bytesQ(`"termination_state":`, e.TermState)
	if termOK {
		w.rawQ(`"termination":`, term.json)
	}

	w.openQ(`"connections":{`)
	w.intQ(`"active":`, e.ActConn)
	w.intQ(`"frontend":`, e.FeConn)
	w.intQ(`"backend":`, e.BeConn)
	w.intQ(`"server":`, e.SrvConn)
	w.intQ(`"retries":`, e.Retries)
	if traffic || e.Redispatched {
		w.boolQ(`"redispatched":`, e.Redispatched)
	}
	w.int64Q(`"frontend_total":`, e.FeTotal)
	w.int64Q(`"backend_total":`, e.BeTotal)
	w.intQ(`"remaining":`, e.Remaining)
	w.close()
	w.intQ(`"server_queue":`, e.SrvQueue)
	w.intQ(`"backend_queue":`, e.BackendQueue)

	w.openQ(`"tls":{`)
	w.intQ(`"connection_error":`, e.TLSConnErr)
	w.bytesQ(`"ssl_error":`, e.TLSSSLErr)
	w.intQ(`"client_cert_error":`, e.TLSClientErr)
	w.intQ(`"client_ca_error":`, e.TLSClientCAErr)
	w.close()
	w.bytesQ(`"connection_error":`, e.ConnError)

	writeEvent(w, e)

	if e.Outage {
		w.boolQ(`"outage":`, true)
	}
	w.openQ(`"diagnosis":{`)
	w.staticQ(`"summary":`, e.DiagSummary)
	w.strQ(`"layer":`, e.DiagLayer)
	w.close()
	w.close()
}

// writeHeaders writes captured_headers and, for named positions, headers.<name>.
func (enc *Encoder) writeHeaders(w *writer, present bool, values [][]byte, names [][]byte) {
	if !present && len(values) == 0 {
		return
	}
	w.arrayQ(`"captured_headers":`, values)
	if len(names) == 0 {
		return
	}
	w.openQ(`"headers":{`)
	for i, v := range values {
		if i < len(names) && names[i] != nil {
			w.rawKey(names[i])
			w.b = appendString(w.b, b2s(v))
		}
	}
	w.close()
}

// writeEvent writes the operational event fields under haproxy.
func writeEvent(w *writer, e *decode.Entry) {
	if e.Event != decode.EventNone {
		w.openQ(`"event":{`)
		w.litQ(`"kind":`, e.Event.String())
		w.strQ(`"severity":`, e.Severity)
		w.close()
	}

	w.openQ(`"server":{`)
	if serverEvent(e.Event) || e.ServerBackup {
		w.boolQ(`"backup":`, e.ServerBackup)
	}
	w.bytesQ(`"state":`, e.ServerState)
	w.bytesQ(`"admin_state":`, e.ServerAdmin)
	w.bytesQ(`"fqdn":`, e.ServerFQDN)
	w.close()

	w.openQ(`"check":{`)
	w.bytesQ(`"kind":`, e.CheckKind)
	w.strQ(`"result":`, e.CheckResult)
	w.strQ(`"status":`, e.CheckStatus)
	w.bytesQ(`"reason":`, e.CheckReason)
	w.intQ(`"code":`, e.CheckCode)
	w.bytesQ(`"info":`, e.CheckInfo)
	w.intQ(`"duration_ms":`, e.CheckDuration)
	w.intQ(`"health":`, e.CheckHealth)
	w.intQ(`"threshold":`, e.CheckThreshold)
	w.bytesQ(`"state":`, e.CheckState)
	w.close()

	w.bytesQ(`"cause":`, e.Cause)
	if len(e.ViaBackend) > 0 || len(e.ViaServer) > 0 {
		w.keyQ(`"via":`)
		w.b = append(w.b, '"')
		w.b = appendStringBody(w.b, b2s(e.ViaBackend))
		if len(e.ViaServer) > 0 {
			w.b = append(w.b, '/')
			w.b = appendStringBody(w.b, b2s(e.ViaServer))
		}
		w.b = append(w.b, '"')
	}

	w.openQ(`"servers":{`)
	w.intQ(`"active":`, e.ActiveServers)
	w.intQ(`"backup":`, e.BackupServers)
	if e.ActiveServers != unset || e.RunningOnBackup {
		w.boolQ(`"running_on_backup":`, e.RunningOnBackup)
	}
	w.close()

	w.openQ(`"sessions":{`)
	w.intQ(`"active":`, e.SessActive)
	w.intQ(`"requeued":`, e.SessRequeued)
	w.intQ(`"queued":`, e.SessQueued)
	w.close()

	w.bytesQ(`"proxy_name":`, e.ProxyName)
	w.bytesQ(`"proxy_type":`, e.ProxyType)
	w.intQ(`"grace_ms":`, e.GraceMs)

	w.openQ(`"address":{`)
	w.bytesQ(`"old":`, e.OldAddr)
	w.intQ(`"old_port":`, e.OldPort)
	w.bytesQ(`"new":`, e.NewAddr)
	w.intQ(`"new_port":`, e.NewPort)
	w.bytesQ(`"updater":`, e.Updater)
	w.close()

	w.openQ(`"worker":{`)
	w.intQ(`"pid":`, e.WorkerPID)
	w.bytesQ(`"exit_reason":`, e.ExitReason)
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
func (enc *Encoder) writeECSEvent(w *writer, e *decode.Entry, traffic bool, term *termEntry, termOK bool) {
	w.openQ(`"event":{`)
	w.field(`"kind":"event"`)
	if c := category(e); c != "" {
		w.field(c)
	}
	var outcome string
	if traffic {
		if termOK {
			outcome = term.outcome
		}
	} else {
		outcome = eventOutcome(e)
	}
	w.strQ(`"outcome":`, outcome)
	switch {
	case traffic && e.Ta != unset:
		w.keyQ(`"duration":`)
		w.b = strconv.AppendInt(w.b, int64(e.Ta)*int64(time.Millisecond), 10)
	case !traffic && e.CheckDuration != unset:
		w.keyQ(`"duration":`)
		w.b = strconv.AppendInt(w.b, int64(e.CheckDuration)*int64(time.Millisecond), 10)
	}
	w.field(`"dataset":"haproxy.log","module":"haproxy"`)
	w.close()
}

// ECS event.category fields.
const (
	categoryWeb     = `"category":["web"]`
	categoryNetwork = `"category":["network"]`
	categoryProcess = `"category":["process"]`
)

// category is the ECS event.category field: web for HTTP traffic, network
// for TCP traffic and for events about connections, servers and checks,
// process for the life of proxies and workers.
func category(e *decode.Entry) string {
	switch e.Type {
	case decode.LogHTTP, decode.LogHTTPS, decode.LogCLF:
		return categoryWeb
	case decode.LogTCP:
		return categoryNetwork
	}
	switch e.Event {
	case decode.EventServerUp, decode.EventServerDown, decode.EventServerStopping,
		decode.EventServerMaintenance, decode.EventServerDrain, decode.EventServerReady,
		decode.EventHealthCheck, decode.EventAgentCheck, decode.EventBackendNoServer,
		decode.EventAddressChange, decode.EventConnect, decode.EventConnectionError:
		return categoryNetwork
	case decode.EventProxyStarted, decode.EventProxyPaused, decode.EventProxyResumed,
		decode.EventProxyStopping, decode.EventProxyStopped, decode.EventProxyHardStopped,
		decode.EventHardStop, decode.EventSoftStop, decode.EventWorker, decode.EventResourceLimit:
		return categoryProcess
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
