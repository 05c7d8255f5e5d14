package report

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Every bucket of a series holds exactly the values added at its seconds,
// however the series grew (forwards, backwards, across gaps, coarsening
// many times) and after a merge of two series, and it stays bounded.
func TestSeriesAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC).Unix()
	for _, span := range []int64{10, 3000, 50_000, 2_000_000} {
		var a, b, both series
		type added struct{ sec, v int64 }
		var all []added
		sec := start
		for i := range 20_000 {
			// Mostly forwards, with lines from before (long requests) and gaps.
			sec += rng.Int64N(3*span/20_000 + 1)
			at := sec - rng.Int64N(span/100+1)
			if i%997 == 0 {
				at = start - rng.Int64N(span)
			}
			v := rng.Int64N(5000)
			all = append(all, added{at, v})
			tm := time.Unix(at, 0)
			both.add(tm, int(v))
			if i%2 == 0 {
				a.add(tm, int(v))
			} else {
				b.add(tm, int(v))
			}
		}
		a.merge(&b)
		for name, s := range map[string]*series{"one": &both, "merged": &a} {
			if len(s.buckets) > maxBuckets || s.origin%s.width != 0 {
				t.Fatalf("span %d, %s: %d buckets of %ds from %d", span, name, len(s.buckets), s.width, s.origin)
			}
			want := make([]bucket, len(s.buckets))
			for _, x := range all {
				i := (x.sec - s.origin) / s.width
				if x.sec < s.origin || i >= int64(len(want)) {
					t.Fatalf("span %d, %s: second %d is outside the series (%d buckets of %ds from %d)",
						span, name, x.sec, len(s.buckets), s.width, s.origin)
				}
				want[i].add(bucket{count: 1, sum: x.v, max: x.v})
			}
			for i := range want {
				if s.buckets[i] != want[i] {
					t.Fatalf("span %d, %s: bucket %d (of %ds) is %+v, want %+v", span, name, i, s.width, s.buckets[i], want[i])
				}
			}
		}
	}
}
