package report

import (
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
	sec, v := t.Unix(), int64(ta)
	// Most lines land in a bucket the series has: one division, not
	// addBucket's three and its bounds (2.3 % of the report's CPU).
	if i := (sec - s.origin) / max(s.width, 1); s.width != 0 && sec >= s.origin && i < int64(len(s.buckets)) {
		b := &s.buckets[i]
		b.count, b.sum, b.max = b.count+1, b.sum+v, max(b.max, v)
		return
	}
	s.addBucket(sec, bucket{count: 1, sum: v, max: v})
}

// addBucket adds b to the bucket holding the second sec, growing the
// series (and coarsening it past maxBuckets) as needed.
func (s *series) addBucket(sec int64, b bucket) {
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
		s.buckets = append(make([]bucket, n, int64(len(s.buckets))+n), s.buckets...)
		s.origin = key
	}
	i := (key - s.origin) / s.width
	for int64(len(s.buckets)) <= i {
		s.buckets = append(s.buckets, bucket{})
	}
	s.buckets[i].add(b)
}

// coarsen doubles the width, merging neighbours. The origin is a multiple
// of the width: bucket i goes to (i+off)/2, off being 1 when the origin is
// not a multiple of the new width. (A series of a 1M-line log coarsens a
// few hundred times in all: with a division per bucket, and the merged
// buckets regrown from a tight capacity, it was 1.5 % of the report's CPU.)
func (s *series) coarsen() {
	w := s.width * 2
	origin := floorDiv(s.origin, w) * w
	off := int((s.origin - origin) / s.width) // 0 or 1
	var merged []bucket
	if n := len(s.buckets); n > 0 {
		merged = make([]bucket, (n+off+1)/2, maxBuckets+1)
	}
	for i, b := range s.buckets {
		merged[(i+off)/2].add(b)
	}
	s.width, s.origin, s.buckets = w, origin, merged
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
	var pts []Point
	for i, b := range s.buckets {
		if b.count == 0 {
			continue
		}
		pts = append(pts, Point{Start: time.Unix(s.origin+int64(i)*s.width, 0).In(loc), Requests: b.count,
			MeanTa: round1(float64(b.sum) / float64(b.count)), MaxTa: b.max})
	}
	return pts
}
