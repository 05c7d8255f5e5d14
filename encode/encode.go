// Package encode writes decoded HAProxy entries as JSON objects. It appends
// each field itself, with its own string escaping (no reflection), to a
// byte slice (Append) or to the buffer of a json-iterator Stream (Encode):
// the command-line tool and the plugin's stdout and file destinations
// encode into one Stream over their io.Writer and write it out as it fills.
// They share the encoder, so both write the same fields.
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
//	haproxy.outage, .lifecycle     the stateful reading (decode.StateFields, see state.go)
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
// The encoder only writes: what a line means (the termination state's
// explanation, event.outcome, the diagnosis, severity and outage) is in the
// entry's Explanation, filled by decode.Explainer before Encode. An entry
// that was not explained is written without those fields.
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
	// TimeKey names the timestamp field (default DefaultTimeKey).
	TimeKey string
	// TimeFormat is how TimeKey is written (Time_Key_Format and
	// Time_Key_Nanos; the zero value is RFC 3339 with milliseconds). The
	// time is always written in UTC.
	TimeFormat TimeFormat
	// RequestHeaderNames / ResponseHeaderNames name the captured headers in
	// HAProxy's capture order; each captured value is then also written as
	// haproxy.http.request.headers.<name> (lower-cased name).
	RequestHeaderNames  []string
	ResponseHeaderNames []string
	// Explain is which records carry the explanation texts (the zero
	// value, ExplainAnomalies: anomalies, failures and events only).
	Explain Explain
}

// DefaultTimeKey is the timestamp field's name unless Time_Key says
// otherwise (Fluent Bit's es output's default, ECS's name).
const DefaultTimeKey = "@timestamp"

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
	timeKey    []byte   // `"@timestamp":`, escaped
	reqHeader  [][]byte // `"host":` per capture position, nil when unnamed
	respHeader [][]byte
}

