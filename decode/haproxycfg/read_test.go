package haproxycfg

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func parse(t *testing.T, src string, env map[string]string) *Config {
	t.Helper()
	c, err := Parse("haproxy.cfg", strings.NewReader(src), testEnv(env))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c
}

const fallbackSrc = `defaults
    option httplog
frontend fe_tcp
    mode tcp
frontend fe_switch
    mode tcp
    tcp-request content switch-mode http
frontend fe_upgrade
    mode tcp
    default_backend be_http
frontend fe_tcp_be
    mode tcp
    use_backend be_tcp if TRUE
frontend fe_https
    mode tcp
    option httpslog
frontend fe_clf
    option httplog clf
frontend fe_custom
    mode http
    log-format "%ci %r"
backend be_http
    mode http
backend be_tcp
    mode tcp
`

const inheritanceSrc = `# comment
global
    log 127.0.0.1:514 local0
    log-send-hostname

defaults
    mode http
    option httplog

frontend fe_plain
    bind :80

frontend fe_kv
    log-format "client=%ci:%cp status=%ST"
    error-log-format "err=%ci"

defaults tcpdefs
    mode tcp
    option tcplog
    option dontlog-normal

listen li_tcp
    bind :3306

frontend fe_from from tcpdefs
    mode http
    no option dontlog-normal

defaults child from tcpdefs
    log-format "%ci %[ssl_fc_sni]"

frontend fe_child
    bind :8443

frontend fe_named from tcpdefs

backend be_x
    option httpslog
    log-format "ignored"
`

func TestInheritance(t *testing.T) {
	src := inheritanceSrc
	c := parse(t, src, nil)
	want := []struct {
		name, section, mode, format, by, formatAt, defaults, errFormat string
		dontLog                                                        bool
	}{
		{"fe_plain", "frontend", "http", HTTPLog, "option httplog", "haproxy.cfg:8", "", "", false},
		{"fe_kv", "frontend", "http", "client=%ci:%cp status=%ST", "log-format", "haproxy.cfg:14", "", "err=%ci", false},
		{"li_tcp", "listen", "tcp", TCPLog, "option tcplog", "haproxy.cfg:19", "tcpdefs", "", true},
		{"fe_from", "frontend", "http", TCPLog, "option tcplog", "haproxy.cfg:19", "tcpdefs", "", false},
		{"fe_child", "frontend", "tcp", "%ci %[ssl_fc_sni]", "log-format", "haproxy.cfg:30", "child", "", true},
		{"fe_named", "frontend", "tcp", TCPLog, "option tcplog", "haproxy.cfg:19", "tcpdefs", "", true},
	}
	if len(c.Proxies) != len(want) {
		t.Fatalf("%d proxies, want %d", len(c.Proxies), len(want))
	}
	for i, w := range want {
		p := c.Proxies[i]
		if p.Name != w.name || p.Section != w.section || p.Mode != w.mode || p.Format != w.format ||
			p.FormatBy != w.by || p.FormatAt.String() != w.formatAt || p.Defaults != w.defaults ||
			p.ErrorFormat != w.errFormat || p.DontLogNormal != w.dontLog {
			t.Errorf("proxy %d = %+v\nwant %+v", i, *p, w)
		}
	}
	if p := c.Proxy("fe_kv"); p == nil || p.ErrorFormatAt.String() != "haproxy.cfg:15" || p.At.String() != "haproxy.cfg:13" {
		t.Errorf("fe_kv places: %+v", p)
	}
	if p := c.Proxy("fe_plain"); p.ModeAt.String() != "haproxy.cfg:7" || p.DefaultsAt.String() != "haproxy.cfg:6" {
		t.Errorf("fe_plain: mode at %v, defaults at %v", p.ModeAt, p.DefaultsAt)
	}
	if p := c.Proxy("fe_from"); p.DontLogNormalAt.String() != "haproxy.cfg:27" {
		t.Errorf("fe_from: no option dontlog-normal at %v", p.DontLogNormalAt)
	}
	if c.Proxy("be_x") != nil {
		t.Error("a backend is listed among the logging proxies")
	}
	warnings := warningTexts(c)
	for _, w := range []string{
		"haproxy.cfg:38: backend 'be_x' : 'option httpslog' directive is ignored in backends",
		"haproxy.cfg:39: backend 'be_x' : 'log-format' directive is ignored in backends",
	} {
		if !strings.Contains(warnings, w) {
			t.Errorf("no warning %q in:\n%s", w, warnings)
		}
	}
}

func warningTexts(c *Config) string {
	var b strings.Builder
	for _, w := range c.Warnings {
		b.WriteString(w.String() + "\n")
	}
	return b.String()
}

