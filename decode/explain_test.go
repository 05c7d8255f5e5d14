package decode

import (
	"strings"
	"testing"
)

func TestExplainStates(t *testing.T) {
	tests := map[string][]string{
		"sH--": {"sH--", "HTTP", "timeout server", "Blame: server", "Anomaly: yes", "Outcome: failure", "Advice:", "Cookies (--)", "not in use"},
		"SC":   {"TCP", "refused", "Blame: server", "Advice:"},
		"--":   {"Normal end", "Blame: none", "Anomaly: no", "Outcome: success"},
		"--NI": {"New visitor", "inserted"},
		"cR--": {"408", "Anomaly: no"},
		"KH--": {"hard-stop-after", "Blame: admin"},
		"UD":   {"Blame: proxy"},
		"IQ":   {"bug", "queue", "Blame: internal"},
		" CD ": {"Anomaly: no", "Outcome: failure"},
	}
	for in, want := range tests {
		out, ok := Explain(in)
		if !ok {
			t.Errorf("Explain(%q): not ok", in)
			continue
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("Explain(%q) lacks %q:\n%s", in, w, out)
			}
		}
	}
	// Every character of a 4-char state is listed with its meaning.
	out, _ := Explain("sD--")
	tm, _ := ExplainTermination([]byte("sD--"))
	for _, m := range []string{tm.Cause.Meaning, tm.Phase.Meaning, tm.ClientCookie.Meaning, tm.ServerCookie.Meaning, tm.Summary, tm.Advice, tm.CookieSummary} {
		if !strings.Contains(out, m) {
			t.Errorf("Explain(sD--) lacks %q", m)
		}
	}
	if out, _ := Explain("sD"); strings.Contains(out, "cookie") {
		t.Errorf("2-char state mentions cookies:\n%s", out)
	}
}

func TestExplainCheckStatuses(t *testing.T) {
	tests := []struct {
		in   string
		code string
		want []string
	}{
		{"Layer4 timeout", "L4TOUT", []string{"no answer", "firewall"}},
		{"L4TOUT", "L4TOUT", []string{"no answer"}},
		{"l4tout", "L4TOUT", nil},
		{"layer4 TIMEOUT", "L4TOUT", nil},
		{"Layer 4 timeout", "L4TOUT", nil},
		{"reason: Layer4 connection problem", "L4CON", []string{"Connection refused", "nothing listens"}},
		{"Health check for server be/s1 failed, reason: Layer7 wrong status, code: 500, info: \"Internal Server Error\", check duration: 3ms, status: 0/2 DOWN.", "L7STS", []string{"error status"}},
		{"L4CON", "L4CON", nil},
		{"L4OK", "L4OK", nil},
		{"L6OK", "L6OK", []string{"TLS"}},
		{"L6TOUT", "L6TOUT", []string{"TLS"}},
		{"L6RSP", "L6RSP", []string{"TLS"}},
		{"Layer6 invalid response", "L6RSP", nil},
		{"L7TOUT", "L7TOUT", []string{"too slow"}},
		{"Layer7 timeout", "L7TOUT", nil},
		{"L7RSP", "L7RSP", []string{"expect"}},
		{"Layer7 invalid response", "L7RSP", nil},
		{"L7OK", "L7OK", nil},
		{"L7OKD", "L7OK", nil},
		{"Layer7 check passed", "L7OK", nil},
		{"L7OKC", "L7OKC", []string{"disable-on-404"}},
		{"L7OKCD", "L7OKC", nil},
		{"Layer7 check conditionally passed", "L7OKC", nil},
		{"L7STS", "L7STS", []string{"error status", "agent"}},
		{"Layer7 wrong status", "L7STS", nil},
		{"HANA", "HANA", []string{"observe"}},
		{"Health analyze", "HANA", nil},
		{"SOCKERR", "SOCKERR", nil},
		{"Socket error", "SOCKERR", nil},
		{"PROCERR", "PROCERR", []string{"external"}},
		{"External check timeout", "PROCTOUT", nil},
		{"PROCOK", "PROCOK", nil},
		{"INI", "INI", nil},
		{"Initializing", "INI", nil},
		{"UNK", "UNK", nil},
		{"CHECKED", "CHECKED", nil},
		{"No status change", "CHECKED", nil},
	}
	for _, tc := range tests {
		out, ok := Explain(tc.in)
		if !ok {
			t.Errorf("Explain(%q): not ok", tc.in)
			continue
		}
		if !strings.Contains(out, "Check status "+tc.code+" ") {
			t.Errorf("Explain(%q) is not about %s:\n%s", tc.in, tc.code, out)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("Explain(%q) lacks %q:\n%s", tc.in, w, out)
			}
		}
	}
}

