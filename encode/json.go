package encode

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"
)

// b2s views b as a string without copying. The string must not outlive b's
// bytes or be kept: the encoder only reads it while appending to the output.
func b2s(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

const hexDigits = "0123456789abcdef"

// appendStringBody appends s escaped for a JSON string, without the quotes.
//
// json-iterator's WriteString copies bytes >= 0x80 through unchecked, so
// invalid UTF-8 in a line would make invalid JSON text (RFC 8259 requires
// UTF-8). This writer does what encoding/json does instead: every byte that
// is not part of a valid UTF-8 sequence becomes U+FFFD, control characters
// become \n, \r, \t or \u00XX, and '"' and '\' are backslash-escaped.
func appendStringBody(b []byte, s string) []byte {
	i := plainPrefix(s)
	if i == len(s) {
		return append(b, s...) // the usual case: nothing to escape
	}
	return appendEscaped(b, s, i)
}

// plainPrefix returns how many bytes s starts with that are copied as they
// are (plain ASCII).
func plainPrefix(s string) int {
	n := len(s)
	p := unsafe.StringData(s)
	i := 0
	if n < 8 {
		// Gather the bytes in one word (repeating some), with plain
		// filler: one test for the whole string.
		var x uint64
		switch {
		case n >= 4:
			x = uint64(load32(p, 0)) | uint64(load32(p, n-4))<<32
		case n > 0:
			x = uint64(s[0]) | uint64(s[n>>1])<<8 | uint64(s[n-1])<<16 | 0x6161616161<<24
		default:
			return 0
		}
		if special8(x) == 0 {
			return n
		}
		for i < n && plainByte[s[i]] {
			i++
		}
		return i
	}
	// The lowest byte flagged by special8 is the first special one (a
	// borrow only runs upward from a flagged byte).
	for ; i+16 <= n; i += 16 {
		if m := special8(load64(p, i)); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		if m := special8(load64(p, i+8)); m != 0 {
			return i + 8 + bits.TrailingZeros64(m)>>3
		}
	}
	if i+8 <= n {
		if m := special8(load64(p, i)); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	if i < n {
		// Fewer than 8 bytes left: test the last 8 (overlapping).
		if m := special8(load64(p, n-8)); m != 0 {
			return n - 8 + bits.TrailingZeros64(m)>>3
		}
	}
	return n
}

// load32 reads the 4 bytes at p[i:] (the caller checks they are in bounds).
func load32(p *byte, i int) uint32 {
	return binary.LittleEndian.Uint32(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(p), i)), 4))
}

// load64 reads the 8 bytes at p[i:] (the caller checks they are in bounds).
func load64(p *byte, i int) uint64 {
	return binary.LittleEndian.Uint64(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(p), i)), 8))
}

// plainByte tells the bytes that are copied as they are (plain ASCII).
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// appendEscaped appends s escaped; s[:i] is known to be plain.
func appendEscaped(b []byte, s string, i int) []byte {
	start := 0
	for i < len(s) {
		// Skip 8 plain ASCII bytes at a time (most of a log line), then
		// to the first byte that is not plain.
		for i+8 <= len(s) {
			m := special8(binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8)))
			if m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf && plain[c] {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		i++
		start = i
	}
	return append(b, s[start:]...)
}

// plain tells the ASCII bytes that are copied as they are.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// special8 has the high bit of each byte of x set when it is not plain
// ASCII, and possibly of the bytes above it (SWAR: b - k borrows exactly
// when b < k, so that for a byte under 0x80 the high bit of b - 0x20 is set
// when b < 0x20 and that of (b ^ c) - 1 when b == c; a byte with the high
// bit set is flagged by x itself, and a borrow only propagates from a byte
// that is flagged). It is 0 only when all 8 bytes are plain.
func special8(x uint64) uint64 {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	return (x | (x - 0x20*ones) | ((x ^ '"'*ones) - ones) | ((x ^ '\\'*ones) - ones)) & highs
}

// AppendString appends s as a quoted JSON string, escaped as the encoder
// escapes every string: invalid UTF-8 becomes U+FFFD, control characters,
// '"' and '\' are escaped. The plugin writes record fields and bulk action
// lines with it, so there is one escaper in the project.
func AppendString(dst, s []byte) []byte { return appendString(dst, b2s(s)) }

// appendString appends s as a quoted JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendStringBody(b, s)
	return append(b, '"')
}

// digits2 holds "00" to "99".
const digits2 = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// appendInt appends v in decimal, like strconv.AppendInt, with a short path
// for the small non-negative numbers most fields hold.
func appendInt(b []byte, v int64) []byte {
	switch {
	case uint64(v) < 10:
		return append(b, byte('0'+v))
	case uint64(v) < 100:
		return append(b, digits2[2*v], digits2[2*v+1])
	case uint64(v) < 10000:
		hi, lo := v/100, v%100
		if hi < 10 {
			return append(b, byte('0'+hi), digits2[2*lo], digits2[2*lo+1])
		}
		return append(b, digits2[2*hi], digits2[2*hi+1], digits2[2*lo], digits2[2*lo+1])
	}
	return strconv.AppendInt(b, v, 10)
}

