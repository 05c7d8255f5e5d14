package es

import (
	"testing"
	"time"
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
