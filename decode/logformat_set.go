package decode

import "time"

// set stores the value v of node n (quotes included when written) in the
// field the variable maps to: the same field the built-in formats fill. It
// returns why the value cannot be read, or "".
func (n *lfNode) set(e *Entry, v []byte, loc *time.Location, st *scanState) string {
	info := &varTable[n.v]
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && (info.text || info.shape == shapeNumber) &&
		info.shape != shapeHeaderList {
		v = v[1 : len(v)-1]
	} else if n.v == varRequest && len(v) > 0 && v[0] == '"' && st.trunc {
		v = v[1:]
	}
	if info.text && n.flags&flagEsc != 0 {
		v = e.unescapeBackslash(v)
	}
	switch info.shape {
	case shapeNumber:
		return n.setNumber(e, v, st)
	case shapeAddr:
		return n.setAddr(e, v)
	}
	switch n.v {
	case varMethod, varURI, varPath, varPathOnly, varQuery, varVersion:
		// A request HAProxy could not parse writes <BADREQ> for each of
		// its parts: no method, URL or version, the marker kept as the
		// built-in formats keep it (in the request line).
		if string(v) == "<BADREQ>" {
			if len(e.RequestLine) == 0 {
				e.RequestLine = v
			}
			return ""
		}
	}
	switch n.v {
	case varFrontendXprt:
		if len(v) == 0 {
			return "want a frontend name"
		}
		setFrontend(e, v)
	case varFrontend:
		e.Frontend = v
	case varBackend:
		e.Backend = v
	case varServer:
		e.Server = v
	case varDate, varDateReq, varDateGMT, varDateReqGMT, varDateLocal, varDateReqLocal:
		return n.setDate(e, v, loc, st)
	case varCookieReq:
		e.ReqCookie = emptyNil(dashNil(v))
	case varCookieResp:
		e.RespCookie = emptyNil(dashNil(v))
	case varTermState, varTermStateCk:
		e.TermState = v
	case varHdrReq, varHdrResp:
		return n.setHeaders(e, v)
	case varHdrReqList, varHdrRespList:
		n.setHeaderList(e, v)
	case varRequest:
		e.RequestTrunc = st.trunc
		e.RequestLine = e.unescapeHash(v)
		splitRequest(e, e.RequestLine, st.trunc)
	case varMethod:
		e.Method = dashNil(v)
	case varURI:
		if u := dashNil(e.unescapeHash(v)); len(u) > 0 {
			e.URL = u
			splitURL(e, u, e.Method)
		}
	case varPath, varPathOnly:
		if len(e.URLPath) == 0 {
			e.URLPath = dashNil(e.unescapeHash(v))
		}
	case varQuery:
		q := e.unescapeHash(v)
		if len(q) > 0 && q[0] == '?' {
			q = q[1:]
		}
		if len(e.URLQuery) == 0 {
			e.URLQuery = dashNil(q)
		}
	case varVersion:
		if hasPrefix(v, "HTTP/") {
			v = v[len("HTTP/"):]
		}
		e.HTTPVersion = dashNil(v)
	case varUniqueID:
		e.UniqueID = emptyNil(dashNil(v))
	case varHostname:
		if len(e.Hostname) == 0 {
			e.Hostname = emptyNil(dashNil(v))
		}
	case varSSLCipher:
		if string(v) != "(NONE)" {
			e.TLSCipher = emptyNil(dashNil(v))
		}
	case varSSLVersion:
		e.TLSVersion = emptyNil(dashNil(v))
	case varOrigin:
		e.LogOrigin = emptyNil(dashNil(v))
	case varSample:
		return n.setSample(e, v)
	}
	return ""
}

// setNumber reads a timer, counter or port: -1 (and "-") is Unset, a
// leading '+' is logasap (or, on %rc, a redispatch). +X writes hex.
func (n *lfNode) setNumber(e *Entry, v []byte, st *scanState) string {
	var x int64
	plus := false
	if string(v) == "-" {
		x = Unset
	} else {
		if len(v) > 0 && v[0] == '+' {
			plus, v = true, v[1:]
		}
		var ok bool
		if n.flags&flagHex != 0 && n.v != varStatus {
			x, ok = hexNumber(v)
		} else {
			x, ok = atoi64(v)
			ok = ok && len(v) > 0 && v[0] != '+'
		}
		if !ok {
			return "want a number"
		}
		if x < 0 {
			x = Unset
		}
	}
	return n.storeNumber(e, x, plus, st)
}

