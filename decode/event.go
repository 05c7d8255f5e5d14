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

// ---- small readers ----

// evNum reads an optionally signed decimal number at the start of b.
func evNum(b []byte) (int, []byte, bool) {
	n, rest, ok := evNum64(b)
	return int(n), rest, ok
}

func evNum64(b []byte) (int64, []byte, bool) {
	i := 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		i++
	}
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	n, ok := atoi64(b[:i])
	return n, b[i:], ok
}

// evExpect strips p from the start of b.
func evExpect(b []byte, p string) ([]byte, bool) {
	if !hasPrefix(b, p) {
		return b, false
	}
	return b[len(p):], true
}

// evParenNum reads "(N)".
func evParenNum(b []byte) (int, []byte, bool) {
	if len(b) < 3 || b[0] != '(' {
		return 0, b, false
	}
	n, rest, ok := evNum(b[1:])
	if !ok || len(rest) == 0 || rest[0] != ')' {
		return 0, b, false
	}
	return n, rest[1:], true
}

// evQuoted returns the text between the first pair of single quotes.
func evQuoted(b []byte) []byte {
	i := indexByte(b, '\'')
	if i < 0 {
		return nil
	}
	j := indexByte(b[i+1:], '\'')
	if j < 0 {
		return nil
	}
	return b[i+1 : i+1+j]
}

func evTrimDot(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '.' {
		return b[:len(b)-1]
	}
	return b
}

// evSplitBeSrv splits "backend/server".
func evSplitBeSrv(b []byte) (be, srv []byte, ok bool) {
	be, srv, found := cutByte(b, '/')
	if !found || len(be) == 0 || len(srv) == 0 {
		return nil, nil, false
	}
	return be, srv, true
}

// evCapName splits "<cap> <name>" (cap may be two words: "peers section").
func evCapName(b []byte) (typ, name []byte, ok bool) {
	i := len(b) - 1
	for i >= 0 && b[i] != ' ' {
		i--
	}
	if i <= 0 || i == len(b)-1 {
		return nil, nil, false
	}
	return b[:i], b[i+1:], true
}

// ---- §3 health and agent checks ----

// parseCheckFragment reads ", reason: R[, code: N][, info: "I"][, check duration: Nms]".
func parseCheckFragment(e *Entry, b []byte) ([]byte, bool) {
	b, ok := evExpect(b, ", reason: ")
	if !ok {
		return b, false
	}
	end := 0
	for end < len(b) && b[end] != ',' && b[end] != '.' {
		end++
	}
	if end == 0 {
		return b, false
	}
	e.CheckReason, e.CheckStatus = b[:end], CheckStatusFromReason(b[:end])
	b = b[end:]
	if rest, ok := evExpect(b, ", code: "); ok {
		n, rest, ok := evNum(rest)
		if !ok {
			return b, false
		}
		e.CheckCode, b = n, rest
	}
	if rest, ok := evExpect(b, ", info: \""); ok {
		q := indexByte(rest, '"')
		if q < 0 {
			return b, false
		}
		e.CheckInfo, b = e.unescapeAngle(rest[:q]), rest[q+1:]
	}
	if rest, ok := evExpect(b, ", check duration: "); ok {
		n, rest, ok := evNum(rest)
		if !ok || !hasPrefix(rest, "ms") {
			return b, false
		}
		e.CheckDuration, b = n, rest[2:]
	}
	return b, true
}

