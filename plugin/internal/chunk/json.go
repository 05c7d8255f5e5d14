package chunk

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
	"github.com/tinylib/msgp/msgp"
)

// MaxDepth is how deeply maps and arrays may nest in AppendJSON; a value
// nested deeper is written as null.
const MaxDepth = 64

// ErrInvalid is returned by AppendJSON for bytes that are not msgpack.
var ErrInvalid = errors.New("chunk: invalid msgpack value")

// AppendJSON converts one msgpack value at the start of value to JSON,
// appended to dst, and returns the bytes after it. It allocates nothing once
// dst is large enough.
//
// Conversions:
//   - str and bin: JSON strings escaped by encode.AppendString (invalid
//     UTF-8 becomes U+FFFD; control characters, '"' and '\' are escaped);
//   - int, uint: integers; float32/64: shortest representation, NaN and
//     ±Inf as null;
//   - bool, nil: true/false, null;
//   - map: object; keys that are not str/bin are written as the JSON text
//     of their value inside a string (1 → "1", nil → "null");
//   - array: array; maps/arrays nested deeper than MaxDepth are null;
//   - ext type 0 with 8 bytes (Fluent Bit EventTime) and ext -1 (msgpack
//     timestamp): an RFC 3339 string in UTC with nanoseconds;
//   - any other ext: null.
//
// On error part of the value may already be appended: discard out.
func AppendJSON(dst, value []byte) (out, rest []byte, err error) {
	return appendValue(dst, value, 0, 0)
}

// AppendJSONReplaceDots is AppendJSON with the dots of every object key, at
// any depth, written as underscores (Fluent Bit's Replace_Dots).
func AppendJSONReplaceDots(dst, value []byte) (out, rest []byte, err error) {
	return appendValue(dst, value, 0, modeDots)
}

// Modes of appendValue.
const (
	modeDots  = 1 << iota // object keys: dots become underscores
	modeInKey             // the value is a map key's text (see appendKeyText)
)

func appendValue(dst, b []byte, depth int, mode uint8) ([]byte, []byte, error) {
	if len(b) == 0 {
		return dst, b, msgp.ErrShortBytes
	}
	switch msgp.NextType(b) {
	case msgp.StrType, msgp.BinType:
		s, rest, ok := readText(b)
		if !ok {
			return dst, b, msgp.ErrShortBytes
		}
		return encode.AppendString(dst, s), rest, nil
	case msgp.IntType:
		i, rest, err := msgp.ReadInt64Bytes(b)
		if err != nil {
			return dst, b, err
		}
		return strconv.AppendInt(dst, i, 10), rest, nil
	case msgp.UintType:
		u, rest, err := msgp.ReadUint64Bytes(b)
		if err != nil {
			return dst, b, err
		}
		return strconv.AppendUint(dst, u, 10), rest, nil
	case msgp.Float64Type:
		f, rest, err := msgp.ReadFloat64Bytes(b)
		if err != nil {
			return dst, b, err
		}
		return appendFloat(dst, f, 64), rest, nil
	case msgp.Float32Type:
		f, rest, err := msgp.ReadFloat32Bytes(b)
		if err != nil {
			return dst, b, err
		}
		return appendFloat(dst, float64(f), 32), rest, nil
	case msgp.BoolType:
		v, rest, err := msgp.ReadBoolBytes(b)
		if err != nil {
			return dst, b, err
		}
		return strconv.AppendBool(dst, v), rest, nil
	case msgp.NilType:
		return append(dst, "null"...), b[1:], nil
	case msgp.MapType:
		if depth >= MaxDepth {
			rest, err := msgp.Skip(b)
			return append(dst, "null"...), rest, err
		}
		n, p, err := msgp.ReadMapHeaderBytes(b)
		if err != nil {
			return dst, b, err
		}
		dst = append(dst, '{')
		for i := uint32(0); i < n; i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, p, err = appendKey(dst, p, mode); err != nil {
				return dst, b, err
			}
			dst = append(dst, ':')
			if dst, p, err = appendValue(dst, p, depth+1, mode); err != nil {
				return dst, b, err
			}
		}
		return append(dst, '}'), p, nil
	case msgp.ArrayType:
		if depth >= MaxDepth {
			rest, err := msgp.Skip(b)
			return append(dst, "null"...), rest, err
		}
		n, p, err := msgp.ReadArrayHeaderBytes(b)
		if err != nil {
			return dst, b, err
		}
		dst = append(dst, '[')
		for i := uint32(0); i < n; i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, p, err = appendValue(dst, p, depth+1, mode); err != nil {
				return dst, b, err
			}
		}
		return append(dst, ']'), p, nil
	case msgp.ExtensionType, msgp.TimeType, msgp.Complex64Type, msgp.Complex128Type:
		typ, data, rest, err := readExt(b)
		if err != nil {
			return dst, b, err
		}
		var t time.Time
		ok := false
		if typ == 0 && len(data) == 8 {
			t, ok = time.Unix(int64(uint32(be32(data))), int64(be32(data[4:]))), true
		} else {
			t, ok = extTime(typ, data)
		}
		if !ok {
			return append(dst, "null"...), rest, nil
		}
		dst = append(dst, '"')
		dst = t.UTC().AppendFormat(dst, time.RFC3339Nano)
		return append(dst, '"'), rest, nil
	}
	return dst, b, ErrInvalid
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// appendKey writes an object key (without the colon); with modeDots, its
// dots become underscores (a '.' is never part of an escape sequence).
func appendKey(dst, b []byte, mode uint8) ([]byte, []byte, error) {
	start := len(dst)
	dst, rest, err := appendKeyText(dst, b, mode&modeInKey != 0)
	if mode&modeDots != 0 && err == nil {
		for i := start; i < len(dst); i++ {
			if dst[i] == '.' {
				dst[i] = '_'
			}
		}
	}
	return dst, rest, err
}

