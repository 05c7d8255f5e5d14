package chunk

import (
	"github.com/tinylib/msgp/msgp"
)

// MapIter walks the key/value pairs of a raw msgpack map without copying.
//
//	it := chunk.NewMapIter(rec.Body)
//	for it.Next() { it.Key(); it.Value() }
//	if it.Err() != nil { ... }
type MapIter struct {
	b        []byte
	n        uint32
	key, val []byte
	keyStr   bool
	err      error
}

// NewMapIter starts iterating over the map m (raw msgpack).
func NewMapIter(m []byte) MapIter {
	n, rest, err := msgp.ReadMapHeaderBytes(m)
	return MapIter{b: rest, n: n, err: err}
}

// Len is the number of pairs left (including the current one's successors).
func (it *MapIter) Len() int { return int(it.n) }

// Next moves to the next pair.
func (it *MapIter) Next() bool {
	if it.err != nil || it.n == 0 {
		return false
	}
	it.n--
	b := it.b
	// Fast path: a text key and a text value (what records mostly hold).
	if k, rest, ok := readText(b); ok {
		if n, ok := textSize(rest); ok {
			it.key, it.keyStr = k, true
			it.val, it.b = rest[:n], rest[n:]
			return true
		}
	}
	switch msgp.NextType(b) {
	case msgp.StrType:
		it.key, b, it.err = msgp.ReadStringZC(b)
		it.keyStr = true
	case msgp.BinType:
		it.key, b, it.err = msgp.ReadBytesZC(b)
		it.keyStr = true
	default:
		// A key that is not text: Key returns its raw msgpack encoding.
		var rest []byte
		rest, it.err = msgp.Skip(b)
		if it.err == nil {
			it.key = b[:len(b)-len(rest)]
		}
		b = rest
		it.keyStr = false
	}
	if it.err != nil {
		return false
	}
	rest, err := msgp.Skip(b)
	if err != nil {
		it.err = err
		return false
	}
	it.val = b[:len(b)-len(rest)]
	it.b = rest
	return true
}

// Key is the current key: the text of a string or binary key, or the raw
// msgpack of another kind of key (see KeyIsString).
func (it *MapIter) Key() []byte { return it.key }

// KeyIsString reports whether Key is text (msgpack str or bin).
func (it *MapIter) KeyIsString() bool { return it.keyStr }

// Value is the current value, raw msgpack.
func (it *MapIter) Value() []byte { return it.val }

// Err is the error that stopped the iteration, if any.
func (it *MapIter) Err() error { return it.err }

// OnePair returns the key and value of m when m is a map of exactly one
// pair whose key and value are text (str or bin): what tail writes,
// {"log": line}. ok is false for anything else.
func OnePair(m []byte) (key, val []byte, ok bool) {
	var p []byte
	switch {
	case len(m) >= 1 && m[0] == 0x81:
		p = m[1:]
	case len(m) >= 3 && m[0] == 0xde && m[1] == 0 && m[2] == 1:
		p = m[3:]
	case len(m) >= 5 && m[0] == 0xdf && m[1]|m[2]|m[3] == 0 && m[4] == 1:
		p = m[5:]
	default:
		return nil, nil, false
	}
	key, p, ok = readText(p)
	if !ok {
		return nil, nil, false
	}
	val, p, ok = readText(p)
	if !ok || len(p) != 0 {
		return nil, nil, false
	}
	return key, val, true
}

// Lookup returns the raw value of the first string key equal to key in the
// map m, or nil.
func Lookup(m []byte, key string) []byte {
	it := NewMapIter(m)
	for it.Next() {
		if it.keyStr && string(it.key) == key {
			return it.val
		}
	}
	return nil
}

// textSize returns the size of the str or bin value at the start of b
// (header included); ok is false for another type or a truncated value.
func textSize(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n, hdr int
	switch c := b[0]; {
	case c >= 0xa0 && c <= 0xbf: // fixstr
		n, hdr = int(c&0x1f), 1
	case c == 0xd9, c == 0xc4: // str8, bin8
		if len(b) < 2 {
			return 0, false
		}
		n, hdr = int(b[1]), 2
	case c == 0xda, c == 0xc5: // str16, bin16
		if len(b) < 3 {
			return 0, false
		}
		n, hdr = int(b[1])<<8|int(b[2]), 3
	case c == 0xdb, c == 0xc6: // str32, bin32
		if len(b) < 5 {
			return 0, false
		}
		n, hdr = int(b[1])<<24|int(b[2])<<16|int(b[3])<<8|int(b[4]), 5
	default:
		return 0, false
	}
	if len(b)-hdr < n {
		return 0, false
	}
	return hdr + n, true
}

// readText reads a str or bin value without copying; ok is false for
// another type or a truncated value (the callers then use msgp, which says
// why).
func readText(b []byte) (text, rest []byte, ok bool) {
	size, ok := textSize(b)
	if !ok {
		return nil, b, false
	}
	hdr := 1
	switch b[0] {
	case 0xd9, 0xc4:
		hdr = 2
	case 0xda, 0xc5:
		hdr = 3
	case 0xdb, 0xc6:
		hdr = 5
	}
	return b[hdr:size:size], b[size:], true
}

// Text returns the bytes of a msgpack str or bin value, ok=false for any
// other type.
func Text(v []byte) ([]byte, bool) {
	if s, _, ok := readText(v); ok {
		return s, true
	}
	switch msgp.NextType(v) {
	case msgp.StrType:
		s, _, err := msgp.ReadStringZC(v)
		return s, err == nil
	case msgp.BinType:
		s, _, err := msgp.ReadBytesZC(v)
		return s, err == nil
	}
	return nil, false
}