// parseCheck reads "Health|Agent check for [backup ]server be/srv
// [conditionally ]succeeded|failed<fragment>, status: X/Y S."
func parseCheck(e *Entry, b []byte) bool {
	sp := indexByte(b, ' ')
	e.CheckKind = b[:sp]
	if b[0] == 'A' {
		e.Event = EventAgentCheck
	} else {
		e.Event = EventHealthCheck
	}
	b = b[sp+len(" check for "):]
	if rest, ok := evExpect(b, "backup "); ok {
		e.ServerBackup, b = true, rest
	}
	b, ok := evExpect(b, "server ")
	if !ok {
		return false
	}
	name, b := field(b)
	if e.Backend, e.Server, ok = evSplitBeSrv(name); !ok {
		return false
	}
	switch {
	case hasPrefix(b, "conditionally succeeded"):
		e.CheckResult, b = "conditionally succeeded", b[len("conditionally succeeded"):]
	case hasPrefix(b, "succeeded"):
		e.CheckResult, b = "succeeded", b[len("succeeded"):]
	case hasPrefix(b, "failed"):
		e.CheckResult, b = "failed", b[len("failed"):]
	default:
		return false
	}
	if b, ok = parseCheckFragment(e, b); !ok {
		return false
	}
	if b, ok = evExpect(b, ", status: "); !ok {
		return false
	}
	x, b, ok := evNum(b)
	if !ok || len(b) == 0 || b[0] != '/' {
		return false
	}
	y, b, ok := evNum(b[1:])
	if !ok || len(b) < 2 || b[0] != ' ' || b[len(b)-1] != '.' {
		return false
	}
	st := b[1 : len(b)-1]
	if string(st) != "UP" && string(st) != "DOWN" && string(st) != "DRAIN" {
		return false
	}
	e.CheckHealth, e.CheckThreshold, e.CheckState = x, y, st
	return true
}

// ---- §4, §5 server state ----

const (
	tailAdm    = 1 << iota // " (cause)"
	tailOp                 // ", reason: ..." / ", changed from ..."
	tailVia                // " via be/srv"
	tailCounts             // ". N active and M backup servers ..."
)

// parseServer reads "[Backup ]Server be/srv[ ('fqdn')] <what>...".
func parseServer(e *Entry, b []byte) bool {
	if b[0] == 'B' {
		e.ServerBackup, b = true, b[len("Backup Server "):]
	} else {
		b = b[len("Server "):]
	}
	if string(b) == "deleted." {
		return evOther(e, msgSrvAdded)
	}
	name, b := field(b)
	var ok bool
	if e.Backend, e.Server, ok = evSplitBeSrv(name); !ok {
		return false
	}
	if hasPrefix(b, "('") {
		end := index(b[2:], "') ") // after the opening quote, not at it
		if end < 0 {
			return false
		}
		e.ServerFQDN, b = b[2:2+end], b[2+end+3:]
	}
	switch {
	case hasPrefix(b, "is going DOWN for maintenance"):
		e.Event, e.ServerState, e.ServerAdmin = EventServerMaintenance, wordMAINT, wordMAINT
		return serverTail(e, b[len("is going DOWN for maintenance"):], tailAdm|tailVia|tailCounts)
	case hasPrefix(b, "was DOWN and now enters maintenance"):
		e.Event, e.ServerState, e.ServerAdmin = EventServerMaintenance, wordMAINT, wordMAINT
		return serverTail(e, b[len("was DOWN and now enters maintenance"):], tailAdm|tailVia|tailCounts)
	case hasPrefix(b, "enters drain state"):
		e.Event, e.ServerState, e.ServerAdmin = EventServerDrain, wordDRAIN, wordDRAIN
		return serverTail(e, b[len("enters drain state"):], tailAdm|tailVia|tailCounts)
	case hasPrefix(b, "is leaving forced maintenance but remains in maintenance"):
		e.Event, e.ServerState, e.ServerAdmin = EventServerMaintenance, wordMAINT, wordMAINT
		e.Cause = b[3 : 3+len("leaving forced maintenance")]
		e.msg = msgRemains
		return serverTail(e, b[len("is leaving forced maintenance but remains in maintenance"):], tailVia)
	case hasPrefix(b, "resolves again but remains in maintenance"):
		e.Event, e.ServerState, e.ServerAdmin = EventServerMaintenance, wordMAINT, wordMAINT
		e.Cause = b[:len("resolves again")]
		e.msg = msgRemainsDNS
		return serverTail(e, b[len("resolves again but remains in maintenance"):], tailVia)
	case hasPrefix(b, "remains in forced maintenance"):
		e.Event, e.ServerState, e.ServerAdmin = EventServerMaintenance, wordMAINT, wordMAINT
		e.msg = msgRemains
		return serverTail(e, b[len("remains in forced maintenance"):], tailVia)
	case hasPrefix(b, "is leaving forced drain but remains in drain mode"):
		e.Event, e.ServerState, e.ServerAdmin = EventServerDrain, wordDRAIN, wordDRAIN
		e.Cause = b[3 : 3+len("leaving forced drain")]
		e.msg = msgDrainStays
		return serverTail(e, b[len("is leaving forced drain but remains in drain mode"):], tailVia)
	case hasPrefix(b, "remains in forced drain mode"), hasPrefix(b, "remains in drain mode"):
		e.Event, e.ServerState, e.ServerAdmin = EventServerDrain, wordDRAIN, wordDRAIN
		e.msg = msgDrainStays
		n := len("remains in drain mode")
		if b[11] == 'f' {
			n = len("remains in forced drain mode")
		}
		return serverTail(e, b[n:], tailVia)
	case hasPrefix(b, "administratively READY thanks to valid DNS answer"):
		e.Event, e.ServerAdmin, e.Cause = EventServerReady, b[len("administratively "):len("administratively READY")], wordDNS
		return serverTail(e, b[len("administratively READY thanks to valid DNS answer"):], 0)
	case hasPrefix(b, "is UP/"), hasPrefix(b, "is DOWN/"):
		return parseLeaveMaint(e, b[3:])
	case hasPrefix(b, "is UP (leaving"), hasPrefix(b, "is DOWN (leaving"):
		return parseLeaveDrain(e, b[3:])
	}
	// §4: is UP|DOWN|stopping followed by ',', ' via ', '. ' or the final '.'.
	var st []byte
	switch {
	case hasPrefix(b, "is DOWN"):
		e.Event, st = EventServerDown, b[3:7]
	case hasPrefix(b, "is UP"):
		e.Event, st = EventServerUp, b[3:5]
	case hasPrefix(b, "is stopping"):
		e.Event, st = EventServerStopping, b[3:11]
	default:
		return false
	}
	e.ServerState = st
	rest := b[3+len(st):]
	if len(rest) == 0 || (rest[0] != ',' && rest[0] != '.' && !hasPrefix(rest, " via ")) {
		return false
	}
	return serverTail(e, rest, tailOp|tailVia|tailCounts)
}

