package report

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// The page of the corpus's report, with two outages added to its summary
// (one ended, one still going), has both charts with their marks, escapes
// what the logs wrote, and refers to nothing outside itself.
func TestWriteHTML(t *testing.T) {
	r := New()
	addLines(r, corpus.Lines(t, "*.raw.log")...)
	s := r.Summary()
	start := s.From.Add(5 * time.Second)
	s.Outages = []Outage{
		{ID: "o1", Backend: "be_<x>", Start: start, End: start.Add(3 * time.Second), DurationMs: 3000, ServersDown: []string{"s1", "s2"}},
		{ID: "o2", Backend: "be_y", Start: start.Add(10 * time.Second), DurationMs: 1000, Ongoing: true},
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, s); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{`<svg id="latency"`, `<svg id="outages"`, `<polyline class="series"`,
		`<rect class="outage"`, `<rect class="outage ongoing"`, "be_&lt;x&gt;", "fe_local/&lt;NOSRV&gt;", "sH--", "s1, s2"} {
		if !strings.Contains(page, want) {
			t.Errorf("no %s in the page", want)
		}
	}
	if strings.Contains(page, "be_<x>") {
		t.Errorf("a backend name is not escaped")
	}
	if m := regexp.MustCompile(`(?i)<script|<link|<img|@import|url\(|(src|href)\s*=`).FindString(page); m != "" {
		t.Errorf("the page refers to something outside it: %q", m)
	}
	// The bars are where their times are: the first starts 5 s into the
	// logs, the second 10 s after it.
	bars := regexp.MustCompile(`<rect class="outage[^"]*" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"`).FindAllStringSubmatch(page, -1)
	if len(bars) != 2 {
		t.Fatalf("%d outage bars", len(bars))
	}
	num := func(v string) float64 {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	x0, w0, x1 := num(bars[0][1]), num(bars[0][2]), num(bars[1][1])
	// 3 s of outage, then 7 s until the next: the gap is 7/3 of the bar.
	if gap := x1 - (x0 + w0); x1 <= x0 || gap < 2*w0 || gap > 2.7*w0 {
		t.Errorf("bars at %v (width %v) and %v", x0, w0, x1)
	}
}

// With no traffic and no outage the page still has both charts, each
// saying it has nothing to show.
func TestWriteHTMLEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, New().Summary()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<svg id="latency"`, `<svg id="outages"`, "no request with a total time", "no outage in these logs"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("no %s in the empty page", want)
		}
	}
}
