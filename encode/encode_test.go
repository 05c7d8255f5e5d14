package encode

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	jsoniter "github.com/json-iterator/go"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// testNow is "now" for the corpus, written on 2026-11-21.
var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// corpusLines returns the lines of a corpus file (its name, or a pattern).
func corpusLines(tb testing.TB, name string) [][]byte {
	tb.Helper()
	return corpus.Bytes(corpus.Lines(tb, name))
}

// corpusLine returns line n (1-based) of a corpus file.
func corpusLine(tb testing.TB, name string, n int) []byte {
	tb.Helper()
	lines := corpusLines(tb, name)
	if n > len(lines) {
		tb.Fatalf("%s has %d lines, not %d", name, len(lines), n)
	}
	return lines[n-1]
}

// decodeExplain is the first two stages of the pipeline, as the plugin and
// the command run them.
func decodeExplain(d *decode.Decoder, e *decode.Entry, line []byte, now time.Time) {
	d.Decode(e, line, now)
	var x decode.Explainer
	x.Explain(e)
}

// encodeLine decodes and encodes one line and parses the JSON back.
func encodeLine(tb testing.TB, enc *Encoder, line []byte, received time.Time, extra func(*jsoniter.Stream)) (map[string]any, []byte, time.Time) {
	tb.Helper()
	d := decode.Decoder{Location: time.UTC}
	var e decode.Entry
	decodeExplain(&d, &e, line, testNow)
	s := jsoniter.NewStream(jsoniter.ConfigDefault, nil, 512)
	t := enc.Encode(s, &e, received, extra)
	out := append([]byte(nil), s.Buffer()...)
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		tb.Fatalf("invalid JSON for %q: %v\n%s", line, err, out)
	}
	if !utf8.Valid(out) {
		tb.Fatalf("output is not UTF-8 for %q:\n%q", line, out)
	}
	return m, out, t
}

// get follows a dotted path through nested objects.
func get(m map[string]any, path string) (any, bool) {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// want checks path == v (numbers compare as float64, as Unmarshal gives them).
func want(t *testing.T, m map[string]any, path string, v any) {
	t.Helper()
	got, ok := get(m, path)
	if !ok {
		t.Errorf("%s missing", path)
		return
	}
	switch n := v.(type) {
	case int:
		v = float64(n)
	case int64:
		v = float64(n)
	case []string:
		a := make([]any, len(n))
		for i, s := range n {
			a[i] = s
		}
		v = a
	}
	if !reflect.DeepEqual(got, v) {
		t.Errorf("%s = %#v, want %#v", path, got, v)
	}
}

func absent(t *testing.T, m map[string]any, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if v, ok := get(m, p); ok {
			t.Errorf("%s = %#v, want it absent", p, v)
		}
	}
}

func defaultEncoder() *Encoder { return New(Options{KeepMessage: true}) }

