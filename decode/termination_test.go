package decode

import (
	"strings"
	"testing"
)

var validBlames = map[string]bool{
	BlameNone: true, BlameLocal: true, BlameClient: true, BlameServer: true,
	BlameProxy: true, BlameResource: true, BlameInternal: true, BlameAdmin: true,
}

func mustExplain(t *testing.T, s string) Termination {
	t.Helper()
	tm, ok := ExplainTermination([]byte(s))
	if !ok {
		t.Fatalf("ExplainTermination(%q): ok = false", s)
	}
	return tm
}

// Every character of every position has a meaning of its own.
func TestTerminationEveryCharacter(t *testing.T) {
	positions := []struct {
		name  string
		chars string
		state func(c byte) string
		flag  func(tm Termination) Flag
	}{
		{"cause", "-LcCsSPRIDKUI", func(c byte) string { return string(c) + "-" }, func(tm Termination) Flag { return tm.Cause }},
		{"phase", "-RCHDLQT", func(c byte) string { return "-" + string(c) }, func(tm Termination) Flag { return tm.Phase }},
		{"client cookie", "-NIDVEOU7", func(c byte) string { return "--" + string(c) + "-" }, func(tm Termination) Flag { return tm.ClientCookie }},
		{"server cookie", "-NPDIRU67", func(c byte) string { return "---" + string(c) }, func(tm Termination) Flag { return tm.ServerCookie }},
	}
	for _, p := range positions {
		seen := map[string]byte{}
		for i := 0; i < len(p.chars); i++ {
			c := p.chars[i]
			tm := mustExplain(t, p.state(c))
			f := p.flag(tm)
			if f.Code != c {
				t.Errorf("%s %q: Code = %q", p.name, c, f.Code)
			}
			if f.Meaning == "" {
				t.Errorf("%s %q: empty meaning", p.name, c)
				continue
			}
			if other, dup := seen[f.Meaning]; dup && other != c {
				t.Errorf("%s %q and %q share the meaning %q", p.name, c, other, f.Meaning)
			}
			seen[f.Meaning] = c
		}
	}
	// The exported sets agree with HAProxy's arrays.
	if TermCauseChars != "-LcCsSPRIDKU" || TermPhaseChars != "-RCHDLQT" ||
		TermClientCookieChars != "-NIDVEOU7" || TermServerCookieChars != "-NPDIRU67" {
		t.Error("character sets changed")
	}
}

func TestTerminationTwoCharHasNoCookies(t *testing.T) {
	tm := mustExplain(t, "sD")
	if tm.ClientCookie != (Flag{}) || tm.ServerCookie != (Flag{}) || tm.CookieSummary != "" {
		t.Errorf("2-char state has cookie fields: %+v", tm)
	}
	tm = mustExplain(t, "sD--")
	if tm.ClientCookie.Code != '-' || tm.ServerCookie.Code != '-' || tm.CookieSummary == "" {
		t.Errorf("4-char state lacks cookie fields: %+v", tm)
	}
	if !strings.Contains(tm.ClientCookie.Meaning, "not in use") || !strings.Contains(tm.ServerCookie.Meaning, "not in use") {
		t.Errorf("'-' cookie should say persistence is not in use: %q / %q", tm.ClientCookie.Meaning, tm.ServerCookie.Meaning)
	}
}

