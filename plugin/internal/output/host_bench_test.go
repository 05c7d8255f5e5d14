package output

import (
	"runtime"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/tailchunk"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// hostChunk is the first chunk of tailchunk's input cut at max bytes (see
// internal/tailchunk: rsyslog-framed traffic mix, in_tail's layout), and its
// record count.
func hostChunk(tb testing.TB, max int) ([]byte, int) {
	lines, err := tailchunk.Lines(corpus.Root(tb), 20_000)
	if err != nil {
		tb.Fatal(err)
	}
	var data []byte
	records := 0
	stop := errStop{}
	err = tailchunk.Chunks(lines, max, func(c []byte, n int) error {
		data, records = append([]byte(nil), c...), n
		return stop
	})
	if err != stop {
		tb.Fatalf("no chunk of %d bytes from %d lines: %v", max, len(lines), err)
	}
	return data, records
}

type errStop struct{}

func (errStop) Error() string { return "stop" }

// BenchmarkFlushHost flushes chunks as Fluent Bit hands them to an output:
// "2MB" is a whole chunk of tail's (tailchunk.MaxSize, about 8,500
// records), "64KB" a small one, both written by Destination file to
// /dev/null, so that the sink's own work is in the figure; "2MB-parts" is
// the 2 MB chunk handed in parts to a sink.PartSink that only counts them
// (Elasticsearch's path without its requests). Run it long enough for the
// collector to run (-benchtime 5s): gc/op is the number of collections per
// flush. B/op must not grow with the chunk.
//
//	go test -run '^$' -bench FlushHost -benchmem -benchtime 5s -cpu 1 ./plugin/internal/output/
func BenchmarkFlushHost(b *testing.B) {
	for _, size := range []struct {
		name  string
		max   int
		parts bool
	}{{"64KB", 64 << 10, false}, {"2MB", tailchunk.MaxSize, false}, {"2MB-parts", tailchunk.MaxSize, true}} {
		b.Run(size.name, func(b *testing.B) {
			data, records := hostChunk(b, size.max)
			var s sink.Sink = &partSink{}
			if !size.parts {
				fs, err := NewFileSink("/dev/null")
				if err != nil {
					b.Fatal(err)
				}
				s = fs
			}
			in, _ := newTestInstance(b, nil, s)
			defer in.Close()
			if rc := in.Flush(data, "haproxy"); rc != sink.OK {
				b.Fatal(rc)
			}
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				in.Flush(data, "haproxy")
			}
			b.StopTimer()
			runtime.ReadMemStats(&m1)
			reportPerRecord(b, records)
			b.ReportMetric(float64(m1.NumGC-m0.NumGC)/float64(b.N), "gc/op")
			b.ReportMetric(float64(records), "records/op")
		})
	}
}
