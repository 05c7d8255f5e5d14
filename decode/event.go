package decode

// Operational messages (haproxy-events.md §3–§9). Everything here works on
// the bytes of the line: no regexp, no allocation, and every index is
// checked, so a truncated or garbled line fails cleanly.

const errNotEvent = "not an HAProxy log line"

// Words that do not occur in the line they describe. Full slice expressions
// so that nobody can append into them.
var (
	wordMAINT = []byte("MAINT")[:5:5]
	wordDRAIN = []byte("DRAIN")[:5:5]
	wordREADY = []byte("READY")[:5:5]
	wordDNS   = []byte("valid DNS answer")[:16:16]
)

// parseEvent reads an operational message. It returns "" on success or a
// message saying why the line is not one we know.
func parseEvent(e *Entry, b []byte) string {
	b = trimRightSpace(b)
	// stderr (2.4+) may insert a context after the prefix.
	config := false
	for {
		switch {
		case hasPrefix(b, "CLI : "):
			b = b[6:]
			continue
		case hasPrefix(b, "config : "):
			b, config = b[9:], true
			continue
		case hasPrefix(b, "parsing ["):
			if i := index(b, "] : "); i > 0 {
				b, config = b[i+4:], true
				continue
			}
		}
		break
	}
	if len(b) == 0 {
		return errNotEvent
	}
	if !eventText(e, b) {
		e.clearEvent()
		if !config {
			return errNotEvent
		}
		e.Event = EventOther
		e.msg = msgConfig
	}
	e.Type = LogEvent
	return ""
}

// clearEvent undoes what a failed attempt may have filled. The event
// reader only runs on a line that did not start like a traffic log, so the
// Traffic part was blank before it.
func (e *Entry) clearEvent() {
	e.resetTraffic()
	e.Operational = blankOperational
	e.Explanation = Explanation{}
}

