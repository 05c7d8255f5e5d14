package output

import (
	"regexp"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/tailchunk"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// partSink is a sink.PartSink that keeps what it is given (keep) or only
// counts it.
type partSink struct {
	keep         bool
	begins, ends int
	tag          string
	parts        []int // documents per Add
	partBytes    []int // JSON bytes per Add
	docs, ids    []string
	delivered    int
}

func (p *partSink) Write(b *sink.Batch) sink.Result { panic("a part sink gets parts, not batches") }
func (p *partSink) Close() error                    { return nil }
func (p *partSink) Begin(tag string) sink.Part {
	p.begins++
	p.tag = tag
	return p
}

func (p *partSink) Add(docs []sink.Doc) {
	n := 0
	for _, d := range docs {
		n += len(d.JSON)
		if p.keep {
			p.docs = append(p.docs, string(d.JSON))
			p.ids = append(p.ids, string(d.ID))
		}
	}
	p.parts = append(p.parts, len(docs))
	p.partBytes = append(p.partBytes, n)
	p.delivered += len(docs)
}

func (p *partSink) End() sink.Result {
	p.ends++
	return sink.Result{Code: sink.OK, Delivered: p.delivered}
}

// A chunk far larger than partAt reaches a part sink in several parts of
// bounded size, begun and ended once, with the documents (and their Id_Key
// values) a batch sink gets.
func TestFlushPartsMatchBatch(t *testing.T) {
	lines := corpus.Lines(t, "*.raw.log")
	data := bigChunk(lines, 7, 3000) // ~3.8 MB of JSON
	props := map[string]string{"id_key": "i"}
	cs := &captureSink{}
	ref, _ := newTestInstance(t, props, cs)
	if rc := ref.Flush(data, "t"); rc != sink.OK {
		t.Fatal(rc)
	}
	ps := &partSink{keep: true}
	in, log := newTestInstance(t, props, ps)
	if rc := in.Flush(data, "tag.x"); rc != sink.OK {
		t.Fatalf("rc %d: %s", rc, log)
	}
	if ps.begins != 1 || ps.ends != 1 || ps.tag != "tag.x" || len(ps.parts) < 3 {
		t.Fatalf("%d begins, %d ends, tag %q, parts %v: want one chunk in several parts", ps.begins, ps.ends, ps.tag, ps.parts)
	}
	for i, n := range ps.partBytes {
		if n > partAt+batchLen*8<<10 {
			t.Errorf("part %d holds %d bytes of JSON", i, n)
		}
	}
	want := cs.batches[0]
	for _, docs := range [][]string{ps.docs, want.docs} {
		for i := range docs {
			docs[i] = sameOutageIDs(docs[i])
		}
	}
	if strings.Join(ps.docs, "\n") != strings.Join(want.docs, "\n") || strings.Join(ps.ids, ",") != strings.Join(want.id, ",") {
		for i := range ps.docs {
			if ps.docs[i] != want.docs[i] || ps.ids[i] != want.id[i] {
				t.Fatalf("document %d differs: id %q, want %q:\n%s\nwant\n%s", i, ps.ids[i], want.id[i], ps.docs[i], want.docs[i])
			}
		}
		t.Fatalf("the parts' %d documents differ from the batch's %d", len(ps.docs), len(want.docs))
	}
}

// A flush to a part sink allocates the same for a 64 KB and a 2 MB chunk.
func TestFlushPartsMemoryFlat(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items: allocation counts mean nothing")
	}
	small, _ := hostChunk(t, 64<<10)
	big, _ := hostChunk(t, tailchunk.MaxSize)
	in, _ := newTestInstance(t, nil, &partSink{})
	in.Flush(big, "t")
	bs, bb := bytesPerFlush(in, small, 20), bytesPerFlush(in, big, 5)
	for i := 0; i < 2; i++ {
		bs, bb = min(bs, bytesPerFlush(in, small, 20)), min(bb, bytesPerFlush(in, big, 5))
	}
	t.Logf("bytes allocated per flush: 64 KB chunk %.0f, 2 MB chunk %.0f", bs, bb)
	if bb > bs+4096 || bb > 16<<10 {
		t.Errorf("a 2 MB chunk allocates %.0f bytes per flush, a 64 KB one %.0f: memory grows with the chunk", bb, bs)
	}
}

// A chunk found unreadable after parts were handed over is dropped, its
// part ended (what was handed over stays delivered) and the log says so.
func TestFlushPartsCorruptTail(t *testing.T) {
	lines := corpus.Lines(t, "*.raw.log")
	data := append(bigChunk(lines, 1, 1500), 0x92, 0xd7, 0x00, 0x01) // a truncated record
	ps := &partSink{}
	in, log := newTestInstance(t, nil, ps)
	if rc := in.Flush(data, "t"); rc != sink.Error {
		t.Fatalf("rc %d", rc)
	}
	if ps.begins != 1 || ps.ends != 1 || ps.delivered == 0 {
		t.Fatalf("%d begins, %d ends, %d handed over", ps.begins, ps.ends, ps.delivered)
	}
	if s := log.String(); !strings.Contains(s, "sent to the destination already") {
		t.Errorf("log: %s", s)
	}
	ps.delivered = 0
	if rc := in.Flush(bigChunk(lines, 2, 10), "t"); rc != sink.OK || ps.begins != 2 || ps.ends != 2 || ps.delivered != 10 {
		t.Fatalf("after: rc %d, %d begins, %d ends, %d delivered", rc, ps.begins, ps.ends, ps.delivered)
	}
}

var outageID = regexp.MustCompile(`"outage":\{([^{}]*)"id":"[0-9a-f]{16}"`)

// sameOutageIDs replaces the outage ids in documents: an outage's id is
// drawn per instance, so two instances given the same records differ there.
func sameOutageIDs(docs string) string {
	return outageID.ReplaceAllString(docs, `"outage":{$1"id":"(drawn)"`)
}
