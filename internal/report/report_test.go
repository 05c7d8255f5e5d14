package report

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/loggen"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/tailchunk"
)

func addLines(r *Report, lines ...string) {
	var dec decode.Decoder
	dec.Location = time.UTC
	var e decode.Entry
	for _, l := range lines {
		dec.Decode(&e, []byte(l), time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))
		r.Count(&e)
		r.Follow(&e, time.Now())
	}
}

const (
	okLine      = `<134>Nov 21 07:35:32 haproxy[3320]: 127.0.0.1:48052 [21/Nov/2026:07:35:32.633] fe_basic be_app/app1 0/0/1/20/25 200 90 - - ---- 1/1/0/0/0 0/0 "GET /ok?id=1 HTTP/1.1"`
	timeoutLine = `<134>Nov 21 07:35:38 haproxy[3356]: 127.0.0.1:45522 [21/Nov/2026:07:35:34.725] fe_cli_errors be_app/app2 0/0/0/-1/4001 504 198 - - sH-- 1/1/0/0/0 0/0 "POST /upload?id=cli-cH HTTP/1.1"`
	tcpLine     = `<134>Nov 21 07:35:52 haproxy[3509]: 127.0.0.1:42028 [21/Nov/2026:07:35:52.326] fe_tcp_refused be_tcp_refused/dead1 1/-1/0 0 SC 2/1/0/0/0 0/0`
)

func TestSummaryCounts(t *testing.T) {
	r := New()
	addLines(r, okLine, okLine, timeoutLine, tcpLine, "garbage \xff", "<129>Nov 21 07:35:59 haproxy[3588]: Server be_app/app1 is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.")
	s := r.Summary()
	if s.Lines != (Lines{Total: 6, HTTP: 3, TCP: 1, Event: 1, Unknown: 1}) {
		t.Errorf("lines %+v", s.Lines)
	}
	if len(s.Backends) != 2 || s.Backends[0].Name != "be_app" || s.Backends[0].Requests != 3 {
		t.Fatalf("backends %+v", s.Backends)
	}
	be := s.Backends[0]
	if be.StatusClasses != (StatusClasses{C2xx: 2, C5xx: 1}) || be.Errors != 1 || be.OK != 2 {
		t.Errorf("be_app: %+v", be)
	}
	if be.Statuses["200"] != 2 || be.Statuses["504"] != 1 {
		t.Errorf("be_app statuses %v", be.Statuses)
	}
	if ta := be.Timers["Ta"]; ta.Count != 3 || ta.P50 != 25 || ta.Max != 4001 {
		t.Errorf("be_app Ta %+v", ta)
	}
	if tr := be.Timers["Tr"]; tr.Count != 2 || tr.Max != 20 {
		t.Errorf("be_app Tr %+v (the -1 is not a time)", tr)
	}
	names := []string{}
	for _, g := range s.Servers {
		names = append(names, g.Name)
	}
	if !slices.Equal(names, []string{"be_app/app1", "be_app/app2", "be_tcp_refused/dead1"}) {
		t.Errorf("servers %v", names)
	}
	if tcp := s.Servers[2]; tcp.StatusClasses != (StatusClasses{}) || tcp.Errors != 1 {
		t.Errorf("a TCP line has no status: %+v", tcp)
	}
	var sH *TerminationState
	for i := range s.TerminationStates {
		if s.TerminationStates[i].State == "sH--" {
			sH = &s.TerminationStates[i]
		}
	}
	if sH == nil || sH.Blame != "server" || !sH.Anomaly || !strings.Contains(sH.Meaning, "timeout server") ||
		strings.Contains(sH.Meaning, ". ") {
		t.Errorf("sH--: %+v", sH)
	}
	if s.Unknown.Count != 1 || len(s.Unknown.Reasons) != 1 || !strings.Contains(s.Unknown.Reasons[0].Example, "garbage \uFFFD") {
		t.Errorf("unknown %+v", s.Unknown)
	}
	if len(s.SlowestURLs) != 2 || s.SlowestURLs[0].Path != "/upload" || s.SlowestURLs[0].Errors != 1 {
		t.Errorf("slowest %+v", s.SlowestURLs)
	}
	if !s.From.Equal(time.Date(2026, 11, 21, 7, 35, 32, 633e6, time.UTC)) || !s.To.Equal(time.Date(2026, 11, 21, 7, 35, 59, 0, time.UTC)) {
		t.Errorf("from %v to %v", s.From, s.To)
	}
}

