package state

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// The corpus's reload (HAProxy 2.6, haproxy -sf): the old process 3692
// stops its proxies, the new one 3701 serves; later 3701 is paused, resumed
// and stopped for good by the scenario (no new process: no reload).
func TestReloadCorpus(t *testing.T) {
	f := newFeeder(t, Config{})
	var marked []string
	for _, line := range corpus.Lines(t, "lifecycle_reload.log") {
		s := f.feed(line)
		if s.Reload {
			marked = append(marked, fmt.Sprintf("%d:%s old=%d", f.e.PID, f.e.Event, s.OldPID))
		}
		if s.Outage != decode.OutageNone {
			t.Errorf("a reload read as an outage: %s", line)
		}
	}
	// The first line of 3701 (a request) shows the new process.
	want := "3701: old=3692"
	if strings.Join(marked, ", ") != want {
		t.Errorf("reload marks: %q, want %q", strings.Join(marked, ", "), want)
	}
}

// stderrLine is a line of HAProxy's stderr as journald forwards it to
// syslog.
func stderrLine(pid int, level, msg string) string {
	return fmt.Sprintf("<134>Nov 21 07:00:00 lb1 haproxy[%d]: [%s]  (%d) : %s", pid, level, pid, msg)
}

// Master-worker mode: the master says it reloads; the old worker's stop
// lines and the new one's first line follow.
func TestReloadMasterWorker(t *testing.T) {
	f := newFeeder(t, Config{})
	lines := []string{
		stderrLine(10, "NOTICE", "Reloading HAProxy"),
		stderrLine(10, "NOTICE", "New worker (22) forked"),
		stderrLine(10, "NOTICE", "Loading success."),
		stderrLine(11, "WARNING", "Proxy fe stopped (cumulated conns: FE: 2, BE: 0)."),
		stderrLine(11, "WARNING", "Proxy be stopped (cumulated conns: FE: 0, BE: 2)."),
		stderrLine(11, "WARNING", "Paused frontend fe."),
		"<134>Nov 21 07:00:00 lb1 haproxy[22]: 127.0.0.1:1 [21/Nov/2026:07:00:00.100] fe be/s1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
		stderrLine(22, "WARNING", "Paused frontend fe."),
		stderrLine(10, "NOTICE", "Former worker (11) exited with code 0 (Exit)"),
	}
	var got []string
	for _, l := range lines {
		s := f.feed(l)
		got = append(got, fmt.Sprintf("%v/%d", s.Reload, s.OldPID))
	}
	// The master's three lines, the old worker's stops and pause, the new
	// worker's first line (with the old pid); not the new worker pausing,
	// nor the master's other lines.
	want := "true/0 true/0 true/0 true/0 true/0 true/0 true/11 false/0 false/0"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

// Syslog only, HAProxy 2.2 and older: the new process says "Proxy started"
// first, then the old one stops.
func TestReloadStartFirst(t *testing.T) {
	f := newFeeder(t, Config{ReloadWindow: 3 * time.Second})
	lines := []string{
		at(0, 50) + "127.0.0.1:1 [21/Nov/2026:07:00:00.100] fe be/s1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
		at(1, 60) + "Proxy fe started.",
		at(1, 50) + "Stopping frontend fe in 0 ms.",
		at(1, 50) + "Proxy fe stopped (FE: 2 conns, BE: 0 conns).",
		at(2, 60) + "127.0.0.1:1 [21/Nov/2026:07:00:02.100] fe be/s1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
		at(9, 50) + "Proxy be stopped (FE: 0 conns, BE: 2 conns).", // after the window
	}
	var got []string
	for _, l := range lines {
		s := f.feed(l)
		got = append(got, fmt.Sprintf("%v/%d", s.Reload, s.OldPID))
	}
	want := "false/0 true/50 true/0 true/0 false/0 false/0"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

// A restart long after the last stop, or a new pid without any stop, is no
// reload.
func TestNoReload(t *testing.T) {
	f := newFeeder(t, Config{})
	req := func(sec, pid int) string {
		tm := base.Add(time.Duration(sec) * time.Second)
		return at(sec, pid) + "127.0.0.1:1 [" + tm.Format("02/Jan/2006:15:04:05") + ".000] fe be/s1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\""
	}
	for _, l := range []string{req(0, 1), req(1, 2), at(2, 2) + "Proxy fe stopped (cumulated conns: FE: 2, BE: 0).", req(60, 3)} {
		if s := f.feed(l); s.Reload {
			t.Errorf("marked as a reload: %s", l)
		}
	}
}

// After a reload the new process starts its servers UP: an outage of the
// old process is no longer followed, and a server still down starts a new
// one with its DOWN line.
func TestReloadForgetsServers(t *testing.T) {
	f := newFeeder(t, Config{})
	st := f.feed(down(0, "be", "s1", 0, 0))
	f.feed(at(1, 100) + "Proxy be stopped (cumulated conns: FE: 0, BE: 2).")
	req := strings.Replace(request(2, "be", "<NOSRV>", 503), "haproxy[100]", "haproxy[200]", 1)
	if s := f.feed(req); !s.Reload || s.OldPID != 100 || s.Outage != decode.OutageNone {
		t.Errorf("the new process's first line: %+v", s)
	}
	again := strings.Replace(down(4, "be", "s1", 0, 0), "haproxy[100]", "haproxy[200]", 1)
	if s := f.feed(again); s.Outage != decode.OutageStarted || s.OutageID == st.OutageID {
		t.Errorf("the new process's DOWN: %+v", s)
	}
	up := strings.Replace(upLine(9, "be", "s1", 1, 0), "haproxy[100]", "haproxy[200]", 1)
	if s := f.feed(up); s.Outage != decode.OutageEnded || s.OutageDuration != 5000 || s.Downtime != 5000 {
		t.Errorf("the new process's UP: %+v", s)
	}
	// A record of the old outage read late is still part of it.
	if s := f.feed(request(1, "be", "<NOSRV>", 503)); s.Outage != decode.OutageOngoing || s.OutageID != st.OutageID {
		t.Errorf("late refused request: %+v", s)
	}
}