// The combinations of the manual's list, and the frequent real-world ones.
func TestTerminationListedCombinations(t *testing.T) {
	tests := []struct {
		state   string
		blame   string
		anomaly bool
		outcome string
		want    []string // substrings expected in Summary (case-insensitive)
	}{
		{"--", "none", false, "success", []string{"normal"}},
		{"LR", "local", false, "success", []string{"redirect"}},
		{"LC", "local", false, "success", []string{"redir"}},
		{"LH", "local", false, "success", []string{"locally"}},
		{"CC", "client", true, "failure", []string{"connecting"}},
		{"CD", "client", false, "failure", []string{"data transfer"}},
		{"cD", "client", false, "failure", []string{"timeout client"}},
		{"CH", "client", true, "failure", []string{"response headers"}},
		{"cH", "client", true, "failure", []string{"response headers"}},
		{"CQ", "client", true, "failure", []string{"queue"}},
		{"CR", "client", false, "failure", []string{"400", "pre-connect"}},
		{"cR", "client", false, "failure", []string{"408", "timeout http-request"}},
		{"CT", "client", true, "failure", []string{"tarpit"}},
		{"SC", "server", true, "failure", []string{"refused", "503"}},
		{"sC", "server", true, "failure", []string{"timeout connect", "503"}},
		{"SD", "server", true, "failure", []string{"data transfer"}},
		{"sD", "server", true, "failure", []string{"timeout server"}},
		{"SH", "server", true, "failure", []string{"502"}},
		{"sH", "server", true, "failure", []string{"timeout server", "504", "slow"}},
		{"sQ", "server", true, "failure", []string{"queue", "503"}},
		{"PC", "proxy", true, "failure", []string{"maxconn"}},
		{"PD", "proxy", true, "failure", []string{"chunk"}},
		{"PH", "proxy", true, "failure", []string{"response", "502"}},
		{"PR", "proxy", true, "failure", []string{"deny", "client"}},
		{"PT", "proxy", true, "failure", []string{"tarpit"}},
		{"RC", "resource", true, "failure", []string{"source port"}},
		{"KH", "admin", true, "failure", []string{"hard-stop-after", "502"}},
		{"KD", "admin", true, "failure", []string{"hard-stop-after"}},
		{"KR", "admin", true, "failure", []string{"request"}},
		{"DD", "server", true, "failure", []string{"DOWN", "shutdown-sessions"}},
		{"DH", "server", true, "failure", []string{"DOWN", "502"}},
		{"UD", "proxy", true, "failure", []string{"backup", "shutdown-backup-sessions"}},
		{"UH", "proxy", true, "failure", []string{"backup", "502"}},
		{"CL", "client", false, "failure", []string{"last"}},
		{"cL", "client", false, "failure", []string{"last"}},
	}
	for _, tc := range tests {
		for _, s := range []string{tc.state, tc.state + "--"} {
			tm := mustExplain(t, s)
			if tm.Blame != tc.blame {
				t.Errorf("%s: Blame = %q, want %q", s, tm.Blame, tc.blame)
			}
			if tm.Anomaly != tc.anomaly {
				t.Errorf("%s: Anomaly = %v, want %v", s, tm.Anomaly, tc.anomaly)
			}
			if tm.Outcome != tc.outcome {
				t.Errorf("%s: Outcome = %q, want %q", s, tm.Outcome, tc.outcome)
			}
			for _, w := range tc.want {
				if !strings.Contains(strings.ToLower(tm.Summary), strings.ToLower(w)) {
					t.Errorf("%s: Summary %q lacks %q", s, tm.Summary, w)
				}
			}
			if strings.Contains(tm.Summary, "At that moment") {
				t.Errorf("%s: listed combination got a composed summary: %q", s, tm.Summary)
			}
			if tc.anomaly && tm.Advice == "" {
				t.Errorf("%s: anomaly without advice", s)
			}
		}
	}
}

// Unlisted pairs are composed, and still carry the cause's blame and advice.
func TestTerminationComposed(t *testing.T) {
	tm := mustExplain(t, "ID--")
	if tm.Blame != "internal" || !tm.Anomaly || tm.Outcome != "failure" {
		t.Errorf("ID: %+v", tm)
	}
	if !strings.Contains(tm.Summary, "bug") || !strings.Contains(tm.Summary, "transferring data") {
		t.Errorf("ID: Summary %q", tm.Summary)
	}
	if !strings.Contains(tm.Advice, "upgrade") {
		t.Errorf("ID: Advice %q", tm.Advice)
	}
}

