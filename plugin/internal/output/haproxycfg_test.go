package output

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

func writeCfg(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const kvCfg = `defaults
    mode http
    option httplog
frontend fe_web
frontend fe_kv
    log-format "client=%ci:%cp fe=%ft st=%ST ts=%tsc host=%[req.hdr(host)] %{+Q}r"
frontend fe_tcp
    mode tcp
`

// HAProxy_Config: each frontend's lines are decoded with its own format,
// and HAProxy's warnings are logged at start.
func TestHAProxyConfigDecodes(t *testing.T) {
	cs := &captureSink{}
	cfgPath := writeCfg(t, kvCfg)
	in, log := newTestInstance(t, map[string]string{"haproxy_config": cfgPath}, cs)
	kv := `<134>Nov 21 07:35:32 haproxy[1]: client=10.1.2.3:5000 fe=fe_kv st=404 ts=---- host=api.test "GET /missing HTTP/1.1"`
	var data []byte
	data = tailRecord(data, recTime, kv)
	data = tailRecord(data, recTime, httpLine)
	if rc := in.Flush(data, "t"); rc != sink.OK {
		t.Fatalf("rc %d: %s", rc, log)
	}
	docs := cs.batches[0].docs
	m := decodeDoc(t, docs[0])
	if path(m, "haproxy", "log_type") != "http" || path(m, "source", "ip") != "10.1.2.3" ||
		path(m, "http", "response", "status_code") != json.Number("404") || path(m, "haproxy", "frontend_name") != "fe_kv" {
		t.Errorf("key=value line: %s", docs[0])
	}
	if m := decodeDoc(t, docs[1]); path(m, "haproxy", "log_type") != "http" || path(m, "http", "response", "status_code") != json.Number("200") {
		t.Errorf("httplog line: %s", docs[1])
	}
	if !strings.Contains(log.String(), "'option httplog' not usable with frontend 'fe_tcp'") {
		t.Errorf("HAProxy's fallback warning not logged:\n%s", log)
	}
	cfg, _ := ParseConfig(getter(map[string]string{"HAProxy_Config": cfgPath}))
	if s := cfg.Summary(); !strings.Contains(s, `HAProxy_Config="`+cfgPath+` (3 frontends, 3 formats compiled)"`) {
		t.Errorf("summary %s", s)
	}
}

// One row per HAProxy_Config that stops the start: the message names the
// key, the file, the line (or the path) and the reason.
func TestHAProxyConfigErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.cfg")
	tests := []struct {
		name, cfg, want string
	}{
		{"unreadable", "", `haproxy: HAProxy_Config "` + missing + `" is not valid: stat ` + missing + `: no such file or directory`},
		{"quote", "frontend fe\n    log-format \"%ci\n", `haproxy.cfg:2: log-format: unterminated double quote (column 16)`},
		{"two words", "frontend fe\n    log-format %ci %cp\n", `haproxy.cfg:2: log-format: expects only one argument`},
		{"no option", "defaults\n    no option httplog\n", `haproxy.cfg:2: option: negation/default is not supported for option 'httplog'`},
		{"compile", "frontend fe\n    mode http\n    log-format \"%ci %{+Q\"\n", `haproxy.cfg:3: log-format: frontend fe: column 5 of the format: "%{" is not closed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := missing
			if tt.cfg != "" {
				p = writeCfg(t, tt.cfg)
			}
			_, err := ParseConfig(getter(map[string]string{"HAProxy_Config": p}))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), `HAProxy_Config "`+p+`"`) {
				t.Errorf("error %v\nwant it to name HAProxy_Config %q and contain %q", err, p, tt.want)
			}
		})
	}
}

// HAProxy_Config takes a comma list, read in order as haproxy -f A -f B:
// the second file's frontend inherits the first file's named defaults.
func TestHAProxyConfigList(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.cfg"), filepath.Join(dir, "b.cfg")
	os.WriteFile(a, []byte("defaults kv\n    mode http\n    log-format \"kv client=%ci:%cp st=%ST %{+Q}r\"\n"), 0o644)
	os.WriteFile(b, []byte("frontend fe_b from kv\n"), 0o644)
	cfg, err := ParseConfig(getter(map[string]string{"HAProxy_Config": a + " , " + b}))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.HAProxy.Config.Proxy("fe_b")
	if p == nil || p.Defaults != "kv" || p.DefaultsAt.String() != a+":1" || len(cfg.HAProxy.Formats) != 1 {
		t.Fatalf("fe_b: %+v, formats %v", p, cfg.HAProxy.Formats)
	}
	// Their order matters, as for HAProxy: b before a names an unknown section.
	_, err = ParseConfig(getter(map[string]string{"HAProxy_Config": b + "," + a}))
	if err == nil || !strings.Contains(err.Error(), b+":1: frontend: defaults section 'kv' not found") {
		t.Errorf("b before a: %v", err)
	}
}
