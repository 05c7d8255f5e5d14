package encode

// FieldType is a field's type in the index template and the README.
type FieldType string

// The types the encoder writes. Text is analysed text with a keyword
// sub-field (name.keyword) for aggregations. Explanation is one of the
// explanation texts (Explain): kept in the document, not indexed. Each is a
// function of codes that are indexed (search haproxy.termination_state, not
// its meaning), and indexing them cost the search node a fifth of its CPU
// over the traffic mix (the README's bench-es section).
const (
	Keyword     FieldType = "keyword"
	Text        FieldType = "text"
	Explanation FieldType = "text, not indexed"
	Long        FieldType = "long"
	Double      FieldType = "double"
	Boolean     FieldType = "boolean"
	Date        FieldType = "date"
	IP          FieldType = "ip" // mapped with ignore_malformed: a unix socket's "unix" is kept, not indexed
)

// Field is one field the encoder writes.
type Field struct {
	// Path is the dotted path of the field in the document; a last
	// element "*" stands for names chosen by the configuration
	// (haproxy.http.request.headers.<name>).
	Path  string
	Type  FieldType
	Array bool   // written as a JSON array of Type
	Doc   string // where the value comes from (markdown, the README's "from" column)
	// Max is the keyword's ignore_above in the template (0: 1024).
	Max int
}

