package e2e_test

// Fault tests of Destination elasticsearch against real nodes. Those that
// need a node to stop, die or run with other settings start nodes of their
// own with test/elasticsearch/start.sh, of the same kind as the node
// ES_TEST_URL names (OpenSearch or Elasticsearch 7.10.2), on free ports.
// Each checks, with Generate_ID on, that every record is stored exactly
// once (nothing lost, nothing stored twice) and what each flush returned.

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/test/flbhost"
)

// --- nodes of our own ----------------------------------------------------------

// node is a search node of a test's own, run by start.sh and stop.sh.
type node struct {
	port   int
	url    string // known before the node is up
	runDir string
	args   []string // start.sh arguments of every start
}

func esScript(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join(corpus.Root(t), "test/elasticsearch", name)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// nodeDist is the start.sh --dist of the node ES_TEST_URL names.
func nodeDist(t *testing.T) string {
	t.Helper()
	var info struct {
		Version struct {
			Distribution string `json:"distribution"`
		} `json:"version"`
	}
	esJSON(t, "GET", esURL(t)+"/", "", &info)
	if info.Version.Distribution == "opensearch" {
		return "opensearch"
	}
	return "elasticsearch"
}

// newNode makes a node of the test's own on a free port, of the kind
// ES_TEST_URL names, not started yet (args go to start.sh at every start:
// --write-queue 1, -E key=value...). It is stopped at the end of the test.
func newNode(t *testing.T, args ...string) *node {
	t.Helper()
	n := &node{port: freePort(t), runDir: t.TempDir()}
	n.url = fmt.Sprintf("http://127.0.0.1:%d", n.port)
	n.args = append([]string{"--dist", nodeDist(t)}, args...)
	t.Cleanup(func() { n.stop(t) })
	return n
}

// startNode is newNode, started.
func startNode(t *testing.T, args ...string) *node {
	t.Helper()
	n := newNode(t, args...)
	n.start(t)
	return n
}

func (n *node) cmd(t *testing.T, script string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(esScript(t, script), append([]string{"--port", strconv.Itoa(n.port)}, args...)...)
	cmd.Env = append(os.Environ(), "FBH_ES_RUN_DIR="+n.runDir)
	return cmd
}

// start starts the node (extra: start.sh arguments of this start only,
// such as --keep-data) and waits until it is ready.
func (n *node) start(t *testing.T, extra ...string) {
	t.Helper()
	t0 := time.Now()
	var stderr bytes.Buffer
	args := append(append([]string(nil), n.args...), extra...)
	cmd := n.cmd(t, "start.sh", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("start.sh --port %d %v: %v\n%s", n.port, args, err, stderr.String())
	}
	if u := strings.TrimSpace(string(out)); u != n.url {
		t.Fatalf("start.sh --port %d printed %q, want %s", n.port, u, n.url)
	}
	t.Logf("node %s started in %v (%v)", n.url, time.Since(t0).Round(100*time.Millisecond), args)
}

func (n *node) stop(t *testing.T) {
	t.Helper()
	t0 := time.Now()
	if out, err := n.cmd(t, "stop.sh").CombinedOutput(); err != nil {
		t.Errorf("stop.sh --port %d: %v\n%s", n.port, err, out)
	}
	if c, err := net.DialTimeout("tcp", strings.TrimPrefix(n.url, "http://"), time.Second); err == nil {
		c.Close()
		t.Errorf("stop.sh --port %d: the node still listens", n.port)
	}
	t.Logf("node on port %d stopped in %v", n.port, time.Since(t0).Round(100*time.Millisecond))
}

// kill kills the node's JVM at once (SIGKILL: no shutdown, as when the
// machine or the process dies) and waits until it is gone.
func (n *node) kill(t *testing.T) {
	t.Helper()
	pidfile := filepath.Join(n.runDir, fmt.Sprintf("es-%d.pid", n.port))
	b, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatalf("kill: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatalf("kill: pidfile %s: %v", pidfile, err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill %d: %v", pid, err)
	}
	for i := 0; i < 100 && syscall.Kill(pid, 0) == nil; i++ {
		time.Sleep(100 * time.Millisecond)
	}
	os.Remove(pidfile) // as stop.sh does: the next start must not find it
	t.Logf("node on port %d killed (pid %d)", n.port, pid)
}

