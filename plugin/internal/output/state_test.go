package output

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

var outageBase = time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)

// outageLines are one host's lines: a server down, refused requests, the
// server back, n times.
func outageLines(host string, n int) []string {
	hdr := func(sec int, pri int) string {
		return fmt.Sprintf("<%d>%s %s haproxy[100]: ", pri, outageBase.Add(time.Duration(sec)*time.Second).Format(time.Stamp), host)
	}
	var lines []string
	for i := 0; i < n; i++ {
		t := 60 * i
		req := outageBase.Add(time.Duration(t+2) * time.Second).Format("02/Jan/2006:15:04:05")
		lines = append(lines,
			hdr(t, 129)+"Server be_app/s1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
			hdr(t, 128)+"backend be_app has no server available!",
			hdr(t+2, 134)+"127.0.0.1:4000 ["+req+".250] fe be_app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
			hdr(t+7, 133)+"Server be_app/s1 is UP, reason: Layer4 check passed, check duration: 0ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.")
	}
	return lines
}

func linesChunk(lines []string) []byte {
	var data []byte
	for _, l := range lines {
		data = tailRecord(data, recTime, l)
	}
	return data
}

// outageFields lists haproxy.outage and haproxy.server.downtime_ms of docs.
func outageFields(t *testing.T, docs []string) []string {
	t.Helper()
	var out []string
	for _, d := range docs {
		m := decodeDoc(t, d)
		out = append(out, fmt.Sprintf("%v %v %v %v %v", path(m, "haproxy", "outage", "state"), path(m, "haproxy", "outage", "id"),
			path(m, "haproxy", "outage", "duration_ms"), path(m, "haproxy", "outage", "servers_down"), path(m, "haproxy", "server", "downtime_ms")))
	}
	return out
}

func allDocs(cs *captureSink) []string {
	var docs []string
	for _, b := range cs.batches {
		docs = append(docs, b.docs...)
	}
	return docs
}

// One flush after another: the outage fields come out on the documents.
func TestFlushOutageState(t *testing.T) {
	cs := &captureSink{}
	in, log := newTestInstance(t, nil, cs)
	lines := outageLines("lb1", 2)
	for _, part := range [][]string{lines[:1], lines[1:3], lines[3:]} {
		if rc := in.Flush(linesChunk(part), "haproxy"); rc != sink.OK {
			t.Fatalf("rc %d: %s", rc, log)
		}
	}
	got := outageFields(t, allDocs(cs))
	states := make([]string, len(got))
	for i, g := range got {
		states[i] = strings.Fields(g)[0]
	}
	want := "started ongoing ongoing ended started ongoing ongoing ended"
	if strings.Join(states, " ") != want {
		t.Fatalf("states %v, want %s\n%s", states, want, strings.Join(got, "\n"))
	}
	if !strings.HasSuffix(got[3], " 7000 [s1] 7000") {
		t.Errorf("ended: %s", got[3])
	}
	if id := strings.Fields(got[0])[1]; strings.Fields(got[3])[1] != id || strings.Fields(got[4])[1] == id {
		t.Errorf("ids: %v", got)
	}
}

// Workers: chunks flushed from several goroutines at once, each host's
// chunks in order by one of them (the chunks of host h go to worker h),
// give what one flush after another gives.
func TestConcurrentFlushState(t *testing.T) {
	const hosts, perChunk = 4, 3
	var chunks [][]string
	streams := make([][]string, hosts)
	for h := range streams {
		streams[h] = outageLines(fmt.Sprintf("lb%d", h), 6)
	}
	for i := 0; i*perChunk < len(streams[0]); i++ {
		for h := 0; h < hosts; h++ {
			chunks = append(chunks, streams[h][i*perChunk:min(len(streams[h]), (i+1)*perChunk)])
		}
	}
	byHost := func(docs []string) map[string][]string {
		out := map[string][]string{}
		for _, d := range docs {
			m := decodeDoc(t, d)
			h := fmt.Sprint(path(m, "host", "hostname"))
			out[h] = append(out[h], outageFields(t, []string{d})[0])
		}
		return out
	}
	serial := &captureSink{}
	in, _ := newTestInstance(t, nil, serial)
	for _, c := range chunks {
		in.Flush(linesChunk(c), "haproxy")
	}
	want := byHost(allDocs(serial))

	parallel := &captureSink{}
	in2, _ := newTestInstance(t, nil, parallel)
	var wg sync.WaitGroup
	for w := 0; w < hosts; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(chunks); i += hosts {
				if rc := in2.Flush(linesChunk(chunks[i]), "haproxy"); rc != sink.OK {
					t.Errorf("rc %d", rc)
				}
			}
		}(w)
	}
	wg.Wait()
	got := byHost(allDocs(parallel))
	for h, w := range want {
		if strings.Join(got[h], "\n") != strings.Join(w, "\n") {
			t.Errorf("%s:\n got %s\nwant %s", h, strings.Join(got[h], "\n     "), strings.Join(w, "\n     "))
		}
		if !strings.Contains(strings.Join(w, " "), "ended") {
			t.Errorf("%s: no outage ended", h)
		}
	}
}

