package decode

// Proxy messages: lifecycle, limits, SIGHUP dumps (haproxy-events.md §7).

// parseProxy reads what follows "Proxy ".
func parseProxy(e *Entry, b []byte) bool {
	name, rest := field(b)
	if len(name) == 0 {
		return false
	}
	e.ProxyName = name
	switch {
	case string(rest) == "started.":
		e.Event = EventProxyStarted
		e.msg = msgProxyStarted
		return true
	case hasPrefix(rest, "stopped (cumulated conns: FE: "): // 2.2+
		if !stopCounts(e, rest[len("stopped (cumulated conns: FE: "):], ", BE: ", ").") {
			return false
		}
	case hasPrefix(rest, "stopped (FE: "): // 1.5-2.1
		if !stopCounts(e, rest[len("stopped (FE: "):], " conns, BE: ", " conns).") {
			return false
		}
	case hasPrefix(rest, "hard-stopped ("):
		n, r, ok := evNum(rest[len("hard-stopped ("):])
		if !ok || !hasPrefix(r, " remaining conns") {
			return false
		}
		e.Event, e.Remaining = EventProxyHardStopped, n
		e.msg = msgHardStopped
		return true
	case hasPrefix(rest, "reached "):
		return parseReached(e, rest[len("reached "):])
	case hasPrefix(rest, "has insufficient permissions"):
		return evOther(e, msgPerm)
	case hasPrefix(rest, "cannot create a server socket"):
		e.Event = EventResourceLimit
		e.msg = msgSockFail
		return true
	case hasPrefix(rest, "failed to add or set the "):
		e.Event = EventResourceLimit
		e.msg = msgRewrite
		return true
	default:
		return false
	}
	e.Event = EventProxyStopped
	e.msg = msgProxyStopped
	return true
}

// stopCounts reads the "N<mid>M<end>" counters of a proxy stop line, in
// either version's wording.
func stopCounts(e *Entry, b []byte, mid, end string) bool {
	fe, r, ok := evNum64(b)
	if !ok {
		return false
	}
	if r, ok = evExpect(r, mid); !ok {
		return false
	}
	be, r, ok := evNum64(r)
	if !ok || string(r) != end {
		return false
	}
	e.FeTotal, e.BeTotal = fe, be
	return true
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
	e.Event = EventResourceLimit
	e.msg = m
	return true
}

// parseStopping reads "<cap> X in N ms." (≤2.4).
func parseStopping(e *Entry, b []byte) bool {
	i := index(b, " in ")
	if i < 0 {
		return false
	}
	typ, name, ok := evCapName(b[:i])
	if !ok {
		return false
	}
	n, rest, ok := evNum(b[i+4:])
	if !ok || string(rest) != " ms." {
		return false
	}
	e.Event, e.ProxyType, e.ProxyName, e.GraceMs = EventProxyStopping, typ, name, n
	e.msg = msgProxyStopping
	return true
}

// parsePauseResume reads "Paused|Pausing|Resumed|Enabling <cap> X.".
func parsePauseResume(e *Entry, b []byte, k EventKind, m message) bool {
	_, b = field(b)
	if !hasSuffix(b, ".") {
		return false
	}
	typ, name, ok := evCapName(b[:len(b)-1])
	if !ok {
		return false
	}
	e.Event, e.ProxyType, e.ProxyName = k, typ, name
	e.msg = m
	return true
}

// parsePortBusy reads "N busy while trying to enable <cap> X." after
// "Port " or "Bind on socket ".
func parsePortBusy(e *Entry, b []byte) bool {
	_, b, ok := evNum(b)
	if !ok {
		return false
	}
	if b, ok = evExpect(b, " busy while trying to enable "); !ok || !hasSuffix(b, ".") {
		return false
	}
	if e.ProxyType, e.ProxyName, ok = evCapName(b[:len(b)-1]); !ok {
		return false
	}
	return evOther(e, msgResumeFailed)
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
	e.Event = EventOther
	e.msg = msgSighup
	if rest, ok := evExpect(b, "SIGHUP received, dumping servers states"); ok {
		if rest, ok = evExpect(rest, " for proxy "); ok {
			e.ProxyName = evTrimDot(rest)
		}
		return true
	}
	if rest, ok := evExpect(b, "SIGHUP: Server "); ok {
		name, rest := field(rest)
		var ok bool
		if e.Backend, e.Server, ok = evSplitBeSrv(name); !ok {
			return false
		}
		if rest, ok = evExpect(rest, "is "); !ok {
			return false
		}
		st, rest := field(rest)
		e.ServerState = evTrimDot(st)
		if rest, ok = evExpect(rest, "Conn: "); ok {
			if n, r, ok := evNum(rest); ok {
				e.SessActive = n
				if r, ok = evExpect(r, " act, "); ok {
					if n, _, ok = evNum(r); ok {
						e.SessQueued = n
					}
				}
			}
		}
		return true
	}
	rest, ok := evExpect(b, "SIGHUP: Proxy ")
	if !ok {
		return false
	}
	name, rest := field(rest)
	e.ProxyName, e.Backend = name, name
	switch {
	case hasPrefix(rest, "has no servers."):
	case hasPrefix(rest, "is running on backup servers"):
		e.RunningOnBackup = true
		e.msg = msgSighupBackup
	case hasPrefix(rest, "has no server available"):
		e.msg = msgSighupNoSrv
	case hasPrefix(rest, "has "):
		a, r, ok := evNum(rest[4:])
		if !ok {
			return false
		}
		if r, ok = evExpect(r, " active servers and "); !ok {
			return false
		}
		bk, _, ok := evNum(r)
		if !ok {
			return false
		}
		e.ActiveServers, e.BackupServers = a, bk
	default:
		return false
	}
	if i := index(rest, "act(FE+BE): "); i >= 0 {
		if fe, r, ok := evNum(rest[i+len("act(FE+BE): "):]); ok && len(r) > 0 && r[0] == '+' {
			if be, _, ok := evNum(r[1:]); ok {
				e.FeConn, e.BeConn = fe, be
			}
		}
	}
	if i := index(rest, "tot(FE+BE): "); i >= 0 {
		if fe, r, ok := evNum64(rest[i+len("tot(FE+BE): "):]); ok && len(r) > 0 && r[0] == '+' {
			if be, _, ok := evNum64(r[1:]); ok {
				e.FeTotal, e.BeTotal = fe, be
			}
		}
	}
	return true
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

func backendLimit(e *Entry, name []byte, m message) bool {
	name = evTrimDot(name)
	if len(name) == 0 {
		return false
	}
	e.ProxyName, e.Backend = name, name
	e.Event = EventResourceLimit
	e.msg = m
	return true
}
