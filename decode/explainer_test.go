package decode

import (
	"strings"
	"testing"
	"time"
)

// decodeExplain is the first two stages of the pipeline, as the plugin and
// the command run them.
func decodeExplain(d *Decoder, e *Entry, line []byte, now time.Time) {
	d.Decode(e, line, now)
	var x Explainer
	x.Explain(e)
}

// TestExplainStage: Decode leaves the Explanation empty, Explain fills it,
// twice the same, without allocating.
func TestExplainStage(t *testing.T) {
	d := Decoder{Location: time.UTC}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	var x Explainer
	for _, bc := range benchLines {
		var e Entry
		line := []byte(bc.line)
		d.Decode(&e, line, now)
		if e.Explanation != (Explanation{}) {
			t.Errorf("%s: Decode explained: %+v", bc.name, e.Explanation)
		}
		x.Explain(&e)
		first := e.Explanation
		if first.Outcome == "" && first.DiagSummary == "" {
			t.Errorf("%s: nothing explained", bc.name)
		}
		if e.IsTraffic() && (first.Termination == nil || first.Outcome != first.Termination.Outcome) {
			t.Errorf("%s: termination %v, outcome %q", bc.name, first.Termination, first.Outcome)
		}
		if !e.IsTraffic() && (first.DiagLayer == "" || first.Severity == "") {
			t.Errorf("%s: diagnosis %+v", bc.name, first)
		}
		x.Explain(&e)
		if e.Explanation != first {
			t.Errorf("%s: explained again: %+v, first %+v", bc.name, e.Explanation, first)
		}
		if n := testing.AllocsPerRun(100, func() { d.Decode(&e, line, now); x.Explain(&e) }); n != 0 {
			t.Errorf("%s: %v allocs per line", bc.name, n)
		}
	}
	var unknown Entry
	d.Decode(&unknown, []byte("garbage"), now)
	x.Explain(&unknown)
	if unknown.Explanation != (Explanation{}) {
		t.Errorf("unknown line explained: %+v", unknown.Explanation)
	}
}

// TestExplainTraffic: the termination state, its outcome and the first
// phase never reached.
func TestExplainTraffic(t *testing.T) {
	d := Decoder{Location: time.UTC}
	var e Entry
	decodeExplain(&d, &e, []byte(`127.0.0.1:1 [21/Nov/2026:07:35:32.633] fe be/s1 0/0/-1/-1/3001 503 0 - - sC-- 1/1/0/0/3 0/0 "GET / HTTP/1.1"`), time.Time{})
	if e.Termination == nil || e.Termination.Summary == "" || e.Outcome != OutcomeFailure || e.Unreached != "connect" {
		t.Fatalf("termination %v, outcome %q, unreached %q", e.Termination, e.Outcome, e.Unreached)
	}
	want, _ := ExplainTermination([]byte("sC--"))
	if *e.Termination != want {
		t.Errorf("termination %+v, want %+v", *e.Termination, want)
	}
	decodeExplain(&d, &e, []byte(`127.0.0.1:1 [21/Nov/2026:07:35:32.633] fe be/s1 0/0/0/0/0 200 9 - - ??-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`), time.Time{})
	if e.Type != LogHTTP || e.Termination != nil || e.Outcome != "" || e.Unreached != "" {
		t.Errorf("unknown state: %v, termination %v, outcome %q, unreached %q", e.Type, e.Termination, e.Outcome, e.Unreached)
	}
}

// TestHTTPOutcome: a status >= 400 fails, as in Filebeat; below, the
// termination decides (an aborted session stays a failure).
func TestHTTPOutcome(t *testing.T) {
	d := Decoder{Location: time.UTC}
	var e Entry
	for _, tt := range []struct{ status, state, want string }{
		{"200", "----", OutcomeSuccess},
		{"302", "LR--", OutcomeSuccess},
		{"404", "----", OutcomeFailure},
		{"401", "LR--", OutcomeFailure},
		{"503", "sC--", OutcomeFailure},
		{"200", "CD--", OutcomeFailure},
		{"-1", "CD--", OutcomeFailure},
		{"-1", "----", OutcomeSuccess},
	} {
		line := `127.0.0.1:1 [21/Nov/2026:07:35:32.633] fe be/s1 0/0/0/0/0 ` + tt.status + ` 9 - - ` + tt.state + ` 1/1/0/0/0 0/0 "GET / HTTP/1.1"`
		decodeExplain(&d, &e, []byte(line), time.Time{})
		if e.Outcome != tt.want {
			t.Errorf("%s %s: outcome %q, want %q", tt.status, tt.state, e.Outcome, tt.want)
		}
	}
	// TCP keeps the termination's outcome.
	decodeExplain(&d, &e, []byte(`127.0.0.1:1 [21/Nov/2026:07:35:32.633] fe be/s1 0/0/5 10 CD 1/1/0/0/0 0/0`), time.Time{})
	if e.Type != LogTCP || e.Outcome != OutcomeFailure {
		t.Errorf("tcp CD: %v %q", e.Type, e.Outcome)
	}
	// A custom format without a termination state: the status decides.
	f, err := CompileLogFormat(`%ci:%cp %ft %ST %{+Q}r`)
	if err != nil {
		t.Fatal(err)
	}
	d.AddLogFormat("", f)
	for status, want := range map[string]string{"200": OutcomeSuccess, "500": OutcomeFailure} {
		decodeExplain(&d, &e, []byte(`10.0.0.1:5 fe_x `+status+` "GET / HTTP/1.1"`), time.Time{})
		if e.Type != LogHTTP || e.Outcome != want {
			t.Errorf("custom %s: %v %q (%s), want %q", status, e.Type, e.Outcome, e.ParseError, want)
		}
	}
}