// HAProxy 2.6 replaces an HTTP format by tcplog in a TCP proxy, even one
// that switches to HTTP (switch-mode, or an HTTP backend).
func TestHTTPFormatInTCPProxy(t *testing.T) {
	src := fallbackSrc
	c := parse(t, src, nil)
	for name, want := range map[string]string{
		"fe_tcp": TCPLog, "fe_switch": TCPLog, "fe_upgrade": TCPLog, "fe_tcp_be": TCPLog,
		"fe_https": TCPLog, "fe_clf": TCPLog, "fe_custom": "%ci %r",
	} {
		if got := c.Proxy(name).Format; got != want {
			t.Errorf("%s: format %q, want %q", name, got, want)
		}
	}
	if p := c.Proxy("fe_tcp"); p.FormatBy != "option tcplog" || p.FormatAt.String() != "haproxy.cfg:2" {
		t.Errorf("fe_tcp: by %q at %v", p.FormatBy, p.FormatAt)
	}
	if w := warningTexts(c); !strings.Contains(w, "haproxy.cfg:16: 'option httpslog' not usable with frontend 'fe_https' (needs 'mode http'). Falling back to 'option tcplog'") {
		t.Errorf("warnings:\n%s", w)
	}
}

func TestNoFormat(t *testing.T) {
	c := parse(t, "frontend fe\n    bind :80\n", nil)
	p := c.Proxy("fe")
	if p.Format != "" || p.FormatBy != "" || p.Mode != "tcp" || p.ModeAt != (Place{}) || p.Defaults != "" || p.DefaultsAt != (Place{}) {
		t.Errorf("%+v", *p)
	}
}

// A new defaults section starts from HAProxy's defaults, not from the one
// before it; the last defaults section, named or not, is what a proxy
// without "from" inherits.
func TestDefaultsReset(t *testing.T) {
	src := `defaults
    option httplog
    mode http
defaults second
    timeout client 1s
frontend fe
`
	p := parse(t, src, nil).Proxy("fe")
	if p.Format != "" || p.Mode != "tcp" || p.Defaults != "second" {
		t.Errorf("%+v", *p)
	}
}

func TestQuotedFormatAndEnv(t *testing.T) {
	src := `frontend fe
    mode http
    log-format "{\"client\":\"%ci\",\"host\":\"%[req.hdr(host)]\",\"env\":\"${SITE}\"}"
frontend fe2
    log-format '%{+Q}o\ %t'\ %s\ "%{-Q}r ${SITE}" # comment
`
	c := parse(t, src, map[string]string{"SITE": "eu-1"})
	if got, want := c.Proxy("fe").Format, `{"client":"%ci","host":"%[req.hdr(host)]","env":"eu-1"}`; got != want {
		t.Errorf("fe: %q, want %q", got, want)
	}
	if got, want := c.Proxy("fe2").Format, `%{+Q}o\ %t %s %{-Q}r eu-1`; got != want {
		t.Errorf("fe2: %q, want %q", got, want)
	}
}

// HAProxy 2.8+ sets HAPROXY_HTTP_LOG_FMT & co. to its built-in formats
// while reading the file, over the environment.
func TestBuiltinFormatVariables(t *testing.T) {
	c := parse(t, "frontend fe\n  mode http\n  log-format \"${HAPROXY_HTTP_LOG_FMT} id=%ID\"\nfrontend ft\n  log-format \"$HAPROXY_TCP_LOG_FMT\"\n",
		map[string]string{"HAPROXY_HTTP_LOG_FMT": "from the environment"})
	if got := c.Proxy("fe").Format; got != HTTPLog+" id=%ID" {
		t.Errorf("fe: %q", got)
	}
	if got := c.Proxy("ft").Format; got != TCPLog {
		t.Errorf("ft: %q", got)
	}
}

func TestConditionalBlocks(t *testing.T) {
	src := `frontend fe
.if defined(JSON_LOGS)
    log-format "{\"c\":\"%ci\"}"
.elif streq("${KIND}",tcp)
    option tcplog
.else
    option httplog
.endif
.if 0
  .if defined(JSON_LOGS)
    .alert never read
  .endif
.elif !1 || 1 && !0
    mode http
.endif
`
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"JSON_LOGS": ""}, `{"c":"%ci"}`},
		{map[string]string{"KIND": "tcp"}, HTTPLog}, // mode http: tcplog stays tcplog
		{nil, HTTPLog},
	} {
		p := parse(t, src, tt.env).Proxy("fe")
		if tt.env["KIND"] == "tcp" {
			tt.want = TCPLog
		}
		if p.Format != tt.want || p.Mode != "http" {
			t.Errorf("env %v: format %q mode %q, want %q http", tt.env, p.Format, p.Mode, tt.want)
		}
	}
}

