package encode

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lestrrat-go/strftime"
)

// TimeFormat is how the timestamp (Options.TimeKey) is written: Fluent Bit's
// Time_Key_Format and Time_Key_Nanos, compiled once. The zero value writes
// RFC 3339 in UTC with milliseconds ("2026-11-21T07:35:32.633Z").
//
// With a pattern, the text is what Fluent Bit's es output writes
// (plugins/out_es/es.c, elasticsearch_format):
//
//	gmtime_r(&tms.tm.tv_sec, &tm);
//	s = strftime(time_formatted, sizeof(time_formatted) - 1,
//	             ctx->time_key_format, &tm);
//	if (ctx->time_key_nanos) {
//	    len = snprintf(time_formatted + s, sizeof(time_formatted) - 1 - s,
//	                   ".%09" PRIu64 "Z", (uint64_t) tms.tm.tv_nsec);
//	} else {
//	    len = snprintf(time_formatted + s, sizeof(time_formatted) - 1 - s,
//	                   ".%03" PRIu64 "Z",
//	                   (uint64_t) tms.tm.tv_nsec / 1000000);
//	}
//
// that is the pattern applied to the time in UTC, then always '.', the
// milliseconds (truncated, 3 digits) or the nanoseconds (9 digits), and 'Z',
// whatever the pattern holds (a pattern ending in %z gives "...+0000.633Z").
// Fluent Bit's default pattern, "%Y-%m-%dT%H:%M:%S", thus gives the zero
// value's text, and is written by the same fast path.
//
// The pattern is compiled with github.com/lestrrat-go/strftime, with these
// changes so that the text is glibc's in the C locale (Fluent Bit's strftime):
// %Z is "GMT" (gmtime_r's zone name); %v (a BSD extension glibc does not
// have) and the '#' flag (glibc swaps the case of names, lestrrat-go removes
// padding) are refused; every conversion is kept apart from the text around
// it (lestrrat-go joins adjacent conversions and text into one Go layout, so
// "%buary" gave "November" and "P%Z" gave "AMST"); %j and %G are written
// without allocating.
type TimeFormat struct {
	pattern string             // as given; "" for the default
	s       *strftime.Strftime // nil: RFC 3339 (appendTimeFast)
	nanos   bool
}

// fluentBitDefault is Fluent Bit's Time_Key_Format default
// (FLB_ES_DEFAULT_TIME_KEYF in plugins/out_es/es.h).
const fluentBitDefault = "%Y-%m-%dT%H:%M:%S"

// maxTimeText is the longest text Fluent Bit writes whole: time_formatted is
// 256 bytes, strftime gets 255 (text and NUL) and snprintf the rest of 255.
// Past it, Fluent Bit writes a truncated or empty date.
const maxTimeText = 254

// NewTimeFormat compiles a Time_Key_Format pattern (strftime; "" for the
// default) and Time_Key_Nanos. A pattern without a '%' directive is refused
// (it is likely a Go layout), as is an unknown directive.
func NewTimeFormat(pattern string, nanos bool) (TimeFormat, error) {
	f := TimeFormat{pattern: pattern, nanos: nanos}
	if pattern == "" || pattern == fluentBitDefault {
		return f, nil
	}
	if !strings.Contains(pattern, "%") {
		return TimeFormat{}, fmt.Errorf("time format %q has no %% directive: use strftime (such as %s), not a Go layout", pattern, fluentBitDefault)
	}
	s, err := Strftime(pattern)
	if err != nil {
		return TimeFormat{}, fmt.Errorf("time format %q: %w", pattern, err)
	}
	f.s = s
	// The longest names: a Wednesday of September.
	probe := time.Date(2026, 9, 30, 12, 0, 0, 0, time.UTC)
	if n := len(f.Append(nil, probe)) - 2; n > maxTimeText {
		return TimeFormat{}, fmt.Errorf("time format %q gives %d bytes: Fluent Bit writes at most %d", pattern, n, maxTimeText)
	}
	return f, nil
}

