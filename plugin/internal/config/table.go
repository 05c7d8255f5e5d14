package config

import (
	"strconv"
	"strings"
)

// Summary writes the effective value of every option as key=value on one
// line, in table order: options without a value or whose ShowIf is false
// are left out, secrets are ***, values with spaces or quotes are quoted.
func Summary(opts []Option) string {
	var b strings.Builder
	for i := range opts {
		o := &opts[i]
		if o.show == nil || (o.showIf != nil && !o.showIf()) {
			continue
		}
		v := o.show()
		if v == "" {
			continue
		}
		if o.secret {
			v = "***"
		}
		KV(&b, o.Key, v)
	}
	return b.String()
}

// KV appends key=value to b as Summary writes it (a space first unless b is
// empty), for the derived facts a package adds to its summary.
func KV(b *strings.Builder, key, v string) {
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(key)
	b.WriteByte('=')
	if v == "" || strings.ContainsAny(v, " \t\"") {
		b.WriteString(strconv.Quote(v))
	} else {
		b.WriteString(v)
	}
}

// Markdown writes opts as the README's option table: option, default,
// meaning, es.
func Markdown(opts []Option) string {
	var b strings.Builder
	b.WriteString("| option | default | meaning | es |\n|---|---|---|---|\n")
	for i := range opts {
		o := &opts[i]
		b.WriteString("| `" + o.Key + "` | " + o.def + " | " + o.doc + " | " + o.es + " |\n")
	}
	return b.String()
}