func TestHTTPLine(t *testing.T) {
	line := corpusLine(t, "http_basic.log", 1)
	m, _, when := encodeLine(t, defaultEncoder(), line, time.Time{}, nil)
	want(t, m, "@timestamp", "2026-11-21T07:35:32.633Z")
	if !when.Equal(time.Date(2026, 11, 21, 7, 35, 32, 633e6, time.UTC)) {
		t.Errorf("returned time %v", when)
	}
	want(t, m, "message", string(line))
	want(t, m, "log.level", "informational")
	want(t, m, "log.syslog.priority", 134)
	want(t, m, "log.syslog.facility.code", 16)
	want(t, m, "log.syslog.facility.name", "local0")
	want(t, m, "log.syslog.severity.code", 6)
	want(t, m, "log.syslog.severity.name", "informational")
	want(t, m, "process.name", "haproxy")
	want(t, m, "process.pid", 3320)
	want(t, m, "source.ip", "127.0.0.1")
	want(t, m, "source.port", 48052)
	want(t, m, "http.request.method", "GET")
	want(t, m, "http.response.status_code", 200)
	want(t, m, "http.version", "1.1")
	want(t, m, "url.original", "/ok?id=basic-get")
	want(t, m, "url.path", "/ok")
	want(t, m, "url.query", "id=basic-get")
	absent(t, m, "url.port", "url.domain", "url.scheme", "tls", "destination", "host")
	want(t, m, "event.kind", "event")
	want(t, m, "event.category", []string{"web"})
	want(t, m, "event.outcome", "success")
	want(t, m, "event.duration", 0)
	want(t, m, "event.dataset", "haproxy.log")
	want(t, m, "event.module", "haproxy")
	want(t, m, "haproxy.log_type", "http")
	want(t, m, "haproxy.framing", "rfc3164")
	want(t, m, "haproxy.frontend_name", "fe_basic")
	want(t, m, "haproxy.frontend_ssl", false)
	want(t, m, "haproxy.backend_name", "be_app")
	want(t, m, "haproxy.server_name", "app1")
	want(t, m, "haproxy.http.request.time_wait_ms", 0)
	want(t, m, "haproxy.total_waiting_time_ms", 0)
	want(t, m, "haproxy.connection_wait_time_ms", 0)
	want(t, m, "haproxy.http.request.time_wait_without_data_ms", 0)
	want(t, m, "haproxy.http.request.time_active_ms", 0)
	want(t, m, "haproxy.bytes_read", 90)
	want(t, m, "http.response.bytes", 90)
	want(t, m, "event.type", []string{"access"})
	want(t, m, "source.address", "127.0.0.1")
	want(t, m, "related.ip", []string{"127.0.0.1"})
	absent(t, m, "haproxy.tcp", "haproxy.total_time_ms")
	want(t, m, "haproxy.http.request.captured_headers", []string{"corpus.test", "corpus-client/1.0"})
	want(t, m, "haproxy.http.response.captured_headers", []string{"text/plain", "app"})
	absent(t, m, "haproxy.http.request.headers", "haproxy.http.request.captured_cookie", "haproxy.timers")
	want(t, m, "haproxy.termination_state", "----")
	want(t, m, "haproxy.termination.cause.code", "-")
	want(t, m, "haproxy.termination.blame", "none")
	want(t, m, "haproxy.termination.anomaly", false)
	want(t, m, "haproxy.connections.active", 1)
	want(t, m, "haproxy.connections.frontend", 1)
	want(t, m, "haproxy.connections.backend", 0)
	want(t, m, "haproxy.connections.server", 0)
	want(t, m, "haproxy.connections.retries", 0)
	want(t, m, "haproxy.connections.redispatched", false)
	want(t, m, "haproxy.server_queue", 0)
	want(t, m, "haproxy.backend_queue", 0)
	absent(t, m, "haproxy.event", "haproxy.outage", "haproxy.lifecycle", "haproxy.parse_error")
}

func TestHTTPSLineAndUnreached(t *testing.T) {
	// 0/0/-1/-1/0 503 ... SC-- over TLS.
	m, _, _ := encodeLine(t, defaultEncoder(), corpusLine(t, "https_httpslog.log", 2), time.Time{}, nil)
	want(t, m, "haproxy.log_type", "https")
	want(t, m, "haproxy.frontend_name", "fe_tls")
	want(t, m, "haproxy.frontend_ssl", true)
	want(t, m, "tls.version", "1.3")
	want(t, m, "tls.version_protocol", "tls")
	want(t, m, "tls.cipher", "TLS_AES_256_GCM_SHA384")
	want(t, m, "tls.resumed", false)
	want(t, m, "tls.client.server_name", "corpus.test")
	want(t, m, "haproxy.tls.connection_error", 0)
	want(t, m, "haproxy.tls.ssl_error", "0000000000000000")
	want(t, m, "haproxy.http.request.time_wait_ms", 0)
	want(t, m, "haproxy.total_waiting_time_ms", 0)
	absent(t, m, "haproxy.connection_wait_time_ms", "haproxy.http.request.time_wait_without_data_ms")
	want(t, m, "haproxy.timers.unreached", "connect")
	want(t, m, "haproxy.termination.cause.code", "S")
	want(t, m, "haproxy.termination.phase.code", "C")
	want(t, m, "haproxy.termination.blame", "server")
	want(t, m, "haproxy.termination.anomaly", true)
	want(t, m, "event.outcome", "failure")
	want(t, m, "http.response.status_code", 503)
}