// TestTerminationKeys: every state has a key of its own, in range, and
// lookupTermination gives its explanation, always the same pointer.
func TestTerminationKeys(t *testing.T) {
	seen := make(map[int]string)
	check := func(ts string) {
		want, ok := ExplainTermination([]byte(ts))
		p := lookupTermination([]byte(ts))
		if !ok {
			if p != nil || termKey([]byte(ts)) != -1 {
				t.Fatalf("%q: looked up, key %d", ts, termKey([]byte(ts)))
			}
			return
		}
		k := want.Key()
		if k < 0 || k >= TerminationKeys || seen[k] != "" {
			t.Fatalf("%q: key %d (also %q)", ts, k, seen[k])
		}
		seen[k] = ts
		if p == nil || *p != want || lookupTermination([]byte(ts)) != p {
			t.Fatalf("%q: %+v, want %+v", ts, p, want)
		}
	}
	for _, a := range TermCauseChars + "x" {
		for _, b := range TermPhaseChars + "x" {
			check(string(a) + string(b))
			for _, c := range TermClientCookieChars + "x" {
				for _, d := range TermServerCookieChars + "x" {
					check(string(a) + string(b) + string(c) + string(d))
				}
			}
		}
	}
	if len(seen) != TerminationKeys {
		t.Errorf("%d keys, want %d", len(seen), TerminationKeys)
	}
	for _, ts := range []string{"", "-", "---", "-----"} {
		check(ts)
	}
}

// TestFillFraming: a transport's framing fills only what the line left
// out, and only with valid values.
func TestFillFraming(t *testing.T) {
	d := Decoder{Location: time.UTC}
	var e Entry
	tr := Transport{Hostname: []byte("lb1"), ProcessName: []byte("haproxy"), PID: 42, Priority: 134}
	d.Decode(&e, []byte(`Proxy fe started.`), time.Time{})
	e.FillFraming(tr)
	if string(e.Hostname) != "lb1" || string(e.ProcessName) != "haproxy" || e.PID != 42 || e.Priority != 134 {
		t.Errorf("bare line: %s %s %d %d", e.Hostname, e.ProcessName, e.PID, e.Priority)
	}
	d.Decode(&e, []byte(`<133>Nov 21 07:35:59 web1 hap[7]: Proxy fe started.`), time.Time{})
	e.FillFraming(tr)
	if string(e.Hostname) != "web1" || string(e.ProcessName) != "hap" || e.PID != 7 || e.Priority != 133 {
		t.Errorf("framed line: %s %s %d %d", e.Hostname, e.ProcessName, e.PID, e.Priority)
	}
	d.Decode(&e, []byte(`Proxy fe started.`), time.Time{})
	e.FillFraming(Transport{PID: -3, Priority: 192})
	if e.PID != Unset || e.Priority != Unset || e.Hostname != nil {
		t.Errorf("invalid transport taken: %d %d %q", e.PID, e.Priority, e.Hostname)
	}
}

// TestExplainCustomAbsent: what a custom log-format does not write is not
// known, never "failed" or "never reached"; what it writes counts.
func TestExplainCustomAbsent(t *testing.T) {
	for _, c := range []struct{ format, line, unreached, outcome string }{
		{`%ci %ST %B "%r"`, `10.0.0.1 200 12 "GET / HTTP/1.1"`, "", OutcomeSuccess},
		{`%ci %Ta %ST`, `10.0.0.1 30 200`, "", OutcomeSuccess},
		{`%ci %Tw/%Tc/%Tt %B`, `10.0.0.1 0/1/30 12`, "", ""},
		{`%ci %ft %b/%s`, `10.0.0.1 fe be/s1`, "", ""},
		// A -1 after a timer the format does not write: an earlier phase
		// may be the one never reached (a <BADREQ> has Tr -1 too).
		{`%ci %Tc %Ta %ST`, `10.0.0.1 -1 30 503`, "", OutcomeFailure},
		{`%ci %Tr %Ta %ST`, `10.0.0.1 -1 30 400`, "", OutcomeFailure},
		{`%ci %TR/%Tw/%Tc %Ta %ST`, `10.0.0.1 0/0/-1 30 503`, "connect", OutcomeFailure},
		{`%ci %TR %Tw %Ta %ST %ts`, `10.0.0.1 -1 -1 5 408 cR`, "request", OutcomeFailure},
		{`%ci %TR %Tw %Tc %Tr %ST`, `10.0.0.1 0 0 1 -1 504`, "response", OutcomeFailure},
		{`%ci %Tw/%Tc/%Tt %B`, `10.0.0.1 0/-1/30 0`, "connect", ""}, // TCP: no TR, no Tr
	} {
		d := Decoder{Location: time.UTC}
		f, err := CompileLogFormat(c.format)
		if err != nil {
			t.Fatal(err)
		}
		d.AddLogFormat("", f)
		var e Entry
		decodeExplain(&d, &e, []byte(c.line), time.Time{})
		if e.Type == LogUnknown {
			t.Errorf("%q: unknown: %s", c.format, e.ParseError)
			continue
		}
		if e.Unreached != c.unreached || e.Outcome != c.outcome || (e.Termination != nil) != strings.Contains(c.format, "%ts") {
			t.Errorf("%q on %q: unreached %q outcome %q termination %v, want %q %q", c.format, c.line, e.Unreached, e.Outcome, e.Termination, c.unreached, c.outcome)
		}
	}
}
