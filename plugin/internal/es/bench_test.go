package es

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// BenchmarkBuildBody measures the per-document cost of the _bulk body
// (logstash index name, generated _id, action line, document copy).
func BenchmarkBuildBody(b *testing.B) {
	c, err := ParseConfig(getter(map[string]string{"Logstash_Format": "on", "Generate_ID": "on"}))
	if err != nil {
		b.Fatal(err)
	}
	batch := realDocs(1000, time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC))
	var r request
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := indexNamer{cfg: &c}
		var idBuf [36]byte
		r.reset()
		for j := range batch.Docs {
			d := &batch.Docs[j]
			var id []byte
			if c.GenerateID {
				id = appendGeneratedID(idBuf[:0], d.JSON)
			}
			r.add(c.Operation, n.name(d), "", id, d.JSON)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(batch.Docs)), "ns/doc")
}

func BenchmarkBuildBodyNoID(b *testing.B) {
	c, _ := ParseConfig(getter(map[string]string{"Logstash_Format": "on"}))
	batch := realDocs(1000, time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC))
	var r request
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := indexNamer{cfg: &c}
		r.reset()
		for j := range batch.Docs {
			d := &batch.Docs[j]
			r.add(c.Operation, n.name(d), "", nil, d.JSON)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(batch.Docs)), "ns/doc")
}

// BenchmarkWrite is one Write of a Fluent Bit-sized chunk (8,500 documents
// shaped like the encoder's, ~11 MB of NDJSON) to a node that answers at
// once (httptest, in this process: its own allocations, a few KB per
// request, are in B/op), so that the figure is the sink's own work:
// building the bodies, sending them, reading every item of the responses.
// body-bytes is the request buffer the sink keeps between chunks:
// ES_Bulk_Size bounds it whatever the chunk size.
//
//	go test -run '^$' -bench Write -benchmem ./plugin/internal/es/
func BenchmarkWrite(b *testing.B) {
	const docs = 8500
	batch := realDocs(docs, time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC))
	const item = `{"create":{"status":201}},`
	items := []byte(strings.Repeat(item, docs))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Write([]byte(`{"version":{"number":"8.15.0"}}`))
			return
		}
		var lines lineCounter
		io.Copy(&lines, r.Body)
		w.Write([]byte(`{"errors":false,"items":[`))
		w.Write(items[:int(lines)/2*len(item)-1])
		w.Write([]byte(`]}`))
	}))
	defer srv.Close()
	for _, size := range []string{"5M", "False"} {
		b.Run("ES_Bulk_Size="+size, func(b *testing.B) {
			cfg, err := ParseConfig(getter(map[string]string{"ES_Hosts": srv.URL, "ES_Bulk_Size": size, "Generate_ID": "on"}))
			if err != nil {
				b.Fatal(err)
			}
			s, err := New(cfg, &memLog{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			bodyBytes := 0
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if res := s.Write(batch); res.Code != sink.OK || res.Delivered != docs {
					b.Fatalf("%+v", res)
				}
				w := chunkPool.Get().(*chunkWrite)
				bodyBytes = max(bodyBytes, cap(w.req.body))
				chunkPool.Put(w)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*docs), "ns/doc")
			b.ReportMetric(float64(bodyBytes), "body-bytes")
		})
	}
}

// lineCounter counts the newlines written to it.
type lineCounter int

func (c *lineCounter) Write(p []byte) (int, error) {
	*c += lineCounter(bytes.Count(p, []byte("\n")))
	return len(p), nil
}
