package config

import (
	"strconv"
	"strings"
)

// Accessor is a record accessor, Fluent Bit's path into a record:
// $kubernetes['namespace_name'] is the value of key namespace_name in the
// map under the record's key kubernetes; $items[0] is the first element of
// the array under items. A value without the leading $ is a top-level key
// (Fluent Bit's es output adds the $ to Logstash_Prefix_Key the same way).
// The zero Accessor names nothing.
type Accessor struct {
	Raw   string // as configured
	Steps []Step // the first is always a key
}

// Step is one level of an Accessor: a map key, or an array index.
type Step struct {
	Key   string
	Index int // when IsIndex
	// IsIndex: the step is [N] into an array.
	IsIndex bool
}

// String is the accessor as configured.
func (a Accessor) String() string { return a.Raw }

// IsZero reports whether a names nothing.
func (a Accessor) IsZero() bool { return len(a.Steps) == 0 }

// AccessorWant is the syntax, for messages.
const AccessorWant = "want a record key (log_id) or a record accessor such as $kubernetes['namespace_name'] or $items[0]"

// ParseAccessor reads a record accessor (see Accessor).
func ParseAccessor(v string) (Accessor, bool) {
	a := Accessor{Raw: v}
	s := strings.TrimPrefix(v, "$")
	end := strings.IndexByte(s, '[')
	if end < 0 {
		end = len(s)
	}
	if end == 0 || strings.ContainsAny(s[:end], "]'\"$ \t") {
		return Accessor{}, false
	}
	a.Steps = append(a.Steps, Step{Key: s[:end]})
	for s = s[end:]; s != ""; {
		if s[0] != '[' {
			return Accessor{}, false
		}
		close := strings.IndexByte(s, ']')
		if close < 0 {
			return Accessor{}, false
		}
		inner := s[1:close]
		switch {
		case len(inner) >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[len(inner)-1] == inner[0]:
			key := inner[1 : len(inner)-1]
			if key == "" || strings.IndexByte(key, inner[0]) >= 0 {
				return Accessor{}, false
			}
			a.Steps = append(a.Steps, Step{Key: key})
		default:
			n, err := strconv.Atoi(inner)
			if err != nil || n < 0 || inner[0] == '+' {
				return Accessor{}, false
			}
			a.Steps = append(a.Steps, Step{Index: n, IsIndex: true})
		}
		s = s[close+1:]
	}
	return a, true
}

// AccessorOpt reads a record accessor into dst.
func AccessorOpt(dst *Accessor, key string) Option {
	return Option{
		Key:   key,
		reset: func() { *dst = Accessor{} },
		parse: func(v string) string {
			a, ok := ParseAccessor(v)
			if !ok {
				return AccessorWant
			}
			*dst = a
			return ""
		},
		show: func() string { return dst.Raw },
	}
}
