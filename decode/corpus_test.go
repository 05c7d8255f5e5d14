package decode

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// The corpus under testdata/corpus was written by a real HAProxy 2.6 in 19
// scenarios; each scenario's expect.jsonl says what its lines must decode to.

type expectation struct {
	Scenario string `json:"scenario"`
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Client   string `json:"client"`
	Request  string `json:"request"`
	Format   string `json:"format"`
	Event    string `json:"event"`
	Expect   struct {
		TerminationState string          `json:"termination_state"`
		Status           *int            `json:"status"`
		Regex            string          `json:"regex"`
		Checks           map[string]any  `json:"checks"`
		Raw              json.RawMessage `json:"-"`
	} `json:"expect"`
}

// corpusEventKinds maps the corpus' event labels to ours.
var corpusEventKinds = map[string][]EventKind{
	"server_down":            {EventServerDown},
	"server_up":              {EventServerUp},
	"health_check_failed":    {EventHealthCheck},
	"health_check_succeeded": {EventHealthCheck},
	"agent_check_failed":     {EventAgentCheck},
	"server_maint":           {EventServerMaintenance},
	"server_drain":           {EventServerDrain},
	"backend_down":           {EventBackendNoServer},
	"proxy_stopped":          {EventProxyStopped},
	"proxy_paused":           {EventProxyPaused},
	"proxy_resumed":          {EventProxyResumed},
	"hard_stop":              {EventHardStop, EventProxyHardStopped},
	"connect":                {EventConnect},
}

var corpusFormats = map[string]LogType{
	"httplog": LogHTTP, "httpslog": LogHTTPS, "tcplog": LogTCP, "clf": LogCLF,
}

// readLines returns the non-blank lines of files.
func readLines(tb testing.TB, files ...string) [][]byte {
	tb.Helper()
	return corpus.Bytes(corpus.ReadLines(tb, files...))
}

func scenarios(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("testdata/corpus/*.expect.jsonl")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus in testdata/corpus: %v", err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".expect.jsonl"))
	}
	return names
}

// decoded is one corpus line with a private copy of its entry.
type decoded struct {
	line []byte
	e    Entry
}

func decodeFile(t *testing.T, path string) []decoded {
	var d Decoder
	d.Location = time.UTC
	var out []decoded
	for _, line := range readLines(t, path) {
		var e Entry
		decodeExplain(&d, &e, line, time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC))
		out = append(out, decoded{line, e})
	}
	return out
}

// TestCorpusEveryLineKnown: every line a real HAProxy wrote, in every
// framing, is understood: none comes back unknown.
func TestCorpusEveryLineKnown(t *testing.T) {
	for _, s := range scenarios(t) {
		for _, suffix := range []string{".log", ".rfc5424.log", ".raw.log", ".stderr.log"} {
			path := filepath.Join("testdata/corpus", s+suffix)
			if _, err := os.Stat(path); err != nil {
				continue
			}
			for i, d := range decodeFile(t, path) {
				if d.e.Type == LogUnknown {
					t.Errorf("%s:%d: unknown (%s): %s", path, i+1, d.e.ParseError, d.line)
				}
				if !bytes.Equal(d.e.Message, bytes.TrimRight(d.line, "\r\n")) {
					t.Errorf("%s:%d: message not kept", path, i+1)
				}
			}
		}
	}
}

// TestCorpusExpectations checks every expectation of every scenario against
// the RFC3164 file, as the corpus' own verify.py does, but through our decoder.
func TestCorpusExpectations(t *testing.T) {
	checked := 0
	for _, s := range scenarios(t) {
		entries := decodeFile(t, filepath.Join("testdata/corpus", s+".log"))
		for _, raw := range readLines(t, filepath.Join("testdata/corpus", s+".expect.jsonl")) {
			var x expectation
			if err := json.Unmarshal(raw, &x); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
			name := s + "/" + x.ID
			switch x.Kind {
			case "request":
				checked++
				checkRequest(t, name, x, entries)
			case "event":
				checked++
				checkEvent(t, name, x, entries)
			case "conn_error":
				checked++
				checkConnError(t, name, x, entries)
			case "absent":
				for _, d := range entries {
					if d.e.IsTraffic() && clientOf(&d.e) == x.Client {
						t.Errorf("%s: a line for %s should be absent: %s", name, x.Client, d.line)
					}
				}
			}
		}
	}
	if checked < 150 {
		t.Errorf("only %d expectations checked", checked)
	}
}

