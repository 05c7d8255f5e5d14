package decode

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"time"
)

// Byte-level scanning helpers shared by the framing, traffic and event
// readers. They never allocate and never index out of range.

// atoi reads an optional '-' or '+' and decimal digits. ok is false for an
// empty field, a lone sign, a non-digit or a value over 18 digits.
func atoi(b []byte) (n int, ok bool) {
	v, ok := atoi64(b)
	return int(v), ok
}

func atoi64(b []byte) (n int64, ok bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// timer reads a timer or counter field where -1 means "never reached":
// it returns Unset for -1 and whether a leading '+' (logasap) was written.
func timer(b []byte) (n int, plus, ok bool) {
	if len(b) > 0 && b[0] == '+' {
		plus = true
		b = b[1:]
	}
	n, ok = atoi(b)
	if ok && n < 0 {
		n = Unset
	}
	return n, plus, ok
}

// indexByte is bytes.IndexByte (vectorised: most scans run over the rest of
// the line).
func indexByte(b []byte, c byte) int {
	return bytes.IndexByte(b, c)
}

// cutByte splits b at the first c. found is false when c does not occur,
// in which case before is b.
//
// The tokens it splits are mostly short (a few bytes to a few dozen): it
// tests 8 bytes at a time in a word (SWAR) instead of calling
// bytes.IndexByte, whose setup costs more than such a scan.
func cutByte(b []byte, c byte) (before, after []byte, found bool) {
	i := 0
	if len(b) >= 8 {
		k := uint64(c) * swarOnes
		for ; i+8 <= len(b); i += 8 {
			// The lowest flagged byte is the first one equal to c.
			if m := zeroBytes(binary.LittleEndian.Uint64(b[i:]) ^ k); m != 0 {
				j := i + bits.TrailingZeros64(m)>>3
				return b[:j], b[j+1:], true
			}
		}
	}
	for ; i < len(b); i++ {
		if b[i] == c {
			return b[:i], b[i+1:], true
		}
	}
	return b, nil, false
}

// SWAR: a byte of a word w equal to c is a zero byte of w ^ c*swarOnes,
// and zeroBytes flags the zero bytes of a word (the carry trick of "Bit
// Twiddling Hacks"). Only a byte above a true zero can be flagged falsely,
// so the lowest flag is exact: bits.TrailingZeros64(m)>>3 is its index.
const swarOnes, swarHighs = 0x0101010101010101, 0x8080808080808080

func zeroBytes(x uint64) uint64 { return (x - swarOnes) &^ x & swarHighs }

// field returns the next space-separated token and the rest after one space.
func field(b []byte) (tok, rest []byte) {
	tok, rest, _ = cutByte(b, ' ')
	return tok, rest
}

func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

// index returns the first position of s in b, or -1.
func index(b []byte, s string) int {
	n := len(s)
	if n == 0 {
		return 0
	}
	for i := 0; i+n <= len(b); i++ {
		if b[i] == s[0] && string(b[i:i+n]) == s {
			return i
		}
	}
	return -1
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digits(b []byte, n int) (int, bool) {
	if len(b) < n {
		return 0, false
	}
	v := 0
	for _, c := range b[:n] {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// month reads a month's English abbreviation ("Nov").
func month(b []byte) (time.Month, bool) {
	if len(b) < 3 {
		return 0, false
	}
	var m time.Month
	switch uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) {
	case 'J'<<16 | 'a'<<8 | 'n':
		m = time.January
	case 'F'<<16 | 'e'<<8 | 'b':
		m = time.February
	case 'M'<<16 | 'a'<<8 | 'r':
		m = time.March
	case 'A'<<16 | 'p'<<8 | 'r':
		m = time.April
	case 'M'<<16 | 'a'<<8 | 'y':
		m = time.May
	case 'J'<<16 | 'u'<<8 | 'n':
		m = time.June
	case 'J'<<16 | 'u'<<8 | 'l':
		m = time.July
	case 'A'<<16 | 'u'<<8 | 'g':
		m = time.August
	case 'S'<<16 | 'e'<<8 | 'p':
		m = time.September
	case 'O'<<16 | 'c'<<8 | 't':
		m = time.October
	case 'N'<<16 | 'o'<<8 | 'v':
		m = time.November
	case 'D'<<16 | 'e'<<8 | 'c':
		m = time.December
	default:
		return 0, false
	}
	return m, true
}

// fraction reads up to 9 decimal digits after a '.', as nanoseconds.
func fraction(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	ns := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		ns = ns*10 + int(c-'0')
	}
	for i := len(b); i < 9; i++ {
		ns *= 10
	}
	return ns, true
}

func validClock(day, hh, mm, ss int) bool {
	return day >= 1 && day <= 31 && hh <= 23 && mm <= 59 && ss <= 60
}

// rfc3339 reads "2026-11-21T07:25:01.647839+00:00" (fraction optional, Z or
// ±hh:mm). The result is in UTC so that no zone is allocated.
func rfc3339(b []byte) (time.Time, bool) {
	if len(b) < 20 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(b, 4)
	mon, ok2 := digits(b[5:], 2)
	day, ok3 := digits(b[8:], 2)
	hh, ok4 := digits(b[11:], 2)
	mm, ok5 := digits(b[14:], 2)
	ss, ok6 := digits(b[17:], 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mon < 1 || mon > 12 || !validClock(day, hh, mm, ss) {
		return time.Time{}, false
	}
	rest := b[19:]
	ns := 0
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		for i < len(rest) && isDigit(rest[i]) {
			i++
		}
		var ok bool
		if ns, ok = fraction(rest[1:i]); !ok {
			return time.Time{}, false
		}
		rest = rest[i:]
	}
	offset := 0
	switch {
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:], 2)
		om, ok2 := digits(rest[4:], 2)
		if !ok1 || !ok2 {
			return time.Time{}, false
		}
		offset = (oh*60 + om) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(mon), day, hh, mm, ss, ns, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// unescapeHash decodes HAProxy's log escaping ("#7C" → '|', §8.6) into the
// entry's scratch buffer. Text without '#' is returned as is (no copy).
func (e *Entry) unescapeHash(b []byte) []byte {
	return e.unescape(b, '#', 0)
}

// unescapeAngle decodes chunk_asciiencode's "<22>" form used in check info.
func (e *Entry) unescapeAngle(b []byte) []byte {
	return e.unescape(b, '<', '>')
}

func (e *Entry) unescape(b []byte, open, close byte) []byte {
	if indexByte(b, open) < 0 {
		return b
	}
	start := len(e.scratch)
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == open && i+2 < len(b) && (close == 0 || (i+3 < len(b) && b[i+3] == close)) {
			h, ok1 := hexVal(b[i+1])
			l, ok2 := hexVal(b[i+2])
			if ok1 && ok2 {
				e.scratch = append(e.scratch, h<<4|l)
				i += 2
				if close != 0 {
					i++
				}
				continue
			}
		}
		e.scratch = append(e.scratch, c)
	}
	return e.scratch[start:len(e.scratch):len(e.scratch)]
}