// One row per input HAProxy (or this reader) refuses: the error names the
// file, the line and the reason.
var errorCases = []struct {
	name string
	src  string
	line int
	want string // in Error()
}{
	{"unterminated quote", "frontend fe\n    log-format \"%ci %cp\n", 2, `haproxy.cfg:2: log-format: unterminated double quote (column 16)`},
	{"unterminated single quote", "frontend fe\n  log-format '%ci\n", 2, `log-format: unterminated single quote (column 14)`},
	{"bad hex", "frontend fe\n    log-format \\x4g\n", 2, `log-format: truncated or invalid hexadecimal sequence`},
	{"env brace", "frontend fe\n    log-format \"${X\"\n", 2, `log-format: unmatched brace`},
	{"env name", "frontend fe\n    log-format \"$9\"\n", 2, `forbidden first character in environment variable name`},
	{"two words", "frontend fe\n    log-format %ci %cp\n", 2, `log-format: expects only one argument, don't forget to escape spaces`},
	{"no format", "frontend fe\n    log-format\n", 2, `log-format: expects an argument`},
	{"empty format", "frontend fe\n    log-format \"\"\n", 2, `log-format: expects an argument`},
	{"two error formats", "frontend fe\n    error-log-format a b\n", 2, `error-log-format: expects only one argument`},
	{"no log-format", "frontend fe\n    no log-format\n", 2, `log-format: 'no' is not supported here`},
	{"no option httplog", "defaults\n    no option httplog\n", 2, `option: negation/default is not supported for option 'httplog'`},
	{"default option tcplog", "defaults\n    default option tcplog\n", 2, `negation/default is not supported for option 'tcplog'`},
	{"httplog arg", "defaults\n    option httplog json\n", 2, `keyword 'httplog' only supports option 'clf'`},
	{"httplog clf extra", "defaults\n    option httplog clf x\n", 2, `'option httplog clf' cannot handle unexpected argument 'x'`},
	{"dontlog-normal arg", "defaults\n    option dontlog-normal yes\n", 2, `'option dontlog-normal' cannot handle unexpected argument 'yes'`},
	{"option alone", "defaults\n    option\n", 2, `option: expects an option name`},
	{"bad mode", "frontend fe\n    mode udp\n", 2, `mode: unknown mode 'udp'`},
	{"mode health", "frontend fe\n    mode health\n", 2, `'mode health' does not exist any more`},
	{"mode alone", "frontend fe\n    mode\n", 2, `mode: expects 'http' or 'tcp'`},
	{"mode extra", "frontend fe\n    mode http tcp\n", 2, `mode: unexpected argument 'tcp'`},
	{"out of section", "# c\nmode http\n", 2, `haproxy.cfg:2: mode: unknown keyword out of any section`},
	{"frontend without name", "frontend\n", 1, `frontend: expects a name`},
	{"bad name", "frontend fe/x\n", 1, `frontend: character '/' is not permitted in the name 'fe/x'`},
	{"unknown defaults", "frontend fe from nowhere\n", 1, `frontend: defaults section 'nowhere' not found`},
	{"defaults declared after", "frontend fe from later\ndefaults later\n", 1, `defaults section 'later' not found`},
	{"defaults from nowhere", "defaults d from x\n", 1, `defaults: defaults section 'x' not found`},
	{"defaults from without name", "defaults a from\n", 1, `defaults: 'from' expects the name of a defaults section`},
	{"duplicate frontend", "frontend fe\nlisten fe\n", 2, `listen: 'fe' has the same name as the frontend declared at haproxy.cfg:1`},
	{"duplicate backend", "backend be\nbackend be\n", 2, `backend: 'be' has the same name as the backend declared at haproxy.cfg:1`},
	{"NUL byte", "frontend fe\n    mode\x00 http\n", 2, `NUL byte in the line (column 9)`},
	{"too many words", "frontend fe\n    option" + strings.Repeat(" x", 64) + "\n", 2, `option: too many words`},
	{"endif alone", "frontend fe\n.endif\n", 2, `.endif: without a matching .if`},
	{"else twice", ".if 1\n.else\n.else\n.endif\n", 3, `.else: after .else`},
	{"unclosed if", "frontend fe\n.if 1\nmode http\n", 2, `.if: block not closed by .endif`},
	{"unknown predicate", ".if feature(OPENSSL)\n.endif\n", 1, `.if: cannot evaluate 'feature(OPENSSL)'`},
	{"alert", ".alert stop here\n", 1, `haproxy.cfg:1: .alert: stop here`},
	{"long line", "frontend fe\n" + strings.Repeat("x", maxLineBytes+1) + "\n", 2, `line longer than 1 MiB`},
}

