package output

import (
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// Benchmark chunks: 1,000 tail records, [[EventTime,{}],{"log": line}] with
// map32 headers, of real corpus lines (RFC3164 framing stripped: raw).
//
// "corpus" takes every 7th line of the corpus as it is: about two thirds are
// operational events, because the corpus was made to exercise them.
// "traffic" is what a busy HAProxy writes: 19 traffic lines (http, https,
// tcp, clf) for 1 event line. Traffic lines cost more to explain.
var benchMixes = []string{"corpus", "traffic"}

func benchChunk(b testing.TB, mix string) []byte {
	lines := corpusLines(b, "*.raw.log")
	if mix == "traffic" {
		var traffic, events []string
		for _, l := range lines {
			if isTrafficLine(l) {
				traffic = append(traffic, l)
			} else {
				events = append(events, l)
			}
		}
		lines = lines[:0]
		for i := 0; i < 1000; i++ {
			if i%20 == 19 {
				lines = append(lines, events[(i/20)%len(events)])
			} else {
				lines = append(lines, traffic[(i*7)%len(traffic)])
			}
		}
	}
	var data []byte
	t0 := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	for i := 0; i < 1000; i++ {
		data = tailRecord(data, t0.Add(time.Duration(i)*time.Millisecond), lines[(i*7)%len(lines)])
	}
	return data
}

// isTrafficLine tells a traffic log ("ip:port [" or CLF "ip - - [") from
// an event, well enough to build the benchmark mix.
func isTrafficLine(l string) bool {
	i := strings.Index(l, " [")
	return i > 0 && i < 48 && !strings.Contains(l[:i], " (") && !strings.HasPrefix(l, "Connect ")
}

func BenchmarkFlush(b *testing.B) {
	for _, mix := range benchMixes {
		b.Run(mix, func(b *testing.B) {
			data := benchChunk(b, mix)
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
		})
	}
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
	data := benchChunk(b, "corpus")
	in, _ := newTestInstance(b, map[string]string{"log_key": "absent"}, discardSink{})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in.Flush(data, "haproxy")
	}
	reportPerRecord(b, 1000)
}
