package state

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// hostStream is one host's lines: outages, flapping, refused requests.
func hostStream(host string) []string {
	var lines []string
	for i := 0; i < 20; i++ {
		t := 100 * i
		lines = append(lines,
			down(t, "be", "s1", 1, 0), down(t+10, "be", "s2", 0, 0), request(t+11, "be", "<NOSRV>", 503),
			noServer(t+12, "be"), upLine(t+30, "be", "s2", 1, 0), request(t+31, "be", "s2", 200),
			upLine(t+40, "be", "s1", 2, 0))
	}
	for i := range lines {
		lines[i] = strings.Replace(lines[i], " lb1 ", " "+host+" ", 1)
	}
	return lines
}

// summary is what the tracker wrote on a line, as text.
func summary(s *decode.StateFields) string {
	return fmt.Sprintf("%s %x %d %v %d %v %d", s.Outage, s.OutageID, s.OutageDuration, s.ServersDown, s.Downtime, s.Flapping, s.Transitions)
}

// Many goroutines share one tracker, each with its own host's lines in
// order (as workers flushing chunks of different streams): each host gets
// what it would get alone. Run with -race.
func TestConcurrentHosts(t *testing.T) {
	const hosts = 8
	alone := map[int][]string{}
	for h := 0; h < hosts; h++ {
		f := newFeeder(t, Config{})
		for _, l := range hostStream(fmt.Sprintf("lb%d", h)) {
			s := f.feed(l)
			alone[h] = append(alone[h], summary(&s))
		}
	}
	tr, _ := New(Config{})
	got := make([][]string, hosts)
	var wg sync.WaitGroup
	for h := 0; h < hosts; h++ {
		wg.Add(1)
		go func(h int) {
			defer wg.Done()
			dec := decode.Decoder{Location: time.UTC}
			var e decode.Entry
			x := decode.Explainer{State: tr}
			for _, l := range hostStream(fmt.Sprintf("lb%d", h)) {
				dec.Decode(&e, []byte(l), base)
				x.ExplainRecord(&e, []byte("tag"), base)
				got[h] = append(got[h], summary(&e.State))
			}
		}(h)
	}
	wg.Wait()
	for h := 0; h < hosts; h++ {
		if strings.Join(got[h], "\n") != strings.Join(alone[h], "\n") {
			t.Errorf("host %d differs when shared", h)
		}
		if !strings.Contains(strings.Join(got[h], "\n"), "ended") {
			t.Errorf("host %d: no outage ended", h)
		}
	}
}

// One host's lines in chunks given to goroutines in any order: the state
// stays consistent (no crash, no race) and an older transition never
// undoes a newer one: every outage that is started is ended by a later line.
func TestConcurrentShuffledChunks(t *testing.T) {
	lines := hostStream("lb1")
	tr, _ := New(Config{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	started, ended := map[decode.OutageID]time.Time{}, map[decode.OutageID]time.Time{}
	const chunk = 10
	for c := 0; c*chunk < len(lines); c++ {
		wg.Add(1)
		go func(part []string) {
			defer wg.Done()
			dec := decode.Decoder{Location: time.UTC}
			var e decode.Entry
			x := decode.Explainer{State: tr}
			for _, l := range part {
				dec.Decode(&e, []byte(l), base)
				x.ExplainRecord(&e, []byte("tag"), base)
				mu.Lock()
				switch e.State.Outage {
				case decode.OutageStarted:
					started[e.State.OutageID] = e.State.OutageStart
				case decode.OutageEnded:
					ended[e.State.OutageID] = e.State.OutageEnd
					if e.State.OutageDuration < 0 {
						t.Errorf("negative duration %+v", e.State)
					}
				}
				mu.Unlock()
			}
		}(lines[c*chunk : min(len(lines), (c+1)*chunk)])
	}
	wg.Wait()
	for id, end := range ended {
		if s, ok := started[id]; !ok || end.Before(s) {
			t.Errorf("outage %x ended at %v, started %v (%v)", id, end, s, ok)
		}
	}
}
