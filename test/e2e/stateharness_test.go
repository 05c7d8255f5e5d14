package e2e_test

// A small harness for the state scenarios: a real HAProxy with fast health
// checks (inter 100ms, fall 1, rise 1), backends that the test stops and
// starts, a UDP syslog receiver (RFC 5424, microsecond timestamps, with
// log-send-hostname) and a reload (a second HAProxy with -sf). Everything
// listens on 127.0.0.1 only, every wait is bounded, and every process and
// socket is closed by the test's cleanup.

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// checkInter is the health-check interval of every server: an outage's
// start and end are seen within it.
const checkInter = 100 * time.Millisecond

// syslogRx keeps the datagrams HAProxy sends.
type syslogRx struct {
	conn  *net.UDPConn
	mu    sync.Mutex
	lines []string
	fresh chan struct{} // closed and replaced at each datagram
}

func newSyslogRx(t *testing.T) *syslogRx {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	r := &syslogRx{conn: c, fresh: make(chan struct{})}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := c.Read(buf)
			if err != nil {
				return
			}
			r.mu.Lock()
			r.lines = append(r.lines, strings.TrimRight(string(buf[:n]), "\n"))
			close(r.fresh)
			r.fresh = make(chan struct{})
			r.mu.Unlock()
		}
	}()
	return r
}

func (r *syslogRx) port() int { return r.conn.LocalAddr().(*net.UDPAddr).Port }

// waitFor waits until a line after the first `from` lines contains all of
// parts, and returns its index.
func (r *syslogRx) waitFor(t *testing.T, from int, parts ...string) int {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		r.mu.Lock()
		for i := from; i < len(r.lines); i++ {
			all := true
			for _, p := range parts {
				all = all && strings.Contains(r.lines[i], p)
			}
			if all {
				r.mu.Unlock()
				return i
			}
		}
		fresh := r.fresh
		r.mu.Unlock()
		select {
		case <-fresh:
		case <-deadline:
			t.Fatalf("no syslog line with %q within 10 s", parts)
		}
	}
}

func (r *syslogRx) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.lines)
}

func (r *syslogRx) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.lines...)
}

// backendSrv is an HTTP server on a fixed port that the test stops (the
// port then refuses connections: the checks fail with L4CON) and starts.
type backendSrv struct {
	t    *testing.T
	addr string
	mu   sync.Mutex
	ln   net.Listener
}

func newBackend(t *testing.T) *backendSrv {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &backendSrv{t: t, addr: ln.Addr().String()}
	b.serve(ln)
	t.Cleanup(b.stop)
	return b
}

func (b *backendSrv) serve(ln net.Listener) {
	b.mu.Lock()
	b.ln = ln
	b.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(2 * time.Second))
				br := bufio.NewReader(c)
				for {
					l, err := br.ReadString('\n')
					if err != nil {
						return // a health check: connect and close
					}
					if l == "\r\n" {
						break
					}
				}
				fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
			}()
		}
	}()
}

func (b *backendSrv) stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ln != nil {
		b.ln.Close()
		b.ln = nil
	}
}

func (b *backendSrv) start() {
	b.t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port was ours a moment ago
		if ln, err = net.Listen("tcp4", b.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		b.t.Fatalf("listen again on %s: %v", b.addr, err)
	}
	b.serve(ln)
}

// haproxyProc is one HAProxy process.
type haproxyProc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	done   chan struct{}
}

// startHAProxy runs bin -db -f cfg and any extra arguments (-sf PID).
func startHAProxy(t *testing.T, bin, cfg string, extra ...string) *haproxyProc {
	t.Helper()
	p := &haproxyProc{done: make(chan struct{})}
	p.cmd = exec.Command(bin, append([]string{"-db", "-f", cfg}, extra...)...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stderr, &p.stderr
	p.cmd.WaitDelay = 2 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start haproxy: %v", err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.stop(t) })
	return p
}

func (p *haproxyProc) pid() int { return p.cmd.Process.Pid }

// stop soft-stops the process (SIGUSR1) and kills it if it is still
// running 5 s later.
func (p *haproxyProc) stop(t *testing.T) {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGUSR1)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		t.Logf("haproxy %d still running after a soft stop: killed", p.pid())
		p.cmd.Process.Kill()
		<-p.done
	}
}

// wait waits for the process to exit by itself.
func (p *haproxyProc) wait(t *testing.T) {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("haproxy %d did not exit", p.pid())
	}
}

// get sends one HTTP request to 127.0.0.1:port and returns the status.
func get(t *testing.T, port int, id string) int {
	t.Helper()
	c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), 2*time.Second)
	if err != nil {
		t.Fatalf("request %s: %v", id, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(3 * time.Second))
	fmt.Fprintf(c, "GET /?id=%s HTTP/1.1\r\nHost: state.test\r\nConnection: close\r\n\r\n", id)
	var status int
	if _, err := fmt.Fscanf(bufio.NewReader(c), "HTTP/1.1 %d", &status); err != nil {
		t.Fatalf("request %s: %v", id, err)
	}
	return status
}

// writeConfig writes haproxy.cfg: one frontend per backend.
func writeConfig(t *testing.T, dir string, syslogPort int, fronts map[string]int, backends string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `global
    log 127.0.0.1:%d format rfc5424 local0
    log-send-hostname lb-state
    nbthread 1
defaults
    mode http
    log global
    option httplog
    retries 0
    timeout connect 500ms
    timeout client 2s
    timeout server 2s
`, syslogPort)
	for _, name := range sortedKeys(fronts) {
		fmt.Fprintf(&b, "frontend fe_%s\n    bind 127.0.0.1:%d\n    default_backend be_%s\n", name, fronts[name], name)
	}
	b.WriteString(backends)
	path := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func sortedKeys(m map[string]int) []string {
	keys := slices.Collect(maps.Keys(m))
	slices.Sort(keys)
	return keys
}

// server is a server line with fast checks.
func server(name string, b *backendSrv, backup bool) string {
	s := fmt.Sprintf("    server %s %s check inter %dms fall 1 rise 1", name, b.addr, checkInter.Milliseconds())
	if backup {
		s += " backup"
	}
	return s + "\n"
}