func clientOf(e *Entry) string {
	return string(e.ClientIP) + ":" + itoa(e.ClientPort)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func checkRequest(t *testing.T, name string, x expectation, entries []decoded) {
	t.Helper()
	var found []*decoded
	for i := range entries {
		e := &entries[i].e
		if !e.IsTraffic() || clientOf(e) != x.Client {
			continue
		}
		if x.Request != "" && string(e.RequestLine) != x.Request {
			continue
		}
		found = append(found, &entries[i])
	}
	if len(found) == 0 {
		t.Errorf("%s: no traffic line decoded for client %s %q", name, x.Client, x.Request)
		return
	}
	e := &found[0].e
	if want, ok := corpusFormats[x.Format]; ok && e.Type != want {
		t.Errorf("%s: log_type %v, want %v", name, e.Type, want)
	}
	if string(e.TermState) != x.Expect.TerminationState {
		t.Errorf("%s: termination_state %q, want %q", name, e.TermState, x.Expect.TerminationState)
	}
	if _, ok := ExplainTermination(e.TermState); !ok {
		t.Errorf("%s: termination state %q not explained", name, e.TermState)
	}
	if x.Expect.Status != nil {
		want := *x.Expect.Status
		if want == -1 {
			want = Unset
		}
		if e.Status != want {
			t.Errorf("%s: status %d, want %d", name, e.Status, want)
		}
	}
	for k, v := range x.Expect.Checks {
		switch k {
		case "Tw_min":
			if float64(e.Tw) < v.(float64) {
				t.Errorf("%s: Tw %d < %v", name, e.Tw, v)
			}
		case "retries":
			want := v.(string)
			got := itoa(e.Retries)
			if e.Redispatched {
				got = "+" + got
			}
			if got != want {
				t.Errorf("%s: retries %s, want %s", name, got, want)
			}
		case "server":
			if string(e.Server) != v.(string) {
				t.Errorf("%s: server %q, want %q", name, e.Server, v)
			}
		case "pri":
			if float64(e.Priority) != v.(float64) {
				t.Errorf("%s: priority %d, want %v", name, e.Priority, v)
			}
		case "bytes_min":
			if float64(e.BytesRead) < v.(float64) {
				t.Errorf("%s: bytes %d < %v", name, e.BytesRead, v)
			}
		}
	}
}

func checkEvent(t *testing.T, name string, x expectation, entries []decoded) {
	t.Helper()
	rx := regexp.MustCompile(x.Expect.Regex)
	kinds, ok := corpusEventKinds[x.Event]
	if !ok {
		t.Fatalf("%s: corpus event %q has no mapping", name, x.Event)
	}
	matched := 0
	for _, d := range entries {
		if !rx.Match(d.e.Body) {
			continue
		}
		matched++
		good := false
		for _, k := range kinds {
			good = good || d.e.Event == k
		}
		if !good || d.e.Type != LogEvent {
			t.Errorf("%s: event kind %v (type %v), want one of %v: %s", name, d.e.Event, d.e.Type, kinds, d.line)
		}
		switch x.Event {
		case "health_check_failed":
			if d.e.CheckResult != "failed" || d.e.CheckStatus == "" {
				t.Errorf("%s: check result %q status %q", name, d.e.CheckResult, d.e.CheckStatus)
			}
		case "health_check_succeeded":
			if d.e.CheckResult != "succeeded" {
				t.Errorf("%s: check result %q", name, d.e.CheckResult)
			}
		case "backend_down":
			if !d.e.Outage {
				t.Errorf("%s: no server available must be an outage", name)
			}
		}
	}
	if matched == 0 {
		t.Errorf("%s: no line's body matches %q", name, x.Expect.Regex)
	}
}

func checkConnError(t *testing.T, name string, x expectation, entries []decoded) {
	t.Helper()
	rx := regexp.MustCompile(x.Expect.Regex)
	for _, d := range entries {
		if bytes.HasPrefix(d.e.Body, []byte(x.Client+" ")) && rx.Match(d.e.Body) {
			if d.e.Type != LogEvent || d.e.Event != EventConnectionError {
				t.Errorf("%s: type %v event %v, want connection_error: %s", name, d.e.Type, d.e.Event, d.line)
			}
			if clientOf(&d.e) != x.Client {
				t.Errorf("%s: client %s, want %s", name, clientOf(&d.e), x.Client)
			}
			return
		}
	}
	t.Errorf("%s: no connection error line for %s", name, x.Client)
}

// TestCorpusFramingsAgree: the same HAProxy process sent each message to
// three log targets at once; all three framings must decode to the same
// fields once the framing itself is set aside.
func TestCorpusFramingsAgree(t *testing.T) {
	for _, s := range scenarios(t) {
		a := decodeFile(t, filepath.Join("testdata/corpus", s+".log"))
		b := decodeFile(t, filepath.Join("testdata/corpus", s+".rfc5424.log"))
		c := decodeFile(t, filepath.Join("testdata/corpus", s+".raw.log"))
		if len(a) != len(b) || len(a) != len(c) {
			t.Errorf("%s: %d/%d/%d lines in the three framings", s, len(a), len(b), len(c))
			continue
		}
		// UDP datagrams may arrive in a different order: match by body.
		byBody := func(ds []decoded) map[string][]Entry {
			m := map[string][]Entry{}
			for _, d := range ds {
				m[string(d.e.Body)] = append(m[string(d.e.Body)], withoutFraming(d.e))
			}
			return m
		}
		ma, mb, mc := byBody(a), byBody(b), byBody(c)
		for body, ea := range ma {
			eb, ec := mb[body], mc[body]
			if len(eb) != len(ea) || len(ec) != len(ea) {
				t.Errorf("%s: message %q appears %d/%d/%d times", s, body, len(ea), len(eb), len(ec))
				continue
			}
			if !reflect.DeepEqual(ea[0], eb[0]) || !reflect.DeepEqual(ea[0], ec[0]) {
				t.Errorf("%s: framings decode differently: %q\nrfc3164 %+v\nrfc5424 %+v\nraw     %+v", s, body, ea[0], eb[0], ec[0])
			}
		}
		// The framing fields themselves.
		for _, d := range a {
			if d.e.Framing != FramingRFC3164 || d.e.Priority < 0 || !d.e.HeaderTimeOK || string(d.e.ProcessName) != "haproxy" || d.e.PID <= 0 {
				t.Errorf("%s: rfc3164 framing not read: %+v", s, d.line)
				break
			}
		}
		for _, d := range b {
			if d.e.Framing != FramingRFC5424 || d.e.Priority < 0 || !d.e.HeaderTimeOK || string(d.e.ProcessName) != "haproxy" || d.e.PID <= 0 {
				t.Errorf("%s: rfc5424 framing not read: %s", s, d.line)
				break
			}
		}
		for _, d := range c {
			if d.e.Framing != FramingRaw || d.e.Priority != Unset {
				t.Errorf("%s: raw line taken for framed: %s", s, d.line)
				break
			}
		}
	}
}

func withoutFraming(e Entry) Entry {
	e.Message, e.Framing, e.Priority, e.HeaderTime, e.HeaderTimeOK = nil, 0, 0, time.Time{}, false
	e.Hostname, e.ProcessName, e.PID, e.StderrLevel, e.scratch = nil, nil, 0, nil, nil
	e.times = timeCache{} // the Entry's date cache is not part of the result
	e.tags = tagCache{}   // nor its syslog tag cache
	// Severity judged from the syslog priority may differ where the raw
	// framing has none; the decoder must not use it.
	return e
}
