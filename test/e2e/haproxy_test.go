// Package e2e_test is the end-to-end test: the real HAProxy (package
// haproxyrun) produces syslog lines from real traffic and health checks;
// they are pushed as Fluent Bit chunks through flbhost (a C host that drives
// the plugin exactly as Fluent Bit's Go proxy does) into the real
// out_haproxy.so with Destination file; the JSON documents it writes are
// checked against what haproxyrun says each line is.
//
// Missing haproxy skips the test, missing gcc too; with
// REQUIRE_INTEGRATION=1 both are failures. HAPROXY_BIN, FLBHOST_SO and
// FLBHOST_BIN select prebuilt binaries. E2E_DUMP=1 logs the lines and
// documents even when the test passes (use with -v).
package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/test/flbhost"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/test/haproxyrun"
)

func TestMain(m *testing.M) { flbhost.Main(m) }

// syslogHost is the "host" of the syslog-input records. HAProxy does not
// send its hostname by default (no log-send-hostname in haproxyrun's
// config), so the RFC 3164 header has none; the relay's view of it is
// simulated.
const syslogHost = "haproxy-lb1"

// rfc3164 splits `<PRI>Mmm dd hh:mm:ss [host ]ident[pid]: message` as
// Fluent Bit's syslog input with the rfc3164 parser does.
var rfc3164 = regexp.MustCompile(`^<(\d{1,3})>([A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d) (?:([^\s\[\]:]+) )?([^\s\[\]:]+)\[(\d+)\]: (.*)$`)

// headerTime is the record time the syslog input gives a line: its header
// time (HAProxy's local time, no year) in the year of now.
func headerTime(t *testing.T, stamp string, now time.Time) time.Time {
	t.Helper()
	ht, err := time.ParseInLocation("Jan _2 15:04:05", stamp, time.Local)
	if err != nil {
		t.Fatalf("header time %q: %v", stamp, err)
	}
	ht = ht.AddDate(now.Year()-ht.Year(), 0, 0)
	if ht.After(now.Add(24 * time.Hour)) { // sent on 31 Dec, received on 1 Jan
		ht = ht.AddDate(-1, 0, 0)
	}
	return ht
}

type syslogParts struct {
	pri, time, host, ident, pid, message string
}

func splitSyslog(t *testing.T, line string) syslogParts {
	t.Helper()
	m := rfc3164.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("not an RFC 3164 line: %q", line)
	}
	p := syslogParts{pri: m[1], time: m[2], host: m[3], ident: m[4], pid: m[5], message: m[6]}
	if p.host == "" {
		p.host = syslogHost
	}
	return p
}

// shape is one way Fluent Bit hands the lines to the plugin.
type shape struct {
	name   string
	syslog bool // the syslog input's record instead of the tail input's {"log": line}
	layout flbhost.Layout
}

var shapes = []shape{
	{"tail", false, flbhost.LayoutV2},        // [[EventTime, {}], {"log": "<full RFC 3164 line>"}]
	{"syslog", true, flbhost.LayoutV2},       // [[EventTime, {}], {"pri", "time", "host", "ident", "pid", "message"}]
	{"tail-legacy", false, flbhost.LayoutV1}, // [EventTime, {"log": ...}] (Fluent Bit < 2.1)
}

func requireHAProxy(t *testing.T) {
	t.Helper()
	if _, err := haproxyrun.HAProxyPath(); err != nil {
		if os.Getenv("REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("REQUIRE_INTEGRATION=1 but HAProxy is not available: %v "+
				"(install it with `apt-get install -y haproxy` or set HAPROXY_BIN)", err)
		}
		t.Skipf("skipping the end-to-end test: %v (set REQUIRE_INTEGRATION=1 to make this a failure)", err)
	}
}

