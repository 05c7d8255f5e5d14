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
// lines, three framings) decodes with the formats of its haproxy.cfg, and
// an unreadable configuration fails Init with the file, line and reason.
func TestHAProxyConfig(t *testing.T) {
	setup(t)
	dir := t.TempDir()
	var lines []string
	for _, f := range corpus.CustomFramings {
		lines = append(lines, corpus.ReadLines(t, filepath.Join(corpus.CustomDir(t), f))...)
	}
	var data []byte
	for i, l := range lines {
		data = record(data, false, l, "custom", i)
	}
	chunk := flbhost.WriteChunk(t, dir, "custom.msgpack", data)
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
	if !strings.Contains(r.Stderr, `HAProxy_Config="`+corpus.CustomConfig(t)+` (5 frontends, 5 formats compiled)"`) {
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
