package encode

import (
	"encoding/binary"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"
)

// b2s views b as a string without copying. The string must not outlive b's
// bytes or be kept: the encoder only reads it while appending to the output.
func b2s(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

const hexDigits = "0123456789abcdef"

// appendStringBody appends s escaped for a JSON string, without the quotes.
//
// json-iterator's WriteString copies bytes >= 0x80 through unchecked, so
// invalid UTF-8 in a line would make invalid JSON text (RFC 8259 requires
// UTF-8). This writer does what encoding/json does instead: every byte that
// is not part of a valid UTF-8 sequence becomes U+FFFD, control characters
// become \n, \r, \t or \u00XX, and '"' and '\' are backslash-escaped.
func appendStringBody(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		// Skip 8 plain ASCII bytes at a time (most of a log line).
		for i+8 <= len(s) && plain8(binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))) {
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf && plain[c] {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		i++
		start = i
	}
	return append(b, s[start:]...)
}

// plain tells the ASCII bytes that are copied as they are.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plain8 reports whether the 8 bytes in x are all plain ASCII: no byte with
// the high bit, under 0x20, '"' or '\\' (SWAR: a byte b is flagged by
// (b - k) & ^b & 0x80 when b < k, and by the zero test on x ^ c when b == c).
func plain8(x uint64) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	less20 := (x - 0x20*ones) & ^x
	quote := x ^ ('"' * ones)
	bslash := x ^ ('\\' * ones)
	zeroQ := (quote - ones) & ^quote
	zeroB := (bslash - ones) & ^bslash
	return (x|less20|zeroQ|zeroB)&highs == 0
}

// appendString appends s as a quoted JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendStringBody(b, s)
	return append(b, '"')
}

// maxDepth bounds the nesting of objects the writer tracks.
const maxDepth = 8

// writer appends one JSON object to a byte slice. Objects are opened lazily:
// open only records the key, and the object is written with its first field,
// so an object that gets no field is not written at all.
type writer struct {
	b       []byte
	depth   int // levels open (0 = the root object)
	written int // levels whose '{' has been written
	keys    [maxDepth]string
	more    [maxDepth + 1]bool // the level already has a field: next one needs a comma
}

// open starts the object key inside the current one (written lazily).
func (w *writer) open(key string) {
	w.depth++
	w.keys[w.depth-1] = key
	w.more[w.depth] = false
}

// close ends the current object, if it was written.
func (w *writer) close() {
	if w.written == w.depth {
		w.b = append(w.b, '}')
		w.written--
	}
	w.depth--
}

// begin writes the pending object openings and a comma when needed.
func (w *writer) begin() {
	for w.written < w.depth {
		w.sep()
		w.b = append(w.b, '"')
		w.b = append(w.b, w.keys[w.written]...)
		w.b = append(w.b, '"', ':', '{')
		w.written++
	}
	w.sep()
}

// key starts a field: "k": (k is a constant that needs no escaping).
func (w *writer) key(k string) {
	w.begin()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

// rawKey starts a field whose `"name":` was escaped beforehand.
func (w *writer) rawKey(k []byte) {
	w.begin()
	w.b = append(w.b, k...)
}

func (w *writer) sep() {
	if w.more[w.written] {
		w.b = append(w.b, ',')
	}
	w.more[w.written] = true
}

// str writes a string field; empty values are omitted.
func (w *writer) str(k, v string) {
	if v == "" {
		return
	}
	w.key(k)
	w.b = appendString(w.b, v)
}

// bytes writes a byte-slice field as a string; nil/empty values are omitted.
func (w *writer) bytes(k string, v []byte) {
	if len(v) == 0 {
		return
	}
	w.key(k)
	w.b = appendString(w.b, b2s(v))
}

// lit writes a string that needs no escaping (constants).
func (w *writer) lit(k, v string) {
	w.key(k)
	w.b = append(w.b, '"')
	w.b = append(w.b, v...)
	w.b = append(w.b, '"')
}

// int writes an integer field; Unset (-1) is omitted.
func (w *writer) int(k string, v int) {
	if v == unset {
		return
	}
	w.key(k)
	w.b = strconv.AppendInt(w.b, int64(v), 10)
}

func (w *writer) int64(k string, v int64) {
	if v == unset {
		return
	}
	w.key(k)
	w.b = strconv.AppendInt(w.b, v, 10)
}

func (w *writer) bool(k string, v bool) {
	w.key(k)
	if v {
		w.b = append(w.b, "true"...)
	} else {
		w.b = append(w.b, "false"...)
	}
}

// array writes a string array (empty strings kept: a missing captured
// header is logged as an empty value and keeps its position).
func (w *writer) array(k string, vs [][]byte) {
	w.key(k)
	w.b = append(w.b, '[')
	for i, v := range vs {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendString(w.b, b2s(v))
	}
	w.b = append(w.b, ']')
}

// time writes t in UTC with layout; a custom layout's output is escaped.
func (w *writer) time(k string, t time.Time, layout string, custom bool) {
	w.key(k)
	w.timeValue(t, layout, custom)
}

func (w *writer) timeValue(t time.Time, layout string, custom bool) {
	w.b = append(w.b, '"')
	start := len(w.b)
	w.b = t.UTC().AppendFormat(w.b, layout)
	if custom && needsEscape(w.b[start:]) {
		// Rare (a layout with quotes or control bytes): copy and escape.
		text := string(w.b[start:])
		w.b = appendStringBody(w.b[:start], text)
	}
	w.b = append(w.b, '"')
}

func needsEscape(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}
