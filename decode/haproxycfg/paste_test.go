package haproxycfg

import (
	"errors"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// TestPastedLogFormat: a pasted format is read as haproxy.cfg reads what
// follows log-format; a text of several words is the format as it stands.
func TestPastedLogFormat(t *testing.T) {
	env := testEnv(map[string]string{"HOSTHDR": "%[req.hdr(host)]"})
	for _, c := range []struct{ pasted, want string }{
		{`"%ci:%cp [%tr] %ft \"%[req.hdr(host)]\""`, `%ci:%cp [%tr] %ft "%[req.hdr(host)]"`},
		{`'%ci:%cp [%tr] %ft "%[req.hdr(host)]"'`, `%ci:%cp [%tr] %ft "%[req.hdr(host)]"`},
		{`%ci:%cp\ [%tr]\ %ft\ \"%[req.hdr(host)]\"`, `%ci:%cp [%tr] %ft "%[req.hdr(host)]"`},
		// Mixed quotes, \xHH, ${VAR} and a comment, as HAProxy reads them.
		{`"%ci %ST "'"%r"'\ %B`, `%ci %ST "%r" %B`},
		{`%ci\x20%ST\x20\x22%r\x22`, `%ci %ST "%r"`},
		{`"${HOSTHDR} %ST ${UNSET-%B}"`, `%[req.hdr(host)] %ST %B`},
		{`"${HAPROXY_TCP_LOG_FMT} %ID"`, decode.TCPLogFormat + ` %ID`},
		{`  "%ci %ST"   # the API's format`, `%ci %ST`},
		// Several words: the format itself, as the manual prints it.
		{`  %ci:%cp [%tr] %ft "%[req.hdr(host)]"  `, `%ci:%cp [%tr] %ft "%[req.hdr(host)]"`},
		{decode.HTTPLogFormat, decode.HTTPLogFormat},
		// Bare, unquoted: a JSON or key="value" format keeps its quotes.
		{`{"status":%ST,"frontend":"%f"}`, `{"status":%ST,"frontend":"%f"}`},
		{`host="%H"`, `host="%H"`},
	} {
		f, err := PastedLogFormat(c.pasted, env)
		if err != nil {
			t.Errorf("%s: %v", c.pasted, err)
			continue
		}
		if f.String() != c.want {
			t.Errorf("%s: compiled %q, want %q", c.pasted, f.String(), c.want)
		}
	}
	for _, c := range []struct{ pasted, want string }{
		{`"%ci %{+Q"`, `log-format: column 5: "%{" is not closed (in the format once unquoted: "%ci %{+Q")`},
		{`%ci %{+Q`, `log-format: column 5: "%{" is not closed`},
		{` "%ci %ST`, `log-format: column 2: unterminated double quote`},
		{`""`, `log-format: column 1: the format is empty`},
	} {
		_, err := PastedLogFormat(c.pasted, env)
		var fe *decode.FormatError
		if !errors.As(err, &fe) || err.Error() != c.want {
			t.Errorf("%s: error %v, want %s", c.pasted, err, c.want)
		}
	}
}

// TestPastedAsFile: every quoting case checked against the real HAProxy
// (realQuoting, TestQuotingAsRealHAProxy) pasted gives the format the
// haproxy.cfg reader gives: one unquoting rule.
func TestPastedAsFile(t *testing.T) {
	vars := map[string]string{"V": "val", "EMPTY": ""}
	for _, q := range realQuoting {
		c, err := Parse("haproxy.cfg", strings.NewReader("frontend fe\n    mode http\n    log-format "+q+"\n"), testEnv(vars))
		if err != nil {
			t.Fatal(err)
		}
		want := c.Proxy("fe").Format
		f, err := PastedLogFormat(q, testEnv(vars))
		if _, cerr := decode.CompileLogFormat(want); cerr != nil {
			if err == nil { // "mid#comment": no variable left, HAProxy logs "mid"
				t.Errorf("%s: pasted compiles, haproxy.cfg's %q does not: %v", q, want, cerr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		if f.String() != want {
			t.Errorf("%s: pasted %q, haproxy.cfg %q", q, f.String(), want)
		}
	}
}
