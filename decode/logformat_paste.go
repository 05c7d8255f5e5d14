package decode

import "strings"

// CompilePastedLogFormat compiles a format pasted from haproxy.cfg (the
// Log_Format option, haproxy-decode -log-format): as written after
// `log-format`, in double quotes (`\"` and `\\` inside), in single quotes,
// or bare with `\ ` for its spaces, or simply as HAProxy's manual prints
// it. A *FormatError's column counts in s itself.
func CompilePastedLogFormat(s string) (*LogFormat, error) {
	s = strings.TrimSpace(s)
	shift := 0
	switch {
	case len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"':
		s, shift = unbackslash(s[1:len(s)-1], `"\`), 1
	case len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'':
		s, shift = s[1:len(s)-1], 1
	case strings.Contains(s, `\ `):
		s = unbackslash(s, ` \"'#`)
	}
	f, err := CompileLogFormat(s)
	if fe, ok := err.(*FormatError); ok {
		return nil, &FormatError{Column: fe.Column + shift, Reason: fe.Reason}
	}
	return f, err
}

// unbackslash removes the '\' before any byte of special, as HAProxy's
// configuration parser does.
func unbackslash(s, special string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(special, s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
