package decode

// Small readers shared by the event readers: numbers, quoted names,
// "backend/server", "<cap> <name>".

// evNum reads an optionally signed decimal number at the start of b.
func evNum(b []byte) (int, []byte, bool) {
	n, rest, ok := evNum64(b)
	return int(n), rest, ok
}

func evNum64(b []byte) (int64, []byte, bool) {
	i := 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		i++
	}
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	n, ok := atoi64(b[:i])
	return n, b[i:], ok
}

// evExpect strips p from the start of b.
func evExpect(b []byte, p string) ([]byte, bool) {
	if !hasPrefix(b, p) {
		return b, false
	}
	return b[len(p):], true
}

// evParenNum reads "(N)".
func evParenNum(b []byte) (int, []byte, bool) {
	if len(b) < 3 || b[0] != '(' {
		return 0, b, false
	}
	n, rest, ok := evNum(b[1:])
	if !ok || len(rest) == 0 || rest[0] != ')' {
		return 0, b, false
	}
	return n, rest[1:], true
}

// evQuoted returns the text between the first pair of single quotes.
func evQuoted(b []byte) []byte {
	i := indexByte(b, '\'')
	if i < 0 {
		return nil
	}
	j := indexByte(b[i+1:], '\'')
	if j < 0 {
		return nil
	}
	return b[i+1 : i+1+j]
}

func evTrimDot(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '.' {
		return b[:len(b)-1]
	}
	return b
}

// evSplitBeSrv splits "backend/server".
func evSplitBeSrv(b []byte) (be, srv []byte, ok bool) {
	be, srv, found := cutByte(b, '/')
	if !found || len(be) == 0 || len(srv) == 0 {
		return nil, nil, false
	}
	return be, srv, true
}

// evCapName splits "<cap> <name>" (cap may be two words: "peers section").
func evCapName(b []byte) (typ, name []byte, ok bool) {
	i := len(b) - 1
	for i >= 0 && b[i] != ' ' {
		i--
	}
	if i <= 0 || i == len(b)-1 {
		return nil, nil, false
	}
	return b[:i], b[i+1:], true
}