// parseLeaveMaint reads "UP|DOWN/READY|DRAIN (why)[ via b/s][counts]." (§5).
func parseLeaveMaint(e *Entry, b []byte) bool {
	slash := indexByte(b, '/')
	sp := indexByte(b, ' ')
	if slash < 0 || sp < slash || !hasPrefix(b[sp:], " (") {
		return false
	}
	op, adm := b[:slash], b[slash+1:sp]
	if (string(op) != "UP" && string(op) != "DOWN") || (string(adm) != "READY" && string(adm) != "DRAIN") {
		return false
	}
	end := indexByte(b[sp:], ')')
	if end < 0 {
		return false
	}
	e.ServerState, e.ServerAdmin, e.Cause = op, adm, b[sp+2:sp+end]
	switch string(e.Cause) {
	case "leaving forced maintenance", "leaving maintenance", "resolves again":
	default:
		return false
	}
	if op[0] == 'U' {
		e.Event = EventServerUp
		e.msg = msgLeave
	} else {
		e.Event = EventServerReady
	}
	return serverTail(e, b[sp+end+1:], tailVia|tailCounts)
}

// parseLeaveDrain reads "UP|DOWN (leaving [forced ]drain)[ via b/s]." (§5).
func parseLeaveDrain(e *Entry, b []byte) bool {
	sp := indexByte(b, ' ')
	end := indexByte(b, ')')
	if sp < 0 || end < sp+2 {
		return false
	}
	e.ServerState, e.ServerAdmin, e.Cause = b[:sp], wordREADY, b[sp+2:end]
	if string(e.Cause) != "leaving forced drain" && string(e.Cause) != "leaving drain" {
		return false
	}
	if b[0] == 'U' {
		e.Event = EventServerUp
		e.msg = msgLeave
	} else {
		e.Event = EventServerReady
	}
	return serverTail(e, b[end+1:], tailVia|tailCounts)
}

