package decode

// Diagnoses of connections: embryonic connection errors and "Connect from".

// Embryonic connection errors ("ip:port [date] fe/bind: <conn_err_code_str>",
// haproxy-events.md §9) are logged when a connection ends before a request
// could be logged: a TLS handshake or a PROXY header that never completed,
// a limit hit at accept time. They are about one client connection, so most
// are notices; a flood of them is what matters.
var (
	dConnMaxconn   = diag{"The connection was closed right after accept because the frontend or the process reached its configured maxconn. Raise maxconn if the host can take it, or look for a surge or for slow servers holding connections.", layResource, sevAlert}
	dConnProcFD    = diag{"The process has no file descriptor left (ulimit-n / maxconn too high for it): the connection was closed right after accept. Raise the limit or lower maxconn.", layResource, sevCritical}
	dConnSysFD     = diag{"The system has no file descriptor left (fs.file-max): the connection was closed right after accept. Raise the system limit or lower maxconn.", layResource, sevCritical}
	dConnSysMem    = diag{"The system is out of socket buffers (kernel socket memory): the connection failed. Check the kernel socket memory settings and the host's memory.", layResource, sevCritical}
	dConnSockErr   = diag{"A socket error (unsupported protocol or address family, or a generic socket failure) ended the connection before it could be used.", layNetwork, sevWarning}
	dConnSrcPorts  = diag{"No source port or source address could be used for an outgoing connection (port range exhausted, address not bindable or already in use): too many concurrent connections to the servers, or a narrow 'source' setting. Reuse connections or widen the port range.", layResource, sevAlert}
	dConnPrxBad    = diag{"This bind expects a PROXY protocol header (accept-proxy) but got something else: the load balancer or proxy in front is not configured to send it (send-proxy / proxy_protocol), or a client connects directly, bypassing the load balancer. The connection was closed.", layNetwork, sevWarning}
	dConnPrxClosed = diag{"The client closed the connection before sending the PROXY protocol header: typically a TCP health probe of the load balancer in front (connect then close), or a port scanner. Harmless unless frequent from real clients.", layNetwork, sevInfo}
	dConnPrxError  = diag{"The connection failed (reset or network error) while HAProxy waited for the PROXY protocol header.", layNetwork, sevNotice}
	dConnPrxTout   = diag{"No PROXY protocol header arrived before the timeout: the sender in front does not send it (send-proxy missing), or a client connected directly, bypassing the load balancer, and waits for the server to speak first.", layNetwork, sevWarning}
	dConnCIP       = diag{"The NetScaler Client IP insertion header (accept-netscaler-cip) was missing, invalid or cut: the NetScaler in front is not configured to send it, or a client connects directly.", layNetwork, sevWarning}
	dConnTLSFail   = diag{"TLS handshake failure with the client: it spoke plain HTTP (or another protocol) to a TLS port, offered no TLS version or cipher this bind accepts (an old client, or ssl-min-ver / ciphers too strict), or it is a scanner. ssl_fc_err (or the OpenSSL error in parentheses, 2.8+) says which.", layTLS, sevNotice}
	dConnTLSClosed = diag{"The client closed the connection during the TLS handshake: it gave up, often because it does not trust the certificate; load balancer health probes that open a TLS port and close at once also do this.", layTLS, sevInfo}
	dConnTLSError  = diag{"The connection failed (reset or network error) during the TLS handshake.", layTLS, sevNotice}
	dConnTLSTout   = diag{"The client did not complete the TLS handshake in time: a slow or stalled client, a half-open connection, a client that expects the server to speak first, or a slow-handshake attack.", layTLS, sevNotice}
	dConnTLSMany   = diag{"The process reached maxsslconn (or its SSL memory limit): new TLS connections are refused. Raise maxsslconn if the host can take it.", layResource, sevAlert}
	dConnTLSNoMem  = diag{"Out of memory while setting up a TLS connection: the connection was refused. Check the memory limits (-m, tune.ssl.cachesize) and the host's memory.", layResource, sevCritical}
	dConnTLSReneg  = diag{"The client tried a TLS renegotiation, which HAProxy refuses (renegotiation is a known denial-of-service vector): the connection was closed.", layTLS, sevWarning}
	dConnCAChain   = diag{"mTLS: the client's certificate chain cannot be verified against the bind's ca-file (missing intermediate certificate, or a certificate from another CA). The connection was refused.", layTLS, sevWarning}
	dConnCertBad   = diag{"mTLS: the client certificate is not trusted (expired, revoked by the crl-file, or not signed by a CA in ca-file) while 'verify required' is set. The connection was refused.", layTLS, sevWarning}
	dConnMismatch  = diag{"The server presented a certificate other than the expected one (verifyhost / SNI mismatch): the connection was refused. Check the server's certificate and the name HAProxy verifies.", layTLS, sevAlert}
	dConnHeartbeat = diag{"A TLS heartbeat attack (Heartbleed, CVE-2014-0160) was detected and stopped: someone is probing this service.", layTLS, sevAlert}
	dConnKeyUpdate = diag{"The client flooded TLS 1.3 KeyUpdate messages (a denial-of-service pattern): the connection was aborted.", layTLS, sevWarning}
	dConnTLSOther  = diag{"The TLS layer failed on this connection (fatal TLS error, early data refused, or an internal error).", layTLS, sevNotice}
	dConnSOCKS     = diag{"The SOCKS4 proxy used to reach a server failed (request not sent, bad or no reply, or aborted).", layNetwork, sevWarning}
	dConnReverse   = diag{"A reverse-HTTP (preconnect) connection failed.", layProxy, sevWarning}
	dConnOS        = diag{"The operating system reported an error on the connection (see the message: refused, reset, unreachable, out of memory).", layNetwork, sevNotice}
	dConnUnknown   = diag{"The connection ended before a request could be logged (an embryonic connection error); the message says why.", layNetwork, sevNotice}
	dConnSuccess   = diag{"An embryonic connection line without an error: the client connected and closed without sending anything complete.", layNetwork, sevInfo}

	dErrLogFmt = diag{"A connection failed before a request could be logged (a line of the error-log-format): fc_err says why (fc_err_str names it) and ssl_fc_err is the OpenSSL error code.", layNetwork, sevNotice}

	dConnect = diag{"A connection was accepted by this frontend. The proxy has no option httplog or tcplog (nor a log-format), so HAProxy logs only the connection, not the request or its outcome: add option httplog (HTTP) or option tcplog (TCP) to get traffic logs.", layTraffic, sevInfo}
)

