package report

import (
	"slices"
	"time"
)

// maxBuckets bounds a backend's latency series: past it, buckets are merged
// two by two (their width doubles), so that a week of logs takes the same
// memory as a minute.
const maxBuckets = 2048

// series is a backend's total time (Ta) over time, in consecutive buckets
// of width seconds: buckets[i] starts at origin + i*width (Unix seconds,
// origin a multiple of width). A slice, not a map: every line lands in
// one, found by a division.
type series struct {
	width   int64
	origin  int64
	buckets []bucket
}

type bucket struct {
	count, sum, max int64
}

func (b *bucket) add(o bucket) {
	b.count += o.count
	b.sum += o.sum
	b.max = max(b.max, o.max)
}

func (s *series) add(t time.Time, ta int) {
	v := int64(ta)
	s.addBucket(t.Unix(), bucket{count: 1, sum: v, max: v})
}

// grow makes bucket i (< maxBuckets) exist. The array grows as append
// grows it and is kept through coarsening (remade by each, and by each
// earlier line, it was 30 MB of garbage per 1M-line report).
func (s *series) grow(i int64) {
	if n := int(i) + 1; n > len(s.buckets) {
		old := len(s.buckets)
		s.buckets = slices.Grow(s.buckets, n-old)[:n]
		clear(s.buckets[old:])
	}
}

// addBucket adds b to the bucket holding the second sec, growing the
// series (and coarsening it past maxBuckets) as needed.
func (s *series) addBucket(sec int64, b bucket) {
	// Most lines land in a bucket the series has, or the next ones: one
	// division, without the bounds below (their three divisions for every
	// line were 2.3 % of the report's CPU).
	if i := (sec - s.origin) / max(s.width, 1); s.width != 0 && sec >= s.origin && i < maxBuckets {
		s.grow(i)
		s.buckets[i].add(b)
		return
	}
	if s.width == 0 {
		s.width, s.origin = 1, sec
	}
	key := floorDiv(sec, s.width) * s.width
	for {
		lo := min(s.origin, key)
		hi := max(s.origin+int64(len(s.buckets))*s.width, key+s.width)
		if (hi-lo)/s.width <= maxBuckets {
			break
		}
		s.coarsen()
		key = floorDiv(sec, s.width) * s.width
	}
	if key < s.origin { // an earlier line: grow at the front
		n := (s.origin - key) / s.width
		old := len(s.buckets)
		s.grow(int64(old) + n - 1)
		copy(s.buckets[n:], s.buckets[:old])
		clear(s.buckets[:n])
		s.origin = key
	}
	i := (key - s.origin) / s.width
	s.grow(i)
	s.buckets[i].add(b)
}

// coarsen doubles the width, merging neighbours in place. The origin is a
// multiple of the width: bucket i goes to (i+off)/2, off being 1 when the
// origin is not a multiple of the new width. (A series of a 1M-line log
// coarsens a few hundred times in all: with a division per bucket, and
// the merged buckets in a new array, it was 1.5 % of the report's CPU.)
func (s *series) coarsen() {
	w := s.width * 2
	origin := floorDiv(s.origin, w) * w
	off := int((s.origin - origin) / s.width) // 0 or 1
	n := len(s.buckets)
	m := 0
	if n > 0 {
		m = (n + off + 1) / 2
	}
	// Bucket j reads 2j-off and 2j-off+1, at or after j: written in order,
	// no bucket is overwritten before it is read.
	for j := range m {
		var sum bucket
		if lo := 2*j - off; lo >= 0 {
			sum.add(s.buckets[lo])
		}
		if hi := 2*j - off + 1; hi < n {
			sum.add(s.buckets[hi])
		}
		s.buckets[j] = sum
	}
	s.width, s.origin, s.buckets = w, origin, s.buckets[:m]
}

func (s *series) merge(o *series) {
	if o.width == 0 {
		return
	}
	for s.width != 0 && s.width < o.width {
		s.coarsen()
	}
	for i, b := range o.buckets {
		if b.count > 0 {
			s.addBucket(o.origin+int64(i)*o.width, b)
		}
	}
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

// points are the buckets that have requests, in time order.
func (s *series) points(loc *time.Location) []Point {
	n := 0
	for _, b := range s.buckets {
		if b.count > 0 {
			n++
		}
	}
	var pts []Point
	if n > 0 {
		pts = make([]Point, 0, n) // made once: regrown, it was a third of the summary's time
	}
	for i, b := range s.buckets {
		if b.count == 0 {
			continue
		}
		pts = append(pts, Point{Start: time.Unix(s.origin+int64(i)*s.width, 0).In(loc), Requests: b.count,
			MeanTa: round1(float64(b.sum) / float64(b.count)), MaxTa: b.max})
	}
	return pts
}
