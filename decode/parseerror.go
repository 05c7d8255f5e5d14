package decode

import (
	"strconv"
	"unsafe"
)

// ParseError says where and why a line was not understood
// ("haproxy.parse_error"), as strconv.NumError says it of a number: which
// reader stopped (Func), where (Field and Name, or At), why (Reason), and
// at what text (Input). Decode fills the Entry's own ParseError in place,
// so a line that breaks allocates nothing either.
type ParseError struct {
	// Func is the reader: "httplog", "httpslog", "tcplog", "traffic log",
	// "connection error", "error-log-format", "connect", "clf", or a
	// custom format's label ("log-format of fe_api"). "" for a line that is
	// none of them at all: Reason alone says it.
	Func string
	// Field is the field's number in HAProxy's manual (§8.2, the syslog tag
	// being field 1; CLF: the order of its log-format), 0 when it has none.
	Field int
	// Name is what the field holds: "timers TR/Tw/Tc/Tr/Ta".
	Name string
	// At is, for a custom log-format, where in the format it stopped (its
	// text quoted, or the variable: `" srv="`, "%ST"), in place of Field
	// and Name.
	At string
	// Reason says what was wanted: "want ip:port".
	Reason string
	// Input is the text the reader stopped at (cut at 64 bytes; empty at
	// the end of the line). It points into the line, as the Entry's other
	// byte slices do.
	Input []byte
}

// The lines that no reader recognised at all.
var (
	errEmpty      = &ParseError{Reason: "empty message"}
	errNotTraffic = &ParseError{Reason: "not a traffic log"} // the event reader is tried next
	errNotEvent   = &ParseError{Reason: "not an HAProxy log line"}
)

// maxErrInput bounds ParseError.Input.
const maxErrInput = 64

func (p ParseError) Error() string { return string(p.Append(nil)) }

// Append appends the text of Error to b: `httplog: field 6 (timers
// TR/Tw/Tc/Tr/Ta): want 5 numbers, got "1/2"`. It allocates nothing when b
// has room.
func (p ParseError) Append(b []byte) []byte {
	if p.Func == "" {
		return append(b, p.Reason...)
	}
	b = append(append(b, p.Func...), ": "...)
	switch {
	case p.At != "":
		b = append(append(b, "at "...), p.At...)
	case p.Field > 0:
		b = strconv.AppendInt(append(b, "field "...), int64(p.Field), 10)
		b = append(append(append(b, " ("...), p.Name...), ')')
	default:
		b = append(append(append(b, '('), p.Name...), ')')
	}
	b = append(b, ": "...)
	if p.Reason != "" {
		b = append(append(b, p.Reason...), ", "...)
	}
	if len(p.Input) == 0 {
		return append(b, "got end of line"...)
	}
	// AppendQuote keeps nothing of its argument: the bytes need no copy.
	in := unsafe.String(unsafe.SliceData(p.Input), len(p.Input))
	return strconv.AppendQuote(append(b, "got "...), in)
}

// Err returns the line's parse error, or nil when the line was understood.
func (h *Header) Err() error {
	if h.ParseError.Func == "" && h.ParseError.Reason == "" {
		return nil
	}
	return &h.ParseError
}

// fail records that the line broke at field n of format, where want was not
// met by got, and returns the record.
func (e *Entry) fail(format string, n int, name, want string, got []byte) *ParseError {
	if len(got) > maxErrInput {
		got = got[:maxErrInput]
	}
	e.ParseError = ParseError{Func: format, Field: n, Name: name, Reason: want, Input: got}
	return &e.ParseError
}
