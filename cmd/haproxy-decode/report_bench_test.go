package main

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/loggen"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/tailchunk"
)

// benchLog is n lines as test/bench/report.sh makes them (a busy proxy's
// mix, one process), in memory.
func benchLog(b *testing.B, n int) []byte {
	src, err := tailchunk.Lines(corpus.Root(b), n)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	err = loggen.Write(&buf, src, loggen.Options{Lines: n, Seed: 1, Step: 10 * time.Millisecond, PID: 3356,
		Start: time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkReport is the whole "haproxy-decode report" over 200,000 lines
// (reading, decoding on every core, counting, the tracker, the text), per
// line: the profile `make pgo` takes for the CLI.
func BenchmarkReport(b *testing.B) {
	const n = 200_000
	log := benchLog(b, n)
	b.SetBytes(int64(len(log)) / n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += n {
		if status := runReport(nil, bytes.NewReader(log), io.Discard, io.Discard); status != 0 {
			b.Fatalf("status %d", status)
		}
	}
}
