package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/tailchunk"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// bytesPerFlush is what one flush of data allocates, on average over n. The
// collector is off meanwhile: a collection empties sync.Pool, and the state
// the next flush then builds is not what a flush allocates.
func bytesPerFlush(in *Instance, data []byte, n int) float64 {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	for i := 0; i < n; i++ {
		in.Flush(data, "t")
	}
	runtime.ReadMemStats(&m1)
	return float64(m1.TotalAlloc-m0.TotalAlloc) / float64(n)
}

// A line sink's flush allocates the same, a few bytes at most, for a 64 KB
// chunk and for Fluent Bit's 2 MB one (about 10,000 records, 20 MB of JSON):
// the documents go through a fixed buffer.
func TestFlushLinesMemoryFlat(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items: allocation counts mean nothing")
	}
	small, _ := hostChunk(t, 64<<10)
	big, records := hostChunk(t, tailchunk.MaxSize)
	in, _ := newTestInstance(t, nil, NewLineSink(io.Discard, "discard", nil))
	in.Flush(big, "t") // the pooled state's buffers
	// The least of three rounds: sync.Pool keeps a state per P, and a
	// goroutine that moved to another P builds another state once.
	bs, bb := bytesPerFlush(in, small, 20), bytesPerFlush(in, big, 5)
	for i := 0; i < 2; i++ {
		bs, bb = min(bs, bytesPerFlush(in, small, 20)), min(bb, bytesPerFlush(in, big, 5))
	}
	t.Logf("bytes allocated per flush: 64 KB chunk %.0f, 2 MB chunk (%d records) %.0f", bs, records, bb)
	if bb > bs+4096 || bb > 16<<10 {
		t.Errorf("a 2 MB chunk allocates %.0f bytes per flush, a 64 KB one %.0f: memory grows with the chunk", bb, bs)
	}
}

// writeLog is a writer that keeps what it is given and the size of each
// write; fail makes the writes after the first n fail.
type writeLog struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	sizes  []int
	failAt int // 0: never
}

func (w *writeLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failAt > 0 && len(w.sizes) >= w.failAt {
		return 0, errors.New("disk full")
	}
	w.sizes = append(w.sizes, len(p))
	return w.buf.Write(p)
}

// bigChunk is n records {"log": line, "chunk": c, "i": i}.
func bigChunk(lines []string, c, n int) []byte {
	var data []byte
	for i := 0; i < n; i++ {
		data = newRecord(data, recTime, []kv{{"log", lines[(c*31+i)%len(lines)]}, {"chunk", c}, {"i", i}})
	}
	return data
}

// Chunks far larger than the flush's buffer, flushed concurrently, are
// written in pieces of bounded size, and still one chunk's lines never
// interleave with another's, in order, none lost.
func TestFlushLinesLargeChunksNotInterleaved(t *testing.T) {
	lines := corpus.Lines(t, "*.raw.log")
	w := &writeLog{}
	in, log := newTestInstance(t, nil, NewLineSink(w, "log", nil))
	const workers, perWorker, records = 4, 3, 700 // ~1.4 MB of JSON per chunk
	var wg sync.WaitGroup
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := 0; k < perWorker; k++ {
				if rc := in.Flush(bigChunk(lines, g*perWorker+k, records), "t"); rc != sink.OK {
					t.Errorf("chunk %d: rc %d", g*perWorker+k, rc)
				}
			}
		}(g)
	}
	wg.Wait()
	if t.Failed() {
		t.Fatal(log)
	}
	for _, n := range w.sizes {
		if n > flushAt+batchLen*8<<10 {
			t.Fatalf("a write of %d bytes: the flush buffered more than flushAt and one batch", n)
		}
	}
	docs := strings.Split(strings.TrimSuffix(w.buf.String(), "\n"), "\n")
	if len(docs) != workers*perWorker*records || len(w.sizes) < workers*perWorker*2 {
		t.Fatalf("%d lines in %d writes, want %d lines in pieces", len(docs), len(w.sizes), workers*perWorker*records)
	}
	seen := map[int]bool{}
	for i := 0; i < len(docs); i += records {
		c := chunkOf(t, docs[i])
		if seen[c] {
			t.Fatalf("chunk %d written twice", c)
		}
		seen[c] = true
		for j := 0; j < records; j++ {
			want := fmt.Sprintf(`"chunk":%d,"i":%d,`, c, j)
			if !strings.Contains(docs[i+j], want) {
				t.Fatalf("line %d is not record %d of chunk %d: interleaved or out of order: %.120s", i+j, j, c, docs[i+j])
			}
		}
	}
}

func chunkOf(t *testing.T, doc string) int {
	var c int
	i := strings.Index(doc, `"chunk":`)
	if i < 0 {
		t.Fatalf("no chunk field: %.200s", doc)
	}
	fmt.Sscanf(doc[i+len(`"chunk":`):], "%d", &c)
	return c
}

// A write that fails halfway through a chunk asks for a retry, says how
// many records were written before, and lets the next flush write.
func TestFlushLinesWriteFailsMidChunk(t *testing.T) {
	lines := corpus.Lines(t, "*.raw.log")
	w := &writeLog{failAt: 1}
	in, log := newTestInstance(t, nil, NewLineSink(w, "log", nil))
	if rc := in.Flush(bigChunk(lines, 0, 700), "t"); rc != sink.Retry {
		t.Fatalf("rc %d, want retry", rc)
	}
	if s := log.String(); !strings.Contains(s, "chunk will be retried") || !strings.Contains(s, "disk full") ||
		strings.Contains(s, "(0 written") {
		t.Errorf("log: %s", s)
	}
	w.mu.Lock()
	w.failAt = 0
	w.mu.Unlock()
	if rc := in.Flush(bigChunk(lines, 1, 10), "t"); rc != sink.OK {
		t.Fatalf("after the failure: rc %d (is the sink still locked?)", rc)
	}
	if n := strings.Count(w.buf.String(), `"chunk":1,`); n != 10 {
		t.Errorf("%d lines of the second chunk", n)
	}
}
