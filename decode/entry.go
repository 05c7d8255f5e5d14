// Package decode reads one HAProxy log line and says what it means.
//
// It knows HAProxy's log formats (syslog framing, traffic logs, operational
// events) and nothing about Fluent Bit or JSON. It does it in two stages:
// Decoder.Decode parses a line (what it says), then Explainer.Explain adds
// what it means (explainer.go). Decode never panics and never fails: a line
// it cannot read comes back as LogUnknown with the reason.
//
// Byte-slice fields of an Entry point into the line given to Decode, or into
// the Entry's own scratch buffer for unescaped text: they are valid until the
// next Decode into the same Entry, and only while the line's bytes are. An
// Entry is reused from line to line so that decoding allocates nothing in
// steady state.
package decode

import "time"

// LogType is what kind of line HAProxy wrote.
type LogType uint8

const (
	LogUnknown LogType = iota // not a line we recognise (kept, with ParseError)
	LogHTTP                   // option httplog
	LogHTTPS                  // option httpslog (2.5+)
	LogTCP                    // option tcplog
	LogCLF                    // option httplog clf
	LogEvent                  // operational message, connection error, default "Connect from" line
)

var logTypeNames = [...]string{"unknown", "http", "https", "tcp", "clf", "event"}

func (t LogType) String() string {
	if int(t) < len(logTypeNames) {
		return logTypeNames[t]
	}
	return "unknown"
}

// Unset marks an integer field that the line did not carry (or carried as -1).
const Unset = -1

// Entry is one decoded line, in parts: what every line has (Header), the
// fields of a traffic log (Traffic), those of an operational event
// (Operational), what only a custom log-format writes (Custom), what the
// explain stage adds (Explanation), and what the lines before this one mean
// for it (State, filled by the explain stage's stateful step). The parts
// are embedded, so every field is reached as e.Name. JSON names of the
// fields are given in comments; the encoder writes them.
type Entry struct {
	Header
	Traffic
	Operational
	Explanation
	// Custom holds what only a custom log-format writes.
	Custom
	// State is what the line means given the lines before it: the state
	// across lines that package state keeps (a named field, not embedded:
	// its names, such as Outage, would clash with the Explanation's).
	State StateFields

	// scratch holds unescaped text that the byte-slice fields point to.
	// Decode sizes it to the line first so that it never reallocates while a
	// line is decoded (unescaping only shrinks text).
	scratch []byte
	// times remembers the last hours whose start was computed, so that
	// most lines compute their dates without a zone lookup (see hourStart).
	// It lives in the Entry, not the Decoder, which stays safe for
	// concurrent use.
	times timeCache
	// tags remembers the last "[hostname ]tag[pid]: " read (see hostAndTag).
	tags tagCache
	// lastFormat remembers which log-format of which set read the previous
	// line, to be tried first (see Decoder.decodeCustom).
	lastFormat formatHit
}

// Header is what every line has: the line, its message and how it was
// framed.
type Header struct {
	// Message is the whole line as given (without a trailing newline). "message"
	Message []byte
	// Body is the HAProxy message once the framing (syslog header, stderr
	// prefix) is stripped.
	Body []byte
	// Type is "haproxy.log_type".
	Type LogType
	// ParseError says where and why a line was not understood (zero when
	// it was; Err reports which). "haproxy.parse_error"
	ParseError ParseError

	// Framing.
	Framing      Framing   // "haproxy.framing": raw, rfc3164, rfc5424, iso, stderr, priority, timed, tag
	Priority     int       // "log.syslog.priority" (Unset when there is no <PRI>)
	HeaderTime   time.Time // time in the syslog header or stderr prefix, zero when none
	Hostname     []byte    // "host.hostname"
	ProcessName  []byte    // "process.name"
	PID          int       // "process.pid"
	StderrLevel  []byte    // "log.level" from the stderr label ([WARNING] → WARNING)
	HeaderTimeOK bool      // HeaderTime was read from the line
}

