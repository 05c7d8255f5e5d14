package es

import (
	"time"

	"github.com/lestrrat-go/strftime"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
)

// dateFormat is Logstash_DateFormat, compiled once at init as glibc's
// strftime would format it (encode.Strftime, shared with Time_Key_Format). Formatting
// appends to a byte slice without allocating. Month and day names come out
// in lower case because an index name must be lower case.
type dateFormat struct {
	f *strftime.Strftime
}

func compileDateFormat(f string) (dateFormat, error) {
	sf, err := encode.Strftime(f)
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
