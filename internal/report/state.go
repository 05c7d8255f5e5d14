package report

import (
	"slices"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// reloadGap is how far apart two reload lines of a host may be and still
// be one reload (a reload's lines come within the tracker's reload window
// of each other; the old process's last "stopped" lines can come later,
// after its grace period).
const reloadGap = time.Minute

// followState takes the outages, flapping servers and reloads that the
// state tracker marked on e (decode.StateFields).
func (r *Report) followState(e *decode.Entry, received time.Time) {
	st := &e.State
	if !st.IsSet() {
		return
	}
	at, ok := when(e) // the time the tracker went by (state.EventTime)
	if !ok {
		at = received
	}
	host := string(e.Hostname)
	if st.Outage != decode.OutageNone {
		r.events.outage(e, host, at)
	}
	if st.Flapping {
		r.events.flap(e, host, at)
	}
	if st.Reload {
		r.events.reload(e, host, at)
	}
}

func (l *eventLog) outage(e *decode.Entry, host string, at time.Time) {
	st := &e.State
	id := st.OutageID.String()
	o, ok := l.outageBy[id]
	if !ok {
		// An outage first seen ongoing or ending began before these logs
		// (or in the tracker's state file): it starts, for the report,
		// at its first line.
		start := st.OutageStart
		if start.IsZero() {
			start = at
		}
		o = &Outage{ID: id, Host: host, Backend: string(e.Backend), Start: start, Ongoing: true}
		if l.outageBy == nil {
			l.outageBy = make(map[string]*Outage)
		}
		l.outageBy[id] = o
		l.outages = append(l.outages, o)
	}
	switch st.Outage {
	case decode.OutageOngoing:
		if e.IsTraffic() {
			o.Refused++
		}
	case decode.OutageEnded:
		o.Ongoing = false
		if !st.OutageStart.IsZero() {
			o.Start = st.OutageStart
		}
		o.End = st.OutageEnd
		if o.End.IsZero() {
			o.End = at
		}
		o.DurationMs = st.OutageDuration
		o.ServersDown = slices.Clone(st.ServersDown)
	}
}

func (l *eventLog) flap(e *decode.Entry, host string, at time.Time) {
	key := host + "\x00" + string(e.Backend) + "\x00" + string(e.Server)
	f, ok := l.flapBy[key]
	if !ok {
		f = &Flapping{Host: host, Backend: string(e.Backend), Server: string(e.Server), First: at}
		if l.flapBy == nil {
			l.flapBy = make(map[string]*Flapping)
		}
		l.flapBy[key] = f
		l.flapping = append(l.flapping, f)
	}
	f.Transitions = max(f.Transitions, e.State.Transitions)
	f.Last = maxTime(f.Last, at)
	f.Lines++
}

// reload groups the lines marked as a reload: a host's lines within
// reloadGap of each other are one reload, of the old and the new process
// that the record revealing the new one names (OldPID); a reveal naming
// other processes starts another.
func (l *eventLog) reload(e *decode.Entry, host string, at time.Time) {
	old := e.State.OldPID
	var rl *Reload
	// The latest few reloads only: a log with a reload storm (processes
	// changing every line) must not make each line scan them all.
	for i := len(l.reloads) - 1; i >= max(0, len(l.reloads)-8); i-- {
		c := l.reloads[i]
		if c.Host != host || at.Sub(c.Last) > reloadGap || c.At.Sub(at) > reloadGap {
			continue
		}
		if old > 0 && slices.ContainsFunc(c.PIDs, func(p int) bool { return p != old && p != e.PID }) {
			continue // another pair of processes: a reload of its own
		}
		if rl == nil || slices.Contains(c.PIDs, e.PID) {
			rl = c
		}
		if slices.Contains(c.PIDs, e.PID) {
			break
		}
	}
	if rl == nil {
		rl = &Reload{Host: host, At: at, Last: at}
		l.reloads = append(l.reloads, rl)
	}
	rl.Lines++
	rl.At = minTime(rl.At, at)
	rl.Last = maxTime(rl.Last, at)
	for _, pid := range []int{old, e.PID} {
		if pid > 0 && !slices.Contains(rl.PIDs, pid) {
			rl.PIDs = append(rl.PIDs, pid)
		}
	}
}
