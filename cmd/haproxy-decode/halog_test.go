package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/loggen"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/report"
)

// The report against halog, the statistics tool HAProxy ships (Debian's
// haproxy package installs /usr/bin/halog), on the same files.
//
// halog reads fields by position and takes any line with a '[' where the
// accept date of an HTTP log goes: a TCP log's byte count becomes its
// "status", a connection error's words its "server" (try halog -st on
// tcp_tcplog.log). So the files compared are the lines it reads as they
// are: HTTP and HTTPS traffic logs, with the operational lines (which it
// counts as parsing errors) left in. They are the corpus's, plus 20,000
// lines made from them with spread-out response times (internal/loggen),
// so that the percentiles have values past 2,048 ms, where the histogram
// starts to round.

func halogPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("halog")
	if err != nil {
		if os.Getenv("REQUIRE_INTEGRATION") == "1" {
			t.Fatalf("REQUIRE_INTEGRATION=1 but halog is not on PATH (Debian: apt-get install haproxy): %v", err)
		}
		t.Skipf("halog is not on PATH (apt-get install haproxy): %v", err)
	}
	return p
}

// halogFile writes the lines halog reads as HTTP logs, and the
// operational lines it skips; it returns the file and how many it skips.
func halogFile(t *testing.T, dir, name string, keep func(e *decode.Entry) bool) (path string, events int) {
	t.Helper()
	lines := corpus.RFC3164Lines(t)
	var gen bytes.Buffer
	err := loggen.Write(&gen, lines, loggen.Options{Lines: 20_000, Seed: 7,
		Start: time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC), Step: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	lines = append(lines, strings.Split(strings.TrimSuffix(gen.String(), "\n"), "\n")...)
	var dec decode.Decoder
	var e decode.Entry
	var out bytes.Buffer
	for _, l := range lines {
		dec.Decode(&e, []byte(l), time.Now())
		switch {
		case e.Type == decode.LogHTTP || e.Type == decode.LogHTTPS:
			if !keep(&e) {
				continue
			}
		case e.Type == decode.LogEvent && e.Event != decode.EventConnectionError:
			events++
		default:
			continue
		}
		out.WriteString(l)
		out.WriteByte('\n')
	}
	path = filepath.Join(dir, name)
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, events
}

// halog runs halog -s 0 (the corpus's syslog header has no host name: one
// field fewer than halog's default) with args on file; it returns stdout
// and checks halog's own count of the lines it could not read.
func halog(t *testing.T, bin, file string, wantParseErrors int, args ...string) string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(bin, append([]string{"-s", "0"}, args...)...)
	cmd.Stdin = f
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("halog %v: %v\n%s", args, err, stderr.String())
	}
	m := regexp.MustCompile(`(\d+) parsing errors`).FindStringSubmatch(stderr.String())
	if m == nil || m[1] != strconv.Itoa(wantParseErrors) {
		t.Fatalf("halog %v: %q, want %d parsing errors (the operational lines)", args, stderr.String(), wantParseErrors)
	}
	return stdout.String()
}

// reportJSON is haproxy-decode report -json on file.
func reportJSON(t *testing.T, file string) *report.Summary {
	t.Helper()
	code, out, errs := runCmd(t, "", "report", "-json", file)
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, errs)
	}
	var s report.Summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("report -json: %v\n%s", err, out)
	}
	return &s
}

// countLines reads halog's "<key> <count>" lines.
func countLines(t *testing.T, out string) map[string]int64 {
	t.Helper()
	m := make(map[string]int64)
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			t.Fatalf("halog line %q", sc.Text())
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		m[f[0]] = n
	}
	return m
}

func sameCounts(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s %s: report %d, halog %d", what, k, got[k], w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s %s: report %d, halog has none", what, k, g)
		}
	}
	if len(want) < 3 {
		t.Errorf("%s: only %d keys from halog: the comparison says little", what, len(want))
	}
}

