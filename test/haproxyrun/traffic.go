package haproxyrun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Syslog PRI values (facility local0 = 16, so 16*8 + severity).
const (
	priEmerg   = 128
	priAlert   = 129
	priWarning = 132
	priNotice  = 133
	priInfo    = 134
)

type trafficRun struct {
	ctx   context.Context
	log   Logger
	ports cfgPorts

	mu   sync.Mutex
	want []Expectation
	errs []error
}

func (r *trafficRun) add(e Expectation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.want = append(r.want, e)
}

func (r *trafficRun) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, err)
}

func (r *trafficRun) dial(port int) (net.Conn, error) {
	d := net.Dialer{Timeout: 2 * time.Second}
	c, err := d.DialContext(r.ctx, "tcp4", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return nil, err
	}
	_ = c.SetDeadline(time.Now().Add(clientDeadline))
	// Also give up when the run is cancelled (budget exceeded, HAProxy
	// exited): closing the socket unblocks any read or write.
	stop := context.AfterFunc(r.ctx, func() { c.Close() })
	return &ctxConn{Conn: c, stop: stop}, nil
}

type ctxConn struct {
	net.Conn
	stop func() bool
}

func (c *ctxConn) Close() error {
	c.stop()
	return c.Conn.Close()
}

// exchange writes req, reads until HAProxy closes, and returns the HTTP
// status of the response. The connection is closed.
func exchange(c net.Conn, req string) (int, error) {
	defer c.Close()
	if _, err := io.WriteString(c, req); err != nil {
		return 0, err
	}
	resp, err := io.ReadAll(c)
	if err != nil {
		return 0, fmt.Errorf("reading response: %w (got %q)", err, resp)
	}
	// "HTTP/1.1 200 OK\r\n"
	line, _, _ := bytes.Cut(resp, []byte("\r\n"))
	f := bytes.Fields(line)
	if len(f) < 2 {
		return 0, fmt.Errorf("bad response %q", resp)
	}
	return strconv.Atoi(string(f[1]))
}

func getRequest(path string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: haproxyrun.test\r\nUser-Agent: haproxyrun/1\r\nConnection: close\r\n\r\n"
}

// httpCase sends one request on a new connection to the HTTP frontend
// and records its expectation. raw, if set, is sent
// instead of a GET of path?id=name, and the line is then identified by
// the client address (HAProxy logs "<BADREQ>" for such requests).
type httpCase struct {
	name    string
	path    string // without the query
	raw     string
	ts      string
	status  int
	backend string
	server  string
	// frontend is fe_http unless set (fe_kv, fe_json: custom formats).
	frontend string
}

func (r *trafficRun) http(hc httpCase) {
	fe, port, format := feHTTP, r.ports.feHTTP, "httplog"
	switch hc.frontend {
	case feKV:
		fe, port, format = feKV, r.ports.feKV, "custom"
	case feJSON:
		fe, port, format = feJSON, r.ports.feJSON, "custom"
	}
	c, err := r.dial(port)
	if err != nil {
		r.fail(fmt.Errorf("%s: %w", hc.name, err))
		return
	}
	client := c.LocalAddr().String()
	e := Expectation{
		Name:             hc.name,
		Format:           format,
		Client:           client,
		Frontend:         fe,
		Backend:          hc.backend,
		Server:           hc.server,
		TerminationState: hc.ts,
		Status:           hc.status,
		Priority:         priInfo,
	}
	req := hc.raw
	if req == "" {
		req = getRequest(hc.path + "?id=" + hc.name)
		e.Match = "?id=" + hc.name + ` HTTP/1.1"`
		if fe == feJSON {
			e.Match = "?id=" + hc.name + `"` // %HU inside a JSON string
		}
	} else {
		e.Match = client + " ["
	}
	r.add(e)
	start := time.Now()
	got, err := exchange(c, req)
	if err != nil {
		r.fail(fmt.Errorf("%s (client %s): %w", hc.name, client, err))
		return
	}
	r.log.Logf("haproxyrun: %-12s client %s got %d in %v", hc.name, client, got, time.Since(start).Round(time.Millisecond))
	if got != hc.status {
		r.fail(fmt.Errorf("%s (client %s): client got status %d, want %d", hc.name, client, got, hc.status))
	}
}

// tcp sends a line through the TCP frontend to the echo server, reads it
// back and closes: tcplog "--".
func (r *trafficRun) tcp(name string) {
	c, err := r.dial(r.ports.feTCP)
	if err != nil {
		r.fail(fmt.Errorf("%s: %w", name, err))
		return
	}
	defer c.Close()
	client := c.LocalAddr().String()
	r.add(Expectation{
		Name: name, Match: client + " [", Format: "tcplog", Client: client,
		Frontend: feTCP, Backend: beTCP, Server: srvEcho,
		TerminationState: "--", Priority: priInfo,
	})
	msg := []byte("hello haproxyrun\n")
	if _, err := c.Write(msg); err != nil {
		r.fail(fmt.Errorf("%s: write: %w", name, err))
		return
	}
	back := make([]byte, len(msg))
	if _, err := io.ReadFull(c, back); err != nil {
		r.fail(fmt.Errorf("%s: read echo: %w", name, err))
		return
	}
	if !bytes.Equal(back, msg) {
		r.fail(fmt.Errorf("%s: echo got %q", name, back))
	}
}

