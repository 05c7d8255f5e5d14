package decode

// Server state messages (haproxy-events.md §4, §5).

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
	return serverPhrase(e, b)
}

// adminPhrase is a server line's phrase for an administrative state (§5):
// the event and the state it gives (operational and administrative), the
// cause it names (the phrase's bytes from causeFrom to causeTo; none when
// causeTo is 0), its message, and what may follow it.
type adminPhrase struct {
	phrase             string
	kind               EventKind
	state              []byte
	causeFrom, causeTo int
	msg                message
	tail               int
}

var adminPhrases = [...]adminPhrase{
	{"is going DOWN for maintenance", EventServerMaintenance, wordMAINT, 0, 0, msgNone, tailAdm | tailVia | tailCounts},
	{"was DOWN and now enters maintenance", EventServerMaintenance, wordMAINT, 0, 0, msgNone, tailAdm | tailVia | tailCounts},
	{"enters drain state", EventServerDrain, wordDRAIN, 0, 0, msgNone, tailAdm | tailVia | tailCounts},
	{"is leaving forced maintenance but remains in maintenance", EventServerMaintenance, wordMAINT,
		len("is "), len("is leaving forced maintenance"), msgRemains, tailVia},
	{"resolves again but remains in maintenance", EventServerMaintenance, wordMAINT,
		0, len("resolves again"), msgRemainsDNS, tailVia},
	{"remains in forced maintenance", EventServerMaintenance, wordMAINT, 0, 0, msgRemains, tailVia},
	{"is leaving forced drain but remains in drain mode", EventServerDrain, wordDRAIN,
		len("is "), len("is leaving forced drain"), msgDrainStays, tailVia},
	{"remains in forced drain mode", EventServerDrain, wordDRAIN, 0, 0, msgDrainStays, tailVia},
	{"remains in drain mode", EventServerDrain, wordDRAIN, 0, 0, msgDrainStays, tailVia},
}

// serverPhrase reads what a server line says of the server, after its name.
func serverPhrase(e *Entry, b []byte) bool {
	for i := range adminPhrases {
		p := &adminPhrases[i]
		if !hasPrefix(b, p.phrase) {
			continue
		}
		e.Event, e.ServerState, e.ServerAdmin, e.msg = p.kind, p.state, p.state, p.msg
		if p.causeTo > 0 {
			e.Cause = b[p.causeFrom:p.causeTo]
		}
		return serverTail(e, b[len(p.phrase):], p.tail)
	}
	switch {
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
	return leaving(e, op[0] == 'U', b[sp+end+1:])
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
	return leaving(e, b[0] == 'U', b[end+1:])
}

// leaving ends a line of a server leaving maintenance or drain: UP, or
// still DOWN (administratively READY).
func leaving(e *Entry, up bool, rest []byte) bool {
	if up {
		e.Event, e.msg = EventServerUp, msgLeave
	} else {
		e.Event = EventServerReady
	}
	return serverTail(e, rest, tailVia|tailCounts)
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
			c := cursor{b: b}
			if checkFragment(e, &c); !c.ok() {
				return false
			}
			b = c.b
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
		c := cursor{b: b[2:]}
		if parseCounts(e, &c); !c.ok() {
			return false
		}
		b = c.b
	}
	return string(b) == "."
}

// parseCounts reads "N active and M backup servers left|online.[ Running on
// backup.] K sessions active, R requeued, Q remaining in queue" or
// "R sessions requeued, Q total in queue".
func parseCounts(e *Entry, c *cursor) {
	act := c.num()
	c.expect(" active and ")
	bck := c.num()
	c.expect(" backup servers ")
	if e.serversLeft = c.skip("left."); !e.serversLeft {
		c.expect("online.")
	}
	if !c.ok() {
		return
	}
	e.ActiveServers, e.BackupServers = act, bck
	e.RunningOnBackup = c.skip(" Running on backup.")
	c.expect(" ")
	k := c.num()
	switch {
	case c.skip(" sessions active, "):
		r := c.num()
		c.expect(" requeued, ")
		q := c.num()
		c.expect(" remaining in queue")
		e.SessActive, e.SessRequeued, e.SessQueued = k, r, q
	case c.skip(" sessions requeued, "):
		q := c.num()
		c.expect(" total in queue")
		e.SessRequeued, e.SessQueued = k, q
	default:
		c.setErr()
	}
}
