package decode

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

func TestFraming(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	const msg = "Proxy fe_http started."
	tests := []struct {
		name     string
		line     string
		framing  Framing
		pri      int
		host     string
		proc     string
		pid      int
		level    string
		when     string // RFC 3339 in UTC, "" for none
		wantBody string
	}{
		{"rfc3164 local (no hostname)", "<134>Nov 21 07:25:01 haproxy[123]: " + msg,
			FramingRFC3164, 134, "", "haproxy", 123, "", "2026-11-21T07:25:01Z", msg},
		{"rfc3164 with hostname", "<133>Nov 21 07:25:01 lb1 haproxy[123]: " + msg,
			FramingRFC3164, 133, "lb1", "haproxy", 123, "", "2026-11-21T07:25:01Z", msg},
		{"rfc3164 space-padded day", "<134>Nov  1 07:25:01 lb1 haproxy[9]: " + msg,
			FramingRFC3164, 134, "lb1", "haproxy", 9, "", "2026-11-01T07:25:01Z", msg},
		{"rfc3164 without PRI (syslog file)", "Nov 21 07:25:01 lb1 haproxy[123]: " + msg,
			FramingRFC3164, Unset, "lb1", "haproxy", 123, "", "2026-11-21T07:25:01Z", msg},
		{"rfc3164 tag without pid", "<134>Nov 21 07:25:01 lb1 haproxy: " + msg,
			FramingRFC3164, 134, "lb1", "haproxy", Unset, "", "2026-11-21T07:25:01Z", msg},
		{"rfc3164 december date seen in january is last year", "<134>Dec 31 23:59:59 haproxy[1]: " + msg,
			FramingRFC3164, 134, "", "haproxy", 1, "", "2025-12-31T23:59:59Z", msg},
		{"rfc5424", "<134>1 2026-11-21T07:25:01.647839+00:00 - haproxy 27581 - - " + msg,
			FramingRFC5424, 134, "", "haproxy", 27581, "", "2026-11-21T07:25:01.647839Z", msg},
		{"rfc5424 with hostname, offset and structured data", `<134>1 2026-11-21T08:25:01+01:00 lb1 haproxy 42 msg1 [ex@1 k="a ] b"][x@2 y="z"] ` + msg,
			FramingRFC5424, 134, "lb1", "haproxy", 42, "", "2026-11-21T07:25:01Z", msg},
		{"iso syslog", "2015-08-26T02:09:48+02:00 lb1 haproxy[14389]: " + msg,
			FramingISO, Unset, "lb1", "haproxy", 14389, "", "2015-08-26T00:09:48Z", msg},
		{"stderr 2.4+", "[WARNING]  (4563) : " + msg,
			FramingStderr, Unset, "", "", 4563, "WARNING", "", msg},
		{"stderr alert 2.4+", "[ALERT]    (1) : " + msg,
			FramingStderr, Unset, "", "", 1, "ALERT", "", msg},
		{"stderr ≤2.3 with day of year", "[WARNING] 126/080119 (3115) : " + msg,
			FramingStderr, Unset, "", "", 3115, "WARNING", "2026-05-07T08:01:19Z", msg},
		{"journald export of stderr", "Nov 21 07:25:01 lb1 haproxy[1]: [NOTICE]   (1) : " + msg,
			FramingRFC3164, Unset, "lb1", "haproxy", 1, "NOTICE", "2026-11-21T07:25:01Z", msg},
		{"priority format", "<134>" + msg, FramingPriority, 134, "", "", Unset, "", "", msg},
		{"short format", "<6>" + msg, FramingPriority, 6, "", "", Unset, "", "", msg},
		{"timed format", "<6>2026-11-21T07:25:01.074119+00:00 " + msg, FramingTimed, 6, "", "", Unset, "", "2026-11-21T07:25:01.074119Z", msg},
		{"iso format (no host, no tag)", "2026-11-21T07:25:01.074119+00:00 " + msg, FramingISO, Unset, "", "", Unset, "", "2026-11-21T07:25:01.074119Z", msg},
		{"bare tag, as the manual prints lines", "haproxy[674]: " + msg, FramingTag, Unset, "", "haproxy", 674, "", "", msg},
		{"bare tag without pid is no tag", "status: " + msg, FramingRaw, Unset, "", "", Unset, "", "", "status: " + msg},
		{"bare tag of a stderr export", "haproxy[9]: [WARNING]  (9) : " + msg, FramingTag, Unset, "", "haproxy", 9, "WARNING", "", msg},
		{"raw", msg, FramingRaw, Unset, "", "", Unset, "", "", msg},
		{"trailing CRLF", msg + "\r\n", FramingRaw, Unset, "", "", Unset, "", "", msg},
		{"PRI out of range is not framing", "<999>" + msg, FramingRaw, Unset, "", "", Unset, "", "", "<999>" + msg},
	}
	d := Decoder{Location: time.UTC}
	var e Entry
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := now
			if tt.name == "rfc3164 december date seen in january is last year" {
				at = time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
			}
			d.Decode(&e, []byte(tt.line), at)
			if e.Framing != tt.framing {
				t.Errorf("framing %v, want %v", e.Framing, tt.framing)
			}
			if e.Priority != tt.pri {
				t.Errorf("priority %d, want %d", e.Priority, tt.pri)
			}
			if string(e.Hostname) != tt.host || string(e.ProcessName) != tt.proc || e.PID != tt.pid {
				t.Errorf("host %q proc %q pid %d, want %q %q %d", e.Hostname, e.ProcessName, e.PID, tt.host, tt.proc, tt.pid)
			}
			if string(e.StderrLevel) != tt.level {
				t.Errorf("level %q, want %q", e.StderrLevel, tt.level)
			}
			got := ""
			if e.HeaderTimeOK {
				got = e.HeaderTime.UTC().Format(time.RFC3339Nano)
			}
			if got != tt.when {
				t.Errorf("header time %q, want %q", got, tt.when)
			}
			if string(e.Body) != tt.wantBody {
				t.Errorf("body %q, want %q", e.Body, tt.wantBody)
			}
		})
	}
}