// New checks the options once.
func New(o Options) *Encoder {
	if o.TimeKey == "" {
		o.TimeKey = DefaultTimeKey
	}
	enc := &Encoder{opts: o}
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
	if t, ok := e.Time(); ok {
		return t
	}
	if !received.IsZero() {
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
	b, t := enc.appendBody(s.Buffer(), e, received)
	s.SetBuffer(b)
	return t
}

// Append is Encode on a byte slice: it appends e as one JSON object to b.
// extra, when not nil, appends the caller's own fields, each as
// `"key":value,` (trailing comma included).
func (enc *Encoder) Append(b []byte, e *decode.Entry, received time.Time, extra func([]byte) []byte) ([]byte, time.Time) {
	b = append(b, '{')
	if extra != nil {
		b = extra(b)
	}
	return enc.appendBody(b, e, received)
}

// The encoder appends every field as `"key":value,` (a trailing comma
// included) and opens an object by appending `"key":{`. closeObj ends it:
// the last comma becomes '}', or, when nothing was written since the
// opening, the opening is taken back, so that an object without fields is
// not written. The root object's last comma becomes its '}'.

// appendBody appends the fields of e after the root's '{' (and the caller's
// fields) and the closing '}'.
func (enc *Encoder) appendBody(b []byte, e *decode.Entry, received time.Time) ([]byte, time.Time) {
	t := EventTime(e, received)
	b = append(b, enc.timeKey...)
	b = enc.opts.TimeFormat.Append(b, t)
	b = append(b, ',')
	if enc.opts.KeepMessage || e.Type == decode.LogUnknown {
		b = append(b, `"message":`...)
		b = appendString(b, b2s(e.Message))
		b = append(b, ',')
	}
	b = appendFraming(b, e)
	if e.Type == decode.LogUnknown {
		b = appendTypeFraming(b, e)
		b = appendParseError(b, &e.ParseError)
		b = closeObj(b, -1)
	} else {
		b = enc.appendKnown(b, e)
	}
	b[len(b)-1] = '}'
	return b, t
}

// appendParseError appends `"parse_error":"<text>",`: the text is written
// at the end of b, then its escaped copy after it is moved into its place.
func appendParseError(b []byte, p *decode.ParseError) []byte {
	if p.Func == "" && p.Reason == "" {
		return b
	}
	b = append(b, `"parse_error":"`...)
	start := len(b)
	b = p.Append(b)
	end := len(b)
	b = strV(b, b2s(b[start:end]))
	n := copy(b[start:], b[end:])
	return b[:start+n]
}

// closeObj ends the object opened at start (where its `"key":{` begins):
// see appendBody. start -1: the object is known to have a field.
func closeObj(b []byte, start int) []byte {
	if b[len(b)-1] != ',' {
		return b[:start]
	}
	b[len(b)-1] = '}'
	return append(b, ',')
}

// addBytes appends `"key":"v",` (k is `"key":"`); an empty v is omitted.
// The helpers are inlined, so that the key, a constant, is copied without
// a call.
func addBytes(b []byte, k string, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	return strV(append(b, k...), b2s(v))
}

// addStr is addBytes for a string.
func addStr(b []byte, k, v string) []byte {
	if v == "" {
		return b
	}
	return strV(append(b, k...), v)
}

// strF appends `"key":"v",` for any v.
func strF(b []byte, k, v string) []byte {
	return strV(append(b, k...), v)
}

// strV appends v escaped and `",`.
//
//go:noinline
func strV(b []byte, v string) []byte {
	if i := plainPrefix(v); i == len(v) {
		b = append(b, v...)
	} else {
		b = appendEscaped(b, v, i)
	}
	return append(b, '"', ',')
}

// addInt appends `"key":v,` (k is `"key":`); Unset is omitted.
func addInt(b []byte, k string, v int) []byte {
	if v == unset {
		return b
	}
	return intV(append(b, k...), int64(v))
}

func addInt64(b []byte, k string, v int64) []byte {
	if v == unset {
		return b
	}
	return intV(append(b, k...), v)
}

// intV appends v and a comma.
//
//go:noinline
func intV(b []byte, v int64) []byte {
	if uint64(v) < 10 {
		return append(b, byte('0'+v), ',')
	}
	b = appendInt(b, v)
	return append(b, ',')
}

// addBool appends `"key":true,` or `"key":false,` (k is `"key":`).
func addBool(b []byte, k string, v bool) []byte {
	b = append(b, k...)
	if v {
		return append(b, "true,"...)
	}
	return append(b, "false,"...)
}

// appendFraming appends log.*, host.* and process.* (what the syslog header
// or stderr prefix said).
func appendFraming(b []byte, e *decode.Entry) []byte {
	pri := e.Priority
	validPri := pri >= 0 && pri < len(logObjects)
	if len(e.StderrLevel) == 0 {
		if validPri {
			b = append(b, logFields[pri]...)
		}
	} else {
		b = append(b, `"log":{"level":`...)
		start := len(b) + 1
		b = appendString(b, b2s(e.StderrLevel))
		lower(b[start : len(b)-1])
		if validPri {
			b = append(b, `,"syslog":`...)
			b = append(b, syslogObjects[pri]...)
		}
		b = append(b, '}', ',')
	}

	if len(e.Hostname) > 0 {
		b = append(b, `"host":{"hostname":"`...)
		b = appendStringBody(b, b2s(e.Hostname))
		b = append(b, `"},`...)
	}

	if len(e.ProcessName) > 0 || e.PID != unset || e.Type != decode.LogUnknown && e.ExitCode != unset {
		p := len(b)
		b = append(b, `"process":{`...)
		b = addBytes(b, `"name":"`, e.ProcessName)
		b = addInt(b, `"pid":`, e.PID)
		if e.Type != decode.LogUnknown {
			b = addInt(b, `"exit_code":`, e.ExitCode)
		}
		b = closeObj(b, p)
	}
	return b
}

// typeFraming holds `"haproxy":{` with the haproxy.log_type and
// haproxy.framing fields, for the first values of both.
var typeFraming = func() (t [8][8]string) {
	for i := range t {
		for j := range t[i] {
			t[i][j] = `"haproxy":{"log_type":"` + decode.LogType(i).String() + `","framing":"` + decode.Framing(j).String() + `",`
		}
	}
	return t
}()

// appendTypeFraming opens the haproxy object with its first two fields.
func appendTypeFraming(b []byte, e *decode.Entry) []byte {
	if int(e.Type) < len(typeFraming) && int(e.Framing) < len(typeFraming[0]) {
		return append(b, typeFraming[e.Type][e.Framing]...)
	}
	b = append(b, `"haproxy":{"log_type":"`...)
	b = append(b, e.Type.String()...)
	b = append(b, `","framing":"`...)
	b = append(b, e.Framing.String()...)
	return append(b, '"', ',')
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
		syslog[p] = appendSyslog(nil, p)
		b := strF([]byte{'{'}, `"level":"`, severityNames[p&7])
		b = append(append(b, `"syslog":`...), syslog[p]...)
		log[p] = append(b, '}')
	}
	return log, syslog
}()

