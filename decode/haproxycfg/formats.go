package haproxycfg

import (
	"errors"
	"strconv"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// FrontendFormat is one proxy's compiled log-format.
type FrontendFormat struct {
	Frontend string
	Format   *decode.LogFormat
	By       string // the directive that set it ("log-format", "option httplog" ...)
	At       Place
	Error    bool // an error-log-format: the frontend's connection errors
}

// Compile compiles the log-format of every frontend and listen section,
// and checks their error-log-formats. A format that cannot be compiled is
// an *Error at its line, with the column in the format.
//
// When every log-format is a built-in one, none is returned: the decoder
// reads those lines with its hand-written fast path anyway (error-log-formats
// are always returned). As soon as one proxy
// has a custom format, the built-in formats of the others are returned too,
// so that the custom format is never tried on their lines (the decoder
// leaves a line whose frontend has a format of its own to that format).
func (c *Config) Compile() ([]FrontendFormat, error) {
	custom := false
	var out []FrontendFormat
	for _, p := range c.Proxies {
		if p.Format != "" && p.FormatBy == "log-format" {
			if _, builtin := builtinOf(p.Format); !builtin {
				custom = true
			}
		}
		if p.ErrorFormat != "" {
			f, err := decode.CompileLogFormat(p.ErrorFormat)
			if err != nil {
				return nil, formatError(p, "error-log-format", p.ErrorFormatAt, err)
			}
			out = append(out, FrontendFormat{Frontend: p.Name, Format: f, By: "error-log-format", At: p.ErrorFormatAt, Error: true})
		}
	}
	compiled := map[string]*decode.LogFormat{}
	for _, p := range c.Proxies {
		if p.Format == "" {
			continue
		}
		f, ok := compiled[p.Format]
		if !ok {
			var err error
			if f, err = decode.CompileLogFormat(p.Format); err != nil {
				return nil, formatError(p, p.FormatBy, p.FormatAt, err)
			}
			compiled[p.Format] = f
		}
		if err := checkMode(p, f); err != nil {
			return nil, err
		}
		if custom {
			out = append(out, FrontendFormat{Frontend: p.Name, Format: f, By: p.FormatBy, At: p.FormatAt})
		}
	}
	return out, nil
}

// checkMode refuses HTTP variables in a TCP proxy's log-format, as HAProxy
// does ("format variable 'r' is reserved for HTTP mode"), 2.6 even in a
// proxy that switches to HTTP.
func checkMode(p *Proxy, f *decode.LogFormat) error {
	if p.FormatBy != "log-format" || p.Mode == "http" || f.Type() == decode.LogTCP {
		return nil
	}
	return &Error{File: p.FormatAt.File, Line: p.FormatAt.Line, Keyword: "log-format",
		Reason: p.Section + " " + p.Name + ": the format writes HTTP variables but the proxy is in mode " + p.Mode +
			" (HAProxy refuses it: they are reserved for HTTP mode)"}
}

// AddTo gives d the formats (see Decoder.AddLogFormat).
func AddTo(d *decode.Decoder, formats []FrontendFormat) {
	for _, f := range formats {
		if f.Error {
			d.AddErrorLogFormat(f.Frontend, f.Format)
		} else {
			d.AddLogFormat(f.Frontend, f.Format)
		}
	}
}

// builtinOf says whether a log-format string is one of HAProxy's built-in
// ones (a log-format may spell one out, as HAPROXY_HTTP_LOG_FMT does).
func builtinOf(s string) (string, bool) {
	for _, o := range []string{"httplog", "httplog clf", "httpslog", "tcplog", "tcplog clf"} {
		if b, _ := Builtin(o); b == s {
			return o, true
		}
	}
	return "", false
}

// formatError is a format of the file that the log-format compiler refuses.
func formatError(p *Proxy, kw string, at Place, err error) error {
	reason := err.Error()
	var fe *decode.FormatError
	if errors.As(err, &fe) {
		reason = "column " + strconv.Itoa(fe.Column) + " of the format: " + fe.Reason
	}
	return &Error{File: at.File, Line: at.Line, Keyword: kw,
		Reason: p.Section + " " + p.Name + ": " + reason, cause: err}
}
