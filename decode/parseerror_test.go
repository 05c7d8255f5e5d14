package decode

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// brokenLines break in a traffic reader, in the event reader and before
// both, with the text each gives.
var brokenLines = []struct{ line, want string }{
	{`127.0.0.1:1 [21/Nov/2026:07:35:32.633] fe be/s1 0/0/x/0/0 200 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`,
		`httplog: field 6 (timers TR/Tw/Tc/Tr/Ta): want 5 numbers, got "0/0/x/0/0"`},
	{`127.0.0.1:1 [21/Nov/2026:07:35:32.633] fe be/s1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1" x`,
		`httpslog: field 17 (TLS fc_err/ssl_fc_err/ssl_c_err/ssl_c_ca_err/resumed): want 5 values, got "x"`},
	{`127.0.0.1:1 [21/Nov/2026:07:35:32.633] fe be/s1 1/0/0 11 -- 3/1/0/0/0`,
		`tcplog: field 10 (queues sq/bq): want 2 numbers, got end of line`},
	{`Connect from 1.2.3.4 to 5.6.7.8:80 (fe/HTTP)`, `connect: (source): want ip:port, got "1.2.3.4"`},
	{`Server be/s1 is sideways.`, `not an HAProxy log line`},
	{"<134>Nov 21 07:35:32 haproxy[1]: ", `empty message`},
}

// TestParseError: the typed error's text, what Err says, and no
// allocation to record or write it.
func TestParseError(t *testing.T) {
	d := Decoder{Location: time.UTC}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	var e Entry
	buf := make([]byte, 0, 512)
	for _, c := range brokenLines {
		line := []byte(c.line)
		d.Decode(&e, line, now)
		if e.Type != LogUnknown || e.Err() == nil || e.ParseError.Error() != c.want {
			t.Errorf("%q: %v, %q\n want %q", c.line, e.Type, e.ParseError, c.want)
		}
		var pe *ParseError
		if !errors.As(e.Err(), &pe) || pe != &e.ParseError {
			t.Errorf("%q: Err is not the entry's ParseError", c.line)
		}
		if n := testing.AllocsPerRun(100, func() { d.Decode(&e, line, now) }); n != 0 {
			t.Errorf("%q: Decode: %v allocs", c.line, n)
		}
		if n := testing.AllocsPerRun(100, func() { buf = e.ParseError.Append(buf[:0]) }); n != 0 {
			t.Errorf("%q: Append: %v allocs", c.line, n)
		}
		if string(buf) != c.want {
			t.Errorf("%q: Append %q, Error %q", c.line, buf, c.want)
		}
	}
	d.Decode(&e, []byte(benchLines[0].line), now)
	if e.Err() != nil || e.ParseError.Error() != "" {
		t.Errorf("good line: %v %q", e.Err(), e.ParseError)
	}
	long := `127.0.0.1:1 [21/Nov/2026:07:35:32.633] fe be/s1 ` + strings.Repeat("9", 100) + ` 200`
	d.Decode(&e, []byte(long), now)
	if len(e.ParseError.Input) != maxErrInput {
		t.Errorf("input of %d bytes kept", len(e.ParseError.Input))
	}
}