// --- 6. faults ------------------------------------------------------------------------

// TestESNodeDown: the node is down when the plugin starts, comes up, stops
// between two chunks and comes back with its data. Init succeeds with a
// warning; each flush made while the node is down returns FLB_RETRY at
// once; Fluent Bit's retry of the same chunk once the node is up is stored;
// with Generate_ID every record is stored exactly once.
func TestESNodeDown(t *testing.T) {
	esURL(t)
	plugin := flbhost.Build(t)
	n := newNode(t)
	lines := uniqueLines(t, 400)
	dir := t.TempDir()
	a := seqChunks(t, dir, "A", lines[:100], 0, 100)[0]
	b := seqChunks(t, dir, "B", lines[100:250], 100, 150)[0]
	c := seqChunks(t, dir, "C", lines[250:], 250, 150)[0]
	index := uniqName("down")
	up, stopped, restarted := filepath.Join(dir, "up"), filepath.Join(dir, "stopped"), filepath.Join(dir, "restarted")
	host := plugin.Start(t, esProps(0, n.url, "Index", index, "Generate_ID", "on", "ES_Timeout", "20s")+fmt.Sprintf(`init 0
flush 0 haproxy %[1]s
waitfile %[4]s 180
flush 0 haproxy %[1]s
flush 0 haproxy %[2]s
waitfile %[5]s 120
flush 0 haproxy %[3]s
waitfile %[6]s 180
flush 0 haproxy %[3]s
exit 0
`, a, b, c, up, stopped, restarted))

	if rc := host.WaitRC(t, "init instance=0", 1, 60*time.Second); rc[0] != flbOK {
		t.Fatalf("init with the node down: rc %d, want 1 (a warning, not a failure)", rc[0])
	}
	if rc := host.WaitRC(t, flushCall(0, a), 1, 60*time.Second); rc[0] != flbRetry {
		t.Fatalf("chunk A with the node not started yet: rc %d, want 2 (FLB_RETRY)", rc[0])
	}
	n.start(t)
	flbhost.WriteFileAtomic(t, up, nil)
	if rc := host.WaitRC(t, flushCall(0, a), 2, 60*time.Second); rc[1] != flbOK {
		t.Fatalf("chunk A again once the node is up: rc %d, want 1", rc[1])
	}
	if rc := host.WaitRC(t, flushCall(0, b), 1, 60*time.Second); rc[0] != flbOK {
		t.Fatalf("chunk B: rc %d, want 1", rc[0])
	}
	n.stop(t)
	flbhost.WriteFileAtomic(t, stopped, nil)
	t0 := time.Now()
	if rc := host.WaitRC(t, flushCall(0, c), 1, 60*time.Second); rc[0] != flbRetry {
		t.Fatalf("chunk C with the node stopped: rc %d, want 2 (FLB_RETRY)", rc[0])
	}
	t.Logf("chunk C with the node down returned FLB_RETRY after %v", time.Since(t0).Round(time.Millisecond))

	n.start(t, "--keep-data")
	flbhost.WriteFileAtomic(t, restarted, nil)
	if rc := host.WaitRC(t, flushCall(0, c), 2, 60*time.Second); rc[1] != flbOK {
		t.Fatalf("chunk C again after the restart: rc %d, want 1", rc[1])
	}
	r := host.Wait(t, 30*time.Second)
	if r.Exit != 0 {
		t.Errorf("host exit %d", r.Exit)
	}
	if got, want := esCount(t, n.url, index), len(lines); got != want {
		t.Errorf("_count %d, want %d (A 100 + B 150 + C 150): lost or doubled documents", got, want)
	}
	for _, want := range []string{"cannot reach Elasticsearch", "chunk will be retried"} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("the plugin did not log %q", want)
		}
	}
}

