package state

import (
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// A chunk that Fluent Bit retries (after later chunks were flushed, or
// right away) gets the same fields as the first time.
func TestRetriedChunk(t *testing.T) {
	var lines []string
	lines = append(lines, hostStream("lb1")[:21]...)
	lines = append(lines, corpus.Lines(t, "lifecycle_reload.log")...)
	lines = append(lines, corpus.Lines(t, "hc_recover.log")...)
	f := newFeeder(t, Config{FlapThreshold: 3})
	first := make([]string, len(lines))
	for i, l := range lines {
		s := f.feed(l)
		first[i] = summary(&s) + " " + boolText(s.Reload)
	}
	if !strings.Contains(strings.Join(first, "\n"), "ended") || !strings.Contains(strings.Join(first, "\n"), "true") {
		t.Fatal("the lines show no outage end or no reload")
	}
	for _, chunk := range [][2]int{{0, 10}, {3, 17}, {21, 30}, {21, len(lines)}, {0, len(lines)}} {
		for i := chunk[0]; i < chunk[1]; i++ {
			s := f.feed(lines[i])
			if got := summary(&s) + " " + boolText(s.Reload); got != first[i] {
				t.Errorf("lines %d-%d again: line %d: %q, first %q\n%s", chunk[0], chunk[1], i, got, first[i], lines[i])
			}
		}
	}
}

func boolText(b bool) string {
	if b {
		return "reload"
	}
	return "-"
}
