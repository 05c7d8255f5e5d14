package encode

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func timeFormat(t testing.TB, pattern string, nanos bool) TimeFormat {
	t.Helper()
	f, err := NewTimeFormat(pattern, nanos)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestTimeFormat: the text of Fluent Bit's es output (strftime of the time in
// UTC, glibc, C locale, then ".%03dZ" or ".%09dZ"). The expected values were
// checked against a C program doing what plugins/out_es/es.c does.
func TestTimeFormat(t *testing.T) {
	tm := time.Date(2026, 11, 21, 7, 5, 32, 633999999, time.FixedZone("CET", 3600)) // 06:05:32 UTC
	for _, c := range []struct {
		pattern string
		nanos   bool
		want    string
	}{
		{"", false, "2026-11-21T06:05:32.633Z"},
		{"", true, "2026-11-21T06:05:32.633999999Z"},
		{"%Y-%m-%dT%H:%M:%S", false, "2026-11-21T06:05:32.633Z"},
		{"%Y-%m-%dT%H:%M:%S", true, "2026-11-21T06:05:32.633999999Z"},
		{"%FT%T", false, "2026-11-21T06:05:32.633Z"},
		{"%d/%b/%Y %H:%M:%S", false, "21/Nov/2026 06:05:32.633Z"},
		{"%Y-%m-%dT%H:%M:%S%z", false, "2026-11-21T06:05:32+0000.633Z"},
		{"%a %A %b %B %h %Z %p", false, "Sat Saturday Nov November Nov GMT AM.633Z"},
		{"%c|%D|%x|%X|%r|%R", false, "Sat Nov 21 06:05:32 2026|11/21/26|11/21/26|06:05:32|06:05:32 AM|06:05.633Z"},
		{"%C %y %G %g %V %U %W %u %w %j", false, "20 26 2026 26 47 46 46 6 6 325.633Z"},
		{"%e|%k|%l|%I", false, "21| 6| 6|06.633Z"},
		{"%-d %-m %-H %-j", false, "21 11 6 325.633Z"},
		{"%%Y %n%t", false, `%Y \n\t.633Z`}, // escaped
		{"%s", false, "1795241132.633Z"},    // GNU: seconds since the epoch
		// Text that is a Go layout token stays text.
		{"Mon Jan 2006 1 2 15 MST PM .000 %Y", false, "Mon Jan 2006 1 2 15 MST PM .000 2026.633Z"},
		// Conversions next to text or each other are not joined into one Go
		// layout (lestrrat-go/strftime alone gives "November", "Saturday",
		// "AMST" and "325").
		{"%buary %aday P%Z _%e %e%Y", false, "Novuary Satday PGMT _21 212026.633Z"},
	} {
		f := timeFormat(t, c.pattern, c.nanos)
		got := f.Append([]byte("x"), tm)
		want := `x"` + c.want + `"`
		if string(got) != want {
			t.Errorf("%q nanos=%v: got %s want %s", c.pattern, c.nanos, got, want)
		}
		if f.Pattern() != c.pattern || f.Nanos() != c.nanos {
			t.Errorf("%q: Pattern %q Nanos %v", c.pattern, f.Pattern(), f.Nanos())
		}
	}

	// Small fractions are zero-padded; the milliseconds are truncated.
	small := time.Date(2026, 1, 2, 3, 4, 5, 7000999, time.UTC)
	if got := string(timeFormat(t, "%H", false).Append(nil, small)); got != `"03.007Z"` {
		t.Errorf("ms: %s", got)
	}
	if got := string(timeFormat(t, "%H", true).Append(nil, small)); got != `"03.007000999Z"` {
		t.Errorf("ns: %s", got)
	}

	// Bytes that need escaping give valid JSON.
	for _, p := range []string{`"%Y"` + "\x01", `%Y\`, "%Y\xff", "é %Y"} {
		b := timeFormat(t, p, false).Append(nil, tm)
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			t.Errorf("%q: %s: %v", p, b, err)
		}
	}
	b := timeFormat(t, `"%Y"`+"\x01", false).Append(nil, tm)
	if string(b) != `"\"2026\"\u0001.633Z"` {
		t.Errorf("escaped: %s", b)
	}
}

func TestTimeFormatRefused(t *testing.T) {
	for p, want := range map[string]string{
		"2006-01-02":             "no % directive",
		"constant":               "no % directive",
		"%Q":                     "'%Q' was not found",
		"%Y%":                    "stray %",
		"%v":                     "'%v' was not found", // BSD, not glibc
		"%#b":                    "'#' flag",
		strings.Repeat("%c", 11): "Fluent Bit writes at most 254",
	} {
		_, err := NewTimeFormat(p, false)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", p, err, want)
		}
	}
	// 254 bytes in all is the longest accepted.
	if _, err := NewTimeFormat(strings.Repeat("x", 248)+"%%", false); err != nil {
		t.Errorf("254 bytes: %v", err)
	}
	if _, err := NewTimeFormat(strings.Repeat("x", 249)+"%%", false); err == nil {
		t.Errorf("255 bytes accepted")
	}
}

// TestTimeFormatAllocs: a compiled pattern formats without allocating.
func TestTimeFormatAllocs(t *testing.T) {
	tm := time.Date(2026, 11, 21, 7, 35, 32, 633e6, time.Local)
	b := make([]byte, 0, 256)
	for _, p := range []string{"", "%Y-%m-%dT%H:%M:%S", "%d/%b/%Y:%H:%M:%S %z", "%c %j %G %Z %e %k %l %C %U %V %W %u %w"} {
		for _, nanos := range []bool{false, true} {
			f := timeFormat(t, p, nanos)
			if n := testing.AllocsPerRun(200, func() { b = f.Append(b[:0], tm) }); n != 0 {
				t.Errorf("%q nanos=%v: %v allocs", p, nanos, n)
			}
		}
	}
}

func BenchmarkTimeFormat(b *testing.B) {
	tm := time.Date(2026, 11, 21, 7, 35, 32, 633e6, time.UTC)
	for _, p := range []string{"", "%d/%b/%Y:%H:%M:%S %z"} {
		f := timeFormat(b, p, false)
		b.Run(strings.ReplaceAll(p, "/", "_"), func(b *testing.B) {
			b.ReportAllocs()
			buf := make([]byte, 0, 64)
			for i := 0; i < b.N; i++ {
				buf = f.Append(buf[:0], tm)
			}
		})
	}
}
