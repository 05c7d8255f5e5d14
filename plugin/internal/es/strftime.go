package es

import (
	"fmt"
	"strings"
	"time"
)

// dateFormat is a strftime pattern compiled once (at init) into segments
// that append to a byte slice without allocating.
//
// Supported directives: %Y %y %m %d %e %H %M %S %j %b %B %a %A %F %G %V %u
// %s and %%. Month and day names are written in lower case because
// Elasticsearch index names must be lower case.
type dateFormat struct {
	segs []dateSeg
	// secondly is true when the output changes within a day (%H %M %S %s):
	// callers cache formatted names per second instead of per day.
	secondly bool
}

type dateSeg struct {
	verb byte   // 0 for a literal
	lit  string // literal text
}

const dateVerbs = "%Y %y %m %d %e %H %M %S %j %b %B %a %A %F %G %V %u %s %%"

func compileDateFormat(f string) (dateFormat, error) {
	var df dateFormat
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			df.segs = append(df.segs, dateSeg{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			lit.WriteByte(c)
			continue
		}
		if i+1 >= len(f) {
			return df, fmt.Errorf("ends with a lone %%")
		}
		i++
		v := f[i]
		switch v {
		case '%':
			lit.WriteByte('%')
		case 'Y', 'y', 'm', 'd', 'e', 'j', 'b', 'B', 'a', 'A', 'F', 'G', 'V', 'u':
			flush()
			df.segs = append(df.segs, dateSeg{verb: v})
		case 'H', 'M', 'S', 's':
			flush()
			df.segs = append(df.segs, dateSeg{verb: v})
			df.secondly = true
		default:
			return df, fmt.Errorf("has the unsupported directive %%%c", v)
		}
	}
	flush()
	return df, nil
}

var (
	monthNames = [...]string{"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"}
	dayNames = [...]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
)

func appendPad(dst []byte, v, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	neg := v < 0
	if neg {
		v = -v
	}
	for v > 0 || i == len(tmp) {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	for len(tmp)-i < width {
		i--
		tmp[i] = '0'
	}
	if neg {
		dst = append(dst, '-')
	}
	return append(dst, tmp[i:]...)
}

// appendFormat appends t (already in the wanted location) formatted by df.
func (df *dateFormat) appendFormat(dst []byte, t time.Time) []byte {
	for _, s := range df.segs {
		switch s.verb {
		case 0:
			dst = append(dst, s.lit...)
		case 'Y':
			dst = appendPad(dst, t.Year(), 4)
		case 'y':
			dst = appendPad(dst, t.Year()%100, 2)
		case 'm':
			dst = appendPad(dst, int(t.Month()), 2)
		case 'd':
			dst = appendPad(dst, t.Day(), 2)
		case 'e':
			if t.Day() < 10 {
				dst = append(dst, ' ')
			}
			dst = appendPad(dst, t.Day(), 1)
		case 'H':
			dst = appendPad(dst, t.Hour(), 2)
		case 'M':
			dst = appendPad(dst, t.Minute(), 2)
		case 'S':
			dst = appendPad(dst, t.Second(), 2)
		case 'j':
			dst = appendPad(dst, t.YearDay(), 3)
		case 'b':
			dst = append(dst, monthNames[t.Month()-1][:3]...)
		case 'B':
			dst = append(dst, monthNames[t.Month()-1]...)
		case 'a':
			dst = append(dst, dayNames[t.Weekday()][:3]...)
		case 'A':
			dst = append(dst, dayNames[t.Weekday()]...)
		case 'F':
			dst = appendPad(dst, t.Year(), 4)
			dst = append(dst, '-')
			dst = appendPad(dst, int(t.Month()), 2)
			dst = append(dst, '-')
			dst = appendPad(dst, t.Day(), 2)
		case 'G':
			y, _ := t.ISOWeek()
			dst = appendPad(dst, y, 4)
		case 'V':
			_, w := t.ISOWeek()
			dst = appendPad(dst, w, 2)
		case 'u':
			wd := int(t.Weekday())
			if wd == 0 {
				wd = 7
			}
			dst = appendPad(dst, wd, 1)
		case 's':
			dst = appendPad(dst, int(t.Unix()), 1)
		}
	}
	return dst
}