// The percentile is the lower nearest rank of the exact values, within the
// histogram's precision, on values from 0 to far past the exact range.
func TestQuantileAgainstSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 3, 10, 99, 1000, 12345} {
		var tm timer
		vals := make([]int64, n)
		for i := range vals {
			v := int(rng.ExpFloat64() * 3000)
			vals[i] = int64(v)
			tm.record(v)
		}
		slices.Sort(vals)
		for _, q := range []float64{0.5, 0.9, 0.99, 1} {
			k := max(int(q*float64(n)), 1)
			want := vals[k-1]
			got := tm.quantile(q)
			if got < want || got-want > want/1000 {
				t.Errorf("n=%d q=%v: %d, exact %d", n, q, got, want)
			}
		}
		if tm.max != vals[n-1] {
			t.Errorf("max %d, want %d", tm.max, vals[n-1])
		}
	}
}

func TestTimerOverRange(t *testing.T) {
	var tm timer
	tm.record(HighestTrackableMs * 3)
	tm.record(5)
	if tm.max != HighestTrackableMs*3 || tm.quantile(1) != HighestTrackableMs*3 || tm.quantile(0.5) != 5 {
		t.Errorf("max %d p100 %d p50 %d", tm.max, tm.quantile(1), tm.quantile(0.5))
	}
}

func TestSeriesStaysBounded(t *testing.T) {
	var s series
	start := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	total := int64(0)
	for i := range 100_000 {
		s.add(start.Add(time.Duration(i)*time.Second), i%7)
		total++
	}
	if len(s.buckets) > maxBuckets || s.width < 32 {
		t.Errorf("%d buckets of %ds", len(s.buckets), s.width)
	}
	pts := s.points(time.UTC)
	sum := int64(0)
	for i, p := range pts {
		sum += p.Requests
		if i > 0 && !p.Start.After(pts[i-1].Start) {
			t.Fatalf("points out of order at %d", i)
		}
		if p.MaxTa > 6 {
			t.Fatalf("max %d", p.MaxTa)
		}
	}
	if sum != total {
		t.Errorf("%d requests in the series, %d added", sum, total)
	}
}

func TestLimits(t *testing.T) {
	r := New()
	var lines []string
	for i := range MaxBackends + 5 {
		lines = append(lines, strings.Replace(okLine, "be_app/", "be"+strconv.Itoa(i)+"/", 1))
	}
	addLines(r, lines...)
	if len(r.backends) != MaxBackends+1 || r.backends[OtherName] == nil || r.backends[OtherName].servers["app1"].requests != 5 {
		t.Errorf("%d backends", len(r.backends))
	}
}

// Every corpus line goes into a report that writes as text without error,
// and every traffic line is counted once.
func TestCorpusReport(t *testing.T) {
	r := New()
	lines := corpus.Lines(t, "*.log")
	addLines(r, lines...)
	s := r.Summary()
	if s.Lines.Total != int64(len(lines)) {
		t.Errorf("%d lines, read %d", s.Lines.Total, len(lines))
	}
	var requests int64
	for _, b := range s.Backends {
		requests += b.Requests
	}
	if traffic := s.Lines.HTTP + s.Lines.HTTPS + s.Lines.TCP + s.Lines.CLF; requests != traffic {
		t.Errorf("%d requests in backends, %d traffic lines", requests, traffic)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, s); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Backends", "Servers", "Timers (ms)", "Termination states", "Slowest URLs", "Outages", "Flapping", "Reloads"} {
		if !strings.Contains(buf.String(), "\n"+want) {
			t.Errorf("no %q section", want)
		}
	}
}

// Counting a stream in parts, in any split, and merging the parts gives
// the report of the whole: what the CLI's parallel decoding relies on.
func TestMergeEqualsWhole(t *testing.T) {
	src, err := tailchunk.Lines(corpus.Root(t), 20_000)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	loggen.Write(&buf, src, loggen.Options{Lines: 20_000, Start: time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC),
		Step: 300 * time.Millisecond, Seed: 5})
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	lines = append(lines, "not haproxy", okLine) // one line out of time order
	whole := New()
	addLines(whole, lines...)

	merged := New()
	parts := []*Report{New(), New(), New()}
	var dec decode.Decoder
	dec.Location = time.UTC
	var e decode.Entry
	for i, l := range lines {
		dec.Decode(&e, []byte(l), time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))
		parts[(i/700)%len(parts)].Count(&e) // blocks to parts, round robin
		merged.Follow(&e, time.Time{})
	}
	for _, p := range parts {
		merged.Merge(p)
	}
	a, _ := json.Marshal(whole.Summary())
	b, _ := json.Marshal(merged.Summary())
	if !bytes.Equal(a, b) {
		t.Errorf("merged parts differ from the whole:\n%s\n%s", a, b)
	}
	if ws := whole.Summary(); len(ws.Latency) == 0 || ws.Latency[0].BucketSecond < 2 {
		t.Errorf("the series should have coarsened: %+v", ws.Latency)
	}
}