// connErrDiags maps conn_err_code_str messages (by prefix) to diagnoses.
// Messages added in later versions keep their prefix (2.8+ appends the
// OpenSSL error to "SSL handshake failure").
var connErrDiags = [...]struct {
	prefix string
	d      *diag
}{
	{"Reached configured maxconn value", &dConnMaxconn},
	{"Too many sockets on the process", &dConnProcFD},
	{"Too many sockets on the system", &dConnSysFD},
	{"Out of system buffers", &dConnSysMem},
	{"Protocol or address family not supported", &dConnSockErr},
	{"General socket error", &dConnSockErr},
	{"Source port range exhausted", &dConnSrcPorts},
	{"Can't bind to source address", &dConnSrcPorts},
	{"Out of local source ports on the system", &dConnSrcPorts},
	{"Local source address already in use", &dConnSrcPorts},
	{"Connection closed while waiting for PROXY protocol header", &dConnPrxClosed},
	{"Connection error while waiting for PROXY protocol header", &dConnPrxError},
	{"Timeout while waiting for PROXY protocol header", &dConnPrxTout},
	{"Truncated PROXY protocol header received", &dConnPrxBad},
	{"Received something which does not look like a PROXY protocol header", &dConnPrxBad},
	{"Received an invalid PROXY protocol header", &dConnPrxBad},
	{"Received an unhandled protocol in the PROXY protocol header", &dConnPrxBad},
	{"Connection closed during SSL handshake", &dConnTLSClosed},
	{"Connection error during SSL handshake", &dConnTLSError},
	{"Timeout during SSL handshake", &dConnTLSTout},
	{"Too many SSL connections", &dConnTLSMany},
	{"Out of memory when initializing an SSL connection", &dConnTLSNoMem},
	{"Rejected a client-initiated SSL reneg", &dConnTLSReneg}, // "renegociation" ≤2.0, "renegotiation" 2.2+
	{"SSL client CA chain cannot be verified", &dConnCAChain},
	{"SSL client certificate not trusted", &dConnCertBad},
	{"Server presented an SSL certificate different from the", &dConnMismatch},
	{"SSL handshake failure after heartbeat", &dConnHeartbeat},
	{"Stopped a TLSv1 heartbeat attack", &dConnHeartbeat},
	{"SSL handshake failure", &dConnTLSFail},
	{"Attempt to use SSL on an unknown target", &dConnTLSOther},
	{"Server refused early data", &dConnTLSOther},
	{"SSL fatal error", &dConnTLSOther},
	{"Aborted connection after a TLS 1.3 KeyUpdate flood", &dConnKeyUpdate},
	{"SOCKS4 Proxy", &dConnSOCKS},
	{"Reverse connect failure", &dConnReverse},
	{"Poller reported POLLERR", &dConnOS},
	{"ECONNREFUSED returned by OS", &dConnOS},
	{"ECONNRESET returned by OS", &dConnOS},
	{"ENETUNREACH returned by OS", &dConnOS},
	{"ENOMEM returned by OS", &dConnSysMem},
	{"Success", &dConnSuccess},
}

