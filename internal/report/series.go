package report

import (
	"slices"
	"time"
)

// maxBuckets bounds a backend's latency series: past it, buckets are merged
// two by two (their width doubles), so that a week of logs takes the same
// memory as a minute.
const maxBuckets = 2048

// series is a backend's total time (Ta) over time, in buckets of width
// seconds keyed by their start (Unix seconds, a multiple of width).
type series struct {
	width   int64
	buckets map[int64]*bucket
}

type bucket struct {
	count, sum, max int64
}

func (s *series) add(t time.Time, ta int) {
	if s.buckets == nil {
		s.width = 1
		s.buckets = make(map[int64]*bucket)
	}
	key := floorDiv(t.Unix(), s.width) * s.width
	b, ok := s.buckets[key]
	if !ok {
		if len(s.buckets) >= maxBuckets {
			s.coarsen()
			key = floorDiv(t.Unix(), s.width) * s.width
			b, ok = s.buckets[key]
		}
		if !ok {
			b = &bucket{}
			s.buckets[key] = b
		}
	}
	b.count++
	b.sum += int64(ta)
	b.max = max(b.max, int64(ta))
}

// coarsen doubles the width, merging neighbours.
func (s *series) coarsen() {
	s.width *= 2
	merged := make(map[int64]*bucket, len(s.buckets)/2+1)
	for k, b := range s.buckets {
		nk := floorDiv(k, s.width) * s.width
		m, ok := merged[nk]
		if !ok {
			merged[nk] = b
			continue
		}
		m.count += b.count
		m.sum += b.sum
		m.max = max(m.max, b.max)
	}
	s.buckets = merged
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Point is one bucket of a latency series.
type Point struct {
	Start    time.Time `json:"start"`
	Requests int64     `json:"requests"`
	MeanTa   float64   `json:"mean_ta_ms"`
	MaxTa    int64     `json:"max_ta_ms"`
}

// points are the buckets in time order.
func (s *series) points(loc *time.Location) []Point {
	keys := make([]int64, 0, len(s.buckets))
	for k := range s.buckets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	pts := make([]Point, len(keys))
	for i, k := range keys {
		b := s.buckets[k]
		pts[i] = Point{Start: time.Unix(k, 0).In(loc), Requests: b.count,
			MeanTa: round1(float64(b.sum) / float64(b.count)), MaxTa: b.max}
	}
	return pts
}