// logFields[p] is `"log":` logObjects[p] `,`.
var logFields = func() (f [192][]byte) {
	for p := range f {
		f[p] = append(append([]byte(`"log":`), logObjects[p]...), ',')
	}
	return f
}()

// appendSyslog appends the log.syslog object for the priority pri (0-191).
func appendSyslog(b []byte, pri int) []byte {
	fac, sev := pri>>3, pri&7
	b = addInt(append(b, '{'), `"priority":`, pri)
	b = addInt(append(b, `"facility":{`...), `"code":`, fac)
	b = closeObj(strF(b, `"name":"`, facilityNames[fac]), -1)
	b = addInt(append(b, `"severity":{`...), `"code":`, sev)
	b = closeObj(strF(b, `"name":"`, severityNames[sev]), -1)
	b[len(b)-1] = '}'
	return b
}

// appendKnown appends everything after the framing for a traffic line or an
// event.
func (enc *Encoder) appendKnown(b []byte, e *decode.Entry) []byte {
	traffic := e.IsTraffic()
	var term *termJSON
	if e.Termination != nil {
		term = termination(e.TermState, e.Termination)
	}
	texts := enc.texts(traffic, e)

	b = appendECSFields(b, e, traffic)
	b = appendECSEvent(b, e, traffic)

	b = appendTypeFraming(b, e)
	// The request date is the timestamp (EventTime): not written twice, as
	// Filebeat's pipeline removes haproxy.request_date once it has set
	// @timestamp from it.
	b = addBytes(b, `"frontend_name":"`, e.Frontend)
	if traffic || e.FrontendSSL {
		b = addBool(b, `"frontend_ssl":`, e.FrontendSSL)
	}
	b = addBytes(b, `"bind_name":"`, e.BindName)
	b = addBytes(b, `"backend_name":"`, e.Backend)
	b = addBytes(b, `"server_name":"`, e.Server)
	b = addBytes(b, `"mode":"`, e.Mode)

	b = enc.appendCaptures(b, e, traffic)

	b = addInt(b, `"total_waiting_time_ms":`, e.Tw)
	b = addInt(b, `"connection_wait_time_ms":`, e.Tc)
	if e.Type == decode.LogTCP && e.Ta != unset {
		b = append(b, `"tcp":{"processing_time_ms":`...) // Filebeat's name for Tt
		b = appendInt(b, int64(e.Ta))
		b = append(b, '}', ',')
	}
	if e.Unreached != "" || e.Logasap || e.Th&e.Ti&e.Tq&e.Td&e.Tu&e.Tt != unset {
		p := len(b)
		b = append(b, `"timers":{`...)
		b = addStr(b, `"unreached":"`, e.Unreached)
		if e.Logasap {
			b = append(b, `"logasap":true,`...)
		}
		b = appendCustomTimers(b, e)
		b = closeObj(b, p)
	}
	b = addInt64(b, `"bytes_read":`, e.BytesRead)
	b = appendCustom(b, e)

	switch {
	case term != nil && texts:
		b = append(b, term.fields...)
	case term != nil:
		b = append(b, term.lean...)
	default:
		b = addBytes(b, `"termination_state":"`, e.TermState)
	}

	b = appendConnections(b, e, traffic)
	b = addBytes(b, `"error_message":"`, e.ConnError) // Filebeat's name

	if !traffic || e.Event != decode.EventNone {
		b = appendEvent(b, e)
	} else if eventFieldsSet(e) {
		b = appendEvent(b, e)
	}

	b = appendOutage(b, e)
	b = appendLifecycle(b, &e.State)
	b = appendDiagnosis(b, e, texts)
	return closeObj(b, -1)
}