// TestHAProxyThroughPlugin runs HAProxy, sends its syslog lines through the
// plugin in every shape and checks the document of every expectation.
func TestHAProxyThroughPlugin(t *testing.T) {
	requireHAProxy(t)
	plugin := flbhost.Build(t)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	runDir := t.TempDir()
	res, err := haproxyrun.Run(ctx, t, haproxyrun.Options{Dir: runDir})
	if res != nil {
		t.Logf("%s; run took %v; %d lines, %d expectations", res.Version,
			res.Duration.Round(time.Millisecond), len(res.Lines), len(res.Want))
		t.Cleanup(func() {
			if t.Failed() || os.Getenv("E2E_DUMP") == "1" {
				t.Logf("haproxy stderr:\n%s", res.Stderr)
				for _, l := range res.Lines {
					t.Logf("line: %s", l)
				}
			}
		})
	}
	if err != nil {
		t.Fatalf("haproxyrun.Run: %v", err)
	}
	if len(res.Lines) == 0 || len(res.Want) == 0 {
		t.Fatalf("haproxyrun produced %d lines and %d expectations", len(res.Lines), len(res.Want))
	}
	lines := make([]string, len(res.Lines))
	for i, l := range res.Lines {
		lines[i] = string(l)
	}

	// One output instance and one file per shape, all in one host run (the
	// instances share the plugin struct, as in Fluent Bit).
	dir := t.TempDir()
	received := time.Now().Truncate(time.Second)
	var script strings.Builder
	outs := make([]string, len(shapes))
	for i, s := range shapes {
		outs[i] = filepath.Join(dir, s.name+".jsonl")
		// Keep_Message on: each document is matched to its line.
		fmt.Fprintf(&script, "prop %d Destination file\nprop %d File %s\nprop %d Keep_Message on\n", i, i, outs[i], i)
		// The configuration HAProxy ran: fe_kv's and fe_json's lines are
		// decoded with their log-formats from it.
		fmt.Fprintf(&script, "prop %d HAProxy_Config %s\n", i, filepath.Join(runDir, "haproxy.cfg"))
	}
	for i := range shapes {
		fmt.Fprintf(&script, "init %d\n", i)
	}
	for i, s := range shapes {
		var data []byte
		if s.syslog {
			for _, l := range lines {
				p := splitSyslog(t, l)
				data = flbhost.AppendRecord(data, s.layout, headerTime(t, p.time, received),
					flbhost.Field{Key: "pri", Value: p.pri},
					flbhost.Field{Key: "time", Value: p.time},
					flbhost.Field{Key: "host", Value: p.host},
					flbhost.Field{Key: "ident", Value: p.ident},
					flbhost.Field{Key: "pid", Value: p.pid},
					flbhost.Field{Key: "message", Value: p.message})
			}
		} else {
			data = flbhost.AppendLines(nil, s.layout, received, lines...)
		}
		chunk := flbhost.WriteChunk(t, dir, s.name+".msgpack", data)
		fmt.Fprintf(&script, "flush %d haproxy.%s %s\n", i, s.name, chunk)
	}
	for i := range shapes {
		fmt.Fprintf(&script, "exit %d\n", i)
	}
	script.WriteString("unregister\n")
	r := plugin.Run(t, script.String())
	if r.Exit != 0 {
		t.Fatalf("host exit %d", r.Exit)
	}
	for i, s := range shapes {
		r.WantRC(t, fmt.Sprintf("init instance=%d", i), 1)
		r.WantRC(t, fmt.Sprintf("flush instance=%d chunk=%s.msgpack", i, s.name), 1)
		r.WantRC(t, fmt.Sprintf("exit instance=%d", i), 1)
	}
	if strings.Contains(r.Stderr, "[error]") || strings.Contains(r.Stderr, "[ warn]") {
		t.Errorf("the plugin logged errors or warnings:\n%s", r.Stderr)
	}

	all := make([][]map[string]any, len(shapes))
	for i, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			docs := flbhost.ReadDocs(t, outs[i])
			all[i] = docs
			if os.Getenv("E2E_DUMP") == "1" {
				for _, d := range docs {
					b, _ := json.Marshal(d)
					t.Logf("doc: %s", b)
				}
			}
			if len(docs) != len(lines) {
				t.Fatalf("%d documents in %s, want one per line sent (%d)", len(docs), outs[i], len(lines))
			}
			for j, d := range docs {
				if ts, _ := d["@timestamp"].(string); ts == "" {
					t.Errorf("document %d has no @timestamp: %v", j, d)
				}
				if lt, _ := flbhost.Lookup(d, "haproxy", "log_type"); lt == "unknown" {
					pe, _ := flbhost.Lookup(d, "haproxy", "parse_error")
					t.Errorf("document %d not decoded (%v): %s", j, pe, lines[j])
				}
			}
			for _, w := range res.Want {
				idx := -1
				for j, l := range res.Lines {
					if bytes.Contains(l, []byte(w.Match)) {
						if idx >= 0 {
							t.Errorf("%s: lines %d and %d both contain %q", w.Name, idx, j, w.Match)
						}
						idx = j
					}
				}
				if idx < 0 {
					t.Errorf("%s: no line contains %q", w.Name, w.Match)
					continue
				}
				c := &checker{t: t, name: w.Name, line: lines[idx], doc: docs[idx]}
				checkCommon(c, s, w, lines[idx])
				if w.Format != "" {
					checkTraffic(c, w)
				} else {
					checkEvent(c, w)
				}
			}
		})
	}

	// Every shape gives the same decoded document: same @timestamp, same
	// haproxy object (but haproxy.framing), same source, http, event.
	t.Run("same-in-every-shape", func(t *testing.T) {
		for i := 1; i < len(shapes); i++ {
			if len(all[0]) != len(lines) || len(all[i]) != len(lines) {
				t.Skip("document counts differ (see above)")
			}
			for j := range lines {
				a, b := comparable(all[0][j]), comparable(all[i][j])
				ja, _ := json.Marshal(a)
				jb, _ := json.Marshal(b)
				if !bytes.Equal(ja, jb) {
					t.Errorf("line %d decodes differently in %s and %s:\n  line: %s\n  %s: %s\n  %s: %s",
						j, shapes[0].name, shapes[i].name, lines[j], shapes[0].name, ja, shapes[i].name, jb)
				}
			}
		}
	})
}

