package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/loggen"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/tailchunk"
)

// benchLines are 100,000 lines in a busy proxy's mix (19 requests for one
// event), made from the corpus.
func benchLines(b *testing.B) [][]byte {
	src, err := tailchunk.Lines(corpus.Root(b), 100_000)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	loggen.Write(&buf, src, loggen.Options{Lines: 100_000, Start: time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC),
		Step: 10 * time.Millisecond, Seed: 1})
	return corpus.Bytes(strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n"))
}

// BenchmarkDecodeAdd is the report's work per line: decode, then count.
func BenchmarkDecodeAdd(b *testing.B) {
	lines := benchLines(b)
	r := New()
	var dec decode.Decoder
	var e decode.Entry
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		dec.Decode(&e, lines[i%len(lines)], now)
		r.Count(&e)
		r.Follow(&e, now)
	}
}

// BenchmarkDecode is the decoding alone, for comparison.
func BenchmarkDecode(b *testing.B) {
	lines := benchLines(b)
	var dec decode.Decoder
	var e decode.Entry
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		dec.Decode(&e, lines[i%len(lines)], now)
	}
}

// BenchmarkCount is the counting alone, on 10,000 lines decoded before.
func BenchmarkCount(b *testing.B) {
	lines := benchLines(b)[:10_000]
	entries := make([]decode.Entry, len(lines))
	var dec decode.Decoder
	for i, l := range lines {
		dec.Decode(&entries[i], l, time.Now())
	}
	r := New()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		r.Count(&entries[i%len(entries)])
	}
}
