package decode

import "time"

// Decoder holds what a line does not say itself. The zero value is ready to
// use: dates without a zone are read in the machine's local zone.
type Decoder struct {
	// Location is the zone of HAProxy's local timestamps (request dates,
	// RFC3164 headers). nil means time.Local.
	Location *time.Location

	// formats are the log-formats given by AddLogFormat (nil: none).
	formats *formatSet
}

// MaxLine is the longest line decoded; the rest of a longer line is kept in
// Message but not read (HAProxy itself cuts syslog lines at 1024 bytes by
// default, and at most at 64 KiB).
const MaxLine = 64 << 10

// Decode reads one line into e. now is the time the line was received (the
// Fluent Bit record time); it only fills in the year that RFC3164 and the
// old stderr prefix leave out. A zero now means time.Now().
func (d *Decoder) Decode(e *Entry, line []byte, now time.Time) {
	e.reset()
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	e.Message = line
	if len(line) > MaxLine {
		line = line[:MaxLine]
	}
	if cap(e.scratch) < len(line) {
		e.scratch = make([]byte, 0, len(line)+len(line)/4)
	}
	loc := d.Location
	if loc == nil {
		loc = time.Local
	}
	body := d.framing(e, line, loc, now)
	// A journald or syslog export of stderr keeps the stderr label inside.
	if e.Framing != FramingStderr && len(body) > 0 && body[0] == '[' {
		if rest, ok := stderrPrefix(e, body, loc, now, false); ok {
			body = rest
		}
	}
	e.Body = body
	if len(body) == 0 {
		e.Type = LogUnknown
		e.ParseError = *errEmpty
		return
	}
	var custom failure
	if d.formats != nil {
		var ok bool
		if ok, custom = d.decodeCustom(e, body, loc); ok {
			return
		}
	}
	err := parseTraffic(e, body, loc)
	trafficErr := err
	if err == errNotTraffic {
		err = parseEvent(e, body)
	}
	if err != nil {
		if d.formats != nil && (trafficErr == errNotTraffic || custom.pos > 0) {
			// The operator's formats say more than the built-ins.
			custom.record(&e.ParseError, body)
		} else {
			e.ParseError = *err // a no-op when the reader filled it
		}
		e.Type = LogUnknown
		e.Event = EventNone
		return
	}
}

// framing strips the transport header, filling the framing fields, and
// returns the HAProxy message.
func (d *Decoder) framing(e *Entry, b []byte, loc *time.Location, now time.Time) []byte {
	e.Framing = FramingRaw
	if len(b) == 0 {
		return b
	}
	switch {
	case b[0] == '<':
		pri, rest, ok := priority(b)
		if !ok {
			return b
		}
		e.Priority = pri
		e.Framing = FramingRFC3164
		if len(rest) >= 2 && rest[0] == '1' && rest[1] == ' ' {
			if body, ok := rfc5424(e, rest[2:]); ok {
				e.Framing = FramingRFC5424
				return body
			}
		}
		if body, ok := bsdHeader(e, rest, loc, now); ok {
			return body
		}
		// "timed" format: <PRI> + ISO date.
		if body, ok := isoHeader(e, rest); ok {
			e.Framing = FramingTimed
			return body
		}
		// "priority"/"short" formats: <PRI> then the text.
		e.Framing = FramingPriority
		return rest
	case b[0] == '[':
		if body, ok := stderrPrefix(e, b, loc, now, true); ok {
			return body
		}
	case isDigit(b[0]):
		if body, ok := isoHeader(e, b); ok {
			return body
		}
	case b[0] >= 'A' && b[0] <= 'S':
		if body, ok := bsdHeader(e, b, loc, now); ok {
			e.Framing = FramingRFC3164
			return body
		}
	}
	// "haproxy[674]: ..." as the manual prints lines: a bare syslog tag.
	if isAlpha(b[0]) {
		if body, ok := bareTag(e, b); ok {
			e.Framing = FramingTag
			return body
		}
	}
	return b
}