func appendKeyText(dst, b []byte, inKey bool) ([]byte, []byte, error) {
	switch msgp.NextType(b) {
	case msgp.StrType, msgp.BinType:
		s, rest, ok := readText(b)
		if !ok {
			return dst, b, msgp.ErrShortBytes
		}
		return encode.AppendString(dst, s), rest, nil
	}
	switch msgp.NextType(b) {
	case msgp.IntType, msgp.UintType, msgp.Float64Type, msgp.Float32Type, msgp.BoolType, msgp.NilType:
		// Scalar text needs no escaping: quote it.
		dst = append(dst, '"')
		dst, rest, err := appendValue(dst, b, MaxDepth-1, 0)
		if err != nil {
			return dst, b, err
		}
		return append(dst, '"'), rest, nil
	}
	// A map, array or ext key: its JSON text, escaped as a string (rare:
	// this allocates). Inside that text, such a key is "null": each level
	// of keys within keys would escape the text once more, doubling its
	// backslashes (a record of nested map keys grew without bound).
	if inKey {
		rest, err := msgp.Skip(b)
		if err != nil {
			return dst, b, err
		}
		return append(dst, `"null"`...), rest, nil
	}
	start := len(dst)
	dst, rest, err := appendValue(dst, b, MaxDepth-1, modeInKey)
	if err != nil {
		return dst, b, err
	}
	text := append([]byte(nil), dst[start:]...)
	dst = encode.AppendString(dst[:start], text)
	return dst, rest, nil
}

// appendFloat writes f as encoding/json does (NaN/Inf as null).
func appendFloat(dst []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	n := len(dst)
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if format == 'e' {
		// clean up e-09 to e-9
		m := len(dst) - n
		if m >= 4 && dst[len(dst)-4] == 'e' && dst[len(dst)-3] == '-' && dst[len(dst)-2] == '0' {
			dst[len(dst)-2] = dst[len(dst)-1]
			dst = dst[:len(dst)-1]
		}
	}
	return dst
}
