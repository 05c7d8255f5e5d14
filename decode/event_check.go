package decode

// Health and agent check messages (haproxy-events.md §3).

// checkFragment reads ", reason: R[, code: N][, info: "I"][, check duration: Nms]".
func checkFragment(e *Entry, c *cursor) {
	c.expect(", reason: ")
	if !c.ok() {
		return
	}
	end := 0
	for end < len(c.b) && c.b[end] != ',' && c.b[end] != '.' {
		end++
	}
	if end == 0 {
		c.setErr()
		return
	}
	e.CheckReason, e.CheckStatus = c.b[:end], CheckStatusFromReason(c.b[:end])
	c.b = c.b[end:]
	if c.skip(", code: ") {
		e.CheckCode = c.num()
	}
	if c.skip(", info: \"") {
		if info := c.upTo('"'); c.ok() {
			e.CheckInfo = e.unescapeAngle(info)
		}
	}
	if c.skip(", check duration: ") {
		e.CheckDuration = c.num()
		c.expect("ms")
	}
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
	c := cursor{b: b[sp+len(" check for "):]}
	e.ServerBackup = c.skip("backup ")
	c.expect("server ")
	var ok bool
	if e.Backend, e.Server, ok = evSplitBeSrv(c.field()); !ok {
		return false
	}
	switch {
	case c.skip("conditionally succeeded"):
		e.CheckResult = "conditionally succeeded"
	case c.skip("succeeded"):
		e.CheckResult = "succeeded"
	case c.skip("failed"):
		e.CheckResult = "failed"
	default:
		return false
	}
	checkFragment(e, &c)
	c.expect(", status: ")
	x := c.num()
	c.expect("/")
	y := c.num()
	c.expect(" ")
	if !c.ok() || !hasSuffix(c.b, ".") {
		return false
	}
	st := c.b[:len(c.b)-1]
	if string(st) != "UP" && string(st) != "DOWN" && string(st) != "DRAIN" {
		return false
	}
	e.CheckHealth, e.CheckThreshold, e.CheckState = x, y, st
	return true
}
