package output

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// Log_Format, Log_Format_2: pasted formats decode the lines of any
// frontend; other lines still go to the built-in formats.
func TestLogFormatOption(t *testing.T) {
	cs := &captureSink{}
	in, log := newTestInstance(t, map[string]string{
		"log_format":   `"client=%ci:%cp fe=%ft st=%ST host=%[req.hdr(host)] %{+Q}r"`,
		"log_format_2": `'{"st":%ST,"fe":"%f"}'`, // as haproxy.cfg: bare, its quotes would go
	}, cs)
	var data []byte
	data = tailRecord(data, recTime, `<134>Nov 21 07:35:32 haproxy[1]: client=10.1.2.3:5000 fe=fe_kv st=404 host=api.test "GET /missing HTTP/1.1"`)
	data = tailRecord(data, recTime, `<134>Nov 21 07:35:32 haproxy[1]: {"st":201,"fe":"fe_json"}`)
	data = tailRecord(data, recTime, httpLine)
	if rc := in.Flush(data, "t"); rc != sink.OK {
		t.Fatalf("rc %d: %s", rc, log)
	}
	docs := cs.batches[0].docs
	if m := decodeDoc(t, docs[0]); path(m, "source", "ip") != "10.1.2.3" || path(m, "haproxy", "sample", "req_hdr_host") != "api.test" ||
		path(m, "http", "response", "status_code") != json.Number("404") {
		t.Errorf("Log_Format line: %s", docs[0])
	}
	if m := decodeDoc(t, docs[1]); path(m, "haproxy", "frontend_name") != "fe_json" || path(m, "http", "response", "status_code") != json.Number("201") {
		t.Errorf("Log_Format_2 line: %s", docs[1])
	}
	if m := decodeDoc(t, docs[2]); path(m, "haproxy", "log_type") != "http" {
		t.Errorf("httplog line: %s", docs[2])
	}
}

// A format that does not compile stops the start, naming the key, the
// column and the reason.
func TestLogFormatOptionErrors(t *testing.T) {
	for key, v := range map[string]string{
		"Log_Format":   `%ci %{+Q`,
		"Log_Format_3": `%ci %zz`,
	} {
		_, err := ParseConfig(getter(map[string]string{key: v}))
		if err == nil || !strings.Contains(err.Error(), `haproxy: `+key+` "`+v+`" is not valid: log-format: column 5: `) {
			t.Errorf("%s %q: error %v", key, v, err)
		}
	}
}
