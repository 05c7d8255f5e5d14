package haproxycfg

import (
	"strconv"
	"strings"
)

// maxWords is HAProxy's MAX_LINE_ARGS: a line with more words is refused
// (so is one with that many and a blank after the last, as in HAProxy).
const maxWords = 64

// wordError is a line the tokenizer refuses, with the 1-based column (in
// bytes) where HAProxy would point its caret.
type wordError struct {
	column int
	reason string
}

// lookupFunc finds an environment variable (os.LookupEnv in production).
type lookupFunc func(name string) (string, bool)

// lineState is what the $.FILE, $.LINE and $.SECTION pseudo-variables
// expand to.
type lineState struct {
	file    string
	line    int
	section string
}

// splitWords cuts one configuration line into words the way HAProxy's
// parse_line does (src/tools.c, with PARSE_OPT_ENV, PARSE_OPT_DQUOTE,
// PARSE_OPT_SQUOTE, PARSE_OPT_BKSLASH, PARSE_OPT_SHARP and
// PARSE_OPT_WORD_EXPAND, as readcfgfile calls it):
//
//   - unquoted blanks separate words; '#' outside quotes starts a comment,
//     even in the middle of a word;
//   - "double quotes" keep blanks and expand $VAR, ${VAR}, ${VAR-default}
//     and ${VAR[*]} (one word per blank-separated part of the value);
//   - 'single quotes' keep everything literally;
//   - outside single quotes a backslash escapes a blank, '\', '#', '\” and
//     '"'; \t, \n, \r and \xHH are control characters or bytes; \$ is a
//     literal '$' inside double quotes; any other backslash stays as is;
//   - quoted and unquoted parts next to each other form one word, and an
//     empty word at the end of a line is no word (`log-format ""` has no
//     argument).
//
// The caller has already removed the leading blanks, as readcfgfile does.
func splitWords(line string, env lookupFunc, st lineState) ([]string, *wordError) {
	var (
		words   []string
		cur     []byte
		squote  bool
		dquote  bool
		quoteAt int // index of the opening quote, for the error
	)
	endWord := func() {
		words = append(words, string(cur))
		cur = cur[:0]
	}
	i := 0
	for i < len(line) {
		c := line[i]
		switch {
		case c == '\n' || c == '\r':
			i = len(line)
			continue
		case c == '#' && !squote && !dquote:
			i = len(line)
			continue
		case c == '"' && !squote:
			dquote = !dquote
			quoteAt = i
			i++
		case c == '\'' && !dquote:
			squote = !squote
			quoteAt = i
			i++
		case c == '\\' && !squote:
			b, n, err := backslash(line, i, dquote)
			if err != nil {
				return nil, err
			}
			cur = append(cur, b)
			i += n
		case isSpace(c) && !squote && !dquote:
			for i < len(line) && isSpace(line[i]) {
				i++
			}
			endWord()
			if len(words) >= maxWords {
				return nil, &wordError{i + 1, "too many words (HAProxy reads at most " + strconv.Itoa(maxWords) + " on a line)"}
			}
		case c == '$' && dquote:
			var err *wordError
			var split []string
			cur, split, i, err = expand(line, i, cur, env, st)
			if err != nil {
				return nil, err
			}
			// ${VAR[*]}: every blank in the value ends a word.
			for _, part := range split {
				endWord()
				cur = append(cur, part...)
			}
		default:
			cur = append(cur, c)
			i++
		}
	}
	if squote || dquote {
		kind := "double"
		if squote {
			kind = "single"
		}
		return nil, &wordError{quoteAt + 1, "unterminated " + kind + " quote"}
	}
	if len(cur) > 0 {
		endWord()
	}
	return words, nil
}

// backslash reads the escape at line[i] ('\'): the byte it stands for and
// how many input bytes it took.
func backslash(line string, i int, dquote bool) (byte, int, *wordError) {
	if i+1 >= len(line) {
		return '\\', 1, nil
	}
	switch next := line[i+1]; next {
	case ' ', '\\', '#', '\'', '"':
		return next, 2, nil
	case 't':
		return '\t', 2, nil
	case 'n':
		return '\n', 2, nil
	case 'r':
		return '\r', 2, nil
	case '$':
		if dquote {
			return '$', 2, nil
		}
	case 'x':
		if i+3 < len(line) && isHex(line[i+2]) && isHex(line[i+3]) {
			return unhex(line[i+2])<<4 | unhex(line[i+3]), 4, nil
		}
		return 0, 0, &wordError{i + 1, `truncated or invalid hexadecimal sequence after "\x"`}
	}
	// Not an escape: the backslash stays and the next byte is read as usual.
	return '\\', 1, nil
}

// expand reads the variable at line[i] ('$', inside double quotes),
// appending its value to cur. With ${VAR[*]} the value's blank-separated
// parts after the first come back in split, each starting a new word.
func expand(line string, i int, cur []byte, env lookupFunc, st lineState) ([]byte, []string, int, *wordError) {
	i++ // '$'
	brace := -1
	if i < len(line) && line[i] == '{' {
		brace = i
		i++
	}
	if i >= len(line) || !(isAlpha(line[i]) || line[i] == '_' || line[i] == '.') {
		return nil, nil, 0, &wordError{i + 1, "forbidden first character in environment variable name"}
	}
	start := i
	if line[i] == '.' {
		i++
	}
	for i < len(line) && (isAlnum(line[i]) || line[i] == '_') {
		i++
	}
	name := line[start:i]
	var value string
	var found bool
	if name[0] == '.' {
		switch name {
		case ".LINE":
			value, found = strconv.Itoa(st.line), true
		case ".FILE":
			value, found = st.file, true
		case ".SECTION":
			value, found = st.section, true
		default:
			return nil, nil, 0, &wordError{start + 1, "unknown internal variable " + strconv.Quote(name)}
		}
	} else if env != nil {
		value, found = env(name)
	}
	wordExpand := false
	if brace >= 0 && i < len(line) && line[i] == '[' {
		if !strings.HasPrefix(line[i:], "[*]") {
			return nil, nil, 0, &wordError{i + 1, `wrong variable expansion: only "[*]" is supported`}
		}
		wordExpand = true
		i += 3
	}
	if brace >= 0 {
		if i < len(line) && line[i] == '-' {
			end := strings.IndexByte(line[i:], '}')
			if end < 0 {
				return nil, nil, 0, &wordError{brace + 1, "unmatched brace in environment variable name"}
			}
			if !found {
				value = line[i+1 : i+end]
			}
			i += end
		} else if i >= len(line) || line[i] != '}' {
			return nil, nil, 0, &wordError{brace + 1, "unmatched brace in environment variable name"}
		}
		i++ // '}'
	}
	if !wordExpand {
		return append(cur, value...), nil, i, nil
	}
	var split []string
	first := true
	for len(value) > 0 {
		j := 0
		for j < len(value) && !isSpace(value[j]) {
			j++
		}
		if first {
			cur = append(cur, value[:j]...)
			first = false
		} else {
			split = append(split, value[:j])
		}
		value = value[j:]
		if len(value) == 0 {
			break
		}
		for len(value) > 0 && isSpace(value[0]) {
			value = value[1:]
		}
		if len(value) == 0 {
			// A trailing blank still ends the word, as in HAProxy.
			split = append(split, "")
		}
	}
	return cur, split, i, nil
}

// isSpace is C's isspace in the "C" locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool { return isAlpha(c) || c >= '0' && c <= '9' }
func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
