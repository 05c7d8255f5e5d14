package decode

// Health and agent check messages (haproxy-events.md §3).

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
