package decode

// Address, FQDN and resolver messages (haproxy-events.md §6).

// parseAddrOld reads "A to B by U." after "be/srv changed its IP from ".
func parseAddrOld(e *Entry, name, b []byte) bool {
	old, nw, rest, ok := changeFromTo(e, name, b)
	if !ok {
		return false
	}
	// 1.6 CLI: "by stats command\n." may arrive without its final line.
	e.OldAddr, e.NewAddr, e.Updater = old, nw, evTrimDot(rest)
	e.Event, e.msg = EventAddressChange, msgAddrChange
	return len(e.Updater) > 0
}

// changeFromTo reads the server's "be/srv" name, then "A to B by " (A and
// B not empty), and returns what follows.
func changeFromTo(e *Entry, name, b []byte) (old, nw, rest []byte, ok bool) {
	if e.Backend, e.Server, ok = evSplitBeSrv(name); !ok {
		return nil, nil, nil, false
	}
	c := cursor{b: b}
	old = c.field()
	c.expect("to ")
	nw = c.field()
	c.expect("by ")
	return old, nw, c.b, c.ok() && len(old) > 0 && len(nw) > 0
}

// parseAddrNew reads the 3.0+ form "IP changed from 'A' to 'B'[, port
// changed from 'P' to 'Q'] by 'U'." (or the port part alone).
func parseAddrNew(e *Entry, name, b []byte) bool {
	var ok bool
	if e.Backend, e.Server, ok = evSplitBeSrv(name); !ok {
		return false
	}
	c := cursor{b: b}
	if c.skip("IP changed from '") {
		e.OldAddr = c.upTo('\'')
		c.expect(" to '")
		e.NewAddr = c.upTo('\'')
		c.skip(", ")
	}
	if c.skip("port changed from '") {
		e.OldPort = c.num()
		c.expect("' to '")
		e.NewPort = c.num()
		c.expect("'")
	}
	c.expect(" by '")
	e.Updater = c.upTo('\'')
	e.Event, e.msg = EventAddressChange, msgAddrChange
	return c.ok()
}

// parseFQDN reads "A to B by 'U'" after "be/srv changed its FQDN from ".
func parseFQDN(e *Entry, name, b []byte) bool {
	old, nw, rest, ok := changeFromTo(e, name, b)
	if !ok {
		return false
	}
	e.OldAddr, e.NewAddr, e.ServerFQDN = old, nw, nw
	if u := evQuoted(rest); u != nil {
		e.Updater = u
	} else {
		e.Updater = evTrimDot(rest)
	}
	e.Event, e.msg = EventAddressChange, msgFQDNChange
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