// Traffic holds the fields of a traffic log (http, https, tcp, clf, or a
// custom log-format). Events use a few of them too: the client and
// destination of a connection line, Backend, Server, the connection counts
// and ConnError.
type Traffic struct {
	ClientIP       []byte    // "source.ip"
	ClientAddr     []byte    // "source.address": the IP, or the client as written when it is none ("unix:1", "-")
	ClientPort     int       // "source.port"
	RequestDate    time.Time // "haproxy.request_date" (accept date for tcp / error lines)
	RequestDateOK  bool
	Frontend       []byte   // "haproxy.frontend_name" (without the ~)
	FrontendSSL    bool     // "haproxy.frontend_ssl": the ~ suffix
	BindName       []byte   // "haproxy.bind_name" (connection error lines: fe/bind)
	Backend        []byte   // "haproxy.backend_name" (traffic and events)
	Server         []byte   // "haproxy.server_name" (traffic and events; <NOSRV>, <STATS> kept as written)
	TR, Tw, Tc, Tr int      // timers in ms, Unset when -1 or absent
	Ta             int      // HTTP Ta "haproxy.http.request.time_active_ms", or TCP Tt "haproxy.tcp.processing_time_ms"
	Logasap        bool     // "haproxy.timers.logasap": totals written with '+'
	Status         int      // "http.response.status_code", Unset when -1
	BytesRead      int64    // "haproxy.bytes_read", Unset when absent
	ReqCookie      []byte   // "haproxy.http.request.captured_cookie" (nil when "-")
	RespCookie     []byte   // "haproxy.http.response.captured_cookie" (nil when "-")
	TermState      []byte   // "haproxy.termination_state": 2 (tcp) or 4 (http) characters
	ActConn        int      // "haproxy.connections.active"
	FeConn         int      // "haproxy.connections.frontend"
	BeConn         int      // "haproxy.connections.backend"
	SrvConn        int      // "haproxy.connections.server"
	Retries        int      // "haproxy.connections.retries"
	Redispatched   bool     // "haproxy.connections.redispatched": '+' before retries
	SrvQueue       int      // "haproxy.server_queue"
	BackendQueue   int      // "haproxy.backend_queue"
	ReqHeaders     [][]byte // "haproxy.http.request.captured_headers", unescaped, in order
	RespHeaders    [][]byte // "haproxy.http.response.captured_headers"
	HasReqHeaders  bool     // a request header block was present (even if empty)
	HasRespHeaders bool
	RequestLine    []byte // the quoted request line, unescaped ("<BADREQ>" kept)
	RequestTrunc   bool   // "haproxy.http.request.truncated": the line lost its closing quote (1024-byte cut)
	Method         []byte // "http.request.method"
	URL            []byte // "url.original"
	URLScheme      []byte // "url.scheme" (absolute URIs only)
	URLDomain      []byte // "url.domain"
	URLPort        int    // "url.port", Unset when absent
	URLPath        []byte // "url.path"
	URLQuery       []byte // "url.query" (without '?')
	HTTPVersion    []byte // "http.version" ("1.1", "2.0")
	TLSConnErr     int    // "haproxy.tls.connection_error" (fc_err), Unset if absent
	TLSSSLErr      []byte // "haproxy.tls.ssl_error" (ssl_fc_err, hex as written)
	TLSClientErr   int    // "haproxy.tls.client_cert_error" (ssl_c_err)
	TLSClientCAErr int    // "haproxy.tls.client_ca_error" (ssl_c_ca_err)
	TLSResumed     int    // "tls.resumed": 0/1, Unset if absent
	TLSSNI         []byte // "tls.client.server_name" (nil when "-")
	TLSVersion     []byte // "tls.version" as written ("TLSv1.3"); encoder also splits protocol/number
	TLSCipher      []byte // "tls.cipher" (nil when "(NONE)" or "-")
	ConnError      []byte // connection error message ("SSL handshake failure"): "haproxy.error_message" (Filebeat's name)
	DestIP         []byte // "destination.ip" (Connect from A to B; %fi of a log-format)
	DestPort       int    // "destination.port"
	Mode           []byte // "haproxy.mode": HTTP | TCP (Connect from ... line)
}