func TestDecodeNeverPanicsOnFramingGarbage(t *testing.T) {
	var d Decoder
	var e Entry
	seeds := []string{
		"<", "<1", "<13>", "<13>1", "<13>1 ", "<13>1 2026-11-21T07:25:01Z", "<13>Nov", "<13>Nov 21 07:25:01",
		"[", "[W]", "[WARNING]", "[WARNING] 126/0801", "[WARNING]  (", "[WARNING]  (12", "[WARNING]  (12) :",
		"2026-11-21T07:25:01Z", "Nov 21 07:25:01 ", "\x00\xff\xfe", "<134>1 - - - - - [unterminated",
	}
	for _, s := range seeds {
		for i := 0; i <= len(s); i++ {
			d.Decode(&e, []byte(s[:i]), time.Time{})
			if e.Type == LogUnknown && e.Err() == nil {
				t.Errorf("%q: unknown without a reason", s[:i])
			}
		}
	}
}

func TestDecodeTimeZone(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	d := Decoder{Location: paris}
	var e Entry
	d.Decode(&e, []byte("<134>Nov 21 08:25:01 haproxy[1]: Proxy x started."), time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC))
	if got := e.HeaderTime.UTC().Format(time.RFC3339); got != "2026-11-21T07:25:01Z" {
		t.Errorf("local header time in Paris = %s UTC, want 07:25:01Z", got)
	}
}

// testdata/framings holds what Debian's HAProxy 2.6 wrote for one set of
// requests to every "log ... format" variant (generate.py made them): TCP,
// UNIX, abstract and socketpair clients, httplog, tcplog, httplog clf and
// the default "Connect" log.
func TestFramingsOfRealHAProxy(t *testing.T) {
	// What each line's client is, in request order (the "Connect to" line
	// names the listener, not a client).
	clients := []string{"127.0.0.1", "unix:1", "unix:1", "unix", "unix:1", "", "unix:1"}
	types := []LogType{LogHTTP, LogHTTP, LogHTTP, LogCLF, LogTCP, LogEvent, LogHTTP}
	tests := []struct {
		file    string
		framing Framing
		pri     int
		proc    string
		hasTime bool
	}{
		{"local", FramingRFC3164, 134, "haproxy", true},
		{"rfc3164", FramingRFC3164, 134, "haproxy", true},
		{"rfc5424", FramingRFC5424, 134, "haproxy", true},
		{"short", FramingPriority, 6, "", false},
		{"priority", FramingPriority, 134, "", false},
		{"timed", FramingTimed, 6, "", true},
		{"iso", FramingISO, Unset, "", true},
		{"raw", FramingRaw, Unset, "", false},
		// The manual's way: the local lines without their PRI and date.
		{"local", FramingTag, Unset, "haproxy", false},
	}
	header := regexp.MustCompile(`^<134>[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d `)
	d := Decoder{Location: time.UTC}
	var e Entry
	for i, tt := range tests {
		f, err := os.Open(filepath.Join("testdata", "framings", tt.file+".log"))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		n := 0
		for ; sc.Scan(); n++ {
			line := sc.Bytes()
			if tt.framing == FramingTag {
				line = header.ReplaceAll(line, nil)
			}
			d.Decode(&e, line, time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC))
			where := tt.file + ":" + itoa(n+1)
			if i == len(tests)-1 {
				where = "tag " + where
			}
			if n >= len(clients) {
				t.Fatalf("%s: more lines than requests", where)
			}
			if e.Type != types[n] || e.Framing != tt.framing || e.Priority != tt.pri ||
				string(e.ProcessName) != tt.proc || e.HeaderTimeOK != tt.hasTime {
				t.Errorf("%s: type %v framing %v pri %d proc %q time %v (%s), want %v %v %d %q %v",
					where, e.Type, e.Framing, e.Priority, e.ProcessName, e.HeaderTimeOK, e.ParseError,
					types[n], tt.framing, tt.pri, tt.proc, tt.hasTime)
			}
			if string(e.ClientAddr) != clients[n] {
				t.Errorf("%s: source.address %q, want %q", where, e.ClientAddr, clients[n])
			}
			if ip := string(e.ClientIP); (ip != "") != (clients[n] == "127.0.0.1") {
				t.Errorf("%s: source.ip %q", where, ip)
			}
		}
		f.Close()
		if n != len(clients) {
			t.Errorf("%s: %d lines, want %d", tt.file, n, len(clients))
		}
	}
}
