package decode

import (
	"testing"
	"time"
)

// Decode clears what the tracker wrote for the previous line, after a
// traffic line (field-by-field reset) and after an event, and keeps the
// ServersDown array.
func TestResetClearsState(t *testing.T) {
	var d Decoder
	var e Entry
	lines := []string{
		`127.0.0.1:1 [21/Nov/2026:07:36:03.936] fe be/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`,
		`Server be/s1 is UP. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`,
	}
	for _, first := range lines {
		for _, next := range lines {
			d.Decode(&e, []byte(first), time.Now())
			e.State = StateFields{Outage: OutageEnded, OutageID: 7, OutageStart: time.Now(), ServersDown: append(make([]string, 0, 4), "s1"),
				DownSince: time.Now(), Downtime: 5, Flapping: true, Transitions: 4, Reload: true, OldPID: 3}
			d.Decode(&e, []byte(next), time.Now())
			if e.State.IsSet() || e.State.OutageID != 0 || len(e.State.ServersDown) != 0 || e.State.OldPID != 0 || e.State.Transitions != 0 {
				t.Errorf("after %.20q then %.20q: state left %+v", first, next, e.State)
			}
			if cap(e.State.ServersDown) != 4 {
				t.Errorf("after %.20q then %.20q: ServersDown array dropped", first, next)
			}
		}
	}
}

func TestOutageStateString(t *testing.T) {
	for s, w := range map[OutageState]string{OutageNone: "", OutageStarted: "started", OutageOngoing: "ongoing", OutageEnded: "ended", 9: ""} {
		if s.String() != w {
			t.Errorf("%d: %q, want %q", s, s.String(), w)
		}
	}
}
