package e2e_test

// The state across lines on a real HAProxy: a backend whose only server is
// stopped and restarted (an outage started, ongoing, ended, with the
// duration the test measured), a backup server taking over, a server
// flapped 5 times, a reload (a second HAProxy with -sf). The lines are read
// by the command (haproxy-decode, built here), and by the plugin through the
// C host with four threads flushing at once: both give the same fields.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/test/flbhost"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/test/haproxyrun"
)

// stateRun is what the scenarios produced: the lines, and where in them
// each step is.
type stateRun struct {
	lines []string

	singleDown, singleUp int
	measured             time.Duration // from stopping the server to starting it again
	singleRefused        []int         // requests refused during the outage

	backupActiveDown, backupOnBackup, backupDown, backupActiveUp, backupUp int

	flap []int // the 10 state lines of the flapping server, in order

	oldPID, newPID int
	oldStops       []int // the old process's "Proxy ... stopped" lines
	firstNew       int   // the new process's first line
	newStops       []int // the new process's own stop at the end (no reload)
}

func runStateScenarios(t *testing.T) *stateRun {
	t.Helper()
	requireHAProxy(t)
	bin, err := haproxyrun.HAProxyPath()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rx := newSyslogRx(t)
	single, active, backup, flapper := newBackend(t), newBackend(t), newBackend(t), newBackend(t)
	fronts := map[string]int{"single": freePort(t), "backup": freePort(t), "flap": freePort(t)}
	cfg := writeConfig(t, dir, rx.port(), fronts,
		"backend be_single\n"+server("s1", single, false)+
			"backend be_backup\n"+server("s1", active, false)+server("bk1", backup, true)+
			"backend be_flap\n"+server("f1", flapper, false))
	old := startHAProxy(t, bin, cfg)
	r := &stateRun{oldPID: old.pid()}
	time.Sleep(5 * checkInter) // the first checks pass: every server is UP, nothing is logged

	// A backend whose only server stops, then starts again.
	t0 := time.Now()
	single.stop()
	r.singleDown = rx.waitFor(t, 0, "Server be_single/s1 is DOWN")
	for i := 0; i < 3; i++ {
		if st := get(t, fronts["single"], fmt.Sprintf("refused-%d", i)); st != 503 {
			t.Fatalf("request during the outage: status %d, want 503", st)
		}
		r.singleRefused = append(r.singleRefused, rx.waitFor(t, r.singleDown, fmt.Sprintf("id=refused-%d ", i)))
	}
	time.Sleep(500 * time.Millisecond)
	r.measured = time.Since(t0)
	single.start()
	r.singleUp = rx.waitFor(t, r.singleDown, "Server be_single/s1 is UP")

	// The active server stops: the backup takes over (no outage); then
	// the backup stops too (an outage), and the active server comes back.
	from := rx.count()
	active.stop()
	r.backupActiveDown = rx.waitFor(t, from, "Server be_backup/s1 is DOWN", "Running on backup")
	if st := get(t, fronts["backup"], "on-backup"); st != 200 {
		t.Fatalf("request on the backup: status %d", st)
	}
	r.backupOnBackup = rx.waitFor(t, from, "id=on-backup ")
	backup.stop()
	r.backupDown = rx.waitFor(t, from, "Backup Server be_backup/bk1 is DOWN")
	time.Sleep(300 * time.Millisecond)
	active.start()
	r.backupActiveUp = rx.waitFor(t, r.backupDown, "Server be_backup/s1 is UP")
	backup.start()
	r.backupUp = rx.waitFor(t, r.backupDown, "Backup Server be_backup/bk1 is UP")

	// A server flapped 5 times.
	for i := 0; i < 5; i++ {
		from = rx.count()
		flapper.stop()
		r.flap = append(r.flap, rx.waitFor(t, from, "Server be_flap/f1 is DOWN"))
		flapper.start()
		r.flap = append(r.flap, rx.waitFor(t, from, "Server be_flap/f1 is UP"))
	}

	// A reload: a new process takes over the ports (-sf: the old one
	// stops its proxies, then exits).
	from = rx.count()
	next := startHAProxy(t, bin, cfg, "-sf", fmt.Sprint(r.oldPID))
	r.newPID = next.pid()
	rx.waitFor(t, from, fmt.Sprintf(" haproxy %d - - Proxy be_flap stopped", r.oldPID))
	old.wait(t)
	if st := get(t, fronts["single"], "after-reload"); st != 200 {
		t.Fatalf("request after the reload: status %d", st)
	}
	rx.waitFor(t, from, "id=after-reload ")
	// The new process stops for good: no new process follows, no reload.
	stopFrom := rx.count()
	next.stop(t)
	rx.waitFor(t, stopFrom, fmt.Sprintf(" haproxy %d - - Proxy be_flap stopped", r.newPID))

	r.lines = rx.all()
	r.firstNew = -1
	oldTag, newTag := fmt.Sprintf(" haproxy %d - - ", r.oldPID), fmt.Sprintf(" haproxy %d - - ", r.newPID)
	for i, l := range r.lines {
		switch {
		case strings.Contains(l, newTag) && r.firstNew < 0:
			r.firstNew = i
		}
		if strings.Contains(l, " stopped (cumulated conns") {
			if strings.Contains(l, oldTag) {
				r.oldStops = append(r.oldStops, i)
			} else if strings.Contains(l, newTag) {
				r.newStops = append(r.newStops, i)
			}
		}
	}
	if len(r.oldStops) == 0 || len(r.newStops) == 0 || r.firstNew < 0 {
		t.Fatalf("reload lines: old stops %v, new stops %v, first new %d", r.oldStops, r.newStops, r.firstNew)
	}
	t.Cleanup(func() {
		if t.Failed() || os.Getenv("E2E_DUMP") == "1" {
			t.Logf("old haproxy stderr:\n%s\nnew haproxy stderr:\n%s", &old.stderr, &next.stderr)
			for i, l := range r.lines {
				t.Logf("line %d: %s", i, l)
			}
		}
	})
	return r
}

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// buildCLI builds haproxy-decode once per test binary.
func buildCLI(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		root, err := corpus.ModuleRoot()
		if err != nil {
			cliErr = err
			return
		}
		dir, err := os.MkdirTemp("", "haproxy-decode-")
		if err != nil {
			cliErr = err
			return
		}
		cliPath = filepath.Join(dir, "haproxy-decode")
		cmd := exec.Command("go", "build", "-o", cliPath, "./cmd/haproxy-decode")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			cliErr = fmt.Errorf("go build ./cmd/haproxy-decode: %v\n%s", err, out)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

// decodeCLI runs haproxy-decode over lines and returns one document per line.
func decodeCLI(t *testing.T, lines []string) []map[string]any {
	t.Helper()
	in := filepath.Join(t.TempDir(), "haproxy.log")
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(buildCLI(t), "-tz", "UTC", in).Output()
	if err != nil {
		t.Fatalf("haproxy-decode: %v", err)
	}
	var docs []map[string]any
	for _, l := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		var d map[string]any
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("haproxy-decode wrote %q: %v", l, err)
		}
		docs = append(docs, d)
	}
	if len(docs) != len(lines) {
		t.Fatalf("%d documents for %d lines", len(docs), len(lines))
	}
	return docs
}