// storeNumber puts a number read by setNumber (or scan's fast path) in
// its field.
func (n *lfNode) storeNumber(e *Entry, x int64, plus bool, st *scanState) string {
	i := int(x)
	switch n.v {
	case varClientPort, varFrontendPort, varBackendPort, varServerPort:
		if x > 65535 {
			return "want a port"
		}
		switch n.v {
		case varClientPort:
			e.ClientPort = i
		case varFrontendPort:
			e.DestPort = i
		case varBackendPort:
			e.BackendSrcPort = i
		default:
			e.ServerPort = i
		}
	case varTs:
		if x >= 0 && !e.RequestDateOK {
			e.RequestDate, e.RequestDateOK = time.Unix(x, 0).UTC(), true
		}
	case varMs:
		if x > 999 {
			return "want milliseconds (0-999)"
		}
		st.ms = i
	case varTR:
		e.TR = i
	case varTw:
		e.Tw = i
	case varTc:
		e.Tc = i
	case varTr:
		e.Tr = i
	case varTa:
		e.Ta, e.Logasap = i, e.Logasap || plus
	case varTt:
		if n.toTa {
			e.Ta = i
		} else {
			e.Tt = i
		}
		e.Logasap = e.Logasap || plus
	case varTu:
		e.Tu, e.Logasap = i, e.Logasap || plus
	case varTh:
		e.Th = i
	case varTi:
		e.Ti = i
	case varTq:
		e.Tq = i
	case varTd:
		e.Td = i
	case varStatus:
		if x > 999 {
			return "want a status code"
		}
		e.Status = i
	case varBytes:
		e.BytesRead, e.Logasap = x, e.Logasap || plus
	case varBytesUp:
		e.BytesUploaded = x
	case varActConn:
		e.ActConn = i
	case varFeConn:
		e.FeConn = i
	case varBeConn:
		e.BeConn = i
	case varSrvConn:
		e.SrvConn = i
	case varRetries:
		e.Retries, e.Redispatched = i, plus
	case varSrvQueue:
		e.SrvQueue = i
	case varBeQueue:
		e.BackendQueue = i
	case varPID:
		if e.PID == Unset {
			e.PID = i
		}
	case varReqCounter:
		e.ReqCounter = x
	case varLogCounter:
		e.LogCounter = x
	}
	return ""
}

// setAddr reads %ci %fi %bi %si: an IP address, "-" when unknown, or what a
// UNIX or abstract socket writes (no IP then).
func (n *lfNode) setAddr(e *Entry, v []byte) string {
	ip := v
	switch {
	case string(v) == "-" || len(v) == 0:
		ip = nil
	case n.flags&flagHex != 0:
		var ok bool
		if ip, ok = e.hexIP(v); !ok {
			return "want an address in hex"
		}
	case validIP(v):
	case string(v) == "unix" || v[0] == '/' || indexByte(v, '@') >= 0 || hasPrefix(v, "unix:"):
		ip = nil
	default:
		return "want an IP address"
	}
	switch n.v {
	case varClientIP:
		e.ClientIP = ip
		e.ClientAddr = sourceAddr(ip, emptyNil(v))
	case varFrontendIP:
		e.DestIP = ip
	case varBackendIP:
		e.BackendSrcIP = ip
	default:
		e.ServerIP = ip
	}
	return ""
}

// setDate reads %t %tr (dd/Mon/yyyy:hh:mm:ss.mmm in loc) and %T %Tl %trg
// %trl (with a zone). A request date wins over an accept date.
func (n *lfNode) setDate(e *Entry, v []byte, loc *time.Location, st *scanState) string {
	var t time.Time
	var ok bool
	if varTable[n.v].shape == shapeDateZone {
		t, ok = e.clfDate(v, loc)
	} else {
		t, ok = e.haproxyDate(v, loc)
	}
	if !ok {
		t, ok = rfc3339(v) // as a +json line may write it
	}
	if !ok {
		return "want a date"
	}
	req := n.v == varDateReq || n.v == varDateReqGMT || n.v == varDateReqLocal
	if !e.RequestDateOK || req && !st.reqDate {
		e.RequestDate, e.RequestDateOK = t, true
		st.reqDate = req
	}
	return ""
}

// setHeaders reads a "{a|b}" block of captured headers.
func (n *lfNode) setHeaders(e *Entry, v []byte) string {
	if len(v) > 0 && v[0] == '"' {
		v = v[1:]
	}
	if len(v) > 0 && v[len(v)-1] == '"' {
		v = v[:len(v)-1]
	}
	if len(v) == 0 || v[0] != '{' {
		return "want {captured headers}"
	}
	v = v[1:]
	if len(v) > 0 && v[len(v)-1] == '}' {
		v = v[:len(v)-1]
	} else {
		e.RequestTrunc = true
	}
	if n.v == varHdrReq && !e.HasReqHeaders {
		e.HasReqHeaders = true
		e.ReqHeaders = e.splitHeaders(e.ReqHeaders, v)
	} else {
		e.HasRespHeaders = true
		e.RespHeaders = e.splitHeaders(e.RespHeaders, v)
	}
	return ""
}