// comparable is the part of a document that does not depend on how the
// line reached the plugin (nor on the key of its state, see below).
func comparable(doc map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"@timestamp", "haproxy", "source", "destination", "http", "url", "event", "log"} {
		if v, ok := doc[k]; ok {
			out[k] = v
		}
	}
	if hp, ok := out["haproxy"].(map[string]any); ok {
		c := map[string]any{}
		for k, v := range hp {
			if k != "framing" {
				c[k] = v
			}
		}
		// The state is keyed by host.hostname, else the tag: the syslog
		// shape has the relay's host, the others the tag, so the outage
		// ids differ (the rest of the outage does not).
		if o, ok := c["outage"].(map[string]any); ok {
			oc := map[string]any{}
			for k, v := range o {
				if k != "id" {
					oc[k] = v
				}
			}
			c["outage"] = oc
		}
		out["haproxy"] = c
	}
	return out
}

// checker asserts fields of one document.
type checker struct {
	t    *testing.T
	name string
	line string
	doc  map[string]any
}

func (c *checker) fail(format string, args ...any) {
	c.t.Helper()
	doc, _ := json.Marshal(c.doc)
	c.t.Errorf("%s: %s\n  line: %s\n  doc:  %s", c.name, fmt.Sprintf(format, args...), c.line, doc)
}

func (c *checker) get(path string) (any, bool) {
	return flbhost.Lookup(c.doc, strings.Split(path, ".")...)
}

// eq checks that path holds want (ints compare with JSON numbers).
func (c *checker) eq(path string, want any) {
	c.t.Helper()
	got, ok := c.get(path)
	if !ok {
		c.fail("%s is missing, want %v", path, want)
		return
	}
	if n, isInt := want.(int); isInt {
		want = float64(n)
	}
	if got != want {
		c.fail("%s = %#v, want %#v", path, got, want)
	}
}

// httpTimers are TR/Tw/Tc/Tr/Ta in an httplog line.
var httpTimers = regexp.MustCompile(` (-?\d+)/(-?\d+)/(-?\d+)/(-?\d+)/\+?(-?\d+) `)

// httpTimer is timer i (0 TR ... 4 Ta) of c's line.
func httpTimer(c *checker, i int) int {
	c.t.Helper()
	m := httpTimers.FindStringSubmatch(c.line)
	if m == nil {
		c.fail("no TR/Tw/Tc/Tr/Ta in the line")
		return -1
	}
	n, _ := strconv.Atoi(m[i+1])
	return n
}

func (c *checker) absent(path string) {
	c.t.Helper()
	if got, ok := c.get(path); ok {
		c.fail("%s = %#v, want it absent", path, got)
	}
}

func (c *checker) str(path string) string {
	c.t.Helper()
	got, ok := c.get(path)
	s, isStr := got.(string)
	if !ok || !isStr || s == "" {
		c.fail("%s = %#v, want a non-empty string", path, got)
	}
	return s
}

