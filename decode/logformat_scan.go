package decode

import (
	"bytes"
	"time"
)

// A compiled format reads a line in one pass, node by node, the way HAProxy
// wrote it (sess_build_logline in src/log.c): text must be there as is; a
// separator is one space, or nothing when the last thing written was
// already a space (HAProxy merges them, and an empty %hr leaves none); a
// variable's value reaches as far as its shape says and what follows it
// allows. Nothing allocates: values point into the line or, unescaped, into
// the entry's scratch buffer.

// scanState is what a line's variables leave for the ones after them.
type scanState struct {
	reqDate bool // a request date (%tr, %trg, %trl) was read: it wins over the accept date
	ms      int  // %ms, Unset if absent
	trunc   bool // the request line lost its closing quote
}

// scan reads b with f into e. It returns -1 when the whole line matched,
// else the index of the node where it stopped (len(f.nodes) for text after
// the last node), why (a constant) and the position in b.
func (f *LogFormat) scan(e *Entry, b []byte, loc *time.Location) (node int, why string, pos int) {
	if f.json {
		return f.scanJSON(e, b, loc)
	}
	st := scanState{ms: Unset}
	lastSpace := true
ops:
	for k := 0; k < len(f.ops); k++ {
		op := &f.ops[k]
		if op.pre != "" {
			if !op.matchPre(b, pos) {
				return op.textNode(), "want the text", pos
			}
			pos += len(op.pre)
			lastSpace = false
		}
		i := int(op.node)
		switch op.kind {
		case opText:
			continue
		case opRun:
			if end, ok := op.readRun(e, b, pos); ok {
				pos, lastSpace = end, false
				k += len(runVars[op.run]) // the ops of its nodes, one a variable
				continue
			}
			pos -= len(op.pre) // the ops after read it again, one by one
			continue
		case opSep:
			if lastSpace {
				continue
			}
			if pos < len(b) && b[pos] == ' ' {
				pos++
				lastSpace = true
				continue
			}
			if f.restCanBeEmpty(i) {
				continue // "%hrl %hsl" at the end: the first list took every value
			}
			return i, "want a space", pos
		case opDecimal:
			// Most variables are decimal numbers: read them in one pass.
			if end, x, plus, ok := decimalAt(b, pos); ok && (end == len(b) || b[end] == op.stopByte || op.stopLast && b[end] == ' ') {
				if why := f.nodes[i].storeNumber(e, x, plus, &st); why != "" {
					return i, why, pos
				}
				pos = end
				lastSpace = false
				continue
			}
		case opToken:
			// A name, a date, a method: up to what follows, or a space.
			end := tokenEnd(b, pos, op.stopByte)
			if why := f.nodes[i].set(e, b[pos:end], loc, &st); why != "" {
				return i, why, pos
			}
			pos = end
			lastSpace = false
			continue
		}
		n := &f.nodes[i]
		var end int
		switch op.kind {
		case opFixed:
			// A termination state: exactly 2 or 4 characters ("%ts--").
			if end = pos + int(op.width); end > len(b) {
				return i, "want a termination state", pos
			}
		case opFree:
			end = freeEnd(b, pos, indexText(b[pos:], op.stop))
		default:
			var why string
			if end, why = f.extent(i, b, pos, &st); why != "" {
				return i, why, pos
			}
		}
		if end == pos {
			if s := varTable[n.v].shape; s == shapeHeaders || s == shapeHeaderList {
				continue // nothing captured: HAProxy writes nothing at all
			}
		}
		if why := n.set(e, b[pos:end], loc, &st); why != "" {
			return i, why, pos
		}
		pos = end
		lastSpace = false
		if st.trunc && pos == len(b) {
			break ops // HAProxy cut the line inside the request: the rest is unknown
		}
	}
	if len(trimRightSpace(b[pos:])) != 0 {
		return len(f.nodes), "want the end of the line", pos
	}
	if st.ms != Unset && e.RequestDateOK && e.RequestDate.Nanosecond() == 0 {
		e.RequestDate = e.RequestDate.Add(time.Duration(st.ms) * time.Millisecond)
	}
	return -1, "", pos
}

// decimalAt reads a number at b[pos]: an optional '+' (logasap,
// redispatch), an optional '-' and 1 to 18 digits; a negative value is
// Unset. ok is false for anything else (the general path reads it then).
func decimalAt(b []byte, pos int) (end int, x int64, plus, ok bool) {
	// Digits alone first: most values are, and this loop is half the
	// instructions of the general one (55 a number before).
	if end, x = digitsAt(b, pos); end > pos && end-pos <= 18 {
		return end, x, false, true
	}
	return signedDecimalAt(b, pos)
}

// digitsAt reads the decimal digits at b[pos:]: where they end and their
// value (meaningless past 18 digits). It is small enough to be inlined
// (readRun calls it for each number of a run).
func digitsAt(b []byte, pos int) (end int, x int64) {
	end = pos
	for end < len(b) && b[end]-'0' <= 9 {
		x = x*10 + int64(b[end]-'0')
		end++
	}
	return end, x
}

