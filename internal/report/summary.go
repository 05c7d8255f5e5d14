package report

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// Summary is the whole report, as written in JSON (-json) and shown in
// text and HTML.
type Summary struct {
	From              time.Time          `json:"from,omitzero"`
	To                time.Time          `json:"to,omitzero"`
	Lines             Lines              `json:"lines"`
	Backends          []Group            `json:"backends"`
	Servers           []Group            `json:"servers"`
	TerminationStates []TerminationState `json:"termination_states"`
	SlowestURLs       []URL              `json:"slowest_urls"`
	Outages           []Outage           `json:"outages"`
	Flapping          []Flapping         `json:"flapping"`
	Reloads           []Reload           `json:"reloads"`
	Unknown           Unknown            `json:"unknown"`
	// Latency is each backend's Ta over time, for the HTML chart.
	Latency []Series `json:"latency"`
	// Precision says how exact the percentiles are.
	Precision string `json:"percentile_precision"`
}

// Lines counts the lines read, by kind.
type Lines struct {
	Total   int64 `json:"total"`
	HTTP    int64 `json:"http"`
	HTTPS   int64 `json:"https"`
	TCP     int64 `json:"tcp"`
	CLF     int64 `json:"clf"`
	Event   int64 `json:"event"`
	Unknown int64 `json:"unknown"`
}

// Group is a backend, or one server of a backend ("be/srv").
type Group struct {
	Name     string `json:"name"`
	Backend  string `json:"backend"`
	Server   string `json:"server,omitempty"`
	Requests int64  `json:"requests"`
	// Errors are the requests with a timer never reached (-1: aborted,
	// refused, timed out), as halog -srv counts them; OK the others.
	Errors        int64            `json:"errors"`
	OK            int64            `json:"ok"`
	StatusClasses StatusClasses    `json:"status_classes"`
	Statuses      map[string]int64 `json:"statuses,omitempty"`
	Termination   map[string]int64 `json:"termination_states,omitempty"`
	Timers        map[string]Timer `json:"timers_ms"`
}

// StatusClasses counts HTTP statuses by class; Other is -1 or invalid.
type StatusClasses struct {
	C1xx  int64 `json:"1xx"`
	C2xx  int64 `json:"2xx"`
	C3xx  int64 `json:"3xx"`
	C4xx  int64 `json:"4xx"`
	C5xx  int64 `json:"5xx"`
	Other int64 `json:"other"`
}

// TerminationState is one termination state seen, with what it means.
type TerminationState struct {
	State   string `json:"state"`
	Count   int64  `json:"count"`
	Blame   string `json:"blame"`
	Anomaly bool   `json:"anomaly"`
	Meaning string `json:"meaning"`
}

// Unknown sums up the lines that were not understood.
type Unknown struct {
	Count   int64           `json:"count"`
	Reasons []UnknownReason `json:"reasons"`
}

// UnknownReason is one parse error, how often, and the first line with it.
type UnknownReason struct {
	Reason  string `json:"reason"`
	Count   int64  `json:"count"`
	Example string `json:"example"`
}

// Series is one backend's latency over time.
type Series struct {
	Backend      string  `json:"backend"`
	BucketSecond int64   `json:"bucket_seconds"`
	Points       []Point `json:"points"`
}

// Summary computes the report of what was added so far.
func (r *Report) Summary() *Summary {
	s := &Summary{From: r.first, To: r.last, Lines: r.lines,
		Precision: "percentiles are the lower nearest rank (as halog -pct), within 1 part in 10^" +
			strconv.Itoa(SignificantDigits) + " (HdrHistogram); mean and max are exact"}
	terms := make(map[string]*int64)
	names := make([]string, 0, len(r.backends))
	for n := range r.backends {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		b := r.backends[n]
		s.Backends = append(s.Backends, b.summary())
		for _, srv := range b.sortedServers() {
			s.Servers = append(s.Servers, srv.group(b.name))
			for k, v := range srv.terms {
				addString(terms, k.String(), *v)
			}
		}
		if b.series.width > 0 {
			s.Latency = append(s.Latency, Series{Backend: b.name, BucketSecond: b.series.width,
				Points: b.series.points(r.loc())})
		}
	}
	s.TerminationStates = terminationStates(terms)
	s.SlowestURLs = r.urls.slowest(r.TopURLs)
	s.Outages, s.Flapping, s.Reloads = r.events.summary(r.last)
	s.Unknown = r.unknownSummary()
	return s
}