func TestTerminationAdvice(t *testing.T) {
	tests := map[string][]string{
		"--": nil,
		"LR": nil,
		"sH": {"response time", "timeout server"},
		"sC": {"firewall", "timeout connect"},
		"SC": {"listening", "maxconn"},
		"cR": {"harmless"},
		"PR": {"rule"},
		"sQ": {"maxconn", "Tw"},
		"PT": {"tarpit"},
		"cD": {"firewall"},
		"sD": {"firewall"},
		"PH": {"show errors"},
		"RC": {"ulimit-n", "source ports"},
		"IR": {"upgrade", "report"},
		"KH": {"hard-stop-after"},
		"DD": {"DOWN"},
		"UD": {"primary"},
	}
	for s, want := range tests {
		tm := mustExplain(t, s)
		if want == nil && tm.Advice != "" {
			t.Errorf("%s: Advice = %q, want none", s, tm.Advice)
		}
		for _, w := range want {
			if !strings.Contains(strings.ToLower(tm.Advice), strings.ToLower(w)) {
				t.Errorf("%s: Advice %q lacks %q", s, tm.Advice, w)
			}
		}
	}
}

// Every (cause, phase) pair is explained; those without a hand-written text
// get one composed from both meanings; the derived fields follow the rules.
func TestTerminationAllPairs(t *testing.T) {
	listed := map[string]bool{}
	for _, p := range termPairs {
		if listed[p.state] {
			t.Errorf("pair %s written twice", p.state)
		}
		listed[p.state] = true
	}
	routine := map[string]bool{"CD": true, "CL": true, "C-": true, "CR": true, "cR": true, "cD": true, "cL": true, "c-": true}
	for i := 0; i < len(TermCauseChars); i++ {
		for j := 0; j < len(TermPhaseChars); j++ {
			s := string([]byte{TermCauseChars[i], TermPhaseChars[j]})
			tm := mustExplain(t, s)
			if tm.Summary == "" {
				t.Errorf("%s: empty summary", s)
			}
			if !validBlames[tm.Blame] {
				t.Errorf("%s: Blame %q not allowed", s, tm.Blame)
			}
			normal := s[0] == '-' || s[0] == 'L'
			if normal != (tm.Outcome == "success") || (!normal && tm.Outcome != "failure") {
				t.Errorf("%s: Outcome = %q", s, tm.Outcome)
			}
			if wantAnomaly := !normal && !routine[s]; tm.Anomaly != wantAnomaly {
				t.Errorf("%s: Anomaly = %v, want %v", s, tm.Anomaly, wantAnomaly)
			}
			if tm.Anomaly && tm.Outcome != "failure" {
				t.Errorf("%s: an anomaly must be a failure", s)
			}
			if !listed[s] {
				if !strings.Contains(tm.Summary, tm.Cause.Meaning) || !strings.Contains(tm.Summary, tm.Phase.Meaning[1:]) {
					t.Errorf("%s: composed summary %q lacks a meaning", s, tm.Summary)
				}
			}
			// Same answer in 2- and 4-character form.
			tm4 := mustExplain(t, s+"NI")
			if tm4.Summary != tm.Summary || tm4.Blame != tm.Blame || tm4.Anomaly != tm.Anomaly || tm4.Advice != tm.Advice || tm4.Outcome != tm.Outcome {
				t.Errorf("%s: 4-character form differs", s)
			}
		}
	}
}

func TestTerminationCookiePairs(t *testing.T) {
	tests := map[string][]string{
		"--": {"not in use"},
		"NN": {"no persistence cookie"},
		"NI": {"new visitor", "inserted"},
		"II": {"no known server", "inserted"},
		"VN": {"returning visitor"},
		"VU": {"refreshed"},
		"EI": {"maxidle", "inserted"},
		"OI": {"maxlife", "inserted"},
		"DI": {"down", "redispatched", "inserted"},
		"VI": {"inserted"},
		"UN": {"use-server"},
		"VD": {"deleted"},
		"NR": {"rewr"},
		"NP": {"passed it through"},
	}
	for pair, want := range tests {
		tm := mustExplain(t, "--"+pair)
		for _, w := range want {
			if !strings.Contains(strings.ToLower(tm.CookieSummary), strings.ToLower(w)) {
				t.Errorf("%s: CookieSummary %q lacks %q", pair, tm.CookieSummary, w)
			}
		}
	}
	listed := map[string]bool{}
	for _, p := range termCookiePairs {
		listed[p.state] = true
	}
	for i := 0; i < len(TermClientCookieChars); i++ {
		for j := 0; j < len(TermServerCookieChars); j++ {
			pair := string([]byte{TermClientCookieChars[i], TermServerCookieChars[j]})
			tm := mustExplain(t, "--"+pair)
			if tm.CookieSummary == "" {
				t.Errorf("%s: empty cookie summary", pair)
			}
			if !listed[pair] && (!strings.Contains(tm.CookieSummary, tm.ClientCookie.Meaning) || !strings.Contains(tm.CookieSummary, tm.ServerCookie.Meaning)) {
				t.Errorf("%s: composed cookie summary %q lacks a meaning", pair, tm.CookieSummary)
			}
		}
	}
}

