package haproxycfg

import (
	"bytes"
	"errors"
	"strings"
	"testing"
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
