package state

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// base is the date of the test lines (RFC 3164: Nov 21 07:00:00 ...).
var base = time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)

// feeder decodes lines and gives them to a tracker, keeping what it wrote.
type feeder struct {
	t   *testing.T
	tr  *Tracker
	dec decode.Decoder
	x   decode.Explainer // with tr as its stateful step
	e   decode.Entry
}

func newFeeder(t *testing.T, cfg Config) *feeder {
	t.Helper()
	tr, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &feeder{t: t, tr: tr, dec: decode.Decoder{Location: time.UTC}, x: decode.Explainer{State: tr}}
}

// feed reads one line and returns a copy of its state fields.
func (f *feeder) feed(line string) decode.StateFields {
	f.t.Helper()
	f.dec.Decode(&f.e, []byte(line), base.AddDate(0, 0, 1))
	if f.e.Type == decode.LogUnknown {
		f.t.Fatalf("test line not understood: %s: %s", f.e.ParseError, line)
	}
	f.x.ExplainRecord(&f.e, []byte("tag"), base.AddDate(0, 0, 1))
	s := f.e.State
	s.ServersDown = append([]string(nil), s.ServersDown...)
	return s
}

// at is an RFC 3164 header at base+sec, host lb1, pid.
func at(sec, pid int) string {
	t := base.Add(time.Duration(sec) * time.Second)
	return fmt.Sprintf("<129>%s lb1 haproxy[%d]: ", t.Format(time.Stamp), pid)
}

func down(sec int, be, srv string, act, bck int) string {
	s := fmt.Sprintf("%sServer %s/%s is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms. %d active and %d backup servers left.", at(sec, 100), be, srv, act, bck)
	if act == 0 && bck > 0 {
		s += " Running on backup."
	}
	return s + " 0 sessions active, 0 requeued, 0 remaining in queue."
}

func upLine(sec int, be, srv string, act, bck int) string {
	return fmt.Sprintf("%sServer %s/%s is UP, reason: Layer4 check passed, check duration: 0ms. %d active and %d backup servers online. 0 sessions requeued, 0 total in queue.", at(sec, 100), be, srv, act, bck)
}

func backupDown(sec int, be, srv string, act, bck int) string {
	return strings.Replace(down(sec, be, srv, act, bck), ": Server ", ": Backup Server ", 1)
}

func noServer(sec int, be string) string {
	return fmt.Sprintf("%sbackend %s has no server available!", at(sec, 100), be)
}

func request(sec int, be, srv string, status int) string {
	t := base.Add(time.Duration(sec) * time.Second)
	return fmt.Sprintf("%s127.0.0.1:4000 [%s.100] fe %s/%s 0/-1/-1/-1/0 %d 217 - - SC-- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"",
		at(sec, 100), t.Format("02/Jan/2006:15:04:05"), be, srv, status)
}

func check(sec int, be, srv string) string {
	return fmt.Sprintf("%sHealth check for server %s/%s failed, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms, status: 0/2 DOWN.", at(sec, 100), be, srv)
}

func ts(sec int) time.Time { return base.Add(time.Duration(sec) * time.Second) }

func wantState(t *testing.T, what string, got decode.StateFields, want decode.OutageState) {
	t.Helper()
	if got.Outage != want {
		t.Errorf("%s: outage state %q, want %q (%+v)", what, got.Outage, want, got)
	}
}

// The only server of a backend goes down and comes back: started, ongoing
// (its lines and the refused requests), ended.
func TestOutageStartOngoingEnd(t *testing.T) {
	f := newFeeder(t, Config{})
	ok := f.feed(request(1, "be_app", "s1", 200))
	wantState(t, "request before", ok, decode.OutageNone)

	st := f.feed(down(10, "be_app", "s1", 0, 0))
	wantState(t, "DOWN 0/0", st, decode.OutageStarted)
	if st.OutageID == 0 || !st.OutageStart.Equal(ts(10)) {
		t.Errorf("started: id %x start %v", st.OutageID, st.OutageStart)
	}
	for _, line := range []string{noServer(10, "be_app"), request(11, "be_app", "<NOSRV>", 503), check(12, "be_app", "s1"), request(13, "be_app", "s9", 503)} {
		s := f.feed(line)
		wantState(t, line, s, decode.OutageOngoing)
		if s.OutageID != st.OutageID {
			t.Errorf("%s: id %x, want %x", line, s.OutageID, st.OutageID)
		}
	}
	wantState(t, "other backend", f.feed(request(12, "be_other", "<NOSRV>", 503)), decode.OutageNone)
	wantState(t, "a 200 during the outage", f.feed(request(12, "be_app", "s1", 200)), decode.OutageNone)

	end := f.feed(upLine(25, "be_app", "s1", 1, 0))
	wantState(t, "UP", end, decode.OutageEnded)
	if end.OutageID != st.OutageID || !end.OutageStart.Equal(ts(10)) || !end.OutageEnd.Equal(ts(25)) || end.OutageDuration != 15000 {
		t.Errorf("ended: %+v", end)
	}
	if fmt.Sprint(end.ServersDown) != "[s1]" {
		t.Errorf("servers down %v", end.ServersDown)
	}
	if !end.DownSince.Equal(ts(10)) || end.Downtime != 15000 {
		t.Errorf("downtime: since %v, %d ms", end.DownSince, end.Downtime)
	}
	wantState(t, "after", f.feed(request(26, "be_app", "<NOSRV>", 503)), decode.OutageNone)

	// A second outage has another id.
	again := f.feed(down(40, "be_app", "s1", 0, 0))
	if again.Outage != decode.OutageStarted || again.OutageID == st.OutageID {
		t.Errorf("second outage: %+v (first id %x)", again, st.OutageID)
	}
}

