package encode

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"

	jsoniter "github.com/json-iterator/go"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// refTermination is haproxy.termination as encoding/json writes it.
func refTermination(t *testing.T, term *decode.Termination) string {
	type flag struct {
		Code    string `json:"code"`
		Meaning string `json:"meaning,omitempty"`
	}
	f := func(fl decode.Flag) *flag {
		if fl.Code == 0 {
			return nil
		}
		return &flag{string([]byte{fl.Code}), fl.Meaning}
	}
	return refJSON(t, struct {
		Cause         *flag  `json:"cause,omitempty"`
		Phase         *flag  `json:"phase,omitempty"`
		ClientCookie  *flag  `json:"client_cookie,omitempty"`
		ServerCookie  *flag  `json:"server_cookie,omitempty"`
		Summary       string `json:"summary,omitempty"`
		CookieSummary string `json:"cookie_summary,omitempty"`
		Blame         string `json:"blame,omitempty"`
		Anomaly       bool   `json:"anomaly"`
		Advice        string `json:"advice,omitempty"`
	}{f(term.Cause), f(term.Phase), f(term.ClientCookie), f(term.ServerCookie),
		term.Summary, term.CookieSummary, term.Blame, term.Anomaly, term.Advice})
}

// refJSON is v as encoding/json writes it, without HTML escaping (the
// encoder does none).
func refJSON(t *testing.T, v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// TestTerminationTable: every 2- and 4-character state that
// decode.ExplainTermination explains is serialized as encoding/json would,
// once.
func TestTerminationTable(t *testing.T) {
	sets := []string{
		decode.TermCauseChars + "x\x00\xff",
		decode.TermPhaseChars + "x-",
		decode.TermClientCookieChars + "x",
		decode.TermServerCookieChars + "x",
	}
	check := func(ts []byte) {
		want, ok := decode.ExplainTermination(ts)
		if !ok {
			return
		}
		e := termination(ts, &want)
		ref := `"termination_state":"` + string(ts) + `","termination":` + refTermination(t, &want) + `,`
		if got := string(e.fields); got != ref {
			t.Fatalf("%q:\n got %s\nwant %s", ts, got, ref)
		}
		if again := termination(ts, &want); again != e {
			t.Fatalf("%q: serialized twice", ts)
		}
	}
	n := 0
	for _, a := range []byte(sets[0]) {
		for _, b := range []byte(sets[1]) {
			check([]byte{a, b})
			for _, c := range []byte(sets[2]) {
				for _, d := range []byte(sets[3]) {
					check([]byte{a, b, c, d})
					n++
				}
			}
		}
	}
	if n < decode.TerminationKeys {
		t.Errorf("checked %d states", n)
	}
}

func TestAppendTimeFast(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	times := []time.Time{
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(0, 2, 29, 23, 59, 59, 999999999, time.UTC),
		time.Date(0, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 2, 29, 12, 0, 0, 1e6-1, time.UTC),
		time.Date(2100, 2, 28, 23, 59, 59, 5e8, time.UTC),
		time.Date(2400, 2, 29, 0, 0, 0, 0, time.FixedZone("x", -7200)),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 21, 7, 35, 32, 633e6, time.Local),
		{},
	}
	for i := 0; i < 200000; i++ {
		sec := r.Int63n(400*366*86400) - 200*366*86400 + 1780000000
		if i%4 == 0 {
			sec = r.Int63n(10010*366*86400) - 63e9
		}
		times = append(times, time.Unix(sec, r.Int63n(1e9)))
	}
	for _, tm := range times {
		for _, layout := range []string{LayoutMillis, LayoutNanos} {
			want := string(tm.UTC().AppendFormat(nil, layout))
			got, ok := appendTimeFast([]byte("x"), tm, layout == LayoutNanos)
			if !ok {
				if y := tm.UTC().Year(); y >= 0 && y <= 9999 && !(y == 0 && tm.UTC().Month() <= 2) {
					t.Fatalf("%v: not formatted", tm)
				}
				continue
			}
			if string(got) != "x"+want {
				t.Fatalf("%v: got %s want %s", tm, got[1:], want)
			}
		}
	}
}

// TestSpecial8Pairs: two arbitrary bytes anywhere among plain ones (a borrow
// from one must not hide or invent the other).
func TestSpecial8Pairs(t *testing.T) {
	for i := 0; i < 8; i++ {
		for j := i + 1; j < 8; j++ {
			for a := 0; a < 256; a++ {
				for b := 0; b < 256; b++ {
					w := [8]byte{'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'}
					w[i], w[j] = byte(a), byte(b)
					want := plainByte[a] && plainByte[b]
					if got := special8(load64(&w[0], 0)) == 0; got != want {
						t.Fatalf("%q: plain %v", w, got)
					}
				}
			}
		}
	}
}

