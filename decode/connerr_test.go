package decode

import (
	"testing"
	"time"
)

// connPrefix is what an embryonic connection error line starts with.
const connPrefix = `127.0.0.1:44542 [21/Nov/2026:07:35:50.954] fe_tls/1: `

var connErrCases = []struct {
	msg        string
	d          diag
	layer, sev string
}{
	// haproxy-events.md §9, conn_err_code_str.
	{"SSL handshake failure", dConnTLSFail, "tls", "notice"},
	{"SSL handshake failure (error:0A00009C:SSL routines::http request)", dConnTLSFail, "tls", "notice"}, // 2.8+
	{"Connection closed during SSL handshake", dConnTLSClosed, "tls", "info"},
	{"Connection error during SSL handshake", dConnTLSError, "tls", "notice"},
	{"Timeout during SSL handshake", dConnTLSTout, "tls", "notice"},
	{"Too many SSL connections", dConnTLSMany, "resource", "alert"},
	{"Out of memory when initializing an SSL connection", dConnTLSNoMem, "resource", "critical"},
	{"Rejected a client-initiated SSL renegociation attempt", dConnTLSReneg, "tls", "warning"},
	{"Rejected a client-initiated SSL renegotiation attempt", dConnTLSReneg, "tls", "warning"},
	{"SSL client CA chain cannot be verified", dConnCAChain, "tls", "warning"},
	{"SSL client certificate not trusted", dConnCertBad, "tls", "warning"},
	{"Server presented an SSL certificate different from the configured one", dConnMismatch, "tls", "alert"},
	{"Server presented an SSL certificate different from the expected one", dConnMismatch, "tls", "alert"},
	{"SSL handshake failure after heartbeat", dConnHeartbeat, "tls", "alert"},
	{"Stopped a TLSv1 heartbeat attack (CVE-2014-0160)", dConnHeartbeat, "tls", "alert"},
	{"Attempt to use SSL on an unknown target (internal error)", dConnTLSOther, "tls", "notice"},
	{"Server refused early data", dConnTLSOther, "tls", "notice"},
	{"SSL fatal error", dConnTLSOther, "tls", "notice"},
	{"Aborted connection after a TLS 1.3 KeyUpdate flood", dConnKeyUpdate, "tls", "warning"},
	{"Received something which does not look like a PROXY protocol header", dConnPrxBad, "network", "warning"},
	{"Received an invalid PROXY protocol header", dConnPrxBad, "network", "warning"},
	{"Received an unhandled protocol in the PROXY protocol header", dConnPrxBad, "network", "warning"},
	{"Truncated PROXY protocol header received", dConnPrxBad, "network", "warning"},
	{"Connection closed while waiting for PROXY protocol header", dConnPrxClosed, "network", "info"},
	{"Connection error while waiting for PROXY protocol header", dConnPrxError, "network", "notice"},
	{"Timeout while waiting for PROXY protocol header", dConnPrxTout, "network", "warning"},
	{"Timeout while waiting for a NetScaler Client IP header", dConnCIP, "network", "warning"},
	{"Reached configured maxconn value", dConnMaxconn, "resource", "alert"},
	{"Too many sockets on the process", dConnProcFD, "resource", "critical"},
	{"Too many sockets on the system", dConnSysFD, "resource", "critical"},
	{"Out of system buffers", dConnSysMem, "resource", "critical"},
	{"Protocol or address family not supported", dConnSockErr, "network", "warning"},
	{"General socket error", dConnSockErr, "network", "warning"},
	{"Source port range exhausted", dConnSrcPorts, "resource", "alert"},
	{"Can't bind to source address", dConnSrcPorts, "resource", "alert"},
	{"Out of local source ports on the system", dConnSrcPorts, "resource", "alert"},
	{"Local source address already in use", dConnSrcPorts, "resource", "alert"},
	{"Reverse connect failure", dConnReverse, "proxy", "warning"},
	{"ECONNRESET returned by OS", dConnOS, "network", "notice"},
	{"Success", dConnSuccess, "network", "info"},
	{"unknown connection error (code=99 flags=00000300)", dConnUnknown, "network", "notice"},
	{"Something new in HAProxy 9.9", dConnUnknown, "network", "notice"},
}

func TestConnErrorDiagnosis(t *testing.T) {
	d := Decoder{Location: time.UTC}
	var e Entry
	for _, c := range connErrCases {
		decodeExplain(&d, &e, []byte(connPrefix+c.msg), time.Time{})
		if e.Type != LogEvent || e.Event != EventConnectionError || string(e.ConnError) != c.msg {
			t.Errorf("%q: type %v event %v conn error %q (%s)", c.msg, e.Type, e.Event, e.ConnError, e.ParseError)
			continue
		}
		if e.DiagSummary != c.d.summary || e.DiagLayer != c.layer || e.Severity != c.sev {
			t.Errorf("%q: layer %q severity %q summary %q\nwant layer %q severity %q summary %q",
				c.msg, e.DiagLayer, e.Severity, e.DiagSummary, c.layer, c.sev, c.d.summary)
		}
	}
}