// TestESKilledInFlight: the node's process is killed (SIGKILL) while it
// indexes the third _bulk request of a chunk of 5,000 records (ES_Bulk_Size
// 512k: ~15 requests), then restarted with its data. The flush returns
// FLB_RETRY; the rest of the chunk is not sent; the retry after the
// restart is FLB_OK, and with Generate_ID the documents the node had stored
// come back 409, so every record is stored exactly once. Directly (the
// plugin's connection breaks) and behind an HTTP reverse proxy (which
// answers 502 Bad Gateway, a real 5xx).
func TestESKilledInFlight(t *testing.T) {
	esURL(t)
	plugin := flbhost.Build(t)
	lines := uniqueLines(t, 5000)
	for _, via := range []string{"direct", "proxy"} {
		t.Run(via, func(t *testing.T) {
			n := startNode(t)
			var front string
			var sent <-chan struct{}
			if via == "direct" {
				r := newRelay(t, n.url, 3)
				front, sent = r.url, r.sent
			} else {
				p := newProxy(t, n.url, "", "")
				p.sendsBefore = 3
				front, sent = p.URL, p.sent
			}
			dir := t.TempDir()
			chunk := seqChunks(t, dir, "K", lines, 0, len(lines))[0]
			index := uniqName("killed-" + via)
			restarted := filepath.Join(dir, "restarted")
			host := plugin.Start(t, esProps(0, front, "Index", index, "Generate_ID", "on", "ES_Bulk_Size", "512k")+
				fmt.Sprintf("init 0\nflush 0 haproxy %[1]s\nwaitfile %[2]s 180\nflush 0 haproxy %[1]s\nexit 0\n", chunk, restarted))
			select {
			case <-sent:
			case <-time.After(60 * time.Second):
				t.Fatal("no _bulk request reached the node")
			}
			n.kill(t)
			if rc := host.WaitRC(t, flushCall(0, chunk), 1, 60*time.Second); rc[0] != flbRetry {
				t.Fatalf("the chunk in flight when the node died: rc %d, want 2 (FLB_RETRY)", rc[0])
			}
			n.start(t, "--keep-data")
			before := esCount(t, n.url, index)
			if before == 0 || before >= len(lines) {
				t.Errorf("%d documents stored before the kill, want some (the first two requests') and not all", before)
			}
			flbhost.WriteFileAtomic(t, restarted, nil)
			if rc := host.WaitRC(t, flushCall(0, chunk), 2, 120*time.Second); rc[1] != flbOK {
				t.Fatalf("the chunk again after the restart: rc %d, want 1", rc[1])
			}
			r := host.Wait(t, 30*time.Second)
			if got := esCount(t, n.url, index); got != len(lines) {
				t.Errorf("_count %d, want %d: lost or doubled documents", got, len(lines))
			}
			t.Logf("%d of %d documents were stored when the node died; the retry stored the rest", before, len(lines))
			// The node may have indexed part of the request it died in: those
			// documents are stored but were never acknowledged, so they were
			// retried (and came back 409). The plugin counts as delivered
			// what the node acknowledged before the kill, then all 5,000.
			acked := retriedDelivered(t, r.Stderr)
			if acked == 0 || acked > before {
				t.Errorf("%d documents acknowledged before the kill, %d stored: want some, and no more than stored", acked, before)
			}
			if d, _, _ := closedStats(t, r.Stderr); d != acked+len(lines) {
				t.Errorf("plugin totals: %d delivered, want %d (%d acknowledged before the kill, then all %d, the first ones as 409)", d, acked+len(lines), acked, len(lines))
			}
			if !strings.Contains(r.Stderr, "chunk will be retried") {
				t.Errorf("the plugin did not log the retry")
			}
			if via == "proxy" && !strings.Contains(r.Stderr, "HTTP 502") {
				t.Errorf("the plugin did not log the proxy's HTTP 502")
			}
		})
	}
}

// relay is a TCP relay in front of a node: the plugin's connections go
// through it byte for byte, so that the node's death reaches the plugin as
// it is, a broken connection. sent fires once the nth _bulk request has been
// sent and the connection has gone quiet: the node has it all and is
// indexing it.
type relay struct {
	url   string
	nth   int
	bulks atomic.Int64
	sent  chan struct{}
	once  sync.Once
}

func newRelay(t *testing.T, target string, nth int) *relay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	r := &relay{url: "http://" + ln.Addr().String(), nth: nth, sent: make(chan struct{})}
	addr := strings.TrimPrefix(target, "http://")
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go r.serve(c, addr)
		}
	}()
	return r
}

