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
