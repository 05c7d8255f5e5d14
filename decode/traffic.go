package decode

import (
	"bytes"
	"time"
)

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

	// Captured headers: zero, one or two {...} blocks. Values may hold
	// spaces but never a raw '{', '|' or '}' (HAProxy escapes them).
	var blocks [2][]byte
	nblocks := 0
	truncated := false
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
				return e.fail(pfx, 13+nblocks, "captured headers", "want a space after }", rest)
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

	// httpslog: " fc_err/ssl_fc_err/ssl_c_err/ssl_c_ca_err/resumed sni/sslv/sslc"
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

// connError reads "fe/bind: message" (fe/bind without the colon in febind).
func connError(e *Entry, febind, msg []byte) *ParseError {
	fe, bind, _ := cutByte(febind, '/')
	if len(fe) == 0 {
		return e.fail("connection error", 4, "frontend/bind", "want frontend/bind:", febind)
	}
	setFrontend(e, fe)
	if len(bind) > 0 {
		e.BindName = bind
	}
	if len(msg) == 0 {
		return e.fail("connection error", 5, "message", "want a message", msg)
	}
	e.ConnError = msg
	e.Type, e.Event = LogEvent, EventConnectionError
	return nil
}

// isErrorLogFormat tells the manual's suggested error-log-format,
// "... fe~ ac/fc fc_err/ssl_fc_err/ssl_c_err/ssl_c_ca_err/resumed sni/sslv/sslc",
// from a traffic line, whose 5th field is backend/server.
func isErrorLogFormat(tok5, rest []byte) bool {
	ac, fc, found := cutByte(tok5, '/')
	if !found || !allDigits(ac) || !allDigits(fc) {
		return false
	}
	errs, rest := field(rest)
	sess, rest := field(rest)
	return len(rest) == 0 && countByte(errs, '/') == 4 && countByte(sess, '/') >= 2
}

func errorLogFormat(e *Entry, acfc, rest []byte) *ParseError {
	const pfx = "error-log-format"
	ac, fc, _ := cutByte(acfc, '/')
	e.ActConn, _ = atoi(ac)
	e.FeConn, _ = atoi(fc)
	errs, rest := field(rest)
	sess, _ := field(rest)
	if msg := tlsFields(e, errs, sess, pfx, 6); msg != nil {
		return msg
	}
	e.Type, e.Event = LogEvent, EventConnectionError
	return nil
}

// tlsFields reads "fc_err/ssl_fc_err/ssl_c_err/ssl_c_ca_err/resumed" (field
// n) and "sni/sslv/sslc" (field n+1). A "-" (fetch failed) is left unset.
func tlsFields(e *Entry, errs, sess []byte, pfx string, n int) *ParseError {
	var parts [5][]byte
	if !splitSlash(errs, parts[:]) {
		return e.fail(pfx, n, fTLSErrs, "want 5 values", errs)
	}
	var ints [4]int
	for i, j := range [4]int{0, 2, 3, 4} {
		ints[i] = Unset
		if string(parts[j]) == "-" {
			continue
		}
		v, ok := atoi(parts[j])
		if !ok {
			return e.fail(pfx, n, fTLSErrs, "want numbers", errs)
		}
		ints[i] = v
	}
	if h := parts[1]; string(h) != "-" {
		if len(h) == 0 || !allHex(h) {
			return e.fail(pfx, n, fTLSErrs, "want ssl_fc_err in hex", errs)
		}
		e.TLSSSLErr = h
	}
	e.TLSConnErr, e.TLSClientErr, e.TLSClientCAErr, e.TLSResumed = ints[0], ints[1], ints[2], ints[3]

	sni, vc, found := cutByte(sess, '/')
	if !found {
		return e.fail(pfx, n+1, fTLSSess, "want sni/version/cipher", sess)
	}
	ver, ciph, found := cutByte(vc, '/')
	if !found {
		return e.fail(pfx, n+1, fTLSSess, "want sni/version/cipher", sess)
	}
	e.TLSSNI = dashNil(sni)
	e.TLSVersion = dashNil(ver)
	if string(ciph) != "(NONE)" {
		e.TLSCipher = dashNil(ciph)
	}
	return nil
}