func (r *relay) serve(c net.Conn, addr string) {
	defer c.Close()
	up, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	defer up.Close()
	go func() {
		io.Copy(c, up) // the node's answers; ends when the node dies
		c.Close()
	}()
	buf := make([]byte, 64<<10)
	for {
		c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		n, err := c.Read(buf)
		if n > 0 {
			if bytes.HasPrefix(buf[:n], []byte("POST /_bulk")) {
				r.bulks.Add(1)
			}
			if _, werr := up.Write(buf[:n]); werr != nil {
				return
			}
			continue
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			if r.bulks.Load() >= int64(r.nth) {
				r.once.Do(func() { close(r.sent) })
			}
			continue
		}
		return
	}
}

// TestESMappingConflict: one document of a chunk does not fit the mapping
// the others made; it alone is rejected (logged with the index and the
// reason) and the chunk is FLB_OK, not retried forever.
func TestESMappingConflict(t *testing.T) {
	base := esURL(t)
	plugin := flbhost.Build(t)
	index := uniqName("conflict")
	lines := corpus.RFC3164Lines(t)[:60]
	const bad = 37
	var data []byte
	for i, l := range lines {
		var n any = i
		if i == bad {
			n = "not-a-number"
		}
		data = flbhost.AppendRecord(data, flbhost.LayoutV2, received.Add(time.Duration(i)*time.Second),
			flbhost.Field{Key: "log", Value: l}, flbhost.Field{Key: "n", Value: n})
	}
	chunk := flbhost.WriteChunk(t, t.TempDir(), "conflict.msgpack", data)
	r := plugin.Run(t, esProps(0, base, "Index", index, "Generate_ID", "on")+"init 0\nflush 0 haproxy "+chunk+"\nexit 0\n")
	r.WantRC(t, flushCall(0, chunk), flbOK)
	if n := esCount(t, base, index); n != len(lines)-1 {
		t.Errorf("_count %d, want %d (all but the conflicting one)", n, len(lines)-1)
	}
	rej := rejectionLines(r.Stderr)
	if len(rej) != 1 {
		t.Fatalf("%d rejection lines, want 1:\n%s", len(rej), strings.Join(rej, "\n"))
	}
	l := rej[0]
	if !strings.Contains(l, index) || !(strings.Contains(l, "mapper_parsing_exception") || strings.Contains(l, "failed to parse")) ||
		!strings.Contains(l, "not-a-number") {
		t.Errorf("the rejection does not name the index, the reason and the document:\n%s", l)
	}
	if d, rj, _ := closedStats(t, r.Stderr); d != len(lines)-1 || rj != 1 {
		t.Errorf("plugin totals: %d delivered, %d rejected; want %d, 1", d, rj, len(lines)-1)
	}
	_, hits := esSearch(t, base, index, `{"query":{"term":{"n":`+strconv.Itoa(bad)+`}}}`, 5)
	if len(hits) != 0 {
		t.Errorf("the conflicting document was stored: %v", hits)
	}
}

// TestESGenerateIDRetry: the same chunk of 5,000 records (one Fluent Bit
// chunk of tail lines) flushed twice, as a Fluent Bit retry does, is stored
// once with Generate_ID, and the second flush is FLB_OK at once although
// every one of its items comes back 409 with an error body (a response of
// ~1.3 MB, over the default Buffer_Size: issue 11). Without Generate_ID it
// is stored twice (the contrast shows that the count can tell).
func TestESGenerateIDRetry(t *testing.T) {
	base := esURL(t)
	plugin := flbhost.Build(t)
	withID, withoutID := uniqName("genid"), uniqName("noid")
	lines := uniqueLines(t, 5000)
	chunk := seqChunks(t, t.TempDir(), "retry", lines, 0, len(lines))[0]
	r := plugin.Run(t, esProps(0, base, "Index", withID, "Generate_ID", "on")+
		esProps(1, base, "Index", withoutID)+
		fmt.Sprintf("init 0\ninit 1\nflush 0 haproxy %[1]s\nflush 0 haproxy %[1]s\nflush 1 haproxy %[1]s\nflush 1 haproxy %[1]s\nexit 0\nexit 1\n", chunk))
	for inst := 0; inst < 2; inst++ {
		if rc := r.RCs[flushCall(inst, chunk)]; len(rc) != 2 || rc[0] != flbOK || rc[1] != flbOK {
			t.Errorf("instance %d: rcs %v, want [1 1]", inst, rc)
		}
	}
	if n := esCount(t, base, withID); n != len(lines) {
		t.Errorf("Generate_ID on: _count %d after two flushes, want %d (no duplicates)", n, len(lines))
	}
	if n := esCount(t, base, withoutID); n != 2*len(lines) {
		t.Errorf("Generate_ID off: _count %d after two flushes, want %d (duplicates, as documented)", n, 2*len(lines))
	}
	if strings.Contains(r.Stderr, "chunk will be retried") || strings.Contains(r.Stderr, "no readable result") {
		t.Errorf("a flush asked for a retry:\n%s", r.Stderr)
	}
}

