package decode

import "time"

// CLF traffic logs ("option httplog clf", "option tcplog clf").

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

	rest, err := clfNames(e, rest, pfx)
	if err != nil {
		return err
	}

	if rest, err = clfNumbers(e, rest, tcp); err != nil {
		return err
	}

	if err := clfCaptures(e, rest); err != nil {
		return err
	}

	if !tcp {
		e.RequestLine = e.unescapeHash(req)
		splitRequest(e, e.RequestLine, false)
	}
	e.Type = LogCLF
	return nil
}

// clfNames reads the quoted frontend, backend and server names (fields
// 12-14).
func clfNames(e *Entry, rest []byte, pfx string) ([]byte, *ParseError) {
	var names [3][]byte
	for i, name := range [3]string{fFrontend, "backend", "server"} {
		var v []byte
		var ok bool
		v, rest, _, ok = quoted(rest)
		if !ok || len(v) == 0 {
			return rest, e.fail(pfx, 12+i, name, "want a name", rest)
		}
		names[i] = v
		rest = skipSpace(rest)
	}
	setFrontend(e, names[0])
	e.Backend, e.Server = names[1], names[2]
	return rest, nil
}

// clfNumbers reads the timers (fields 15-19), the termination state (20)
// and the counters (21-27).
func clfNumbers(e *Entry, rest []byte, tcp bool) ([]byte, *ParseError) {
	const pfx = "clf"
	var tok []byte
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
				return rest, e.fail(pfx, 20, fTermState, "want 2 characters and --", tok)
			}
			if !tcp && len(ts) != 4 {
				return rest, e.fail(pfx, 20, fTermState, "want 4 characters", tok)
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
			return rest, e.fail(pfx, num, name, "want a number", tok)
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
	return rest, nil
}

// clfCaptures reads %CC %CS, then the captured headers, each quoted.
// Request and response lists are both space-separated, so they cannot be
// told apart: all go to the request headers.
func clfCaptures(e *Entry, rest []byte) *ParseError {
	const pfx = "clf"
	for i := 0; len(rest) > 0; i++ {
		var v []byte
		var closed bool
		var ok bool
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
