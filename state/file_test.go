package state

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// An outage in progress, a server down and recent transitions survive a
// save and a load: the UP after the restart ends the same outage.
func TestStateFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "haproxy.state")
	f := newFeeder(t, Config{FlapThreshold: 3})
	f.feed(down(1, "be", "s2", 1, 0))
	st := f.feed(down(5, "be", "s1", 0, 0))
	f.feed(upLine(6, "be_flap", "s", 1, 0))
	f.feed(down(7, "be_flap", "s", 0, 0))
	old := at(8, 100)
	f.feed(old + "Proxy fe stopped (cumulated conns: FE: 2, BE: 0).")
	if err := f.tr.Save(path); err != nil {
		t.Fatal(err)
	}
	if err := f.tr.Save(path); err != nil { // over an existing file
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want the state file alone", len(entries))
	}

	g := newFeeder(t, Config{FlapThreshold: 3})
	if err := g.tr.Load(path); err != nil {
		t.Fatal(err)
	}
	if g.tr.Len() != f.tr.Len() {
		t.Errorf("%d keys loaded, %d saved", g.tr.Len(), f.tr.Len())
	}
	wantState(t, "refused after the load", g.feed(request(9, "be", "<NOSRV>", 503)), decode.OutageOngoing)
	end := g.feed(upLine(20, "be", "s1", 1, 0))
	if end.Outage != decode.OutageEnded || end.OutageID != st.OutageID || end.OutageDuration != 15000 ||
		strings.Join(end.ServersDown, ",") != "s2,s1" || end.Downtime != 15000 {
		t.Errorf("after the load: %+v (started %+v)", end, st)
	}
	if s := g.feed(upLine(21, "be_flap", "s", 1, 0)); !s.Flapping || s.Transitions != 3 {
		t.Errorf("transitions lost: %+v", s)
	}
	// The old process is remembered: a new one right after is a reload.
	if s := g.feed(at(9, 200) + "Proxy fe started."); !s.Reload || s.OldPID != 100 {
		t.Errorf("processes lost: %+v", s)
	}
	// The order of use is kept: with a cap, the oldest goes first.
	h := newFeeder(t, Config{MaxKeys: 2})
	if err := h.tr.Load(path); err != nil {
		t.Fatal(err)
	}
	if h.tr.Len() != 2 {
		t.Errorf("%d keys with a cap of 2", h.tr.Len())
	}
}

func TestStateFileMissing(t *testing.T) {
	tr, _ := New(Config{})
	if err := tr.Load(filepath.Join(t.TempDir(), "none")); err != nil {
		t.Errorf("a missing state file: %v", err)
	}
}

// A corrupt state file is an error that names it; the tracker stays empty
// and usable.
func TestStateFileCorrupt(t *testing.T) {
	good := `{"version":1,"saved_at":"2026-11-21T07:00:00Z","keys":[{"kind":"backend","host":"lb1","backend":"be","outage":{"id":"00000000000000ab","start":"2026-11-21T07:00:00Z"}}]}`
	for name, text := range map[string]string{
		"empty":          "",
		"binary":         "\x00\xff\xfe garbage \x80",
		"truncated":      good[:len(good)/2],
		"not an object":  `[1,2,3]`,
		"version":        strings.Replace(good, `"version":1`, `"version":7`, 1),
		"kind":           strings.Replace(good, `"kind":"backend"`, `"kind":"frontend"`, 1),
		"no name":        strings.Replace(good, `"backend":"be"`, `"backend":""`, 1),
		"outage no id":   strings.Replace(good, `"id":"00000000000000ab"`, `"id":"zz"`, 1),
		"bad time":       strings.Replace(good, `"start":"2026-11-21T07:00:00Z"`, `"start":"yesterday"`, 1),
		"server state":   `{"version":1,"keys":[{"kind":"server","host":"h","backend":"b","server":"s","state":"sideways"}]}`,
		"too many flaps": `{"version":1,"keys":[{"kind":"server","host":"h","backend":"b","server":"s","state":"up","transitions":[` + strings.Repeat("1,", 64) + `1]}]}`,
		"too many pids":  `{"version":1,"keys":[{"kind":"host","host":"h","processes":[{"pid":1},{"pid":2},{"pid":3},{"pid":4},{"pid":5}]}]}`,
	} {
		path := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		tr, _ := New(Config{})
		err := tr.Load(path)
		if !errors.Is(err, ErrStateFile) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want ErrStateFile naming the file", name, err)
		}
		if tr.Len() != 0 {
			t.Errorf("%s: %d keys loaded from a corrupt file", name, tr.Len())
		}
	}
	// The good one loads.
	path := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(path, []byte(good), 0o600)
	tr, _ := New(Config{})
	if err := tr.Load(path); err != nil || tr.Len() != 1 {
		t.Errorf("good file: %v, %d keys", err, tr.Len())
	}
}

// A state file that cannot be written is an error naming it.
func TestStateFileUnwritable(t *testing.T) {
	tr, _ := New(Config{})
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "state.json")
	if err := tr.Save(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error %v", err)
	}
}
