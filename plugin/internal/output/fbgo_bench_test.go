//go:build cgo

package output

import (
	"encoding/json"
	"testing"
	"unsafe"

	"github.com/fluent/fluent-bit-go/output"
)

// BenchmarkFluentBitGo is the usual way: fluent-bit-go's decoder
// (reflection into map[interface{}]interface{}) and encoding/json, without
// any HAProxy decoding. The baseline BenchmarkFlush is compared with.
func BenchmarkFluentBitGo(b *testing.B) {
	for _, mix := range benchMixes {
		b.Run(mix, func(b *testing.B) { benchFluentBitGo(b, benchChunk(b, mix)) })
	}
}

func benchFluentBitGo(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		dec := output.NewDecoder(unsafe.Pointer(&data[0]), len(data))
		for {
			ret, ts, rec := output.GetRecord(dec)
			if ret != 0 {
				break
			}
			m := make(map[string]any, len(rec)+1)
			for k, v := range rec {
				m[toString(k)] = convert(v)
			}
			if t, ok := ts.(output.FLBTime); ok {
				m["@timestamp"] = t.Time
			}
			out, err := json.Marshal(m)
			if err != nil {
				b.Fatal(err)
			}
			n += len(out)
		}
	}
	reportPerRecord(b, 1000)
	if n == 0 {
		b.Fatal("no output")
	}
}

func toString(k any) string {
	switch v := k.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

// convert turns []byte values into strings, recursively, as such plugins do.
func convert(v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[toString(k)] = convert(e)
		}
		return m
	case []any:
		for i := range x {
			x[i] = convert(x[i])
		}
		return x
	}
	return v
}
