package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Chart geometry for the HTML page, computed here so that the template
// only places elements. Sizes are SVG user units (pixels at 100 %).
const (
	chartW       = 1000
	latencyH     = 320
	marginLeft   = 180 // room for the timeline's backend names; both charts share it and their time axis
	marginRight  = 20
	marginTop    = 20
	marginBottom = 40
	timelineRowH = 26
	maxSeries    = 8 // backends drawn in the latency chart, the busiest
)

// palette: colours told apart by most eyes, none close to the grey axes.
var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"}

type tick struct {
	Pos   float64
	Label string
}

type chartSeries struct {
	Name  string
	Color string
	Lines []string // "x,y x,y ..." for each <polyline>: a run of buckets with requests

	Dots     []dot // drawn when there are few points
	Requests int64
}

type dot struct{ X, Y float64 }

type lineChart struct {
	W, H           int
	X0, X1, Y0, Y1 float64 // the plot area
	Series         []chartSeries
	XTicks, YTicks []tick
	Empty          bool
}

// timeAxis maps [from, to] onto [x0, x1].
type timeAxis struct {
	from, to time.Time
	x0, x1   float64
}

func (a timeAxis) x(t time.Time) float64 {
	span := a.to.Sub(a.from)
	if span <= 0 {
		return (a.x0 + a.x1) / 2
	}
	return a.x0 + (a.x1-a.x0)*float64(t.Sub(a.from))/float64(span)
}

// ticks are about n times on the axis, at round steps.
func (a timeAxis) ticks(n int) []tick {
	span := a.to.Sub(a.from)
	if span <= 0 {
		return []tick{{Pos: a.x(a.from), Label: a.from.Format("15:04:05")}}
	}
	steps := []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second,
		30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute,
		30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}
	step := steps[len(steps)-1]
	for _, s := range steps {
		if span/s <= time.Duration(n) {
			step = s
			break
		}
	}
	for span/step > time.Duration(n) { // more than days
		step *= 2
	}
	layout := "15:04:05"
	if step >= time.Minute {
		layout = "15:04"
	}
	if span >= 24*time.Hour {
		layout = "01-02 15:04"
	}
	var out []tick
	_, off := a.from.Zone()
	zone := time.Duration(off) * time.Second
	first := a.from.Add(zone).Truncate(step).Add(-zone)
	for t := first; !t.After(a.to); t = t.Add(step) {
		if t.Before(a.from) {
			continue
		}
		out = append(out, tick{Pos: a.x(t), Label: t.Format(layout)})
	}
	return out
}

// niceMax rounds v up to 1, 2 or 5 times a power of ten.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// latencyChart draws the mean Ta of each of the busiest backends over time.
func latencyChart(s *Summary) lineChart {
	c := lineChart{W: chartW, H: latencyH, X0: marginLeft, X1: chartW - marginRight,
		Y0: marginTop, Y1: latencyH - marginBottom}
	series := slices.Clone(s.Latency)
	requests := func(sr Series) int64 {
		n := int64(0)
		for _, p := range sr.Points {
			n += p.Requests
		}
		return n
	}
	slices.SortStableFunc(series, func(a, b Series) int { return cmp.Compare(requests(b), requests(a)) })
	series = series[:min(len(series), maxSeries)]
	if len(series) == 0 {
		c.Empty = true
		return c
	}
	top := 0.0
	for _, sr := range series {
		for _, p := range sr.Points {
			top = max(top, p.MeanTa)
		}
	}
	from, to := span(s)
	ax := timeAxis{from: from, to: to, x0: c.X0, x1: c.X1}
	top = niceMax(top)
	y := func(v float64) float64 { return c.Y1 - (c.Y1-c.Y0)*v/top }
	for i, sr := range series {
		cs := chartSeries{Name: sr.Backend, Color: palette[i%len(palette)], Requests: requests(sr)}
		var pts []string
		for j, p := range sr.Points {
			// No line across buckets without requests: nothing was measured there.
			if j > 0 && p.Start.Sub(sr.Points[j-1].Start) > time.Duration(sr.BucketSecond)*time.Second && len(pts) > 0 {
				cs.Lines = append(cs.Lines, strings.Join(pts, " "))
				pts = pts[:0]
			}
			// A bucket's point is at its middle.
			mid := p.Start.Add(time.Duration(sr.BucketSecond) * time.Second / 2)
			d := dot{X: round1(ax.x(mid)), Y: round1(y(p.MeanTa))}
			pts = append(pts, strconv.FormatFloat(d.X, 'f', -1, 64)+","+strconv.FormatFloat(d.Y, 'f', -1, 64))
			if len(sr.Points) <= 200 {
				cs.Dots = append(cs.Dots, d)
			}
		}
		cs.Lines = append(cs.Lines, strings.Join(pts, " "))
		c.Series = append(c.Series, cs)
	}
	c.XTicks = ax.ticks(8)
	for i := 0; i <= 5; i++ { // fifths of 1, 2, 5 or 10 are round
		v := top * float64(i) / 5
		c.YTicks = append(c.YTicks, tick{Pos: y(v), Label: fmtMs(v)})
	}
	return c
}

