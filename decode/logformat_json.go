package decode

import (
	"time"
	"unicode/utf8"
)

// A format whose %o has +json (HAProxy 3.0+) writes each line as one JSON
// object: every named node (%(name)var, or the variable's own name) is a
// key, texts and separators are not written. scanJSON reads such a line in
// one pass, whatever the order and spacing of its keys; keys the format
// does not name are skipped. Nothing allocates: values point into the line
// or, unescaped, into the entry's scratch buffer.

// scanJSON is scan for +json formats (same results).
func (f *LogFormat) scanJSON(e *Entry, b []byte, loc *time.Location) (node int, why string, pos int) {
	st := scanState{ms: Unset}
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return 0, "want a JSON object", i
	}
	i = skipJSONSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return len(f.nodes), "want the format's keys", i
	}
	for {
		start := i
		key, next, ok := jsonStringAt(b, i)
		if !ok {
			return len(f.nodes), "want a key", start
		}
		i = skipJSONSpace(b, next)
		if i >= len(b) || b[i] != ':' {
			return len(f.nodes), "want ':'", i
		}
		i = skipJSONSpace(b, i+1)
		vstart := i
		k := f.nodeNamed(key)
		switch {
		case i < len(b) && b[i] == '"':
			v, next, ok := jsonStringAt(b, i)
			if !ok {
				return len(f.nodes), "want a closing quote", i
			}
			i = next
			if k >= 0 {
				if why := f.nodes[k].set(e, e.unescapeJSON(v), loc, &st); why != "" {
					return k, why, vstart
				}
			}
		case i < len(b) && b[i] == '{': // not HAProxy's: skipped whole
			end, ok := skipJSONObject(b, i)
			if !ok {
				return len(f.nodes), "want a JSON object", i
			}
			i = end
		case i < len(b) && b[i] == '[':
			end, ok := f.jsonArray(e, b, i, k)
			if !ok {
				return len(f.nodes), "want a JSON array", i
			}
			i = end
		default:
			end := i
			for end < len(b) && b[end] != ',' && b[end] != '}' && b[end] != ' ' {
				end++
			}
			v := b[i:end]
			if len(v) == 0 {
				return len(f.nodes), "want a value", i
			}
			i = end
			if k >= 0 && string(v) != "null" {
				if why := f.nodes[k].set(e, v, loc, &st); why != "" {
					return k, why, vstart
				}
			}
		}
		i = skipJSONSpace(b, i)
		if i < len(b) && b[i] == ',' {
			i = skipJSONSpace(b, i+1)
			continue
		}
		if i < len(b) && b[i] == '}' {
			i++
			break
		}
		return len(f.nodes), "want ',' or '}'", i
	}
	if len(trimRightSpace(b[i:])) != 0 {
		return len(f.nodes), "want the end of the line", i
	}
	if st.ms != Unset && e.RequestDateOK && e.RequestDate.Nanosecond() == 0 {
		e.RequestDate = e.RequestDate.Add(time.Duration(st.ms) * time.Millisecond)
	}
	return -1, "", i
}

// nodeNamed is the index of the variable named key, or -1.
func (f *LogFormat) nodeNamed(key []byte) int {
	for k := range f.nodes {
		if n := &f.nodes[k]; n.kind == nodeVar && n.name == string(key) {
			return k
		}
	}
	return -1
}

// jsonArray reads [ "a", "b" ] at b[i]; for a header capture node k the
// strings are its values. It returns the position after ']'.
func (f *LogFormat) jsonArray(e *Entry, b []byte, i, k int) (int, bool) {
	headers := k >= 0 && (f.nodes[k].v == varHdrReq || f.nodes[k].v == varHdrReqList ||
		f.nodes[k].v == varHdrResp || f.nodes[k].v == varHdrRespList)
	resp := headers && (f.nodes[k].v == varHdrResp || f.nodes[k].v == varHdrRespList)
	i = skipJSONSpace(b, i+1)
	for i < len(b) && b[i] != ']' {
		if b[i] == '"' {
			v, next, ok := jsonStringAt(b, i)
			if !ok {
				return 0, false
			}
			if headers {
				v = e.unescapeJSON(v)
				if resp {
					e.HasRespHeaders, e.RespHeaders = true, append(e.RespHeaders, v)
				} else {
					e.HasReqHeaders, e.ReqHeaders = true, append(e.ReqHeaders, v)
				}
			}
			i = next
		} else if b[i] == '{' || b[i] == '[' {
			end, ok := skipJSONObject(b, i)
			if !ok {
				return 0, false
			}
			i = end
		} else {
			for i < len(b) && b[i] != ',' && b[i] != ']' {
				i++
			}
		}
		i = skipJSONSpace(b, i)
		if i < len(b) && b[i] == ',' {
			i = skipJSONSpace(b, i+1)
		}
	}
	if i >= len(b) {
		return 0, false
	}
	return i + 1, true
}

// skipJSONObject returns the position after the object or array at b[i].
func skipJSONObject(b []byte, i int) (int, bool) {
	depth := 0
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			_, next, ok := jsonStringAt(b, i)
			if !ok {
				return 0, false
			}
			i = next - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1, true
			}
		}
	}
	return 0, false
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i
}

// jsonStringAt reads the string at b[i] (which must be '"'): its escaped
// contents and the position after the closing quote.
func jsonStringAt(b []byte, i int) (v []byte, next int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, i, false
	}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return b[i+1 : j], j + 1, true
		}
	}
	return nil, i, false
}

// unescapeJSON decodes a JSON string's escapes into the scratch buffer
// (text without '\' is returned as is). A bad escape is kept as written.
func (e *Entry) unescapeJSON(b []byte) []byte {
	if indexByte(b, '\\') < 0 {
		return b
	}
	start := len(e.scratch)
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '\\' || i+1 >= len(b) {
			e.scratch = append(e.scratch, c)
			continue
		}
		i++
		switch b[i] {
		case 'n':
			e.scratch = append(e.scratch, '\n')
		case 't':
			e.scratch = append(e.scratch, '\t')
		case 'r':
			e.scratch = append(e.scratch, '\r')
		case 'b':
			e.scratch = append(e.scratch, '\b')
		case 'f':
			e.scratch = append(e.scratch, '\f')
		case 'u':
			r, n := jsonRune(b[i+1:])
			if n == 0 {
				e.scratch = append(e.scratch, '\\', 'u')
				continue
			}
			e.scratch = utf8.AppendRune(e.scratch, r)
			i += n
		default: // '"', '\\', '/'
			e.scratch = append(e.scratch, b[i])
		}
	}
	return e.scratch[start:len(e.scratch):len(e.scratch)]
}

// jsonRune reads the XXXX of \uXXXX (and a following \uXXXX low surrogate):
// the rune and how many bytes after the 'u' it took (0: not hex).
func jsonRune(b []byte) (rune, int) {
	r, ok := hex4(b)
	if !ok {
		return 0, 0
	}
	if r >= 0xD800 && r < 0xDC00 && len(b) >= 10 && b[4] == '\\' && b[5] == 'u' {
		if lo, ok := hex4(b[6:]); ok && lo >= 0xDC00 && lo < 0xE000 {
			return (r-0xD800)<<10 | (lo - 0xDC00) + 0x10000, 10
		}
	}
	return r, 4
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		h, ok := hexVal(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(h)
	}
	return r, true
}
