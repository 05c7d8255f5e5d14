package state

import (
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// Server availability, as the state lines say it: UP is available; DOWN
// and maintenance are not. Drain, stopping and "ready while still DOWN" do
// not change it.
const (
	stateUnknown int8 = 0
	stateUp      int8 = 1
	stateDown    int8 = -1
)

// serverState is a server of a backend of a host.
type serverState struct {
	host, backend, name string
	state               int8
	// last is the time of the last state line accepted: an older one is
	// ignored.
	last      time.Time
	downSince time.Time // when it went down (zero when up or unknown)
	// transitions are the times (Unix ns) of its changes of state within
	// the flap window, oldest first, at most MaxFlapThreshold.
	transitions []int64
}

func (t *Tracker) server(host, backend, name []byte) *serverState {
	k := t.buildKey(kindServer, host, backend, name)
	if n := t.table.get(k); n != nil {
		return n.server
	}
	n := t.table.add(k)
	n.server = &serverState{host: string(host), backend: string(backend), name: string(name)}
	return n.server
}

// transition reads a server's UP, DOWN or maintenance line.
func (t *Tracker) transition(e *decode.Entry, host []byte, at time.Time, to int8) {
	b := t.backend(host, e.Backend, true)
	if len(e.Server) == 0 {
		return
	}
	s := t.server(host, e.Backend, e.Server)
	if at.Before(s.last) {
		// Older than what the server's state rests on: it cannot change it.
		b.ongoingAt(e, at)
		return
	}
	s.last = at
	if s.state != to {
		s.state = to
		t.changed(e, b, s, at)
	}
	switch {
	case to == stateDown && e.Outage:
		b.start(e, host, at)
	case to == stateUp && b.outage != nil && !at.Before(b.outage.start) && serversLeft(e):
		b.end(e, at)
	default:
		b.ongoingAt(e, at)
	}
}

// serversLeft reports whether the line says a server is usable (or says
// nothing about it: an UP line means one is).
func serversLeft(e *decode.Entry) bool {
	if e.ActiveServers == decode.Unset && e.BackupServers == decode.Unset {
		return true
	}
	return e.ActiveServers > 0 || e.BackupServers > 0
}

// changed records a change of the server's state: its downtime, the
// backend's list of down servers, flapping.
func (t *Tracker) changed(e *decode.Entry, b *backendState, s *serverState, at time.Time) {
	if s.state == stateDown {
		s.downSince = at
		b.serverDown(s.name)
	} else {
		if !s.downSince.IsZero() {
			e.State.DownSince = s.downSince
			e.State.Downtime = at.Sub(s.downSince).Milliseconds()
		}
		s.downSince = time.Time{}
		b.serverUp(s.name)
	}
	n := t.flap(s, at)
	if n >= t.cfg.FlapThreshold {
		e.State.Flapping, e.State.Transitions = true, n
	}
}

// flap adds a transition at at and returns how many fall within the window.
func (t *Tracker) flap(s *serverState, at time.Time) int {
	now := at.UnixNano()
	from := now - int64(t.cfg.FlapWindow)
	i := 0
	for i < len(s.transitions) && s.transitions[i] < from {
		i++
	}
	if s.transitions == nil {
		// Its full size at once: it then never grows (512 bytes).
		s.transitions = make([]int64, 0, MaxFlapThreshold)
	}
	tr := s.transitions[i:]
	if len(tr) == MaxFlapThreshold {
		tr = tr[1:]
	}
	// Shift to the front so that the array is reused.
	s.transitions = append(s.transitions[:0], tr...)
	s.transitions = append(s.transitions, now)
	return len(s.transitions)
}