// parseConnect reads the default format's line, after "Connect ":
// "from 1.2.3.4:5 to 6.7.8.9:80 (fe/HTTP)", "to unix:1 (fe/TCP)" or
// "from unknown source to listener 1 (fe/HTTP)".
func parseConnect(e *Entry, b []byte) *ParseError {
	const pfx = "connect"
	open := bytes.LastIndexByte(b, '(')
	if open < 1 || b[len(b)-1] != ')' || b[open-1] != ' ' {
		return e.fail(pfx, 0, "frontend/mode", "want (frontend/mode) at the end", b)
	}
	femode := b[open+1 : len(b)-1]
	slash := bytes.LastIndexByte(femode, '/')
	if slash < 1 || slash == len(femode)-1 {
		return e.fail(pfx, 0, "frontend/mode", "want (frontend/mode)", femode)
	}
	setFrontend(e, femode[:slash])
	e.Mode = femode[slash+1:]
	addrs := b[:open-1]
	switch {
	case hasPrefix(addrs, "from unknown source to listener "):
		if _, ok := atoi(addrs[len("from unknown source to listener "):]); !ok {
			return e.fail(pfx, 0, "listener", "want a listener id", addrs)
		}
	case hasPrefix(addrs, "from "):
		src, rest := field(addrs[len("from "):])
		to, dst := field(rest)
		if string(to) != "to" || len(dst) == 0 {
			return e.fail(pfx, 0, "addresses", "want from ip:port to ip:port", addrs)
		}
		ip, port, ok := clientAddr(src)
		if !ok {
			return e.fail(pfx, 0, "source", "want ip:port", src)
		}
		e.ClientIP, e.ClientPort = ip, port
		e.ClientAddr = sourceAddr(ip, src)
		if ip, port, ok = clientAddr(dst); !ok {
			return e.fail(pfx, 0, "destination", "want ip:port", dst)
		}
		e.DestIP, e.DestPort = ip, port
	case hasPrefix(addrs, "to "):
		// "to unix:<listener id>": a UNIX socket, nothing to record.
		if _, _, ok := clientAddr(addrs[len("to "):]); !ok {
			return e.fail(pfx, 0, "destination", "want unix:id", addrs)
		}
	default:
		return e.fail(pfx, 0, "addresses", "want from ... to ...", addrs)
	}
	e.Type, e.Event = LogEvent, EventConnect
	return nil
}