func TestPackTerm(t *testing.T) {
	for _, ts := range []string{"sH--", "CD", "-", "--VN", "PR--"} {
		k, ok := packTerm([]byte(ts))
		if !ok || k.String() != ts {
			t.Errorf("%q: %v %q", ts, ok, k.String())
		}
	}
	if _, ok := packTerm([]byte("sH---")); ok {
		t.Errorf("5 characters packed")
	}
	a, _ := packTerm([]byte("CD"))
	b, _ := packTerm([]byte("CD--"))
	if a == b {
		t.Errorf("CD and CD-- are one key")
	}
}

// A line's "backend/server" finds its server in one look-up, and the same
// bytes split at another '/' (as a custom format's names may be) find
// another server.
func TestServerByToken(t *testing.T) {
	r := New()
	line := []byte("a/b/c a/b/c")
	http := func(be, srv []byte) *decode.Entry {
		return &decode.Entry{Header: decode.Header{Type: decode.LogHTTP},
			Traffic: decode.Traffic{Backend: be, Server: srv, Status: 200, TR: 1, Tw: 1, Tc: 1, Tr: 1, Ta: 1}}
	}
	for range 3 {
		r.Count(http(line[:1], line[2:5]))    // a, b/c
		r.Count(http(line[6:9], line[10:11])) // a/b, c
		r.Count(http([]byte("a"), []byte("b/c")))
	}
	if _, ok := token(line[:1], line[2:5]); !ok {
		t.Error("a/b/c split after a: not found as one token")
	}
	if _, ok := token([]byte("a"), []byte("b/c")); ok {
		t.Error("names apart found as one token")
	}
	abc, ab_c := r.backends["a"].servers["b/c"], r.backends["a/b"].servers["c"]
	if len(r.backends) != 2 || abc == nil || ab_c == nil || abc.requests != 6 || ab_c.requests != 3 {
		t.Errorf("a + b/c: %+v, a/b + c: %+v, backends %d", abc, ab_c, len(r.backends))
	}
}

// Servers are counted exactly however their tokens share the table of
// recent ones (more tokens than slots, long ones past what a slot keeps).
func TestServersPastRecentTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	type name struct{ be, srv string }
	var names []name
	for i := range 1500 {
		be := "be" + strconv.Itoa(i%40)
		if i%7 == 0 {
			be += strings.Repeat("-long", 10)
		}
		names = append(names, name{be, "s" + strconv.Itoa(i)})
	}
	r := New()
	want := map[name]int64{}
	for range 30_000 {
		n := names[int(rng.ExpFloat64()*200)%len(names)]
		want[n]++
		line := []byte(n.be + "/" + n.srv + " rest")
		r.Count(&decode.Entry{Header: decode.Header{Type: decode.LogTCP},
			Traffic: decode.Traffic{Backend: line[:len(n.be)], Server: line[len(n.be)+1 : len(n.be)+1+len(n.srv)], Ta: 1}})
	}
	for n, c := range want {
		if s := r.backends[n.be].servers[n.srv]; s == nil || s.requests != c {
			t.Fatalf("%s/%s: %+v, want %d requests", n.be, n.srv, s, c)
		}
	}
}

// URL paths are counted exactly however they share the table of recent
// ones (more paths than slots, long ones past what a slot keeps).
func TestURLsPastRecentTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var paths []string
	for i := range 1500 {
		p := "/p" + strconv.Itoa(i)
		if i%7 == 0 {
			p += strings.Repeat("/long", 10)
		}
		paths = append(paths, p)
	}
	r := New()
	want := map[string]int64{}
	for range 30_000 {
		p := paths[int(rng.ExpFloat64()*200)%len(paths)]
		want[p]++
		r.Count(&decode.Entry{Header: decode.Header{Type: decode.LogHTTP},
			Traffic: decode.Traffic{Backend: []byte("be"), Server: []byte("s1"), URLPath: []byte(p), Status: 200, Ta: 1, Tr: 1}})
	}
	for p, n := range want {
		if s := r.urls.byPath[p]; s == nil || s.requests != n {
			t.Fatalf("%s: %+v, want %d requests", p, s, n)
		}
	}
}
