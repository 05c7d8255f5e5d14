package report

import (
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

func stateEntry(typ decode.LogType, at time.Time, backend string, st decode.StateFields) *decode.Entry {
	e := &decode.Entry{State: st}
	e.Type = typ
	e.Backend, e.Server, e.PID = []byte(backend), []byte("s1"), 10
	e.RequestDate, e.RequestDateOK = at, typ != decode.LogEvent
	e.HeaderTime, e.HeaderTimeOK = at, true
	return e
}

func TestFollowOutage(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	r := New()
	// First seen ongoing: a refused request of an outage that began before
	// these logs.
	r.Follow(stateEntry(decode.LogHTTP, t0.Add(time.Second), "be", decode.StateFields{Outage: decode.OutageOngoing, OutageID: 0xa}), t0)
	down := []string{"s1", "s2"}
	end := stateEntry(decode.LogEvent, t0.Add(5*time.Second), "be", decode.StateFields{Outage: decode.OutageEnded, OutageID: 0xa,
		OutageStart: t0.Add(-time.Minute), OutageEnd: t0.Add(5 * time.Second), OutageDuration: 65000, ServersDown: down})
	r.Follow(end, t0)
	down[0] = "changed" // the tracker reuses its slice
	r.Follow(stateEntry(decode.LogEvent, t0.Add(9*time.Second), "be", decode.StateFields{Outage: decode.OutageStarted, OutageID: 0xb, OutageStart: t0.Add(9 * time.Second)}), t0)
	r.seen(t0.Add(20*time.Second), true)
	s := r.Summary()
	if len(s.Outages) != 2 {
		t.Fatalf("%d outages", len(s.Outages))
	}
	x, y := s.Outages[0], s.Outages[1]
	if x.ID != "000000000000000a" || x.Ongoing || x.Refused != 1 || !x.Start.Equal(t0.Add(-time.Minute)) || x.DurationMs != 65000 ||
		len(x.ServersDown) != 2 || x.ServersDown[0] != "s1" {
		t.Errorf("x: %+v", x)
	}
	if y.ID != "000000000000000b" || !y.Ongoing || y.DurationMs != 11000 || !y.End.IsZero() {
		t.Errorf("y (ongoing until the last line, 11 s later): %+v", y)
	}
}

func TestFollowReloadsAndFlapping(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	r := New()
	line := func(at time.Duration, pid, old int) {
		e := stateEntry(decode.LogEvent, t0.Add(at), "", decode.StateFields{Reload: true, OldPID: old})
		e.PID = pid
		r.Follow(e, t0)
	}
	line(0, 1, 0)             // the old process stopping
	line(time.Second, 2, 1)   // the new one: reload 1 -> 2
	line(2*time.Second, 1, 0) // more of the old one
	line(10*time.Minute, 3, 2)
	for i := range 3 {
		e := stateEntry(decode.LogEvent, t0.Add(time.Duration(i)*time.Second), "be", decode.StateFields{Flapping: true, Transitions: 4 + i})
		r.Follow(e, t0)
	}
	s := r.Summary()
	if len(s.Reloads) != 2 || len(s.Reloads[0].PIDs) != 2 || s.Reloads[0].PIDs[0] != 1 || s.Reloads[0].PIDs[1] != 2 ||
		s.Reloads[0].Lines != 3 || s.Reloads[1].PIDs[0] != 2 || s.Reloads[1].PIDs[1] != 3 {
		t.Errorf("reloads %+v", s.Reloads)
	}
	if len(s.Flapping) != 1 || s.Flapping[0].Transitions != 6 || s.Flapping[0].Lines != 3 || !s.Flapping[0].Last.Equal(t0.Add(2*time.Second)) {
		t.Errorf("flapping %+v", s.Flapping)
	}
}