func TestUnsetTimersOmitted(t *testing.T) {
	// -1/-1/-1/-1/200 400 0 - - CR-- ... "<BADREQ>"
	m, _, _ := encodeLine(t, defaultEncoder(), corpusLine(t, "conn_errors.log", 4), time.Time{}, nil)
	absent(t, m, "haproxy.http.request.time_wait_ms", "haproxy.total_waiting_time_ms",
		"haproxy.connection_wait_time_ms", "haproxy.http.request.time_wait_without_data_ms",
		"http.request.method", "url")
	want(t, m, "haproxy.http.request.time_active_ms", 200)
	want(t, m, "event.duration", 200*int64(time.Millisecond))
	want(t, m, "haproxy.timers.unreached", "request")
	want(t, m, "haproxy.server_name", "<NOSRV>")
	want(t, m, "haproxy.http.request.raw_request_line", "<BADREQ>")

	// TCP: -1/-1/1 0 PR
	m, _, _ = encodeLine(t, defaultEncoder(), corpusLine(t, "tcp_tcplog.log", 4), time.Time{}, nil)
	want(t, m, "haproxy.log_type", "tcp")
	want(t, m, "event.category", []string{"network"})
	absent(t, m, "haproxy.total_waiting_time_ms", "haproxy.connection_wait_time_ms", "http", "haproxy.http")
	want(t, m, "haproxy.tcp.processing_time_ms", 1)
	want(t, m, "event.type", []string{"connection", "end"})
	want(t, m, "haproxy.timers.unreached", "queue")
	want(t, m, "haproxy.termination_state", "PR")
	absent(t, m, "haproxy.termination.client_cookie", "haproxy.termination.cookie_summary")
}

func TestLogasap(t *testing.T) {
	m, _, _ := encodeLine(t, defaultEncoder(), corpusLine(t, "log_options.log", 1), time.Time{}, nil)
	want(t, m, "haproxy.timers.logasap", true)
	want(t, m, "haproxy.bytes_read", 15272)
	want(t, m, "haproxy.http.request.time_active_ms", 0)
}

func TestEvents(t *testing.T) {
	enc := defaultEncoder()
	// Server be_hc_timeout/s1 is DOWN. 1 active and 0 backup servers left. ...
	m, _, _ := encodeLine(t, enc, corpusLine(t, "hc_l4_timeout.log", 3), time.Time{}, nil)
	if lt, _ := get(m, "haproxy.log_type"); lt != "event" {
		t.Fatalf("the decoder does not read events (log_type %v)", lt)
	}
	want(t, m, "@timestamp", "2026-11-21T07:36:00.000Z") // header time (UTC decoder)
	want(t, m, "log.level", "alert")                     // <129>: local0.alert
	want(t, m, "haproxy.event.kind", "server_down")
	want(t, m, "haproxy.backend_name", "be_hc_timeout")
	want(t, m, "haproxy.server_name", "s1")
	want(t, m, "haproxy.servers.active", 1)
	want(t, m, "haproxy.servers.backup", 0)
	want(t, m, "haproxy.sessions.active", 0)
	want(t, m, "event.outcome", "failure")
	want(t, m, "event.category", []string{"network"})
	absent(t, m, "source", "haproxy.frontend_ssl", "haproxy.connections.redispatched", "haproxy.termination")

	// Health check ... failed, reason: Layer4 timeout, check duration: 500ms, status: 0/2 DOWN.
	m, _, _ = encodeLine(t, enc, corpusLine(t, "hc_l4_timeout.log", 2), time.Time{}, nil)
	want(t, m, "haproxy.event.kind", "health_check")
	want(t, m, "haproxy.check.result", "failed")
	want(t, m, "haproxy.check.duration_ms", 500)
	want(t, m, "event.duration", 500*int64(time.Millisecond))
	want(t, m, "event.outcome", "failure")

	// Connect from 127.0.0.1:46192 to 127.0.0.1:18030 (fe_default_http/HTTP)
	m, _, _ = encodeLine(t, enc, corpusLine(t, "fmt_default.log", 1), time.Time{}, nil)
	want(t, m, "haproxy.event.kind", "connect")
	want(t, m, "source.ip", "127.0.0.1")
	want(t, m, "source.port", 46192)
	want(t, m, "destination.ip", "127.0.0.1")
	want(t, m, "destination.port", 18030)

	// 127.0.0.1:48974 [...] fe_proxy_proto/1: Received something which does not look like a PROXY protocol header
	m, _, _ = encodeLine(t, enc, corpusLine(t, "conn_errors.log", 1), time.Time{}, nil)
	want(t, m, "haproxy.event.kind", "connection_error")
	want(t, m, "source.ip", "127.0.0.1")
	want(t, m, "source.port", 48974)
	want(t, m, "haproxy.bind_name", "1")
	want(t, m, "@timestamp", "2026-11-21T07:35:58.329Z")
}