func fmtMs(v float64) string {
	if v >= 1000 {
		return strconv.FormatFloat(v/1000, 'f', -1, 64) + " s"
	}
	return strconv.FormatFloat(v, 'f', -1, 64) + " ms"
}

type timelineRow struct {
	Y     float64
	Label string
	Bars  []timelineBar
}

type timelineBar struct {
	X, W    float64
	Title   string
	Ongoing bool
}

type timeline struct {
	W, H   int
	X0, X1 float64
	PlotY  float64 // the shaded band behind the rows
	PlotH  float64
	AxisY  float64
	Rows   []timelineRow
	XTicks []tick
	Empty  bool
}

// outageTimeline draws one row per backend that had an outage, a bar per
// outage, across the time the logs cover.
func outageTimeline(s *Summary) timeline {
	t := timeline{W: chartW, X0: marginLeft, X1: chartW - marginRight}
	if len(s.Outages) == 0 {
		t.Empty = true
		t.H, t.PlotY, t.PlotH = 40, 4, 32
		return t
	}
	from, to := span(s)
	ax := timeAxis{from: from, to: to, x0: t.X0, x1: t.X1}
	rowOf := make(map[string]int)
	for _, o := range s.Outages {
		key := hostBackend(o.Host, o.Backend)
		i, ok := rowOf[key]
		if !ok {
			i = len(t.Rows)
			rowOf[key] = i
			t.Rows = append(t.Rows, timelineRow{Y: float64(marginTop + i*timelineRowH), Label: key})
		}
		x0, x1 := ax.x(o.Start), ax.x(outageEnd(o, s.To))
		end := fmtTime(o.End)
		if o.Ongoing {
			end = "still going at the end of the logs"
		}
		t.Rows[i].Bars = append(t.Rows[i].Bars, timelineBar{X: round1(x0), W: round1(max(x1-x0, 3)), Ongoing: o.Ongoing,
			Title: fmt.Sprintf("%s: %s to %s (%s), servers down: %s", key, fmtTime(o.Start), end,
				fmtDuration(o.DurationMs), orDash(strings.Join(o.ServersDown, ", ")))})
	}
	t.PlotY = marginTop - 4
	t.PlotH = float64(len(t.Rows)*timelineRowH + 4)
	t.AxisY = t.PlotY + t.PlotH
	t.H = marginTop + len(t.Rows)*timelineRowH + marginBottom
	t.XTicks = ax.ticks(8)
	return t
}

// span is the time both charts show: the logs' first to last line, and
// every outage and latency bucket in full.
func span(s *Summary) (from, to time.Time) {
	from, to = s.From, s.To
	for _, o := range s.Outages {
		from, to = minTime(from, o.Start), maxTime(to, outageEnd(o, s.To))
	}
	for _, sr := range s.Latency {
		for _, p := range sr.Points {
			from = minTime(from, p.Start)
			to = maxTime(to, p.Start.Add(time.Duration(sr.BucketSecond)*time.Second))
		}
	}
	return from, to
}

func outageEnd(o Outage, last time.Time) time.Time {
	if o.Ongoing || o.End.IsZero() {
		return maxTime(last, o.Start.Add(time.Duration(o.DurationMs)*time.Millisecond))
	}
	return o.End
}

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