// appendECSFields appends the ECS objects of a line: source, destination,
// related, http, url, tls.
func appendECSFields(b []byte, e *decode.Entry, traffic bool) []byte {
	if len(e.ClientIP)|len(e.ClientAddr) > 0 || e.ClientPort != unset {
		p := len(b)
		b = append(b, `"source":{`...)
		b = addBytes(b, `"address":"`, e.ClientAddr)
		b = addBytes(b, `"ip":"`, e.ClientIP)
		b = addInt(b, `"port":`, e.ClientPort)
		b = closeObj(b, p)
	}

	if len(e.DestIP) > 0 || e.DestPort != unset {
		p := len(b)
		b = append(b, `"destination":{`...)
		b = addBytes(b, `"ip":"`, e.DestIP)
		b = addInt(b, `"port":`, e.DestPort)
		b = closeObj(b, p)
	}
	b = appendRelatedIP(b, e)

	// http.response.bytes: %B of an HTTP line, as Filebeat copies it.
	httpBytes := traffic && e.Type != decode.LogTCP && e.BytesRead != unset
	if len(e.Method)|len(e.HTTPVersion)|len(e.UniqueID) != 0 || e.Status != unset || httpBytes {
		p := len(b)
		b = append(b, `"http":{`...)
		if len(e.Method)|len(e.UniqueID) != 0 {
			q := len(b)
			b = append(b, `"request":{`...)
			b = addBytes(b, `"method":"`, e.Method)
			b = addBytes(b, `"id":"`, e.UniqueID) // %ID, unique-id
			b = closeObj(b, q)
		}
		if e.Status != unset || httpBytes {
			q := len(b)
			b = append(b, `"response":{`...)
			b = addInt(b, `"status_code":`, e.Status)
			if httpBytes {
				b = addInt64(b, `"bytes":`, e.BytesRead)
			}
			b = closeObj(b, q)
		}
		b = addBytes(b, `"version":"`, e.HTTPVersion)
		b = closeObj(b, p)
	}

	if len(e.URL)|len(e.URLScheme)|len(e.URLDomain)|len(e.URLPath)|len(e.URLQuery) != 0 || e.URLPort != unset {
		p := len(b)
		b = append(b, `"url":{`...)
		b = addBytes(b, `"original":"`, e.URL)
		b = addBytes(b, `"scheme":"`, e.URLScheme)
		b = addBytes(b, `"domain":"`, e.URLDomain)
		b = addInt(b, `"port":`, e.URLPort)
		b = addBytes(b, `"path":"`, e.URLPath)
		b = addBytes(b, `"query":"`, e.URLQuery)
		b = closeObj(b, p)
	}

	if len(e.TLSVersion)|len(e.TLSCipher)|len(e.TLSSNI) != 0 || e.TLSResumed != unset {
		b = appendTLS(b, e)
	}
	return b
}

// appendCaptures appends haproxy.http: the request's timers and captures,
// and the response's captures.
func (enc *Encoder) appendCaptures(b []byte, e *decode.Entry, traffic bool) []byte {
	if traffic || len(e.ReqCookie)|len(e.RequestLine)|len(e.ReqHeaders)|len(e.RespCookie)|len(e.RespHeaders) != 0 ||
		e.TR&e.Tr != unset || e.RequestTrunc || e.HasReqHeaders || e.HasRespHeaders {
		p := len(b)
		b = append(b, `"http":{`...)
		q := len(b)
		b = append(b, `"request":{`...)
		b = addInt(b, `"time_wait_ms":`, e.TR)
		b = addInt(b, `"time_wait_without_data_ms":`, e.Tr)
		if e.Type != decode.LogTCP {
			b = addInt(b, `"time_active_ms":`, e.Ta) // Filebeat's name for Ta
		}
		b = addBytes(b, `"captured_cookie":"`, e.ReqCookie)
		if e.HasReqHeaders || len(e.ReqHeaders) != 0 {
			b = appendHeaders(b, e.ReqHeaders, enc.reqHeader)
		}
		b = addBytes(b, `"raw_request_line":"`, e.RequestLine)
		if e.RequestTrunc {
			b = append(b, `"truncated":true,`...)
		}
		b = closeObj(b, q)
		q = len(b)
		b = append(b, `"response":{`...)
		b = addBytes(b, `"captured_cookie":"`, e.RespCookie)
		if e.HasRespHeaders || len(e.RespHeaders) != 0 {
			b = appendHeaders(b, e.RespHeaders, enc.respHeader)
		}
		b = closeObj(b, q)
		b = closeObj(b, p)
	}
	return b
}

