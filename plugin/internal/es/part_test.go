package es

import (
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// A chunk given in parts (Begin, Add, Add, End) is sent as Write would send
// it: one request while it fits ES_Bulk_Size, then as many as needed; an
// empty chunk sends nothing.
func TestPartsAsWrite(t *testing.T) {
	f, srv := newFake(t)
	s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL})
	var _ sink.PartSink = s
	p := s.Begin("t")
	p.Add(docs(`{"a":1}`, `{"a":2}`).Docs)
	p.Add(nil)
	p.Add(docs(`{"a":3}`).Docs)
	before := f.bulks.Load()
	if res := p.End(); res.Code != sink.OK || res.Delivered != 3 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	_, body := f.last("/_bulk")
	if n := strings.Count(string(body), `{"create":`); n != 3 || f.bulks.Load() != before+1 {
		t.Fatalf("%d documents in the last request, %d requests at End: want 3 in 1\n%s", n, f.bulks.Load()-before, body)
	}
	n := f.bulks.Load()
	if res := s.Begin("t").End(); res.Code != sink.OK || f.bulks.Load() != n {
		t.Fatalf("empty chunk: %+v, %d requests", res, f.bulks.Load()-n)
	}

	small, _ := newSink(t, map[string]string{"ES_Hosts": srv.URL, "ES_Bulk_Size": "100"})
	p = small.Begin("t")
	for i := 0; i < 3; i++ {
		p.Add(docs(`{"padding":"`+strings.Repeat("x", 60)+`"}`, `{"padding":"`+strings.Repeat("y", 60)+`"}`).Docs)
	}
	n = f.bulks.Load()
	if res := p.End(); res.Code != sink.OK || res.Delivered != 6 || f.bulks.Load()-n < 1 {
		t.Fatalf("ES_Bulk_Size 100: %+v, %d requests", res, f.bulks.Load()-n)
	}
}
