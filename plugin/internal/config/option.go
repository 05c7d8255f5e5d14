package config

import (
	"strconv"
	"strings"
)

// Option is one row of a configuration table: a key, how its value is read
// into its field, and what the README and the start-up summary say of it.
// Build one with a constructor (Bool, String, ...) and refine it with the
// methods below; they return the changed copy, so a row reads as one
// expression.
type Option struct {
	Key string

	parse func(v string) (reason string) // v trimmed, not empty; "" = accepted
	reset func()                         // applies the default
	show  func() string                  // the effective value, "" = nothing to show

	def    string // the default as the README shows it (markdown)
	doc    string // the README's meaning column (markdown)
	es     string // the README's es column: "yes", "ours", "differs: ..."
	secret bool
	redact func(string) string // how an invalid value is shown in errors
	showIf func() bool
}

// Doc sets the meaning column of the README (markdown).
func (o Option) Doc(text string) Option { o.doc = text; return o }

// ES sets the README's es column: "yes" for the same name and meaning as
// Fluent Bit's es output, "ours" for our own, or how it differs.
func (o Option) ES(text string) Option { o.es = text; return o }

// DefaultText replaces the default shown in the README (markdown), for
// defaults that are a rule rather than a value ("the machine's").
func (o Option) DefaultText(text string) Option { o.def = text; return o }

// Secret hides the value: not trimmed, "(hidden)" in errors, *** in the
// summary.
func (o Option) Secret() Option {
	o.secret = true
	o.redact = func(string) string { return Hidden }
	return o
}

// Redact sets how an invalid value is shown in errors (a URL without its
// password ...).
func (o Option) Redact(f func(string) string) Option { o.redact = f; return o }

// ShowIf shows the option in the summary only when cond holds (File only
// with Destination file ...).
func (o Option) ShowIf(cond func() bool) Option { o.showIf = cond; return o }

// Show replaces how the summary writes the effective value ("" = omitted).
func (o Option) Show(f func() string) Option { o.show = f; return o }

// Check adds a test on the value after it was read: check returns why the
// value is refused, or "".
func (o Option) Check(check func(v string) (reason string)) Option {
	parse := o.parse
	o.parse = func(v string) string {
		if parse != nil {
			if r := parse(v); r != "" {
				return r
			}
		}
		return check(v)
	}
	return o
}

// Bool reads on/off (see ParseBool) into dst.
func Bool(dst *bool, key string, def bool) Option {
	return Option{
		Key:   key,
		reset: func() { *dst = def },
		parse: func(v string) string {
			b, ok := ParseBool(v)
			if !ok {
				return "want " + BoolWords
			}
			*dst = b
			return ""
		},
		show: func() string { return OnOff(*dst) },
		def:  "`" + OnOff(def) + "`",
	}
}

// BoolWords are the values ParseBool accepts, for messages.
const BoolWords = "on, off, true, false, yes, no, 1 or 0"

// ParseBool reads a boolean as Fluent Bit does (flb_utils_bool: true, on,
// yes / false, off, no, in any case), and 1 / 0, which this plugin has
// always accepted. ok is false for anything else.
func ParseBool(v string) (b, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "on", "true", "yes", "1":
		return true, true
	case "off", "false", "no", "0":
		return false, true
	}
	return false, false
}

// OnOff writes b as on or off.
func OnOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// String reads the value as it is (trimmed) into dst.
func String(dst *string, key, def string) Option {
	o := Option{
		Key:   key,
		reset: func() { *dst = def },
		parse: func(v string) string { *dst = v; return "" },
		show:  func() string { return *dst },
	}
	if def != "" {
		o.def = "`" + def + "`"
	}
	return o
}

// Int reads a whole number in [min, max] into dst.
func Int(dst *int, key string, def, min, max int) Option {
	return Option{
		Key:   key,
		reset: func() { *dst = def },
		parse: func(v string) string {
			n, err := strconv.Atoi(v)
			if err != nil || n < min || n > max {
				return "want a whole number from " + strconv.Itoa(min) + " to " + strconv.Itoa(max)
			}
			*dst = n
			return ""
		},
		show: func() string { return strconv.Itoa(*dst) },
		def:  "`" + strconv.Itoa(def) + "`",
	}
}

// Choice is one value an Enum accepts. An alias is accepted but not offered
// in messages or shown by the summary.
type Choice[T comparable] struct {
	Name  string
	Value T
	Alias bool
}

// Enum reads one of choices (any case) into dst.
func Enum[T comparable](dst *T, key string, def T, choices ...Choice[T]) Option {
	var names []string
	for _, c := range choices {
		if !c.Alias {
			names = append(names, c.Name)
		}
	}
	nameOf := func(v T) string {
		for _, c := range choices {
			if c.Value == v && !c.Alias {
				return c.Name
			}
		}
		return ""
	}
	o := Option{
		Key:   key,
		reset: func() { *dst = def },
		parse: func(v string) string {
			for _, c := range choices {
				if strings.EqualFold(v, c.Name) {
					*dst = c.Value
					return ""
				}
			}
			return "want " + OneOf(names)
		},
		show: func() string { return nameOf(*dst) },
	}
	if n := nameOf(def); n != "" {
		o.def = "`" + n + "`"
	}
	return o
}

// OneOf writes names as "a, b or c".
func OneOf(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// List reads a comma-separated list into dst (items trimmed, empty items
// skipped). item checks one item: it returns why it is refused, or "".
func List(dst *[]string, key string, item func(string) string) Option {
	return Option{
		Key:   key,
		reset: func() { *dst = nil },
		parse: func(v string) string {
			var out []string
			for _, s := range strings.Split(v, ",") {
				s = strings.TrimSpace(s)
				if item != nil {
					if r := item(s); r != "" {
						*dst = nil
						return r
					}
				}
				if s != "" {
					out = append(out, s)
				}
			}
			*dst = out
			return ""
		},
		show: func() string { return strings.Join(*dst, ",") },
	}
}

// Func is an option read by parse, for values with a syntax of their own (a
// zone name, a strftime format ...). parse returns why v is refused, or "".
// reset, when not nil, applies the default; show writes the effective value.
func Func(key string, reset func(), parse func(v string) (reason string), show func() string) Option {
	return Option{Key: key, reset: reset, parse: parse, show: show}
}
