package haproxycfg

import (
	"reflect"
	"strings"
	"testing"
)

func testEnv(vars map[string]string) lookupFunc {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

// The cases of configuration.txt section 2.2 "Quoting and escaping" and
// 2.3 "Environment variables", and the corners of HAProxy's parse_line.
func TestSplitWords(t *testing.T) {
	env := testEnv(map[string]string{
		"HOST": "lb1", "EMPTY": "", "LIST": "a  b c", "SPACED": " x ",
	})
	st := lineState{file: "h.cfg", line: 7, section: "frontend"}
	tests := []struct {
		line string
		want []string
	}{
		// The manual's five spellings of one log-format.
		{`log-format %{+Q}o\ %t\ %s\ %{-Q}r`, []string{"log-format", "%{+Q}o %t %s %{-Q}r"}},
		{`log-format "%{+Q}o %t %s %{-Q}r"`, []string{"log-format", "%{+Q}o %t %s %{-Q}r"}},
		{`log-format '%{+Q}o %t %s %{-Q}r'`, []string{"log-format", "%{+Q}o %t %s %{-Q}r"}},
		{`log-format "%{+Q}o %t"' %s %{-Q}r'`, []string{"log-format", "%{+Q}o %t %s %{-Q}r"}},
		{`log-format "%{+Q}o %t"' %s'\ %{-Q}r`, []string{"log-format", "%{+Q}o %t %s %{-Q}r"}},
		// The manual's regex examples: \1 is no escape and stays.
		{`reqrep "^([^\ :]*)\ /static/(.*)" \1\ /\2`, []string{"reqrep", `^([^ :]*) /static/(.*)`, `\1 /\2`}},
		{`reqrep "^([^ :]*)\ /static/(.*)" '\1 /\2'`, []string{"reqrep", `^([^ :]*) /static/(.*)`, `\1 /\2`}},
		// Blanks and comments.
		{"mode\t \thttp   ", []string{"mode", "http"}},
		{"mode http # a comment", []string{"mode", "http"}},
		{"mode http#glued comment", []string{"mode", "http"}},
		{`log-format "a # b"`, []string{"log-format", "a # b"}},
		{`log-format 'a # b'`, []string{"log-format", "a # b"}},
		{`log-format a\#b`, []string{"log-format", "a#b"}},
		{"# only a comment", nil},
		{"", nil},
		{"mode http\r", []string{"mode", "http"}},
		{"a\vb\fc", []string{"a", "b", "c"}},
		// Escapes.
		{`x a\\b`, []string{"x", `a\b`}},
		{`x \'q\' \"d\"`, []string{"x", `'q'`, `"d"`}},
		{`x "in \"dq\" \\ \'"`, []string{"x", `in "dq" \ '`}},
		{`x 'in \'`, []string{"x", `in \`}},
		{`x \t\n\r`, []string{"x", "\t\n\r"}},
		{`x \x41\x6a`, []string{"x", "Aj"}},
		{`x a\zb`, []string{"x", `a\zb`}},
		{`x trailing\`, []string{"x", `trailing\`}},
		{`x \$HOST "\$HOST"`, []string{"x", `\$HOST`, `$HOST`}},
		// Environment variables: only inside double quotes.
		{`x $HOST "$HOST" '$HOST'`, []string{"x", "$HOST", "lb1", "$HOST"}},
		{`x "${HOST}:514" "${HOST}x"`, []string{"x", "lb1:514", "lb1x"}},
		{`x "[$UNSET]" "[${UNSET-dflt}]" "[${HOST-dflt}]" "[${EMPTY-dflt}]"`, []string{"x", "[]", "[dflt]", "[lb1]", "[]"}},
		{`x "${LIST[*]}" end`, []string{"x", "a", "b", "c", "end"}},
		{`x "${SPACED[*]}y"`, []string{"x", "", "x", "y"}},
		{`x "${LIST}"`, []string{"x", "a  b c"}},
		{`x "$.FILE:$.LINE $.SECTION"`, []string{"x", "h.cfg:7 frontend"}},
		// Empty words: kept inside the line, not at its end.
		{`x "" y`, []string{"x", "", "y"}},
		{`x ""`, []string{"x"}},
		{`x "" `, []string{"x", ""}},
		{`x "$EMPTY"`, []string{"x"}},
	}
	for _, tt := range tests {
		got, err := splitWords(tt.line, env, st)
		if err != nil {
			t.Errorf("%q: %s at column %d", tt.line, err.reason, err.column)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q:\n got %q\nwant %q", tt.line, got, tt.want)
		}
	}
}

func TestSplitWordsErrors(t *testing.T) {
	tests := []struct {
		line   string
		column int
		reason string
	}{
		{`log-format "%ci %cp`, 12, "unterminated double quote"},
		{`log-format '%ci`, 12, "unterminated single quote"},
		{`log-format "a"'b`, 15, "unterminated single quote"},
		{`x \x4`, 3, "hexadecimal"},
		{`x "\xZZ"`, 4, "hexadecimal"},
		{`x "${HOST"`, 5, "unmatched brace"},
		{`x "${HOST-dflt"`, 5, "unmatched brace"},
		{`x "$1"`, 5, "forbidden first character"},
		{`x "$"`, 5, "forbidden first character"},
		{`x "${A[1]}"`, 7, `only "[*]"`},
		{`x "$.NOPE"`, 5, "unknown internal variable"},
		{"x" + strings.Repeat(" w", 64), 129, "too many words"},
	}
	for _, tt := range tests {
		_, err := splitWords(tt.line, nil, lineState{})
		if err == nil {
			t.Errorf("%q: accepted", tt.line)
			continue
		}
		if err.column != tt.column || !strings.Contains(err.reason, tt.reason) {
			t.Errorf("%q: column %d %q, want column %d containing %q", tt.line, err.column, err.reason, tt.column, tt.reason)
		}
	}
	// 64 words are allowed, as in HAProxy.
	if w, err := splitWords("x"+strings.Repeat(" w", 63), nil, lineState{}); err != nil || len(w) != 64 {
		t.Errorf("64 words: %d words, %v", len(w), err)
	}
}
