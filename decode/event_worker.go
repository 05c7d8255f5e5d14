package decode

// Master-worker messages (haproxy-events.md §8).

// The master-worker lines' readers get what follows their rule's prefix
// (event.go); the rule sets EventWorker, and the message when the prefix
// alone says it.

// parseNewWorker reads "#N (P) forked" or "(P) forked" after "New worker ".
func parseNewWorker(e *Entry, b []byte) bool {
	c := cursor{b: b}
	e.WorkerPID = c.relPid()
	c.expect(" forked")
	return c.ok()
}

// parseInitWorker reads "(P)..." after "Initializing new worker ".
func parseInitWorker(e *Entry, b []byte) bool {
	c := cursor{b: b}
	e.WorkerPID = c.parenNum()
	return c.ok()
}

// parseNewProgram reads what follows "New program ".
func parseNewProgram(e *Entry, b []byte) bool {
	return programLine(e, b, msgWorkerNew)
}

// parseLoadFailed reads "(P) exited with code C ..." after "Failed to load worker ".
func parseLoadFailed(e *Entry, b []byte) bool {
	c := cursor{b: b}
	e.WorkerPID = c.parenNum()
	return c.ok() && exitedWith(e, c.b)
}

// parseWorkerExit reads "[#N ](P) exited with code C (R)" or "P exited ..."
// after "Current worker ", "Worker " or "Process ".
func parseWorkerExit(e *Entry, b []byte) bool { return workerExit(e, b, false) }

// parseFormerExit is parseWorkerExit after "Former worker ".
func parseFormerExit(e *Entry, b []byte) bool { return workerExit(e, b, true) }

func workerExit(e *Entry, b []byte, former bool) bool {
	c := cursor{b: b}
	if len(b) > 0 && (b[0] == '#' || b[0] == '(') {
		e.WorkerPID = c.relPid()
	} else {
		e.WorkerPID = c.num()
	}
	if !c.ok() || !exitedWith(e, c.b) {
		return false
	}
	e.msg = exitMessage(former, index(c.b, "max reloads") >= 0)
	return true
}

// parseProgramExit reads "'name' (P) exited with code C (R)" after
// "Current program "; parseFormerProgramExit after "Former program ".
func parseProgramExit(e *Entry, b []byte) bool { return programExit(e, b, false) }

func parseFormerProgramExit(e *Entry, b []byte) bool { return programExit(e, b, true) }

func programExit(e *Entry, b []byte, former bool) bool {
	if !programLine(e, b, msgNone) {
		return false
	}
	e.msg = exitMessage(former, false)
	return true
}

// parseAllExited reads "All workers exited. Exiting... (C)" and "All
// workers are left. Leaving... (C)".
func parseAllExited(e *Entry, b []byte) bool {
	if !hasPrefix(b, "All workers exited. Exiting... (") && !hasPrefix(b, "All workers are left. Leaving... (") {
		return false
	}
	c := cursor{b: b[indexByte(b, '('):]}
	code := c.parenNum()
	if !c.ok() {
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

// programLine reads "'name' (P) forked|exited with code C (R)".
func programLine(e *Entry, b []byte, m message) bool {
	name := evQuoted(b)
	if name == nil {
		return false
	}
	c := cursor{b: b[len(name)+2:]}
	c.expect(" ")
	e.WorkerPID = c.parenNum()
	if !c.ok() {
		return false
	}
	if hasPrefix(c.b, " forked") {
		e.msg = m
		return true
	}
	return exitedWith(e, c.b)
}

// exitedWith reads " exited with code C (R)[...]" or " left with exit code C".
func exitedWith(e *Entry, b []byte) bool {
	c := cursor{b: b}
	if c.skip(" left with exit code ") {
		e.ExitCode = c.num()
		return c.ok()
	}
	c.expect(" exited with code ")
	e.ExitCode = c.num()
	if c.skip(" (") {
		if end := indexByte(c.b, ')'); end >= 0 {
			e.ExitReason = c.b[:end]
		}
	}
	return c.ok()
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