func TestTerminationInvalid(t *testing.T) {
	for _, s := range []string{
		"", "-", "s", "sH-", "sH---", "sH-----",
		"xH", "sX", "sh", "SH-x", "SHx-", "sH--\n", " sH-",
		"--6-", // '6' is a set-cookie code only
		"--P-", // 'P' is a set-cookie code only
		"---V", // 'V' is a client-cookie code only
		"---E", "TR", "Tw", "L4OK", "\x00\x00",
	} {
		if tm, ok := ExplainTermination([]byte(s)); ok {
			t.Errorf("ExplainTermination(%q) = ok %+v", s, tm)
		} else if tm != (Termination{}) {
			t.Errorf("ExplainTermination(%q): not ok but fields set: %+v", s, tm)
		}
	}
	if _, ok := ExplainTermination(nil); ok {
		t.Error("nil: ok")
	}
	// The reserved "unknown" codes are valid.
	for _, s := range []string{"--7-", "---6", "---7", "sH76"} {
		mustExplain(t, s)
	}
}

func TestTimerUnreached(t *testing.T) {
	const U = Unset
	tests := []struct {
		TR, Tw, Tc, Tr int
		http           bool
		want           string
	}{
		{0, 0, 0, 5, true, ""},
		{U, U, U, U, true, "request"},  // CR-- / cR--
		{3, U, U, U, true, "queue"},    // PR--, LR--, <NOSRV>
		{3, 0, U, U, true, "connect"},  // sC--, SC--
		{3, 0, 1, U, true, "response"}, // sH--, SH--
		{3, 850, 0, 1000, true, ""},    // queued then served
		{U, 0, 0, 0, true, "request"},  // odd but first -1 wins
		{U, 0, 0, U, false, ""},        // TCP: TR and Tr ignored
		{U, U, U, U, false, "queue"},   // TCP PR
		{U, 0, U, U, false, "connect"}, // TCP sC / SC
		{U, 0, 1, U, false, ""},        // TCP connected
		{-5, 0, 0, 0, true, "request"}, // any negative counts
		{0, 0, 0, 0, false, ""},
	}
	for _, tc := range tests {
		if got := firstUnreached([4]int{tc.TR, tc.Tw, tc.Tc, tc.Tr}, 0, tc.http); got != tc.want {
			t.Errorf("firstUnreached(%d,%d,%d,%d,%v) = %q, want %q", tc.TR, tc.Tw, tc.Tc, tc.Tr, tc.http, got, tc.want)
		}
	}
}

func TestTerminationZeroAlloc(t *testing.T) {
	states := [][]byte{[]byte("sH--"), []byte("--"), []byte("SC--"), []byte("cD"), []byte("KH--"), []byte("--NI"), []byte("IQ7U"), []byte("bad")}
	var sink Termination
	allocs := testing.AllocsPerRun(1000, func() {
		for _, s := range states {
			tm, _ := ExplainTermination(s)
			sink = tm
		}
	})
	if allocs != 0 {
		t.Errorf("ExplainTermination allocates %v times per run", allocs)
	}
	_ = sink
	allocs = testing.AllocsPerRun(1000, func() {
		_ = firstUnreached([4]int{1, 2, Unset, Unset}, 0, true)
	})
	if allocs != 0 {
		t.Errorf("firstUnreached allocates %v times per run", allocs)
	}
}

func BenchmarkExplainTermination(b *testing.B) {
	s := []byte("sH--")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ExplainTermination(s)
	}
}
