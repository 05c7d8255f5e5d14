package haproxycfg

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// FuzzParse: any bytes give a configuration or an *Error naming a line of
// the input; never a panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"defaults\n  mode http\n  option httplog\nfrontend fe\n  log-format \"%ci \\\"x\\\" ${V[*]}\"\n",
		"defaults d from x\n", "frontend a from d\n", ".if defined(V)\n.elif streq(a,b)\n.else\n.endif\n",
		"listen l\n  mode tcp\n  option httplog clf\n  no option dontlog-normal\n",
		"frontend f\n  log-format '%{+Q}r'\\ \"${V-x}\"\\x41\n", "\xef\xbb\xbf\x00\r\n\"'\\",
	} {
		f.Add([]byte(s))
	}
	env := testEnv(map[string]string{"V": "a b  c"})
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		c, err := Parse("f.cfg", bytes.NewReader(data), env)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if e.File != "f.cfg" || e.Line < 1 || e.Line > lines || e.Reason == "" ||
				!strings.HasPrefix(e.Error(), "f.cfg:") {
				t.Fatalf("bad error %+v", e)
			}
			return
		}
		for _, p := range c.Proxies {
			if p.Name == "" || p.At.Line < 1 || p.At.Line > lines {
				t.Fatalf("bad proxy %+v", p)
			}
			if (p.Format == "") != (p.FormatBy == "") || p.Format != "" && (p.FormatAt.Line < 1 || p.FormatAt.Line > lines) {
				t.Fatalf("format without its origin: %+v", p)
			}
			if p.Mode == "" {
				t.Fatalf("no mode: %+v", p)
			}
		}
	})
}

// FuzzPastedLogFormat: any pasted text gives a format or a
// *decode.FormatError with a column; a format compiles again from its own
// string (what it decodes with is what it says).
func FuzzPastedLogFormat(f *testing.F) {
	for _, s := range []string{
		`"%ci %ST \"%r\""`, `'{"st":%ST}'`, `%ci\ %ST\x20"%r"`, `"${V} %B" # c`, `%ci %{+Q`, `"%ci`, `""`,
	} {
		f.Add(s)
	}
	env := testEnv(map[string]string{"V": "%ST"})
	f.Fuzz(func(t *testing.T, s string) {
		lf, err := PastedLogFormat(s, env)
		if err != nil {
			var fe *decode.FormatError
			if !errors.As(err, &fe) || fe.Column < 1 || fe.Reason == "" {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		if _, err := decode.CompileLogFormat(lf.String()); err != nil {
			t.Fatalf("%q compiled to %q, which does not compile: %v", s, lf.String(), err)
		}
	})
}