// Operational holds the fields of an operational event (Type == LogEvent).
// A traffic line leaves them all blank.
type Operational struct {
	Event EventKind // "haproxy.event.kind"

	ServerBackup     bool   // "haproxy.server.backup"
	ServerState      []byte // "haproxy.server.state": UP, DOWN, stopping, MAINT, DRAIN ...
	ServerAdmin      []byte // "haproxy.server.admin_state": READY, DRAIN, MAINT when the line says so
	ServerFQDN       []byte // "haproxy.server.fqdn"
	CheckKind        []byte // "haproxy.check.kind": Health | Agent
	CheckResult      string // "haproxy.check.result": succeeded | failed | conditionally succeeded
	CheckStatus      string // "haproxy.check.status": L4TOUT, L4CON, L7STS ... (from the reason)
	CheckReason      []byte // "haproxy.check.reason": "Layer4 timeout"
	CheckCode        int    // "haproxy.check.code", Unset if absent
	CheckInfo        []byte // "haproxy.check.info", <XX> unescaped
	CheckDuration    int    // "haproxy.check.duration_ms", Unset if absent
	CheckHealth      int    // "haproxy.check.health" (X of X/Y), Unset if absent
	CheckThreshold   int    // "haproxy.check.threshold" (Y)
	CheckState       []byte // "haproxy.check.state": UP | DOWN | DRAIN
	Cause            []byte // "haproxy.cause": "changed from CLI", "DNS NX status", "leaving forced maintenance" ...
	ViaBackend       []byte // "haproxy.via": tracked backend/server, written "be/srv"
	ViaServer        []byte
	ActiveServers    int    // "haproxy.servers.active", Unset if absent
	BackupServers    int    // "haproxy.servers.backup"
	RunningOnBackup  bool   // "haproxy.servers.running_on_backup"
	SessActive       int    // "haproxy.sessions.active"
	SessRequeued     int    // "haproxy.sessions.requeued"
	SessQueued       int    // "haproxy.sessions.queued" (remaining / total in queue)
	ProxyName        []byte // "haproxy.proxy_name"
	ProxyType        []byte // "haproxy.proxy_type": frontend, backend, proxy ...
	FeTotal          int64  // "haproxy.connections.frontend_total", Unset if absent
	BeTotal          int64  // "haproxy.connections.backend_total"
	Remaining        int    // "haproxy.connections.remaining" (hard-stop), Unset if absent
	GraceMs          int    // "haproxy.grace_ms" (Stopping ... in N ms / soft-stop in N ms)
	OldAddr, NewAddr []byte // "haproxy.address.old" / ".new" (address_change)
	OldPort, NewPort int    // "haproxy.address.old_port" / ".new_port", Unset if absent
	Updater          []byte // "haproxy.address.updater"
	WorkerPID        int    // "haproxy.worker.pid", Unset if absent
	ExitCode         int    // "process.exit_code", Unset if absent
	ExitReason       []byte // "haproxy.worker.exit_reason": Exit, Terminated ...

	// msg names the message when its shape alone says what it means (see
	// messageDiags); the explain stage reads it.
	msg message
	// serversLeft: the counts were "N active and M backup servers left"
	// (a server went away), not "... online".
	serversLeft bool
}

// Explanation is what the explain stage (Explainer) says about a line.
type Explanation struct {
	// Termination explains TermState; nil when there is none, or it is not
	// a state HAProxy writes. It is shared: do not modify it. "haproxy.termination"
	Termination *Termination
	Outcome     string // "event.outcome": success | failure, "" when it is not known
	Unreached   string // "haproxy.timers.unreached": the first phase the timers say was never reached
	Outage      bool   // "haproxy.outage.detected": this line says no server is left, or "no server available"
	DiagSummary string // "haproxy.diagnosis.summary"
	DiagLayer   string // "haproxy.diagnosis.layer": network, tls, application, agent, traffic, admin, dns, proxy, process, resource (see diagnosis.go)
	Severity    string // "haproxy.event.severity": our judgement of an event: info, notice, warning, alert, critical
}

// Framing is how the HAProxy message was wrapped.
type Framing uint8