// Fields is every field the encoder writes: the index template
// (plugin/internal/es/template.json, go generate) and the README's field
// table are generated from it, and TestFieldsMatchEncoder runs the corpus
// and the test fixtures through the encoder and fails on a field that is
// written but missing here, written with another type, or listed here but
// never written. A field the encoder starts writing is one row here.
var Fields = []Field{
	{Path: "@timestamp", Type: Date, Doc: "request date (traffic), else the syslog/stderr header time, else the Fluent Bit record time; UTC (`Time_Key`, `Time_Key_Format`)"},
	{Path: "message", Type: Text, Doc: "the original line", Max: 2048},

	{Path: "log.level", Type: Keyword, Doc: "stderr label or syslog severity"},
	{Path: "log.syslog.priority", Type: Long, Doc: "`<PRI>`"},
	{Path: "log.syslog.facility.code", Type: Long, Doc: "`<PRI>` / 8"},
	{Path: "log.syslog.facility.name", Type: Keyword, Doc: "`local0` ..."},
	{Path: "log.syslog.severity.code", Type: Long, Doc: "`<PRI>` % 8"},
	{Path: "log.syslog.severity.name", Type: Keyword, Doc: "`info`, `notice` ..."},
	{Path: "host.hostname", Type: Keyword, Doc: "syslog header"},
	{Path: "process.name", Type: Keyword, Doc: "syslog header / stderr prefix"},
	{Path: "process.pid", Type: Long, Doc: "syslog header / stderr prefix"},
	{Path: "process.exit_code", Type: Long, Doc: "master-worker lines: a worker's exit code"},

	{Path: "event.kind", Type: Keyword, Doc: "ECS: `event`"},
	{Path: "event.category", Type: Keyword, Array: true, Doc: "ECS: `web` (http), `network` (tcp, connections), `process` (lifecycle)"},
	{Path: "event.type", Type: Keyword, Array: true, Doc: "ECS, next to every category: `access` (http); `connection` + `end` (tcp), + `start` (`Connect from`), `connection` (connection errors), `info` (servers, checks); `start`, `change`, `end` or `info` (process)"},
	{Path: "event.dataset", Type: Keyword, Doc: "`haproxy.log`"},
	{Path: "event.module", Type: Keyword, Doc: "`haproxy`"},
	{Path: "event.outcome", Type: Keyword, Doc: "`success` / `failure`: HTTP status >= 400 is a failure (as in Filebeat and the ECS web modules), and so is an aborted session whatever its status"},
	{Path: "event.duration", Type: Long, Doc: "nanoseconds: Ta / Tt, or the check duration"},

	{Path: "haproxy.log_type", Type: Keyword, Doc: "`http`, `https`, `tcp`, `clf`, `event`, `unknown` (`none`: record had no line)"},
	{Path: "haproxy.framing", Type: Keyword, Doc: "`rfc3164` (HAProxy's `local` and `rfc3164` log formats), `rfc5424`, `priority` (`<PRI>` then the message: `priority` and `short`), `timed` (`<PRI>` + ISO date), `iso`, `stderr`, `tag` (`haproxy[674]: ` then the message, as the manual prints lines), `raw`"},
	{Path: "haproxy.parse_error", Type: Text, Doc: "where and why an unknown line stopped"},

	{Path: "source.address", Type: Keyword, Doc: "the client as written: its IP, or `unix:1` (UNIX, abstract and socketpair listeners), `unix` (clf), `-`"},
	{Path: "source.ip", Type: IP, Doc: "client address"},
	{Path: "source.port", Type: Long, Doc: "client port"},
	{Path: "related.ip", Type: IP, Array: true, Doc: "every IP of the line, once: client, destination, `%si`, `%bi`"},
	{Path: "destination.ip", Type: IP, Doc: "`Connect from A to B` lines; `%fi` of a custom log-format"},
	{Path: "destination.port", Type: Long, Doc: "`Connect from A to B` lines; `%fp`"},
	{Path: "http.request.id", Type: Keyword, Doc: "custom log-format: `%ID` (unique-id), `%[unique-id]`"},

	{Path: "haproxy.frontend_name", Type: Keyword, Doc: "frontend, without `~`"},
	{Path: "haproxy.frontend_ssl", Type: Boolean, Doc: "`fe~`"},
	{Path: "haproxy.bind_name", Type: Keyword, Doc: "connection error lines (`fe/bind:`)"},
	{Path: "haproxy.backend_name", Type: Keyword, Doc: "backend"},
	{Path: "haproxy.server_name", Type: Keyword, Doc: "server; `<NOSRV>`, `<STATS>` as written"},

	{Path: "haproxy.http.request.time_wait_ms", Type: Long, Doc: "TR"},
	{Path: "haproxy.total_waiting_time_ms", Type: Long, Doc: "Tw"},
	{Path: "haproxy.connection_wait_time_ms", Type: Long, Doc: "Tc"},
	{Path: "haproxy.http.request.time_wait_without_data_ms", Type: Long, Doc: "Tr"},
	{Path: "haproxy.http.request.time_active_ms", Type: Long, Doc: "Ta (http; Filebeat's name)"},
	{Path: "haproxy.tcp.processing_time_ms", Type: Long, Doc: "Tt (tcp; Filebeat's name)"},
	{Path: "haproxy.timers.unreached", Type: Keyword, Doc: "first phase never reached: `request`, `queue`, `connect`, `response`"},
	{Path: "haproxy.timers.logasap", Type: Boolean, Doc: "`+` totals (`option logasap`)"},
	{Path: "haproxy.timers.handshake_ms", Type: Long, Doc: "custom log-format: `%Th`"},
	{Path: "haproxy.timers.idle_ms", Type: Long, Doc: "custom log-format: `%Ti`"},
	{Path: "haproxy.timers.request_total_ms", Type: Long, Doc: "custom log-format: `%Tq` (Th+Ti+TR)"},
	{Path: "haproxy.timers.data_ms", Type: Long, Doc: "custom log-format: `%Td`"},
	{Path: "haproxy.timers.user_ms", Type: Long, Doc: "custom log-format: `%Tu`"},
	{Path: "haproxy.timers.session_ms", Type: Long, Doc: "custom log-format: `%Tt` when `%Ta` is written too (else `%Tt` is the total, as in tcplog)"},

	{Path: "http.response.bytes", Type: Long, Doc: "`%B` of an HTTP line (also `haproxy.bytes_read`), as Filebeat copies it"},
	{Path: "http.response.status_code", Type: Long, Doc: "omitted when -1"},
	{Path: "haproxy.bytes_read", Type: Long, Doc: "bytes sent to the client"},
	{Path: "haproxy.bytes_uploaded", Type: Long, Doc: "custom log-format: `%U`, bytes received from the client"},
	{Path: "haproxy.backend_source.ip", Type: IP, Doc: "custom log-format: `%bi`, HAProxy's address towards the server"},
	{Path: "haproxy.backend_source.port", Type: Long, Doc: "custom log-format: `%bp`"},
	{Path: "haproxy.server.ip", Type: IP, Doc: "custom log-format: `%si`"},
	{Path: "haproxy.server.port", Type: Long, Doc: "custom log-format: `%sp`"},
	{Path: "haproxy.request_counter", Type: Long, Doc: "custom log-format: `%rt`"},
	{Path: "haproxy.log_counter", Type: Long, Doc: "custom log-format: `%lc`"},
	{Path: "haproxy.log_origin", Type: Keyword, Doc: "custom log-format: `%OG` (3.1+)"},
	{Path: "haproxy.sample.*", Type: Keyword, Doc: "custom log-format: `haproxy.sample.<name>`, a `%[fetch,converter...]` without an ECS field (see *Or paste the format*)"},
	{Path: "haproxy.http.request.captured_cookie", Type: Keyword, Doc: "`capture cookie`"},
	{Path: "haproxy.http.response.captured_cookie", Type: Keyword, Doc: "`capture cookie`"},
	{Path: "haproxy.http.request.captured_headers", Type: Keyword, Array: true, Doc: "in order, unescaped"},
	{Path: "haproxy.http.response.captured_headers", Type: Keyword, Array: true, Doc: "in order, unescaped"},
	{Path: "haproxy.http.request.headers.*", Type: Keyword, Doc: "`haproxy.http.request.headers.<name>` with `Capture_Request_Headers`"},
	{Path: "haproxy.http.response.headers.*", Type: Keyword, Doc: "`haproxy.http.response.headers.<name>` with `Capture_Response_Headers`"},
	{Path: "haproxy.http.request.raw_request_line", Type: Keyword, Max: 8192, Doc: "quoted request line (`<BADREQ>` kept)"},
	{Path: "haproxy.http.request.truncated", Type: Boolean, Doc: "the line was cut at 1024 bytes"},
	{Path: "http.request.method", Type: Keyword, Doc: "request line"},
	{Path: "http.version", Type: Keyword, Doc: "request line"},
	{Path: "url.original", Type: Keyword, Max: 8192, Doc: "request line (absolute URIs and HTTP/2 included)"},
	{Path: "url.path", Type: Keyword, Max: 4096, Doc: "request line"},
	{Path: "url.query", Type: Keyword, Max: 4096, Doc: "request line"},
	{Path: "url.scheme", Type: Keyword, Doc: "absolute URI"},
	{Path: "url.domain", Type: Keyword, Doc: "absolute URI"},
	{Path: "url.port", Type: Long, Doc: "absolute URI"},

	{Path: "haproxy.termination_state", Type: Keyword, Doc: "`sH--`, `SC` ..."},
	{Path: "haproxy.termination.cause.code", Type: Keyword, Doc: "1st character: what ended the session"},
	{Path: "haproxy.termination.cause.meaning", Type: Explanation, Doc: "its meaning"},
	{Path: "haproxy.termination.phase.code", Type: Keyword, Doc: "2nd character: what it was doing"},
	{Path: "haproxy.termination.phase.meaning", Type: Explanation, Doc: "its meaning"},
	{Path: "haproxy.termination.client_cookie.code", Type: Keyword, Doc: "3rd character (http)"},
	{Path: "haproxy.termination.client_cookie.meaning", Type: Explanation, Doc: "its meaning"},
	{Path: "haproxy.termination.server_cookie.code", Type: Keyword, Doc: "4th character (http)"},
	{Path: "haproxy.termination.server_cookie.meaning", Type: Explanation, Doc: "its meaning"},
	{Path: "haproxy.termination.cookie_summary", Type: Explanation, Doc: "the two cookie characters, explained"},
	{Path: "haproxy.termination.summary", Type: Explanation, Doc: "the two-letter combination, explained"},
	{Path: "haproxy.termination.blame", Type: Keyword, Doc: "`client`, `server`, `proxy`, `resource`, `internal`, `admin`, `local`, `none`"},
	{Path: "haproxy.termination.anomaly", Type: Boolean, Doc: "the state is not a normal end"},
	{Path: "haproxy.termination.advice", Type: Explanation, Doc: "what to check or tune"},

	{Path: "haproxy.connections.active", Type: Long, Doc: "ac"},
	{Path: "haproxy.connections.frontend", Type: Long, Doc: "fc"},
	{Path: "haproxy.connections.backend", Type: Long, Doc: "bc"},
	{Path: "haproxy.connections.server", Type: Long, Doc: "sc"},
	{Path: "haproxy.connections.retries", Type: Long, Doc: "rc"},
	{Path: "haproxy.connections.redispatched", Type: Boolean, Doc: "`+` before rc"},
	{Path: "haproxy.server_queue", Type: Long, Doc: "sq"},
	{Path: "haproxy.backend_queue", Type: Long, Doc: "bq"},

	{Path: "tls.version", Type: Keyword, Doc: "httpslog"},
	{Path: "tls.version_protocol", Type: Keyword, Doc: "httpslog"},
	{Path: "tls.cipher", Type: Keyword, Doc: "httpslog"},
	{Path: "tls.client.server_name", Type: Keyword, Doc: "httpslog (SNI)"},
	{Path: "tls.resumed", Type: Boolean, Doc: "httpslog"},
	{Path: "haproxy.tls.connection_error", Type: Long, Doc: "httpslog / error-log-format"},
	{Path: "haproxy.tls.ssl_error", Type: Keyword, Doc: "httpslog / error-log-format"},
	{Path: "haproxy.tls.client_cert_error", Type: Long, Doc: "httpslog / error-log-format"},
	{Path: "haproxy.tls.client_ca_error", Type: Long, Doc: "httpslog / error-log-format"},
	{Path: "haproxy.error_message", Type: Text, Doc: "`SSL handshake failure`, PROXY protocol errors ..."},

	{Path: "haproxy.event.kind", Type: Keyword, Doc: "`server_up`, `server_down`, `server_stopping`, `server_maintenance`, `server_drain`, `server_ready`, `health_check`, `agent_check`, `backend_no_server`, `proxy_started`, `proxy_paused`, `proxy_resumed`, `proxy_stopping`, `proxy_stopped`, `proxy_hard_stopped`, `hard_stop`, `soft_stop`, `address_change`, `connect`, `connection_error`, `worker`, `resource_limit`, `other`"},
	{Path: "haproxy.event.severity", Type: Keyword, Doc: "our reading: `info`, `notice`, `warning`, `alert`, `critical`"},
	{Path: "haproxy.server.backup", Type: Boolean, Doc: "server lines"},
	{Path: "haproxy.server.state", Type: Keyword, Doc: "server lines"},
	{Path: "haproxy.server.admin_state", Type: Keyword, Doc: "server lines"},
	{Path: "haproxy.server.fqdn", Type: Keyword, Doc: "server lines"},
	{Path: "haproxy.check.kind", Type: Keyword, Doc: "`Health` or `Agent`"},
	{Path: "haproxy.check.result", Type: Keyword, Doc: "`succeeded`, `failed` or `conditionally succeeded`"},
	{Path: "haproxy.check.status", Type: Keyword, Doc: "`L4TOUT` ..."},
	{Path: "haproxy.check.reason", Type: Keyword, Doc: "`Layer4 timeout` ..."},
	{Path: "haproxy.check.code", Type: Long, Doc: "status code of the check"},
	{Path: "haproxy.check.info", Type: Text, Doc: "the check's info text"},
	{Path: "haproxy.check.duration_ms", Type: Long, Doc: "check duration"},
	{Path: "haproxy.check.health", Type: Long, Doc: "`status: 0/2 DOWN`"},
	{Path: "haproxy.check.threshold", Type: Long, Doc: "`status: 0/2 DOWN`"},
	{Path: "haproxy.check.state", Type: Keyword, Doc: "`status: 0/2 DOWN`"},
	{Path: "haproxy.cause", Type: Keyword, Doc: "`changed from CLI`, `DNS NX status` ..."},
	{Path: "haproxy.via", Type: Keyword, Doc: "tracked `backend/server`"},
	{Path: "haproxy.servers.active", Type: Long, Doc: "servers left / online"},
	{Path: "haproxy.servers.backup", Type: Long, Doc: "backup servers left / online"},
	{Path: "haproxy.servers.running_on_backup", Type: Boolean, Doc: "`Running on backup`"},
	{Path: "haproxy.sessions.active", Type: Long, Doc: "sessions active"},
	{Path: "haproxy.sessions.requeued", Type: Long, Doc: "sessions requeued"},
	{Path: "haproxy.sessions.queued", Type: Long, Doc: "sessions left in queue"},
	{Path: "haproxy.diagnosis.summary", Type: Explanation, Doc: "an operator's reading of the event"},
	{Path: "haproxy.diagnosis.layer", Type: Keyword, Doc: "`network`, `tls`, `application`, `agent`, `traffic`, `admin`, `dns`, `proxy`, `process`, `resource`"},
	{Path: "haproxy.proxy_name", Type: Keyword, Doc: "proxy lifecycle lines"},
	{Path: "haproxy.proxy_type", Type: Keyword, Doc: "proxy lifecycle lines"},
	{Path: "haproxy.connections.frontend_total", Type: Long, Doc: "stop / hard-stop lines"},
	{Path: "haproxy.connections.backend_total", Type: Long, Doc: "stop / hard-stop lines"},
	{Path: "haproxy.connections.remaining", Type: Long, Doc: "stop / hard-stop lines"},
	{Path: "haproxy.grace_ms", Type: Long, Doc: "soft-stop grace"},
	{Path: "haproxy.address.old", Type: Keyword, Doc: "address changes"},
	{Path: "haproxy.address.new", Type: Keyword, Doc: "address changes"},
	{Path: "haproxy.address.old_port", Type: Long, Doc: "address changes"},
	{Path: "haproxy.address.new_port", Type: Long, Doc: "address changes"},
	{Path: "haproxy.address.updater", Type: Keyword, Doc: "address changes"},
	{Path: "haproxy.worker.pid", Type: Long, Doc: "master-worker lines"},
	{Path: "haproxy.worker.exit_reason", Type: Keyword, Doc: "master-worker lines"},
	{Path: "haproxy.mode", Type: Keyword, Doc: "`HTTP`/`TCP` of the default `Connect from` line"},

	{Path: "haproxy.outage.detected", Type: Boolean, Doc: "the line itself says no active and no backup server is left, or \"no server available\""},
	{Path: "haproxy.outage.state", Type: Keyword, Doc: "stateful: `started`, `ongoing`, `ended`"},
	{Path: "haproxy.outage.id", Type: Keyword, Doc: "stateful: one id per outage of a backend"},
	{Path: "haproxy.outage.started_at", Type: Date, Doc: "stateful: when the outage started"},
	{Path: "haproxy.outage.ended_at", Type: Date, Doc: "stateful: when it ended"},
	{Path: "haproxy.outage.duration_ms", Type: Long, Doc: "stateful: its length"},
	{Path: "haproxy.outage.servers_down", Type: Keyword, Array: true, Doc: "stateful: the servers down during it, in order"},
	{Path: "haproxy.server.down_since", Type: Date, Doc: "stateful: on a server's UP line, when it went down"},
	{Path: "haproxy.server.downtime_ms", Type: Long, Doc: "stateful: how long it was down"},
	{Path: "haproxy.server.flapping", Type: Boolean, Doc: "stateful: state changes reached `Flap_Threshold` within `Flap_Window`"},
	{Path: "haproxy.server.transitions", Type: Long, Doc: "stateful: state changes within the window"},
	{Path: "haproxy.lifecycle.reload", Type: Boolean, Doc: "stateful: a line of a reload (old and new process)"},
	{Path: "haproxy.lifecycle.old_pid", Type: Long, Doc: "stateful: the process a reload replaced"},
}