// bareTag reads "name[pid]: " at the start of a line. The pid is required:
// a custom format may well start with "word: ".
func bareTag(e *Entry, b []byte) ([]byte, bool) {
	first, rest := field(b)
	if len(first) < 5 || first[len(first)-2] != ']' {
		return nil, false
	}
	name, pid, ok := tag(first)
	if !ok || pid == Unset {
		return nil, false
	}
	e.ProcessName, e.PID = name, pid
	return rest, true
}

// priority reads "<134>".
func priority(b []byte) (int, []byte, bool) {
	end := indexByte(b[:min(len(b), 5)], '>')
	if end < 2 {
		return 0, b, false
	}
	pri, ok := atoi(b[1:end])
	if !ok || pri < 0 || pri > 191 || b[1] == '-' || b[1] == '+' {
		return 0, b, false
	}
	return pri, b[end+1:], true
}

// bsdHeader reads "Nov 21 07:25:01 [host ]tag[pid]: " (day space-padded).
func bsdHeader(e *Entry, b []byte, loc *time.Location, now time.Time) ([]byte, bool) {
	if len(b) < 16 || b[3] != ' ' || b[6] != ' ' || b[9] != ':' || b[12] != ':' || b[15] != ' ' {
		return nil, false
	}
	t, ok := e.bsdTime(b, loc, now)
	if !ok {
		return nil, false
	}
	e.HeaderTime, e.HeaderTimeOK = t, true
	return hostAndTag(e, b[16:]), true
}

// isoHeader reads "2015-08-26T02:09:48+02:00 host haproxy[14389]: ".
func isoHeader(e *Entry, b []byte) ([]byte, bool) {
	tok, rest := field(b)
	t, ok := rfc3339(tok)
	if !ok {
		return nil, false
	}
	e.HeaderTime, e.HeaderTimeOK = t, true
	if e.Framing == FramingRaw {
		e.Framing = FramingISO
	}
	return hostAndTag(e, rest), true
}

// hostAndTag reads "[hostname ]tag[pid]: " and returns the message after it.
// When the tag cannot be found the text is returned unchanged.
func hostAndTag(e *Entry, b []byte) []byte {
	c := &e.tags
	if n := int(c.n); n > 0 && len(b) >= n && string(b[:n]) == string(c.text[:n]) {
		if c.host > 0 {
			e.Hostname = b[:c.host]
		}
		e.ProcessName, e.PID = b[c.name:c.nameEnd], c.pid
		return b[n:]
	}
	first, rest := field(b)
	if name, pid, ok := tag(first); ok {
		e.ProcessName, e.PID = name, pid
		c.remember(b, rest, 0, 0, name, pid)
		return rest
	}
	second, rest2 := field(rest)
	if name, pid, ok := tag(second); ok && len(first) > 0 {
		e.Hostname = first
		e.ProcessName, e.PID = name, pid
		c.remember(b, rest2, len(first), len(first)+1, name, pid)
		return rest2
	}
	return b
}

// tagCache is the last "[hostname ]tag[pid]: " that hostAndTag read. Most
// lines of a log repeat the one before theirs: comparing the bytes is
// cheaper than splitting and checking them again (hostAndTag was 5 % of
// the report's CPU). The text ends with the space after the tag, so
// that a line starting with it splits there too.
type tagCache struct {
	text          [40]byte
	n             uint8 // len of text; 0: nothing remembered
	host          uint8 // the host name is text[:host] (0: none)
	name, nameEnd uint8 // the tag's name is text[name:nameEnd]
	pid           int
}

// remember keeps the prefix of b before rest when it ends with a space
// and fits.
func (c *tagCache) remember(b, rest []byte, host, name int, tagName []byte, pid int) {
	n := len(b) - len(rest)
	c.n = 0
	if n > len(c.text) || n == 0 || b[n-1] != ' ' {
		return
	}
	copy(c.text[:], b[:n])
	c.n, c.host, c.name, c.nameEnd, c.pid = uint8(n), uint8(host), uint8(name), uint8(name+len(tagName)), pid
}