func (r *trafficRun) event(name, kind, match string, pri int) {
	r.add(Expectation{Name: name, Match: match, EventKind: kind, Priority: pri})
}

// runTraffic produces the log lines.
func runTraffic(ctx context.Context, log Logger, rx *syslogReceiver, be *backends, ports cfgPorts) ([]Expectation, error) {
	r := &trafficRun{ctx: ctx, log: log, ports: ports}
	nosrv := "<NOSRV>"

	// ----  200. This first request also waits for HAProxy to be ready:
	// the connection sits in the accept queue until HAProxy runs.
	r.http(httpCase{name: "ok", path: "/ok", ts: "----", status: 200, backend: beApp, server: srvApp})
	if len(r.errs) > 0 {
		return r.want, errors.Join(r.errs...)
	}

	var wg sync.WaitGroup
	goDo := func(f func()) { wg.Add(1); go func() { defer wg.Done(); f() }() }

	// SC-- 503: the server's port refuses connections.
	goDo(func() {
		r.http(httpCase{name: "refused", path: "/refused", ts: "SC--", status: 503, backend: beRefused, server: srvDead})
	})
	// PR-- 403: http-request deny.
	goDo(func() {
		r.http(httpCase{name: "deny", path: "/deny", ts: "PR--", status: 403, backend: feHTTP, server: nosrv})
	})
	// SH-- 502: the server reads the request and closes without answering.
	goDo(func() {
		r.http(httpCase{name: "srv-close", path: "/close", ts: "SH--", status: 502, backend: beClose, server: srvClose})
	})
	// sH-- 504: the server answers after 2.5 s, timeout server is 1 s.
	goDo(func() {
		r.http(httpCase{name: "srv-timeout", path: "/delay/2500", ts: "sH--", status: 504, backend: beApp, server: srvApp})
	})
	// PR-- 400 <BADREQ>: a header line without a colon.
	goDo(func() {
		r.http(httpCase{name: "bad-header",
			raw: "GET /ok?id=bad-header HTTP/1.1\r\nHost: haproxyrun.test\r\nThisHeaderHasNoColon\r\n\r\n",
			ts:  "PR--", status: 400, backend: feHTTP, server: nosrv})
	})
	// cR-- 408 <BADREQ>: incomplete headers, then wait > timeout http-request (1 s).
	goDo(func() {
		r.http(httpCase{name: "cli-timeout",
			raw: "GET /ok?id=cli-timeout HTTP/1.1\r\nHost: haproxyrun.test\r\n",
			ts:  "cR--", status: 408, backend: feHTTP, server: nosrv})
	})
	// tcplog "--".
	goDo(func() { r.tcp("tcp-echo") })
	// Custom log-formats: key=value and JSON (from named defaults).
	for _, fe := range []string{feKV, feJSON} {
		goDo(func() {
			r.http(httpCase{name: fe + "-ok", path: "/ok", ts: "----", status: 200, backend: beApp, server: srvApp, frontend: fe})
			r.http(httpCase{name: fe + "-refused", path: "/refused", ts: "SC--", status: 503, backend: beRefused, server: srvDead, frontend: fe})
		})
	}

	// Health checks: be_x/s1's port is closed, so the first check takes
	// it DOWN (a server starts with health = rise). A request while it
	// is down gets SC-- 503 <NOSRV>. Then the port opens, two good checks
	// (rise 2) bring it UP, and a request goes through.
	goDo(func() {
		hcPrefix := "Health check for server " + beX + "/" + srvX
		srvPrefix := "Server " + beX + "/" + srvX
		r.event("hc-failed", "health_check_failed",
			hcPrefix+` failed, reason: Layer4 connection problem, info: "Connection refused"`, priNotice)
		r.event("server-down", "server_down",
			srvPrefix+" is DOWN. 0 active and 0 backup servers left.", priAlert)
		r.event("backend-down", "backend_down",
			"backend "+beX+" has no server available!", priEmerg)
		r.event("hc-rise", "health_check_succeeded", "status: 1/2 DOWN.", priNotice)
		r.event("hc-up", "health_check_succeeded", "status: 2/2 UP.", priNotice)
		r.event("server-up", "server_up",
			srvPrefix+" is UP. 1 active and 0 backup servers online.", priNotice)

		if err := rx.waitFor(ctx, "backend "+beX+" has no server available!", eventTimeout); err != nil {
			r.fail(err)
			return
		}
		r.http(httpCase{name: "nosrv", path: "/hc/nosrv", ts: "SC--", status: 503, backend: beX, server: nosrv})
		if err := be.openHealth(); err != nil {
			r.fail(err)
			return
		}
		if err := rx.waitFor(ctx, srvPrefix+" is UP.", eventTimeout); err != nil {
			r.fail(err)
			return
		}
		r.http(httpCase{name: "after-up", path: "/hc/ok", ts: "----", status: 200, backend: beX, server: srvX})
	})
	wg.Wait()

	// Logged at the soft stop that follows.
	for _, p := range proxyNames {
		r.event("stopped-"+p, "proxy_stopped", "Proxy "+p+" stopped (cumulated conns: ", priWarning)
	}
	// Deterministic order: traffic lines first, then events, by name.
	sort.SliceStable(r.want, func(i, j int) bool {
		a, b := r.want[i], r.want[j]
		if (a.EventKind == "") != (b.EventKind == "") {
			return a.EventKind == ""
		}
		return a.Name < b.Name
	})
	return r.want, errors.Join(r.errs...)
}
