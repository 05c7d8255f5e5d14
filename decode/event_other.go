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
