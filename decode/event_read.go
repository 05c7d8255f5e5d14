package decode

// Small readers shared by the event readers: a cursor, numbers, quoted
// names, "backend/server", "<cap> <name>".

// cursor reads a message from left to right. The first step that does not
// find what it expects sets failed, and the steps after it do nothing: the
// failure is sticky, as bufio.Scanner's error is, so a chain of reads is
// checked once, at its end (ok).
type cursor struct {
	b      []byte // what is left to read
	failed bool
}

// ok reports whether every step so far found what it expected.
func (c *cursor) ok() bool { return !c.failed }

// setErr records a failure; only the first one counts.
func (c *cursor) setErr() { c.failed = true }

// skip strips p if what is left starts with it, and reports whether it did.
// A missing p is no failure.
func (c *cursor) skip(p string) bool {
	if c.failed || !hasPrefix(c.b, p) {
		return false
	}
	c.b = c.b[len(p):]
	return true
}

// expect strips p, which must be there.
func (c *cursor) expect(p string) {
	if !c.skip(p) {
		c.setErr()
	}
}

// num reads an optionally signed decimal number.
func (c *cursor) num() int { return int(c.num64()) }

func (c *cursor) num64() int64 {
	if c.failed {
		return 0
	}
	n, rest, ok := evNum64(c.b)
	if !ok {
		c.setErr()
		return 0
	}
	c.b = rest
	return n
}

// parenNum reads "(N)".
func (c *cursor) parenNum() int {
	c.expect("(")
	n := c.num()
	c.expect(")")
	return n
}

// relPid reads a worker's "#N (P)" (≤2.4) or "(P)", and returns P.
func (c *cursor) relPid() int {
	if c.skip("#") {
		c.num()
		c.expect(" ")
	}
	return c.parenNum()
}

// field reads the next space-separated token and the space after it.
func (c *cursor) field() []byte {
	if c.failed {
		return nil
	}
	tok, rest := field(c.b)
	c.b = rest
	return tok
}

// upTo reads the text before the next delim, and delim; delim must be there.
func (c *cursor) upTo(delim byte) []byte {
	if c.failed {
		return nil
	}
	i := indexByte(c.b, delim)
	if i < 0 {
		c.setErr()
		return nil
	}
	v := c.b[:i]
	c.b = c.b[i+1:]
	return v
}

// end expects nothing but p to be left.
func (c *cursor) end(p string) {
	if !c.failed && string(c.b) != p {
		c.setErr()
	}
}

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
