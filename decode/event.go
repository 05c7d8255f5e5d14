package decode

// Operational messages (haproxy-events.md §3–§9). Everything here works on
// the bytes of the line: no regexp, no allocation, and every index is
// checked, so a truncated or garbled line fails cleanly.

// Words that do not occur in the line they describe. Full slice expressions
// so that nobody can append into them.
var (
	wordMAINT = []byte("MAINT")[:5:5]
	wordDRAIN = []byte("DRAIN")[:5:5]
	wordREADY = []byte("READY")[:5:5]
	wordDNS   = []byte("valid DNS answer")[:16:16]
)

// parseEvent reads an operational message. It returns nil on success, or
// errNotEvent.
func parseEvent(e *Entry, b []byte) *ParseError {
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
	return nil
}

// clearEvent undoes what a failed attempt may have filled. The event
// reader only runs on a line that did not start like a traffic log, so the
// Traffic part was blank before it.
func (e *Entry) clearEvent() {
	e.resetTraffic()
	e.Operational = blankOperational
	e.Explanation = Explanation{}
}

// eventRule is one row of the message table: a message that starts with
// prefix is read by read, given the whole message (whole) or what follows
// the prefix. kind and msg, when set, are the event's before read runs (a
// row without read is a message known by its prefix alone). When read
// refuses the line, the next rules and the shapes are tried if orElse is
// set (the master-worker lines share their first words with others);
// otherwise the line is not an event we know.
type eventRule struct {
	prefix string
	kind   EventKind
	msg    message
	read   func(e *Entry, b []byte) bool
	whole  bool
	orElse bool
}

