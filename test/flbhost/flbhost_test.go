// Package flbhost_test drives the real out_haproxy.so through flbhost.c, a
// C program that calls the plugin exactly as Fluent Bit's Go proxy does
// (same structs, same shared plugin pointer for every Init, FlushCtx from
// several threads), with the helpers of package flbhost.
//
// Set FLBHOST_SO / FLBHOST_BIN to test a prebuilt .so / host (otherwise they
// are built into a temp directory). Without gcc the tests are skipped,
// unless REQUIRE_INTEGRATION=1.
package flbhost_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/tailchunk"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/test/flbhost"
)

func TestMain(m *testing.M) { flbhost.Main(m) }

var plugin *flbhost.Plugin

// setup builds the plugin and the host once.
func setup(t *testing.T) {
	t.Helper()
	plugin = flbhost.Build(t)
}

var t0 = time.Date(2026, 11, 21, 7, 35, 32, 0, time.UTC)

// record appends one record {"log", "chunk", "i"}; old selects [EventTime, body].
func record(b []byte, old bool, line, marker string, i int) []byte {
	layout := flbhost.LayoutV2
	if old {
		layout = flbhost.LayoutV1
	}
	return flbhost.AppendRecord(b, layout, t0.Add(time.Duration(i)*time.Second),
		flbhost.Field{Key: "log", Value: line}, flbhost.Field{Key: "chunk", Value: marker}, flbhost.Field{Key: "i", Value: i})
}

// --- tests ----------------------------------------------------------------

// Two instances whose Init overwrite the same plugin struct keep their own
// configuration; both layouts and group markers are handled; ExitCtx closes
// (and syncs) the files.
func TestTwoInstances(t *testing.T) {
	setup(t)
	dir := t.TempDir()
	lines := corpus.Lines(t, "*.raw.log")
	fileA, fileB := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	var newer, older []byte
	newer = flbhost.AppendGroupMarker(newer, flbhost.GroupStart)
	for i := 0; i < 10; i++ {
		newer = record(newer, false, lines[i%len(lines)], "new", i)
	}
	newer = flbhost.AppendGroupMarker(newer, flbhost.GroupEnd)
	for i := 0; i < 10; i++ {
		older = record(older, true, lines[(i+5)%len(lines)], "old", i)
	}
	cNew := flbhost.WriteChunk(t, dir, "new.msgpack", newer)
	cOld := flbhost.WriteChunk(t, dir, "old.msgpack", older)
	r := plugin.Run(t, fmt.Sprintf(`
prop 0 Destination file
prop 0 File %s
prop 0 keep_message off
prop 0 Include_Tag_Key on
prop 0 tag_key fluent_tag
prop 1 destination FILE
prop 1 file %s
prop 1 Keep_Message on
prop 1 Time_Key ts
prop 1 Time_Key_Nanos on
init 0
init 1
flush 0 haproxy.a %s
flush 1 haproxy.b %s
flush 0 haproxy.a %s
exit 0
exit 1
unregister
`, fileA, fileB, cNew, cOld, cOld))
	if r.Exit != 0 {
		t.Fatalf("host exit %d", r.Exit)
	}
	if !strings.Contains(r.Stdout, "register name=haproxy type=2 proxy=11") || !strings.Contains(r.Stdout, "unregister") {
		t.Errorf("register/unregister not seen")
	}
	for _, c := range []string{"init instance=0", "init instance=1", "flush instance=0 chunk=new.msgpack",
		"flush instance=1 chunk=old.msgpack", "flush instance=0 chunk=old.msgpack", "exit instance=0", "exit instance=1"} {
		r.WantRC(t, c, 1)
	}
	if !regexp.MustCompile(`\[\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\] \[ info\] \[output:haproxy:haproxy\.0\] Destination=file File=`+regexp.QuoteMeta(fileA)).MatchString(r.Stderr) ||
		!strings.Contains(r.Stderr, "[output:haproxy:haproxy.1] Destination=file File="+fileB) {
		t.Errorf("init summaries missing from stderr")
	}
	a, b := flbhost.ReadDocs(t, fileA), flbhost.ReadDocs(t, fileB)
	if len(a) != 20 || len(b) != 10 {
		t.Fatalf("instance 0 wrote %d docs (want 20), instance 1 wrote %d (want 10)", len(a), len(b))
	}
	for i, d := range a {
		if d["fluent_tag"] != "haproxy.a" || d["@timestamp"] == nil || d["ts"] != nil {
			t.Errorf("instance 0 doc %d lost its config: %v", i, d)
		}
		if msg, ok := d["message"]; ok {
			hp, _ := d["haproxy"].(map[string]any)
			if hp["log_type"] != "unknown" {
				t.Errorf("instance 0 doc %d has message %v with Keep_Message off", i, msg)
			}
		}
	}
	for i, d := range b {
		ts, _ := d["ts"].(string)
		if d["message"] == nil || d["@timestamp"] != nil || d["fluent_tag"] != nil || len(ts) != len("2006-01-02T15:04:05.000000000Z") {
			t.Errorf("instance 1 doc %d lost its config: %v", i, d)
		}
		if d["chunk"] != "old" {
			t.Errorf("instance 1 doc %d: %v", i, d["chunk"])
		}
	}
}