// TestCorpus encodes every line of every corpus file: valid JSON, the line
// kept as message, a log_type, an ECS event for known lines.
func TestCorpus(t *testing.T) {
	paths := corpus.Files(t, "*.log")
	enc := defaultEncoder()
	types := map[string]int{}
	for _, p := range paths {
		for i, line := range corpusLines(t, filepath.Base(p)) {
			m, _, _ := encodeLine(t, enc, line, testNow, nil)
			lt, _ := get(m, "haproxy.log_type")
			types[lt.(string)]++
			if msg, _ := get(m, "message"); msg != string(line) {
				t.Errorf("%s:%d: message %q", p, i+1, msg)
			}
			if _, ok := get(m, "@timestamp"); !ok {
				t.Errorf("%s:%d: no @timestamp", p, i+1)
			}
			if lt == "unknown" {
				continue
			}
			if _, ok := get(m, "event.dataset"); !ok {
				t.Errorf("%s:%d: no event", p, i+1)
			}
			if ts, ok := get(m, "haproxy.termination_state"); ok {
				// the default Explain: texts on anomalies and failures only
				anomaly, _ := get(m, "haproxy.termination.anomaly")
				outcome, _ := get(m, "event.outcome")
				_, summary := get(m, "haproxy.termination.summary")
				if explain := anomaly == true || outcome == "failure" || lt == "event"; summary != explain {
					t.Errorf("%s:%d: termination %v (anomaly %v, outcome %v): summary written %v", p, i+1, ts, anomaly, outcome, summary)
				}
				if _, ok := get(m, "haproxy.termination.blame"); !ok {
					t.Errorf("%s:%d: termination %v without blame", p, i+1, ts)
				}
			}
		}
	}
	t.Logf("log types over the corpus: %v", types)
}

func TestExtraFields(t *testing.T) {
	extra := func(s *jsoniter.Stream) {
		s.WriteObjectField("tag")
		s.WriteString("haproxy.lb1")
		s.WriteMore()
		s.WriteObjectField("n")
		s.WriteInt(7)
		s.WriteMore()
	}
	m, out, _ := encodeLine(t, defaultEncoder(), corpusLine(t, "http_basic.log", 1), time.Time{}, extra)
	want(t, m, "tag", "haproxy.lb1")
	want(t, m, "n", 7)
	want(t, m, "haproxy.log_type", "http")
	if !bytes.HasPrefix(out, []byte(`{"tag":"haproxy.lb1","n":7,"@timestamp":`)) {
		t.Errorf("extra fields are not first: %.80s", out)
	}
	// Unknown lines too.
	m, _, _ = encodeLine(t, defaultEncoder(), []byte("garbage"), testNow, extra)
	want(t, m, "tag", "haproxy.lb1")
}