// eventRuleList is the message table, in the order the rules are tried
// among those starting with the same byte.
var eventRuleList = [...]eventRule{
	// §3 checks, §4-5 servers
	{prefix: "Health check for ", read: parseCheck, whole: true},
	{prefix: "Agent check for ", read: parseCheck, whole: true},
	{prefix: "Backup Server ", read: parseServer, whole: true},
	{prefix: "Server ", read: parseServer, whole: true},
	{prefix: "'", read: parseNewServer, whole: true, orElse: true},

	// §7 proxies
	{prefix: "Proxy ", read: parseProxy},
	{prefix: "Paused ", kind: EventProxyPaused, msg: msgPaused, read: parsePauseResume},
	{prefix: "Pausing ", kind: EventProxyPaused, msg: msgPaused, read: parsePauseResume},
	{prefix: "Resumed ", kind: EventProxyResumed, msg: msgResumed, read: parsePauseResume},
	{prefix: "Enabling ", kind: EventProxyResumed, msg: msgResumed, read: parsePauseResume},
	{prefix: "Stopping ", read: parseStopping},
	{prefix: "Port ", read: parsePortBusy},
	{prefix: "Bind on socket ", read: parsePortBusy},
	{prefix: "Some proxies refused to pause", kind: EventOther, msg: msgRefusedPause},
	{prefix: "Some proxies refused to resume", kind: EventOther, msg: msgRefusedResume},
	{prefix: "SIGHUP", read: parseSighup, whole: true},
	{prefix: "Scheduling a soft-stop in ", kind: EventSoftStop, msg: msgSoftStop, read: parseSoftStop},
	{prefix: "Grace period expired", kind: EventSoftStop, msg: msgGraceExpired},
	{prefix: "soft-stop running for too long", kind: EventHardStop, msg: msgHardStop},
	{prefix: "Some tasks resisted to hard-stop", kind: EventHardStop, msg: msgHardStopLeft},
	{prefix: "Permission error on QUIC socket binding for proxy ", kind: EventOther, msg: msgPerm, read: parseQUICPerm},

	// §7 resources
	{prefix: "Connect() failed for backend ", read: parseConnectFailed},
	{prefix: "Cannot bind to source address before connect() for backend ", msg: msgBindSrc, read: backendLimit},
	{prefix: "Cannot bind to tproxy source address before connect() for backend ", msg: msgBindSrc, read: backendLimit},
	{prefix: "Cannot set client socket", kind: EventOther, msg: msgSockFail},
	{prefix: "socket(): not enough free sockets", kind: EventResourceLimit, msg: msgSockFail},
	{prefix: "haproxy: openssl returns too many async fds", kind: EventResourceLimit, msg: msgAsyncFDs},

	// §8 master-worker
	{prefix: "New worker ", kind: EventWorker, msg: msgWorkerNew, read: parseNewWorker, orElse: true},
	{prefix: "Initializing new worker ", kind: EventWorker, msg: msgWorkerNew, read: parseInitWorker, orElse: true},
	{prefix: "New program ", kind: EventWorker, read: parseNewProgram, orElse: true},
	{prefix: "Loading success.", kind: EventWorker, msg: msgLoadOK, orElse: true},
	{prefix: "Loading failure!", kind: EventWorker, msg: msgLoadFail, orElse: true},
	{prefix: "Failed to load worker!", kind: EventWorker, msg: msgLoadFail, read: nothingMore, orElse: true},
	{prefix: "Failed to load worker ", kind: EventWorker, msg: msgLoadFail, read: parseLoadFailed, orElse: true},
	{prefix: "Failed to reexecute the master process", kind: EventWorker, msg: msgReexecFail, orElse: true},
	{prefix: "Current worker ", kind: EventWorker, read: parseWorkerExit, orElse: true},
	{prefix: "Former worker ", kind: EventWorker, read: parseFormerExit, orElse: true},
	{prefix: "Worker ", kind: EventWorker, read: parseWorkerExit, orElse: true},
	{prefix: "Process ", kind: EventWorker, read: parseWorkerExit},
	{prefix: "Current program ", kind: EventWorker, read: parseProgramExit, orElse: true},
	{prefix: "Former program ", kind: EventWorker, read: parseFormerProgramExit, orElse: true},
	{prefix: "All workers", kind: EventWorker, read: parseAllExited, whole: true},
	{prefix: "A worker process unexpectedly died", kind: EventWorker, msg: msgWorkerDied},
	{prefix: "Please check that you are running", kind: EventWorker, msg: msgWorkerDied},
	{prefix: "Reexecuting Master process", kind: EventWorker, msg: msgReload},
	{prefix: "Reloading HAProxy", kind: EventWorker, msg: msgReload},
	{prefix: "Exiting Master process", kind: EventWorker, msg: msgMasterExit},
	{prefix: "exit-on-failure: ", kind: EventWorker, msg: msgExitOnFailure},
	{prefix: "HAProxy version ", kind: EventWorker, msg: msgBanner},
	{prefix: "haproxy version is ", kind: EventWorker, msg: msgBanner},
	{prefix: "path to executable is ", kind: EventWorker, msg: msgBanner},

	// §6 resolvers, §9 others
	{prefix: "DNS : ", kind: EventOther, msg: msgResolver},
	{prefix: "could not generate a query id for ", read: parseResolverQuery},
	{prefix: "can not build the query message for ", read: parseResolverQuery},
	{prefix: "In backend '", kind: EventOther, msg: msgStateFile, read: parseStateFileBackend, whole: true},
	{prefix: "can't find server '", kind: EventOther, msg: msgStateFile, read: parseStateFileServer, whole: true},
	{prefix: "backend ID mismatch", kind: EventOther, msg: msgStateFile},
	{prefix: "backend name mismatch", kind: EventOther, msg: msgStateFile},
	{prefix: "Blocking cacheable cookie in response from instance ", read: parseCookieBlock},
	{prefix: "SPOE: ", read: parseSPOE, whole: true},
	{prefix: "acme: ", read: parseACME, whole: true},
	{prefix: "<OCSP-UPDATE> ", kind: EventOther, msg: msgOCSP, read: parseOCSP, whole: true},
	{prefix: "Lua ", kind: EventOther, msg: msgLua},
	{prefix: "Internal error: ", kind: EventOther, msg: msgInternal},
	{prefix: "Vars: ", kind: EventOther, msg: msgInternal},
	{prefix: "stick table: ", kind: EventOther, msg: msgInternal},
	{prefix: "A bogus ", kind: EventOther, msg: msgSpinning},
	{prefix: "Applet '", kind: EventOther, msg: msgDeprecated},
	{prefix: "preconnect ", kind: EventOther, msg: msgReverse},
}

// eventRules indexes the table by the prefix's first byte.
var eventRules = func() (t [256][]eventRule) {
	for _, r := range eventRuleList {
		t[r.prefix[0]] = append(t[r.prefix[0]], r)
	}
	return t
}()

// eventText reads the message b: by the table of prefixes, else by its
// shape.
func eventText(e *Entry, b []byte) bool {
	rules := eventRules[b[0]]
	for i := range rules {
		r := &rules[i]
		if !hasPrefix(b, r.prefix) {
			continue
		}
		if r.kind != EventNone {
			e.Event = r.kind
		}
		e.msg = r.msg
		if r.read == nil {
			return true
		}
		arg := b[len(r.prefix):]
		if r.whole {
			arg = b
		}
		if r.read(e, arg) {
			return true
		}
		if !r.orElse {
			return false
		}
		e.clearEvent()
	}
	return eventShape(e, b)
}

// eventShape reads the messages recognised by their end or their middle.
func eventShape(e *Entry, b []byte) bool {
	switch {
	case hasSuffix(b, " has no server available!"):
		return parseNoServer(e, b[:len(b)-len(" has no server available!")])
	case hasSuffix(b, " failed to enter pause mode."):
		return parsePauseFailed(e, b[:len(b)-len(" failed to enter pause mode.")])
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

// nothingMore accepts a message that is its rule's prefix and nothing else.
func nothingMore(_ *Entry, rest []byte) bool { return len(rest) == 0 }

func evOther(e *Entry, m message) bool {
	e.Event = EventOther
	e.msg = m
	return true
}
