package output

import (
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// benchChunk is a realistic tail chunk: 1,000 records of mixed HTTP, TCP
// and event lines from the corpus, [[EventTime,{}],{"log": line}] with
// map32 headers.
func benchChunk(b testing.TB) []byte {
	lines := corpusLines(b, "*.raw.log")
	var data []byte
	t0 := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	for i := 0; i < 1000; i++ {
		data = tailRecord(data, t0.Add(time.Duration(i)*time.Millisecond), lines[(i*7)%len(lines)])
	}
	return data
}

func BenchmarkFlush(b *testing.B) {
	data := benchChunk(b)
	in, _ := newTestInstance(b, nil, discardSink{})
	if rc := in.Flush(data, "haproxy"); rc != sink.OK {
		b.Fatal(rc)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in.Flush(data, "haproxy")
	}
	reportPerRecord(b, 1000)
}

func reportPerRecord(b *testing.B, records int) {
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(records)
	b.ReportMetric(ns, "ns/record")
	b.ReportMetric(1e9/ns, "records/s")
}

// BenchmarkFlushNoDecode is the same chunk with Log_Key naming a key that is
// absent: every record is passed through as JSON (chunk reading + JSON only,
// the same work as BenchmarkFluentBitGo).
func BenchmarkFlushNoDecode(b *testing.B) {
	data := benchChunk(b)
	in, _ := newTestInstance(b, map[string]string{"log_key": "absent"}, discardSink{})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in.Flush(data, "haproxy")
	}
	reportPerRecord(b, 1000)
}
