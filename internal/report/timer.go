package report

import "math/bits"

// Timer histograms. One pass over a day of logs sees millions of values per
// timer: a histogram keeps them in bounded memory with a stated precision,
// where sorting them all would keep every value.
//
// The buckets are HdrHistogram's for 1 ms to a day at 3 significant digits
// (hdrhistogram-go's New(1, HighestTrackableMs, SignificantDigits), the
// report's histogram until it was measured): 2,048 exact values, then
// doublings of 1,024 counts each, 18,432 counts in all. They are kept in
// pages of 1,024 counts allocated when a value first lands in them: a
// server's timers touch a few, where the library allocated and cleared all
// 147 KB for each timer of each server of each worker (64 MB for the 1M-line
// bench, 0.03 s of its CPU with the page faults). TestHistogramAsHdr checks
// the percentiles against the library's.
const (
	// SignificantDigits is the histograms' precision: a percentile is
	// within 1 part in 10^SignificantDigits of the exact one (values under
	// 2,048 ms are exact).
	SignificantDigits = 3
	// HighestTrackableMs is the largest value a histogram tells apart
	// (a day); a longer time is counted as a day in the percentiles, and
	// still shows as the maximum, which is kept exactly.
	HighestTrackableMs = 24 * 3600 * 1000

	subHalfBits = 10               // 1,024 sub-buckets per doubling (2^10 > 10^3)
	pageLen     = 1 << subHalfBits // counts per page
	numPages    = 18               // HighestTrackableMs's index is in the last one
)

// histogram counts values of 0 to HighestTrackableMs. The zero value is
// empty.
type histogram struct {
	total int64
	pages [numPages]*[pageLen]int64
}

// index is HdrHistogram's counts index of v: the exact values 0 to 2,047
// first, then for bucket b ≥ 1 the values v with v >> b in 1,024 to 2,047.
func index(v int64) int {
	b := bits.Len64(uint64(v)|(2*pageLen-1)) - (subHalfBits + 1)
	return b<<subHalfBits + int(v>>b)
}

// highestEquivalent is the largest value counted at index i (what
// HdrHistogram's percentiles give).
func highestEquivalent(i int) int64 {
	if i < 2*pageLen {
		return int64(i)
	}
	b := i>>subHalfBits - 1
	sub := int64(i&(pageLen-1) + pageLen)
	return (sub+1)<<b - 1
}

func (h *histogram) add(i int, n int64) {
	p := h.pages[i>>subHalfBits]
	if p == nil {
		p = new([pageLen]int64)
		h.pages[i>>subHalfBits] = p
	}
	p[i&(pageLen-1)] += n
	h.total += n
}

// rank is the k-th smallest value (1 ≤ k ≤ total), as the histogram has
// it.
func (h *histogram) rank(k int64) int64 {
	var seen int64
	for pi, p := range h.pages {
		if p == nil {
			continue
		}
		for j, n := range p {
			if seen += n; seen >= k {
				return highestEquivalent(pi<<subHalfBits + j)
			}
		}
	}
	return 0
}

// merge adds o's counts to h, page by page (the merges of the end of a
// report, one per timer per server per worker and per backend, are on its
// critical path).
func (h *histogram) merge(o *histogram) {
	for pi, p := range o.pages {
		if p == nil {
			continue
		}
		q := h.pages[pi]
		if q == nil {
			q = new([pageLen]int64)
			h.pages[pi] = q
		}
		for j, n := range p {
			q[j] += n
		}
	}
	h.total += o.total
}

// timer collects one HAProxy timer (Ta, Tr, Tw or Tc) of a set of requests.
type timer struct {
	h     histogram
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
	x := int64(v)
	t.count++
	t.sum += x
	t.max = max(t.max, x)
	t.h.add(index(min(x, HighestTrackableMs)), 1)
}

// merge adds o's values to t.
func (t *timer) merge(o *timer) {
	t.h.merge(&o.h)
	t.count += o.count
	t.sum += o.sum
	t.max = max(t.max, o.max)
}

// quantile is the value at q (0 < q ≤ 1) by the lower nearest rank, as
// halog -pct counts it: the k-th smallest value, k = floor(q·count) (at
// least 1), as the histogram has it, so that the report and halog pick the
// same request and differ only by the histogram's precision.
// (HdrHistogram's own percentile rounds the rank to the nearest; the
// report asked it for the percentile 100·k/count, whose rank it computes
// back as below: the same k.)
func (t *timer) quantile(q float64) int64 {
	if t.count == 0 {
		return 0
	}
	n := t.h.total
	k := int64(q * float64(n))
	k = max(k, 1)
	if k >= n {
		return t.max
	}
	pct := 100 * float64(k) / float64(n)
	k = min(max(int64(pct/100*float64(n)+0.5), 1), n)
	return min(t.h.rank(k), t.max)
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
