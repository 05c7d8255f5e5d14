package decode

import "bytes"

// splitRequest splits an (unescaped) request line, "GET /path?q HTTP/1.1",
// into Method, URL and HTTPVersion, then the URL into its parts. "<BADREQ>"
// and lines without a method are left whole in RequestLine. trunc tells that
// the line lost its end: a partial "HTTP/1" version is then dropped.
func splitRequest(e *Entry, line []byte, trunc bool) {
	if len(line) == 0 || line[0] == '<' {
		return
	}
	sp := indexByte(line, ' ')
	if sp <= 0 || !isMethod(line[:sp]) {
		return
	}
	method, rest := line[:sp], line[sp+1:]
	e.Method = method
	if ls := bytes.LastIndexByte(rest, ' '); ls >= 0 {
		last := rest[ls+1:]
		switch {
		case hasPrefix(last, "HTTP/"):
			if v := last[len("HTTP/"):]; len(v) > 0 && (!trunc || len(v) >= 3) {
				e.HTTPVersion = v
			}
			rest = rest[:ls]
		case trunc && len(last) < len("HTTP/") && string(last) == "HTTP/"[:len(last)]:
			rest = rest[:ls] // "... HTT": the cut fell in the version
		}
	} else if hasPrefix(rest, "HTTP/") && !trunc {
		// "GET HTTP/1.1": no URL at all.
		e.HTTPVersion = rest[len("HTTP/"):]
		return
	}
	if len(rest) == 0 {
		return
	}
	e.URL = rest
	splitURL(e, rest, method)
}

// splitURL fills URLScheme, URLDomain, URLPort, URLPath and URLQuery from
// an origin-form ("/p?q"), absolute ("http://h:8080/p?q", HTTP/2) or
// authority-form ("host:443", CONNECT) URL.
func splitURL(e *Entry, u, method []byte) {
	if len(u) == 0 {
		return
	}
	if u[0] == '/' || u[0] == '*' {
		pathQuery(e, u)
		return
	}
	if i := index(u, "://"); i > 0 && isScheme(u[:i]) {
		e.URLScheme = u[:i]
		rest := u[i+3:]
		end := len(rest)
		for j, c := range rest {
			if c == '/' || c == '?' || c == '#' {
				end = j
				break
			}
		}
		authority(e, rest[:end])
		pathQuery(e, rest[end:])
		return
	}
	if string(method) == "CONNECT" {
		authority(e, u)
		return
	}
	pathQuery(e, u)
}

func pathQuery(e *Entry, u []byte) {
	path, query, found := cutByte(u, '?')
	e.URLPath = emptyNil(path)
	if found {
		e.URLQuery = emptyNil(query)
	}
}

// authority reads "[user@]host[:port]", host being a name, an IPv4 address
// or a bracketed IPv6 address (given without its brackets).
func authority(e *Entry, a []byte) {
	if at := bytes.LastIndexByte(a, '@'); at >= 0 {
		a = a[at+1:]
	}
	host, port := a, []byte(nil)
	if len(a) > 0 && a[0] == '[' {
		if end := indexByte(a, ']'); end > 0 {
			host = a[1:end]
			if rest := a[end+1:]; len(rest) > 0 && rest[0] == ':' {
				port = rest[1:]
			}
		}
	} else if c := bytes.LastIndexByte(a, ':'); c >= 0 && countByte(a, ':') == 1 {
		host, port = a[:c], a[c+1:]
	}
	if len(port) > 0 {
		if p, ok := atoi(port); ok && p >= 0 && p <= 65535 && isDigit(port[0]) {
			e.URLPort = p
		}
	}
	e.URLDomain = emptyNil(host)
}

// isMethod accepts an HTTP token (RFC 9110 tchar).
func isMethod(b []byte) bool {
	for _, c := range b {
		if !tchar[c] {
			return false
		}
	}
	return len(b) > 0
}

// tchar marks the bytes allowed in an HTTP token.
var tchar = func() (t [256]bool) {
	for c := '!'; c < 0x7f; c++ {
		t[c] = true
	}
	for _, c := range "\"(),/:;<=>?@[\\]{}" {
		t[c] = false
	}
	return t
}()

// isScheme accepts ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
func isScheme(b []byte) bool {
	for i, c := range b {
		alpha := c|0x20 >= 'a' && c|0x20 <= 'z'
		if !alpha && (i == 0 || !isDigit(c) && c != '+' && c != '-' && c != '.') {
			return false
		}
	}
	return len(b) > 0
}
