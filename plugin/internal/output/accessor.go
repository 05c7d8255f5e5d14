package output

import (
	"github.com/tinylib/msgp/msgp"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/chunk"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/config"
)

// accessorSpan is the value that a (Id_Key, Logstash_Prefix_Key) names,
// given v, the value of its first key in the record: nil when the path is
// not in the record, as Fluent Bit's record accessor leaves it.
func (st *state) accessorSpan(v []byte, a *config.Accessor) span {
	v = walk(v, a.Steps[1:])
	if v == nil {
		return span{}
	}
	return st.valueSpan(v)
}

// walk follows steps down from the msgpack value v; nil when a step finds
// no map key, no array element, or bad msgpack.
func walk(v []byte, steps []config.Step) []byte {
	for _, s := range steps {
		if s.IsIndex {
			v = element(v, s.Index)
		} else {
			v = member(v, s.Key)
		}
		if v == nil {
			return nil
		}
	}
	return v
}

// member is the value under key in the map v (the first, if repeated).
func member(v []byte, key string) []byte {
	if msgp.NextType(v) != msgp.MapType {
		return nil
	}
	it := chunk.NewMapIter(v)
	for it.Next() {
		if it.KeyIsString() && string(it.Key()) == key {
			return it.Value()
		}
	}
	return nil
}

// element is the i-th element of the array v.
func element(v []byte, i int) []byte {
	n, rest, err := msgp.ReadArrayHeaderBytes(v)
	if err != nil || i >= int(n) {
		return nil
	}
	for ; i > 0; i-- {
		if rest, err = msgp.Skip(rest); err != nil {
			return nil
		}
	}
	end, err := msgp.Skip(rest)
	if err != nil {
		return nil
	}
	return rest[:len(rest)-len(end)]
}