func field(d map[string]any, path string) any {
	v, _ := flbhost.Lookup(d, strings.Split(path, ".")...)
	return v
}

func ms(v any) time.Duration {
	f, _ := v.(float64)
	return time.Duration(f) * time.Millisecond
}

func TestStateScenarios(t *testing.T) {
	r := runStateScenarios(t)
	docs := decodeCLI(t, r.lines)
	t.Run("outage", func(t *testing.T) { checkSingleOutage(t, r, docs) })
	t.Run("backup", func(t *testing.T) { checkBackup(t, r, docs) })
	t.Run("flapping", func(t *testing.T) { checkFlapping(t, r, docs) })
	t.Run("reload", func(t *testing.T) { checkReload(t, r, docs) })
	t.Run("plugin-workers-same-as-cli", func(t *testing.T) { checkPluginWorkers(t, r.lines) })
}

func checkSingleOutage(t *testing.T, r *stateRun, docs []map[string]any) {
	start, end := docs[r.singleDown], docs[r.singleUp]
	id := field(start, "haproxy.outage.id")
	if field(start, "haproxy.outage.state") != "started" || id == nil || field(start, "haproxy.outage.started_at") == nil {
		t.Fatalf("the DOWN line: %v", field(start, "haproxy.outage"))
	}
	// Every line of be_single in between is ongoing: the "no server
	// available" line, the health checks, the refused requests.
	for i := r.singleDown + 1; i < r.singleUp; i++ {
		if !strings.Contains(r.lines[i], "be_single") {
			continue
		}
		if field(docs[i], "haproxy.outage.state") != "ongoing" || field(docs[i], "haproxy.outage.id") != id {
			t.Errorf("line %d during the outage: %v\n%s", i, field(docs[i], "haproxy.outage"), r.lines[i])
		}
	}
	for _, i := range r.singleRefused {
		if field(docs[i], "haproxy.outage.state") != "ongoing" || field(docs[i], "http.response.status_code") != 503.0 {
			t.Errorf("refused request %d: %v", i, field(docs[i], "haproxy.outage"))
		}
	}
	if field(end, "haproxy.outage.state") != "ended" || field(end, "haproxy.outage.id") != id ||
		fmt.Sprint(field(end, "haproxy.outage.servers_down")) != "[s1]" {
		t.Fatalf("the UP line: %v", field(end, "haproxy.outage"))
	}
	d := ms(field(end, "haproxy.outage.duration_ms"))
	// The checks see the server go and come back within their interval
	// each; the test's clock and HAProxy's differ by scheduling on a
	// loaded machine, hence the slack.
	const slack = 250 * time.Millisecond
	t.Logf("outage duration %v, measured %v (check interval %v)", d, r.measured, checkInter)
	if diff := time.Duration(math.Abs(float64(d - r.measured))); diff > checkInter+slack {
		t.Errorf("duration_ms %v, the test measured %v: more than the check interval (%v) + %v apart", d, r.measured, checkInter, slack)
	}
	if down := ms(field(end, "haproxy.server.downtime_ms")); down != d || field(end, "haproxy.server.down_since") != field(start, "haproxy.outage.started_at") {
		t.Errorf("server downtime %v since %v; outage %v since %v", down, field(end, "haproxy.server.down_since"), d, field(start, "haproxy.outage.started_at"))
	}
	if field(docs[r.singleUp+1], "haproxy.outage") != nil && strings.Contains(r.lines[r.singleUp+1], "be_single") {
		t.Errorf("after the end: %v", field(docs[r.singleUp+1], "haproxy.outage"))
	}
}

