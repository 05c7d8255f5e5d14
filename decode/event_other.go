package decode

// Other messages (haproxy-events.md §9).

// parseCookieBlock reads "X, server Y." after "... from instance ".
func parseCookieBlock(e *Entry, b []byte) bool {
	i := index(b, ", server ")
	if i <= 0 {
		return false
	}
	e.Backend, e.Server = b[:i], evTrimDot(b[i+len(", server "):])
	return evOther(e, msgCookie)
}

func parseSPOE(e *Entry, b []byte) bool {
	if index(b, " failed to create ") >= 0 || index(b, "internal error") >= 0 {
		return evOther(e, msgSPOEErr)
	}
	if i := index(b, " st="); i >= 0 {
		if st, _, ok := evNum(b[i+4:]); ok && st != 0 {
			return evOther(e, msgSPOEStatus)
		}
	}
	return evOther(e, msgSPOE)
}

func parseACME(e *Entry, b []byte) bool {
	switch {
	case index(b, "Aborting") >= 0:
		return evOther(e, msgACMEAborted)
	case index(b, "retrying") >= 0 || index(b, "mismatch") >= 0 || index(b, "Couldn't") >= 0:
		return evOther(e, msgACMERetry)
	}
	return evOther(e, msgACME)
}

// parseNewServer reads the CLI's "'server be/srv' : New server registered.".
func parseNewServer(e *Entry, b []byte) bool {
	if !hasSuffix(b, "New server registered.") {
		return false
	}
	if name := evQuoted(b); len(name) > 7 && hasPrefix(name, "server ") {
		e.Backend, e.Server, _ = evSplitBeSrv(name[7:])
	}
	return evOther(e, msgSrvAdded)
}

// parseStateFileBackend reads "In backend 'X' ..." (a server-state file
// that does not match the configuration).
func parseStateFileBackend(e *Entry, b []byte) bool {
	e.Backend = evQuoted(b[len("In backend "):])
	return true
}

// parseStateFileServer reads "can't find server 'S' in backend 'B'".
func parseStateFileServer(e *Entry, b []byte) bool {
	rest := b[len("can't find server "):]
	e.Server = evQuoted(rest)
	if i := index(rest, "in backend '"); i >= 0 {
		e.Backend = evQuoted(rest[i+len("in backend "):])
	}
	return true
}

// parseOCSP reads "<OCSP-UPDATE> ...": the proxy name is the tag itself.
func parseOCSP(e *Entry, b []byte) bool {
	e.ProxyName = b[:len("<OCSP-UPDATE>")]
	return true
}
