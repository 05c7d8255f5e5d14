package decode

// Address, FQDN and resolver messages (haproxy-events.md §6).

// parseAddrOld reads "A to B by U." after "be/srv changed its IP from ".
func parseAddrOld(e *Entry, name, b []byte) bool {
	var ok bool
	if e.Backend, e.Server, ok = evSplitBeSrv(name); !ok {
		return false
	}
	old, b := field(b)
	if b, ok = evExpect(b, "to "); !ok {
		return false
	}
	nw, b := field(b)
	if b, ok = evExpect(b, "by "); !ok || len(old) == 0 || len(nw) == 0 {
		return false
	}
	// 1.6 CLI: "by stats command\n." may arrive without its final line.
	e.OldAddr, e.NewAddr, e.Updater = old, nw, evTrimDot(b)
	e.Event = EventAddressChange
	e.msg = msgAddrChange
	return len(e.Updater) > 0
}

// parseAddrNew reads the 3.0+ form "IP changed from 'A' to 'B'[, port
// changed from 'P' to 'Q'] by 'U'." (or the port part alone).
func parseAddrNew(e *Entry, name, b []byte) bool {
	var ok bool
	if e.Backend, e.Server, ok = evSplitBeSrv(name); !ok {
		return false
	}
	if rest, ok := evExpect(b, "IP changed from '"); ok {
		q := indexByte(rest, '\'')
		if q < 0 {
			return false
		}
		e.OldAddr, rest = rest[:q], rest[q+1:]
		if rest, ok = evExpect(rest, " to '"); !ok {
			return false
		}
		if q = indexByte(rest, '\''); q < 0 {
			return false
		}
		e.NewAddr, b = rest[:q], rest[q+1:]
		b, _ = evExpect(b, ", ")
	}
	if rest, ok := evExpect(b, "port changed from '"); ok {
		p, rest, ok := evNum(rest)
		if !ok {
			return false
		}
		if rest, ok = evExpect(rest, "' to '"); !ok {
			return false
		}
		q, rest, ok := evNum(rest)
		if !ok {
			return false
		}
		if rest, ok = evExpect(rest, "'"); !ok {
			return false
		}
		e.OldPort, e.NewPort, b = p, q, rest
	}
	b, ok = evExpect(b, " by '")
	if !ok {
		return false
	}
	q := indexByte(b, '\'')
	if q < 0 {
		return false
	}
	e.Updater = b[:q]
	e.Event = EventAddressChange
	e.msg = msgAddrChange
	return true
}

// parseFQDN reads "A to B by 'U'" after "be/srv changed its FQDN from ".
func parseFQDN(e *Entry, name, b []byte) bool {
	var ok bool
	if e.Backend, e.Server, ok = evSplitBeSrv(name); !ok {
		return false
	}
	old, b := field(b)
	if b, ok = evExpect(b, "to "); !ok {
		return false
	}
	nw, b := field(b)
	if b, ok = evExpect(b, "by "); !ok || len(old) == 0 || len(nw) == 0 {
		return false
	}
	e.OldAddr, e.NewAddr, e.ServerFQDN = old, nw, nw
	if u := evQuoted(b); u != nil {
		e.Updater = u
	} else {
		e.Updater = evTrimDot(b)
	}
	e.Event = EventAddressChange
	e.msg = msgFQDNChange
	return true
}

// parseResolverQuery reads "be/srv, in resolvers R." (1.6–1.7) or
// "<hostname_dn>, in resolvers R." (1.8+).
func parseResolverQuery(e *Entry, b []byte) bool {
	i := index(b, ", in resolvers ")
	if i < 0 {
		return false
	}
	if be, srv, ok := evSplitBeSrv(b[:i]); ok && indexByte(b[:i], ' ') < 0 {
		e.Backend, e.Server = be, srv
	}
	return evOther(e, msgResolver)
}