// signedDecimalAt is decimalAt for what does not start with a digit.
func signedDecimalAt(b []byte, pos int) (end int, x int64, plus, ok bool) {
	i := pos
	if i < len(b) && b[i] == '+' {
		plus = true
		i++
	}
	neg := false
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	start := i
	for i < len(b) && b[i]-'0' <= 9 {
		x = x*10 + int64(b[i]-'0')
		i++
	}
	if i == start || i-start > 18 {
		return 0, 0, false, false
	}
	if neg {
		x = Unset
	}
	return i, x, plus, true
}

// restCanBeEmpty reports whether every node after i may write nothing.
func (f *LogFormat) restCanBeEmpty(i int) bool {
	for _, n := range f.nodes[i+1:] {
		if n.kind == nodeText {
			return false
		}
		if s := varTable[n.v].shape; n.kind == nodeVar && s != shapeHeaders && s != shapeHeaderList {
			return false
		}
	}
	return true
}

// follows reports whether what comes after node i can start at b[at:].
func (f *LogFormat) follows(i int, b []byte, at int) bool {
	for j := i + 1; j < len(f.nodes); j++ {
		switch n := &f.nodes[j]; n.kind {
		case nodeText:
			return hasPrefix(b[at:], n.text)
		case nodeSep:
			return at == len(b) || b[at] == ' '
		default:
			return true
		}
	}
	return len(trimRightSpace(b[at:])) == 0
}

// stop is what ends an unquoted value of node i (worked out by compile).
func (f *LogFormat) stop(i int) (text string, sep, last bool) {
	n := &f.nodes[i]
	return n.stopText, n.stopSep, n.stopLast
}

// setStop works out what ends an unquoted value of node i: the text after
// it (with the space before when a separator comes first), or a space.
// Another variable right after leaves text empty and sep false: the
// value's shape decides then.
func (f *LogFormat) setStop(i int) {
	n := &f.nodes[i]
	switch {
	case i+1 >= len(f.nodes):
		n.stopLast = true
	case f.nodes[i+1].kind == nodeText:
		n.stopText = f.nodes[i+1].text
	case f.nodes[i+1].kind == nodeSep:
		n.stopSep = true
		switch {
		case i+2 >= len(f.nodes):
			n.stopLast = true
		case f.nodes[i+2].kind == nodeText:
			n.stopText = " " + f.nodes[i+2].text
		default:
			n.stopText = " "
		}
	}
}

// extent returns where the value of node i that starts at b[pos] ends.
func (f *LogFormat) extent(i int, b []byte, pos int, st *scanState) (int, string) {
	n := &f.nodes[i]
	info := &varTable[n.v]
	rest := b[pos:]
	quoted := info.text && n.flags&flagQuote != 0
	switch n.v {
	case varTermState, varTermStateCk:
		// Exactly 2 or 4 characters: tcplog clf writes "%ts--".
		w := 2
		if n.v == varTermStateCk {
			w = 4
		}
		if len(rest) < w {
			return 0, "want a termination state"
		}
		return pos + w, ""
	}
	switch info.shape {
	case shapeHeaders:
		q := 0
		if quoted && len(rest) > 0 && rest[0] == '"' {
			q = 1
		}
		if len(rest) <= q || rest[q] != '{' {
			return pos, ""
		}
		end := indexByte(rest, '}')
		if end < 0 {
			st.trunc = true
			return len(b), ""
		}
		end++
		if q == 1 && end < len(rest) && rest[end] == '"' {
			end++
		}
		return pos + end, ""
	case shapeHeaderList:
		if !quoted {
			break
		}
		end := 0
		for end < len(rest) && rest[end] == '"' {
			close := indexByte(rest[end+1:], '"')
			if close < 0 {
				return len(b), ""
			}
			next := end + 1 + close + 1
			if next+1 < len(rest) && rest[next] == ' ' && rest[next+1] == '"' {
				end = next + 1
				continue
			}
			end = next
			break
		}
		return pos + end, ""
	case shapeDateZone:
		sp := indexByte(rest, ' ')
		if sp < 0 || sp+6 > len(rest) {
			return 0, "want a date and a zone"
		}
		return pos + sp + 6, ""
	case shapeRequest:
		if !quoted && n.inQuotes {
			// "%r" written by hand: HAProxy escapes '"' in the request
			// line (#22), so the first one is the closing quote; none
			// means the line was cut at its length limit.
			if k := indexText(rest, n.stopText); k >= 0 {
				return pos + k, ""
			}
			st.trunc = true
			return len(b), ""
		}
		if !quoted {
			return pos + f.requestExtent(i, rest), ""
		}
	}
	if quoted {
		return f.quotedExtent(i, b, pos, st)
	}
	return f.plainExtent(i, b, pos, info.shape, n.flags)
}

