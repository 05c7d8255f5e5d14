package decode

import "time"

// Dates without a zone ("21/Nov/2026:07:35:32.633", "Nov 21 07:25:01") are
// read with time.Date, which looks the zone up once or twice per call. Lines
// come in order, so an Entry remembers the last hour it computed: the start
// of that hour as a Unix time, and the rest is arithmetic. The shortcut is
// taken only for an hour that no zone transition comes near (hourStart
// checks), where it gives exactly what time.Date gives.

// timeCache is kept by an Entry from line to line (see Entry.reset).
type timeCache struct {
	// HAProxy's bracketed date, keyed by its text up to the hour.
	dateKey  [14]byte // "21/Nov/2026:07"
	dateLoc  *time.Location
	dateUnix int64 // start of that hour
	dateOK   bool

	// RFC3164 header, keyed by "Mmm dd hh" and the year taken from now.
	bsdKey    [9]byte // "Nov 21 07"
	bsdLoc    *time.Location
	bsdUnix   int64 // start of that hour in the year below
	bsdYearLo int64 // now in [bsdYearLo, bsdYearHi) is in that year (in bsdLoc)
	bsdYearHi int64
	bsdOK     bool
}

// hourSpan is the longest offset from the start of an hour that a clock
// reading of that hour can have: 59:60 (a leap second) is 3600 s.
const hourSpan = 3600

// hourStart returns the Unix time that time.Date gives for y-mon-day
// hh:00:00 in loc, and whether time.Date(y, mon, day, hh, mm, ss, ns, loc)
// is exactly that plus mm*60+ss seconds and ns for every mm ≤ 59, ss ≤ 60.
//
// time.Date takes the wall clock as if it were UTC (L), looks up the zone
// period in effect at L, and keeps its offset o if L-o falls in the same
// period (otherwise it looks L-o up). When one period with offset o holds
// both L and L-o for the whole hour, the result is L-o throughout.
func hourStart(y int, mon time.Month, day, hh int, loc *time.Location) (int64, bool) {
	base := time.Date(y, mon, day, hh, 0, 0, 0, loc).Unix()
	l0 := time.Date(y, mon, day, hh, 0, 0, 0, time.UTC).Unix()
	g := time.Unix(l0, 0).In(loc)
	_, off := g.Zone()
	lo, hi := l0, l0-int64(off)
	if hi < lo {
		lo, hi = hi, lo
	}
	hi += hourSpan
	start, end := g.ZoneBounds()
	ok := base == l0-int64(off) &&
		(start.IsZero() || start.Unix() <= lo) &&
		(end.IsZero() || hi < end.Unix())
	return base, ok
}

// haproxyDate reads HAProxy's bracketed date, "21/Nov/2026:07:35:32.633"
// (milliseconds optional), in loc.
func (e *Entry) haproxyDate(b []byte, loc *time.Location) (time.Time, bool) {
	if len(b) < 20 || b[2] != '/' || b[6] != '/' || b[11] != ':' || b[14] != ':' || b[17] != ':' {
		return time.Time{}, false
	}
	mm, ok5 := digits2(b[15], b[16])
	ss, ok6 := digits2(b[18], b[19])
	if !ok5 || !ok6 || mm > 59 || ss > 60 {
		return time.Time{}, false
	}
	ns := 0
	if rest := b[20:]; len(rest) > 0 {
		if rest[0] != '.' {
			return time.Time{}, false
		}
		var ok bool
		if ns, ok = fraction(rest[1:]); !ok {
			return time.Time{}, false
		}
	}
	c := &e.times
	if c.dateOK && c.dateLoc == loc && string(c.dateKey[:]) == string(b[:14]) {
		return time.Unix(c.dateUnix+int64(mm*60+ss), int64(ns)).In(loc), true
	}
	day, ok1 := digits2(b[0], b[1])
	mon, ok2 := month(b[3:])
	year, ok3 := digits(b[7:], 4)
	hh, ok4 := digits2(b[12], b[13])
	if !(ok1 && ok2 && ok3 && ok4) || !validClock(day, hh, mm, ss) {
		return time.Time{}, false
	}
	base, ok := hourStart(year, mon, day, hh, loc)
	c.dateOK = ok
	if !ok {
		return time.Date(year, mon, day, hh, mm, ss, ns, loc), true
	}
	copy(c.dateKey[:], b[:14])
	c.dateLoc, c.dateUnix = loc, base
	return time.Unix(base+int64(mm*60+ss), int64(ns)).In(loc), true
}

// bsdTime returns the time of an RFC3164 header "Mmm dd hh:mm:ss" (b is at
// least 15 bytes, checked by the caller). RFC3164 has no year: it is now's,
// except that a date more than a month ahead is last year's and one more
// than 11 months behind is next year's.
func (e *Entry) bsdTime(b []byte, loc *time.Location, now time.Time) (time.Time, bool) {
	hh, ok2 := digits2(b[7], b[8])
	mm, ok3 := digits2(b[10], b[11])
	ss, ok4 := digits2(b[13], b[14])
	if !ok2 || !ok3 || !ok4 || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, false
	}
	if now.IsZero() {
		now = time.Now()
	}
	nowUnix := now.Unix()
	c := &e.times
	if c.bsdOK && c.bsdLoc == loc && string(c.bsdKey[:]) == string(b[:9]) &&
		nowUnix >= c.bsdYearLo && nowUnix < c.bsdYearHi {
		t := c.bsdUnix + int64(mm*60+ss)
		// Well inside (now - 335 days, now + 31 days]: the year is now's.
		if d := t - nowUnix; d < 30*86400 && d > -30*86400 {
			return time.Unix(t, 0).In(loc), true
		}
	}
	mon, ok := month(b)
	if !ok {
		return time.Time{}, false
	}
	dayb := b[4:6]
	if dayb[0] == ' ' {
		dayb = dayb[1:]
	}
	day, ok1 := atoi(dayb)
	if !ok1 || !validClock(day, hh, mm, ss) {
		return time.Time{}, false
	}
	now = now.In(loc)
	year := now.Year()
	t := time.Date(year, mon, day, hh, mm, ss, 0, loc)
	if t.Sub(now) > 31*24*time.Hour {
		t = t.AddDate(-1, 0, 0)
	} else if now.Sub(t) > 335*24*time.Hour {
		t = t.AddDate(1, 0, 0)
	}
	// Remember this hour of now's year.
	base, ok := hourStart(year, mon, day, hh, loc)
	lo := time.Date(year, 1, 1, 0, 0, 0, 0, loc).Unix()
	hi := time.Date(year+1, 1, 1, 0, 0, 0, 0, loc).Unix()
	c.bsdOK = ok && lo <= nowUnix && nowUnix < hi &&
		time.Unix(lo-1, 0).In(loc).Year() == year-1 && time.Unix(lo, 0).In(loc).Year() == year &&
		time.Unix(hi-1, 0).In(loc).Year() == year && time.Unix(hi, 0).In(loc).Year() == year+1
	if c.bsdOK {
		copy(c.bsdKey[:], b[:9])
		c.bsdLoc, c.bsdUnix, c.bsdYearLo, c.bsdYearHi = loc, base, lo, hi
	}
	return t, true
}

// digits2 reads two decimal digits.
func digits2(a, b byte) (int, bool) {
	a, b = a-'0', b-'0'
	return int(a)*10 + int(b), a <= 9 && b <= 9
}
