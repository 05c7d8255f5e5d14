package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Duration reads a positive duration into dst: Go's syntax (30s, 1m30s,
// 500ms), a bare number of seconds, or a number of days (2d), as Fluent Bit
// writes times. def is in the same syntax.
func Duration(dst *time.Duration, key, def string) Option {
	d, ok := ParseDuration(def)
	if !ok && def != "" {
		panic("config: bad default duration for " + key + ": " + def)
	}
	return Option{
		Key:   key,
		reset: func() { *dst = d },
		parse: func(v string) string {
			n, ok := ParseDuration(v)
			if !ok {
				return "want a positive duration such as 30s or 2m (a bare number is seconds)"
			}
			*dst = n
			return ""
		},
		show: func() string { return dst.String() },
		def:  quote(def),
	}
}

// ParseDuration reads a positive duration (see Duration).
func ParseDuration(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	d, err := time.ParseDuration(v)
	if err != nil {
		var n int64
		switch {
		case strings.HasSuffix(v, "d") || strings.HasSuffix(v, "D"):
			n, err = strconv.ParseInt(v[:len(v)-1], 10, 32)
			d = time.Duration(n) * 24 * time.Hour
		default:
			n, err = strconv.ParseInt(v, 10, 32)
			d = time.Duration(n) * time.Second
		}
	}
	return d, err == nil && d > 0
}

// Size reads a size in bytes into dst, as Fluent Bit writes them: 512,
// 512k, 512KB, 4M, 1G (powers of 1024). With unlimited, False, off, no and
// unlimited give 0 (no limit). def is in the same syntax.
func Size(dst *int64, key, def string, unlimited bool) Option {
	n, ok := ParseSize(def, unlimited)
	if !ok && def != "" {
		panic("config: bad default size for " + key + ": " + def)
	}
	want := "want a size such as 512KB, 4M or 1G"
	if unlimited {
		want += ", or False for no limit"
	}
	return Option{
		Key:   key,
		reset: func() { *dst = n },
		parse: func(v string) string {
			s, ok := ParseSize(v, unlimited)
			if !ok {
				return want
			}
			*dst = s
			return ""
		},
		show: func() string { return FormatSize(*dst) },
		def:  quote(def),
	}
}

// ParseSize reads a size (see Size); sizes are from 1 byte to 1 TiB.
func ParseSize(v string, unlimited bool) (int64, bool) {
	s := strings.TrimSpace(v)
	switch strings.ToLower(s) {
	case "false", "off", "unlimited", "no":
		return 0, unlimited
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if i == 0 || err != nil {
		return 0, false
	}
	mult := int64(1)
	switch strings.ToLower(strings.TrimSpace(s[i:])) {
	case "", "b":
	case "k", "kb", "kib":
		mult = 1 << 10
	case "m", "mb", "mib":
		mult = 1 << 20
	case "g", "gb", "gib":
		mult = 1 << 30
	default:
		return 0, false
	}
	if n <= 0 || n > (1<<40)/mult {
		return 0, false
	}
	return n * mult, true
}

// FormatSize writes n in the largest unit that divides it (512k, 4M);
// 0 is "unlimited".
func FormatSize(n int64) string {
	switch {
	case n == 0:
		return "unlimited"
	case n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + "G"
	case n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "M"
	case n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "k"
	}
	return strconv.FormatInt(n, 10)
}

// PathKind says what a Path must name.
type PathKind uint8

const (
	// NewFile is a file the plugin creates or appends to: its directory
	// exists and the path is not a directory.
	NewFile PathKind = iota
	// ExistingFile is a file the plugin reads: it exists and is not a
	// directory.
	ExistingFile
)

// Path reads a file path into dst, checked as kind says.
func Path(dst *string, key string, kind PathKind) Option {
	return Option{
		Key:   key,
		reset: func() { *dst = "" },
		parse: func(v string) string {
			if r := CheckPath(v, kind); r != "" {
				return r
			}
			*dst = v
			return ""
		},
		show: func() string { return *dst },
	}
}

// CheckPath says why path p does not fit kind, or "".
func CheckPath(p string, kind PathKind) string {
	st, err := os.Stat(p)
	switch {
	case err == nil && st.IsDir():
		return "want a file path, not a directory"
	case kind == ExistingFile && err != nil:
		return "want an existing file (" + err.Error() + ")"
	case kind == NewFile:
		dir := filepath.Dir(p)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return "want a path in an existing directory (" + dir + " does not exist)"
		}
	}
	return ""
}

func quote(s string) string {
	if s == "" {
		return ""
	}
	return "`" + s + "`"
}
