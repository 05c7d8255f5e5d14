// Package flbhost runs the real out_haproxy.so the way Fluent Bit does, for
// tests: it builds the plugin (go build -buildmode=c-shared) and flbhost.c,
// a C program that dlopens the .so and calls it exactly as Fluent Bit's Go
// proxy does (same structs, same shared plugin pointer for every Init,
// FlushCtx from several threads), runs flbhost scripts, builds the msgpack
// chunks they flush and reads the JSON lines of the file destination.
//
// Environment:
//
//	FLBHOST_SO=path           use a prebuilt out_haproxy.so instead of building one
//	FLBHOST_BIN=path          use a prebuilt flbhost binary instead of compiling flbhost.c
//	REQUIRE_INTEGRATION=1     fail instead of skip when gcc is missing
//
// Without gcc (needed for cgo and for flbhost.c, unless both FLBHOST_SO and
// FLBHOST_BIN are given) Build skips the test, unless REQUIRE_INTEGRATION=1.
//
// The build happens once per test binary, into a temporary directory that
// Cleanup (or Main) removes.
package flbhost

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinylib/msgp/msgp"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// Plugin is a plugin .so and the flbhost program that drives it.
type Plugin struct {
	SO   string // out_haproxy.so
	Host string // the flbhost binary
}

var (
	buildOnce sync.Once
	built     *Plugin
	buildErr  error
	buildMu   sync.Mutex
	buildDir  string
)

// Build returns the plugin and the host, building them on the first call
// (FLBHOST_SO and FLBHOST_BIN name prebuilt ones). It skips tb when gcc is
// needed and missing, or fails it when REQUIRE_INTEGRATION=1; a build error
// fails tb.
func Build(tb testing.TB) *Plugin {
	tb.Helper()
	so, bin := os.Getenv("FLBHOST_SO"), os.Getenv("FLBHOST_BIN")
	if so == "" || bin == "" {
		if _, err := exec.LookPath("gcc"); err != nil {
			if os.Getenv("REQUIRE_INTEGRATION") == "1" {
				tb.Fatal("gcc not found and REQUIRE_INTEGRATION=1")
			}
			tb.Skip("gcc not found: the Fluent Bit host test needs a C compiler (set REQUIRE_INTEGRATION=1 to fail instead)")
		}
	}
	buildOnce.Do(func() { built, buildErr = build(so, bin) })
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return built
}

func build(so, bin string) (*Plugin, error) {
	root, err := corpus.ModuleRoot()
	if err != nil {
		return nil, err
	}
	p := &Plugin{}
	for _, v := range []struct {
		env, path string
		dst       *string
	}{{"FLBHOST_SO", so, &p.SO}, {"FLBHOST_BIN", bin, &p.Host}} {
		if v.path == "" {
			continue
		}
		abs, err := filepath.Abs(v.path)
		if err != nil {
			return nil, err
		}
		if st, err := os.Stat(abs); err != nil || !st.Mode().IsRegular() {
			return nil, fmt.Errorf("%s=%q: not a regular file (%v)", v.env, v.path, err)
		}
		*v.dst = abs
	}
	if p.SO != "" && p.Host != "" {
		return p, nil
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if buildDir, err = os.MkdirTemp("", "flbhost"); err != nil {
		return nil, err
	}
	if p.SO == "" {
		p.SO = filepath.Join(buildDir, "out_haproxy.so")
		cmd := exec.Command("go", "build", "-buildmode=c-shared", "-o", p.SO, "./plugin")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build: %v\n%s", err, out)
		}
	}
	if p.Host == "" {
		p.Host = filepath.Join(buildDir, "flbhost")
		cmd := exec.Command("gcc", "-O1", "-g", "-Wall", "-o", p.Host,
			filepath.Join(root, "test/flbhost/flbhost.c"), "-ldl", "-lpthread")
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("gcc: %v\n%s", err, out)
		}
	}
	return p, nil
}

// Cleanup removes what Build built. Call it once all tests have run.
func Cleanup() {
	buildMu.Lock()
	defer buildMu.Unlock()
	if buildDir != "" {
		os.RemoveAll(buildDir)
		buildDir = ""
	}
}

// Main is a TestMain: it runs the tests, calls Cleanup and exits.
func Main(m *testing.M) {
	code := m.Run()
	Cleanup()
	os.Exit(code)
}

// --- running scripts ---------------------------------------------------------

// Result is what one run of the host printed and returned.
type Result struct {
	Stdout, Stderr string
	Exit           int              // the host's exit status (255: an Init failed)
	RCs            map[string][]int // "flush instance=0 chunk=x" → return codes, in call order
}

var rcLine = regexp.MustCompile(`^(\w+ instance=\d+(?: chunk=\S+)?) rc=(-?\d+)`)

