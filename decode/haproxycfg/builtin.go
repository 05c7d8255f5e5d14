package haproxycfg

// HAProxy's built-in log formats, as its src/log.c defines them (identical
// from 2.6 to 3.x; the tcplog clf variant exists from 3.0 on). An "option"
// that selects one makes it the proxy's Format.
const (
	HTTPLog   = `%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r`
	HTTPSLog  = HTTPLog + ` %[fc_err]/%[ssl_fc_err,hex]/%[ssl_c_err]/%[ssl_c_ca_err]/%[ssl_fc_is_resumed] %[ssl_fc_sni]/%sslv/%sslc`
	CLFLog    = `%{+Q}o %{-Q}ci - - [%trg] %r %ST %B "" "" %cp %ms %ft %b %s %TR %Tw %Tc %Tr %Ta %tsc %ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl`
	TCPLog    = `%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq`
	TCPCLFLog = `%{+Q}o %{-Q}ci - - [%T] "TCP " 000 %B "" "" %cp %ms %ft %b %s %Th %Tw %Tc %Tt %U %ts-- %ac %fc %bc %sc %rc %sq %bq "" "" `
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