// A corrupt record makes the chunk fail with FLB_ERROR (0), logged with the
// record index, byte offset and a hex excerpt; the host and plugin go on.
func TestCorruptChunk(t *testing.T) {
	setup(t)
	dir := t.TempDir()
	lines := corpus.Lines(t, "*.raw.log")
	good := record(nil, false, lines[0], "good", 0)
	bad := append(append([]byte{}, good...), 0x92, 0x92, 0xd7, 0x00, 0xde, 0xad)
	out := filepath.Join(dir, "out.jsonl")
	r := plugin.Run(t, fmt.Sprintf(`
prop 0 destination file
prop 0 file %s
init 0
flush 0 bad.tag %s
flush 0 good.tag %s
exit 0
`, out, flbhost.WriteChunk(t, dir, "bad.msgpack", bad), flbhost.WriteChunk(t, dir, "good.msgpack", good)))
	if r.Exit != 0 {
		t.Fatalf("host exit %d", r.Exit)
	}
	r.WantRC(t, "flush instance=0 chunk=bad.msgpack", 0)
	r.WantRC(t, "flush instance=0 chunk=good.msgpack", 1)
	want := fmt.Sprintf("record 1 at byte %d", len(good))
	if !strings.Contains(r.Stderr, "[error] [output:haproxy:haproxy.0]") || !strings.Contains(r.Stderr, `tag="bad.tag"`) ||
		!strings.Contains(r.Stderr, want) || !strings.Contains(r.Stderr, "9292d700dead") {
		t.Errorf("error log lacks %q / hex excerpt", want)
	}
	if docs := flbhost.ReadDocs(t, out); len(docs) != 1 || docs[0]["chunk"] != "good" {
		t.Errorf("docs %v", docs)
	}
}