func checkBackup(t *testing.T, r *stateRun, docs []map[string]any) {
	for _, i := range []int{r.backupActiveDown, r.backupOnBackup} {
		if o := field(docs[i], "haproxy.outage"); o != nil {
			t.Errorf("the backup took over, yet line %d has %v\n%s", i, o, r.lines[i])
		}
	}
	if field(docs[r.backupActiveDown], "haproxy.servers.running_on_backup") != true {
		t.Errorf("running_on_backup: %v", field(docs[r.backupActiveDown], "haproxy.servers"))
	}
	start, end := docs[r.backupDown], docs[r.backupActiveUp]
	if field(start, "haproxy.outage.state") != "started" {
		t.Fatalf("the backup's DOWN: %v", field(start, "haproxy.outage"))
	}
	if field(end, "haproxy.outage.state") != "ended" || field(end, "haproxy.outage.id") != field(start, "haproxy.outage.id") ||
		fmt.Sprint(field(end, "haproxy.outage.servers_down")) != "[s1 bk1]" {
		t.Errorf("the active server's UP: %v", field(end, "haproxy.outage"))
	}
	if o := field(docs[r.backupUp], "haproxy.outage"); o != nil || field(docs[r.backupUp], "haproxy.server.downtime_ms") == nil {
		t.Errorf("the backup's UP: outage %v, server %v", o, field(docs[r.backupUp], "haproxy.server"))
	}
}

