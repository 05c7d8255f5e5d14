package decode

// Proxy messages: lifecycle, limits, SIGHUP dumps (haproxy-events.md §7).

// parseProxy reads what follows "Proxy ".
func parseProxy(e *Entry, b []byte) bool {
	name, rest := field(b)
	if len(name) == 0 {
		return false
	}
	e.ProxyName = name
	c := cursor{b: rest}
	switch {
	case string(rest) == "started.":
		e.Event, e.msg = EventProxyStarted, msgProxyStarted
	case c.skip("stopped (cumulated conns: FE: "): // 2.2+
		e.Event, e.msg = EventProxyStopped, msgProxyStopped
		return stopCounts(e, &c, ", BE: ", ").")
	case c.skip("stopped (FE: "): // 1.5-2.1
		e.Event, e.msg = EventProxyStopped, msgProxyStopped
		return stopCounts(e, &c, " conns, BE: ", " conns).")
	case c.skip("hard-stopped ("):
		e.Event, e.msg = EventProxyHardStopped, msgHardStopped
		e.Remaining = c.num()
		c.expect(" remaining conns")
		return c.ok()
	case c.skip("reached "):
		return parseReached(e, c.b)
	case hasPrefix(rest, "has insufficient permissions"):
		e.Event, e.msg = EventOther, msgPerm
	case hasPrefix(rest, "cannot create a server socket"):
		e.Event, e.msg = EventResourceLimit, msgSockFail
	case hasPrefix(rest, "failed to add or set the "):
		e.Event, e.msg = EventResourceLimit, msgRewrite
	default:
		return false
	}
	return true
}

// stopCounts reads the "N<mid>M<end>" counters of a proxy stop line, in
// either version's wording.
func stopCounts(e *Entry, c *cursor, mid, end string) bool {
	fe := c.num64()
	c.expect(mid)
	be := c.num64()
	c.end(end)
	e.FeTotal, e.BeTotal = fe, be
	return c.ok()
}

// parseReached reads the resource-limit messages after "Proxy X reached ".
func parseReached(e *Entry, b []byte) bool {
	var m message
	switch {
	case hasPrefix(b, "system FD limit"):
		m = msgSysFD
	case hasPrefix(b, "process FD limit"):
		m = msgProcFD
	case hasPrefix(b, "system memory limit"):
		m = msgSysMem
	case hasPrefix(b, "the configured maximum connection limit"):
		m = msgMaxconn
	default:
		return false
	}
	// "(actconn=N)" (3.4+) is the number of active connections; "at N" and
	// "(maxsock=N)" are limits, for which the entry has no field.
	if i := index(b, "(actconn="); i >= 0 {
		if n, _, ok := evNum(b[i+len("(actconn="):]); ok {
			e.ActConn = n
		}
	}
	e.Event, e.msg = EventResourceLimit, m
	return true
}

// parseStopping reads "<cap> X in N ms." (≤2.4) after "Stopping ".
func parseStopping(e *Entry, b []byte) bool {
	i := index(b, " in ")
	if i < 0 {
		return false
	}
	typ, name, ok := evCapName(b[:i])
	if !ok {
		return false
	}
	c := cursor{b: b[i+4:]}
	e.GraceMs = c.num()
	c.end(" ms.")
	e.Event, e.ProxyType, e.ProxyName = EventProxyStopping, typ, name
	e.msg = msgProxyStopping
	return c.ok()
}

// parseSoftStop reads "N ms." after "Scheduling a soft-stop in ".
func parseSoftStop(e *Entry, b []byte) bool {
	c := cursor{b: b}
	e.GraceMs = c.num()
	c.end(" ms.")
	return c.ok()
}

// parsePauseResume reads "<cap> X." after "Paused ", "Pausing ", "Resumed "
// or "Enabling " (the rule gives the event).
func parsePauseResume(e *Entry, b []byte) bool {
	if !hasSuffix(b, ".") {
		return false
	}
	var ok bool
	e.ProxyType, e.ProxyName, ok = evCapName(b[:len(b)-1])
	return ok
}

// parsePauseFailed reads "<cap> X" before " failed to enter pause mode.".
func parsePauseFailed(e *Entry, b []byte) bool {
	typ, name, ok := evCapName(b)
	if !ok {
		return false
	}
	e.ProxyType, e.ProxyName = typ, name
	return evOther(e, msgPauseFailed)
}

// parsePortBusy reads "N busy while trying to enable <cap> X." after
// "Port " or "Bind on socket ".
func parsePortBusy(e *Entry, b []byte) bool {
	c := cursor{b: b}
	c.num()
	c.expect(" busy while trying to enable ")
	if !c.ok() || !hasSuffix(c.b, ".") {
		return false
	}
	var ok bool
	if e.ProxyType, e.ProxyName, ok = evCapName(c.b[:len(c.b)-1]); !ok {
		return false
	}
	return evOther(e, msgResumeFailed)
}