// Strftime compiles a strftime pattern so that it formats as glibc's
// strftime does in the C locale (see TimeFormat for what differs from
// lestrrat-go/strftime's defaults). Time_Key_Format and the Elasticsearch
// Logstash_DateFormat both use it.
func Strftime(pattern string) (*strftime.Strftime, error) {
	for i := 0; i+1 < len(pattern); i++ {
		if pattern[i] == '%' {
			if pattern[i+1] == '#' {
				return nil, errors.New("the '#' flag is not supported")
			}
			i++ // skip the conversion (or the second '%' of "%%")
		}
	}
	specs, err := glibcSpecs()
	if err != nil {
		return nil, err
	}
	return strftime.New(pattern, strftime.WithSpecificationSet(specs))
}

// Pattern is the pattern as given ("" for the default).
func (f TimeFormat) Pattern() string { return f.pattern }

// Nanos reports whether nanoseconds are written instead of milliseconds.
func (f TimeFormat) Nanos() bool { return f.nanos }

// Append appends t, in UTC, as a quoted JSON string.
func (f TimeFormat) Append(b []byte, t time.Time) []byte {
	b = append(b, '"')
	if f.s == nil {
		if b2, ok := appendTimeFast(b, t, f.nanos); ok {
			return append(b2, '"')
		}
		layout := LayoutMillis
		if f.nanos {
			layout = LayoutNanos
		}
		return append(t.UTC().AppendFormat(b, layout), '"')
	}
	start := len(b)
	t = t.UTC()
	b = f.s.FormatBuffer(b, t)
	ns := t.Nanosecond()
	b = append(b, '.')
	if f.nanos {
		b = appendPadded(b, ns, 9)
	} else {
		b = appendPadded(b, ns/1e6, 3)
	}
	b = append(b, 'Z')
	if needsEscape(b[start:]) {
		// Rare (a pattern with quotes, control or non-ASCII bytes).
		text := string(b[start:])
		b = appendStringBody(b[:start], text)
	}
	return append(b, '"')
}

// appendPadded appends v >= 0 in decimal, zero-padded to width digits.
func appendPadded(b []byte, v, width int) []byte {
	var d [20]byte
	i := len(d)
	for v >= 10 || width > 1 {
		i--
		d[i] = byte('0' + v%10)
		v /= 10
		width--
	}
	i--
	d[i] = byte('0' + v)
	return append(b, d[i:]...)
}

// glibcSpecs is the specification set of TimeFormat, built once.
var glibcSpecs = sync.OnceValues(func() (strftime.SpecificationSet, error) {
	ds := strftime.NewSpecificationSet()
	var errs []error
	for c := byte(' '); c < 0x7f; c++ {
		a, err := ds.Lookup(c)
		if err != nil {
			continue
		}
		switch c {
		case 'Z':
			a = strftime.Verbatim("GMT")
		case 'j':
			a = dayOfYear{}
		case 'G':
			a = isoYear{}
		case 'v':
			errs = append(errs, ds.Delete(c))
			continue
		}
		errs = append(errs, ds.Set(c, apart{a}))
	}
	// %s (seconds since the epoch) is a GNU extension lestrrat-go lacks.
	errs = append(errs, ds.Set('s', unixSeconds{}))
	return ds, errors.Join(errs...)
})

// unixSeconds is %s.
type unixSeconds struct{}

func (unixSeconds) Append(b []byte, t time.Time) []byte { return strconv.AppendInt(b, t.Unix(), 10) }

// apart wraps a conversion so that lestrrat-go/strftime does not join it
// with its neighbours into one Go layout (it only joins its own types).
type apart struct{ a strftime.Appender }

func (s apart) Append(b []byte, t time.Time) []byte { return s.a.Append(b, t) }

// dayOfYear is %j (001-366).
type dayOfYear struct{}

func (dayOfYear) Append(b []byte, t time.Time) []byte { return appendPadded(b, t.YearDay(), 3) }

// isoYear is %G, the ISO 8601 week-based year (4 digits at least).
type isoYear struct{}

func (isoYear) Append(b []byte, t time.Time) []byte {
	y, _ := t.ISOWeek()
	if y < 0 {
		return strconv.AppendInt(b, int64(y), 10)
	}
	return appendPadded(b, y, 4)
}
