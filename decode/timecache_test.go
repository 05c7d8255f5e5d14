package decode

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// refBSDTime is the RFC3164 header date as read before the hour cache.
func refBSDTime(mon time.Month, day, hh, mm, ss int, loc *time.Location, now time.Time) time.Time {
	now = now.In(loc)
	t := time.Date(now.Year(), mon, day, hh, mm, ss, 0, loc)
	if t.Sub(now) > 31*24*time.Hour {
		t = t.AddDate(-1, 0, 0)
	} else if now.Sub(t) > 335*24*time.Hour {
		t = t.AddDate(1, 0, 0)
	}
	return t
}

// TestTimeCacheMatchesTimeDate: dates read through the Entry's hour cache
// are exactly what time.Date gives, through a year of DST transitions
// (including Lord Howe's 30-minute one) and a new year, line after line.
func TestTimeCacheMatchesTimeDate(t *testing.T) {
	zones := []string{"UTC", "Local", "Europe/Paris", "America/New_York", "Australia/Lord_Howe", "America/Sao_Paulo", "Asia/Kolkata"}
	for _, name := range zones {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Logf("%s: %v (skipped)", name, err)
			continue
		}
		d := Decoder{Location: loc}
		var e Entry
		bad := 0
		// Walk wall-clock readings (as fields) from Jan 1st 2026 to Jan 10th 2027.
		for w := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); w.Before(time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)) && bad < 5; w = w.Add(997 * time.Second) {
			y, mon, day := w.Date()
			hh, mm, ss := w.Clock()
			ms := int(w.Unix() % 1000)
			want := time.Date(y, mon, day, hh, mm, ss, ms*1e6, loc)
			line := fmt.Sprintf("127.0.0.1:1 [%02d/%s/%04d:%02d:%02d:%02d.%03d] fe/1: SSL handshake failure",
				day, mon.String()[:3], y, hh, mm, ss, ms)
			d.Decode(&e, []byte(line), time.Time{})
			if !e.RequestDateOK || !reflect.DeepEqual(e.RequestDate, want) {
				t.Errorf("%s: %s: got %v, want %v", name, line, e.RequestDate, want)
				bad++
			}

			// The same reading in an RFC3164 header, received a few seconds
			// later (across the new year too).
			now := want.Add(3 * time.Second)
			line = fmt.Sprintf("<134>%s %2d %02d:%02d:%02d haproxy[1]: Connect to unix:1 (fe/TCP)",
				mon.String()[:3], day, hh, mm, ss)
			d.Decode(&e, []byte(line), now)
			wantH := refBSDTime(mon, day, hh, mm, ss, loc, now)
			if !e.HeaderTimeOK || !reflect.DeepEqual(e.HeaderTime, wantH) {
				t.Errorf("%s: %s (now %v): got %v, want %v", name, line, now, e.HeaderTime, wantH)
				bad++
			}
		}
	}
}

// TestTimeCacheYear: an RFC3164 date is read in the right year whatever the
// previous line left in the cache.
func TestTimeCacheYear(t *testing.T) {
	d := Decoder{Location: time.UTC}
	var e Entry
	cases := []struct {
		line string
		now  time.Time
	}{
		{"<134>Dec 31 23:59:58 haproxy[1]: Connect to unix:1 (fe/TCP)", time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"<134>Dec 31 23:59:59 haproxy[1]: Connect to unix:1 (fe/TCP)", time.Date(2027, 1, 1, 0, 0, 1, 0, time.UTC)},
		{"<134>Dec 31 23:59:59 haproxy[1]: Connect to unix:1 (fe/TCP)", time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"<134>Jan  1 00:00:01 haproxy[1]: Connect to unix:1 (fe/TCP)", time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"<134>Jan  1 00:00:01 haproxy[1]: Connect to unix:1 (fe/TCP)", time.Date(2027, 1, 1, 0, 0, 2, 0, time.UTC)},
		{"<134>Nov 21 07:35:53 haproxy[1]: Connect to unix:1 (fe/TCP)", time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)},
		{"<134>Nov 21 07:35:53 haproxy[1]: Connect to unix:1 (fe/TCP)", time.Date(2027, 11, 21, 12, 0, 0, 0, time.UTC)},
		{"<134>Nov 21 07:35:53 haproxy[1]: Connect to unix:1 (fe/TCP)", time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC)},
		{"<134>Nov 21 07:35:53 haproxy[1]: Connect to unix:1 (fe/TCP)", time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		d.Decode(&e, []byte(c.line), c.now)
		b := []byte(c.line)[5:]
		mon, _ := month(b)
		day, _ := atoi(trimSpaceLeft(b[4:6]))
		hh, _ := digits(b[7:], 2)
		mm, _ := digits(b[10:], 2)
		ss, _ := digits(b[13:], 2)
		want := refBSDTime(mon, day, hh, mm, ss, time.UTC, c.now)
		if !e.HeaderTimeOK || !e.HeaderTime.Equal(want) {
			t.Errorf("%s (now %v): got %v, want %v", c.line, c.now, e.HeaderTime, want)
		}
	}
}

func trimSpaceLeft(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	return b
}

// TestHourStart: the shortcut is taken for ordinary hours and refused next
// to a zone transition.
func TestHourStart(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	cases := []struct {
		mon     time.Month
		day, hh int
		ok      bool
	}{
		{time.November, 21, 7, true},
		{time.March, 29, 1, false},   // the next hour does not exist
		{time.March, 29, 2, false},   // 02:00-03:00 does not exist
		{time.March, 29, 4, true},    // ordinary again
		{time.October, 25, 1, false}, // the zone changes within reach
		{time.October, 25, 2, true},  // happens twice; time.Date reads it as CET throughout
		{time.October, 25, 5, true},
	}
	for _, c := range cases {
		base, ok := hourStart(2026, c.mon, c.day, c.hh, paris)
		if ok != c.ok {
			t.Errorf("%v %d %02d:00: ok %v, want %v", c.mon, c.day, c.hh, ok, c.ok)
		}
		if want := time.Date(2026, c.mon, c.day, c.hh, 0, 0, 0, paris).Unix(); base != want {
			t.Errorf("%v %d %02d:00: base %d, want %d", c.mon, c.day, c.hh, base, want)
		}
	}
}