// uniqueLines is n corpus lines, the corpus repeated as it is (its pids,
// reloads and outages as HAProxy wrote them, so that the state tracker
// sees a real log).
func uniqueLines(t *testing.T, n int) []string {
	t.Helper()
	src := corpus.RFC3164Lines(t)
	lines := make([]string, n)
	for k := range lines {
		lines[k] = src[k%len(src)]
	}
	return lines
}

// seqChunks is tailChunks with a second key in each record, "seq": the
// line's number in the whole input (first is that of lines[0]), as tail's
// Offset_Key adds the line's offset: it makes each record, its document
// and its generated _id unique although the corpus repeats.
func seqChunks(t *testing.T, dir, prefix string, lines []string, first, per int) []string {
	t.Helper()
	var paths []string
	for i := 0; i < len(lines); i += per {
		var data []byte
		for k, l := range lines[i:min(i+per, len(lines))] {
			data = flbhost.AppendRecord(data, flbhost.LayoutV2, received.Add(time.Duration(i+k)*time.Second),
				flbhost.Field{Key: "log", Value: l}, flbhost.Field{Key: "seq", Value: first + i + k})
		}
		paths = append(paths, flbhost.WriteChunk(t, dir, fmt.Sprintf("%s-%03d.msgpack", prefix, len(paths)), data))
	}
	return paths
}

// TestESBackPressure429: a node with a write thread pool of 1 and a queue of
// 1 gets many big chunks from 8 threads at once. Some flushes return
// FLB_RETRY (HTTP 429, for the request or some of its documents); those
// chunks, and only those, are flushed again by the same running instance
// (as Fluent Bit does) until every one returned FLB_OK. With Generate_ID on,
// the node then holds every record exactly once.
func TestESBackPressure429(t *testing.T) {
	esURL(t)
	plugin := flbhost.Build(t)
	n := startNode(t, "--write-queue", "1")
	const nChunks, perChunk, threads, maxRounds = 24, 500, 8, 30
	dir := t.TempDir()
	chunks := seqChunks(t, dir, "bp", uniqueLines(t, nChunks*perChunk), 0, perChunk)
	index := uniqName("bp")
	round := func(i int) string { return filepath.Join(dir, fmt.Sprintf("round%d", i)) }
	pflush := func(paths []string) string {
		return fmt.Sprintf("pflush %d 0 haproxy %s\n", min(threads, len(paths)), strings.Join(paths, " "))
	}
	host := plugin.Start(t, esProps(0, n.url, "Index", index, "Generate_ID", "on")+
		"init 0\n"+pflush(chunks)+fmt.Sprintf("waitfile %s 120\nsource %s\n", round(1), round(1)))

	pending := chunks
	retries := 0
	calls := map[string]int{} // flushes of each chunk so far
	t0 := time.Now()
	for rnd := 0; ; rnd++ {
		var again []string
		for _, c := range pending {
			calls[c]++
			rc := host.WaitRC(t, flushCall(0, c), calls[c], 120*time.Second)
			switch rc[calls[c]-1] {
			case flbOK:
			case flbRetry:
				again = append(again, c)
			default:
				t.Fatalf("round %d: chunk %s: rc %d", rnd, chunkName(c), rc[calls[c]-1])
			}
		}
		t.Logf("round %d: %d chunks flushed, %d returned FLB_RETRY", rnd, len(pending), len(again))
		retries += len(again)
		if len(again) == 0 {
			flbhost.WriteFileAtomic(t, round(rnd+1), []byte("exit 0\n"))
			break
		}
		if rnd+1 >= maxRounds {
			flbhost.WriteFileAtomic(t, round(rnd+1), []byte("exit 0\n"))
			t.Fatalf("%d chunks still FLB_RETRY after %d rounds", len(again), maxRounds)
		}
		time.Sleep(time.Duration(200*(rnd+1)) * time.Millisecond) // Fluent Bit's retries back off too
		flbhost.WriteFileAtomic(t, round(rnd+1), []byte(pflush(again)+
			fmt.Sprintf("waitfile %s 120\nsource %s\n", round(rnd+2), round(rnd+2))))
		pending = again
	}
	r := host.Wait(t, 60*time.Second)
	if r.Exit != 0 {
		t.Errorf("host exit %d", r.Exit)
	}
	if retries == 0 {
		t.Errorf("no flush returned FLB_RETRY: the node never pushed back (make the load heavier)")
	}
	got := esCount(t, n.url, index)
	if want := nChunks * perChunk; got != want {
		t.Errorf("_count %d, want %d: records lost or duplicated", got, want)
	}
	delivered, rejected, retryable := closedStats(t, r.Stderr)
	n429 := strings.Count(r.Stderr, "429")
	t.Logf("%d records in %d chunks delivered in %v with %d chunk retries; plugin totals: %d delivered (incl. 409 already stored), %d rejected, %d retryable; %d log lines mention 429",
		nChunks*perChunk, nChunks, time.Since(t0).Round(time.Millisecond), retries, delivered, rejected, retryable, n429)
	if rejected != 0 {
		t.Errorf("%d documents rejected for good", rejected)
	}
}