// "backend X has no server available!" alone starts an outage.
func TestOutageFromNoServerLine(t *testing.T) {
	f := newFeeder(t, Config{})
	wantState(t, "no server", f.feed(noServer(5, "be_x")), decode.OutageStarted)
	end := f.feed(upLine(8, "be_x", "s1", 1, 0))
	wantState(t, "UP", end, decode.OutageEnded)
	if end.OutageDuration != 3000 || len(end.ServersDown) != 0 || !end.DownSince.IsZero() {
		t.Errorf("ended: %+v", end)
	}
}

// Two servers go down one after the other: the outage starts with the
// second and lists both, in order; the first one's UP ends it.
func TestServersDownInOrder(t *testing.T) {
	f := newFeeder(t, Config{})
	wantState(t, "s2 down, s1 left", f.feed(down(1, "be", "s2", 1, 0)), decode.OutageNone)
	wantState(t, "s1 down", f.feed(down(3, "be", "s1", 0, 0)), decode.OutageStarted)
	end := f.feed(upLine(9, "be", "s1", 1, 0))
	wantState(t, "s1 up", end, decode.OutageEnded)
	if fmt.Sprint(end.ServersDown) != "[s2 s1]" || end.OutageDuration != 6000 || end.Downtime != 6000 {
		t.Errorf("ended: %+v", end)
	}
	later := f.feed(upLine(12, "be", "s2", 2, 0))
	wantState(t, "s2 up", later, decode.OutageNone)
	if later.Downtime != 11000 || !later.DownSince.Equal(ts(1)) {
		t.Errorf("s2 downtime: %+v", later)
	}
}

// A backup server taking over is no outage; losing it too is one.
func TestBackupTakesOver(t *testing.T) {
	f := newFeeder(t, Config{})
	wantState(t, "active down, running on backup", f.feed(down(1, "be", "s1", 0, 1)), decode.OutageNone)
	wantState(t, "traffic on backup", f.feed(request(2, "be", "bk1", 200)), decode.OutageNone)
	wantState(t, "backup down", f.feed(backupDown(5, "be", "bk1", 0, 0)), decode.OutageStarted)
	end := f.feed(upLine(7, "be", "s1", 1, 0))
	wantState(t, "active up", end, decode.OutageEnded)
	if fmt.Sprint(end.ServersDown) != "[s1 bk1]" || end.OutageDuration != 2000 {
		t.Errorf("ended: %+v", end)
	}
}