// appendTimeFast writes t in UTC as LayoutMillis (or LayoutNanos) without
// going through time.Format's layout interpreter. ok is false for a year
// outside 0-9999, which the caller formats with the time package.
func appendTimeFast(b []byte, t time.Time, nanos bool) (_ []byte, ok bool) {
	const (
		secsPerDay = 86400
		minUnix    = -62167219200 // 0000-01-01T00:00:00Z
		maxUnix    = 253402300800 // 10000-01-01T00:00:00Z
	)
	u := t.Unix()
	if u < minUnix || u >= maxUnix {
		return b, false
	}
	// Days since 0000-03-01, where civil's years start (so that the leap
	// day is the last of its year): 0000 is a leap year, its 1 March is
	// day 60 of the year.
	days := (u-minUnix)/secsPerDay - 60
	sod := int((u - minUnix) % secsPerDay)
	year, month, day := civilCached(days)
	if year < 0 {
		return b, false // January or February of year 0: left to the time package
	}
	ns := t.Nanosecond()
	hh, mm, ss := sod/3600, sod/60%60, sod%60
	y1, y2 := year/100, year%100
	b = append(b,
		digits2[2*y1], digits2[2*y1+1], digits2[2*y2], digits2[2*y2+1], '-',
		digits2[2*month], digits2[2*month+1], '-',
		digits2[2*day], digits2[2*day+1], 'T',
		digits2[2*hh], digits2[2*hh+1], ':',
		digits2[2*mm], digits2[2*mm+1], ':',
		digits2[2*ss], digits2[2*ss+1], '.')
	if nanos {
		// 9 digits: 1 + 4 pairs.
		n := ns
		var d [9]byte
		for i := 8; i >= 1; i -= 2 {
			p := n % 100
			n /= 100
			d[i-1], d[i] = digits2[2*p], digits2[2*p+1]
		}
		d[0] = byte('0' + n)
		b = append(b, d[:]...)
	} else {
		ms := ns / 1e6
		b = append(b, byte('0'+ms/100), digits2[2*(ms%100)], digits2[2*(ms%100)+1])
	}
	return append(b, 'Z'), true
}

// lastCivil caches the last date civil computed (most records of a chunk
// fall on the same day), packed as (days+1)<<23 | year<<9 | month<<5 | day;
// 0 is empty. Encoders share it: a word read or written atomically.
var lastCivil atomic.Uint64

// civilCached is civil through lastCivil.
func civilCached(days int64) (year, month, day int) {
	if days < 0 || days >= 1<<22 {
		return civil(days)
	}
	if c := lastCivil.Load(); c>>23 == uint64(days+1) {
		return int(c >> 9 & (1<<14 - 1)), int(c >> 5 & 15), int(c & 31)
	}
	year, month, day = civil(days)
	if year >= 0 && year < 1<<14 {
		lastCivil.Store(uint64(days+1)<<23 | uint64(year)<<9 | uint64(month)<<5 | uint64(day))
	}
	return year, month, day
}

// civil converts days since 0000-03-01 (>= 0) to a date (Howard Hinnant's
// civil_from_days).
func civil(days int64) (year, month, day int) {
	if days < 0 {
		return -1, 0, 0
	}
	era := days / 146097
	doe := days - era*146097                               // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // [0, 11], March = 0
	day = int(doy - (153*mp+2)/5 + 1)                      // [1, 31]
	month = int(mp + 3)
	if month > 12 {
		month -= 12
	}
	year = int(yoe + era*400)
	if month <= 2 {
		year++
	}
	return year, month, day
}

func needsEscape(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// Static strings: the explanations decode hands out (diagnosis summaries)
// are constants or strings built once at init, long, and written on many
// lines. Their quoted, escaped form is cached here, in a direct-mapped table
// keyed by the string's data pointer. A slot is filled once (compare-and-swap
// from nil) and never replaced, so the cache holds at most staticSlots
// strings and allocates at most that many times. The entry keeps a copy of
// the string, and a hit is confirmed by comparing the bytes with it: a
// string whose memory is reused or rewritten (not a static one after all) is
// never misread, only escaped as usual.
const (
	staticBits   = 10
	staticSlots  = 1 << staticBits
	staticMinLen = 32 // shorter strings are escaped directly
)

type staticEntry struct {
	s string // a copy of the string
	q []byte // s quoted and escaped
}

var staticCache [staticSlots]atomic.Pointer[staticEntry]

// appendStatic appends s quoted and escaped, as appendString does.
func appendStatic(b []byte, s string) []byte {
	if len(s) < staticMinLen {
		return appendString(b, s)
	}
	p := uint64(uintptr(unsafe.Pointer(unsafe.StringData(s))))
	slot := &staticCache[(p*0x9E3779B97F4A7C15)>>(64-staticBits)]
	if e := slot.Load(); e != nil {
		if e.s == s {
			return append(b, e.q...)
		}
		return appendString(b, s)
	}
	e := &staticEntry{s: strings.Clone(s), q: appendString(nil, s)}
	slot.CompareAndSwap(nil, e)
	return append(b, e.q...)
}
