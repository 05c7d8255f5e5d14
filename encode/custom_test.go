package encode

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	jsoniter "github.com/json-iterator/go"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// customFixtures are lines of custom log-formats, for the field check
// (TestFieldsMatchEncoder) too.
var customFixtures = []struct{ format, line string }{
	{`%ci:%cp %fi:%fp %bi:%bp %si:%sp %ft %b/%s %Th/%Ti/%TR/%Tq/%Tw/%Tc/%Tr/%Td/%Ta/%Tt/%Tu %ST %B %U %tsc %ID %rt %lc %OG host=%[req.hdr(host)] h2=%[req.hdr(host)] sni=%[ssl_fc_sni] %{+Q}r`,
		`10.0.0.1:5000 10.0.0.2:443 10.0.0.2:61000 10.0.0.9:8080 fe~ be/s1 1/2/3/4/0/4/5/6/7/8/9 503 100 42 sH-- ABC-1 12 13 http host=api.test h2=api.test sni=api.test "GET /x HTTP/1.1"`},
	{`%ci %ST`, `10.0.0.1 200`},
}

// encodeWith decodes line with a compiled format and parses the JSON.
func encodeWith(t *testing.T, format, line string) map[string]any {
	t.Helper()
	f, err := decode.CompileLogFormat(format)
	if err != nil {
		t.Fatal(err)
	}
	d := decode.Decoder{Location: time.UTC}
	d.AddLogFormat("", f)
	var e decode.Entry
	decodeExplain(&d, &e, []byte(line), testNow)
	s := jsoniter.NewStream(jsoniter.ConfigDefault, nil, 512)
	defaultEncoder().Encode(s, &e, testNow, nil)
	var m map[string]any
	if err := json.Unmarshal(s.Buffer(), &m); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, s.Buffer())
	}
	return m
}

// TestCustomFields: what only a custom log-format writes is encoded, next
// to the fields the built-ins share.
func TestCustomFields(t *testing.T) {
	m := encodeWith(t, customFixtures[0].format, strings.Replace(customFixtures[0].line, "1/2/3/4/", "1/2/3/-1/", 1))
	want(t, m, "haproxy.log_type", "http")
	want(t, m, "source.ip", "10.0.0.1")
	want(t, m, "destination.ip", "10.0.0.2")
	want(t, m, "destination.port", 443)
	want(t, m, "haproxy.backend_source.ip", "10.0.0.2")
	want(t, m, "haproxy.backend_source.port", 61000)
	want(t, m, "haproxy.server.ip", "10.0.0.9")
	want(t, m, "haproxy.server.port", 8080)
	want(t, m, "haproxy.timers.handshake_ms", 1)
	want(t, m, "haproxy.timers.idle_ms", 2)
	want(t, m, "haproxy.http.request.time_wait_ms", 3)
	want(t, m, "haproxy.timers.data_ms", 6)
	want(t, m, "haproxy.http.request.time_active_ms", 7)
	want(t, m, "haproxy.timers.session_ms", 8)
	want(t, m, "haproxy.timers.user_ms", 9)
	absent(t, m, "haproxy.timers.request_total_ms")
	want(t, m, "haproxy.bytes_uploaded", 42)
	want(t, m, "http.request.id", "ABC-1")
	want(t, m, "http.request.method", "GET")
	want(t, m, "haproxy.request_counter", 12)
	want(t, m, "haproxy.log_counter", 13)
	want(t, m, "haproxy.log_origin", "http")
	want(t, m, "haproxy.sample.req_hdr_host", "api.test")
	want(t, m, "haproxy.sample.req_hdr_host_2", "api.test")
	want(t, m, "tls.client.server_name", "api.test")
	want(t, m, "haproxy.termination.blame", "server")
	want(t, m, "event.outcome", "failure")

	// Nothing custom: none of the new objects.
	m = encodeWith(t, customFixtures[1].format, customFixtures[1].line)
	absent(t, m, "haproxy.sample", "haproxy.timers", "haproxy.server", "haproxy.backend_source", "http.request")
	want(t, m, "haproxy.log_type", "http") // a status was written: an HTTP line
	want(t, m, "http.response.status_code", 200)
}