// Run writes script to a temporary file, runs the host on it and parses the
// `CALL rc=N` lines of its output. Both outputs are logged. A host that
// cannot be started fails tb; a non-zero exit status is only reported.
func (p *Plugin) Run(tb testing.TB, script string) *Result {
	tb.Helper()
	sp := filepath.Join(tb.TempDir(), "script")
	if err := os.WriteFile(sp, []byte(script), 0o644); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(p.Host, p.SO, sp)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := &Result{Stdout: out.String(), Stderr: errb.String(), RCs: map[string][]int{}}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.Exit = ee.ExitCode()
	} else if err != nil {
		tb.Fatal(err)
	}
	for _, l := range strings.Split(r.Stdout, "\n") {
		if m := rcLine.FindStringSubmatch(l); m != nil {
			rc, _ := strconv.Atoi(m[2])
			r.RCs[m[1]] = append(r.RCs[m[1]], rc)
		}
	}
	tb.Logf("host stdout:\n%s\nhost stderr:\n%s", r.Stdout, r.Stderr)
	return r
}

// Proc is a host started in the background by Start: the test acts while
// the host runs (stops a server, writes the file a `waitfile` command waits
// for ...) and reads each call's return code as soon as it is printed.
type Proc struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout bytes.Buffer // whole lines and the partial last one
	stderr bytes.Buffer
	rcs    map[string][]int
	change chan struct{} // closed and replaced at every new line or at exit
	done   chan struct{} // closed when the host has exited
	exit   int
	err    error
}

// procWriter feeds one output of the host into p.
type procWriter struct {
	p   *Proc
	out bool // stdout (parsed) rather than stderr
}

func (w procWriter) Write(b []byte) (int, error) {
	p := w.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if !w.out {
		return p.stderr.Write(b)
	}
	start := bytes.LastIndexByte(p.stdout.Bytes(), '\n') + 1 // the partial last line
	p.stdout.Write(b)
	all := p.stdout.Bytes()
	end := bytes.LastIndexByte(all, '\n')
	if end < start {
		return len(b), nil
	}
	for _, l := range strings.Split(string(all[start:end]), "\n") {
		if m := rcLine.FindStringSubmatch(l); m != nil {
			rc, _ := strconv.Atoi(m[2])
			p.rcs[m[1]] = append(p.rcs[m[1]], rc)
		}
	}
	close(p.change)
	p.change = make(chan struct{})
	return len(b), nil
}

// Start runs the host on script in the background. The host is killed at
// the end of the test if it is still running; its outputs are logged then.
func (p *Plugin) Start(tb testing.TB, script string) *Proc {
	tb.Helper()
	sp := filepath.Join(tb.TempDir(), "script")
	if err := os.WriteFile(sp, []byte(script), 0o644); err != nil {
		tb.Fatal(err)
	}
	pr := &Proc{rcs: map[string][]int{}, change: make(chan struct{}), done: make(chan struct{})}
	pr.cmd = exec.Command(p.Host, p.SO, sp)
	pr.cmd.Stdout, pr.cmd.Stderr = procWriter{pr, true}, procWriter{pr, false}
	if err := pr.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go func() {
		err := pr.cmd.Wait()
		pr.mu.Lock()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			pr.exit = ee.ExitCode()
		} else {
			pr.err = err
		}
		close(pr.change)
		pr.change = make(chan struct{})
		pr.mu.Unlock()
		close(pr.done)
	}()
	tb.Cleanup(func() {
		select {
		case <-pr.done:
			return
		default:
		}
		_ = pr.cmd.Process.Kill()
		<-pr.done
		pr.mu.Lock()
		defer pr.mu.Unlock()
		tb.Logf("host killed at the end of the test; stdout:\n%s\nstderr:\n%s", pr.stdout.String(), pr.stderr.String())
	})
	return pr
}

// WaitRC waits until call ("flush instance=0 chunk=NAME") has returned n
// times and returns its return codes. It fails tb if the host exits first
// or timeout passes.
func (pr *Proc) WaitRC(tb testing.TB, call string, n int, timeout time.Duration) []int {
	tb.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		pr.mu.Lock()
		rcs := append([]int(nil), pr.rcs[call]...)
		ch := pr.change
		pr.mu.Unlock()
		if len(rcs) >= n {
			return rcs
		}
		select {
		case <-pr.done:
			pr.mu.Lock()
			rcs = append([]int(nil), pr.rcs[call]...)
			pr.mu.Unlock()
			if len(rcs) >= n {
				return rcs
			}
			tb.Fatalf("%s: the host exited (status %d) after %d of %d calls; stdout:\n%s\nstderr:\n%s",
				call, pr.exit, len(rcs), n, pr.Stdout(), pr.Stderr())
		case <-deadline.C:
			tb.Fatalf("%s: %d of %d calls after %v; stdout:\n%s\nstderr:\n%s",
				call, len(rcs), n, timeout, pr.Stdout(), pr.Stderr())
		case <-ch:
		}
	}
}

// RCs returns a copy of the return codes printed so far.
func (pr *Proc) RCs() map[string][]int {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	m := make(map[string][]int, len(pr.rcs))
	for k, v := range pr.rcs {
		m[k] = append([]int(nil), v...)
	}
	return m
}

// Stdout is what the host printed on stdout so far.
func (pr *Proc) Stdout() string {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	return pr.stdout.String()
}

// Stderr is what the host (and the plugin's log) printed on stderr so far.
func (pr *Proc) Stderr() string {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	return pr.stderr.String()
}

