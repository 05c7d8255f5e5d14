package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// syncBuffer is a bytes.Buffer safe for the logger and the benchmark.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var rfc3164Start = regexp.MustCompile(`^<\d{1,3}>[A-Z][a-z]{2} [ 0-9]\d `)

// BenchmarkElasticsearch100k sends 100,000 real-corpus records (the RFC 3164
// lines of decode/testdata/corpus, in tail-like chunks of 1,000 records
// {"log": line}) through an instance with Destination elasticsearch and the
// default options (one worker: the chunks are flushed one after the other)
// to the node named by ES_TEST_URL, into an index of its own. One iteration
// is the whole 100k set; records/s counts records stored by the node.
//
//	test/elasticsearch/start.sh --port 19200
//	ES_TEST_URL=http://127.0.0.1:19200 go test -run '^$' -bench Elasticsearch100k -benchtime 3x ./plugin/internal/output/
//	test/elasticsearch/stop.sh --port 19200
func BenchmarkElasticsearch100k(b *testing.B) {
	base := strings.TrimRight(os.Getenv("ES_TEST_URL"), "/")
	if base == "" {
		b.Skip("ES_TEST_URL not set: start a node with test/elasticsearch/start.sh")
	}
	const records, perChunk = 100_000, 1_000
	var lines []string
	for _, l := range corpus.Lines(b, "*.log") {
		if rfc3164Start.MatchString(l) {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		b.Fatal("no RFC 3164 corpus lines")
	}
	chunks := make([][]byte, 0, records/perChunk)
	t0 := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	for c := 0; c < records/perChunk; c++ {
		var data []byte
		for i := 0; i < perChunk; i++ {
			k := c*perChunk + i
			data = tailRecord(data, t0.Add(time.Duration(k)*time.Millisecond), lines[k%len(lines)])
		}
		chunks = append(chunks, data)
	}

	index := fmt.Sprintf("haproxy-bench-%d", time.Now().UnixNano())
	cfg, err := ParseConfig(getter(map[string]string{
		"Destination": DestElasticsearch,
		"ES_Hosts":    base,
		"Index":       index,
	}))
	if err != nil {
		b.Fatal(err)
	}
	logBuf := &syncBuffer{}
	in, err := New(cfg, NewLogger(logBuf, 0))
	if err != nil {
		b.Fatalf("%v\n%s", err, logBuf)
	}
	b.Cleanup(func() {
		in.Close()
		if req, err := http.NewRequest("DELETE", base+"/"+index, nil); err == nil {
			if res, err := http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
			}
		}
	})

	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i, data := range chunks {
			if rc := in.Flush(data, "haproxy"); rc != sink.OK {
				b.Fatalf("iteration %d chunk %d: rc %d\n%s", n, i, rc, logBuf)
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")

	if strings.Contains(logBuf.String(), "rejected by") {
		b.Fatalf("documents were rejected:\n%s", logBuf)
	}
	if got, want := benchCount(b, base, index), records*b.N; got != want {
		b.Fatalf("the node holds %d documents, want %d", got, want)
	}
}

func benchCount(b *testing.B, base, index string) int {
	b.Helper()
	for _, u := range []string{base + "/" + index + "/_refresh", base + "/" + index + "/_count"} {
		method := "GET"
		if strings.HasSuffix(u, "_refresh") {
			method = "POST"
		}
		req, _ := http.NewRequest(method, u, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%s %s: HTTP %d: %s", method, u, res.StatusCode, body)
		}
		if method == "GET" {
			var c struct {
				Count int `json:"count"`
			}
			if err := json.Unmarshal(body, &c); err != nil {
				b.Fatal(err)
			}
			return c.Count
		}
	}
	return 0
}