// tag reads "haproxy[123]:" or "haproxy:".
func tag(b []byte) (name []byte, pid int, ok bool) {
	if len(b) < 2 || b[len(b)-1] != ':' {
		return nil, Unset, false
	}
	b = b[:len(b)-1]
	pid = Unset
	if b[len(b)-1] == ']' {
		open := indexByte(b, '[')
		if open <= 0 {
			return nil, Unset, false
		}
		p, ok := atoi(b[open+1 : len(b)-1])
		if !ok || p < 0 {
			return nil, Unset, false
		}
		name, pid = b[:open], p
	} else {
		name = b
	}
	for _, c := range name {
		if c <= ' ' || c == '[' || c == ']' {
			return nil, Unset, false
		}
	}
	return name, pid, len(name) > 0
}

// rfc5424 reads "TIMESTAMP HOST APP PROCID MSGID SD MSG" (after "<PRI>1 ").
func rfc5424(e *Entry, b []byte) ([]byte, bool) {
	ts, rest := field(b)
	host, rest := field(rest)
	app, rest := field(rest)
	procid, rest := field(rest)
	msgid, rest := field(rest)
	if len(msgid) == 0 || len(procid) == 0 || len(app) == 0 || len(host) == 0 {
		return nil, false
	}
	if string(ts) != "-" {
		t, ok := rfc3339(ts)
		if !ok {
			return nil, false
		}
		e.HeaderTime, e.HeaderTimeOK = t, true
	}
	if string(host) != "-" {
		e.Hostname = host
	}
	if string(app) != "-" {
		e.ProcessName = app
	}
	if p, ok := atoi(procid); ok && p >= 0 {
		e.PID = p
	}
	// Structured data: "-" or one or more [id k="v" ...] (values may hold
	// escaped ']' and spaces).
	if len(rest) > 0 && rest[0] == '-' {
		rest = rest[1:]
	} else {
		for len(rest) > 0 && rest[0] == '[' {
			i, inQuote := 1, false
			for ; i < len(rest); i++ {
				c := rest[i]
				if c == '\\' {
					i++
					continue
				}
				if c == '"' {
					inQuote = !inQuote
				} else if c == ']' && !inQuote {
					break
				}
			}
			if i >= len(rest) {
				return nil, false
			}
			rest = rest[i+1:]
		}
	}
	if len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	rest = trimBOM(rest)
	return rest, true
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

// stderrPrefix reads HAProxy's stderr label: "[WARNING] 126/080119 (3115) : "
// (≤2.3: day of year and time, no year) or "[WARNING]  (4563) : " (2.4+).
func stderrPrefix(e *Entry, b []byte, loc *time.Location, now time.Time, setFraming bool) ([]byte, bool) {
	end := indexByte(b[:min(len(b), 12)], ']')
	if end < 2 {
		return nil, false
	}
	label := b[1:end]
	for _, c := range label {
		if c < 'A' || c > 'Z' {
			return nil, false
		}
	}
	rest := skipSpace(b[end+1:])
	var when time.Time
	var whenOK bool
	// ≤2.3: "DDD/HHMMSS "
	if len(rest) >= 11 && rest[3] == '/' && rest[10] == ' ' {
		yday, ok1 := digits(rest, 3)
		hms, ok2 := digits(rest[4:], 6)
		if ok1 && ok2 {
			if now.IsZero() {
				now = time.Now()
			}
			now = now.In(loc)
			hh, mm, ss := hms/10000, hms/100%100, hms%100
			if validClock(1, hh, mm, ss) && yday < 366 {
				when = time.Date(now.Year(), 1, 1+yday, hh, mm, ss, 0, loc)
				if when.Sub(now) > 31*24*time.Hour {
					when = time.Date(now.Year()-1, 1, 1+yday, hh, mm, ss, 0, loc)
				}
				whenOK = true
			}
			rest = rest[11:]
		}
	}
	if len(rest) < 2 || rest[0] != '(' {
		return nil, false
	}
	close := indexByte(rest, ')')
	if close < 2 {
		return nil, false
	}
	pid, ok := atoi(rest[1:close])
	if !ok || pid < 0 {
		return nil, false
	}
	rest = rest[close+1:]
	if !hasPrefix(rest, " : ") {
		return nil, false
	}
	e.StderrLevel = label
	if e.PID == Unset {
		e.PID = pid
	}
	if whenOK && !e.HeaderTimeOK {
		e.HeaderTime, e.HeaderTimeOK = when, true
	}
	if setFraming {
		e.Framing = FramingStderr
	}
	return rest[3:], true
}
