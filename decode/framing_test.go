package decode

import (
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
		{"priority format", "<134>" + msg, FramingRFC3164, 134, "", "", Unset, "", "", msg},
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
			if e.Type == LogUnknown && e.ParseError == "" {
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