func TestErrors(t *testing.T) {
	for _, tt := range errorCases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("haproxy.cfg", strings.NewReader(tt.src), nil)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want *Error", err, err)
			}
			if e.File != "haproxy.cfg" || e.Line != tt.line || !strings.Contains(e.Error(), tt.want) {
				t.Errorf("got %q (line %d)\nwant line %d containing %q", e.Error(), e.Line, tt.line, tt.want)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("10-defaults.cfg", "defaults web\n    mode http\n    option httplog\n")
	write("20-fe.cfg", "frontend fe from web\n")
	write("notes.txt", "not a config\n")
	c, err := ReadFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Proxy("fe"); p == nil || p.Format != HTTPLog || p.DefaultsAt.String() != filepath.Join(dir, "10-defaults.cfg")+":1" {
		t.Fatalf("fe: %+v", p)
	}
	if len(c.Files) != 2 {
		t.Errorf("files %v", c.Files)
	}
	// Each file starts outside any section.
	write("30-bad.cfg", "    mode http\n")
	if _, err := ReadFile(dir); err == nil || !strings.Contains(err.Error(), "30-bad.cfg:1: mode: unknown keyword out of any section") {
		t.Errorf("third file: %v", err)
	}
	missing := filepath.Join(dir, "nope.cfg")
	_, err = ReadFile(missing)
	var pe *os.PathError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v", err)
	}
}

func TestBOMAndCRLF(t *testing.T) {
	c := parse(t, "\xef\xbb\xbffrontend fe\r\n    option httplog\r\n    mode http\r\n", nil)
	if p := c.Proxy("fe"); p == nil || p.Format != HTTPLog || p.Mode != "http" {
		t.Fatalf("%+v", c.Proxies)
	}
}

// Debian's HAProxy 2.6 alerts (and starts) when a named defaults section
// is used both ways: "parsing [h.cfg:45] : defaults section 'plain'
// (declared at h.cfg:36) is explicitly referenced by another proxy and
// implicitly used here."
// What HAProxy 2.6 accepts with extra words, it is accepted here too, with
// a warning: "defaults a b c" is the section a, "defaults from x y" the
// section named "from", "option httpslog clf" is httpslog.
func TestLenientLikeHAProxy(t *testing.T) {
	c := parse(t, "defaults web\n  mode http\ndefaults a b c\ndefaults from web extra\nfrontend fe from web\n  option httpslog clf\n", nil)
	p := c.Proxy("fe")
	if p.Format != HTTPSLog || p.Mode != "http" {
		t.Errorf("fe: %+v", *p)
	}
	w := warningTexts(c)
	for _, want := range []string{"haproxy.cfg:3: defaults: extra words after the name ignored", "haproxy.cfg:4: defaults: extra words",
		"haproxy.cfg:6: 'option httpslog': argument 'clf' ignored"} {
		if !strings.Contains(w, want) {
			t.Errorf("no warning %q in:\n%s", want, w)
		}
	}
	if w := warningTexts(parse(t, "listen li 0.0.0.0:80\n", nil)); !strings.Contains(w, "haproxy.cfg:1: listen li: please use the 'bind' keyword for listening addresses; ignored: 0.0.0.0:80") {
		t.Errorf("address on the listen line: %s", w)
	}
	if c2 := parse(t, "defaults web\n  mode http\ndefaults from web\nfrontend fe\n", nil); c2.Proxy("fe").Mode != "http" || c2.Proxy("fe").Defaults != "" {
		t.Errorf("defaults from web: %+v", *c2.Proxy("fe"))
	}
}

func TestDefaultsUsedBothWays(t *testing.T) {
	c := parse(t, "defaults plain\n  mode http\nfrontend a from plain\nfrontend b\nfrontend c from plain\n", nil)
	w := warningTexts(c)
	for _, line := range []string{"4", "5"} {
		if want := "haproxy.cfg:" + line + ": defaults section 'plain' (declared at haproxy.cfg:1) is explicitly referenced by another proxy and implicitly used here."; !strings.Contains(w, want) {
			t.Errorf("no warning %q in:\n%s", want, w)
		}
	}
	if p := c.Proxy("b"); p.Mode != "http" || p.Defaults != "plain" {
		t.Errorf("b: %+v", *p)
	}
}