// checkCommon checks the framing of every document.
func checkCommon(c *checker, s shape, w haproxyrun.Expectation, line string) {
	c.t.Helper()
	p := splitSyslog(c.t, line)
	c.eq("log.syslog.priority", w.Priority)
	c.eq("log.syslog.facility.name", "local0")
	c.eq("process.name", "haproxy")
	pid, _ := strconv.Atoi(p.pid)
	c.eq("process.pid", pid)
	if s.syslog {
		c.eq("message", p.message)
		c.eq("host.hostname", p.host)
		for _, k := range []string{"pri", "ident", "pid", "fluentbit"} {
			c.absent(k)
		}
	} else {
		c.eq("message", line)
		if _, isStr := c.doc["log"].(string); isStr { // the input key, consumed: "log" is ECS log.*
			c.fail("the record's \"log\" key passed through")
		}
	}
	c.eq("event.module", "haproxy")
	c.absent("haproxy.parse_error")
}

// blameOf is the documented blame of a termination state's first character.
var blameOf = map[byte]string{
	'-': "none", 'L': "local", 'c': "client", 'C': "client", 's': "server", 'S': "server",
	'P': "proxy", 'R': "resource", 'I': "internal", 'D': "server", 'K': "admin", 'U': "proxy",
}

// notAnomalies are the two-letter states that are not anomalies besides
// '-' (normal end) and 'L' (local answer): client behaviour seen all day.
var notAnomalies = map[string]bool{
	"CR": true, "cR": true, "CD": true, "CL": true, "C-": true, "cD": true, "cL": true, "c-": true,
}

func checkTraffic(c *checker, w haproxyrun.Expectation) {
	c.t.Helper()
	ts := w.TerminationState
	switch w.Format {
	case "httplog":
		c.eq("haproxy.log_type", "http")
		if w.Status == -1 {
			c.absent("http.response.status_code")
		} else {
			c.eq("http.response.status_code", w.Status)
		}
	case "tcplog":
		c.eq("haproxy.log_type", "tcp")
		c.absent("http.response.status_code")
	case "custom": // fe_kv, fe_json: HTTP variables, so an http line
		c.eq("haproxy.log_type", "http")
		c.eq("http.response.status_code", w.Status)
		c.eq("http.request.method", "GET")
		if typ, _ := c.get("event.type"); fmt.Sprint(typ) != "[access]" {
			c.fail("event.type = %v, want [access]", typ)
		}
	default:
		c.fail("unknown format %q", w.Format)
	}
	c.eq("haproxy.termination_state", ts)
	c.eq("haproxy.frontend_name", w.Frontend)
	c.eq("haproxy.backend_name", w.Backend)
	c.eq("haproxy.server_name", w.Server)
	host, port, ok := strings.Cut(w.Client, ":")
	if !ok {
		c.fail("bad client %q in the expectation", w.Client)
	}
	pn, _ := strconv.Atoi(port)
	c.eq("source.ip", host)
	c.eq("source.port", pn)
	c.absent("haproxy.request_date") // traffic: @timestamp is the accept date, not written twice

	if len(ts) < 2 {
		c.fail("bad termination state %q in the expectation", ts)
		return
	}
	c.eq("haproxy.termination.cause.code", ts[:1])
	c.eq("haproxy.termination.phase.code", ts[1:2])
	blame, known := blameOf[ts[0]]
	if !known {
		c.fail("no blame known for %q", ts)
	}
	c.eq("haproxy.termination.blame", blame)
	normal := ts[0] == '-' || ts[0] == 'L'
	if normal { // Explain anomalies, the default: a normal end carries its codes only
		c.absent("haproxy.termination.cause.meaning")
		c.absent("haproxy.termination.summary")
	} else {
		c.str("haproxy.termination.cause.meaning")
		c.str("haproxy.termination.summary")
	}
	c.eq("haproxy.termination.anomaly", !normal && !notAnomalies[ts[:2]])
	if normal {
		c.eq("event.outcome", "success")
	} else {
		c.eq("event.outcome", "failure")
	}

	// Timers: -1 is omitted and timers.unreached names the first phase
	// never reached.
	switch {
	case ts == "----" || ts == "--":
		c.absent("haproxy.timers.unreached")
		c.absent("haproxy.termination.advice")
	case ts == "sH--":
		c.absent("haproxy.http.request.time_wait_without_data_ms") // Tr
		c.eq("haproxy.timers.unreached", "response")
		// The connect was reached: Tc is what the line says (0 or 1 ms,
		// as the machine's load has it), not -1.
		c.eq("haproxy.connection_wait_time_ms", httpTimer(c, 2))
	case ts == "SC--" && w.Server == "<NOSRV>":
		c.absent("haproxy.total_waiting_time_ms") // Tw: no server was ever chosen
		c.eq("haproxy.timers.unreached", "queue")
	case ts == "SC--":
		c.absent("haproxy.connection_wait_time_ms") // Tc
		c.eq("haproxy.timers.unreached", "connect")
	default:
		switch u, _ := c.get("haproxy.timers.unreached"); u {
		case "request", "queue", "connect", "response":
		default:
			c.fail("haproxy.timers.unreached = %#v for %s", u, ts)
		}
	}
	if !normal {
		c.str("haproxy.termination.advice")
	}
	c.absent("haproxy.event")
	c.absent("haproxy.outage.detected")
}

