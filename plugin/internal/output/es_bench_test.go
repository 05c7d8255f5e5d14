package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/tailchunk"
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

// BenchmarkElasticsearch delivers 100,000 records of each input ("mix": the
// corpus's traffic mix; "production": the production sample the issue
// measured with, when ES_BENCH_SAMPLE names it, test/bench/sample) in
// Fluent Bit-sized chunks (internal/tailchunk: rsyslog-framed lines in
// in_tail's layout, each chunk cut past FLB_INPUT_CHUNK_FS_MAX_SIZE, ~8,500
// records and ~2 MB) through an instance with Destination elasticsearch and
// the default options (ES_Bulk_Size 5M: ~3 requests per chunk), one chunk
// after the other, to the node named by ES_TEST_URL, into an index of its
// own; and the same with ES_Bulk_Size False (one request per chunk), and
// with Workers 2 (two chunks flushed at once); and, as the yardstick, the
// same lines through a stand-in for Fluent Bit's es output fed by its regex
// parser (fluent-bit-es: benchFluentBitES), with one worker and with its
// default two (out_es's .workers = 2). One
// iteration is the whole 100k set; records/s counts records the node holds
// at the end; node-cpu-s/op and client-cpu-s/op are the CPU time each side
// spent on one iteration (cpuMeter). The node is warmed up first
// (warmNode). `make bench-es` runs it against both test nodes.
//
//	test/elasticsearch/start.sh --port 19200
//	go run ./test/bench/sample -o dist/huge.log
//	ES_TEST_URL=http://127.0.0.1:19200 ES_BENCH_SAMPLE=$PWD/dist/huge.log go test -run '^$' -bench Elasticsearch -benchtime 3x ./plugin/internal/output/
//	test/elasticsearch/stop.sh --port 19200
func BenchmarkElasticsearch(b *testing.B) {
	base := strings.TrimRight(os.Getenv("ES_TEST_URL"), "/")
	if base == "" {
		b.Skip("ES_TEST_URL not set: start a node with test/elasticsearch/start.sh")
	}
	const records = 100_000
	mix, err := tailchunk.Lines(corpus.Root(b), records)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("mix", func(b *testing.B) { benchESInput(b, base, mix) })
	if path := os.Getenv("ES_BENCH_SAMPLE"); path != "" {
		prod, err := tailchunk.FileLines(path, records)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("production", func(b *testing.B) { benchESInput(b, base, prod) })
	}
}

// benchESInput is BenchmarkElasticsearch's variants on one input.
func benchESInput(b *testing.B, base string, lines []string) {
	records := len(lines)
	var chunks [][]byte
	var chunkRecords []int
	if err := tailchunk.Chunks(lines, tailchunk.MaxSize, func(c []byte, n int) error {
		chunks = append(chunks, append([]byte(nil), c...))
		chunkRecords = append(chunkRecords, n)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	warmNode(b, base, chunks)
	type variant struct {
		name, opts string
		workers    int
	}
	variants := []variant{{"default", "", 1}, {"ES_Bulk_Size=False", "ES_Bulk_Size=False", 1}, {"workers=2", "", 2}}
	if o := os.Getenv("ES_BENCH_OPTIONS"); o != "" {
		variants = append(variants, variant{o, o, 1})
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) { benchES(b, base, chunks, records, v.workers, benchOptions(b, v.opts)) })
	}
	for _, workers := range []int{1, 2} {
		name := "fluent-bit-es"
		if workers > 1 {
			name += fmt.Sprintf("-workers=%d", workers)
		}
		b.Run(name, func(b *testing.B) { benchFluentBitES(b, base, lines, chunkRecords, workers) })
	}
}

// eachChunk calls fn(i) for each of n chunks from workers goroutines, each
// taking the next chunk when it is done with one, as Fluent Bit's output
// workers do (Workers N; 1: one after the other). It returns the first
// error.
func eachChunk(workers, n int, fn func(i int) error) error {
	var next atomic.Int64
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				if err := fn(i); err != nil {
					next.Store(int64(n)) // the others stop at their next chunk
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	var first error
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// benchOptions reads "Key=Value,Key=Value" (ES_BENCH_OPTIONS: one more
// sub-benchmark with these options, e.g. Keep_Message=On or
// Template_Install=Off, to see what they cost the node).
func benchOptions(b *testing.B, s string) map[string]string {
	opts := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			b.Fatalf("ES_BENCH_OPTIONS: %q is not Key=Value", kv)
		}
		opts[k] = v
	}
	return opts
}

// warmNode delivers the chunks twice, untimed, with the default options
// (requests in pairs, the path the first sub-benchmark takes), into an
// index deleted after: a node fresh from start.sh spends its first few
// hundred thousand documents compiling (its JIT threads: up to 40 % more
// node CPU and twice the time for the first 100,000), which the first
// sub-benchmark would pay alone.
func warmNode(b *testing.B, base string, chunks [][]byte) {
	index := fmt.Sprintf("haproxy-warmup-%d", time.Now().UnixNano())
	in, logBuf := newESInstance(b, base, index, nil)
	defer deleteIndexAndTemplate(base, index)
	defer in.Close()
	for pass := 0; pass < 2; pass++ {
		for i, data := range chunks {
			if rc := in.Flush(data, "haproxy"); rc != sink.OK {
				b.Fatalf("warm-up chunk %d: rc %d\n%s", i, rc, logBuf)
			}
		}
	}
}

// newESInstance is an instance delivering to index on base with the
// default options but opts. The index template (installed by default) is
// the index's own, Template_Name index: deleteIndexAndTemplate deletes both.
func newESInstance(b *testing.B, base, index string, opts map[string]string) (*Instance, *syncBuffer) {
	props := map[string]string{"Destination": DestElasticsearch, "ES_Hosts": base, "Index": index, "Template_Name": index}
	for k, v := range opts {
		props[k] = v
	}
	cfg, err := ParseConfig(getter(props))
	if err != nil {
		b.Fatal(err)
	}
	logBuf := &syncBuffer{}
	in, err := New(cfg, NewLogger(logBuf, 0))
	if err != nil {
		b.Fatalf("%v\n%s", err, logBuf)
	}
	return in, logBuf
}

func benchES(b *testing.B, base string, chunks [][]byte, records, workers int, opts map[string]string) {
	index := fmt.Sprintf("haproxy-bench-%d", time.Now().UnixNano())
	in, logBuf := newESInstance(b, base, index, opts)
	b.Cleanup(func() {
		in.Close()
		deleteIndexAndTemplate(base, index)
	})
	cpu := startCPU(b, base)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if err := eachChunk(workers, len(chunks), func(i int) error {
			if rc := in.Flush(chunks[i], "haproxy"); rc != sink.OK {
				return fmt.Errorf("chunk %d: rc %d\n%s", i, rc, logBuf)
			}
			return nil
		}); err != nil {
			b.Fatalf("iteration %d: %v", n, err)
		}
	}
	b.StopTimer()
	cpu.report(b)
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(records)/float64(len(chunks)), "records/chunk")
	if strings.Contains(logBuf.String(), "rejected by") {
		b.Fatalf("documents were rejected:\n%s", logBuf)
	}
	if got, want := benchCount(b, base, index), records*b.N; got != want {
		b.Fatalf("the node holds %d documents, want %d", got, want)
	}
}

// deleteIndexAndTemplate deletes index and its template (newESInstance).
func deleteIndexAndTemplate(base, index string) {
	deleteIndex(base, index)
	deleteIndex(base, "_index_template/"+index)
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