// parseQUICPerm reads the proxy's name after "Permission error on QUIC
// socket binding for proxy ".
func parseQUICPerm(e *Entry, b []byte) bool {
	name, _ := field(b)
	e.ProxyName = evTrimDot(name)
	return true
}

// parseNoServer reads "backend X" / "proxy X" / "backend 'X'" (§7.1).
func parseNoServer(e *Entry, b []byte) bool {
	typ, name, ok := evCapName(b)
	if !ok {
		return false
	}
	if len(name) >= 2 && name[0] == '\'' && name[len(name)-1] == '\'' {
		name = name[1 : len(name)-1]
	}
	if len(name) == 0 {
		return false
	}
	e.Event, e.ProxyType, e.ProxyName, e.Backend = EventBackendNoServer, typ, name, name
	return true
}

// parseSighup reads the SIGHUP state dump (§7.2).
func parseSighup(e *Entry, b []byte) bool {
	e.Event, e.msg = EventOther, msgSighup
	c := cursor{b: b}
	switch {
	case c.skip("SIGHUP received, dumping servers states"):
		if c.skip(" for proxy ") {
			e.ProxyName = evTrimDot(c.b)
		}
		return true
	case c.skip("SIGHUP: Server "):
		return sighupServer(e, c.b)
	case c.skip("SIGHUP: Proxy "):
		return sighupProxy(e, c.b)
	}
	return false
}

// sighupServer reads "be/srv is STATE. Conn: N act, M pend, ..." after
// "SIGHUP: Server ".
func sighupServer(e *Entry, b []byte) bool {
	name, rest := field(b)
	var ok bool
	if e.Backend, e.Server, ok = evSplitBeSrv(name); !ok {
		return false
	}
	c := cursor{b: rest}
	c.expect("is ")
	if !c.ok() {
		return false
	}
	st, rest := field(c.b)
	e.ServerState = evTrimDot(st)
	c = cursor{b: rest}
	if c.skip("Conn: ") {
		if n := c.num(); c.ok() {
			e.SessActive = n
			c.expect(" act, ")
			if q := c.num(); c.ok() {
				e.SessQueued = q
			}
		}
	}
	return true
}

// sighupProxy reads "X has N active servers and M backup servers ...",
// "X has no servers.", "X is running on backup servers" or "X has no server
// available" after "SIGHUP: Proxy ", with the connection counts that follow.
func sighupProxy(e *Entry, b []byte) bool {
	name, rest := field(b)
	e.ProxyName, e.Backend = name, name
	c := cursor{b: rest}
	switch {
	case hasPrefix(rest, "has no servers."):
	case hasPrefix(rest, "is running on backup servers"):
		e.RunningOnBackup = true
		e.msg = msgSighupBackup
	case hasPrefix(rest, "has no server available"):
		e.msg = msgSighupNoSrv
	case c.skip("has "):
		a := c.num()
		c.expect(" active servers and ")
		bk := c.num()
		if !c.ok() {
			return false
		}
		e.ActiveServers, e.BackupServers = a, bk
	default:
		return false
	}
	if fe, be, ok := plusPair(rest, "act(FE+BE): "); ok {
		e.FeConn, e.BeConn = int(fe), int(be)
	}
	if fe, be, ok := plusPair(rest, "tot(FE+BE): "); ok {
		e.FeTotal, e.BeTotal = fe, be
	}
	return true
}

// plusPair reads "N+M" after key in b.
func plusPair(b []byte, key string) (x, y int64, ok bool) {
	i := index(b, key)
	if i < 0 {
		return 0, 0, false
	}
	c := cursor{b: b[i+len(key):]}
	x = c.num64()
	c.expect("+")
	y = c.num64()
	return x, y, c.ok()
}

// parseConnectFailed reads "X: msg." after "Connect() failed for backend ".
func parseConnectFailed(e *Entry, b []byte) bool {
	i := index(b, ": ")
	if i <= 0 {
		return false
	}
	e.ProxyName, e.Backend = b[:i], b[:i]
	msg := evTrimDot(b[i+2:])
	e.ConnError = msg
	e.Event = EventResourceLimit
	if hasPrefix(msg, "no free ports") {
		e.msg = msgNoPorts
	} else {
		e.msg = msgBindSrc
	}
	return true
}

// backendLimit reads the backend's name after "Cannot bind to ... for
// backend " (the rule gives the message).
func backendLimit(e *Entry, name []byte) bool {
	name = evTrimDot(name)
	if len(name) == 0 {
		return false
	}
	e.ProxyName, e.Backend = name, name
	e.Event = EventResourceLimit
	return true
}
