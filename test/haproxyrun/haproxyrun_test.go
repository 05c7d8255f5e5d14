package haproxyrun

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// requireHAProxy skips the test when haproxy is missing, or fails it when
// REQUIRE_INTEGRATION=1.
func requireHAProxy(t *testing.T) string {
	t.Helper()
	p, err := HAProxyPath()
	if err != nil {
		if os.Getenv("REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("REQUIRE_INTEGRATION=1 but HAProxy is not available: %v "+
				"(install it with `apt-get install -y haproxy` or set HAPROXY_BIN)", err)
		}
		t.Skipf("skipping HAProxy integration test: %v (set REQUIRE_INTEGRATION=1 to make this a failure)", err)
	}
	return p
}

const (
	hdrRe  = `^<(\d+)>[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d haproxy\[\d+\]: `
	dateRe = `\[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d\.\d{3}\]`
)

var (
	headerRE = regexp.MustCompile(hdrRe + `(.*)$`)
	// client [date] frontend backend/server Tq/Tw/Tc/Tr/Ta status bytes
	// cookie_req cookie_resp TS act/fe/be/srv/retries srvq/beq "request"
	httplogRE = regexp.MustCompile(hdrRe + `(\S+) ` + dateRe + ` (\S+) ([^/ ]+)/(\S+) ` +
		`-?\d+/-?\d+/-?\d+/-?\d+/\+?-?\d+ (-?\d+) \+?\d+ \S+ \S+ (\S{4}) ` +
		`\d+/\d+/\d+/\d+/\+?\d+ \d+/\d+ "(.*)"$`)
	// client [date] frontend backend/server Tw/Tc/Tt bytes TS act/fe/be/srv/retries srvq/beq
	tcplogRE = regexp.MustCompile(hdrRe + `(\S+) ` + dateRe + ` (\S+) ([^/ ]+)/(\S+) ` +
		`-?\d+/-?\d+/\+?-?\d+ \+?\d+ (\S{2}) \d+/\d+/\d+/\d+/\+?\d+ \d+/\d+$`)
	// fe_kv's log-format (config.go)
	kvRE = regexp.MustCompile(hdrRe + `client=(\S+) date=` + dateRe + ` fe=(\S+) be=(\S+) srv=(\S+) ` +
		`t=-?\d+/-?\d+/-?\d+/-?\d+/\d+ st=(-?\d+) bytes=\d+ ts=(\S{4}) host="haproxyrun.test" "(.*)"$`)
)

// The expectations the task requires; Run may add more.
var requiredNames = []string{
	"ok", "refused", "srv-timeout", "deny", "bad-header", "cli-timeout", "nosrv", "tcp-echo",
	"fe_kv-ok", "fe_kv-refused", "fe_json-ok", "fe_json-refused",
	"hc-failed", "server-down", "backend-down", "server-up",
}

