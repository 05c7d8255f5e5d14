package decode

import "time"

// Traffic logs are read halog style: one pass over the bytes, field by
// field, without regular expressions and without allocating. Every field
// points into the line, or into the entry's scratch buffer when it had to be
// unescaped. A line that breaks half-way fills the entry's ParseError (no
// allocation either).
//
// Field numbers in error messages follow HAProxy's manual (§8.2), where
// field 1 is the syslog tag: "httplog: field 6 (timers TR/Tw/Tc/Tr/Ta): ...".
// CLF fields are numbered in the order of the CLF log-format string, the
// client address being field 1.

// Field names used in error messages.
const (
	fClient    = "client address"
	fDate      = "request date"
	fFrontend  = "frontend"
	fBackend   = "backend/server"
	fStatus    = "status code"
	fBytes     = "bytes read"
	fReqCookie = "captured request cookie"
	fResCookie = "captured response cookie"
	fTermState = "termination state"
	fConns     = "connections ac/fc/bc/sc/rc"
	fQueues    = "queues sq/bq"
	fRequest   = "request line"
	fTLSErrs   = "TLS fc_err/ssl_fc_err/ssl_c_err/ssl_c_ca_err/resumed"
	fTLSSess   = "TLS sni/sslv/sslc"
)

// parseTraffic reads a traffic log (httplog, httpslog, tcplog, clf), a
// connection error line or the default format's "Connect from" line. It
// returns nil on success, errNotTraffic when the line does not start like
// one, or the entry's ParseError, saying where it stopped.
func parseTraffic(e *Entry, b []byte, loc *time.Location) *ParseError {
	if len(b) < 4 {
		return errNotTraffic
	}
	c := b[0]
	if c == 'C' && hasPrefix(b, "Connect ") {
		return parseConnect(e, b[len("Connect "):])
	}
	if !(isHexDigit(c) || c == ':' || c == 'u' || c == '-' || c == '/') {
		return errNotTraffic
	}
	// The address is at most "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255:65535"
	// (52 bytes), plus room for a zone.
	sp := indexByte(b[:min(len(b), 72)], ' ')
	if sp <= 0 {
		return errNotTraffic
	}
	addr, rest := b[:sp], b[sp+1:]
	rest = trimRightSpace(rest)
	switch {
	case len(rest) > 0 && rest[0] == '[':
		return parseStd(e, addr, rest, loc)
	case hasPrefix(rest, "- - ["):
		return parseCLF(e, addr, rest[4:], loc)
	}
	return errNotTraffic
}

// parseStd reads "addr [date] ..." lines: httplog, httpslog, tcplog,
// connection errors and the error-log-format line.
func parseStd(e *Entry, addr, rest []byte, loc *time.Location) *ParseError {
	const pfx = "traffic log"
	ip, port, ok := clientAddr(addr)
	if !ok {
		return e.fail(pfx, 2, fClient, "want ip:port", addr)
	}
	e.ClientIP, e.ClientPort = ip, port
	e.ClientAddr = sourceAddr(ip, addr)

	// rest[0] == '['
	end := indexByte(rest, ']')
	if end < 0 {
		return e.fail(pfx, 3, fDate, "want [dd/Mon/yyyy:hh:mm:ss.ms]", rest)
	}
	t, ok := e.haproxyDate(rest[1:end], loc)
	if !ok {
		return e.fail(pfx, 3, fDate, "want dd/Mon/yyyy:hh:mm:ss.ms", rest[:end+1])
	}
	e.RequestDate, e.RequestDateOK = t, true
	rest = rest[end+1:]
	if len(rest) == 0 || rest[0] != ' ' {
		return e.fail(pfx, 4, fFrontend, "want a frontend after the date", rest)
	}
	rest = rest[1:]

	fe, rest := field(rest)
	if len(fe) == 0 {
		return e.fail(pfx, 4, fFrontend, "want a frontend name", fe)
	}
	// "fe/bind: message": a connection error (SSL handshake, PROXY header).
	if fe[len(fe)-1] == ':' {
		return connError(e, fe[:len(fe)-1], rest)
	}
	setFrontend(e, fe)

	tok5, rest := field(rest)
	if isErrorLogFormat(tok5, rest) {
		return errorLogFormat(e, tok5, rest)
	}
	be, srv, found := cutByte(tok5, '/')
	if !found || len(be) == 0 {
		return e.fail(pfx, 5, fBackend, "want backend/server", tok5)
	}
	e.Backend, e.Server = be, srv

	// httplog has 5 timers, tcplog 3. When the timers are broken, what
	// follows tells: a tcplog line has exactly 4 more fields, an httplog
	// line at least 8 and a quoted request.
	timers, rest := field(rest)
	slashes := countByte(timers, '/')
	if slashes == 4 {
		return parseHTTP(e, timers, rest)
	}
	var n [3]int
	var plus [3]bool
	if slashes == 2 && slashNums(timers, n[:], plus[:]) {
		return parseTCP(e, timers, rest)
	}
	spaces := countByte(rest, ' ')
	if spaces == 3 && indexByte(rest, '"') < 0 && indexByte(rest, '{') < 0 ||
		slashes == 2 && spaces < 3 {
		return parseTCP(e, timers, rest)
	}
	return parseHTTP(e, timers, rest)
}