// eventText dispatches on the first bytes of the message.
func eventText(e *Entry, b []byte) bool {
	switch b[0] {
	case 'H':
		if hasPrefix(b, "Health check for ") {
			return parseCheck(e, b)
		}
		if hasPrefix(b, "HAProxy version ") {
			return evWorker(e, msgBanner)
		}
	case 'A':
		if hasPrefix(b, "Agent check for ") {
			return parseCheck(e, b)
		}
		if hasPrefix(b, "A bogus ") {
			return evOther(e, msgSpinning)
		}
		if hasPrefix(b, "Applet '") {
			return evOther(e, msgDeprecated)
		}
		if hasPrefix(b, "A worker process unexpectedly died") {
			return evWorker(e, msgWorkerDied)
		}
		if hasPrefix(b, "All workers") {
			return parseWorker(e, b)
		}
	case 'B':
		if hasPrefix(b, "Backup Server ") {
			return parseServer(e, b)
		}
		if hasPrefix(b, "Blocking cacheable cookie in response from instance ") {
			return parseCookieBlock(e, b[len("Blocking cacheable cookie in response from instance "):])
		}
		if hasPrefix(b, "Bind on socket ") {
			return parsePortBusy(e, b[len("Bind on socket "):])
		}
	case 'S':
		switch {
		case hasPrefix(b, "Server "):
			return parseServer(e, b)
		case hasPrefix(b, "SIGHUP"):
			return parseSighup(e, b)
		case hasPrefix(b, "Stopping "):
			return parseStopping(e, b[len("Stopping "):])
		case hasPrefix(b, "Scheduling a soft-stop in "):
			n, rest, ok := evNum(b[len("Scheduling a soft-stop in "):])
			if !ok || string(rest) != " ms." {
				return false
			}
			e.Event, e.GraceMs = EventSoftStop, n
			e.msg = msgSoftStop
			return true
		case hasPrefix(b, "Some tasks resisted to hard-stop"):
			e.Event = EventHardStop
			e.msg = msgHardStopLeft
			return true
		case hasPrefix(b, "Some proxies refused to pause"):
			return evOther(e, msgRefusedPause)
		case hasPrefix(b, "Some proxies refused to resume"):
			return evOther(e, msgRefusedResume)
		case hasPrefix(b, "SPOE: "):
			return parseSPOE(e, b)
		}
	case 'P':
		switch {
		case hasPrefix(b, "Proxy "):
			return parseProxy(e, b[6:])
		case hasPrefix(b, "Paused "), hasPrefix(b, "Pausing "):
			return parsePauseResume(e, b, EventProxyPaused, msgPaused)
		case hasPrefix(b, "Port "):
			return parsePortBusy(e, b[5:])
		case hasPrefix(b, "Process "):
			return parseWorker(e, b)
		case hasPrefix(b, "Please check that you are running"):
			return evWorker(e, msgWorkerDied)
		case hasPrefix(b, "Permission error on QUIC socket binding for proxy "):
			name, _ := field(b[len("Permission error on QUIC socket binding for proxy "):])
			e.ProxyName = evTrimDot(name)
			return evOther(e, msgPerm)
		}
	case 'R':
		switch {
		case hasPrefix(b, "Resumed "):
			return parsePauseResume(e, b, EventProxyResumed, msgResumed)
		case hasPrefix(b, "Reexecuting Master process"), hasPrefix(b, "Reloading HAProxy"):
			return evWorker(e, msgReload)
		}
	case 'E':
		switch {
		case hasPrefix(b, "Enabling "):
			return parsePauseResume(e, b, EventProxyResumed, msgResumed)
		case hasPrefix(b, "Exiting Master process"):
			return evWorker(e, msgMasterExit)
		}
	case 'G':
		if hasPrefix(b, "Grace period expired") {
			e.Event = EventSoftStop
			e.msg = msgGraceExpired
			return true
		}
	case 'N', 'I', 'L', 'F', 'C', 'W':
		if parseWorker(e, b) {
			return true
		}
		e.clearEvent()
		switch {
		case hasPrefix(b, "Lua "):
			return evOther(e, msgLua)
		case hasPrefix(b, "Internal error: "):
			return evOther(e, msgInternal)
		case hasPrefix(b, "In backend '"):
			e.Backend = evQuoted(b[len("In backend "):])
			return evOther(e, msgStateFile)
		case hasPrefix(b, "Connect() failed for backend "):
			return parseConnectFailed(e, b[len("Connect() failed for backend "):])
		case hasPrefix(b, "Cannot bind to source address before connect() for backend "):
			return backendLimit(e, b[len("Cannot bind to source address before connect() for backend "):], msgBindSrc)
		case hasPrefix(b, "Cannot bind to tproxy source address before connect() for backend "):
			return backendLimit(e, b[len("Cannot bind to tproxy source address before connect() for backend "):], msgBindSrc)
		case hasPrefix(b, "Cannot set client socket"):
			return evOther(e, msgSockFail)
		}
	case 'V':
		if hasPrefix(b, "Vars: ") {
			return evOther(e, msgInternal)
		}
	case 'D':
		if hasPrefix(b, "DNS : ") {
			return evOther(e, msgResolver)
		}
	case 'c':
		switch {
		case hasPrefix(b, "could not generate a query id for "):
			return parseResolverQuery(e, b[len("could not generate a query id for "):])
		case hasPrefix(b, "can not build the query message for "):
			return parseResolverQuery(e, b[len("can not build the query message for "):])
		case hasPrefix(b, "can't find server '"):
			rest := b[len("can't find server "):]
			e.Server = evQuoted(rest)
			if i := index(rest, "in backend '"); i >= 0 {
				e.Backend = evQuoted(rest[i+len("in backend "):])
			}
			return evOther(e, msgStateFile)
		}
	case 'b':
		if hasPrefix(b, "backend ID mismatch") || hasPrefix(b, "backend name mismatch") {
			return evOther(e, msgStateFile)
		}
	case 'e':
		if hasPrefix(b, "exit-on-failure: ") {
			return evWorker(e, msgExitOnFailure)
		}
	case 'h':
		switch {
		case hasPrefix(b, "haproxy version is "):
			return evWorker(e, msgBanner)
		case hasPrefix(b, "haproxy: openssl returns too many async fds"):
			e.Event = EventResourceLimit
			e.msg = msgAsyncFDs
			return true
		}
	case 'p':
		switch {
		case hasPrefix(b, "path to executable is "):
			return evWorker(e, msgBanner)
		case hasPrefix(b, "preconnect "):
			return evOther(e, msgReverse)
		}
	case 's':
		switch {
		case hasPrefix(b, "soft-stop running for too long"):
			e.Event = EventHardStop
			e.msg = msgHardStop
			return true
		case hasPrefix(b, "stick table: "):
			return evOther(e, msgInternal)
		case hasPrefix(b, "socket(): not enough free sockets"):
			e.Event = EventResourceLimit
			e.msg = msgSockFail
			return true
		}
	case 'a':
		if hasPrefix(b, "acme: ") {
			return parseACME(e, b)
		}
	case '<':
		if hasPrefix(b, "<OCSP-UPDATE> ") {
			e.ProxyName = b[:13]
			return evOther(e, msgOCSP)
		}
	case '\'':
		// CLI: 'server be/srv' : New server registered.
		if hasSuffix(b, "New server registered.") {
			if name := evQuoted(b); len(name) > 7 && hasPrefix(name, "server ") {
				e.Backend, e.Server, _ = evSplitBeSrv(name[7:])
			}
			return evOther(e, msgSrvAdded)
		}
	}
	// Shapes recognised by their end or middle.
	switch {
	case hasSuffix(b, " has no server available!"):
		return parseNoServer(e, b[:len(b)-len(" has no server available!")])
	case hasSuffix(b, " failed to enter pause mode."):
		typ, name, ok := evCapName(b[:len(b)-len(" failed to enter pause mode.")])
		if !ok {
			return false
		}
		e.ProxyType, e.ProxyName = typ, name
		return evOther(e, msgPauseFailed)
	}
	if i := index(b, " changed its IP from "); i > 0 {
		return parseAddrOld(e, b[:i], b[i+len(" changed its IP from "):])
	}
	if i := index(b, ": IP changed from "); i > 0 {
		return parseAddrNew(e, b[:i], b[i+2:])
	}
	if i := index(b, ": port changed from "); i > 0 {
		return parseAddrNew(e, b[:i], b[i+2:])
	}
	if i := index(b, " changed its FQDN from "); i > 0 {
		return parseFQDN(e, b[:i], b[i+len(" changed its FQDN from "):])
	}
	if index(b, "] <OCSP-UPDATE> ") > 0 {
		return evOther(e, msgOCSP)
	}
	return false
}

func evOther(e *Entry, m message) bool {
	e.Event = EventOther
	e.msg = m
	return true
}

func evWorker(e *Entry, m message) bool {
	e.Event = EventWorker
	e.msg = m
	return true
}