func TestUnknownLine(t *testing.T) {
	received := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	for _, keep := range []bool{true, false} {
		enc := New(Options{KeepMessage: keep})
		m, _, when := encodeLine(t, enc, []byte("hello \"world\"\tand more"), received, nil)
		if !when.Equal(received) {
			t.Errorf("time %v, want received %v", when, received)
		}
		want(t, m, "@timestamp", "2026-01-02T03:04:05.006Z")
		want(t, m, "message", "hello \"world\"\tand more") // kept even when KeepMessage is false
		want(t, m, "haproxy.log_type", "unknown")
		want(t, m, "haproxy.framing", "raw")
		if _, ok := get(m, "haproxy.parse_error"); !ok {
			t.Error("no parse_error")
		}
		if len(m) != 3 || len(m["haproxy"].(map[string]any)) != 3 {
			t.Errorf("unknown line has more than timestamp, message and haproxy: %v", m)
		}
	}
	// Framing fields are kept: an RFC3164 header around an unknown message.
	m, _, _ := encodeLine(t, defaultEncoder(), []byte("<11>Nov 21 07:35:32 lb1 haproxy[42]: something new happened"), received, nil)
	want(t, m, "haproxy.log_type", "unknown")
	want(t, m, "@timestamp", "2026-11-21T07:35:32.000Z")
	want(t, m, "log.level", "error")
	want(t, m, "log.syslog.facility.name", "user")
	want(t, m, "host.hostname", "lb1")
	want(t, m, "process.pid", 42)
	absent(t, m, "event", "source")

	// A stderr label gives log.level.
	m, _, _ = encodeLine(t, defaultEncoder(), []byte("[NOTICE]   (1) : something new"), received, nil)
	want(t, m, "log.level", "notice")
	want(t, m, "haproxy.framing", "stderr")

	// Empty line.
	m, _, _ = encodeLine(t, defaultEncoder(), nil, received, nil)
	want(t, m, "message", "")
	want(t, m, "haproxy.log_type", "unknown")

	// No time anywhere: now.
	before := time.Now()
	_, _, when := encodeLine(t, defaultEncoder(), []byte("x"), time.Time{}, nil)
	if when.Before(before) || when.After(time.Now()) {
		t.Errorf("time %v is not now", when)
	}
}

func TestKeepMessageFalse(t *testing.T) {
	m, _, _ := encodeLine(t, New(Options{}), corpusLine(t, "http_basic.log", 1), time.Time{}, nil)
	absent(t, m, "message")
	want(t, m, "haproxy.log_type", "http")
}

func TestHeaderNames(t *testing.T) {
	enc := New(Options{
		KeepMessage:         true,
		RequestHeaderNames:  []string{"Host", "User-Agent", "X-Not-Captured"},
		ResponseHeaderNames: []string{"Content-Type", "content-type"}, // repeated: written once
	})
	m, _, _ := encodeLine(t, enc, corpusLine(t, "http_basic.log", 1), time.Time{}, nil)
	want(t, m, "haproxy.http.request.headers.host", "corpus.test")
	want(t, m, "haproxy.http.request.headers.user-agent", "corpus-client/1.0")
	absent(t, m, "haproxy.http.request.headers.x-not-captured")
	want(t, m, "haproxy.http.response.headers.content-type", "text/plain")
	want(t, m, "haproxy.http.request.captured_headers", []string{"corpus.test", "corpus-client/1.0"})
	want(t, m, "haproxy.http.response.captured_headers", []string{"text/plain", "app"})

	// No header block: no headers object even with names.
	m, _, _ = encodeLine(t, enc, corpusLine(t, "http_cookies.log", 1), time.Time{}, nil)
	absent(t, m, "haproxy.http.request.headers", "haproxy.http.request.captured_headers")
}

func TestTimeKeyOptions(t *testing.T) {
	line := corpusLine(t, "http_basic.log", 1)
	m, _, _ := encodeLine(t, New(Options{TimeKey: "ts"}), line, time.Time{}, nil)
	want(t, m, "ts", "2026-11-21T07:35:32.633Z")
	absent(t, m, "@timestamp")

	m, _, _ = encodeLine(t, New(Options{TimeFormat: timeFormat(t, "", true)}), line, time.Time{}, nil)
	want(t, m, "@timestamp", "2026-11-21T07:35:32.633000000Z")

	// A strftime pattern, then Fluent Bit's ".<ms>Z"; the request date is
	// that timestamp, not written again.
	m, _, _ = encodeLine(t, New(Options{TimeFormat: timeFormat(t, "%a, %d %b %Y %H:%M:%S %Z", false)}), line, time.Time{}, nil)
	want(t, m, "@timestamp", "Sat, 21 Nov 2026 07:35:32 GMT.633Z")
	absent(t, m, "haproxy.request_date")
	m, _, _ = encodeLine(t, New(Options{TimeFormat: timeFormat(t, "%d/%b/%Y %H:%M:%S", true)}), line, time.Time{}, nil)
	want(t, m, "@timestamp", "21/Nov/2026 07:35:32.633000000Z")

	// Names and patterns that need escaping still give valid JSON.
	m, _, _ = encodeLine(t, New(Options{TimeKey: "a\"b\\c\n", TimeFormat: timeFormat(t, `"%Y"`+"\x01", false)}), line, time.Time{}, nil)
	want(t, m, "a\"b\\c\n", "\"2026\"\x01.633Z")

	// A zone is converted to UTC.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	var d = decode.Decoder{Location: paris}
	var e decode.Entry
	decodeExplain(&d, &e, line, testNow)
	s := jsoniter.NewStream(jsoniter.ConfigDefault, nil, 512)
	defaultEncoder().Encode(s, &e, time.Time{}, nil)
	if !bytes.Contains(s.Buffer(), []byte(`"@timestamp":"2026-11-21T06:35:32.633Z"`)) {
		t.Errorf("not UTC: %.60s", s.Buffer())
	}
}