func checkFlapping(t *testing.T, r *stateRun, docs []map[string]any) {
	if len(r.flap) != 10 {
		t.Fatalf("%d flap lines", len(r.flap))
	}
	for k, i := range r.flap {
		n := k + 1 // the n-th change of state, within the 10 min window
		flapping, transitions := field(docs[i], "haproxy.server.flapping"), field(docs[i], "haproxy.server.transitions")
		if n >= 4 && (flapping != true || transitions != float64(n)) || n < 4 && (flapping != nil || transitions != nil) {
			t.Errorf("change %d: flapping %v, transitions %v\n%s", n, flapping, transitions, r.lines[i])
		}
	}
}

func checkReload(t *testing.T, r *stateRun, docs []map[string]any) {
	first := docs[r.firstNew]
	if field(first, "haproxy.lifecycle.reload") != true || field(first, "haproxy.lifecycle.old_pid") != float64(r.oldPID) {
		t.Errorf("the new process's first line: %v\n%s", field(first, "haproxy.lifecycle"), r.lines[r.firstNew])
	}
	for _, i := range append(append([]int{}, r.oldStops...), r.newStops...) {
		if o := field(docs[i], "haproxy.outage"); o != nil {
			t.Errorf("a proxy stop read as an outage: %v\n%s", o, r.lines[i])
		}
	}
	for _, i := range r.newStops {
		if l := field(docs[i], "haproxy.lifecycle"); l != nil {
			t.Errorf("the last process's own stop is no reload: %v\n%s", l, r.lines[i])
		}
	}
}

var rfc5424Host = regexp.MustCompile(`^(<\d+>1 \S+ )lb-state `)

// checkPluginWorkers: the lines of four HAProxy hosts (the run's lines
// under four host names, as a central syslog server collects them) in one
// stream, cut into chunks that four threads of the C host flush into one
// plugin instance at once. Each host's chunks go to one thread, in order
// (chunk c to thread c%4); the state is per host, so the documents must
// carry the same state fields as the command gives over the same stream.
func checkPluginWorkers(t *testing.T, lines []string) {
	plugin := flbhost.Build(t)
	const hosts, per = 4, 9
	var chunks [][]string
	for seg := 0; seg*per < len(lines); seg++ {
		for h := 0; h < hosts; h++ {
			var c []string
			for _, l := range lines[seg*per : min(len(lines), (seg+1)*per)] {
				c = append(c, rfc5424Host.ReplaceAllString(l, fmt.Sprintf("${1}lb-%d ", h)))
			}
			chunks = append(chunks, c)
		}
	}
	var stream []string
	dir := t.TempDir()
	var files []string
	received := time.Now()
	for i, c := range chunks {
		stream = append(stream, c...)
		files = append(files, flbhost.WriteChunk(t, dir, fmt.Sprintf("c%03d.msgpack", i), flbhost.AppendLines(nil, flbhost.LayoutV2, received, c...)))
	}
	out, stateFile := filepath.Join(dir, "out.jsonl"), filepath.Join(dir, "haproxy.state")
	res := plugin.Run(t, fmt.Sprintf("prop 0 Destination file\nprop 0 File %s\nprop 0 Keep_Message on\nprop 0 State_File %s\ninit 0\npflush %d 0 haproxy %s\nexit 0\n",
		out, stateFile, hosts, strings.Join(files, " ")))
	if res.Exit != 0 {
		t.Fatalf("host exit %d", res.Exit)
	}
	// FLBPluginExitCtx wrote the state file, with the four hosts in it.
	if saved, err := os.ReadFile(stateFile); err != nil || strings.Count(string(saved), `"kind":"host"`) != hosts {
		t.Errorf("state file at exit: %v\n%.300s", err, saved)
	}
	if strings.Contains(res.Stderr, "[error]") || strings.Contains(res.Stderr, "[ warn]") {
		t.Errorf("the plugin logged errors or warnings:\n%s", res.Stderr)
	}
	if n := strings.Count(res.Stdout, " rc=1 thread="); n != len(chunks) {
		t.Fatalf("%d successful flushes, want %d", n, len(chunks))
	}
	pluginDocs := flbhost.ReadDocs(t, out)
	cliDocs := decodeCLI(t, stream)
	if len(pluginDocs) != len(stream) {
		t.Fatalf("%d documents from the plugin, %d lines", len(pluginDocs), len(stream))
	}
	byMessage := map[string]map[string]any{}
	for _, d := range pluginDocs {
		byMessage[fmt.Sprint(d["message"])] = d
	}
	stateOf := func(d map[string]any) string {
		b, _ := json.Marshal([]any{field(d, "haproxy.outage"), field(d, "haproxy.lifecycle"),
			field(d, "haproxy.server.down_since"), field(d, "haproxy.server.downtime_ms"),
			field(d, "haproxy.server.flapping"), field(d, "haproxy.server.transitions")})
		return string(b)
	}
	withState := 0
	for i, c := range cliDocs {
		p, ok := byMessage[stream[i]]
		if !ok {
			t.Fatalf("no plugin document for line %d: %s", i, stream[i])
		}
		if a, b := stateOf(c), stateOf(p); a != b {
			t.Errorf("line %d: command %s, plugin %s\n%s", i, a, b, stream[i])
		}
		if field(c, "haproxy.outage.state") != nil {
			withState++
		}
	}
	t.Logf("%d chunks, %d lines, %d with an outage state: the same in the command and the plugin", len(chunks), len(stream), withState)
	if withState == 0 {
		t.Error("no line with an outage state: the comparison compares nothing")
	}
}

