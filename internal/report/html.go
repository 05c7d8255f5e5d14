package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed page.html
var pageHTML string

var page = template.Must(template.New("page").Funcs(template.FuncMap{
	"ftime":       fmtTime,
	"duration":    fmtDuration,
	"hostBackend": hostBackend,
	"abnormal":    abnormalStates,
	"join":        func(s []string) string { return orDash(strings.Join(s, ", ")) },
	"pids":        pidList,
	"timerNames":  func() []string { return timerNames[:] },
	"timerCell":   timerCell,
	"add":         func(a, b any) float64 { return num(a) + num(b) },
	"sub":         func(a, b any) float64 { return num(a) - num(b) },
}).Parse(pageHTML))

// WriteHTML writes the report as one self-contained HTML page: the tables,
// and two inline SVG charts (the mean total time of the busiest backends
// over time, and the outage timeline). It loads nothing from anywhere.
func WriteHTML(w io.Writer, s *Summary) error {
	return page.Execute(w, struct {
		S         *Summary
		Latency   lineChart
		Timeline  timeline
		TimerRows []Group
	}{s, latencyChart(s), outageTimeline(s), timerRows(s)})
}

// num is a template number (an int constant or a float64 coordinate).
func num(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	panic(fmt.Sprintf("report: %T in a chart coordinate", v))
}
