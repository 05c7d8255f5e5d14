package decode

import "bytes"

// Connection lines: embryonic connection errors, the error-log-format
// line and the default format's "Connect from" line.

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
