package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/report"
)

func TestReportJSONKeys(t *testing.T) {
	files := corpus.Files(t, "*.raw.log")
	code, out, errs := runCmd(t, "", append([]string{"report", "-json", "-tz", "UTC"}, files...)...)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not one JSON document: %v", err)
	}
	for _, k := range []string{"backends", "servers", "termination_states", "outages", "flapping", "reloads", "lines", "unknown"} {
		if v, ok := doc[k]; !ok || string(v) == "null" {
			t.Errorf("no %q (or null)", k)
		}
	}
	var lines struct{ Total int }
	json.Unmarshal(doc["lines"], &lines)
	if want := len(corpus.Lines(t, "*.raw.log")); lines.Total != want {
		t.Errorf("lines.total %d, want %d", lines.Total, want)
	}
}

func TestReportStdinText(t *testing.T) {
	in := strings.Join(corpus.Lines(t, "http_server_errors.log"), "\n")
	code, out, _ := runCmd(t, in, "report")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"HAProxy log report: ", "\nBackends\n", "be_app", "Termination states", "sH--", "server"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

func TestReportBadInput(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin.log")
	os.WriteFile(bin, []byte("\x00\x01\xff\xfe\n"+strings.Repeat("x", MaxLine+10)+"\n\x1b[31m\n"), 0o644)
	code, out, errs := runCmd(t, "", "report", "-json", bin, filepath.Join(dir, "missing.log"))
	if code != 1 || !strings.Contains(errs, "missing.log") || !strings.Contains(errs, "longer than") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	var s struct {
		Lines   struct{ Total, Unknown int }
		Unknown struct{ Count int }
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.Lines.Total != 3 || s.Lines.Unknown != 3 || s.Unknown.Count != 3 {
		t.Errorf("%v %+v\n%s", err, s, out)
	}
	if code, _, _ := runCmd(t, "", "report", "-top", "-1"); code != 2 {
		t.Errorf("-top -1: exit %d", code)
	}
	if code, _, _ := runCmd(t, "", "report", "-nope"); code != 2 {
		t.Errorf("-nope: exit %d", code)
	}
	if code, out, _ := runCmd(t, "", "report", "-h"); code != 0 || !strings.Contains(out, "haproxy-decode report") {
		t.Errorf("-h: exit %d", code)
	}
}

func TestReportHTMLFile(t *testing.T) {
	page := filepath.Join(t.TempDir(), "r.html")
	code, out, errs := runCmd(t, "", "report", "-html", page, corpus.Files(t, "http_basic.log")[0])
	if code != 0 || !strings.Contains(out, "HAProxy log report") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(page)
	if err != nil || !strings.Contains(string(b), `<svg id="latency"`) || !strings.Contains(string(b), `<svg id="outages"`) {
		t.Errorf("page: %v\n%.300s", err, b)
	}
	if code, _, errs := runCmd(t, "", "report", "-html", filepath.Join(t.TempDir(), "no", "dir.html")); code != 1 || !strings.Contains(errs, "-html") {
		t.Errorf("unwritable -html: exit %d, %q", code, errs)
	}
}

// The outages, flapping servers and reloads of the corpus, read by the
// state tracker and listed by the report: each ended outage lasts from its
// start to its end, with the servers that were down.
func TestReportStateFromCorpus(t *testing.T) {
	code, out, errs := runCmd(t, "", append([]string{"report", "-json"}, syslogFiles(t)...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var s report.Summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	ended := map[string]report.Outage{}
	for _, o := range s.Outages {
		if o.ID == "" || o.Start.IsZero() {
			t.Errorf("outage without id or start: %+v", o)
		}
		if !o.Ongoing {
			ended[o.Backend] = o
			if got := o.End.Sub(o.Start).Milliseconds(); got != o.DurationMs || o.DurationMs <= 0 {
				t.Errorf("%s: %d ms from %v to %v, duration_ms %d", o.Backend, got, o.Start, o.End, o.DurationMs)
			}
		}
	}
	if o := ended["be_recover_l4"]; len(o.ServersDown) != 1 || o.ServersDown[0] != "s2" {
		t.Errorf("be_recover_l4 (s2 failed its checks, then came back): %+v", o)
	}
	if o := ended["be_recover_l7"]; o.Refused != 1 {
		t.Errorf("be_recover_l7: one request refused during the outage, got %+v", o)
	}
	flapping := map[string]int{}
	for _, f := range s.Flapping {
		flapping[f.Backend+"/"+f.Server] = f.Transitions
	}
	if flapping["be_rt/s1"] < 4 || flapping["be_rt/s2"] < 4 {
		t.Errorf("runtime_api flaps be_rt/s1 and s2 through the CLI: %v", flapping)
	}
	found := false
	for _, r := range s.Reloads {
		found = found || (len(r.PIDs) == 2 && r.PIDs[0] == 3692 && r.PIDs[1] == 3701)
	}
	if !found {
		t.Errorf("no reload 3692 -> 3701 (lifecycle_reload): %+v", s.Reloads)
	}
}

// TestReportCustomFormats: the report reads custom log-formats as decoding
// does, from haproxy.cfg or pasted; without them those lines are unknown.
func TestReportCustomFormats(t *testing.T) {
	dir := filepath.Join("..", "..", "decode", "haproxycfg", "testdata", "custom")
	log, cfg := filepath.Join(dir, "fmt_custom.log"), filepath.Join(dir, "fmt_custom.cfg")
	type lines struct{ Total, HTTP, TCP, Unknown int }
	count := func(args ...string) lines {
		t.Helper()
		code, out, errs := runCmd(t, "", append([]string{"report", "-json", "-tz", "UTC"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		var doc struct{ Lines lines }
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Lines
	}
	without := count(log)
	with := count("-haproxy-config", cfg, log)
	if without.Unknown == 0 {
		t.Fatalf("without the configuration no line is unknown (%+v): the test shows nothing", without)
	}
	if with.Unknown != 0 || with.HTTP == 0 || with.TCP == 0 || with.Total != without.Total {
		t.Errorf("-haproxy-config: %+v, want no unknown line of %d, http and tcp counted", with, without.Total)
	}
	pasted := count("-log-format", `client=%ci:%cp fe=%ft be=%b srv=%s t=%TR/%Tw/%Tc/%Tr/%Ta st=%ST bytes=%B ts=%tsc conn=%ac/%fc/%bc/%sc/%rc q=%sq/%bq %{+Q}r`, log)
	if pasted.HTTP == 0 || pasted.Unknown >= without.Unknown {
		t.Errorf("-log-format: %+v, want fewer unknown than %d", pasted, without.Unknown)
	}
	code, _, errs := runCmd(t, "", "report", "-log-format", "%ci %{+Q", log)
	if code != 2 || !strings.Contains(errs, "column") {
		t.Errorf("bad -log-format: exit %d, %q", code, errs)
	}
}
