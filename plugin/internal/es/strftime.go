package es

import (
	"time"

	"github.com/lestrrat-go/strftime"
)

// dateFormat is Logstash_DateFormat, compiled once at init. Formatting
// appends to a byte slice without allocating. Month and day names come out
// in lower case because an index name must be lower case.
type dateFormat struct {
	f *strftime.Strftime
}

func compileDateFormat(f string) (dateFormat, error) {
	sf, err := strftime.New(f, strftime.WithUnixSeconds('s'), strftime.WithMilliseconds('L'))
	if err != nil {
		return dateFormat{}, err
	}
	return dateFormat{sf}, nil
}

func (df *dateFormat) appendFormat(dst []byte, t time.Time) []byte {
	start := len(dst)
	dst = df.f.FormatBuffer(dst, t)
	for i := start; i < len(dst); i++ {
		if c := dst[i]; c >= 'A' && c <= 'Z' {
			dst[i] = c + 'a' - 'A'
		}
	}
	return dst
}
