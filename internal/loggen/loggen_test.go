package loggen

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// The generated lines decode as the corpus lines they come from, at their
// own times, and the HTTP ones that reached a server took longer.
func TestWrite(t *testing.T) {
	src, err := CorpusLines(corpus.Root(t))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	n := 2*len(src) + 7
	var buf bytes.Buffer
	if err := Write(&buf, src, Options{Lines: n, Start: start, Step: time.Second, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	out := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(out) != n {
		t.Fatalf("%d lines, want %d", len(out), n)
	}
	dec := decode.Decoder{Location: time.UTC}
	var orig, gen decode.Entry
	slower := 0
	for i, l := range out {
		dec.Decode(&orig, []byte(src[i%len(src)]), start)
		dec.Decode(&gen, []byte(l), start)
		if gen.Type != orig.Type || gen.Event != orig.Event || string(gen.Backend) != string(orig.Backend) {
			t.Fatalf("line %d: %v/%v, from %v/%v:\n%s", i, gen.Type, gen.Event, orig.Type, orig.Event, l)
		}
		at := start.Add(time.Duration(i) * time.Second)
		if gen.HeaderTimeOK && !gen.HeaderTime.Equal(at) {
			t.Fatalf("line %d: header time %v, want %v", i, gen.HeaderTime, at)
		}
		got := gen.RequestDate
		if gen.Type == decode.LogCLF {
			got = got.Truncate(time.Second) // CLF writes the milliseconds in a field of their own, kept
		}
		if gen.RequestDateOK && !got.Equal(at) {
			t.Fatalf("line %d: request date %v, want %v", i, gen.RequestDate, at)
		}
		if gen.Tr != orig.Tr {
			if orig.Tr < 0 || gen.Tr < orig.Tr || gen.Ta-orig.Ta != gen.Tr-orig.Tr {
				t.Fatalf("line %d: Tr %d Ta %d from %d %d", i, gen.Tr, gen.Ta, orig.Tr, orig.Ta)
			}
			slower++
		}
		if orig.Type == decode.LogTCP && (gen.Ta != orig.Ta || gen.SrvConn != orig.SrvConn) {
			t.Fatalf("line %d: a TCP line changed:\n%s\n%s", i, src[i%len(src)], l)
		}
	}
	if slower < n/10 {
		t.Errorf("only %d of %d lines have their times spread", slower, n)
	}
	var again bytes.Buffer
	Write(&again, src, Options{Lines: n, Start: start, Step: time.Second, Seed: 3})
	if again.String() != buf.String() {
		t.Errorf("the same seed made another log")
	}
}