// setHeaderList reads %hrl / %hsl: "a" "b" with +Q, else one value.
func (n *lfNode) setHeaderList(e *Entry, v []byte) {
	dst := &e.ReqHeaders
	if n.v == varHdrRespList {
		dst = &e.RespHeaders
		e.HasRespHeaders = true
	} else {
		e.HasReqHeaders = true
	}
	if n.flags&flagQuote == 0 {
		*dst = append(*dst, e.unescapeHash(v))
		return
	}
	for len(v) > 0 {
		val, rest, _, ok := quoted(v)
		if !ok {
			*dst = append(*dst, e.unescapeHash(v))
			return
		}
		*dst = append(*dst, e.unescapeHash(val))
		v = skipSpace(rest)
	}
}

// setSample stores a sample fetch: in its ECS field when it has one, else
// in Samples. "-" (and "" with +Q) is a fetch that returned nothing.
func (n *lfNode) setSample(e *Entry, v []byte) string {
	if len(v) == 0 || string(v) == "-" {
		return ""
	}
	switch n.field {
	case sampleNone:
		e.Samples = append(e.Samples, Sample{Name: n.sample, Value: v})
	case sampleJSON:
		e.Samples = append(e.Samples, Sample{Name: n.sample, Value: e.unescapeJSON(v)})
	case sampleSNI:
		e.TLSSNI = v
	case sampleConnErrStr:
		e.ConnError = v
	case sampleSSLErr:
		if !allHex(v) {
			return "want ssl_fc_err in hex"
		}
		e.TLSSSLErr = v
	case sampleProtocol:
		e.TLSVersion = v
	case sampleCipher:
		e.TLSCipher = v
	case sampleSrc:
		if !validIP(v) {
			return "want an IP address"
		}
		e.ClientIP, e.ClientAddr = v, v
	case sampleDst:
		if !validIP(v) {
			return "want an IP address"
		}
		e.DestIP = v
	case sampleUniqueID:
		e.UniqueID = v
	default:
		x, ok := atoi(v)
		if !ok || x < 0 {
			return "want a number"
		}
		switch n.field {
		case sampleConnErr:
			e.TLSConnErr = x
		case sampleClientErr:
			e.TLSClientErr = x
		case sampleClientCAErr:
			e.TLSClientCAErr = x
		case sampleResumed:
			e.TLSResumed = x
		case sampleSrcPort:
			e.ClientPort = x
		case sampleDstPort:
			e.DestPort = x
		}
	}
	return ""
}

// hexNumber reads +X numbers ("%04X").
func hexNumber(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 15 {
		return 0, false
	}
	var x int64
	for _, c := range b {
		h, ok := hexVal(c)
		if !ok {
			return 0, false
		}
		x = x<<4 | int64(h)
	}
	return x, true
}

// hexIP reads a +X address: 8 hex digits for IPv4 ("7F000001"), 32 for
// IPv6, and writes it in the usual notation into the scratch buffer.
func (e *Entry) hexIP(b []byte) ([]byte, bool) {
	if len(b) != 8 && len(b) != 32 {
		return nil, false
	}
	var raw [16]byte
	for i := 0; i < len(b); i += 2 {
		h, ok1 := hexVal(b[i])
		l, ok2 := hexVal(b[i+1])
		if !ok1 || !ok2 {
			return nil, false
		}
		raw[i/2] = h<<4 | l
	}
	start := len(e.scratch)
	if len(b) == 8 {
		for i := 0; i < 4; i++ {
			if i > 0 {
				e.scratch = append(e.scratch, '.')
			}
			e.scratch = appendUint(e.scratch, int(raw[i]))
		}
	} else {
		const digits = "0123456789abcdef"
		for i := 0; i < 16; i += 2 {
			if i > 0 {
				e.scratch = append(e.scratch, ':')
			}
			w := int(raw[i])<<8 | int(raw[i+1])
			started := false
			for shift := 12; shift >= 0; shift -= 4 {
				d := w >> shift & 0xf
				if d != 0 || started || shift == 0 {
					e.scratch = append(e.scratch, digits[d])
					started = true
				}
			}
		}
	}
	return e.scratch[start:len(e.scratch):len(e.scratch)], true
}

func appendUint(b []byte, v int) []byte {
	if v >= 100 {
		b = append(b, byte('0'+v/100))
	}
	if v >= 10 {
		b = append(b, byte('0'+v/10%10))
	}
	return append(b, byte('0'+v%10))
}

// unescapeBackslash undoes +E: '\' before '"', '\' or ']'.
func (e *Entry) unescapeBackslash(b []byte) []byte {
	if indexByte(b, '\\') < 0 {
		return b
	}
	start := len(e.scratch)
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\\' && i+1 < len(b) && (b[i+1] == '"' || b[i+1] == '\\' || b[i+1] == ']') {
			i++
			c = b[i]
		}
		e.scratch = append(e.scratch, c)
	}
	return e.scratch[start:len(e.scratch):len(e.scratch)]
}
