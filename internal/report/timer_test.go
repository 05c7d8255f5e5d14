package report

import (
	"math/rand/v2"
	"testing"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// hdrQuantile is the quantile as the report computed it with
// hdrhistogram-go, whose buckets the timer's histogram keeps.
func hdrQuantile(h *hdrhistogram.Histogram, maxValue int64, q float64) int64 {
	n := h.TotalCount()
	k := max(int64(q*float64(n)), 1)
	if k >= n {
		return maxValue
	}
	return min(h.ValueAtPercentile(100*float64(k)/float64(n)), maxValue)
}

// The timers' percentiles are hdrhistogram-go's, to the millisecond, on
// values from 0 to past a day, recorded in one timer or in two merged.
func TestHistogramAsHdr(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	draws := map[string]func() int{
		"exp 30ms":   func() int { return int(rng.ExpFloat64() * 30) },
		"exp 5s":     func() int { return int(rng.ExpFloat64() * 5000) },
		"uniform":    func() int { return rng.IntN(2 * HighestTrackableMs) },
		"powers":     func() int { v := 1 << rng.IntN(28); return v - 1 + rng.IntN(3) },
		"few values": func() int { return []int{0, 1, 2047, 2048, 2049, 4095, 4096}[rng.IntN(7)] },
	}
	for name, draw := range draws {
		for _, n := range []int{1, 2, 3, 17, 1000, 54321} {
			var one, a, b timer
			h := hdrhistogram.New(1, HighestTrackableMs, SignificantDigits)
			maxValue := int64(0)
			for i := range n {
				v := draw()
				one.record(v)
				if i%3 == 0 {
					a.record(v)
				} else {
					b.record(v)
				}
				h.RecordValue(min(int64(v), HighestTrackableMs))
				maxValue = max(maxValue, int64(v))
			}
			a.merge(&b)
			qs := []float64{0.5, 0.9, 0.99, 0.999, 1}
			if n < 100 {
				qs = qs[:0]
				for k := 1; k <= n; k++ {
					qs = append(qs, float64(k)/float64(n))
				}
			}
			for _, q := range qs {
				want := hdrQuantile(h, maxValue, q)
				if got, merged := one.quantile(q), a.quantile(q); got != want || merged != want {
					t.Errorf("%s, n=%d, q=%v: %d (merged %d), hdrhistogram %d", name, n, q, got, merged, want)
				}
			}
		}
	}
}
