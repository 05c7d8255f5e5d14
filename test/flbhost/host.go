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
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinylib/msgp/msgp"
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
	root, err := repoRoot()
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

// repoRoot is the module's root directory.
func repoRoot() (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		root := filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			return root, nil
		}
	}
	// -trimpath: ask the go command (tests run inside the module).
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if gomod := strings.TrimSpace(string(out)); err == nil && gomod != "" && gomod != os.DevNull {
		return filepath.Dir(gomod), nil
	}
	return "", fmt.Errorf("cannot find the module root (go env GOMOD: %v)", err)
}

// RepoRoot is the module's root directory; it fails tb if it cannot be found.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	root, err := repoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	return root
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