// A server that changes state FlapThreshold times within FlapWindow is
// flapping, from that transition on.
func TestFlapping(t *testing.T) {
	f := newFeeder(t, Config{FlapThreshold: 4, FlapWindow: time.Minute})
	var got []string
	for i := 0; i < 5; i++ {
		for j, s := range []decode.StateFields{f.feed(down(10*i, "be", "s1", 1, 0)), f.feed(upLine(10*i+5, "be", "s1", 2, 0))} {
			got = append(got, fmt.Sprintf("%d:%v/%d", 2*i+j+1, s.Flapping, s.Transitions))
		}
	}
	// Transitions at 0, 5, 10 ... 45 s: all within the minute.
	want := "1:false/0 2:false/0 3:false/0 4:true/4 5:true/5 6:true/6 7:true/7 8:true/8 9:true/9 10:true/10"
	if strings.Join(got, " ") != want {
		t.Errorf("flapping:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	// Much later, one transition alone is not flapping.
	if s := f.feed(down(1000, "be", "s1", 1, 0)); s.Flapping {
		t.Errorf("after the window: %+v", s)
	}
	// A repeated state is no transition.
	f2 := newFeeder(t, Config{FlapThreshold: 2})
	f2.feed(down(1, "be", "s1", 1, 0))
	if s := f2.feed(down(2, "be", "s1", 1, 0)); s.Flapping {
		t.Errorf("DOWN twice counted as two transitions: %+v", s)
	}
}

// The window drops old transitions.
func TestFlapWindow(t *testing.T) {
	f := newFeeder(t, Config{FlapThreshold: 3, FlapWindow: 10 * time.Second})
	f.feed(down(0, "be", "s1", 1, 0))
	f.feed(upLine(6, "be", "s1", 1, 0))
	if s := f.feed(down(12, "be", "s1", 1, 0)); s.Flapping {
		t.Errorf("the transition at 0 s is out of the 10 s window: %+v", s)
	}
	if s := f.feed(upLine(13, "be", "s1", 1, 0)); !s.Flapping || s.Transitions != 3 {
		t.Errorf("6, 12, 13 s: %+v", s)
	}
}

// A transition older than the state it would replace is ignored.
func TestOlderTransitionIgnored(t *testing.T) {
	f := newFeeder(t, Config{})
	f.feed(upLine(20, "be", "s1", 1, 0))
	if s := f.feed(down(10, "be", "s1", 0, 0)); s.Outage != decode.OutageNone {
		t.Errorf("a DOWN older than the UP started an outage: %+v", s)
	}
	if s := f.feed(request(21, "be", "<NOSRV>", 503)); s.Outage != decode.OutageNone {
		t.Errorf("no outage, yet %+v", s)
	}

	// During an outage, an older UP does not end it.
	st := f.feed(down(30, "be", "s1", 0, 0))
	wantState(t, "down at 30", st, decode.OutageStarted)
	wantState(t, "up at 25", f.feed(upLine(25, "be", "s1", 1, 0)), decode.OutageNone)
	wantState(t, "refused at 31", f.feed(request(31, "be", "<NOSRV>", 503)), decode.OutageOngoing)
	// A request accepted before the outage is not part of it.
	wantState(t, "refused at 29", f.feed(request(29, "be", "<NOSRV>", 503)), decode.OutageNone)
	wantState(t, "up at 35", f.feed(upLine(35, "be", "s1", 1, 0)), decode.OutageEnded)
	// A start older than the end of the last outage is ignored.
	wantState(t, "no server at 33", f.feed(noServer(33, "be")), decode.OutageNone)
	// Same second: not older.
	wantState(t, "down at 35", f.feed(down(35, "be", "s1", 0, 0)), decode.OutageStarted)
}

// Hosts are apart: the same backend on two hosts has two states.
func TestHostsApart(t *testing.T) {
	f := newFeeder(t, Config{})
	f.feed(down(1, "be", "s1", 0, 0))
	other := strings.Replace(request(2, "be", "<NOSRV>", 503), " lb1 ", " lb2 ", 1)
	wantState(t, "lb2", f.feed(other), decode.OutageNone)
	// Without a hostname, the source (tag) is the host.
	raw := strings.TrimPrefix(request(2, "be", "<NOSRV>", 503), at(2, 100))
	wantState(t, "raw line, tag", f.feed(raw), decode.OutageNone)
}

// Past MaxKeys, the least recently used key is dropped.
func TestCap(t *testing.T) {
	f := newFeeder(t, Config{MaxKeys: 6})
	f.feed(down(1, "be_old", "s1", 0, 0)) // host, backend, server: 3 keys
	for i := 0; i < 10; i++ {
		f.feed(down(2+i, fmt.Sprintf("be%d", i), "s1", 1, 0))
		if n := f.tr.Len(); n > 6 {
			t.Fatalf("%d keys, cap 6", n)
		}
	}
	// be_old and its outage are forgotten: its UP ends nothing.
	wantState(t, "UP of a dropped backend", f.feed(upLine(30, "be_old", "s1", 1, 0)), decode.OutageNone)

	// A key in use stays.
	g := newFeeder(t, Config{MaxKeys: 5})
	g.feed(down(1, "be", "s1", 0, 0))
	for i := 0; i < 10; i++ {
		g.feed(request(2+i, "be", "<NOSRV>", 503)) // touches be
		g.feed(down(2+i, fmt.Sprintf("x%d", i), "s", 1, 0))
	}
	wantState(t, "UP of a backend in use", g.feed(upLine(30, "be", "s1", 1, 0)), decode.OutageEnded)
}

func TestConfig(t *testing.T) {
	tr, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if c := tr.Config(); c.FlapThreshold != 4 || c.FlapWindow != 10*time.Minute || c.MaxKeys != DefaultMaxKeys || c.ReloadWindow != 5*time.Second {
		t.Errorf("defaults %+v", c)
	}
	for _, c := range []Config{{FlapThreshold: 1}, {FlapThreshold: 65}, {FlapWindow: -1}, {MaxKeys: -1}, {ReloadWindow: -1}} {
		if _, err := New(c); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

// Lines that are neither traffic nor events leave the state alone.
func TestUnknownLine(t *testing.T) {
	tr, _ := New(Config{})
	var d decode.Decoder
	var e decode.Entry
	d.Decode(&e, []byte("\x00\xff garbage"), base)
	x := decode.Explainer{State: tr}
	x.ExplainRecord(&e, nil, base)
	if e.State.IsSet() || tr.Len() != 0 {
		t.Errorf("%+v, %d keys", e.State, tr.Len())
	}
}

// Reading an ordinary request takes no allocation.
func TestObserveAllocs(t *testing.T) {
	f := newFeeder(t, Config{})
	tag := []byte("tag")
	line := []byte(request(1, "be", "s1", 200))
	f.dec.Decode(&f.e, line, base)
	f.x.ExplainRecord(&f.e, tag, base)
	n := testing.AllocsPerRun(200, func() {
		f.dec.Decode(&f.e, line, base)
		f.x.ExplainRecord(&f.e, tag, base)
	})
	if n != 0 {
		t.Errorf("%.1f allocations per line", n)
	}
	refused := []byte(request(1, "be", "<NOSRV>", 503))
	n = testing.AllocsPerRun(200, func() {
		f.dec.Decode(&f.e, refused, base)
		f.x.ExplainRecord(&f.e, tag, base)
	})
	if n != 0 {
		t.Errorf("%.1f allocations per refused line", n)
	}
}

// A request's date has milliseconds; an RFC 5424 header microseconds: a
// request of the outage's millisecond is part of it.
func TestOngoingAtRequestPrecision(t *testing.T) {
	f := newFeeder(t, Config{})
	f.feed(`<129>1 2026-11-21T07:00:01.386500+00:00 lb1 haproxy 100 - - Server be/s1 is DOWN, reason: Layer4 connection problem, check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`)
	same := `<134>1 2026-11-21T07:00:01.386600+00:00 lb1 haproxy 100 - - 127.0.0.1:1 [21/Nov/2026:07:00:01.386] fe be/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`
	wantState(t, "refused in the same millisecond", f.feed(same), decode.OutageOngoing)
	before := strings.Replace(same, "07:00:01.386]", "07:00:01.385]", 1)
	wantState(t, "refused the millisecond before", f.feed(before), decode.OutageNone)
}

// BenchmarkObserve is the tracker's cost per record, on top of decoding
// and explaining: an ordinary request, a refused one during an outage, a
// health-check line of the backend.
func BenchmarkObserve(b *testing.B) {
	for _, c := range []struct{ name, line string }{
		{"request", request(1, "be", "s1", 200)},
		{"refused", request(20, "be", "<NOSRV>", 503)},
		{"check", check(20, "be", "s1")},
	} {
		b.Run(c.name, func(b *testing.B) {
			tr, _ := New(Config{})
			var d decode.Decoder
			var e decode.Entry
			x := decode.Explainer{State: tr}
			d.Decode(&e, []byte(down(10, "be", "s1", 0, 0)), base)
			x.ExplainRecord(&e, nil, base)
			d.Decode(&e, []byte(c.line), base)
			x.Explain(&e)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tr.Observe(&e, nil, base)
			}
		})
	}
}

// ObserveAll over blocks of lines marks them as Observe one by one does,
// over the whole corpus (its outages, flapping servers and reloads).
func TestObserveAllAsObserve(t *testing.T) {
	lines := corpus.Lines(t, "*.log")
	one, err1 := New(Config{})
	all, err2 := New(Config{})
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	dec := decode.Decoder{Location: time.UTC}
	var x decode.Explainer
	tag, now := []byte("tag"), base.AddDate(0, 0, 1)
	decodeAll := func(from, to int) []decode.Entry {
		es := make([]decode.Entry, to-from)
		for i := range es {
			dec.Decode(&es[i], []byte(lines[from+i]), now)
			x.Explain(&es[i])
		}
		return es
	}
	marked := 0
	for from, size := 0, 1; from < len(lines); from, size = from+size, size%7+1 {
		to := min(from+size, len(lines))
		es, want := decodeAll(from, to), decodeAll(from, to)
		all.ObserveAll(es, tag, now)
		for i := range want {
			one.Observe(&want[i], tag, now)
			if fmt.Sprint(es[i].State) != fmt.Sprint(want[i].State) {
				t.Fatalf("line %d: ObserveAll %+v, Observe %+v", from+i, es[i].State, want[i].State)
			}
			if want[i].State.IsSet() {
				marked++
			}
		}
	}
	if marked < 10 {
		t.Errorf("%d of %d lines marked: the corpus should have outages and reloads", marked, len(lines))
	}
}