// TestRun runs HAProxy and checks every expectation against the lines.
// HAPROXYRUN_DUMP=1 logs the config, stderr and lines even when it passes
// (use with -v).
func TestRun(t *testing.T) {
	requireHAProxy(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	res, err := Run(ctx, t, Options{Dir: t.TempDir()})
	if res != nil {
		t.Logf("%s; run took %v; %d lines", res.Version, res.Duration.Round(time.Millisecond), len(res.Lines))
		t.Cleanup(func() {
			if t.Failed() || os.Getenv("HAPROXYRUN_DUMP") == "1" {
				t.Logf("config:\n%s", res.Config)
				t.Logf("stderr:\n%s", res.Stderr)
				for _, l := range res.Lines {
					t.Logf("line: %s", l)
				}
			}
		})
	}
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.Duration > 30*time.Second {
		t.Errorf("run took %v, want < 30s", res.Duration)
	}
	if res.Killed {
		t.Errorf("haproxy had to be killed after SIGUSR1")
	}
	// With -db HAProxy also prints server state changes on stderr; the
	// only expected [ALERT] is "backend 'be_x' has no server available!".
	for _, l := range strings.Split(string(res.Stderr), "\n") {
		if strings.Contains(l, "[ALERT]") && !strings.Contains(l, "backend 'be_x' has no server available!") {
			t.Errorf("unexpected alert on haproxy stderr: %s", l)
		}
	}

	for _, l := range res.Lines {
		if !headerRE.Match(l) {
			t.Errorf("line without RFC 3164 header `<PRI>Mmm dd hh:mm:ss haproxy[pid]: `: %q", l)
		}
	}

	byName := map[string]Expectation{}
	for _, w := range res.Want {
		if _, dup := byName[w.Name]; dup {
			t.Errorf("duplicate expectation name %q", w.Name)
		}
		byName[w.Name] = w
	}
	for _, n := range requiredNames {
		if _, ok := byName[n]; !ok {
			t.Errorf("no expectation %q", n)
		}
	}

	claimed := make([]string, len(res.Lines))
	for _, w := range res.Want {
		var hits []int
		for i, l := range res.Lines {
			if bytes.Contains(l, []byte(w.Match)) {
				hits = append(hits, i)
			}
		}
		if len(hits) != 1 {
			t.Errorf("%s: %d lines contain %q, want exactly 1", w.Name, len(hits), w.Match)
			continue
		}
		i := hits[0]
		if claimed[i] != "" {
			t.Errorf("%s: line %d already claimed by %s", w.Name, i, claimed[i])
		}
		claimed[i] = w.Name
		checkLine(t, w, string(res.Lines[i]))
	}
	for i, l := range res.Lines {
		if claimed[i] == "" {
			t.Errorf("unexpected line (no expectation matches it): %s", l)
		}
	}
}

func checkLine(t *testing.T, w Expectation, line string) {
	t.Helper()
	mustEq := func(field, got, want string) {
		if got != want {
			t.Errorf("%s: %s = %q, want %q in %s", w.Name, field, got, want, line)
		}
	}
	var m []string
	switch w.Format {
	case "httplog":
		m = httplogRE.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("%s: not an httplog line: %s", w.Name, line)
			return
		}
		// m: 1 pri, 2 client, 3 frontend, 4 backend, 5 server, 6 status, 7 TS, 8 request
		mustEq("status", m[6], strconv.Itoa(w.Status))
		mustEq("termination state", m[7], w.TerminationState)
		if strings.HasPrefix(w.Match, "127.0.0.1:") {
			mustEq("request", m[8], "<BADREQ>")
		}
	case "tcplog":
		m = tcplogRE.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("%s: not a tcplog line: %s", w.Name, line)
			return
		}
		// m: 1 pri, 2 client, 3 frontend, 4 backend, 5 server, 6 TS
		mustEq("termination state", m[6], w.TerminationState)
	case "":
		m = headerRE.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("%s: bad event line: %s", w.Name, line)
			return
		}
		if w.EventKind == "" {
			t.Errorf("%s: event without EventKind", w.Name)
		}
		mustEq("priority", m[1], strconv.Itoa(w.Priority))
		return
	case "custom":
		if m = customLine(t, w, line); m == nil {
			return
		}
		mustEq("status", m[6], strconv.Itoa(w.Status))
		mustEq("termination state", m[7], w.TerminationState)
	default:
		t.Errorf("%s: unknown format %q", w.Name, w.Format)
		return
	}
	mustEq("priority", m[1], strconv.Itoa(w.Priority))
	mustEq("client", m[2], w.Client)
	mustEq("frontend", m[3], w.Frontend)
	mustEq("backend", m[4], w.Backend)
	mustEq("server", m[5], w.Server)
}

// customLine reads a line of fe_kv or fe_json into httplogRE's groups (1
// pri, 2 client, 3 frontend, 4 backend, 5 server, 6 status, 7 TS).
func customLine(t *testing.T, w Expectation, line string) []string {
	t.Helper()
	if w.Frontend == feKV {
		m := kvRE.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("%s: not a line of %s's log-format: %s", w.Name, feKV, line)
		}
		return m
	}
	h := headerRE.FindStringSubmatch(line)
	var j struct {
		Client                          string
		Port, Status                    int
		Frontend, Backend, Server, Term string
		URI                             string
	}
	if h == nil || json.Unmarshal([]byte(h[2]), &j) != nil || !strings.Contains(j.URI, "?id="+w.Name) {
		t.Errorf("%s: not a line of %s's JSON log-format: %s", w.Name, feJSON, line)
		return nil
	}
	return []string{line, h[1], j.Client + ":" + strconv.Itoa(j.Port), j.Frontend, j.Backend, j.Server,
		strconv.Itoa(j.Status), j.Term}
}

func TestHAProxyPathMissing(t *testing.T) {
	t.Setenv("HAPROXY_BIN", "/nonexistent/haproxy")
	if _, err := HAProxyPath(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("HAProxyPath with a bad HAPROXY_BIN: err = %v, want ErrNotFound", err)
	}
}