// TestConnErrorDiagnosisTable: every message of the table is reachable (no
// earlier, shorter prefix hides it) and every entry has a full diagnosis.
func TestConnErrorDiagnosisTable(t *testing.T) {
	for i, c := range connErrDiags {
		if c.d.summary == "" || c.d.layer == "" || c.d.severity == "" {
			t.Errorf("%q: incomplete diagnosis %+v", c.prefix, *c.d)
		}
		for _, prev := range connErrDiags[:i] {
			if hasPrefix([]byte(c.prefix), prev.prefix) && prev.d != c.d {
				t.Errorf("%q is hidden by %q", c.prefix, prev.prefix)
			}
		}
	}
}

func TestErrorLogFormatDiagnosis(t *testing.T) {
	const pfx = `127.0.0.1:48736 [21/Nov/2026:07:35:50.954] fe_tls_errfmt~ 1/1 `
	cases := []struct {
		rest       string
		d          diag
		layer, sev string
	}{
		// corpus https_httpslog: same connection attempt as "SSL handshake failure".
		{`34/000000000A00009C/0/0/0 -/TLSv1.3/(NONE)`, dConnTLSFail, "tls", "notice"},
		{`26/0/0/0/0 -/-/-`, dConnTLSTout, "tls", "notice"},
		{`24/0/0/0/0 -/-/-`, dConnTLSClosed, "tls", "info"},
		{`31/0/20/0/0 corpus.test/TLSv1.3/(NONE)`, dConnCertBad, "tls", "warning"},
		{`15/0/0/0/0 -/-/-`, dConnPrxBad, "network", "warning"},
		{`1/0/0/0/0 -/-/-`, dConnMaxconn, "resource", "alert"},
		{`99/0/0/0/0 -/-/-`, dErrLogFmt, "network", "notice"},
		{`-/-/-/-/- -/-/-`, dErrLogFmt, "network", "info"},
	}
	d := Decoder{Location: time.UTC}
	var e Entry
	for _, c := range cases {
		decodeExplain(&d, &e, []byte(pfx+c.rest), time.Time{})
		if e.Type != LogEvent || e.Event != EventConnectionError {
			t.Errorf("%q: type %v event %v (%s)", c.rest, e.Type, e.Event, e.ParseError)
			continue
		}
		if e.DiagSummary != c.d.summary || e.DiagLayer != c.layer || e.Severity != c.sev {
			t.Errorf("%q: layer %q severity %q summary %q\nwant layer %q severity %q summary %q",
				c.rest, e.DiagLayer, e.Severity, e.DiagSummary, c.layer, c.sev, c.d.summary)
		}
	}
}

func TestConnectDiagnosis(t *testing.T) {
	lines := []string{
		`Connect from 127.0.0.1:46192 to 127.0.0.1:18030 (fe_default_http/HTTP)`,
		`<134>Nov 21 07:35:53 haproxy[3536]: Connect from 127.0.0.1:48364 to 127.0.0.1:18031 (fe_default_tcp/TCP)`,
		`Connect to unix:1 (fe_sock/TCP)`,
		`Connect from unknown source to listener 1 (fe_x/HTTP)`,
	}
	d := Decoder{Location: time.UTC}
	var e Entry
	for _, line := range lines {
		decodeExplain(&d, &e, []byte(line), time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC))
		if e.Event != EventConnect {
			t.Errorf("%q: event %v (%s)", line, e.Event, e.ParseError)
			continue
		}
		if e.DiagSummary != dConnect.summary || e.DiagLayer != "traffic" || e.Severity != "info" {
			t.Errorf("%q: layer %q severity %q summary %q", line, e.DiagLayer, e.Severity, e.DiagSummary)
		}
	}
}

// TestConnDiagnosisCorpus: every connection error and Connect line that a
// real HAProxy wrote gets a diagnosis other than the generic one.
func TestConnDiagnosisCorpus(t *testing.T) {
	for _, s := range scenarios(t) {
		for _, d := range decodeFile(t, "testdata/corpus/"+s+".log") {
			switch d.e.Event {
			case EventConnectionError, EventConnect:
				if d.e.DiagSummary == "" || d.e.DiagLayer == "" || d.e.Severity == "" ||
					d.e.DiagSummary == dConnUnknown.summary || d.e.DiagSummary == dErrLogFmt.summary {
					t.Errorf("%s: no specific diagnosis: %s", s, d.line)
				}
			}
		}
	}
}
