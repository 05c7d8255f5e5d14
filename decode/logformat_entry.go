package decode

// Custom holds what only a custom log-format (see CompileLogFormat) writes:
// the variables and sample fetches that no built-in format has. Every other
// variable lands in the same field as in the built-in formats.
type Custom struct {
	Th             int    // "haproxy.timers.handshake_ms" (%Th), Unset when -1 or absent
	Ti             int    // "haproxy.timers.idle_ms" (%Ti)
	Tq             int    // "haproxy.timers.request_total_ms" (%Tq = Th+Ti+TR)
	Td             int    // "haproxy.timers.data_ms" (%Td)
	Tu             int    // "haproxy.timers.user_ms" (%Tu)
	Tt             int    // "haproxy.timers.session_ms" (%Tt when %Ta is also written; else %Tt is Ta, as in tcplog)
	BytesUploaded  int64  // "haproxy.bytes_uploaded" (%U)
	UniqueID       []byte // "http.request.id" (%ID, unique-id)
	BackendSrcIP   []byte // "haproxy.backend_source.ip" (%bi: HAProxy's address towards the server)
	BackendSrcPort int    // "haproxy.backend_source.port" (%bp)
	ServerIP       []byte // "haproxy.server.ip" (%si)
	ServerPort     int    // "haproxy.server.port" (%sp)
	ReqCounter     int64  // "haproxy.request_counter" (%rt)
	LogCounter     int64  // "haproxy.log_counter" (%lc)
	LogOrigin      []byte // "haproxy.log_origin" (%OG, 3.1+)
	// untimed: the phase timers the line's format does not write (0 for
	// the built-in formats); see LogFormat.untimed.
	untimed uint8
	// Samples are the sample fetches no ECS field names, in the format's
	// order: "haproxy.sample.<name>". The slice is reused from line to line.
	Samples []Sample
}

// Sample is one %[expression] of a log-format and the value it wrote.
type Sample struct {
	// Name is the expression with every run of non-alphanumerics written
	// "_" ("req.hdr(host)" → "req_hdr_host"): the key under haproxy.sample.
	Name string
	// Value is the text as written, unquoted and unescaped.
	Value []byte
}

var blankCustom = Custom{
	Th: Unset, Ti: Unset, Tq: Unset, Td: Unset, Tu: Unset, Tt: Unset,
	BytesUploaded: Unset, BackendSrcPort: Unset, ServerPort: Unset,
	ReqCounter: Unset, LogCounter: Unset,
}

// resetCustom blanks the custom fields, keeping the samples' array.
func (e *Entry) resetCustom() {
	samples := e.Samples[:0]
	e.Custom = blankCustom
	e.Samples = samples
}

// The phase timers a custom format may leave out (Custom.untimed).
const (
	absentTR uint8 = 1 << iota
	absentTw
	absentTc
	absentTr
)
