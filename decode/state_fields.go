package decode

import "time"

// OutageState is where a record stands in an outage of its backend
// ("haproxy.outage.state"). Decode leaves it OutageNone: it takes the lines
// before this one to know (package state fills it).
type OutageState uint8

const (
	OutageNone    OutageState = iota // not part of an outage (nothing written)
	OutageStarted                    // this record made the backend lose its last server
	OutageOngoing                    // a record of the backend while the outage lasts
	OutageEnded                      // this record brought a server back
)

var outageStateNames = [...]string{"", "started", "ongoing", "ended"}

func (s OutageState) String() string {
	if int(s) < len(outageStateNames) {
		return outageStateNames[s]
	}
	return ""
}

// OutageID names an outage; 0 is none. It is a number so that starting an
// outage allocates nothing; it is written as 16 hex digits.
type OutageID uint64

// String is the id as written: 16 hex digits.
func (id OutageID) String() string { return string(id.Append(nil)) }

// Append appends the id as written.
func (id OutageID) Append(b []byte) []byte {
	const digits = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, digits[uint64(id)>>uint(shift)&0xf])
	}
	return b
}

// StateFields are what a line means given the lines before it: the stateful
// reading of package state (outages, server downtime, flapping, reloads).
// Decode only clears them; the tracker fills them; the encoder writes them.
// A zero value writes nothing.
type StateFields struct {
	Outage         OutageState // "haproxy.outage.state"
	OutageID       OutageID    // "haproxy.outage.id" (started, ongoing, ended)
	OutageStart    time.Time   // "haproxy.outage.started_at" (started, ended)
	OutageEnd      time.Time   // "haproxy.outage.ended_at" (ended)
	OutageDuration int64       // "haproxy.outage.duration_ms" (ended)
	// ServersDown are the servers that were down during the outage, in the
	// order they went down: "haproxy.outage.servers_down" (ended). The
	// strings belong to the tracker; the slice is reused from line to line.
	ServersDown []string

	DownSince   time.Time // "haproxy.server.down_since": on a server's UP record
	Downtime    int64     // "haproxy.server.downtime_ms", with DownSince
	Flapping    bool      // "haproxy.server.flapping": Transitions reached the threshold
	Transitions int       // "haproxy.server.transitions" within the flap window (written when Flapping)

	Reload bool // "haproxy.lifecycle.reload": a line of a reload (old and new process)
	OldPID int  // "haproxy.lifecycle.old_pid": on the record that revealed the new process; 0 when unknown
}

// clear empties s, keeping the ServersDown array.
func (s *StateFields) clear() {
	down := s.ServersDown[:0]
	*s = StateFields{ServersDown: down}
}

// IsSet reports whether the tracker wrote anything into s.
func (s *StateFields) IsSet() bool {
	return s.Outage != OutageNone || !s.DownSince.IsZero() || s.Flapping || s.Reload
}

// Time is the line's own time: the request date of a traffic line, else
// the time in its header. ok is false when the line carries none. The
// encoder's timestamp and the order of the state across lines both start
// from it.
func (e *Entry) Time() (t time.Time, ok bool) {
	if e.RequestDateOK {
		return e.RequestDate, true
	}
	return e.HeaderTime, e.HeaderTimeOK
}