// fcErrDiags maps the fc_err codes of an error-log-format line: the values
// of HAProxy's CO_ER_* enum (include/haproxy/connection-t.h, 2.x), whose
// order the conn_err_code_str list of haproxy-events.md §9 follows; the
// corpus pairs fc_err 34 (CO_ER_SSL_HANDSHAKE) with "SSL handshake failure"
// on the same connection attempt. Codes past the SSL ones moved between
// versions, so they get the generic diagnosis.
var fcErrDiags = [...]*diag{
	1:  &dConnMaxconn,
	2:  &dConnProcFD,
	3:  &dConnSysFD,
	4:  &dConnSysMem,
	5:  &dConnSockErr,
	6:  &dConnSockErr,
	7:  &dConnSrcPorts,
	8:  &dConnSrcPorts,
	9:  &dConnSrcPorts,
	10: &dConnSrcPorts,
	11: &dConnPrxClosed,
	12: &dConnPrxError,
	13: &dConnPrxTout,
	14: &dConnPrxBad,
	15: &dConnPrxBad,
	16: &dConnPrxBad,
	17: &dConnPrxBad,
	18: &dConnCIP, 19: &dConnCIP, 20: &dConnCIP, 21: &dConnCIP, 22: &dConnCIP, 23: &dConnCIP,
	24: &dConnTLSClosed,
	25: &dConnTLSError,
	26: &dConnTLSTout,
	27: &dConnTLSMany,
	28: &dConnTLSNoMem,
	29: &dConnTLSReneg,
	30: &dConnCAChain,
	31: &dConnCertBad,
	32: &dConnMismatch,
	33: &dConnMismatch,
	34: &dConnTLSFail,
}

// diagnoseConnError explains an embryonic connection error line, from its
// message, or from fc_err for an error-log-format line.
func diagnoseConnError(e *Entry) {
	if msg := e.ConnError; len(msg) > 0 {
		for i := range connErrDiags {
			p := connErrDiags[i].prefix
			if msg[0] == p[0] && hasPrefix(msg, p) {
				e.note(*connErrDiags[i].d)
				return
			}
		}
		if index(msg, "NetScaler") >= 0 {
			e.note(dConnCIP)
		} else {
			e.note(dConnUnknown)
		}
		return
	}
	if c := e.TLSConnErr; c > 0 && c < len(fcErrDiags) && fcErrDiags[c] != nil {
		e.note(*fcErrDiags[c])
		return
	}
	e.note(dErrLogFmt)
	if e.TLSConnErr == Unset {
		e.Severity = sevInfo
	}
}

// diagnoseConnect explains the default format's "Connect from" line.
func diagnoseConnect(e *Entry) {
	e.note(dConnect)
}
