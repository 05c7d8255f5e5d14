package report

import (
	"cmp"
	"slices"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// urlTable follows every URL path (without its query, as halog -u does) up
// to MaxURLs of them; requests for paths past that are only counted.
type urlTable struct {
	byPath    map[string]*urlStat
	recent    *recent[urlStat] // the paths last found (recent.go)
	untracked int64
}

type urlStat struct {
	requests int64
	errors   int64 // 5xx, or a timer never reached
	ta       timerSum
	tr       timerSum
}

// timerSum is a mean and maximum, without percentiles: there may be many
// URLs, and a histogram each would not fit.
type timerSum struct {
	sum, count, max int64
}

func (t *timerSum) add(v int) {
	if v < 0 {
		return
	}
	t.sum += int64(v)
	t.count++
	t.max = max(t.max, int64(v))
}

func (t *timerSum) mean() float64 {
	if t.count == 0 {
		return 0
	}
	return float64(t.sum) / float64(t.count)
}

func (u *urlTable) add(e *decode.Entry) {
	if len(e.URLPath) == 0 {
		return
	}
	var sl *recentSlot[urlStat]
	var s *urlStat
	if len(e.URLPath) <= maxRecentKey {
		if sl = u.recent.slot(e.URLPath); sl.holds(e.URLPath) {
			s = sl.v
		}
	}
	if s == nil {
		var ok bool
		if s, ok = u.byPath[string(e.URLPath)]; !ok {
			if len(u.byPath) >= MaxURLs {
				u.untracked++
				return
			}
			s = &urlStat{}
			u.byPath[string(e.URLPath)] = s
		}
		if sl != nil {
			sl.keep(e.URLPath, s)
		}
	}
	s.requests++
	if e.Status >= 500 || e.Ta < 0 || e.Tr < 0 {
		s.errors++
	}
	s.ta.add(e.Ta)
	s.tr.add(e.Tr)
}

// URL is one of the slowest URLs.
type URL struct {
	Path     string  `json:"path"`
	Requests int64   `json:"requests"`
	Errors   int64   `json:"errors"`
	MeanTa   float64 `json:"mean_ta_ms"`
	MaxTa    int64   `json:"max_ta_ms"`
	MeanTr   float64 `json:"mean_tr_ms"`
}

// slowest are the n paths with the highest mean total time (Ta), then the
// highest maximum, then by path.
func (u *urlTable) slowest(n int) []URL {
	all := make([]URL, 0, len(u.byPath))
	for p, s := range u.byPath {
		all = append(all, URL{Path: p, Requests: s.requests, Errors: s.errors,
			MeanTa: round1(s.ta.mean()), MaxTa: s.ta.max, MeanTr: round1(s.tr.mean())})
	}
	slices.SortFunc(all, func(a, b URL) int {
		if c := cmp.Compare(b.MeanTa, a.MeanTa); c != 0 {
			return c
		}
		if c := cmp.Compare(b.MaxTa, a.MaxTa); c != 0 {
			return c
		}
		return cmp.Compare(a.Path, b.Path)
	})
	return all[:min(n, len(all))]
}
