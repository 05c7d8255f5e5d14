package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// FuzzFlush: any chunk is either converted, every document valid JSON, or
// refused with FLB_ERROR and a reason; never a panic (Flush recovers them,
// and says "internal error": that is a failure here) and never a hang. A
// line sink (stdout, file) and a part sink (Elasticsearch), which get the
// documents as they are encoded, get the same result and, on success, the
// same documents.
func FuzzFlush(f *testing.F) {
	raw := corpus.Lines(f, "*.raw.log")
	f.Add(tailRecord(nil, recTime, raw[0]))
	f.Add(newRecord(nil, recTime, []kv{{"log", raw[1]}, {"n", int64(1)}, {"nested", []kv{{"a.b", []any{1.5, nil, true}}}}}))
	f.Add(oldRecord(nil, recTime, []kv{{"pri", "134"}, {"host", "h"}, {"ident", "haproxy"}, {"pid", "1"}, {"message", raw[2]}}))
	f.Add(groupMarker(newRecord(nil, recTime, []kv{{"msg", []byte(raw[3])}}), 0xFFFFFFFF))
	f.Add(newRecord(nil, recTime, []kv{{"cpu", 0.5}}))
	cs := &captureSink{}
	props := map[string]string{"include_tag_key": "on", "replace_dots": "on", "id_key": "n"}
	in, log := newTestInstance(f, props, cs)
	var lines bytes.Buffer
	lin, _ := newTestInstance(f, props, NewLineSink(&lines, "buffer", nil))
	ps := &partSink{keep: true}
	pin, _ := newTestInstance(f, props, ps)
	f.Fuzz(func(t *testing.T, data []byte) {
		cs.batches = cs.batches[:0]
		log.lines = log.lines[:0]
		lines.Reset()
		ps.docs = ps.docs[:0]
		rc := in.Flush(data, "fuzz")
		if lrc := lin.Flush(data, "fuzz"); lrc != rc {
			t.Fatalf("rc %d, through a line sink %d", rc, lrc)
		}
		if prc := pin.Flush(data, "fuzz"); prc != rc {
			t.Fatalf("rc %d, through a part sink %d", rc, prc)
		}
		if rc == sink.OK {
			var want strings.Builder
			for _, b := range cs.batches {
				for _, d := range b.docs {
					want.WriteString(d + "\n")
				}
			}
			if sameOutageIDs(lines.String()) != sameOutageIDs(want.String()) {
				t.Fatalf("a line sink got other documents:\n%s\nwant\n%s", lines.String(), want.String())
			}
			if parts := strings.Join(ps.docs, "\n") + "\n"; len(ps.docs) > 0 && sameOutageIDs(parts) != sameOutageIDs(want.String()) {
				t.Fatalf("a part sink got other documents:\n%s\nwant\n%s", parts, want.String())
			}
		}
		if s := log.String(); strings.Contains(s, "internal error") {
			t.Fatalf("panic recovered: %s", s)
		}
		switch rc {
		case sink.OK:
			for _, b := range cs.batches {
				for _, d := range b.docs {
					if !json.Valid([]byte(d)) {
						t.Fatalf("invalid JSON: %s", d)
					}
				}
			}
		case sink.Error:
			if log.String() == "" {
				t.Fatal("refused without a reason")
			}
		default:
			t.Fatalf("rc %d", rc)
		}
	})
}
