package haproxycfg

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

func TestCompileOnlyBuiltins(t *testing.T) {
	c := parse(t, "defaults\n  mode http\n  option httplog\nfrontend a\nfrontend b\n  option httpslog\nfrontend c\n  log-format \""+strings.ReplaceAll(TCPLog, `"`, `\"`)+"\"\n", nil)
	got, err := c.Compile()
	if err != nil || len(got) != 0 {
		t.Fatalf("built-in formats only: %v, %v (want none: the fast path reads them)", got, err)
	}
}

func TestCompileCustom(t *testing.T) {
	src := `defaults
  mode http
  option httplog
frontend fe_web
frontend fe_kv
  log-format "client=%ci:%cp fe=%ft be=%b/%s st=%ST bytes=%B ts=%tsc host=%[req.hdr(host)] %{+Q}r"
frontend fe_plain
  no option dontlog-normal
`
	c := parse(t, src, nil)
	formats, err := c.Compile()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range formats {
		names = append(names, f.Frontend+"="+f.By+"@"+f.At.String())
	}
	if got, want := strings.Join(names, " "), "fe_web=option httplog@haproxy.cfg:3 fe_kv=log-format@haproxy.cfg:6 fe_plain=option httplog@haproxy.cfg:3"; got != want {
		t.Fatalf("formats %s, want %s", got, want)
	}
	var d decode.Decoder
	d.Location = time.UTC
	AddTo(&d, formats)
	var e decode.Entry
	d.Decode(&e, []byte(`<134>Dec  3 06:29:57 haproxy[1]: client=10.0.0.1:4000 fe=fe_kv be=be_app/app1 st=503 bytes=120 ts=SC-- host=api.test "GET /x HTTP/1.1"`), time.Time{})
	if e.Type != decode.LogHTTP || string(e.ClientIP) != "10.0.0.1" || e.Status != 503 || string(e.Frontend) != "fe_kv" || string(e.Method) != "GET" {
		t.Errorf("custom line: %v %q %q %d %q (%s)", e.Type, e.ClientIP, e.Frontend, e.Status, e.Method, e.ParseError)
	}
	d.Decode(&e, []byte(`127.0.0.1:41670 [03/Dec/2026:06:29:57.675] fe_web be/s1 0/0/0/1/1 200 73 - - ---- 2/1/0/0/0 0/0 "GET /p HTTP/1.0"`), time.Time{})
	if e.Type != decode.LogHTTP || e.Status != 200 || string(e.Frontend) != "fe_web" {
		t.Errorf("httplog line: %v %d %q (%s)", e.Type, e.Status, e.Frontend, e.ParseError)
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"frontend fe\n  mode http\n  log-format \"%ci %{+Q\"\n", `haproxy.cfg:3: log-format: frontend fe: column 5 of the format: `},
		{"defaults\n  log-format \"%[req.hdr(host)\"\nlisten li\n", `haproxy.cfg:2: log-format: listen li: column `},
		{"frontend fe\n  error-log-format \"%{+Q\"\n", `haproxy.cfg:2: error-log-format: frontend fe: column 1 of the format: `},
	}
	// HTTP variables in a TCP proxy: HAProxy refuses the file.
	c := parse(t, "frontend fe\n  mode tcp\n  tcp-request content switch-mode http\n  log-format \"%ci %r\"\n", nil)
	if _, err := c.Compile(); err == nil || !strings.HasPrefix(err.Error(), "haproxy.cfg:4: log-format: frontend fe: the format writes HTTP variables but the proxy is in mode tcp") {
		t.Errorf("HTTP variables in mode tcp: %v", err)
	}
	for _, tt := range tests {
		c := parse(t, tt.src, nil)
		_, err := c.Compile()
		var e *Error
		var fe *decode.FormatError
		if !errors.As(err, &e) || !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: %v, want an *Error starting %q wrapping a *decode.FormatError", tt.src, err, tt.want)
		}
	}
}

// An error-log-format reads its frontend's connection errors, as events,
// and no other frontend's lines; the log-format still reads the traffic.
func TestCompileErrorLogFormat(t *testing.T) {
	c := parse(t, `defaults
  mode http
  option httplog
frontend fe_tls
  error-log-format "tls-error client=%ci:%cp fe=%ft err=%[fc_err] %{+Q}[fc_err_str]"
frontend fe_other
`, nil)
	formats, err := c.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if len(formats) != 1 || !formats[0].Error || formats[0].Frontend != "fe_tls" || formats[0].At.String() != "haproxy.cfg:5" {
		t.Fatalf("formats %+v (want only the error-log-format: the log-formats are built-in)", formats)
	}
	d := decode.Decoder{Location: time.UTC}
	AddTo(&d, formats)
	var e decode.Entry
	d.Decode(&e, []byte(`tls-error client=10.0.0.2:5555 fe=fe_tls~ err=34 "SSL handshake failure"`), time.Time{})
	if e.Type != decode.LogEvent || e.Event != decode.EventConnectionError || e.TLSConnErr != 34 || string(e.ConnError) != "SSL handshake failure" || !e.FrontendSSL {
		t.Errorf("error line: %v %v %d %q (%v)", e.Type, e.Event, e.TLSConnErr, e.ConnError, e.ParseError)
	}
	d.Decode(&e, []byte(`tls-error client=10.0.0.2:5555 fe=fe_other err=34 "SSL handshake failure"`), time.Time{})
	if e.Type != decode.LogUnknown {
		t.Errorf("fe_other's line read by fe_tls's error-log-format: %v %v", e.Type, e.Event)
	}
	d.Decode(&e, []byte(`10.0.0.2:5556 [21/Nov/2026:07:35:32.633] fe_tls~ be/s1 0/0/0/1/1 200 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`), time.Time{})
	if e.Type != decode.LogHTTP || e.Status != 200 {
		t.Errorf("traffic line: %v %d (%v)", e.Type, e.Status, e.ParseError)
	}
}