// quotedExtent finds the closing quote of a "value" at b[pos]: the first
// '"' after which the rest of the format can follow. A request line cut by
// HAProxy's line length has none: it reaches the end.
func (f *LogFormat) quotedExtent(i int, b []byte, pos int, st *scanState) (int, string) {
	if pos >= len(b) || b[pos] != '"' {
		return 0, "want a quoted value"
	}
	esc := f.nodes[i].flags&flagEsc != 0
	for j := pos + 1; j < len(b); {
		k := indexByte(b[j:], '"')
		if k < 0 {
			break
		}
		j += k + 1
		if esc && escaped(b, j-1) {
			continue // +E: \" is a quote inside the value
		}
		if f.follows(i, b, j) {
			return j, ""
		}
	}
	if f.nodes[i].v == varRequest {
		st.trunc = true
		return len(b), ""
	}
	return 0, "want a closing quote"
}

// escaped reports whether b[i] is preceded by an odd number of '\'.
func escaped(b []byte, i int) bool {
	n := 0
	for i > 0 && b[i-1] == '\\' {
		n++
		i--
	}
	return n%2 == 1
}

// plainExtent is the end of an unquoted value.
func (f *LogFormat) plainExtent(i int, b []byte, pos int, sh shape, flags uint8) (int, string) {
	rest := b[pos:]
	text, sep, last := f.stop(i)
	free := sh == shapeFree || f.nodes[i].inQuotes
	if last {
		if !free {
			if sp := indexByte(rest, ' '); sp >= 0 {
				return pos + sp, "" // the end of the line is checked after
			}
		}
		return pos + len(trimRightSpace(rest)), ""
	}
	if text == "" && !sep { // a variable right after this one
		return pos + runOf(rest, sh, flags), ""
	}
	if free {
		return freeEnd(b, pos, indexText(rest, text)), ""
	}
	// No space inside: the value ends at the first space at the latest.
	if sep {
		return tokenEnd(b, pos, ' '), ""
	}
	c := text[0]
	lastColon := sh == shapeAddr && c == ':' // "::1:5678": the port is after the last ':'
	if lastColon && len(text) == 1 {
		sp := tokenEnd(rest, 0, ' ')
		if k := bytes.LastIndexByte(rest[:sp], ':'); k >= 0 {
			return pos + k, ""
		}
		return pos + sp, "" // not there: the text after will say so
	}
	k, j := -1, 0
	for ; j < len(rest); j++ {
		x := rest[j]
		if x == c && (len(text) == 1 || hasPrefix(rest[j:], text)) {
			k = j
			if !lastColon {
				break
			}
		}
		if x == ' ' {
			break
		}
	}
	if k < 0 {
		k = j // not there: the text after will say so
	}
	return pos + k, ""
}

// freeEnd is where a value that may hold anything (a sample, an id,
// what the format quotes), starting at b[pos], ends: at the text after
// it, found at k = indexText(b[pos:], text), else at a space (the text
// after will say it is not there). It takes k, not the text: with
// indexText in the caller the custom benchmark line costs what it did with
// this written out in place; a freeEnd calling indexText cost it 10 ns.
func freeEnd(b []byte, pos, k int) int {
	if k >= 0 {
		return pos + k
	}
	if k = indexByte(b[pos:], ' '); k >= 0 {
		return pos + k
	}
	return len(b)
}

// indexText is the first position of s in b, or -1. It looks for s's
// first byte with bytes.IndexByte, which reads 16 bytes at a time: on the
// custom benchmark line (samples and a 45-byte %ID) this took the values
// up to the text after them: the line went from 9,014 to 8,716
// instructions (callgrind), the byte loop cost 8 a byte.
func indexText(b []byte, s string) int {
	c := s[0]
	for i := 0; i+len(s) <= len(b); i++ {
		k := indexByte(b[i:len(b)-len(s)+1], c)
		if k < 0 {
			return -1
		}
		if i += k; string(b[i+1:i+len(s)]) == s[1:] {
			return i
		}
	}
	return -1
}

// runOf is the length of the value at the start of b when another variable
// follows with nothing between.
func runOf(b []byte, sh shape, flags uint8) int {
	i := 0
	switch sh {
	case shapeNumber:
		for i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		for i < len(b) && (isDigit(b[i]) || flags&flagHex != 0 && isHexDigit(b[i])) {
			i++
		}
	case shapeAddr:
		for i < len(b) && (addrByte[b[i]] || flags&flagHex != 0 && isHexDigit(b[i])) {
			i++
		}
	default:
		for i < len(b) && b[i] != ' ' {
			i++
		}
	}
	return i
}

// requestExtent is the length of an unquoted request line: "METHOD URI
// HTTP/x.y", or a single word ("<BADREQ>").
func (f *LogFormat) requestExtent(i int, rest []byte) int {
	if _, _, last := f.stop(i); last {
		return len(trimRightSpace(rest))
	}
	w1 := indexByte(rest, ' ')
	if w1 < 0 {
		return len(rest)
	}
	w2 := indexByte(rest[w1+1:], ' ')
	if w2 < 0 {
		return len(rest)
	}
	end := w1 + 1 + w2
	if hasPrefix(rest[end+1:], "HTTP/") {
		if w3 := indexByte(rest[end+1:], ' '); w3 >= 0 {
			return end + 1 + w3
		}
		return len(rest)
	}
	if isMethod(rest[:w1]) {
		return end
	}
	return w1
}