// eventKinds maps haproxyrun's event names to haproxy.event.kind.
var eventKinds = map[string]string{
	"health_check_failed":    "health_check",
	"health_check_succeeded": "health_check",
	"server_down":            "server_down",
	"server_up":              "server_up",
	"backend_down":           "backend_no_server",
	"proxy_stopped":          "proxy_stopped",
}

var (
	serverRE = regexp.MustCompile(`(?:server|Server) ([^/ ]+)/(\S+?)[ ,]`)
	statusRE = regexp.MustCompile(`status: (\d+)/(\d+) (UP|DOWN)`)
	proxyRE  = regexp.MustCompile(`Proxy (\S+) stopped`)
)

func checkEvent(c *checker, w haproxyrun.Expectation) {
	c.t.Helper()
	kind, known := eventKinds[w.EventKind]
	if !known {
		c.fail("no haproxy.event.kind known for haproxyrun's %q: add it to eventKinds", w.EventKind)
		return
	}
	c.eq("haproxy.log_type", "event")
	c.eq("haproxy.event.kind", kind)
	c.absent("haproxy.termination_state")
	c.absent("source")
	if m := serverRE.FindStringSubmatch(c.line); m != nil {
		c.eq("haproxy.backend_name", m[1])
		c.eq("haproxy.server_name", m[2])
	}
	switch w.EventKind {
	case "health_check_failed":
		c.eq("haproxy.check.status", "L4CON")
		c.eq("haproxy.check.result", "failed")
		c.eq("haproxy.check.info", "Connection refused")
		c.eq("haproxy.check.health", 0)
		c.eq("haproxy.check.threshold", 2)
		c.eq("haproxy.check.state", "DOWN")
		c.eq("event.outcome", "failure")
		d := strings.ToLower(c.str("haproxy.diagnosis.summary"))
		if !strings.Contains(d, "nothing listens") || !strings.Contains(d, "stopped") {
			c.fail("the diagnosis does not say that nothing listens / the service is stopped: %q", d)
		}
		if strings.Contains(d, "firewall") {
			c.fail("the diagnosis of a refused connection blames a firewall: %q", d)
		}
	case "health_check_succeeded":
		if r := c.str("haproxy.check.result"); !strings.HasSuffix(r, "succeeded") {
			c.fail("haproxy.check.result = %q, want ...succeeded", r)
		}
		c.eq("event.outcome", "success")
		if m := statusRE.FindStringSubmatch(c.line); m != nil {
			h, _ := strconv.Atoi(m[1])
			th, _ := strconv.Atoi(m[2])
			c.eq("haproxy.check.health", h)
			c.eq("haproxy.check.threshold", th)
			c.eq("haproxy.check.state", m[3])
		} else {
			c.fail("no `status: h/t STATE` in the line")
		}
		c.absent("haproxy.outage.detected")
	case "server_down":
		c.eq("haproxy.servers.active", 0)
		c.eq("haproxy.outage.detected", true)
		c.eq("haproxy.outage.state", "started") // the state across lines
		c.str("haproxy.outage.id")
		c.eq("event.outcome", "failure")
		c.str("haproxy.diagnosis.summary")
	case "backend_down":
		c.eq("haproxy.backend_name", "be_x")
		c.eq("haproxy.outage.detected", true)
		c.eq("haproxy.outage.state", "ongoing")
		c.eq("event.outcome", "failure")
		c.str("haproxy.diagnosis.summary")
	case "server_up":
		c.eq("haproxy.servers.active", 1)
		c.eq("event.outcome", "success")
		c.absent("haproxy.outage.detected")
		c.eq("haproxy.outage.state", "ended")
		if d, _ := c.get("haproxy.outage.servers_down"); fmt.Sprint(d) != "[s1]" {
			c.fail("haproxy.outage.servers_down = %v, want [s1]", d)
		}
		c.str("haproxy.server.down_since")
	case "proxy_stopped":
		if m := proxyRE.FindStringSubmatch(c.line); m != nil {
			c.eq("haproxy.proxy_name", m[1])
		}
		c.absent("haproxy.outage.detected")
	}
}