// serverTail reads what may follow a server state phrase and the final '.'.
func serverTail(e *Entry, b []byte, flags int) bool {
	if flags&tailAdm != 0 && hasPrefix(b, " (") {
		end := indexByte(b, ')')
		if end < 0 {
			return false
		}
		e.Cause, b = b[2:end], b[end+1:]
	}
	if flags&tailOp != 0 && hasPrefix(b, ", ") {
		switch {
		case hasPrefix(b, ", reason: "):
			rest, ok := parseCheckFragment(e, b)
			if !ok {
				return false
			}
			b = rest
		case hasPrefix(b, ", ."): // 1.6–1.7: server-state reload with an empty reason
			b = b[2:]
		default: // ", changed from CLI" and the like
			c := b[2:]
			end := indexByte(c, '.')
			if end < 0 {
				end = len(c)
			}
			if i := index(c[:end], " via "); i >= 0 {
				end = i
			}
			e.Cause, b = c[:end], c[end:]
		}
	}
	if flags&tailVia != 0 && hasPrefix(b, " via ") {
		tok, _ := field(b[5:])
		if !hasSuffix(tok, ".") {
			return false
		}
		name := tok[:len(tok)-1]
		var ok bool
		if e.ViaBackend, e.ViaServer, ok = evSplitBeSrv(name); !ok {
			return false
		}
		b = b[5+len(name):]
	}
	if flags&tailCounts != 0 && len(b) > 2 && b[0] == '.' && b[1] == ' ' && isDigit(b[2]) {
		rest, ok := parseCounts(e, b[2:])
		if !ok {
			return false
		}
		b = rest
	}
	return string(b) == "."
}

// parseCounts reads "N active and M backup servers left|online.[ Running on
// backup.] K sessions active, R requeued, Q remaining in queue" or
// "R sessions requeued, Q total in queue".
func parseCounts(e *Entry, b []byte) ([]byte, bool) {
	act, b, ok := evNum(b)
	if !ok {
		return b, false
	}
	if b, ok = evExpect(b, " active and "); !ok {
		return b, false
	}
	bck, b, ok := evNum(b)
	if !ok {
		return b, false
	}
	if b, ok = evExpect(b, " backup servers "); !ok {
		return b, false
	}
	left := false
	switch {
	case hasPrefix(b, "left."):
		left, b = true, b[5:]
	case hasPrefix(b, "online."):
		b = b[7:]
	default:
		return b, false
	}
	e.ActiveServers, e.BackupServers = act, bck
	if rest, ok := evExpect(b, " Running on backup."); ok {
		e.RunningOnBackup, b = true, rest
	}
	if b, ok = evExpect(b, " "); !ok {
		return b, false
	}
	k, b, ok := evNum(b)
	if !ok {
		return b, false
	}
	switch {
	case hasPrefix(b, " sessions active, "):
		r, rest, ok := evNum(b[len(" sessions active, "):])
		if !ok {
			return b, false
		}
		if rest, ok = evExpect(rest, " requeued, "); !ok {
			return b, false
		}
		q, rest, ok := evNum(rest)
		if !ok {
			return b, false
		}
		if rest, ok = evExpect(rest, " remaining in queue"); !ok {
			return b, false
		}
		e.SessActive, e.SessRequeued, e.SessQueued, b = k, r, q, rest
	case hasPrefix(b, " sessions requeued, "):
		q, rest, ok := evNum(b[len(" sessions requeued, "):])
		if !ok {
			return b, false
		}
		if rest, ok = evExpect(rest, " total in queue"); !ok {
			return b, false
		}
		e.SessRequeued, e.SessQueued, b = k, q, rest
	default:
		return b, false
	}
	e.serversLeft = left
	return b, true
}

// ---- §6 addresses ----

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

// ---- §7 proxies ----

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

// ---- §8 master-worker ----

