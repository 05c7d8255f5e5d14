package decode

import "bytes"

// Small readers of the traffic logs' fields.

// quoted reads a "..." value at the start of b. The value ends at the first
// '"' that is followed by a space or ends the line (HAProxy escapes '"' as
// #22 in requests and headers, but not in every field). closed is false when
// the line ends before the closing quote. A backslash-escaped quote pair
// (\"...\", added by some syslog daemons) is accepted too. ok is false when b
// does not start with a quote. rest starts after the closing quote.
func quoted(b []byte) (v, rest []byte, closed, ok bool) {
	if hasPrefix(b, `\"`) {
		b = b[2:]
		if i := index(b, `\"`); i >= 0 {
			return b[:i], b[i+2:], true, true
		}
		return b, nil, false, true
	}
	if len(b) == 0 || b[0] != '"' {
		return nil, b, false, false
	}
	b = b[1:]
	for i := 0; ; {
		j := indexByte(b[i:], '"')
		if j < 0 {
			return b, nil, false, true
		}
		i += j
		if i+1 == len(b) || b[i+1] == ' ' {
			return b[:i], b[i+1:], true, true
		}
		i++
	}
}

// clientAddr reads "1.2.3.4:5678", "::1:5678" or "2001:db8::1:443" (the
// port is after the last colon), "[::1]:443", "unix:1", "/path/to.sock:1",
// "-" or "unknown". UNIX sockets and unknown sources leave ip nil and port
// Unset.
func clientAddr(b []byte) (ip []byte, port int, ok bool) {
	// Fast path: "ip:port" with a numeric address and port, in one pass.
	colon, all := -1, true
	for i, c := range b {
		if !addrByte[c] {
			all = false
			break
		}
		if c == ':' {
			colon = i
		}
	}
	if all && colon > 0 && colon < len(b)-1 && len(b)-colon-1 <= 5 {
		p := 0
		for _, c := range b[colon+1:] {
			if c-'0' > 9 {
				p = -1
				break
			}
			p = p*10 + int(c-'0')
		}
		if p >= 0 && p <= 65535 {
			return b[:colon], p, true
		}
	}
	port = Unset
	if len(b) == 0 {
		return nil, port, false
	}
	if string(b) == "-" || string(b) == "unknown" || string(b) == "unix" || hasPrefix(b, "unix:") {
		return nil, port, true
	}
	// A UNIX socket in an embryonic error line: "<path>:<listener id>".
	if b[0] == '/' || indexByte(b, '@') >= 0 {
		return nil, port, true
	}
	i := bytes.LastIndexByte(b, ':')
	if i < 0 {
		return nil, port, false
	}
	host, p := b[:i], b[i+1:]
	if string(p) != "-" {
		v, ok := atoi(p)
		if !ok || v < 0 || v > 65535 || p[0] == '+' || p[0] == '-' {
			return nil, port, false
		}
		port = v
	}
	if len(host) >= 2 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	if len(host) == 0 { // "Connect from ... to :0" when the destination is unknown
		return nil, port, true
	}
	if !validIP(host) {
		return nil, port, false
	}
	return dashNil(host), port, true
}

// validIP accepts what an IPv4 or IPv6 address (with an optional %zone) is
// made of, and "-". It does not check the address further.
func validIP(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if string(b) == "-" {
		return true
	}
	for i, c := range b {
		if c == '%' && i > 0 {
			for _, z := range b[i+1:] {
				if z <= ' ' || z >= 0x7f {
					return false
				}
			}
			return true
		}
		if !isHexDigit(c) && c != '.' && c != ':' {
			return false
		}
	}
	return true
}

// splitHeaders appends the '|'-separated, #-escaped values of a header
// block to dst. An empty value is kept as an empty (non-nil) entry.
func (e *Entry) splitHeaders(dst [][]byte, block []byte) [][]byte {
	if indexByte(block, '#') < 0 { // nothing to unescape
		for {
			i := indexByte(block, '|')
			if i < 0 {
				return append(dst, block)
			}
			dst = append(dst, block[:i])
			block = block[i+1:]
		}
	}
	for {
		v, rest, found := cutByte(block, '|')
		dst = append(dst, e.unescapeHash(v))
		if !found {
			return dst
		}
		block = rest
	}
}