// TestEncodeAllocs: zero allocations per entry into a reused stream.
func TestEncodeAllocs(t *testing.T) {
	lines := [][]byte{
		corpusLine(t, "http_basic.log", 1),
		corpusLine(t, "https_httpslog.log", 2),
		corpusLine(t, "tcp_tcplog.log", 4),
		corpusLine(t, "hc_l4_timeout.log", 3),
		corpusLine(t, "conn_errors.log", 4),
		[]byte("<11>Nov 21 07:35:32 lb1 haproxy[42]: not \xff a \x01 known line"),
		// A line that breaks in the reader: its parse error quotes the input.
		[]byte(`127.0.0.1:1 [21/Nov/2026:07:35:32.633] fe be/s1 0/0/"x\/0/0 200 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`),
	}
	enc := New(Options{
		KeepMessage:         true,
		RequestHeaderNames:  []string{"host", "user-agent"},
		ResponseHeaderNames: []string{"content-type"},
		TimeFormat:          timeFormat(t, "%d/%b/%Y:%H:%M:%S %z", true),
	})
	d := decode.Decoder{Location: time.UTC}
	s := jsoniter.NewStream(jsoniter.ConfigDefault, nil, 8192)
	extra := func(s *jsoniter.Stream) { s.WriteRaw(`"tag":"x",`) }
	for _, line := range lines {
		var e decode.Entry
		decodeExplain(&d, &e, line, testNow)
		allocs := testing.AllocsPerRun(200, func() {
			s.SetBuffer(s.Buffer()[:0])
			enc.Encode(s, &e, testNow, extra)
		})
		if allocs != 0 {
			t.Errorf("Encode: %v allocs per entry for %.60q", allocs, line)
		}
		allocs = testing.AllocsPerRun(200, func() {
			decodeExplain(&d, &e, line, testNow)
			s.SetBuffer(s.Buffer()[:0])
			enc.Encode(s, &e, testNow, nil)
		})
		if allocs != 0 {
			t.Logf("Decode+Encode: %v allocs per entry for %.60q (decoder)", allocs, line)
		}
	}
}

// TestEveryByte: every byte 0x00-0xFF inside a message gives JSON that
// encoding/json reads back as what it would have written itself.
func TestEveryByte(t *testing.T) {
	enc := defaultEncoder()
	prefix := corpusLine(t, "http_basic.log", 1)
	cut := bytes.Index(prefix, []byte("/ok?"))
	for c := 0; c < 256; c++ {
		for _, line := range [][]byte{
			[]byte("x" + string([]byte{byte(c)}) + "y"),
			append(append(append([]byte(nil), prefix[:cut+1]...), byte(c)), prefix[cut+1:]...),
			{byte(c)},
		} {
			m, out, _ := encodeLine(t, enc, line, testNow, nil)
			msg, _ := get(m, "message")
			wantMsg := line
			for len(wantMsg) > 0 && (wantMsg[len(wantMsg)-1] == '\n' || wantMsg[len(wantMsg)-1] == '\r') {
				wantMsg = wantMsg[:len(wantMsg)-1]
			}
			if msg != viaEncodingJSON(t, string(wantMsg)) {
				t.Errorf("byte %#x: message %q, want %q (%s)", c, msg, wantMsg, out)
			}
		}
	}
}

// viaEncodingJSON is s after a round trip through encoding/json.
func viaEncodingJSON(t testing.TB, s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back string
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	return back
}

