package flbhost_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/test/flbhost"
)

// The .so with HAProxy_Config: the custom-format corpus (real HAProxy 2.6
// lines, three framings) decodes with the formats of its haproxy.cfg (and
// fe_tls_err's error-log-format), and an unreadable configuration fails
// Init with the file, line and reason.
func TestHAProxyConfig(t *testing.T) {
	setup(t)
	dir := t.TempDir()
	chunk, lines := customChunk(t, dir)
	bad := filepath.Join(dir, "bad.cfg")
	if err := os.WriteFile(bad, []byte("defaults\n    mode http\nfrontend fe\n    log-format \"%ci %{+Q\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.jsonl")
	r := plugin.Run(t, fmt.Sprintf(`
prop 0 destination file
prop 0 file %s
prop 0 HAProxy_Config %s
init 0
flush 0 haproxy.custom %s
exit 0
unregister
`, out, corpus.CustomConfig(t), chunk))
	r.WantRC(t, "init instance=0", 1)
	r.WantRC(t, "flush instance=0 chunk=custom.msgpack", 1)
	// Fluent Bit stops at a failed Init: a run of its own.
	rb := plugin.Run(t, "prop 0 HAProxy_Config "+bad+"\ninit 0\n")
	rb.WantRC(t, "init instance=0", 0)
	if want := `HAProxy_Config "` + bad + `" is not valid: ` + bad + `:4: log-format: frontend fe: column 5 of the format: "%{" is not closed`; !strings.Contains(rb.Stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, rb.Stderr)
	}
	if !strings.Contains(r.Stderr, `HAProxy_Config="`+corpus.CustomConfig(t)+` (6 frontends, 7 formats compiled)"`) {
		t.Errorf("init summary lacks HAProxy_Config:\n%s", r.Stderr)
	}
	docs := flbhost.ReadDocs(t, out)
	if len(docs) != len(lines) {
		t.Fatalf("%d docs for %d lines", len(docs), len(lines))
	}
	seen := map[string]int{}
	for i, d := range docs {
		typ, _ := flbhost.Lookup(d, "haproxy", "log_type")
		if typ == "unknown" {
			t.Errorf("doc %d unknown: %v", i, d)
			continue
		}
		ip, _ := flbhost.Lookup(d, "source", "ip")
		port, _ := flbhost.Lookup(d, "source", "port")
		if ip != nil {
			seen[fmt.Sprintf("%v:%v", ip, port)]++
		}
	}
	for _, req := range corpus.CustomRequests(t) {
		if seen[req.Client] != len(corpus.CustomFramings) {
			t.Errorf("%s (%s): %d docs, want one per framing", req.ID, req.Client, seen[req.Client])
		}
	}
}

// The .so with Log_Format .. Log_Format_4: four of the custom corpus's
// formats pasted as haproxy.cfg writes them decode their frontends' lines
// in every framing; fe_named's lines, whose format was not given, and
// fe_tls_err's error line (Log_Format has no error-log-format) stay unknown
// with the reason of the closest format.
func TestLogFormatOptions(t *testing.T) {
	setup(t)
	dir := t.TempDir()
	chunk, lines := customChunk(t, dir)
	out := filepath.Join(dir, "out.jsonl")
	formats := corpus.CustomPastedFormats(t) // fe_kv, fe_json, fe_tcpfmt, fe_sample, fe_tls_err, fe_named
	if len(formats) != 6 {
		t.Fatalf("%d formats in the custom corpus, want 6", len(formats))
	}
	script := fmt.Sprintf("prop 0 destination file\nprop 0 file %s\nprop 0 keep_message on\n", out)
	for i, key := range []string{"Log_Format", "Log_Format_2", "Log_Format_3", "Log_Format_4"} {
		script += fmt.Sprintf("prop 0 %s %s\n", key, formats[i])
	}
	script += fmt.Sprintf("init 0\nflush 0 haproxy.custom %s\nexit 0\nunregister\n", chunk)
	r := plugin.Run(t, script)
	r.WantRC(t, "init instance=0", 1)
	r.WantRC(t, "flush instance=0 chunk=custom.msgpack", 1)
	docs := flbhost.ReadDocs(t, out)
	if len(docs) != len(lines) {
		t.Fatalf("%d docs for %d lines", len(docs), len(lines))
	}
	byClient := map[string]int{}
	unknownNamed := 0
	for i, d := range docs {
		typ, _ := flbhost.Lookup(d, "haproxy", "log_type")
		msg, _ := d["message"].(string)
		if strings.Contains(msg, "from=named-defaults") || strings.Contains(msg, "tls-error ") {
			if pe, _ := flbhost.Lookup(d, "haproxy", "parse_error"); typ != "unknown" || !strings.Contains(fmt.Sprint(pe), "log-format") {
				t.Errorf("doc %d: fe_named's line without its format: %v %v", i, typ, pe)
			}
			unknownNamed++
			continue
		}
		if typ == "unknown" {
			t.Errorf("doc %d unknown: %v", i, d)
		}
		ip, _ := flbhost.Lookup(d, "source", "ip")
		port, _ := flbhost.Lookup(d, "source", "port")
		if ip != nil {
			byClient[fmt.Sprintf("%v:%v", ip, port)]++
		}
	}
	if unknownNamed != 4*len(corpus.CustomFramings) {
		t.Errorf("%d fe_named and fe_tls_err lines, want 4 per framing", unknownNamed)
	}
	for _, req := range corpus.CustomRequests(t) {
		want := len(corpus.CustomFramings)
		if req.Frontend == "fe_named" || req.Kind == "conn_error" {
			want = 0
		}
		if byClient[req.Client] != want {
			t.Errorf("%s (%s): %d docs, want %d", req.ID, req.Client, byClient[req.Client], want)
		}
	}
}

// customChunk writes the custom corpus's lines, every framing, as one chunk.
func customChunk(t *testing.T, dir string) (chunk string, lines []string) {
	t.Helper()
	for _, f := range corpus.CustomFramings {
		lines = append(lines, corpus.ReadLines(t, filepath.Join(corpus.CustomDir(t), f))...)
	}
	var data []byte
	for i, l := range lines {
		data = record(data, false, l, "custom", i)
	}
	return flbhost.WriteChunk(t, dir, "custom.msgpack", data), lines
}