// Wait waits for the host to exit (killing it after timeout, which fails
// tb) and returns its Result; both outputs are logged.
func (pr *Proc) Wait(tb testing.TB, timeout time.Duration) *Result {
	tb.Helper()
	select {
	case <-pr.done:
	case <-time.After(timeout):
		_ = pr.cmd.Process.Kill()
		<-pr.done
		tb.Errorf("the host did not exit within %v: killed", timeout)
	}
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if pr.err != nil {
		tb.Fatal(pr.err)
	}
	r := &Result{Stdout: pr.stdout.String(), Stderr: pr.stderr.String(), Exit: pr.exit, RCs: map[string][]int{}}
	for k, v := range pr.rcs {
		r.RCs[k] = append([]int(nil), v...)
	}
	tb.Logf("host stdout:\n%s\nhost stderr:\n%s", r.Stdout, r.Stderr)
	return r
}

// WriteFileAtomic writes data to path through a temporary file and a
// rename, so that a host waiting for path (waitfile) never reads it
// half-written (e.g. a script for `source`).
func WriteFileAtomic(tb testing.TB, path string, data []byte) {
	tb.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
}

// WantRC reports an error unless call ("flush instance=0 chunk=NAME",
// "init instance=1" ...) was made and every time returned want.
func (r *Result) WantRC(tb testing.TB, call string, want int) {
	tb.Helper()
	got := r.RCs[call]
	if len(got) == 0 {
		tb.Errorf("%s: not called", call)
		return
	}
	for _, rc := range got {
		if rc != want {
			tb.Errorf("%s: rc=%d, want %d", call, rc, want)
		}
	}
}

// --- chunks ------------------------------------------------------------------

// Layout is the shape of a record in a chunk.
type Layout int

const (
	// LayoutV2 is [[EventTime, {metadata}], {body}] (Fluent Bit ≥ 2.1),
	// with an empty metadata map.
	LayoutV2 Layout = iota
	// LayoutV1 is [EventTime, {body}] (older Fluent Bit).
	LayoutV1
)

// Group marker timestamps (seconds of the EventTime of a LayoutV2 record).
const (
	GroupStart uint32 = 0xFFFFFFFF // -1
	GroupEnd   uint32 = 0xFFFFFFFE // -2
)

// Field is one key/value pair of a record body. Value is anything
// msgp.AppendIntf accepts (string, int, float64, bool, nil, []byte ...).
type Field struct {
	Key   string
	Value any
}

// AppendEventTime appends a msgpack EventTime (ext 0, fixext8).
func AppendEventTime(b []byte, sec, nsec uint32) []byte {
	b = append(b, 0xd7, 0x00)
	b = binary.BigEndian.AppendUint32(b, sec)
	return binary.BigEndian.AppendUint32(b, nsec)
}

// AppendRecord appends one record at time t with the fields in order.
func AppendRecord(b []byte, layout Layout, t time.Time, fields ...Field) []byte {
	b = msgp.AppendArrayHeader(b, 2)
	if layout == LayoutV2 {
		b = msgp.AppendArrayHeader(b, 2)
	}
	b = AppendEventTime(b, uint32(t.Unix()), uint32(t.Nanosecond()))
	if layout == LayoutV2 {
		b = msgp.AppendMapHeader(b, 0)
	}
	b = msgp.AppendMapHeader(b, uint32(len(fields)))
	for _, f := range fields {
		b = msgp.AppendString(b, f.Key)
		var err error
		if b, err = msgp.AppendIntf(b, f.Value); err != nil {
			panic(fmt.Sprintf("flbhost: field %q: %v", f.Key, err))
		}
	}
	return b
}

// AppendGroupMarker appends a LayoutV2 group marker [[EventTime(sec), {}], {}]
// (sec is GroupStart or GroupEnd).
func AppendGroupMarker(b []byte, sec uint32) []byte {
	b = append(b, 0x92, 0x92)
	b = AppendEventTime(b, sec, 0)
	return append(b, 0x80, 0x80)
}

// AppendLines appends one record {"log": line} per line, as the tail input
// writes them; record i is at start + i seconds.
func AppendLines(b []byte, layout Layout, start time.Time, lines ...string) []byte {
	for i, l := range lines {
		b = AppendRecord(b, layout, start.Add(time.Duration(i)*time.Second), Field{"log", l})
	}
	return b
}

// WriteChunk writes data to dir/name and returns the path.
func WriteChunk(tb testing.TB, dir, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// --- output ------------------------------------------------------------------

// ReadDocs reads the JSON lines of the file destination, one document per
// line; an invalid line fails tb.
func ReadDocs(tb testing.TB, path string) []map[string]any {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var docs []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			tb.Fatalf("%s: invalid JSON line %q: %v", path, sc.Text(), err)
		}
		docs = append(docs, m)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return docs
}

// Lookup follows keys through nested objects of a document:
// Lookup(doc, "haproxy", "termination", "blame"). It returns the value and
// whether it exists.
func Lookup(doc map[string]any, keys ...string) (any, bool) {
	var v any = doc
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}
