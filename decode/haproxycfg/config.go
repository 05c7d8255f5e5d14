// Package haproxycfg reads what HAProxy's configuration says about logging:
// for every frontend and listen section, the log-format its traffic lines
// are written with, its error-log-format, its mode, and where in the files
// each was set.
//
// It reads the file as HAProxy does (quoting, escaping, environment
// variables, comments, "no"/"default" prefixes, named defaults sections and
// "from", the fallback of HTTP formats in TCP proxies) but only the keywords
// that decide the log format; everything else is skipped unchecked, so a
// file that this package accepts may still be one HAProxy refuses. A line
// it cannot read is an *Error naming the file, the line and the reason.
//
// Like package decode, whose built-in format strings it uses, it needs the
// standard library only.
package haproxycfg

import "strconv"

// Place is where a directive was read.
type Place struct {
	File string
	Line int
}

func (p Place) String() string {
	if p.File == "" && p.Line == 0 {
		return ""
	}
	return p.File + ":" + strconv.Itoa(p.Line)
}

// Proxy is what a frontend or listen section logs with.
type Proxy struct {
	Name    string
	Section string // "frontend" or "listen"
	At      Place  // the section's first line
	// Defaults is the defaults section it inherits from: its name, "" for
	// an anonymous one; DefaultsAt is zero when there was none.
	Defaults   string
	DefaultsAt Place

	// Mode is "http", "tcp" (HAProxy's default, ModeAt zero), or what the
	// file says ("log", "spop" in recent versions).
	Mode   string
	ModeAt Place

	// Format is the effective log-format string: the built-in string when
	// an option selects one (HTTPLog, TCPLog ...), "" when nothing is set
	// (HAProxy then logs one "Connect from" line per connection).
	// FormatBy says which directive set it ("log-format", "option httplog",
	// "option httplog clf", "option httpslog", "option tcplog", "option
	// tcplog clf"); after HAProxy's fallback of an HTTP format in a TCP
	// proxy it is "option tcplog" while FormatAt still points at the option
	// that was written, as HAProxy's own warning does.
	Format   string
	FormatBy string
	FormatAt Place

	// ErrorFormat is the error-log-format (2.5+) for connection errors
	// (SSL handshake, PROXY header); "" for HAProxy's default error line.
	ErrorFormat   string
	ErrorFormatAt Place

	// DontLogNormal: option dontlog-normal, only errors are logged.
	DontLogNormal   bool
	DontLogNormalAt Place
}

// Warning is something HAProxy itself warns about when it reads the file
// and that changes what is logged (an option ignored in a backend, an HTTP
// format falling back to tcplog).
type Warning struct {
	At   Place
	Text string
}

func (w Warning) String() string { return w.At.String() + ": " + w.Text }

// Config is what the files say about logging.
type Config struct {
	Files    []string // the files read, in order
	Proxies  []*Proxy // frontends and listens, in the order they were declared
	Warnings []Warning
}

// Proxy returns the frontend or listen section with that name, or nil.
func (c *Config) Proxy(name string) *Proxy {
	for _, p := range c.Proxies {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Error is a configuration line that cannot be read.
type Error struct {
	File    string
	Line    int
	Column  int    // 1-based byte column when the reason is about one place, else 0
	Keyword string // the directive ("log-format", "frontend" ...) when known
	Reason  string
	cause   error // the compiler's *decode.FormatError, for a format it refuses
}

// Unwrap returns the log-format compiler's error, if that is the cause.
func (e *Error) Unwrap() error { return e.cause }

func (e *Error) Error() string {
	s := e.File + ":" + strconv.Itoa(e.Line) + ": "
	if e.Keyword != "" {
		s += e.Keyword + ": "
	}
	s += e.Reason
	if e.Column > 0 {
		s += " (column " + strconv.Itoa(e.Column) + ")"
	}
	return s
}