// conns reads "ac/fc/bc/sc/rc"; a '+' before rc means redispatched.
func conns(e *Entry, tok []byte, pfx string, n int) *ParseError {
	var v [5]int
	var plus [5]bool
	if !slashNums(tok, v[:], plus[:]) {
		return e.fail(pfx, n, fConns, "want 5 numbers", tok)
	}
	e.ActConn, e.FeConn, e.BeConn, e.SrvConn, e.Retries = v[0], v[1], v[2], v[3], v[4]
	e.Redispatched = plus[4]
	return nil
}

// queues reads "sq/bq".
func queues(e *Entry, tok []byte, pfx string, n int) *ParseError {
	var v [2]int
	var plus [2]bool
	if !slashNums(tok, v[:], plus[:]) {
		return e.fail(pfx, n, fQueues, "want 2 numbers", tok)
	}
	e.SrvQueue, e.BackendQueue = v[0], v[1]
	return nil
}

// slashNums reads exactly len(out) '/'-separated timer values ("-1" is
// Unset, a leading '+' is reported in plus), in one pass. Each value is what
// timer accepts: an optional '+', an optional sign and 1 to 18 digits.
func slashNums(tok []byte, out []int, plus []bool) bool {
	i := 0
	for k := range out {
		if k > 0 {
			if i >= len(tok) || tok[i] != '/' {
				return false
			}
			i++
		}
		p := false
		if i < len(tok) && tok[i] == '+' {
			p = true
			i++
		}
		neg := false
		if i < len(tok) && (tok[i] == '-' || tok[i] == '+') {
			neg = tok[i] == '-'
			i++
		}
		start, n := i, 0
		for i < len(tok) && tok[i]-'0' <= 9 {
			n = n*10 + int(tok[i]-'0')
			i++
		}
		if i == start || i-start > 18 {
			return false
		}
		if neg && n != 0 {
			n = Unset
		}
		out[k], plus[k] = n, p
	}
	return i == len(tok)
}

// splitSlash splits tok into exactly len(parts) '/'-separated parts.
func splitSlash(tok []byte, parts [][]byte) bool {
	for i := range parts {
		if i == len(parts)-1 {
			if indexByte(tok, '/') >= 0 {
				return false
			}
			parts[i] = tok
			break
		}
		j := indexByte(tok, '/')
		if j < 0 {
			return false
		}
		parts[i], tok = tok[:j], tok[j+1:]
	}
	return len(parts) > 0
}

// bytesRead reads a byte count, with the '+' logasap prefix.
func bytesRead(tok []byte) (n int64, plus, ok bool) {
	if len(tok) > 0 && tok[0] == '+' {
		plus, tok = true, tok[1:]
	}
	if len(tok) > 0 && tok[0] == '+' {
		return 0, false, false
	}
	n, ok = atoi64(tok)
	if ok && n < 0 {
		n = Unset
	}
	return n, plus, ok
}

func setFrontend(e *Entry, fe []byte) {
	if len(fe) > 1 && fe[len(fe)-1] == '~' {
		fe = fe[:len(fe)-1]
		e.FrontendSSL = true
	}
	e.Frontend = fe
}

// sourceAddr is "source.address": the IP when the client has one, else the
// client as HAProxy wrote it ("unix:1", "abns@name:1", "-").
func sourceAddr(ip, written []byte) []byte {
	if ip != nil {
		return ip
	}
	return written
}

func dashNil(b []byte) []byte {
	if string(b) == "-" {
		return nil
	}
	return b
}

func emptyNil(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

func isHexDigit(c byte) bool {
	_, ok := hexVal(c)
	return ok
}

func allHex(b []byte) bool {
	for _, c := range b {
		if !isHexDigit(c) {
			return false
		}
	}
	return true
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

func countByte(b []byte, c byte) int {
	n := 0
	for _, x := range b {
		if x == c {
			n++
		}
	}
	return n
}

// addrByte marks the bytes of a numeric address: hex digits, '.', ':'.
var addrByte = [256]bool{
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true,
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true,
	'.': true, ':': true,
}

func skipSpace(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	return b
}

func trimRightSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
