// Package config is the schema of the plugin's configuration: one table of
// options, each a key with its type, its default, its documentation and
// where its value goes. Reading a table applies every default, reads every
// key once and collects every problem; the same table prints the start-up
// summary and the README's option tables (checked by a test).
//
// Adding an option is one row: a constructor of this package (Bool, String,
// Enum, Duration, Size, Int, Path, List, AccessorOpt, Func) with the field it
// fills, its default, then Doc and ES for the README:
//
//	config.Bool(&c.KeepMessage, "Keep_Message", true).Doc("copy the original line into `message`")
//
// Checks that involve several keys run after Read, on the filled struct,
// and report through the same Errors.
//
// Grafana Loki's Fluent Bit client (clients/cmd/fluent-bit) is the model:
// a getter, one parser, a test table with one row per bad key.
package config

import (
	"errors"
	"fmt"
	"strings"
)

// Getter returns the value configured for key, or "" when it is unset.
// Fluent Bit's FLBPluginConfigKey matches keys case-insensitively.
type Getter func(key string) string

// Error is one invalid key: its name, the value as configured (or
// "(hidden)" for a secret) and what is allowed.
type Error struct {
	Key    string
	Value  string
	Reason string // "want on or off", or a sentence saying what to change
}

func (e *Error) Error() string {
	return fmt.Sprintf("haproxy: %s %q is not valid: %s", e.Key, e.Value, e.Reason)
}

// Hidden stands for a secret value in an error.
const Hidden = "(hidden)"

// Errors collects every problem of one configuration.
type Errors struct{ list []error }

// Invalid records that key's value is not valid, with the reason (see Error).
func (e *Errors) Invalid(key, value, reason string) {
	e.list = append(e.list, &Error{Key: key, Value: value, Reason: reason})
}

// Add records err when it is not nil.
func (e *Errors) Add(err error) {
	if err != nil {
		e.list = append(e.list, err)
	}
}

// Err is every problem joined (errors.Join: one line each), or nil.
func (e *Errors) Err() error { return errors.Join(e.list...) }

// Read applies the default of every option, then reads each key once with
// get and converts it; a value that does not convert leaves the default and
// is reported to errs. A value is trimmed of spaces first, except for
// secrets (a password may end with a space).
func Read(get Getter, opts []Option, errs *Errors) {
	for i := range opts {
		o := &opts[i]
		if o.reset != nil {
			o.reset()
		}
		raw := get(o.Key)
		v := raw
		if !o.secret {
			v = strings.TrimSpace(raw)
		}
		if v == "" || o.parse == nil {
			continue
		}
		if reason := o.parse(v); reason != "" {
			shown := v
			if o.redact != nil {
				shown = o.redact(v)
			}
			errs.Invalid(o.Key, shown, reason)
		}
	}
}

// Set reports whether key has a value (after trimming).
func Set(get Getter, key string) bool { return strings.TrimSpace(get(key)) != "" }

// Has reports whether a problem with key was recorded.
func (e *Errors) Has(key string) bool {
	for _, err := range e.list {
		if ce, ok := err.(*Error); ok && ce.Key == key {
			return true
		}
	}
	return false
}
