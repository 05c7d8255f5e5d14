package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/test/flbhost"
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

// The custom-format corpus (real HAProxy 2.6 lines, three framings) through
// the command with -haproxy-config, and with its formats pasted as
// -log-format: every request is one known line with its client, frontend
// and status.
func TestHAProxyConfigCustomCorpus(t *testing.T) {
	checkCustomCorpus(t, true, "-haproxy-config", corpus.CustomConfig(t))
}

func TestLogFormatCustomCorpus(t *testing.T) {
	var args []string
	for _, f := range corpus.CustomPastedFormats(t) {
		args = append(args, "-log-format", f)
	}
	checkCustomCorpus(t, false, args...) // no error-log-format: the TLS error stays unknown
}

// checkCustomCorpus runs the command over each framing; errorFormats: the
// flags give fe_tls_err's error-log-format too.
func checkCustomCorpus(t *testing.T, errorFormats bool, flags ...string) {
	t.Helper()
	reqs := corpus.CustomRequests(t)
	for _, framing := range corpus.CustomFramings {
		args := append(append([]string{}, flags...), filepath.Join(corpus.CustomDir(t), framing))
		code, out, errs := runCmd(t, "", args...)
		if code != 0 || errs != "" {
			t.Fatalf("%s: exit %d, stderr %q", framing, code, errs)
		}
		byClient := map[string]map[string]any{}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		for _, o := range jsonLines(t, out, len(lines)) {
			h, _ := o["haproxy"].(map[string]any)
			tlsError := strings.Contains(fmt.Sprint(o["message"]), "tls-error ")
			if (h["log_type"] == "unknown") != (tlsError && !errorFormats) {
				t.Errorf("%s: log_type %v: %v", framing, h["log_type"], o)
			}
			if src, ok := o["source"].(map[string]any); ok {
				byClient[fmt.Sprintf("%v:%v", src["ip"], src["port"])] = o
			}
		}
		for _, r := range reqs {
			o := byClient[r.Client]
			if r.Kind == "conn_error" {
				if kind, _ := flbhost.Lookup(o, "haproxy", "event", "kind"); errorFormats && kind != "connection_error" {
					t.Errorf("%s: %s: event kind %v", framing, r.ID, kind)
				}
				continue
			}
			if o == nil {
				t.Errorf("%s: no line for %s (%s)", framing, r.ID, r.Client)
				continue
			}
			h, _ := o["haproxy"].(map[string]any)
			if h["frontend_name"] != r.Frontend {
				t.Errorf("%s: %s: frontend %v", framing, r.ID, h["frontend_name"])
			}
			if r.Expect.Status != nil {
				v, _ := flbhost.Lookup(o, "http", "response", "status_code")
				st, _ := v.(float64)
				if int(st) != *r.Expect.Status {
					t.Errorf("%s: %s: status %v, want %d", framing, r.ID, st, *r.Expect.Status)
				}
			}
		}
	}
}

// -haproxy-config is repeatable, the files read in order as haproxy -f.
func TestHAProxyConfigRepeated(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.cfg"), filepath.Join(dir, "b.cfg")
	os.WriteFile(a, []byte("defaults kv\n    mode http\n    log-format \"kv client=%ci:%cp st=%ST %{+Q}r\"\n"), 0o644)
	os.WriteFile(b, []byte("frontend fe_b from kv\n"), 0o644)
	code, out, errs := runCmd(t, "kv client=10.1.1.1:99 st=418 \"GET /tea HTTP/1.1\"\n", "-haproxy-config", a, "-haproxy-config", b)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	o := jsonLines(t, out, 1)[0]
	if st, _ := flbhost.Lookup(o, "http", "response", "status_code"); st != float64(418) {
		t.Errorf("decoded %s", out)
	}
}