// appendConnections appends haproxy.connections, the queues and
// haproxy.tls (the TLS error codes).
func appendConnections(b []byte, e *decode.Entry, traffic bool) []byte {
	if traffic || e.ActConn&e.FeConn&e.BeConn&e.SrvConn&e.Retries&e.Remaining != unset ||
		e.FeTotal&e.BeTotal != unset || e.Redispatched {
		p := len(b)
		b = append(b, `"connections":{`...)
		b = addInt(b, `"active":`, e.ActConn)
		b = addInt(b, `"frontend":`, e.FeConn)
		b = addInt(b, `"backend":`, e.BeConn)
		b = addInt(b, `"server":`, e.SrvConn)
		b = addInt(b, `"retries":`, e.Retries)
		if traffic || e.Redispatched {
			b = addBool(b, `"redispatched":`, e.Redispatched)
		}
		b = addInt64(b, `"frontend_total":`, e.FeTotal)
		b = addInt64(b, `"backend_total":`, e.BeTotal)
		b = addInt(b, `"remaining":`, e.Remaining)
		b = closeObj(b, p)
	}
	b = addInt(b, `"server_queue":`, e.SrvQueue)
	b = addInt(b, `"backend_queue":`, e.BackendQueue)

	if e.TLSConnErr&e.TLSClientErr&e.TLSClientCAErr != unset || len(e.TLSSSLErr) != 0 {
		p := len(b)
		b = append(b, `"tls":{`...)
		b = addInt(b, `"connection_error":`, e.TLSConnErr)
		b = addBytes(b, `"ssl_error":"`, e.TLSSSLErr)
		b = addInt(b, `"client_cert_error":`, e.TLSClientErr)
		b = addInt(b, `"client_ca_error":`, e.TLSClientCAErr)
		b = closeObj(b, p)
	}
	return b
}

// appendDiagnosis appends haproxy.diagnosis (its summary only with the
// texts).
func appendDiagnosis(b []byte, e *decode.Entry, texts bool) []byte {
	if (texts && e.DiagSummary != "") || e.DiagLayer != "" {
		p := len(b)
		b = append(b, `"diagnosis":{`...)
		if texts && e.DiagSummary != "" {
			b = append(b, `"summary":`...)
			b = appendStatic(b, e.DiagSummary)
			b = append(b, ',')
		}
		b = addStr(b, `"layer":"`, e.DiagLayer)
		b = closeObj(b, p)
	}
	return b
}

// eventFieldsSet reports whether a field that appendEvent writes is set
// (traffic lines have none: appendEvent is skipped for them).
func eventFieldsSet(e *decode.Entry) bool {
	return e.ServerBackup || e.RunningOnBackup ||
		len(e.ServerState)|len(e.ServerAdmin)|len(e.ServerFQDN)|len(e.CheckKind)|len(e.CheckReason)|
			len(e.CheckInfo)|len(e.CheckState)|len(e.Cause)|len(e.ViaBackend)|len(e.ViaServer)|
			len(e.ProxyName)|len(e.ProxyType)|len(e.OldAddr)|len(e.NewAddr)|len(e.Updater)|
			len(e.ExitReason)|len(e.CheckResult)|len(e.CheckStatus) != 0 ||
		e.CheckCode&e.CheckDuration&e.CheckHealth&e.CheckThreshold&e.ActiveServers&e.BackupServers&
			e.SessActive&e.SessRequeued&e.SessQueued&e.GraceMs&e.OldPort&e.NewPort&e.WorkerPID != unset
}

// appendTLS appends the ECS tls object.
func appendTLS(b []byte, e *decode.Entry) []byte {
	p := len(b)
	b = append(b, `"tls":{`...)
	if len(e.TLSVersion) > 0 {
		proto, num := tlsVersion(e.TLSVersion)
		b = append(b, `"version":"`...)
		b = appendStringBody(b, b2s(num))
		if proto != "" && indexByte(num, '.') < 0 {
			b = append(b, ".0"...) // "TLSv1" is TLS 1.0, "SSLv3" is SSL 3.0
		}
		b = append(b, '"', ',')
		b = addStr(b, `"version_protocol":"`, proto)
	}
	b = addBytes(b, `"cipher":"`, e.TLSCipher)
	if e.TLSResumed != unset {
		b = addBool(b, `"resumed":`, e.TLSResumed > 0)
	}
	if len(e.TLSSNI) > 0 {
		b = append(b, `"client":{"server_name":"`...)
		b = appendStringBody(b, b2s(e.TLSSNI))
		b = append(b, `"},`...)
	}
	return closeObj(b, p)
}

