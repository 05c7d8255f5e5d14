package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	cliDown = `<129>Nov 21 07:36:02 lb1 haproxy[3615]: Server be/s1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`
	cliUp   = `<133>Nov 21 07:36:09 lb1 haproxy[3615]: Server be/s1 is UP, reason: Layer4 check passed, check duration: 0ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`
)

func outageOf(m map[string]any) map[string]any {
	h, _ := m["haproxy"].(map[string]any)
	o, _ := h["outage"].(map[string]any)
	return o
}

// The command keeps the state across the lines (and the files) of a run.
func TestCLIOutage(t *testing.T) {
	code, out, errs := runCmd(t, cliDown+"\n"+cliUp+"\n", "-tz", "UTC")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	m := jsonLines(t, out, 2)
	start, end := outageOf(m[0]), outageOf(m[1])
	if start["state"] != "started" || end["state"] != "ended" || end["id"] != start["id"] || end["duration_ms"] != 7000.0 {
		t.Errorf("started %v, ended %v", start, end)
	}
}

// -state-file: the next run ends the outage the first one saw start.
func TestCLIStateFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "state.json")
	_, out1, _ := runCmd(t, cliDown+"\n", "-tz", "UTC", "-state-file", file)
	code, out2, errs := runCmd(t, cliUp+"\n", "-tz", "UTC", "-state-file", file)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	start, end := outageOf(jsonLines(t, out1, 1)[0]), outageOf(jsonLines(t, out2, 1)[0])
	if end["state"] != "ended" || end["id"] != start["id"] || end["duration_ms"] != 7000.0 {
		t.Errorf("started %v, ended %v", start, end)
	}
	// A corrupt file is a warning naming it; the run goes on, and rewrites it.
	os.WriteFile(file, []byte("\x00garbage"), 0o600)
	code, out, errs := runCmd(t, cliUp+"\n", "-tz", "UTC", "-state-file", file)
	if code != 0 || !strings.Contains(errs, "warning: state file "+file+": not a valid state file") {
		t.Errorf("exit %d: %q", code, errs)
	}
	if o := outageOf(jsonLines(t, out, 1)[0]); o != nil {
		t.Errorf("an outage from a corrupt file: %v", o)
	}
	if _, _, errs = runCmd(t, "", "-state-file", file); errs != "" {
		t.Errorf("the file was not rewritten: %s", errs)
	}
	// A state file that cannot be written fails the run.
	bad := filepath.Join(t.TempDir(), "no", "dir", "s.json")
	if code, _, errs := runCmd(t, cliDown+"\n", "-state-file", bad); code != 1 || !strings.Contains(errs, bad) {
		t.Errorf("exit %d: %s", code, errs)
	}
}

func TestCLIStateFlags(t *testing.T) {
	for _, args := range [][]string{{"-flap-threshold", "1"}, {"-flap-threshold", "65"}, {"-flap-window", "-1m"}, {"-flap-window", "0s"}} {
		code, _, errs := runCmd(t, "", args...)
		if code != 2 || !strings.Contains(errs, args[0]) {
			t.Errorf("%v: exit %d: %s", args, code, errs)
		}
	}
	// -flap-threshold 2: the second change is flapping.
	_, out, _ := runCmd(t, cliDown+"\n"+cliUp+"\n", "-tz", "UTC", "-flap-threshold", "2")
	m := jsonLines(t, out, 2)
	srv := m[1]["haproxy"].(map[string]any)["server"].(map[string]any)
	if srv["flapping"] != true || srv["transitions"] != 2.0 || srv["downtime_ms"] != 7000.0 {
		t.Errorf("server %v", srv)
	}
	// -tag keys lines without a host name, as the tag does in the plugin.
	file := filepath.Join(t.TempDir(), "state.json")
	raw := cliDown[strings.Index(cliDown, "]: ")+3:]
	runCmd(t, raw+"\n", "-tag", "lb-a", "-state-file", file)
	refused := `127.0.0.1:4000 [21/Nov/2099:07:35:40.250] fe be/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`
	for tag, want := range map[string]any{"lb-a": "ongoing", "lb-b": nil} {
		_, out, _ := runCmd(t, refused+"\n", "-tz", "UTC", "-tag", tag, "-state-file", file)
		if got := outageOf(jsonLines(t, out, 1)[0])["state"]; got != want {
			t.Errorf("-tag %s: %v, want %v", tag, got, want)
		}
	}
}