// pidOf is the pid in an RFC 5424 line from HAProxy.
var pidOf = regexp.MustCompile(`^<\d+>1 \S+ \S+ haproxy (\d+) `)

// Debian's systemd unit runs HAProxy in master-worker mode (-Ws) and
// reloads it with SIGUSR2 to the master: a new worker starts, the old one
// stops its proxies. Only the workers log to syslog: the new worker's first
// line shows the reload.
func TestStateMasterWorkerReload(t *testing.T) {
	requireHAProxy(t)
	bin, err := haproxyrun.HAProxyPath()
	if err != nil {
		t.Fatal(err)
	}
	rx := newSyslogRx(t)
	srv := newBackend(t)
	port := freePort(t)
	cfg := writeConfig(t, t.TempDir(), rx.port(), map[string]int{"mw": port}, "backend be_mw\n"+server("s1", srv, false))
	master := startHAProxy(t, bin, cfg, "-W")
	waitStatus := func(id string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			if st, ok := tryGet(port, id); ok {
				if st != 200 {
					t.Fatalf("request %s: status %d", id, st)
				}
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("request %s: the worker does not answer", id)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitStatus("before")
	before := rx.waitFor(t, 0, "id=before ")
	m := pidOf.FindStringSubmatch(rx.all()[before])
	if m == nil {
		t.Fatalf("no pid in %s", rx.all()[before])
	}
	oldWorker := m[1]
	if err := master.cmd.Process.Signal(syscall.SIGUSR2); err != nil {
		t.Fatal(err)
	}
	rx.waitFor(t, before, " haproxy "+oldWorker+" - - Proxy be_mw stopped")
	waitStatus("after")
	after := rx.waitFor(t, before, "id=after ")
	lines := rx.all()[:after+1]
	if pidOf.FindStringSubmatch(lines[after])[1] == oldWorker {
		t.Fatalf("the request after the reload was served by the old worker %s", oldWorker)
	}
	docs := decodeCLI(t, lines)
	marked := 0
	for i, d := range docs {
		if field(d, "haproxy.outage") != nil {
			t.Errorf("line %d read as an outage: %s", i, lines[i])
		}
		if field(d, "haproxy.lifecycle.reload") == true {
			marked++
			if i != after || fmt.Sprint(field(d, "haproxy.lifecycle.old_pid")) != oldWorker {
				t.Errorf("line %d marked as a reload (old pid %v): %s", i, field(d, "haproxy.lifecycle.old_pid"), lines[i])
			}
		}
	}
	if marked != 1 {
		t.Errorf("%d lines marked as a reload, want the new worker's first one\n%s", marked, strings.Join(lines, "\n"))
	}
}

// tryGet is get without failing: ok is false when nothing answers yet.
func tryGet(port int, id string) (status int, ok bool) {
	c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
	if err != nil {
		return 0, false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Second))
	fmt.Fprintf(c, "GET /?id=%s HTTP/1.1\r\nHost: state.test\r\nConnection: close\r\n\r\n", id)
	if _, err := fmt.Fscanf(bufio.NewReader(c), "HTTP/1.1 %d", &status); err != nil {
		return 0, false
	}
	return status, true
}
