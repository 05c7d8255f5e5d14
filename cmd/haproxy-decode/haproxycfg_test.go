package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHAProxyConfigFlag(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "haproxy.cfg")
	err := os.WriteFile(cfg, []byte(`defaults
    mode http
    option httplog
frontend fe_json
    log-format '{"client":"%ci","port":%cp,"fe":"%ft","status":%ST,"term":"%tsc","req":%{+Q}r}'
frontend fe_tcp
    mode tcp
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	in := `{"client":"10.0.0.7","port":4242,"fe":"fe_json","status":502,"term":"SH--","req":"POST /api HTTP/1.1"}` + "\n"
	code, out, errs := runCmd(t, in, "-haproxy-config", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "warning: "+cfg+":3: 'option httplog' not usable with frontend 'fe_tcp'") {
		t.Errorf("stderr %q", errs)
	}
	o := jsonLines(t, out, 1)[0]
	src, _ := o["source"].(map[string]any)
	h, _ := o["haproxy"].(map[string]any)
	if src["ip"] != "10.0.0.7" || h["frontend_name"] != "fe_json" || h["termination_state"] != "SH--" || h["log_type"] != "http" {
		t.Errorf("JSON line decoded as %s", out)
	}

	// A configuration that cannot be read stops the command with the file,
	// line and reason.
	bad := filepath.Join(t.TempDir(), "bad.cfg")
	os.WriteFile(bad, []byte("frontend fe\n  log-format \"%ci\n"), 0o644)
	code, out, errs = runCmd(t, "", "-haproxy-config", bad)
	if code != 2 || out != "" || !strings.Contains(errs, "haproxy-decode: -haproxy-config: "+bad+":2: log-format: unterminated double quote") {
		t.Errorf("bad config: exit %d, stderr %q", code, errs)
	}
	code, _, errs = runCmd(t, "", "-haproxy-config", bad+".missing")
	if code != 2 || !strings.Contains(errs, bad+".missing") {
		t.Errorf("missing config: exit %d, stderr %q", code, errs)
	}
}