// TestESMaxContentLength: a node that takes requests of at most 1 MB
// (http.max_content_length) gets a chunk of 5,000 records (~10 MB of
// NDJSON). With ES_Bulk_Size 512k every request fits; with ES_Bulk_Size
// False (one request per chunk) the node refuses it with HTTP 413 and the
// plugin sends it again in halves until they fit. Both deliver every record
// once, FLB_OK: nothing is dropped.
func TestESMaxContentLength(t *testing.T) {
	esURL(t)
	plugin := flbhost.Build(t)
	n := startNode(t, "-E", "http.max_content_length=1mb")
	lines := uniqueLines(t, 5000)
	chunk := seqChunks(t, t.TempDir(), "big", lines, 0, len(lines))[0]
	fits, split := uniqName("maxlen-fits"), uniqName("maxlen-split")
	r := plugin.Run(t, esProps(0, n.url, "Index", fits, "Generate_ID", "on", "ES_Bulk_Size", "512k")+
		esProps(1, n.url, "Index", split, "Generate_ID", "on", "ES_Bulk_Size", "False")+
		fmt.Sprintf("init 0\ninit 1\nflush 0 haproxy %[1]s\nflush 1 haproxy %[1]s\nexit 0\nexit 1\n", chunk))
	for inst, index := range []string{fits, split} {
		r.WantRC(t, flushCall(inst, chunk), flbOK)
		if got := esCount(t, n.url, index); got != len(lines) {
			t.Errorf("instance %d: _count %d, want %d", inst, got, len(lines))
		}
	}
	var log0, log1 []string
	for _, l := range strings.Split(r.Stderr, "\n") {
		switch {
		case strings.Contains(l, "haproxy.0]"):
			log0 = append(log0, l)
		case strings.Contains(l, "haproxy.1]"):
			log1 = append(log1, l)
		}
	}
	if l := strings.Join(log0, "\n"); strings.Contains(l, "HTTP 413") || strings.Contains(l, "rejected by") {
		t.Errorf("ES_Bulk_Size 512k: a request was refused:\n%s", l)
	}
	if l := strings.Join(log1, "\n"); !strings.Contains(l, "HTTP 413") || !strings.Contains(l, "sent again in two halves") {
		t.Errorf("ES_Bulk_Size False: no 413 and no split in the log:\n%s", l)
	}
	for _, l := range append(log0, log1...) {
		if strings.Contains(l, "es: closed:") {
			t.Log(l)
		}
	}
}

// retriedLine is the plugin's log line for a retried chunk.
var retriedLine = regexp.MustCompile(`chunk will be retried: \d+ records not delivered yet \((\d+) delivered`)

// retriedDelivered is how many records of the first retried chunk the
// plugin counted as delivered (acknowledged by the node).
func retriedDelivered(t *testing.T, stderr string) int {
	t.Helper()
	m := retriedLine.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no `chunk will be retried` line in the plugin's log")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