// TestGarbageIsValidJSON: random bytes, random mutations of real lines.
func TestGarbageIsValidJSON(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var real [][]byte
	for _, name := range []string{"http_basic.log", "https_httpslog.log", "tcp_tcplog.log", "hc_l7.stderr.log", "runtime_api.rfc5424.log"} {
		real = append(real, corpusLines(t, name)...)
	}
	enc := New(Options{KeepMessage: true, RequestHeaderNames: []string{"a", "b"}})
	for i := 0; i < 5000; i++ {
		var line []byte
		if i%2 == 0 {
			line = make([]byte, rng.Intn(300))
			rng.Read(line)
		} else {
			line = append([]byte(nil), real[rng.Intn(len(real))]...)
			for j := rng.Intn(8); j >= 0 && len(line) > 0; j-- {
				line[rng.Intn(len(line))] = byte(rng.Intn(256))
			}
		}
		m, _, _ := encodeLine(t, enc, line, testNow, nil)
		if _, ok := get(m, "haproxy.log_type"); !ok {
			t.Fatalf("no log_type for %q", line)
		}
	}
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 20000; i++ {
		b := make([]byte, rng.Intn(20))
		for j := range b {
			// Mostly bytes that need care: controls, quotes, high bytes.
			switch rng.Intn(4) {
			case 0:
				b[j] = byte(rng.Intn(0x20))
			case 1:
				b[j] = `"\/`[rng.Intn(3)]
			default:
				b[j] = byte(0x80 + rng.Intn(0x80))
			}
		}
		if rng.Intn(3) == 0 {
			b = append(b, "é€😀"...)
		}
		out := appendString(nil, string(b))
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%q -> %s: %v", b, out, err)
		}
		if !utf8.Valid(out) {
			t.Fatalf("%q -> %q not UTF-8", b, out)
		}
		if want := viaEncodingJSON(t, string(b)); back != want {
			t.Fatalf("%q -> %q, encoding/json gives %q", b, back, want)
		}
	}
}

func TestTLSVersion(t *testing.T) {
	for in, want := range map[string][2]string{
		"TLSv1.3": {"tls", "1.3"}, "TLSv1.2": {"tls", "1.2"}, "TLSv1": {"tls", "1"},
		"SSLv3": {"ssl", "3"}, "weird": {"", "weird"}, "TLSv": {"", "TLSv"},
	} {
		p, n := tlsVersion([]byte(in))
		if p != want[0] || string(n) != want[1] {
			t.Errorf("%s: %q %q", in, p, n)
		}
	}
}

// TestCloseObj: an object left without fields is taken back, nested ones
// too.
func TestCloseObj(t *testing.T) {
	b := []byte("{")
	a := len(b)
	b = append(b, `"a":{`...)
	bb := len(b)
	b = closeObj(append(b, `"b":{`...), bb)
	b = addStr(b, `"x":"`, "")
	b = closeObj(b, a)
	b = addInt(b, `"n":`, 1)
	c := len(b)
	b = addInt(append(b, `"c":{`...), `"skip":`, unset)
	d := len(b)
	b = closeObj(strF(append(b, `"d":{`...), `"k":"`, "v"), d)
	b = closeObj(addInt(b, `"m":`, 2), c)
	b[len(b)-1] = '}'
	if got := string(b); got != `{"n":1,"c":{"d":{"k":"v"},"m":2}}` {
		t.Errorf("got %s", got)
	}
}

// TestSpecial8: special8 flags exactly the words with a byte that is not
// plain ASCII.
func TestSpecial8(t *testing.T) {
	naive := func(b []byte) bool {
		for _, c := range b {
			if c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
				return false
			}
		}
		return true
	}
	base := []byte("abcdefgh")
	for pos := 0; pos < 8; pos++ {
		for c := 0; c < 256; c++ {
			for _, fill := range []byte{'a', ' ', '~', '!', '#', '[', ']'} {
				w := bytes.Repeat([]byte{fill}, 8)
				copy(w, base[:pos])
				w[pos] = byte(c)
				x := uint64(0)
				for i := 7; i >= 0; i-- {
					x = x<<8 | uint64(w[i])
				}
				if plain := special8(x) == 0; plain != naive(w) {
					t.Fatalf("special8(%q) == 0 is %v", w, plain)
				}
			}
		}
	}
}
