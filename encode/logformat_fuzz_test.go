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

// FuzzLogFormatEncode: lines decoded with compiled log-formats (key=value
// with samples, JSON, the built-in strings) encode as valid UTF-8 JSON,
// whatever the line.
func FuzzLogFormatEncode(f *testing.F) {
	for _, c := range customFixtures {
		f.Add([]byte(c.line))
	}
	for _, line := range corpusLines(f, "http_basic.raw.log") {
		f.Add(line)
	}
	f.Add([]byte(`{"st":200,"fe":"f\"e","ua":"a\x00\xff"}`))
	f.Add([]byte(`k=1.2.3.4:5 st=-1 h=` + "\xc3\x28"))
	d := decode.Decoder{Location: time.UTC}
	for _, s := range append([]string{decode.HTTPLogFormat, decode.CLFLogFormat,
		`{"st":%ST,"fe":"%f","ua":"%[capture.req.hdr(0)]"}`, `k=%ci:%cp st=%ST h=%[req.hdr(host)] %{+Q,+E}[x]`},
		customFixtures[0].format) {
		lf, err := decode.CompileLogFormat(s)
		if err != nil {
			f.Fatal(err)
		}
		d.AddLogFormat("", lf)
	}
	enc := New(Options{KeepMessage: true})
	s := jsoniter.NewStream(jsoniter.ConfigDefault, nil, 4096)
	var e decode.Entry
	f.Fuzz(func(t *testing.T, line []byte) {
		decodeExplain(&d, &e, line, testNow)
		s.Reset(nil)
		enc.Encode(s, &e, testNow, nil)
		out := s.Buffer()
		if !utf8.Valid(out) || !json.Valid(out) {
			t.Fatalf("invalid JSON for %q:\n%s", line, out)
		}
		var m map[string]any
		if err := json.NewDecoder(bytes.NewReader(out)).Decode(&m); err != nil {
			t.Fatal(err)
		}
	})
}
