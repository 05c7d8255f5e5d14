// Package haproxyrun runs a real HAProxy (Debian's haproxy package, 2.6) on
// 127.0.0.1 from a Go test, pushes a fixed set of requests and health-check
// events through it, and returns the syslog datagrams HAProxy sent.
//
// Everything is local and bounded in time: HAProxy, the fake backends, the
// clients and the UDP syslog receiver only use 127.0.0.1, every socket has a
// deadline, and Run kills everything it started before it returns (including
// when it fails or the context is cancelled). A run takes about 1.1 s.
//
// The package uses the standard library only. Each produced line is described
// by an Expectation: a substring (Match) that identifies exactly one line and
// what a decoder should find in it (termination state, status, event kind...).
package haproxyrun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Logger is satisfied by testing.TB (and *testing.T, *testing.B).
type Logger interface {
	Logf(format string, args ...any)
}

// Options configures Run.
type Options struct {
	// Dir is where haproxy.cfg, haproxy.stderr.log and syslog.log are
	// written. If empty, a temporary directory is created and removed
	// when Run returns. Pass t.TempDir() to keep the files for the test.
	Dir string
	// HAProxy is the haproxy binary. Empty means HAProxyPath().
	HAProxy string
}

// Expectation describes one line that Run's traffic must have produced.
type Expectation struct {
	// Name is a short unique identifier (also the ?id= of HTTP requests).
	Name string
	// Match is a substring contained by exactly one line of Result.Lines.
	// For requests with a request line it is `?id=<name> HTTP/1.1"`; for
	// <BADREQ> and TCP lines it is `<client ip:port> [` (the client's
	// address followed by the start of the accept date); for events it
	// is a fixed piece of the message.
	Match string
	// Format is "httplog", "tcplog" or "custom" (fe_kv, fe_json: their
	// log-formats are in Result.Config) for traffic lines, "" for events.
	Format string
	// Client is the client "ip:port" as written in the log (traffic only).
	Client string
	// Frontend, Backend and Server as written in the log (traffic only).
	Frontend, Backend, Server string
	// TerminationState is the 4-character httplog state (e.g. "SC--") or
	// the 2-character tcplog state ("--"). Empty for events.
	TerminationState string
	// Status is the HTTP status in the log; 0 when the format has none
	// (tcplog, events).
	Status int
	// EventKind is "" for traffic lines, otherwise one of
	// health_check_failed, health_check_succeeded, server_down,
	// server_up, backend_down, proxy_stopped.
	EventKind string
	// Priority is the syslog PRI value of the line (facility local0):
	// 134 info (traffic), 133 notice (check results, server UP),
	// 132 warning (proxy stopped), 129 alert (server DOWN),
	// 128 emerg (backend has no server available).
	Priority int
}

// Result is what Run returns.
type Result struct {
	// Lines are the syslog datagrams as received (RFC 3164 framing,
	// e.g. `<134>Nov 21 07:35:59 haproxy[3588]: ...`), one per
	// datagram, in arrival order, with the trailing newline trimmed.
	Lines [][]byte
	// Want describes the lines the traffic must have produced. Every
	// line of a successful run is matched by exactly one Expectation.
	Want []Expectation
	// Config is the haproxy.cfg that was used.
	Config string
	// Stderr is HAProxy's stderr and stdout.
	Stderr []byte
	// Version is the first line of `haproxy -v`.
	Version string
	// Killed is true if HAProxy did not exit after the soft stop and
	// had to be killed.
	Killed bool
	// Duration is the wall time of Run.
	Duration time.Duration
}

// Timing constants. They match the config in config.go.
const (
	runBudget      = 20 * time.Second // + stopTimeout: Run returns within ~26 s
	eventTimeout   = 5 * time.Second
	stopTimeout    = 5 * time.Second // > hard-stop-after 3s
	clientDeadline = 5 * time.Second
)

// ErrNotFound is returned (wrapped) by HAProxyPath when no binary is found.
var ErrNotFound = errors.New("haproxy binary not found")