// FlushCtx from 4 threads at once into one instance: every record arrives
// once and the lines of a chunk stay together.
func TestConcurrentFlush(t *testing.T) {
	setup(t)
	dir := t.TempDir()
	lines := corpus.Lines(t, "*.raw.log")
	out := filepath.Join(dir, "out.jsonl")
	const chunks, per = 24, 40
	var files []string
	for c := 0; c < chunks; c++ {
		var data []byte
		for i := 0; i < per; i++ {
			data = record(data, c%2 == 1, lines[(c*13+i)%len(lines)], fmt.Sprintf("c%02d", c), i)
		}
		files = append(files, flbhost.WriteChunk(t, dir, fmt.Sprintf("c%02d.msgpack", c), data))
	}
	r := plugin.Run(t, fmt.Sprintf("prop 0 destination file\nprop 0 file %s\ninit 0\npflush 4 0 t %s\nexit 0\n", out, strings.Join(files, " ")))
	if r.Exit != 0 {
		t.Fatalf("host exit %d", r.Exit)
	}
	threads := map[string]bool{}
	for _, m := range regexp.MustCompile(`rc=1 thread=(\d)`).FindAllStringSubmatch(r.Stdout, -1) {
		threads[m[1]] = true
	}
	if n := strings.Count(r.Stdout, " rc=1 thread="); n != chunks || len(threads) != 4 {
		t.Fatalf("%d successful flushes from %d threads, want %d from 4", n, len(threads), chunks)
	}
	docs := flbhost.ReadDocs(t, out)
	if len(docs) != chunks*per {
		t.Fatalf("%d docs, want %d", len(docs), chunks*per)
	}
	seen := map[string]bool{}
	for i := 0; i < len(docs); i += per {
		c, _ := docs[i]["chunk"].(string)
		if seen[c] {
			t.Fatalf("chunk %s twice", c)
		}
		seen[c] = true
		for j := 0; j < per; j++ {
			d := docs[i+j]
			if d["chunk"] != c || d["i"] != float64(j) {
				t.Fatalf("line %d: chunk %v i %v inside chunk %s: interleaved", i+j, d["chunk"], d["i"], c)
			}
		}
	}
}