// appendHeaders appends captured_headers and, for named positions,
// headers.<name>.
func appendHeaders(b []byte, values [][]byte, names [][]byte) []byte {
	b = append(b, `"captured_headers":[`...)
	for i, v := range values {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, b2s(v))
	}
	b = append(b, ']', ',')
	if len(names) == 0 {
		return b
	}
	p := len(b)
	b = append(b, `"headers":{`...)
	for i, v := range values {
		if i < len(names) && names[i] != nil {
			b = append(b, names[i]...)
			b = appendString(b, b2s(v))
			b = append(b, ',')
		}
	}
	return closeObj(b, p)
}

// appendEvent appends the operational event fields under haproxy.
func appendEvent(b []byte, e *decode.Entry) []byte {
	if e.Event != decode.EventNone {
		b = append(b, `"event":{"kind":"`...)
		b = append(b, e.Event.String()...)
		b = append(b, '"', ',')
		b = addStr(b, `"severity":"`, e.Severity)
		b = closeObj(b, -1)
	}

	if sb := serverEvent(e.Event) || e.ServerBackup; sb || len(e.ServerState)|len(e.ServerAdmin)|len(e.ServerFQDN) != 0 || serverStateSet(&e.State) {
		p := len(b)
		b = append(b, `"server":{`...)
		if sb {
			b = addBool(b, `"backup":`, e.ServerBackup)
		}
		b = addBytes(b, `"state":"`, e.ServerState)
		b = addBytes(b, `"admin_state":"`, e.ServerAdmin)
		b = addBytes(b, `"fqdn":"`, e.ServerFQDN)
		b = appendServerState(b, &e.State)
		b = closeObj(b, p)
	}

	b = appendCheck(b, &e.Operational)

	b = addBytes(b, `"cause":"`, e.Cause)
	if len(e.ViaBackend) > 0 || len(e.ViaServer) > 0 {
		b = append(b, `"via":"`...)
		b = appendStringBody(b, b2s(e.ViaBackend))
		if len(e.ViaServer) > 0 {
			b = append(b, '/')
			b = appendStringBody(b, b2s(e.ViaServer))
		}
		b = append(b, '"', ',')
	}

	if e.ActiveServers&e.BackupServers != unset || e.RunningOnBackup {
		p := len(b)
		b = append(b, `"servers":{`...)
		b = addInt(b, `"active":`, e.ActiveServers)
		b = addInt(b, `"backup":`, e.BackupServers)
		if e.ActiveServers != unset || e.RunningOnBackup {
			b = addBool(b, `"running_on_backup":`, e.RunningOnBackup)
		}
		b = closeObj(b, p)
	}

	if e.SessActive&e.SessRequeued&e.SessQueued != unset {
		p := len(b)
		b = append(b, `"sessions":{`...)
		b = addInt(b, `"active":`, e.SessActive)
		b = addInt(b, `"requeued":`, e.SessRequeued)
		b = addInt(b, `"queued":`, e.SessQueued)
		b = closeObj(b, p)
	}

	b = addBytes(b, `"proxy_name":"`, e.ProxyName)
	b = addBytes(b, `"proxy_type":"`, e.ProxyType)
	b = addInt(b, `"grace_ms":`, e.GraceMs)

	if len(e.OldAddr)|len(e.NewAddr)|len(e.Updater) != 0 || e.OldPort&e.NewPort != unset {
		p := len(b)
		b = append(b, `"address":{`...)
		b = addBytes(b, `"old":"`, e.OldAddr)
		b = addInt(b, `"old_port":`, e.OldPort)
		b = addBytes(b, `"new":"`, e.NewAddr)
		b = addInt(b, `"new_port":`, e.NewPort)
		b = addBytes(b, `"updater":"`, e.Updater)
		b = closeObj(b, p)
	}

	if len(e.ExitReason) != 0 || e.WorkerPID != unset {
		p := len(b)
		b = append(b, `"worker":{`...)
		b = addInt(b, `"pid":`, e.WorkerPID)
		b = addBytes(b, `"exit_reason":"`, e.ExitReason)
		b = closeObj(b, p)
	}
	return b
}