// HAProxyPath returns the haproxy binary: $HAPROXY_BIN if set, else
// "haproxy" from $PATH, else /usr/sbin/haproxy or /usr/local/sbin/haproxy.
func HAProxyPath() (string, error) {
	if p := os.Getenv("HAPROXY_BIN"); p != "" {
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("%w: HAPROXY_BIN=%q is not an executable file", ErrNotFound, p)
	}
	if p, err := exec.LookPath("haproxy"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/sbin/haproxy", "/usr/local/sbin/haproxy"} {
		if isExecutable(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w in $PATH, /usr/sbin or /usr/local/sbin (Debian: apt-get install haproxy)", ErrNotFound)
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

type nopLogger struct{}

func (nopLogger) Logf(string, ...any) {}

// Run starts the fake backends, the syslog receiver and HAProxy, sends the
// traffic, soft-stops HAProxy and returns the collected lines. Everything it
// started is stopped before it returns. Traffic is capped at 20 s (and by
// ctx), the stop at 5 s more; a normal run takes about 1.1 s.
func Run(ctx context.Context, log Logger, opts Options) (res *Result, err error) {
	start := time.Now()
	if log == nil {
		log = nopLogger{}
	}
	bin := opts.HAProxy
	if bin == "" {
		if bin, err = HAProxyPath(); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, runBudget)
	defer cancel()

	dir := opts.Dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "haproxyrun-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
	}

	res = &Result{}
	res.Version = haproxyVersion(ctx, bin)

	rx, err := newSyslogReceiver()
	if err != nil {
		return nil, fmt.Errorf("syslog receiver: %w", err)
	}
	defer rx.close()

	be, err := startBackends()
	if err != nil {
		return nil, fmt.Errorf("fake backends: %w", err)
	}
	defer be.close()

	// The frontend sockets are bound and listening before HAProxy starts
	// and are handed to it (bind fd@3 to fd@6): no port race with other
	// processes, and connections made before HAProxy is ready just wait
	// in the accept queue.
	var lns [4]net.Listener // fe_http, fe_tcp, fe_kv, fe_json
	for i := range lns {
		if lns[i], err = listenLocal(); err != nil {
			return nil, err
		}
		defer lns[i].Close()
	}
	ports := configPorts(rx.port(), portOf(lns[0]), portOf(lns[1]), portOf(lns[2]), portOf(lns[3]), be)
	res.Config = renderConfig(ports)
	cfgPath := filepath.Join(dir, "haproxy.cfg")
	if err = os.WriteFile(cfgPath, []byte(res.Config), 0o644); err != nil {
		return nil, err
	}
	files, err := listenerFiles(lns[:]...) // become fds 3 to 6
	if err != nil {
		return nil, err
	}
	p, err := startProc(bin, cfgPath, filepath.Join(dir, "haproxy.stderr.log"), files)
	for _, f := range files {
		f.Close()
	}
	// From now on only HAProxy holds the listening sockets: if it exits,
	// our connections are refused or reset instead of hanging.
	for _, ln := range lns {
		ln.Close()
	}
	if err != nil {
		return nil, err
	}
	defer p.kill()
	// Fail fast if HAProxy exits during the traffic (e.g. bad config):
	// cancel the clients' context.
	tctx, tcancel := context.WithCancel(ctx)
	defer tcancel()
	go func() {
		select {
		case <-p.done:
			tcancel()
		case <-tctx.Done():
		}
	}()
	log.Logf("haproxyrun: %s pid %d, http 127.0.0.1:%d, tcp 127.0.0.1:%d, syslog udp 127.0.0.1:%d",
		res.Version, p.cmd.Process.Pid, ports.feHTTP, ports.feTCP, ports.syslog)

	want, trafficErr := runTraffic(tctx, log, rx, be, ports)
	res.Want = want
	var exitedEarly error
	if trafficErr != nil {
		// Traffic errors are often caused by HAProxy dying: give its
		// exit a moment to be noticed so that the error says so.
		select {
		case <-p.done:
		case <-time.After(300 * time.Millisecond):
		}
	}
	select {
	case <-p.done:
		exitedEarly = fmt.Errorf("haproxy exited before the soft stop (%v); traffic errors: %v; stderr:\n%s",
			p.waitErr, trafficErr, p.stderr())
	default:
	}
	tcancel()

	// Soft stop: SIGUSR1 makes HAProxy stop listening, finish the
	// sessions in flight, log "Proxy X stopped" and exit. hard-stop-after
	// bounds it at 3 s; we kill after stopTimeout anyway.
	res.Killed = p.softStop(stopTimeout)
	if res.Killed {
		log.Logf("haproxyrun: haproxy did not exit within %v after SIGUSR1, killed it", stopTimeout)
	} else if p.waitErr != nil {
		log.Logf("haproxyrun: haproxy exited: %v", p.waitErr)
	}
	res.Stderr = p.stderr()

	// Every datagram HAProxy sent before exiting is already queued on
	// our loopback socket: drain the queue.
	res.Lines = rx.stopAndCollect()
	var sl bytes.Buffer
	for _, l := range res.Lines {
		sl.Write(l)
		sl.WriteByte('\n')
	}
	_ = os.WriteFile(filepath.Join(dir, "syslog.log"), sl.Bytes(), 0o644)
	res.Duration = time.Since(start)

	if exitedEarly != nil {
		return res, exitedEarly
	}
	if trafficErr != nil {
		return res, fmt.Errorf("traffic: %w", trafficErr)
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("run: %w", err)
	}
	return res, nil
}

func haproxyVersion(ctx context.Context, bin string) string {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-v")
	setProcAttrs(cmd)
	cmd.Cancel = func() error { killProc(cmd); return nil }
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	if err != nil {
		return "haproxy (version unknown: " + err.Error() + ")"
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(first)
}

func listenerFiles(lns ...net.Listener) ([]*os.File, error) {
	var files []*os.File
	for _, ln := range lns {
		f, err := ln.(*net.TCPListener).File()
		if err != nil {
			for _, f := range files {
				f.Close()
			}
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// proc is the HAProxy child process.
type proc struct {
	cmd     *exec.Cmd
	out     *lockedBuffer
	file    *os.File
	done    chan struct{} // closed when the process has exited
	waitErr error         // valid after done is closed
	once    sync.Once
}

func startProc(bin, cfgPath, stderrPath string, extraFiles []*os.File) (*proc, error) {
	f, err := os.Create(stderrPath)
	if err != nil {
		return nil, err
	}
	p := &proc{out: &lockedBuffer{}, file: f, done: make(chan struct{})}
	// -db: foreground, no daemon, no master-worker. -f: our config.
	p.cmd = exec.Command(bin, "-db", "-f", cfgPath)
	p.cmd.Dir = filepath.Dir(cfgPath)
	w := &teeWriter{a: p.out, b: f}
	p.cmd.Stdout = w
	p.cmd.Stderr = w
	p.cmd.WaitDelay = 2 * time.Second
	p.cmd.ExtraFiles = extraFiles
	setProcAttrs(p.cmd)
	if err := p.cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		p.waitErr = p.cmd.Wait()
		f.Close()
		close(p.done)
	}()
	return p, nil
}

// softStop sends SIGUSR1 and waits up to d; it kills the process if it is
// still running then. It reports whether the kill was needed.
func (p *proc) softStop(d time.Duration) (killed bool) {
	select {
	case <-p.done:
		return false
	default:
	}
	_ = softStopSignal(p.cmd)
	select {
	case <-p.done:
		return false
	case <-time.After(d):
	}
	p.kill()
	return true
}

// kill kills the process (if still running) and waits for it.
func (p *proc) kill() {
	p.once.Do(func() {
		select {
		case <-p.done:
			return
		default:
		}
		killProc(p.cmd)
	})
	select {
	case <-p.done:
	case <-time.After(5 * time.Second): // WaitDelay bounds this anyway
	}
}

func (p *proc) stderr() []byte { return p.out.Bytes() }

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

type teeWriter struct {
	mu   sync.Mutex
	a, b interface{ Write([]byte) (int, error) }
}

func (t *teeWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = t.b.Write(p)
	return t.a.Write(p)
}
