package es

import (
	"fmt"
	"strings"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
)

// timeMapping is the mapping of the time field (Time_Key) for the text the
// encoder writes with tf: the pattern in UTC, then '.', the milliseconds
// (or nanoseconds) and 'Z' (see encode.TimeFormat). Fluent Bit's default
// pattern is RFC 3339, which the date types read by default; another
// pattern gets a Java date format (what Elasticsearch and OpenSearch parse
// with) written from it. Time_Key_Nanos maps date_nanos, which keeps the
// nanoseconds (date keeps milliseconds).
func timeMapping(tf encode.TimeFormat) (map[string]any, error) {
	typ := "date"
	fraction := "SSS"
	if tf.Nanos() {
		typ, fraction = "date_nanos", "SSSSSSSSS"
	}
	m := map[string]any{"type": typ}
	p := tf.Pattern()
	if p == "" || p == "%Y-%m-%dT%H:%M:%S" {
		return m, nil
	}
	java, err := javaDateFormat(p)
	if err != nil {
		return nil, err
	}
	m["format"] = java + "." + fraction + "'Z'"
	return m, nil
}

// javaDirectives are the strftime conversions with a Java DateTimeFormatter
// equivalent that reads glibc's C-locale text back (month and day names in
// English, as Elasticsearch's ROOT locale writes them).
var javaDirectives = map[byte]string{
	'Y': "yyyy", 'y': "yy", 'm': "MM", 'd': "dd", 'H': "HH", 'M': "mm", 'S': "ss",
	'j': "DDD", 'b': "MMM", 'h': "MMM", 'B': "MMMM", 'a': "EEE", 'A': "EEEE",
	'I': "hh", 'p': "a", 'F': "yyyy-MM-dd", 'T': "HH:mm:ss", 'R': "HH:mm",
	'D': "MM/dd/yy", 'z': "Z", 'Z': "'GMT'",
}

// javaDateFormat translates a strftime pattern into a Java date format, or
// says which conversion has none.
func javaDateFormat(p string) (string, error) {
	var b strings.Builder
	var lit strings.Builder // literal text waiting to be quoted
	flush := func() {
		if lit.Len() > 0 {
			b.WriteString("'" + strings.ReplaceAll(lit.String(), "'", "''") + "'")
			lit.Reset()
		}
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c != '%' {
			if c == '\'' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '[' || c == ']' || c == '#' || c == '{' || c == '}' {
				lit.WriteByte(c) // pattern letters and Java's reserved characters are quoted
			} else {
				flush()
				b.WriteByte(c)
			}
			continue
		}
		if i+1 == len(p) {
			return "", fmt.Errorf("it ends with a lone %%")
		}
		i++
		if p[i] == '%' {
			flush()
			b.WriteByte('%')
			continue
		}
		j, ok := javaDirectives[p[i]]
		if !ok {
			return "", fmt.Errorf("the index template cannot map %%%c as a date: use %%Y %%m %%d %%H %%M %%S %%y %%j %%b %%B %%a %%A %%I %%p %%F %%T %%R %%D %%z %%Z and text, or Template_Install off", p[i])
		}
		flush()
		b.WriteString(j)
	}
	flush()
	return b.String(), nil
}
