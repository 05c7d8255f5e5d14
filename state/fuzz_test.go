package state

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// FuzzStateFile: any bytes as a state file load or give ErrStateFile, never
// a panic; what loads saves and loads again to the same keys.
func FuzzStateFile(f *testing.F) {
	f.Add([]byte(`{"version":1,"keys":[{"kind":"backend","host":"lb1","backend":"be","down":["s1"],"outage":{"id":"00000000000000ab","start":"2026-11-21T07:00:00Z","servers":["s1"]}},{"kind":"server","host":"lb1","backend":"be","server":"s1","state":"down","transitions":[1,2]},{"kind":"host","host":"lb1","processes":[{"pid":1,"seen":"2026-11-21T07:00:00Z"}]}]}`))
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte("\x00"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "state.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		tr, _ := New(Config{MaxKeys: 50})
		if err := tr.Load(path); err != nil {
			if tr.Len() != 0 {
				t.Fatalf("%d keys after %v", tr.Len(), err)
			}
			return
		}
		n := tr.Len()
		if n > 50 {
			t.Fatalf("%d keys, cap 50", n)
		}
		// Lines go through the loaded state without a panic.
		var d decode.Decoder
		var e decode.Entry
		x := decode.Explainer{State: tr}
		for _, l := range []string{down(1, "be", "s1", 0, 0), upLine(2, "be", "s1", 1, 0), request(3, "be", "<NOSRV>", 503)} {
			d.Decode(&e, []byte(l), base)
			x.ExplainRecord(&e, nil, base)
		}
		if err := tr.Save(path); err != nil {
			t.Fatal(err)
		}
		again, _ := New(Config{MaxKeys: 50})
		if err := again.Load(path); err != nil || again.Len() != tr.Len() {
			t.Fatalf("saved state does not load back: %v, %d keys of %d", err, again.Len(), tr.Len())
		}
	})
}

// FuzzTracker: any lines, in any order, through the decoder and the
// tracker: no panic, no negative duration or downtime, an outage ends only
// after it started, and the cap holds.
func FuzzTracker(f *testing.F) {
	for _, l := range corpus.Lines(f, "hc_*.log") {
		f.Add([]byte(l + "\n" + l))
	}
	f.Add([]byte(down(1, "be", "s1", 0, 0) + "\n" + noServer(1, "be") + "\n" + upLine(5, "be", "s1", 1, 0)))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, _ := New(Config{MaxKeys: 8, FlapThreshold: 2})
		var d decode.Decoder
		var e decode.Entry
		x := decode.Explainer{State: tr}
		received := base
		for _, line := range bytes.Split(data, []byte("\n")) {
			received = received.Add(time.Second)
			d.Decode(&e, line, received)
			x.ExplainRecord(&e, []byte("tag"), received)
			s := &e.State
			if s.OutageDuration < 0 || s.Downtime < 0 {
				t.Fatalf("negative duration %+v for %q", s, line)
			}
			if s.Outage != decode.OutageNone && s.OutageID == 0 {
				t.Fatalf("outage without id %+v", s)
			}
			if s.Outage == decode.OutageEnded && s.OutageEnd.Before(s.OutageStart) {
				t.Fatalf("ended before it started %+v", s)
			}
			if s.Flapping && s.Transitions < 2 {
				t.Fatalf("flapping with %d transitions", s.Transitions)
			}
			if tr.Len() > 8 {
				t.Fatalf("%d keys, cap 8", tr.Len())
			}
		}
	})
}
