package report

import (
	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// Timer histograms. One pass over a day of logs sees millions of values per
// timer: an HDR histogram keeps them in a fixed few hundred kilobytes with
// a stated precision, where sorting them all would keep every value.
const (
	// SignificantDigits is the histograms' precision: a percentile is
	// within 1 part in 10^SignificantDigits of the exact one (values under
	// 2,048 ms are exact).
	SignificantDigits = 3
	// HighestTrackableMs is the largest value a histogram tells apart
	// (a day); a longer time is counted as a day in the percentiles, and
	// still shows as the maximum, which is kept exactly.
	HighestTrackableMs = 24 * 3600 * 1000
)

// timer collects one HAProxy timer (Ta, Tr, Tw or Tc) of a set of requests.
type timer struct {
	h     *hdrhistogram.Histogram // nil until a value is seen
	max   int64
	sum   int64
	count int64
}

// record adds v, a timer in milliseconds; a negative v (-1: the phase was
// never reached) is not a time and is left out.
func (t *timer) record(v int) {
	if v < 0 {
		return
	}
	if t.h == nil {
		t.h = hdrhistogram.New(1, HighestTrackableMs, SignificantDigits)
	}
	x := int64(v)
	t.count++
	t.sum += x
	t.max = max(t.max, x)
	_ = t.h.RecordValue(min(x, HighestTrackableMs)) // in range by construction
}

// merge adds o's values to t.
func (t *timer) merge(o *timer) {
	if o.h == nil {
		return
	}
	if t.h == nil {
		t.h = hdrhistogram.New(1, HighestTrackableMs, SignificantDigits)
	}
	t.h.Merge(o.h)
	t.count += o.count
	t.sum += o.sum
	t.max = max(t.max, o.max)
}

// quantile is the value at q (0 < q ≤ 1) by the lower nearest rank, as
// halog -pct counts it: the k-th smallest value, k = floor(q·count) (at
// least 1). HdrHistogram's own rank rounds k to the nearest instead;
// asking it for the percentile k/count gives exactly rank k, so that the
// report and halog pick the same request and differ only by the
// histogram's precision.
func (t *timer) quantile(q float64) int64 {
	if t.count == 0 {
		return 0
	}
	n := t.h.TotalCount()
	k := int64(q * float64(n))
	k = max(k, 1)
	if k >= n {
		return t.max
	}
	return min(t.h.ValueAtPercentile(100*float64(k)/float64(n)), t.max)
}

// Timer is a timer's summary in the report.
type Timer struct {
	Count int64   `json:"count"` // requests that reached it
	Mean  float64 `json:"mean"`
	P50   int64   `json:"p50"`
	P90   int64   `json:"p90"`
	P99   int64   `json:"p99"`
	Max   int64   `json:"max"`
}

func (t *timer) summary() *Timer {
	if t.count == 0 {
		return nil
	}
	return &Timer{
		Count: t.count,
		Mean:  float64(t.sum) / float64(t.count),
		P50:   t.quantile(0.50),
		P90:   t.quantile(0.90),
		P99:   t.quantile(0.99),
		Max:   t.max,
	}
}