// loc is the zone the lines' dates were read in.
func (r *Report) loc() *time.Location {
	if r.first.IsZero() {
		return time.UTC
	}
	return r.first.Location()
}

func (b *backend) sortedServers() []*server {
	srvs := make([]*server, 0, len(b.servers))
	for _, s := range b.servers {
		srvs = append(srvs, s)
	}
	slices.SortFunc(srvs, func(x, y *server) int { return cmp.Compare(x.name, y.name) })
	return srvs
}

// summary merges the backend's servers.
func (b *backend) summary() Group {
	var all server
	all.statuses = make(map[int]*int64)
	all.terms = make(map[termKey]*int64)
	for _, s := range b.servers {
		all.merge(s)
	}
	g := all.group(b.name)
	g.Name, g.Server = b.name, ""
	return g
}

func addInt(m map[int]*int64, k int, n int64) {
	if p, ok := m[k]; ok {
		*p += n
		return
	}
	m[k] = &n
}

func addString(m map[string]*int64, k string, n int64) {
	if p, ok := m[k]; ok {
		*p += n
		return
	}
	m[k] = &n
}

func (s *server) group(backendName string) Group {
	g := Group{Name: backendName + "/" + s.name, Backend: backendName, Server: s.name,
		Requests: s.requests, OK: s.ok, Errors: s.requests - s.ok,
		StatusClasses: StatusClasses{C1xx: s.classes[1], C2xx: s.classes[2], C3xx: s.classes[3],
			C4xx: s.classes[4], C5xx: s.classes[5], Other: s.classes[0]},
		Timers: make(map[string]Timer, numTimers)}
	for code, n := range s.codes {
		if n > 0 {
			if g.Statuses == nil {
				g.Statuses = make(map[string]int64)
			}
			g.Statuses[strconv.Itoa(code)] = n
		}
	}
	for k, v := range s.statuses {
		if g.Statuses == nil {
			g.Statuses = make(map[string]int64)
		}
		g.Statuses[strconv.Itoa(k)] = *v
	}
	if len(s.terms) > 0 {
		g.Termination = make(map[string]int64, len(s.terms))
		for k, v := range s.terms {
			g.Termination[k.String()] = *v
		}
	}
	for i := range s.timers {
		if t := s.timers[i].summary(); t != nil {
			g.Timers[timerNames[i]] = *t
		}
	}
	return g
}

// terminationStates lists the states seen, most frequent first, each with
// its blame and the first sentence of decode's explanation.
func terminationStates(terms map[string]*int64) []TerminationState {
	out := make([]TerminationState, 0, len(terms))
	for state, n := range terms {
		ts := TerminationState{State: state, Count: *n, Blame: "unknown",
			Meaning: "not a termination state HAProxy writes"}
		if t, ok := decode.ExplainTermination([]byte(state)); ok {
			ts.Blame, ts.Anomaly, ts.Meaning = t.Blame, t.Anomaly, firstSentence(t.Summary)
			if len(state) == 4 && state[2:] != "--" && t.CookieSummary != "" {
				ts.Meaning += " Cookies: " + firstSentence(t.CookieSummary)
			}
		}
		out = append(out, ts)
	}
	slices.SortFunc(out, func(a, b TerminationState) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.State, b.State)
	})
	return out
}

// firstSentence is s up to its first ". " (explanations go on with
// details and advice that do not fit a table row).
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

func (r *Report) unknownSummary() Unknown {
	u := Unknown{Count: r.lines.Unknown, Reasons: make([]UnknownReason, 0, len(r.unknown))}
	for reason, v := range r.unknown {
		u.Reasons = append(u.Reasons, UnknownReason{Reason: reason, Count: v.count, Example: v.example})
	}
	slices.SortFunc(u.Reasons, func(a, b UnknownReason) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Reason, b.Reason)
	})
	return u
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