// State_File: written at Close, read by the next instance, which ends the
// outage the first one saw start.
func TestFlushStateFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "haproxy.state")
	lines := outageLines("lb1", 1)
	cs := &captureSink{}
	in, log := newTestInstance(t, map[string]string{"State_File": file}, cs)
	in.Flush(linesChunk(lines[:3]), "haproxy")
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); err != nil || !strings.Contains(log.String(), "written to "+file) {
		t.Fatalf("state file %v; log %s", err, log)
	}
	cs2 := &captureSink{}
	in2, log2 := newTestInstance(t, map[string]string{"State_File": file}, cs2)
	in2.Flush(linesChunk(lines[3:]), "haproxy")
	first, second := outageFields(t, allDocs(cs)), outageFields(t, allDocs(cs2))
	if !strings.HasPrefix(second[0], "ended "+strings.Fields(first[0])[1]+" 7000 [s1] 7000") {
		t.Errorf("after the restart: %s (first %s); log %s", second[0], first[0], log2)
	}
	if !strings.Contains(log2.String(), "read from "+file) {
		t.Errorf("log %s", log2)
	}
}

// A corrupt State_File is logged, naming it, and the instance starts empty.
func TestFlushCorruptStateFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "haproxy.state")
	if err := os.WriteFile(file, []byte("{\"version\":1,\"keys\":[{\"kind\":"), 0o600); err != nil {
		t.Fatal(err)
	}
	cs := &captureSink{}
	in, log := newTestInstance(t, map[string]string{"State_File": file}, cs)
	if !strings.Contains(log.String(), "warn state file "+file+": not a valid state file") || !strings.Contains(log.String(), "starting without the saved state") {
		t.Errorf("log %s", log)
	}
	if rc := in.Flush(linesChunk(outageLines("lb1", 1)), "haproxy"); rc != sink.OK {
		t.Fatalf("rc %d", rc)
	}
	if got := outageFields(t, allDocs(cs)); !strings.HasPrefix(got[0], "started ") {
		t.Errorf("%v", got)
	}
	// Close replaces it with a good one.
	in.Close()
	in2, log2 := newTestInstance(t, map[string]string{"State_File": file}, &captureSink{})
	defer in2.Close()
	if strings.Contains(log2.String(), "warn") {
		t.Errorf("log %s", log2)
	}
}

// Without a hostname in the line, the tag keys the state. A raw line has no
// time of its own: the record's time orders it.
func TestFlushStateByTag(t *testing.T) {
	cs := &captureSink{}
	in, _ := newTestInstance(t, nil, cs)
	down := "Server be_app/s1 is DOWN, reason: Layer4 timeout, check duration: 2001ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue."
	refused := `127.0.0.1:4000 [21/Nov/2026:07:35:40.250] fe be_app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`
	in.Flush(linesChunk([]string{down}), "lb-a")    // at recTime, 07:35:33
	in.Flush(linesChunk([]string{refused}), "lb-b") // another stream: no outage there
	in.Flush(linesChunk([]string{refused}), "lb-a")
	got := outageFields(t, allDocs(cs))
	if !strings.HasPrefix(got[0], "started") || !strings.HasPrefix(got[1], "<nil>") || !strings.HasPrefix(got[2], "ongoing") {
		t.Errorf("%v", got)
	}
}

// BenchmarkFlushState is BenchmarkFlush's corpus and traffic mixes with
// and without the tracker (the explain stage's stateful step), in one
// binary, so that the difference is the tracker's cost.
func BenchmarkFlushState(b *testing.B) {
	for _, mix := range []string{"corpus", "traffic"} {
		data := benchChunk(b, mix)
		for _, tracked := range []bool{true, false} {
			name := mix + "/tracker"
			if !tracked {
				name = mix + "/none"
			}
			b.Run(name, func(b *testing.B) {
				in, _ := newTestInstance(b, nil, discardSink{})
				if !tracked {
					in.exp.State = nil
				}
				in.Flush(data, "haproxy")
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					in.Flush(data, "haproxy")
				}
				reportPerRecord(b, 1000)
			})
		}
	}
}
