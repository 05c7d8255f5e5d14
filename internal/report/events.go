package report

import (
	"slices"
	"time"
)

// Outage is one time a backend had no server left, from the line that
// started it to the one that ended it (End zero: still going at the end
// of the logs).
type Outage struct {
	ID          string    `json:"id"`
	Host        string    `json:"host,omitempty"`
	Backend     string    `json:"backend"`
	Start       time.Time `json:"started_at"`
	End         time.Time `json:"ended_at,omitzero"`
	DurationMs  int64     `json:"duration_ms"` // so far, when ongoing
	Ongoing     bool      `json:"ongoing"`
	ServersDown []string  `json:"servers_down,omitempty"`
	// Refused counts the requests refused while it lasted (<NOSRV>, 503).
	Refused int64 `json:"refused_requests"`
}

// Flapping is a server that changed state too often.
type Flapping struct {
	Host        string    `json:"host,omitempty"`
	Backend     string    `json:"backend"`
	Server      string    `json:"server"`
	Transitions int       `json:"transitions"` // the most seen within the window
	First       time.Time `json:"first_at"`    // first line marked flapping
	Last        time.Time `json:"last_at"`
	Lines       int64     `json:"lines"` // lines marked flapping
}

// Reload is a reload of HAProxy: the lines of an old and a new process
// marked as one reload.
type Reload struct {
	Host  string    `json:"host,omitempty"`
	At    time.Time `json:"at"`
	Last  time.Time `json:"last_at"`
	PIDs  []int     `json:"pids"`
	Lines int64     `json:"lines"`
}

// eventLog keeps the outages, flapping servers and reloads in the order
// they were first seen.
type eventLog struct {
	outages  []*Outage
	outageBy map[string]*Outage
	flapping []*Flapping
	flapBy   map[string]*Flapping
	reloads  []*Reload
}

// summary lists the events; an ongoing outage's duration runs to end, the
// last line's time.
func (l *eventLog) summary(end time.Time) (outages []Outage, flapping []Flapping, reloads []Reload) {
	outages = make([]Outage, 0, len(l.outages))
	for _, o := range l.outages {
		c := *o
		if c.Ongoing && end.After(c.Start) {
			c.DurationMs = end.Sub(c.Start).Milliseconds()
		}
		outages = append(outages, c)
	}
	flapping = make([]Flapping, 0, len(l.flapping))
	for _, f := range l.flapping {
		flapping = append(flapping, *f)
	}
	reloads = make([]Reload, 0, len(l.reloads))
	for _, r := range l.reloads {
		reloads = append(reloads, *r)
	}
	// In time order (files given out of order are read in the order given).
	slices.SortStableFunc(outages, func(a, b Outage) int { return a.Start.Compare(b.Start) })
	slices.SortStableFunc(flapping, func(a, b Flapping) int { return a.First.Compare(b.First) })
	slices.SortStableFunc(reloads, func(a, b Reload) int { return a.At.Compare(b.At) })
	return outages, flapping, reloads
}
