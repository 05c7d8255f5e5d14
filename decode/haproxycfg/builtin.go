package haproxycfg

import "github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"

// HAProxy's built-in log formats (src/log.c; the same from 2.6 to 3.x, the
// tcplog clf variant from 3.0 on), as package decode compiles them. An
// "option" that selects one makes it the proxy's Format.
const (
	HTTPLog   = decode.HTTPLogFormat
	HTTPSLog  = decode.HTTPSLogFormat
	CLFLog    = decode.CLFLogFormat
	TCPLog    = decode.TCPLogFormat
	TCPCLFLog = decode.TCPCLFLogFormat
)

// Builtin returns the built-in format an option names ("httplog",
// "httplog clf", "httpslog", "tcplog", "tcplog clf"), or "" and false.
func Builtin(option string) (string, bool) {
	switch option {
	case "httplog":
		return HTTPLog, true
	case "httplog clf":
		return CLFLog, true
	case "httpslog":
		return HTTPSLog, true
	case "tcplog":
		return TCPLog, true
	case "tcplog clf":
		return TCPCLFLog, true
	}
	return "", false
}

// builtinVars are the variables HAProxy 2.8+ sets itself while it reads the
// configuration (overriding the environment), so that a log-format can
// extend a built-in one: log-format "${HAPROXY_HTTP_LOG_FMT} %[var(txn.x)]".
// (2.6 does not set them: a 2.6 configuration using them expands them to
// what its environment says.)
var builtinVars = map[string]string{
	"HAPROXY_HTTP_LOG_FMT":     HTTPLog,
	"HAPROXY_HTTP_CLF_LOG_FMT": CLFLog,
	"HAPROXY_HTTPS_LOG_FMT":    HTTPSLog,
	"HAPROXY_TCP_LOG_FMT":      TCPLog,
	"HAPROXY_TCP_CLF_LOG_FMT":  TCPCLFLog,
}

// withBuiltinVars is env with builtinVars first.
func withBuiltinVars(env func(string) (string, bool)) func(string) (string, bool) {
	return func(name string) (string, bool) {
		if v, ok := builtinVars[name]; ok {
			return v, true
		}
		if env == nil {
			return "", false
		}
		return env(name)
	}
}