func TestReportCountsEqualHalog(t *testing.T) {
	bin := halogPath(t)
	file, events := halogFile(t, t.TempDir(), "http.log", func(*decode.Entry) bool { return true })
	sum := reportJSON(t, file)

	status := make(map[string]int64)
	for _, b := range sum.Backends {
		for k, n := range b.Statuses {
			status[k] += n
		}
	}
	sameCounts(t, "status", status, countLines(t, halog(t, bin, file, events, "-st")))

	// halog -tc counts the first two characters of the termination state.
	term := make(map[string]int64)
	for _, ts := range sum.TerminationStates {
		term[ts.State[:2]] += ts.Count
	}
	sameCounts(t, "termination code", term, countLines(t, halog(t, bin, file, events, "-tc")))

	srv := halogServers(t, halog(t, bin, file, events, "-srv"))
	if len(srv) != len(sum.Servers) {
		t.Errorf("%d servers in the report, %d in halog -srv", len(sum.Servers), len(srv))
	}
	for _, g := range sum.Servers {
		h, ok := srv[g.Name]
		if !ok {
			t.Errorf("server %s: not in halog -srv", g.Name)
			continue
		}
		c := g.StatusClasses
		got := fmt.Sprint(c.C1xx, c.C2xx, c.C3xx, c.C4xx, c.C5xx, c.Other, g.Requests, g.OK,
			int64(g.Timers["Tc"].Mean), int64(g.Timers["Tr"].Mean))
		if got != h {
			t.Errorf("server %s: report %s, halog -srv %s (1xx..5xx other tot_req req_ok avg_ct avg_rt)", g.Name, got, h)
		}
		if g.Errors != g.Requests-g.OK {
			t.Errorf("server %s: %d errors, %d requests, %d ok", g.Name, g.Errors, g.Requests, g.OK)
		}
	}
}

// halogServers reads halog -srv: server -> "1xx 2xx 3xx 4xx 5xx other
// tot_req req_ok avg_ct avg_rt" (pct_ok left out: it is req_ok/tot_req).
func halogServers(t *testing.T, out string) map[string]string {
	t.Helper()
	m := make(map[string]string)
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		f := strings.Fields(l)
		if len(f) != 12 {
			t.Fatalf("halog -srv line %q", l)
		}
		m[f[0]] = strings.Join(append(f[1:9], f[10:]...), " ")
	}
	return m
}

// halog -pct gives percentiles of the connect (Tc) and response (Tr) times
// over the requests that reached every timer, for the whole file: so each
// backend's complete requests go into a file of their own, and halog's
// 50/90/99/100 % rows must match the backend's p50/p90/p99/max within the
// histogram's precision (1 part in 10^3; the report rounds up).
func TestReportPercentilesAgreeWithHalog(t *testing.T) {
	bin := halogPath(t)
	dir := t.TempDir()
	complete := func(e *decode.Entry) bool {
		return e.TR >= 0 && e.Tw >= 0 && e.Tc >= 0 && e.Tr >= 0 && e.Ta >= 0
	}
	all, _ := halogFile(t, dir, "complete.log", complete)
	sum := reportJSON(t, all)
	compared := 0
	for _, b := range sum.Backends {
		file, events := backendFile(t, dir, all, b.Name)
		rows := halogPercentiles(t, halog(t, bin, file, events, "-pct"))
		for _, timer := range []struct {
			name string
			col  int
		}{{"Tc", 0}, {"Tr", 1}} {
			got := b.Timers[timer.name]
			for _, p := range []struct {
				row  string
				have int64
			}{{"50.0", got.P50}, {"90.0", got.P90}, {"99.0", got.P99}, {"100.0", got.Max}} {
				want := rows[p.row][timer.col]
				if p.have < want || p.have-want > want/1000 {
					t.Errorf("%s %s at %s%%: report %d, halog %d", b.Name, timer.name, p.row, p.have, want)
				}
				if want >= 2048 {
					compared++ // a value the histogram rounds
				}
			}
		}
	}
	t.Logf("%d backends, %d percentiles past 2,048 ms", len(sum.Backends), compared)
	if compared == 0 {
		t.Errorf("no percentile past 2,048 ms was compared: the histogram's rounding went untested")
	}
}

// backendFile writes the lines of file that belong to backend (halog
// cannot filter by backend).
func backendFile(t *testing.T, dir, file, backend string) (string, int) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var dec decode.Decoder
	var e decode.Entry
	var out bytes.Buffer
	for _, l := range strings.SplitAfter(string(data), "\n") {
		dec.Decode(&e, []byte(l), time.Now())
		if e.IsTraffic() && string(e.Backend) == backend {
			out.WriteString(l)
		}
	}
	path := filepath.Join(dir, "backend-"+strings.ReplaceAll(backend, "/", "_")+".log")
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, 0
}

// halogPercentiles reads halog -pct rows "<pct> <count> <req> <conn> <resp>
// <data>": pct -> [conn, resp].
func halogPercentiles(t *testing.T, out string) map[string][2]int64 {
	t.Helper()
	m := make(map[string][2]int64)
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(l)
		if len(f) != 6 {
			t.Fatalf("halog -pct line %q", l)
		}
		c, err1 := strconv.ParseInt(f[3], 10, 64)
		r, err2 := strconv.ParseInt(f[4], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("halog -pct line %q", l)
		}
		m[f[0]] = [2]int64{c, r}
	}
	return m
}
