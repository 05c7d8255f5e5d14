package state

import (
	"bytes"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// A reload (systemctl reload, haproxy -sf) shows in the logs as the old
// process stopping or pausing its proxies and a new process, with another
// process.pid, starting within a few seconds; in master-worker mode the
// master says so first ("Reloading HAProxy", "New worker (N) forked").
//
// The lines are read in order, so a reload is known from the first line
// that shows it: the master's line, or the first line of the new process
// (HAProxy 2.3+ writes no "Proxy started", so that is often a request).
// That record carries haproxy.lifecycle.reload and old_pid; the master's
// reload lines, the old process's stop, pause and resume lines and the new
// process's start lines that follow within ReloadWindow carry reload. The old
// process's stop lines written before any sign of the new process cannot be
// known as a reload's when they are read, and are not marked.

// hostState is what the tracker knows of a host's HAProxy processes.
type hostState struct {
	name string
	pids [4]process // the most recent processes, by last line
	// the reload in progress: until when, and its old and new pids (0
	// when not known yet)
	until          time.Time
	oldPID, newPID int
}

type process struct {
	pid       int
	seen      time.Time // its last line
	lifecycle time.Time // its last stop or pause line
	// The line that showed it as a reload's new process (its time, its
	// replay id, the old pid), to mark it again when it comes again.
	first    time.Time
	firstID  uint64
	replaced int
}

func (t *Tracker) host(name []byte) *hostState {
	k := t.buildKey(kindHost, name)
	if n := t.table.get(k); n != nil {
		return n.host
	}
	n := t.table.add(k)
	n.host = &hostState{name: string(name)}
	return n.host
}

// process reads the process side of a line: a new pid, a reload's lines.
func (t *Tracker) process(e *decode.Entry, host []byte, at time.Time) {
	master := masterReload(e)
	stop, start := stopping(e.Event), starting(e.Event)
	if e.PID == decode.Unset && !master {
		return
	}
	h := t.host(host)
	if master {
		t.open(h, at, 0, e.WorkerPID)
		e.State.Reload = true
		return
	}
	if e.Event == decode.EventWorker {
		return // the master's other lines: its pid is not a worker's
	}
	if e.PID == decode.Unset {
		return
	}
	p := h.find(e.PID)
	if p == nil {
		old := h.previous(at, t.cfg.ReloadWindow, start)
		p = h.add(e.PID, at)
		if old != nil {
			t.open(h, at, old.pid, e.PID)
			e.State.Reload, e.State.OldPID = true, old.pid
			p.first, p.firstID, p.replaced = at, t.replay.id(host, e, at), old.pid
			t.freshProcess(h.name, at)
		}
	} else {
		t.again(p, e, host, at)
	}
	if at.After(p.seen) {
		p.seen = at
	}
	t.lastHost = append(t.lastHost[:0], host...)
	t.lastPID, t.lastProc = e.PID, p
	if stop {
		p.lifecycle = at
	}
	if (stop || start) && !at.After(h.until) && h.of(e.PID, e.Event) {
		e.State.Reload = true
	}
}

// freshProcess forgets the servers' states of host at a reload: the new
// process starts every server UP (HAProxy's default) and says nothing of
// those that are; one still down gets a DOWN line, which starts a new
// outage. An outage in progress is no longer followed: it has no end line
// (it stays among the backend's past ones, up to at, for late records).
func (t *Tracker) freshProcess(host string, at time.Time) {
	t.table.oldestFirst(func(n *node) {
		switch {
		case n.backend != nil && n.backend.host == host:
			b := n.backend
			if o := b.outage; o != nil {
				copy(b.past[1:], b.past[:])
				b.past[0] = pastOutage{id: o.id, start: o.start, end: at}
				b.outage = nil
			}
			b.down = b.down[:0]
			if at.After(b.since) {
				b.since = at
			}
		case n.server != nil && n.server.host == host:
			n.server.state, n.server.downSince = stateUnknown, time.Time{}
		}
	})
}

// again marks the line that showed p as a new process when it comes again
// (a retried chunk).
func (t *Tracker) again(p *process, e *decode.Entry, host []byte, at time.Time) {
	if p.replaced != 0 && at.Equal(p.first) && t.replay.id(host, e, at) == p.firstID {
		e.State.Reload, e.State.OldPID = true, p.replaced
	}
}

// open starts (or extends) a reload on h.
func (t *Tracker) open(h *hostState, at time.Time, oldPID, newPID int) {
	if at.After(h.until) {
		h.oldPID, h.newPID = 0, 0
	}
	h.until = at.Add(t.cfg.ReloadWindow)
	if oldPID > 0 {
		h.oldPID = oldPID
	}
	if newPID > 0 {
		h.newPID = newPID
	}
}

// of reports whether a stop or start line of pid belongs to the reload in
// progress: the old process stopping or pausing (or resuming, when the new
// one failed and gave the ports back), the new one starting.
func (h *hostState) of(pid int, k decode.EventKind) bool {
	old := pid == h.oldPID || h.oldPID == 0 && pid != h.newPID
	if k == decode.EventProxyStarted {
		return pid == h.newPID || h.newPID == 0 && pid != h.oldPID
	}
	return old
}

func (h *hostState) find(pid int) *process {
	for i := range h.pids {
		if h.pids[i].pid == pid && !h.pids[i].seen.IsZero() {
			return &h.pids[i]
		}
	}
	return nil
}

// previous is the process a new one at at replaces, if it is a reload: one
// that stopped or paused within window, or, when the new process's line
// is itself a start, one seen within window.
func (h *hostState) previous(at time.Time, window time.Duration, start bool) *process {
	var best *process
	for i := range h.pids {
		p := &h.pids[i]
		if p.seen.IsZero() {
			continue
		}
		recent := !p.lifecycle.IsZero() && at.Sub(p.lifecycle) <= window && !at.Before(p.lifecycle.Add(-window))
		if !recent && start {
			recent = at.Sub(p.seen) <= window && !at.Before(p.seen.Add(-window))
		}
		if recent && (best == nil || p.seen.After(best.seen)) {
			best = p
		}
	}
	return best
}

// add records a new process in place of the least recently seen.
func (h *hostState) add(pid int, at time.Time) *process {
	slot := &h.pids[0]
	for i := range h.pids {
		if h.pids[i].seen.Before(slot.seen) {
			slot = &h.pids[i]
		}
	}
	*slot = process{pid: pid, seen: at}
	return slot
}

// stopping: a line of a process stopping or pausing its proxies.
func stopping(k decode.EventKind) bool {
	switch k {
	case decode.EventProxyPaused, decode.EventProxyStopping, decode.EventProxyStopped,
		decode.EventProxyHardStopped, decode.EventHardStop, decode.EventSoftStop:
		return true
	}
	return false
}

// starting: a line of a process starting or resuming its proxies.
func starting(k decode.EventKind) bool {
	return k == decode.EventProxyStarted || k == decode.EventProxyResumed
}

// masterReload: the master process's lines of a reload.
func masterReload(e *decode.Entry) bool {
	if e.Event != decode.EventWorker {
		return false
	}
	b := e.Body
	return bytes.HasPrefix(b, []byte("Reloading HAProxy")) || bytes.HasPrefix(b, []byte("Reexecuting Master process")) ||
		bytes.HasPrefix(b, []byte("New worker ")) || bytes.HasPrefix(b, []byte("Loading success."))
}
