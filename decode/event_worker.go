package decode

// Master-worker messages (haproxy-events.md §8).

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