// parseCLF reads "option httplog clf" and "option tcplog clf" lines:
//
//	%{+Q}o %{-Q}ci - - [%trg] %r %ST %B "" "" %cp %ms %ft %b %s %TR %Tw %Tc %Tr %Ta %tsc %ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl
//	%{+Q}o %{-Q}ci - - [%T] "TCP " 000 %B "" "" %cp %ms %ft %b %s %Th %Tw %Tc %Tt %U %ts-- %ac %fc %bc %sc %rc %sq %bq "" ""
//
// ip is the first field, rest starts at the '[' of the date.
func parseCLF(e *Entry, ip, rest []byte, loc *time.Location) *ParseError {
	const pfx = "clf"
	switch {
	case validIP(ip):
		e.ClientIP = dashNil(ip)
	case string(ip) != "unix" && !hasPrefix(ip, "unix:") && indexByte(ip, '@') < 0:
		return e.fail(pfx, 1, fClient, "want an IP address", ip)
	}
	e.ClientAddr = ip

	end := indexByte(rest, ']')
	if end < 0 {
		return e.fail(pfx, 4, fDate, "want [dd/Mon/yyyy:hh:mm:ss +zzzz]", rest)
	}
	t, ok := e.clfDate(rest[1:end], loc)
	if !ok {
		return e.fail(pfx, 4, fDate, "want dd/Mon/yyyy:hh:mm:ss +zzzz", rest[:end+1])
	}
	rest = rest[end+1:]
	if len(rest) == 0 || rest[0] != ' ' {
		return e.fail(pfx, 5, fRequest, "want a request after the date", rest)
	}
	rest = rest[1:]

	req, rest, closed, ok := quoted(rest)
	if !ok || !closed {
		return e.fail(pfx, 5, fRequest, "want a quoted request line", rest)
	}
	rest = skipSpace(rest)
	tcp := string(req) == "TCP "

	tok, rest := field(rest)
	st, ok := atoi(tok)
	if !ok || st < -1 || st > 999 {
		return e.fail(pfx, 6, fStatus, "want a number", tok)
	}
	if st > 0 {
		e.Status = st
	}
	tok, rest = field(rest)
	by, plus, ok := bytesRead(tok)
	if !ok {
		return e.fail(pfx, 7, fBytes, "want a number", tok)
	}
	e.BytesRead, e.Logasap = by, plus
	for i := 8; i <= 9; i++ {
		if tok, rest = field(rest); string(tok) != `""` {
			return e.fail(pfx, i, "empty", `want ""`, tok)
		}
	}
	tok, rest = field(rest)
	port, ok := atoi(tok)
	if !ok || port < 0 || port > 65535 {
		return e.fail(pfx, 10, "client port", "want a port", tok)
	}
	e.ClientPort = port
	tok, rest = field(rest)
	ms, ok := atoi(tok)
	if !ok || ms < 0 || ms > 999 {
		return e.fail(pfx, 11, "milliseconds", "want 0-999", tok)
	}
	if t.Nanosecond() == 0 {
		t = t.Add(time.Duration(ms) * time.Millisecond)
	}
	e.RequestDate, e.RequestDateOK = t, true

	var names [3][]byte
	for i, name := range [3]string{fFrontend, "backend", "server"} {
		var v []byte
		v, rest, _, ok = quoted(rest)
		if !ok || len(v) == 0 {
			return e.fail(pfx, 12+i, name, "want a name", rest)
		}
		names[i] = v
		rest = skipSpace(rest)
	}
	setFrontend(e, names[0])
	e.Backend, e.Server = names[1], names[2]

	var n [12]int
	var p [12]bool
	for i := range n {
		tok, rest = field(rest)
		if i == 5 { // termination state
			ts := tok
			if tcp && len(ts) == 4 && ts[2] == '-' && ts[3] == '-' {
				ts = ts[:2] // "%ts--"
			}
			if tcp && len(ts) != 2 {
				return e.fail(pfx, 20, fTermState, "want 2 characters and --", tok)
			}
			if !tcp && len(ts) != 4 {
				return e.fail(pfx, 20, fTermState, "want 4 characters", tok)
			}
			e.TermState = ts
			tok, rest = field(rest)
		}
		var ok bool
		if n[i], p[i], ok = timer(tok); !ok {
			num, name := 15+i, "timers"
			if i >= 5 {
				num, name = 16+i, "counters"
			}
			return e.fail(pfx, num, name, "want a number", tok)
		}
	}
	if tcp { // %Th %Tw %Tc %Tt %U
		e.Tw, e.Tc, e.Ta = n[1], n[2], n[3]
		e.Logasap = e.Logasap || p[3]
	} else {
		e.TR, e.Tw, e.Tc, e.Tr, e.Ta = n[0], n[1], n[2], n[3], n[4]
		e.Logasap = e.Logasap || p[4]
	}
	e.ActConn, e.FeConn, e.BeConn, e.SrvConn, e.Retries = n[5], n[6], n[7], n[8], n[9]
	e.Redispatched = p[9]
	e.SrvQueue, e.BackendQueue = n[10], n[11]

	// %CC %CS, then the captured headers, each quoted. Request and response
	// lists are both space-separated, so they cannot be told apart: all go
	// to the request headers.
	for i := 0; len(rest) > 0; i++ {
		var v []byte
		var closed bool
		v, rest, closed, ok = quoted(rest)
		if !ok {
			v, rest = field(rest) // an unquoted value ({-Q})
		} else if !closed {
			return e.fail(pfx, 28+min(i, 2), "captures", "want a closing quote", v)
		}
		rest = skipSpace(rest)
		switch i {
		case 0:
			e.ReqCookie = emptyNil(dashNil(v))
		case 1:
			e.RespCookie = emptyNil(dashNil(v))
		default:
			e.HasReqHeaders = true
			e.ReqHeaders = append(e.ReqHeaders, e.unescapeHash(v))
		}
	}

	if !tcp {
		e.RequestLine = e.unescapeHash(req)
		splitRequest(e, e.RequestLine, false)
	}
	e.Type = LogCLF
	return nil
}

// clfDate reads "21/Nov/2026:07:35:54 +0000". The zone offset wins over
// loc; the result is then in UTC so that no zone is allocated.
func (e *Entry) clfDate(b []byte, loc *time.Location) (time.Time, bool) {
	d, z, found := cutByte(b, ' ')
	if !found {
		return e.haproxyDate(b, loc)
	}
	if len(z) != 5 || (z[0] != '+' && z[0] != '-') {
		return time.Time{}, false
	}
	hh, ok1 := digits(z[1:], 2)
	mm, ok2 := digits(z[3:], 2)
	if !ok1 || !ok2 || mm > 59 {
		return time.Time{}, false
	}
	t, ok := e.haproxyDate(d, time.UTC)
	if !ok {
		return t, false
	}
	off := time.Duration(hh*60+mm) * time.Minute
	if z[0] == '-' {
		off = -off
	}
	return t.Add(-off), true
}

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