// parseWorker reads the master-worker lines.
func parseWorker(e *Entry, b []byte) bool {
	e.Event = EventWorker
	switch {
	case hasPrefix(b, "New worker "):
		pid, rest, ok := evRelPid(b[len("New worker "):])
		if !ok || !hasPrefix(rest, " forked") {
			return false
		}
		e.WorkerPID = pid
		e.msg = msgWorkerNew
		return true
	case hasPrefix(b, "Initializing new worker ("):
		pid, _, ok := evParenNum(b[len("Initializing new worker "):])
		if !ok {
			return false
		}
		e.WorkerPID = pid
		e.msg = msgWorkerNew
		return true
	case hasPrefix(b, "New program '"):
		return programLine(e, b[len("New program "):], msgWorkerNew)
	case hasPrefix(b, "Loading success."):
		e.msg = msgLoadOK
		return true
	case hasPrefix(b, "Loading failure!"), string(b) == "Failed to load worker!":
		e.msg = msgLoadFail
		return true
	case hasPrefix(b, "Failed to load worker ("):
		pid, rest, ok := evParenNum(b[len("Failed to load worker "):])
		if !ok || !exitedWith(e, rest) {
			return false
		}
		e.WorkerPID = pid
		e.msg = msgLoadFail
		return true
	case hasPrefix(b, "Failed to reexecute the master process"):
		e.msg = msgReexecFail
		return true
	case hasPrefix(b, "Current worker "), hasPrefix(b, "Former worker "), hasPrefix(b, "Worker "), hasPrefix(b, "Process "):
		current := b[0] == 'C'
		former := b[0] == 'F'
		rest := b[indexByte(b, ' ')+1:]
		if !current && !former {
			rest = b[len("Worker "):]
			if b[0] == 'P' {
				rest = b[len("Process "):]
			}
		} else {
			rest = rest[len("worker "):]
		}
		var pid int
		var ok bool
		if len(rest) > 0 && (rest[0] == '#' || rest[0] == '(') {
			pid, rest, ok = evRelPid(rest)
		} else {
			pid, rest, ok = evNum(rest)
		}
		if !ok || !exitedWith(e, rest) {
			return false
		}
		e.WorkerPID = pid
		e.msg = exitMessage(former, index(rest, "max reloads") >= 0)
		return true
	case hasPrefix(b, "Current program '"), hasPrefix(b, "Former program '"):
		rest := b[indexByte(b, ' ')+len(" program "):]
		return programLine(e, rest, msgNone) && exitNoted(e, b[0] == 'F')
	case hasPrefix(b, "All workers exited. Exiting... ("), hasPrefix(b, "All workers are left. Leaving... ("):
		code, _, ok := evParenNum(b[indexByte(b, '('):])
		if !ok {
			return false
		}
		e.ExitCode = code
		if code == 0 {
			e.msg = msgAllExited
		} else {
			e.msg = msgAllExitedErr
		}
		return true
	}
	return false
}

// evRelPid reads "#N (P)" (≤2.4) or "(P)".
func evRelPid(b []byte) (int, []byte, bool) {
	if len(b) > 0 && b[0] == '#' {
		_, rest, ok := evNum(b[1:])
		if !ok || len(rest) == 0 || rest[0] != ' ' {
			return 0, b, false
		}
		b = rest[1:]
	}
	return evParenNum(b)
}

// programLine reads "'name' (P) forked|exited with code C (R)".
func programLine(e *Entry, b []byte, m message) bool {
	name := evQuoted(b)
	if name == nil {
		return false
	}
	rest := b[len(name)+2:]
	rest, ok := evExpect(rest, " ")
	if !ok {
		return false
	}
	pid, rest, ok := evParenNum(rest)
	if !ok {
		return false
	}
	e.WorkerPID = pid
	if hasPrefix(rest, " forked") {
		e.msg = m
		return true
	}
	return exitedWith(e, rest)
}

func exitNoted(e *Entry, former bool) bool {
	e.msg = exitMessage(former, false)
	return true
}

// exitedWith reads " exited with code C (R)[...]" or " left with exit code C".
func exitedWith(e *Entry, b []byte) bool {
	var ok bool
	if rest, found := evExpect(b, " left with exit code "); found {
		e.ExitCode, _, ok = evNum(rest)
		return ok
	}
	if b, ok = evExpect(b, " exited with code "); !ok {
		return false
	}
	code, rest, ok := evNum(b)
	if !ok {
		return false
	}
	e.ExitCode = code
	if rest, ok = evExpect(rest, " ("); ok {
		if end := indexByte(rest, ')'); end >= 0 {
			e.ExitReason = rest[:end]
		}
	}
	return true
}

// exitMessage tells which worker exit a line reports; its diagnosis
// depends on the exit code (see exitDiag).
func exitMessage(former, maxReloads bool) message {
	switch {
	case maxReloads:
		return msgMaxReloads
	case former:
		return msgFormerExited
	}
	return msgWorkerExited
}

// ---- §9 others ----

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