// parseHTTP reads an httplog line from field 6 on, and the httpslog fields
// after the request line when they are there.
func parseHTTP(e *Entry, timers, rest []byte) *ParseError {
	const pfx = "httplog"
	var n [5]int
	var plus [5]bool
	if !slashNums(timers, n[:], plus[:]) {
		return e.fail(pfx, 6, "timers TR/Tw/Tc/Tr/Ta", "want 5 numbers", timers)
	}
	e.TR, e.Tw, e.Tc, e.Tr, e.Ta = n[0], n[1], n[2], n[3], n[4]
	e.Logasap = plus[4]

	tok, rest := field(rest)
	st, ok := atoi(tok)
	if !ok || st < -1 || st > 999 {
		return e.fail(pfx, 7, fStatus, "want a number", tok)
	}
	if st >= 0 {
		e.Status = st
	}

	tok, rest = field(rest)
	by, p, ok := bytesRead(tok)
	if !ok {
		return e.fail(pfx, 8, fBytes, "want a number", tok)
	}
	e.BytesRead = by
	e.Logasap = e.Logasap || p

	tok, rest = field(rest)
	if len(tok) == 0 {
		return e.fail(pfx, 9, fReqCookie, "want a cookie or -", tok)
	}
	e.ReqCookie = dashNil(tok)
	tok, rest = field(rest)
	if len(tok) == 0 {
		return e.fail(pfx, 10, fResCookie, "want a cookie or -", tok)
	}
	e.RespCookie = dashNil(tok)

	tok, rest = field(rest)
	if len(tok) != 4 {
		return e.fail(pfx, 11, fTermState, "want 4 characters", tok)
	}
	e.TermState = tok

	tok, rest = field(rest)
	if msg := conns(e, tok, pfx, 12); msg != nil {
		return msg
	}
	tok, rest = field(rest)
	if msg := queues(e, tok, pfx, 13); msg != nil {
		return msg
	}

	rest, truncated, err := captures(e, rest, pfx)
	if err != nil {
		return err
	}

	// The request line, always last in httplog, may have lost its end.
	if truncated || len(rest) == 0 {
		e.RequestTrunc = true
		e.Type = LogHTTP
		return nil
	}
	req, rest, closed, ok := quoted(rest)
	if !ok {
		return e.fail(pfx, 16, fRequest, "want a quoted request line", rest)
	}
	e.RequestTrunc = !closed
	e.RequestLine = e.unescapeHash(req)
	splitRequest(e, e.RequestLine, !closed)
	e.Type = LogHTTP
	if len(rest) == 0 {
		return nil
	}

	return httpsTail(e, rest)
}

// captures reads the captured headers of an httplog line (fields 14 and
// 15): zero, one or two {...} blocks. Values may hold spaces but never a
// raw '{', '|' or '}' (HAProxy escapes them). truncated: the line was cut
// inside a block.
func captures(e *Entry, rest []byte, pfx string) (_ []byte, truncated bool, err *ParseError) {
	var blocks [2][]byte
	nblocks := 0
	for nblocks < 2 && len(rest) > 0 && rest[0] == '{' {
		end := indexByte(rest, '}')
		if end < 0 { // the line was cut inside the block
			blocks[nblocks] = rest[1:]
			nblocks++
			rest, truncated = nil, true
			break
		}
		blocks[nblocks] = rest[1:end]
		nblocks++
		rest = rest[end+1:]
		if len(rest) > 0 {
			if rest[0] != ' ' {
				return rest, false, e.fail(pfx, 13+nblocks, "captured headers", "want a space after }", rest)
			}
			rest = rest[1:]
		}
	}
	if nblocks > 0 {
		// A single block cannot be told apart: it is taken as the request's.
		e.HasReqHeaders = true
		e.ReqHeaders = e.splitHeaders(e.ReqHeaders, blocks[0])
	}
	if nblocks > 1 {
		e.HasRespHeaders = true
		e.RespHeaders = e.splitHeaders(e.RespHeaders, blocks[1])
	}
	return rest, truncated, nil
}

// httpsTail reads what may follow an httplog line's request line: the
// httpslog fields " fc_err/ssl_fc_err/ssl_c_err/ssl_c_ca_err/resumed
// sni/sslv/sslc".
func httpsTail(e *Entry, rest []byte) *ParseError {
	const pfx = "httplog"
	if rest[0] != ' ' {
		return e.fail(pfx, 16, fRequest, "want a space after the request line", rest)
	}
	rest = rest[1:]
	errs, rest := field(rest)
	sess, rest := field(rest)
	if len(rest) != 0 {
		return e.fail("httpslog", 19, "end of line", "want nothing after sni/sslv/sslc", rest)
	}
	if msg := tlsFields(e, errs, sess, "httpslog", 17); msg != nil {
		return msg
	}
	e.Type = LogHTTPS
	return nil
}

// parseTCP reads a tcplog line from field 6 on.
func parseTCP(e *Entry, timers, rest []byte) *ParseError {
	const pfx = "tcplog"
	var n [3]int
	var plus [3]bool
	if !slashNums(timers, n[:], plus[:]) {
		return e.fail(pfx, 6, "timers Tw/Tc/Tt", "want 3 numbers", timers)
	}
	e.Tw, e.Tc, e.Ta = n[0], n[1], n[2]
	e.Logasap = plus[2]

	tok, rest := field(rest)
	by, p, ok := bytesRead(tok)
	if !ok {
		return e.fail(pfx, 7, fBytes, "want a number", tok)
	}
	e.BytesRead = by
	e.Logasap = e.Logasap || p

	tok, rest = field(rest)
	if len(tok) != 2 {
		return e.fail(pfx, 8, fTermState, "want 2 characters", tok)
	}
	e.TermState = tok

	tok, rest = field(rest)
	if msg := conns(e, tok, pfx, 9); msg != nil {
		return msg
	}
	tok, rest = field(rest)
	if msg := queues(e, tok, pfx, 10); msg != nil {
		return msg
	}
	if len(rest) != 0 {
		return e.fail(pfx, 11, "end of line", "want nothing after sq/bq", rest)
	}
	e.Type = LogTCP
	return nil
}
