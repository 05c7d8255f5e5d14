package encode

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"

	jsoniter "github.com/json-iterator/go"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// FuzzDecodeEncode: any line decodes without panic into an entry that
// encodes as valid UTF-8 JSON with haproxy.log_type and the line as message.
// Seeds: every corpus line (all framings) and some garbage; crashers found
// by `go test -fuzz` are kept in testdata/fuzz/FuzzDecodeEncode.
func FuzzDecodeEncode(f *testing.F) {
	for _, line := range corpusLines(f, "*.log") {
		f.Add(line)
	}
	for _, s := range []string{
		"", "\n", "\r\n", "<", "<134>", "<999>x", "[", "[WARNING]", "[WARNING]  (1) : ",
		"\x00\xff\xfe", "\xef\xbb\xbf", "<134>1 - - - - - -", "<134>1 2026-11-21T07:35:32Z h a 1 - [x a=\"]\"] m",
		`127.0.0.1:1 [21/Nov/2026:07:35:32.633] fe be/s -1/-1/-1/-1/+0 -1 +0 - - ---- +1/1/1/1/+1 0/0 {a|b} {} "GET http://h:99/p?q HTTP/1.1`,
		`1.2.3.4:5 [99/Xyz/2026:99:99:99.999] f~ b/<NOSRV> 0/0/0 0 -- 0/0/0/0/0 0/0`,
		"Server b/s is DOWN, reason: Layer4 timeout, check duration: 1001ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
		"Health check for server b/s failed, reason: Layer7 wrong status, code: 500, info: \"#22x#00\", check duration: 0ms, status: 0/2 DOWN.",
		"backend 'b' has no server available!",
		"Connect from 1.2.3.4:5 to 6.7.8.9:10 (fe/HTTP)",
		"2026-11-21T07:35:32.633+01:00 host haproxy[1]: 127.0.0.1:1 [21/Nov/2026:07:35:32.633] fe_tls/1: SSL handshake failure",
	} {
		f.Add([]byte(s))
	}
	enc := New(Options{KeepMessage: true, RequestHeaderNames: []string{"host", "ua"}, ResponseHeaderNames: []string{"ct"}})
	d := decode.Decoder{Location: time.UTC}
	s := jsoniter.NewStream(jsoniter.ConfigDefault, nil, 4096)
	var e decode.Entry
	f.Fuzz(func(t *testing.T, line []byte) {
		decodeExplain(&d, &e, line, testNow)
		s.SetBuffer(s.Buffer()[:0])
		enc.Encode(s, &e, testNow, nil)
		out := s.Buffer()
		if !json.Valid(out) {
			t.Fatalf("invalid JSON for %q:\n%s", line, out)
		}
		if !utf8.Valid(out) {
			t.Fatalf("output not UTF-8 for %q:\n%q", line, out)
		}
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatal(err)
		}
		if lt, ok := get(m, "haproxy.log_type"); !ok {
			t.Fatalf("no haproxy.log_type for %q:\n%s", line, out)
		} else if lt == "unknown" {
			if _, ok := get(m, "haproxy.parse_error"); !ok {
				t.Fatalf("unknown without parse_error for %q", line)
			}
		}
		if bytes.IndexByte(line, '\n') < 0 && !bytes.HasSuffix(line, []byte("\r")) {
			msg, _ := get(m, "message")
			if want := viaEncodingJSON(t, string(line)); msg != want {
				t.Fatalf("message %q, want %q", msg, want)
			}
		}
	})
}
