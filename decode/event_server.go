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