// appendCheck appends haproxy.check.
func appendCheck(b []byte, o *decode.Operational) []byte {
	if len(o.CheckKind)|len(o.CheckResult)|len(o.CheckStatus)|len(o.CheckReason)|len(o.CheckInfo)|len(o.CheckState) != 0 ||
		o.CheckCode&o.CheckDuration&o.CheckHealth&o.CheckThreshold != unset {
		p := len(b)
		b = append(b, `"check":{`...)
		b = addBytes(b, `"kind":"`, o.CheckKind)
		b = addStr(b, `"result":"`, o.CheckResult)
		b = addStr(b, `"status":"`, o.CheckStatus)
		b = addBytes(b, `"reason":"`, o.CheckReason)
		b = addInt(b, `"code":`, o.CheckCode)
		b = addBytes(b, `"info":"`, o.CheckInfo)
		b = addInt(b, `"duration_ms":`, o.CheckDuration)
		b = addInt(b, `"health":`, o.CheckHealth)
		b = addInt(b, `"threshold":`, o.CheckThreshold)
		b = addBytes(b, `"state":"`, o.CheckState)
		b = closeObj(b, p)
	}
	return b
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

// appendECSEvent appends the ECS event object.
func appendECSEvent(b []byte, e *decode.Entry, traffic bool) []byte {
	b = append(b, `"event":{"kind":"event",`...)
	if c := category(e); c != "" {
		b = append(b, c...)
		b = append(b, ',')
		b = append(b, eventType(e, c)...)
		b = append(b, ',')
	}
	b = addStr(b, `"outcome":"`, e.Outcome)
	switch {
	case traffic && e.Ta != unset:
		b = append(b, `"duration":`...)
		b = strconv.AppendInt(b, int64(e.Ta)*int64(time.Millisecond), 10)
		b = append(b, ',')
	case !traffic && e.CheckDuration != unset:
		b = append(b, `"duration":`...)
		b = strconv.AppendInt(b, int64(e.CheckDuration)*int64(time.Millisecond), 10)
		b = append(b, ',')
	}
	return append(b, `"dataset":"haproxy.log","module":"haproxy"},`...)
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

// ECS event.type fields: the values ECS allows with each category (web:
// access; network: connection, start, end, info; process: start, change,
// end, info).
const (
	typeAccess          = `"type":["access"]`
	typeConnection      = `"type":["connection"]`
	typeConnectionStart = `"type":["connection","start"]`
	typeConnectionEnd   = `"type":["connection","end"]`
	typeInfo            = `"type":["info"]`
	typeStart           = `"type":["start"]`
	typeChange          = `"type":["change"]`
	typeEnd             = `"type":["end"]`
)

// eventType is the ECS event.type that goes with category c: access for an
// HTTP request; connection (and end) for a TCP session, logged when it
// ends; connection and start for the "Connect from" line, logged at
// accept; info for servers and checks; start, change or end for the life
// of proxies and workers.
func eventType(e *decode.Entry, c string) string {
	switch c {
	case categoryWeb:
		return typeAccess
	case categoryNetwork:
		switch {
		case e.Type == decode.LogTCP:
			return typeConnectionEnd
		case e.Event == decode.EventConnect:
			return typeConnectionStart
		case e.Event == decode.EventConnectionError:
			return typeConnection
		}
		return typeInfo
	}
	switch e.Event {
	case decode.EventProxyStarted, decode.EventProxyResumed:
		return typeStart
	case decode.EventProxyPaused, decode.EventProxyStopping, decode.EventSoftStop:
		return typeChange
	case decode.EventProxyStopped, decode.EventProxyHardStopped, decode.EventHardStop:
		return typeEnd
	case decode.EventWorker:
		if e.ExitCode != unset || len(e.ExitReason) > 0 {
			return typeEnd
		}
	}
	return typeInfo
}

// appendRelatedIP appends related.ip: every IP address of the line (client,
// destination, server, HAProxy's own towards the server), each once, as
// Filebeat and the ECS modules fill it.
func appendRelatedIP(b []byte, e *decode.Entry) []byte {
	ips := [4][]byte{e.ClientIP, e.DestIP, e.ServerIP, e.BackendSrcIP}
	n := 0
	for i, ip := range ips {
		// decode sets these to IP addresses only (a UNIX socket's is nil).
		if len(ip) == 0 || seenBefore(ips[:i], ip) {
			continue
		}
		if n == 0 {
			b = append(b, `"related":{"ip":[`...)
		} else {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = appendStringBody(b, b2s(ip))
		b = append(b, '"')
		n++
	}
	if n > 0 {
		b = append(b, `]},`...)
	}
	return b
}

func seenBefore(list [][]byte, ip []byte) bool {
	for _, x := range list {
		if string(x) == string(ip) {
			return true
		}
	}
	return false
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