// Every row of HAProxy's check status table maps both ways and is explained.
func TestCheckStatusTable(t *testing.T) {
	rows := map[string]string{
		"Unknown": "UNK", "Initializing": "INI", "No status change": "CHECKED",
		"Health analyze": "HANA", "Socket error": "SOCKERR",
		"Layer4 check passed": "L4OK", "Layer4 timeout": "L4TOUT", "Layer4 connection problem": "L4CON",
		"Layer6 check passed": "L6OK", "Layer6 timeout": "L6TOUT", "Layer6 invalid response": "L6RSP",
		"Layer7 timeout": "L7TOUT", "Layer7 invalid response": "L7RSP",
		"Layer7 check passed": "L7OK", "Layer7 check conditionally passed": "L7OKC", "Layer7 wrong status": "L7STS",
		"External check error": "PROCERR", "External check timeout": "PROCTOUT", "External check passed": "PROCOK",
	}
	if len(rows) != len(checkStatuses) {
		t.Errorf("table has %d rows, test %d", len(checkStatuses), len(rows))
	}
	layers := map[string]bool{"L4": true, "L6": true, "L7": true, "external": true, "traffic": true, "local": true, "": true}
	summaries := map[string]bool{}
	for reason, code := range rows {
		if got := CheckStatusFromReason([]byte(reason)); got != code {
			t.Errorf("CheckStatusFromReason(%q) = %q, want %q", reason, got, code)
		}
		if got := CheckStatusFromReason([]byte(strings.ToUpper(reason))); got != code {
			t.Errorf("CheckStatusFromReason(upper %q) = %q", reason, got)
		}
		sum, layer := explainCheckStatus(code)
		if sum == "" {
			t.Errorf("explainCheckStatus(%q): empty summary", code)
		}
		if summaries[sum] {
			t.Errorf("explainCheckStatus(%q): summary shared", code)
		}
		summaries[sum] = true
		if !layers[layer] {
			t.Errorf("explainCheckStatus(%q): layer %q", code, layer)
		}
		if want := code[:2]; (want == "L4" || want == "L6" || want == "L7") && layer != want {
			t.Errorf("explainCheckStatus(%q): layer %q, want %q", code, layer, want)
		}
		if s2, _ := explainCheckStatus(strings.ToLower(code)); s2 != sum {
			t.Errorf("explainCheckStatus(lower %q) differs", code)
		}
	}
	for _, bad := range []string{"", "Layer4", "Layer4 timeout ", "L4TOUT", "Layer5 timeout", "Layer4 timeouts"} {
		if got := CheckStatusFromReason([]byte(bad)); got != "" {
			t.Errorf("CheckStatusFromReason(%q) = %q, want \"\"", bad, got)
		}
	}
	if s, l := explainCheckStatus("L9XX"); s != "" || l != "" {
		t.Errorf("explainCheckStatus(L9XX) = %q, %q", s, l)
	}
	reason := []byte("Layer7 check conditionally passed")
	if n := testing.AllocsPerRun(1000, func() { _ = CheckStatusFromReason(reason) }); n != 0 {
		t.Errorf("CheckStatusFromReason allocates %v", n)
	}
}

func TestExplainTimers(t *testing.T) {
	tests := map[string][]string{
		"TR":  {"request headers", "-1"},
		"Tw":  {"queue", "-1"},
		"Tc":  {"connection", "-1"},
		"Tr":  {"response headers", "-1"},
		"Ta":  {"Never -1", "logasap"},
		"Tt":  {"accept to close", "Never -1"},
		"Th":  {"handshake"},
		"Ti":  {"idle", "-1"},
		"Tq":  {"Th + Ti + TR", "1.6"},
		"Td":  {"body"},
		"Tu":  {"idle"},
		"%Tw": {"queue"},
		"tw":  {"queue"},
	}
	for in, want := range tests {
		out, ok := Explain(in)
		if !ok {
			t.Errorf("Explain(%q): not ok", in)
			continue
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("Explain(%q) lacks %q:\n%s", in, w, out)
			}
		}
	}
	// TR and Tr are different timers; "tr" gives both.
	tr, _ := Explain("TR")
	tr2, _ := Explain("Tr")
	if tr == tr2 {
		t.Error("TR and Tr explained the same")
	}
	both, _ := Explain("tr")
	if !strings.Contains(both, tr) || !strings.Contains(both, tr2) {
		t.Errorf("Explain(tr) should give both TR and Tr:\n%s", both)
	}
	if out, ok := Explain("timers"); !ok || !strings.Contains(out, "TR/Tw/-1/xx/Ta") {
		t.Errorf("Explain(timers) = %q, %v", out, ok)
	}
}

func TestExplainPhrases(t *testing.T) {
	tests := map[string]string{
		"no server available":                     "503",
		"backend be_app has no server available!": "DOWN",
		"Running on backup":                       "backup servers",
		"Connection refused":                      "nothing listens",
		"No route to host":                        "route",
		"SSL handshake failure":                   "TLS",
		"Connection closed during SSL handshake":  "scanners",
		"Timeout during SSL handshake":            "TLS handshake",
		"<NOSRV>":                                 "no server was chosen",
		"<BADREQ>":                                "show errors",
		"Proxy fe hard-stopped (1 remaining conns will be closed).": "hard-stop-after",
	}
	for in, want := range tests {
		out, ok := Explain(in)
		if !ok {
			t.Errorf("Explain(%q): not ok", in)
			continue
		}
		if !strings.Contains(out, want) {
			t.Errorf("Explain(%q) lacks %q:\n%s", in, want, out)
		}
	}
}

func TestExplainUnknown(t *testing.T) {
	for _, in := range []string{"", "   ", "xyz", "sh--", "sH-", "SX", "L9TOUT", "Layer9 timeout", "T", "Tz", "foo-1", "timeouts"} {
		if out, ok := Explain(in); ok {
			t.Errorf("Explain(%q) = ok:\n%s", in, out)
		}
	}
}

// explainCheckStatus is the summary and layer of a check status code, ""
// for an unknown one.
func explainCheckStatus(code string) (summary, layer string) {
	if c := checkStatusByCode(code); c != nil {
		return c.summary, c.layer
	}
	return "", ""
}
