// Package corpus gives tests the lines a real HAProxy 2.6 wrote, kept in
// decode/testdata/corpus (see its README): 19 scenarios, each in several
// framings (scenario.log: HAProxy's RFC 3164 syslog; .rfc5424.log; .raw.log:
// the bare lines; .stderr.log). Every package's tests read it through here.
package corpus

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// ModuleRoot is the module's root directory.
func ModuleRoot() (string, error) {
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		dir := filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
	}
	// -trimpath: ask the go command (tests run inside the module).
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if gomod := strings.TrimSpace(string(out)); err == nil && gomod != "" && gomod != os.DevNull {
		return filepath.Dir(gomod), nil
	}
	return "", fmt.Errorf("cannot find the module root (go env GOMOD: %v)", err)
}

// Root is the module's root directory; it fails tb if it cannot be found.
func Root(tb testing.TB) string {
	tb.Helper()
	dir, err := ModuleRoot()
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// Dir is the corpus directory.
func Dir(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(Root(tb), "decode", "testdata", "corpus")
}

// Files are the corpus files matching pattern ("*.raw.log"), sorted; none
// fails tb. "*.log" matches every framing.
func Files(tb testing.TB, pattern string) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(Dir(tb), pattern))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no corpus files %s: %v", pattern, err)
	}
	sort.Strings(files)
	return files
}

// ReadLines returns the non-blank lines of files (any files); none fails tb.
func ReadLines(tb testing.TB, files ...string) []string {
	tb.Helper()
	var lines []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
	}
	if len(lines) == 0 {
		tb.Fatalf("no lines in %v", files)
	}
	return lines
}

// Lines are the non-blank lines of the corpus files matching pattern.
func Lines(tb testing.TB, pattern string) []string {
	tb.Helper()
	return ReadLines(tb, Files(tb, pattern)...)
}

// RFC3164Lines are the lines as HAProxy sent them to syslog
// ("<134>Nov 21 07:35:38 haproxy[3356]: ..."), scenario by scenario: line i
// is the framing of Lines(tb, "*.raw.log")[i].
func RFC3164Lines(tb testing.TB) []string {
	tb.Helper()
	var lines []string
	for _, f := range Files(tb, "*.raw.log") {
		framed := ReadLines(tb, strings.TrimSuffix(f, ".raw.log")+".log")
		if n := len(ReadLines(tb, f)); n != len(framed) {
			tb.Fatalf("%s: %d lines, its RFC 3164 framing %d", f, n, len(framed))
		}
		lines = append(lines, framed...)
	}
	return lines
}

// Bytes converts lines for the tests that decode byte slices.
func Bytes(lines []string) [][]byte {
	out := make([][]byte, len(lines))
	for i, l := range lines {
		out[i] = []byte(l)
	}
	return out
}
