package haproxycfg

import (
	"errors"
	"strings"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// PastedLogFormat compiles a log-format pasted from haproxy.cfg (the
// plugin's Log_Format, haproxy-decode -log-format). The text is what
// follows `log-format` on the line. A text quoted as haproxy.cfg quotes it
// (see quotedPaste) is read with the same tokenizer as a file (quotes,
// `\ `, `\xHH`, `${VAR}` from env, a `#` comment), so it means the same
// pasted as in haproxy.cfg. Any other text (a bare {"status":%ST}), and a
// text HAProxy would read as several words (`%ci %ST "%r"` pasted as the
// manual prints it, or a format from HAPROXY_HTTP_LOG_FMT), is the format
// itself, as it stands.
//
// Errors are *decode.FormatError: a quoting error's column counts in s;
// a compile error's counts in the unquoted format, which the reason then
// quotes.
func PastedLogFormat(s string, env func(string) (string, bool)) (*decode.LogFormat, error) {
	lead := len(s) - len(strings.TrimLeft(s, " \t"))
	s = strings.TrimSpace(s)
	format := s
	if quotedPaste(s) {
		words, werr := splitWords(s, withBuiltinVars(env), lineState{file: "Log_Format"})
		if werr != nil {
			return nil, &decode.FormatError{Column: lead + werr.column, Reason: werr.reason}
		}
		if len(words) == 0 {
			return nil, &decode.FormatError{Column: lead + 1, Reason: "the format is empty"}
		}
		if len(words) == 1 {
			format = words[0]
		}
	}
	if format == "" {
		return nil, &decode.FormatError{Column: lead + 1, Reason: "the format is empty"}
	}
	f, err := decode.CompileLogFormat(format)
	var fe *decode.FormatError
	if format != s && errors.As(err, &fe) {
		return nil, &decode.FormatError{Column: fe.Column, Reason: fe.Reason + " (in the format once unquoted: " + quoteShort(format) + ")"}
	}
	return f, err
}

// quotedPaste reports whether a pasted format is written as haproxy.cfg
// quotes it: it opens with a quote, or holds a backslash escape or a
// ${VAR}. Any other text is the format as it stands, so that the JSON or
// key="value" format an operator pastes bare ({"status":%ST}) keeps its
// quotes, as it would not if haproxy.cfg's tokenizer read it.
func quotedPaste(s string) bool {
	return strings.HasPrefix(s, `"`) || strings.HasPrefix(s, "'") ||
		strings.Contains(s, `\`) || strings.Contains(s, "${")
}

// quoteShort is s in Go quotes, cut to 60 bytes.
func quoteShort(s string) string {
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}