// An invalid configuration fails Init with a message naming the key; the
// host then exits with 255 as Fluent Bit does.
func TestInvalidConfig(t *testing.T) {
	setup(t)
	r := plugin.Run(t, "prop 0 Destination kafka\nprop 0 Keep_Message perhaps\ninit 0\n")
	if r.Exit != 255 {
		t.Errorf("host exit %d, want 255", r.Exit)
	}
	r.WantRC(t, "init instance=0", 0)
	for _, want := range []string{
		`[error] [output:haproxy:haproxy.0] haproxy: Destination "kafka" is not valid: want stdout, file or elasticsearch`,
		`[error] [output:haproxy:haproxy.0] haproxy: Keep_Message "perhaps" is not valid`,
		"[go proxy]: plugin 'haproxy' failed to initialize",
	} {
		if !strings.Contains(r.Stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
}

// Destination stdout (the default) writes JSON lines on the process's
// standard output, interleaved with nothing else.
func TestStdout(t *testing.T) {
	setup(t)
	dir := t.TempDir()
	lines := corpus.Lines(t, "*.raw.log")
	var data []byte
	for i := 0; i < 5; i++ {
		data = record(data, false, lines[i], "s", i)
	}
	r := plugin.Run(t, fmt.Sprintf("init 0\nflush 0 t %s\nexit 0\n", flbhost.WriteChunk(t, dir, "s.msgpack", data)))
	r.WantRC(t, "flush instance=0 chunk=s.msgpack", 1)
	n := 0
	for _, l := range strings.Split(r.Stdout, "\n") {
		if strings.HasPrefix(l, "{") {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Errorf("invalid JSON on stdout: %s", l)
			}
			n++
		}
	}
	if n != 5 {
		t.Errorf("%d JSON lines on stdout, want 5", n)
	}
}

// waitfile blocks the host until the test writes the file; source runs a
// script the test wrote meanwhile (with the same instance); Start/WaitRC
// read each call's rc while the host runs.
func TestWaitfileSource(t *testing.T) {
	setup(t)
	dir := t.TempDir()
	lines := corpus.Lines(t, "*.raw.log")
	out := filepath.Join(dir, "out.jsonl")
	var a, b []byte
	for i := 0; i < 5; i++ {
		a = record(a, false, lines[i], "a", i)
		b = record(b, false, lines[i+5], "b", i)
	}
	ca, cb := flbhost.WriteChunk(t, dir, "a.msgpack", a), flbhost.WriteChunk(t, dir, "b.msgpack", b)
	gate, more := filepath.Join(dir, "gate"), filepath.Join(dir, "more")
	p := plugin.Start(t, fmt.Sprintf(`
prop 0 Destination file
prop 0 File %s
init 0
flush 0 haproxy %s
waitfile %s 60
source %s
exit 0
`, out, ca, gate, more))
	if rc := p.WaitRC(t, "flush instance=0 chunk=a.msgpack", 1, 30*time.Second); rc[0] != 1 {
		t.Fatalf("a: rc %v", rc)
	}
	time.Sleep(100 * time.Millisecond)
	if strings.Contains(p.Stdout(), "waitfile") || strings.Contains(p.Stdout(), "exit instance") {
		t.Fatalf("the host did not wait:\n%s", p.Stdout())
	}
	flbhost.WriteFileAtomic(t, more, []byte(fmt.Sprintf("flush 0 haproxy %s\nflush 0 haproxy %s\n", cb, cb)))
	flbhost.WriteFileAtomic(t, gate, nil)
	r := p.Wait(t, 30*time.Second)
	if r.Exit != 0 {
		t.Fatalf("exit %d", r.Exit)
	}
	r.WantRC(t, "flush instance=0 chunk=b.msgpack", 1)
	r.WantRC(t, "exit instance=0", 1)
	if n := len(r.RCs["flush instance=0 chunk=b.msgpack"]); n != 2 {
		t.Errorf("b flushed %d times, want 2", n)
	}
	if docs := flbhost.ReadDocs(t, out); len(docs) != 15 {
		t.Errorf("%d docs, want 15", len(docs))
	}

	// A waitfile that times out ends the host with status 3.
	r = plugin.Run(t, fmt.Sprintf("waitfile %s 0.2\n", filepath.Join(dir, "never")))
	if r.Exit != 3 || !strings.Contains(r.Stderr, "not there after") {
		t.Errorf("exit %d, stderr %q", r.Exit, r.Stderr)
	}
}

// The bench command (make bench-host) flushes every chunk of a chunk file
// from several threads, or only reads and copies them ("-": the floor), and
// counts chunks, records and return codes.
func TestBench(t *testing.T) {
	setup(t)
	dir := t.TempDir()
	lines, err := tailchunk.Lines(corpus.Root(t), 12_000)
	if err != nil {
		t.Fatal(err)
	}
	chunks := filepath.Join(dir, "chunks")
	n, _, err := tailchunk.WriteFile(chunks, lines)
	if err != nil {
		t.Fatal(err)
	}
	if n < 2 {
		t.Fatalf("%d chunks of 12,000 records: want at least 2 for two threads", n)
	}
	out := filepath.Join(dir, "out.jsonl")
	r := plugin.Run(t, fmt.Sprintf("bench 2 - haproxy %s\nprop 0 destination file\nprop 0 file %s\nprop 0 keep_message on\ninit 0\nbench 2 0 haproxy %s\nexit 0\npeak\n", chunks, out, chunks))
	if r.Exit != 0 {
		t.Fatalf("host exit %d", r.Exit)
	}
	want := fmt.Sprintf("bench chunks=%d records=12000 ok=%d retry=0 error=0 bad=0 ", n, n)
	if got := strings.Count(r.Stdout, want); got != 2 {
		t.Fatalf("%d lines %q in the host's output, want 2 (the floor and the plugin)", got, want)
	}
	if m := regexp.MustCompile(`(?m)^peak vmhwm_kb=(\d+)$`).FindStringSubmatch(r.Stdout); m == nil || m[1] == "0" {
		t.Errorf("no peak memory in the host's output")
	}
	docs := flbhost.ReadDocs(t, out)
	if len(docs) != len(lines) {
		t.Fatalf("%d docs, want %d", len(docs), len(lines))
	}
	messages := map[string]int{}
	for _, l := range lines {
		messages[l]++
	}
	for i, d := range docs {
		m, _ := d["message"].(string)
		if messages[m] == 0 {
			t.Fatalf("doc %d: message %q is not one of the lines flushed, or came too often", i, m)
		}
		messages[m]--
	}
}
