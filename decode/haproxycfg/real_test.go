package haproxycfg

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The quoting cases HAProxy itself reads: each frontend's log-format is
// only literal text and %ST, so the line HAProxy writes for a request is
// the format as its tokenizer produced it, with 200 for %ST. It must be
// what this reader produced.
var realQuoting = []string{
	`"lit \"q\" %ST"`,
	`'single $V'\ %ST`,
	`lit\ \#\\\x41\ %ST`,
	`"${V}-${UNSET-dflt}-$V-[${EMPTY}] %ST"`,
	`"a\$V b"\ %ST`,
	`x\zy\ %ST`,
	`"dq"'sq'\ un\ %ST # a comment`,
	`mid#comment\ %ST`,
	`"%ST"\'\"`,
}

func haproxyBin(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("HAPROXY_BIN"), "haproxy", "/usr/sbin/haproxy"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("REQUIRE_INTEGRATION") == "1" {
		t.Fatal("REQUIRE_INTEGRATION=1 but haproxy is not installed (Debian: apt-get install haproxy)")
	}
	t.Skip("haproxy is not installed (set REQUIRE_INTEGRATION=1 to make this a failure)")
	return ""
}

func TestQuotingAsRealHAProxy(t *testing.T) {
	bin := haproxyBin(t)
	env := map[string]string{"V": "val", "EMPTY": ""}
	var cfg strings.Builder
	cfg.WriteString("global\n    log stdout format raw local0\n    nbthread 1\n" +
		"defaults\n    mode http\n    log global\n    timeout connect 1s\n    timeout client 2s\n    timeout server 2s\n")
	files, addrs := listeners(t, len(realQuoting))
	for i, f := range realQuoting {
		fmt.Fprintf(&cfg, "frontend fe%d\n    bind fd@%d\n    log-format %s\n    http-request return status 200\n", i, 3+i, f)
	}
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	parsed, err := ReadFiles([]string{path}, testEnv(env))
	if err != nil {
		t.Fatal(err)
	}

	lines, stderr := startHAProxy(t, bin, path, files, "V=val", "EMPTY=")
	for i, f := range realQuoting {
		c, err := net.DialTimeout("tcp4", addrs[i], 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(c, "GET / HTTP/1.0\r\n\r\n")
		io.ReadAll(c)
		c.Close()
		got := nextLine(t, lines, fmt.Sprintf("fe%d", i), stderr)
		want := strings.ReplaceAll(parsed.Proxy(fmt.Sprintf("fe%d", i)).Format, "%ST", "200")
		t.Logf("log-format %-45s -> %q", f, got)
		if got != want {
			t.Errorf("log-format %s: HAProxy wrote %q, the reader's format gives %q", f, got, want)
		}
	}
}

// listeners opens n loopback sockets for HAProxy to inherit as fds 3, 4...
// (exec.Cmd.ExtraFiles): no other process can take their ports.
func listeners(t *testing.T, n int) (files []*os.File, addrs []string) {
	t.Helper()
	for i := 0; i < n; i++ {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		file, err := ln.(*net.TCPListener).File()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { file.Close() })
		files = append(files, file)
		addrs = append(addrs, ln.Addr().String())
	}
	return files, addrs
}

// startHAProxy runs HAProxy in the foreground on the configuration at
// path, with files as its fds 3... and env added to the environment; its
// log lines (log stdout) come on the channel. It is killed when t ends.
func startHAProxy(t *testing.T, bin, path string, files []*os.File, env ...string) (<-chan string, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(bin, "-db", "-f", path)
	cmd.Env = append(os.Environ(), env...)
	cmd.ExtraFiles = files
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := new(strings.Builder)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	lines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return lines, stderr
}

// nextLine is HAProxy's next log line.
func nextLine(t *testing.T, lines <-chan string, name string, stderr *strings.Builder) string {
	t.Helper()
	select {
	case l, ok := <-lines:
		if !ok {
			t.Fatalf("haproxy exited: %s", stderr.String())
		}
		t.Logf("%s: %s", name, l)
		return l
	case <-time.After(5 * time.Second):
		t.Fatalf("no log line for %s; stderr:\n%s", name, stderr.String())
	}
	return ""
}

// refused: "haproxy -c" found fatal errors (exit 1; 2 is a valid file
// without any listener).
func refused(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee) && ee.ExitCode() == 1
}

// Every input of TestErrors that this reader refuses, Debian's HAProxy
// refuses too (`haproxy -c` alerts), but for the conditions this reader
// cannot evaluate.
func TestErrorsRefusedByHAProxy(t *testing.T) {
	bin := haproxyBin(t)
	readerOnly := map[string]bool{"unknown predicate": true} // feature(OPENSSL) depends on the binary
	dir := t.TempDir()
	for i, tt := range errorCases {
		if readerOnly[tt.name] {
			continue
		}
		path := filepath.Join(dir, fmt.Sprintf("%d.cfg", i))
		if err := os.WriteFile(path, []byte(tt.src), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-c", "-f", path).CombinedOutput()
		if !refused(err) {
			t.Errorf("%s: this reader refuses it (%s), HAProxy accepts it:\n%s", tt.name, tt.want, out)
		}
	}
}

// The configurations this reader's tests accept, HAProxy accepts too (its
// alert about tcpdefs used both ways is not fatal: it starts).
func TestAcceptedByHAProxy(t *testing.T) {
	bin := haproxyBin(t)
	dir := t.TempDir()
	for i, src := range []string{inheritanceSrc, fallbackSrc} {
		path := filepath.Join(dir, fmt.Sprintf("%d.cfg", i))
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-c", "-f", path).CombinedOutput()
		if refused(err) {
			t.Errorf("HAProxy refuses config %d:\n%s", i, out)
		}
		// HAProxy warns (or alerts) where this reader warns, in its words.
		c, err := ReadFiles([]string{path}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.Warnings {
			if !saidAt(string(out), "["+path+":"+strconv.Itoa(w.At.Line)+"]", w.Text) {
				t.Errorf("HAProxy does not say %q at line %d:\n%s", w.Text, w.At.Line, out)
			}
		}
	}
}

// saidAt: one line of HAProxy's output names the place and says text.
func saidAt(out, place, text string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, place) && strings.Contains(l, text) {
			return true
		}
	}
	return false
}