func TestPlainPrefix(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	alpha := "abc \x1f\"\\\x7f\x80\xff~ "
	for n := 0; n < 100000; n++ {
		b := make([]byte, r.Intn(70))
		for i := range b {
			b[i] = 'a' + byte(i%26)
			if r.Intn(40) == 0 {
				b[i] = alpha[r.Intn(len(alpha))]
			}
		}
		want := 0
		for want < len(b) && plainByte[b[want]] {
			want++
		}
		if got := plainPrefix(string(b)); got != want {
			t.Fatalf("%q: %d, want %d", b, got, want)
		}
	}
}

// TestAppendStatic: cached or not, the output is appendString's; strings
// that only look like a cached one (same bytes elsewhere, or other bytes)
// are escaped as themselves.
func TestAppendStatic(t *testing.T) {
	strs := []string{
		"short",
		strings.Repeat("a long static explanation, with \"quotes\" and \\ ", 3),
		"The check passed and the server is UP (logged because the check result changed).",
	}
	for round := 0; round < 3; round++ {
		for _, s := range strs {
			if got, want := appendStatic(nil, s), appendString(nil, s); !bytes.Equal(got, want) {
				t.Fatalf("%q: %s, want %s", s, got, want)
			}
			c := strings.Clone(s)
			if got, want := appendStatic(nil, c), appendString(nil, c); !bytes.Equal(got, want) {
				t.Fatalf("clone %q: %s", s, got)
			}
		}
	}
	// A dynamic buffer whose content changes behind the same pointer.
	buf := []byte(strings.Repeat("x", 64))
	for i := 0; i < 4; i++ {
		buf[5] = "a\"\n\xff"[i]
		s := b2s(buf)
		if got, want := appendStatic(nil, s), appendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("changed buffer: %s, want %s", got, want)
		}
	}
	s := strs[2]
	appendStatic(nil, s)
	if a := testing.AllocsPerRun(100, func() { appendStatic(make([]byte, 0, 256)[:0], s) }); a > 1 {
		t.Errorf("appendStatic allocates %v", a)
	}
}

// TestLogObjects: the log object of every priority is what encoding/json
// writes.
func TestLogObjects(t *testing.T) {
	type named struct {
		Code int    `json:"code"`
		Name string `json:"name"`
	}
	type syslog struct {
		Priority int   `json:"priority"`
		Facility named `json:"facility"`
		Severity named `json:"severity"`
	}
	for p := 0; p < 192; p++ {
		want := refJSON(t, struct {
			Level  string `json:"level"`
			Syslog syslog `json:"syslog"`
		}{severityNames[p&7], syslog{p, named{p >> 3, facilityNames[p>>3]}, named{p & 7, severityNames[p&7]}}})
		if got := string(logObjects[p]); got != want {
			t.Fatalf("priority %d: %s, want %s", p, got, want)
		}
	}
}

// TestConcurrentEncode: encoders on many goroutines (sharing the tables
// filled on first use) write what one goroutine writes. Run with -race.
func TestConcurrentEncode(t *testing.T) {
	var lines [][]byte
	for _, name := range []string{"http_basic.log", "http_cookies.log", "http_server_errors.log", "tcp_tcplog.log", "hc_l4_timeout.log", "hc_l7.log"} {
		lines = append(lines, corpusLines(t, name)...)
	}
	enc := defaultEncoder()
	encodeAll := func() []string {
		d := decode.Decoder{Location: time.UTC}
		var e decode.Entry
		s := jsoniter.NewStream(jsoniter.ConfigDefault, nil, 512)
		out := make([]string, len(lines))
		for i, l := range lines {
			decodeExplain(&d, &e, l, testNow)
			s.SetBuffer(s.Buffer()[:0])
			enc.Encode(s, &e, testNow, nil)
			out[i] = string(s.Buffer())
		}
		return out
	}
	var wg sync.WaitGroup
	results := make([][]string, 8)
	for g := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[g] = encodeAll()
		}()
	}
	wg.Wait()
	want := encodeAll()
	for g, r := range results {
		if fmt.Sprint(r) != fmt.Sprint(want) {
			t.Fatalf("goroutine %d wrote something else", g)
		}
	}
}