const (
	FramingRaw      Framing = iota // bare message ("log stdout format raw")
	FramingRFC3164                 // <PRI>Mmm dd hh:mm:ss [host ]tag[pid]:
	FramingRFC5424                 // <PRI>1 ISO host app pid msgid sd
	FramingISO                     // ISO-date host tag[pid]: (rsyslog / journald exports)
	FramingStderr                  // [LEVEL] ... (pid) : (stderr, journald)
	FramingPriority                // <PRI> then the message ("log ... format priority" or "short")
	FramingTimed                   // <PRI>ISO-date then the message ("log ... format timed")
	FramingTag                     // tag[pid]: then the message (as the manual prints lines)
)

var framingNames = [...]string{"raw", "rfc3164", "rfc5424", "iso", "stderr", "priority", "timed", "tag"}

func (f Framing) String() string {
	if int(f) < len(framingNames) {
		return framingNames[f]
	}
	return "raw"
}

// The blank parts are what reset copies: every integer field Unset.
var (
	blankHeader  = Header{Priority: Unset, PID: Unset}
	blankTraffic = Traffic{
		ClientPort: Unset, TR: Unset, Tw: Unset, Tc: Unset, Tr: Unset, Ta: Unset,
		Status: Unset, BytesRead: Unset,
		ActConn: Unset, FeConn: Unset, BeConn: Unset, SrvConn: Unset, Retries: Unset,
		SrvQueue: Unset, BackendQueue: Unset, URLPort: Unset,
		TLSConnErr: Unset, TLSClientErr: Unset, TLSClientCAErr: Unset, TLSResumed: Unset,
		DestPort: Unset,
	}
	blankOperational = Operational{
		CheckCode: Unset, CheckDuration: Unset, CheckHealth: Unset, CheckThreshold: Unset,
		ActiveServers: Unset, BackupServers: Unset,
		SessActive: Unset, SessRequeued: Unset, SessQueued: Unset,
		FeTotal: Unset, BeTotal: Unset, Remaining: Unset, GraceMs: Unset,
		OldPort: Unset, NewPort: Unset, WorkerPID: Unset, ExitCode: Unset,
	}
)

// reset clears e for a new line while keeping its buffers and caches.
func (e *Entry) reset() {
	wasTraffic := e.IsTraffic()
	e.Header = blankHeader
	e.clearBody(wasTraffic)
}

// clearBody blanks every part but the Header. A traffic line leaves the
// Operational part blank (TestReset checks it), so after one that part,
// the largest, need not be copied again: operationalBlank says so.
func (e *Entry) clearBody(operationalBlank bool) {
	e.scratch = e.scratch[:0]
	e.resetTraffic()
	e.resetCustom()
	if !operationalBlank {
		e.Operational = blankOperational
	}
	e.Explanation = Explanation{}
	e.State.clear()
}

// resetTraffic blanks the Traffic part, keeping the header lists' storage.
func (e *Entry) resetTraffic() {
	req, resp := e.ReqHeaders[:0], e.RespHeaders[:0]
	e.Traffic = blankTraffic
	e.ReqHeaders, e.RespHeaders = req, resp
}

// Transport is what a transport said about a line apart from the line
// itself: Fluent Bit's syslog input, for one, parses the syslog header into
// record fields of its own. An integer not given is Unset.
type Transport struct {
	Hostname, ProcessName []byte
	PID, Priority         int
}

// FillFraming fills in from t the framing fields that the line's own
// header left out: what the line says wins. A negative PID and a priority
// outside 0-191 are ignored.
func (h *Header) FillFraming(t Transport) {
	if len(h.Hostname) == 0 && len(t.Hostname) > 0 {
		h.Hostname = t.Hostname
	}
	if len(h.ProcessName) == 0 && len(t.ProcessName) > 0 {
		h.ProcessName = t.ProcessName
	}
	if h.PID == Unset && t.PID >= 0 {
		h.PID = t.PID
	}
	if h.Priority == Unset && t.Priority >= 0 && t.Priority <= 191 {
		h.Priority = t.Priority
	}
}

// IsTraffic reports whether the entry is a traffic log (http, https, tcp, clf).
func (e *Entry) IsTraffic() bool {
	return e.Type >= LogHTTP && e.Type <= LogCLF
}
