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

// Text returns the bytes of a msgpack str or bin value, ok=false for any
// other type.
func Text(v []byte) ([]byte, bool) {
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
