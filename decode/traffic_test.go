package decode

import (
	"bytes"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// tf lists the Entry fields a case checks, by Go name. Values: string for
// []byte (nil for a nil slice), []string for [][]byte (nil for nil),
// string (RFC 3339 in UTC) for time.Time, and the field's own type otherwise.
type tf map[string]any

func checkFields(t *testing.T, e *Entry, want tf) {
	t.Helper()
	v := reflect.ValueOf(e).Elem()
	names := make([]string, 0, len(want))
	for k := range want {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		w := want[name]
		f := v.FieldByName(name)
		if !f.IsValid() {
			t.Fatalf("Entry has no field %s", name)
		}
		switch got := f.Interface().(type) {
		case []byte:
			switch w := w.(type) {
			case nil:
				if got != nil {
					t.Errorf("%s = %q, want nil", name, got)
				}
			case string:
				if got == nil || string(got) != w {
					t.Errorf("%s = %s, want %q", name, showBytes(got), w)
				}
			default:
				t.Fatalf("%s: bad want type %T", name, w)
			}
		case [][]byte:
			var ws []string
			if w != nil {
				ws = w.([]string)
			}
			if len(got) != len(ws) {
				t.Errorf("%s = %s, want %q", name, showBytesList(got), ws)
				continue
			}
			for i := range ws {
				if got[i] == nil || string(got[i]) != ws[i] {
					t.Errorf("%s = %s, want %q", name, showBytesList(got), ws)
					break
				}
			}
		case ParseError:
			if s := got.Error(); s != w.(string) {
				t.Errorf("%s = %q, want %q", name, s, w)
			}
		case time.Time:
			if s := got.UTC().Format(time.RFC3339Nano); s != w.(string) {
				t.Errorf("%s = %s, want %s", name, s, w)
			}
		default:
			if !reflect.DeepEqual(got, w) {
				t.Errorf("%s = %#v, want %#v", name, got, w)
			}
		}
	}
}

func showBytes(b []byte) string {
	if b == nil {
		return "nil"
	}
	return `"` + string(b) + `"`
}

func showBytesList(l [][]byte) string {
	s := make([]string, len(l))
	for i, b := range l {
		s[i] = showBytes(b)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// defaults are the values of the traffic fields a line does not set.
var trafficDefaults = tf{
	"ParseError": "", "Event": EventNone,
	"FrontendSSL": false, "BindName": nil, "Logasap": false, "Redispatched": false,
	"RequestTrunc": false, "URLScheme": nil, "URLDomain": nil, "URLPort": Unset,
	"TLSConnErr": Unset, "TLSSSLErr": nil, "TLSClientErr": Unset, "TLSClientCAErr": Unset,
	"TLSResumed": Unset, "TLSSNI": nil, "TLSVersion": nil, "TLSCipher": nil, "ConnError": nil,
	"ReqHeaders": nil, "RespHeaders": nil, "HasReqHeaders": false, "HasRespHeaders": false,
	"ReqCookie": nil, "RespCookie": nil, "DestIP": nil, "DestPort": Unset, "Mode": nil,
}

func withFields(base, over tf) tf {
	out := tf{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// basicWant is the first line of http_basic, decoded.
var basicWant = tf{
	"Type": LogHTTP, "ClientIP": "127.0.0.1", "ClientPort": 48052,
	"RequestDate": "2026-11-21T07:35:32.633Z", "RequestDateOK": true,
	"Frontend": "fe_basic", "Backend": "be_app", "Server": "app1",
	"TR": 0, "Tw": 0, "Tc": 0, "Tr": 0, "Ta": 0, "Status": 200, "BytesRead": int64(90),
	"TermState": "----", "ActConn": 1, "FeConn": 1, "BeConn": 0, "SrvConn": 0, "Retries": 0,
	"SrvQueue": 0, "BackendQueue": 0,
	"HasReqHeaders": true, "ReqHeaders": []string{"corpus.test", "corpus-client/1.0"},
	"HasRespHeaders": true, "RespHeaders": []string{"text/plain", "app"},
	"RequestLine": "GET /ok?id=basic-get HTTP/1.1", "Method": "GET", "URL": "/ok?id=basic-get",
	"URLPath": "/ok", "URLQuery": "id=basic-get", "HTTPVersion": "1.1",
}

// plainPrefix is an httplog line without captures, up to its request line.
const plainPrefix = `10.0.0.1:40000 [21/Nov/2026:07:35:32.633] fe be/s1 1/2/3/4/10 200 90 - - ---- 1/1/0/0/0 0/0 `

var plainWant = tf{
	"Type": LogHTTP, "ClientIP": "10.0.0.1", "ClientPort": 40000,
	"RequestDate": "2026-11-21T07:35:32.633Z", "RequestDateOK": true,
	"Frontend": "fe", "Backend": "be", "Server": "s1",
	"TR": 1, "Tw": 2, "Tc": 3, "Tr": 4, "Ta": 10, "Status": 200, "BytesRead": int64(90),
	"TermState": "----", "ActConn": 1, "FeConn": 1, "BeConn": 0, "SrvConn": 0, "Retries": 0,
	"SrvQueue": 0, "BackendQueue": 0,
}

func TestTrafficLines(t *testing.T) {
	long := "/" + strings.Repeat("a", 1100)
	tests := []struct {
		name string
		line string
		want tf
	}{
		// ---- real lines from the corpus ----
		{"httplog with two header blocks (corpus http_basic)",
			`127.0.0.1:48052 [21/Nov/2026:07:35:32.633] fe_basic be_app/app1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 {corpus.test|corpus-client/1.0} {text/plain|app} "GET /ok?id=basic-get HTTP/1.1"`,
			basicWant},
		{"escaped |{} in a header with spaces (corpus http_basic)",
			`127.0.0.1:48102 [21/Nov/2026:07:35:32.638] fe_basic be_app/app1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 {corpus.test|weird#7Cagent #7Bx#7D} {text/plain|app} "GET /ok?id=basic-ua-pipe HTTP/1.1"`,
			withFields(basicWant, tf{"ClientPort": 48102, "RequestDate": "2026-11-21T07:35:32.638Z",
				"ReqHeaders":  []string{"corpus.test", "weird|agent {x}"},
				"RequestLine": "GET /ok?id=basic-ua-pipe HTTP/1.1", "URL": "/ok?id=basic-ua-pipe", "URLQuery": "id=basic-ua-pipe"})},
		{"empty response header value (corpus http_basic)",
			`127.0.0.1:48098 [21/Nov/2026:07:35:32.637] fe_basic be_app/app1 0/0/0/0/0 200 300090 - - ---- 1/1/0/0/0 0/0 {corpus.test|corpus-client/1.0} {application/octet-stream|} "GET /big/300000?id=basic-big HTTP/1.1"`,
			withFields(basicWant, tf{"ClientPort": 48098, "RequestDate": "2026-11-21T07:35:32.637Z", "BytesRead": int64(300090),
				"RespHeaders": []string{"application/octet-stream", ""},
				"RequestLine": "GET /big/300000?id=basic-big HTTP/1.1", "URL": "/big/300000?id=basic-big",
				"URLPath": "/big/300000", "URLQuery": "id=basic-big"})},
		{"BADREQ with -1 timers (corpus http_client_errors)",
			`127.0.0.1:45502 [21/Nov/2026:07:35:34.723] fe_cli_errors fe_cli_errors/<NOSRV> -1/-1/-1/-1/1001 408 0 - - cR-- 8/8/0/0/0 0/0 "<BADREQ>"`,
			withFields(trafficDefaults, tf{"Type": LogHTTP, "ClientIP": "127.0.0.1", "ClientPort": 45502,
				"RequestDate": "2026-11-21T07:35:34.723Z", "Frontend": "fe_cli_errors", "Backend": "fe_cli_errors", "Server": "<NOSRV>",
				"TR": Unset, "Tw": Unset, "Tc": Unset, "Tr": Unset, "Ta": 1001, "Status": 408, "BytesRead": int64(0),
				"TermState": "cR--", "ActConn": 8, "FeConn": 8, "RequestLine": "<BADREQ>",
				"Method": nil, "URL": nil, "URLPath": nil, "URLQuery": nil, "HTTPVersion": nil})},
		{"status -1 (corpus http_client_errors)",
			`127.0.0.1:45588 [21/Nov/2026:07:35:34.728] fe_cli_errors be_app/app1 0/0/0/-1/301 -1 0 - - CD-- 12/12/8/8/0 0/0 "POST /delay/1500?id=cli-post-partial-close HTTP/1.1"`,
			tf{"Type": LogHTTP, "Status": Unset, "Tr": Unset, "Ta": 301, "BytesRead": int64(0), "TermState": "CD--",
				"ActConn": 12, "FeConn": 12, "BeConn": 8, "SrvConn": 8, "Method": "POST", "URLPath": "/delay/1500"}},
		{"captured cookies (corpus http_cookies)",
			`127.0.0.1:37672 [21/Nov/2026:07:35:47.016] fe_cookie be_ck/s1 0/0/0/0/0 200 119 SRV=s1 SRV=fromapp --VD 1/1/0/0/0 0/0 "GET /setcookie/SRV=fromapp?id=ck-srvset HTTP/1.1"`,
			tf{"Type": LogHTTP, "ReqCookie": "SRV=s1", "RespCookie": "SRV=fromapp", "TermState": "--VD",
				"URLPath": "/setcookie/SRV=fromapp", "URLQuery": "id=ck-srvset"}},
		{"redispatch +1 (corpus http_cookies)",
			`127.0.0.1:37766 [21/Nov/2026:07:35:47.021] fe_cookie be_ck_redispatch/s1 0/0/0/0/0 200 90 SRV=dead - --DI 1/1/0/0/+1 0/0 "GET /ok?be=redispatch&id=ck-redispatch HTTP/1.1"`,
			tf{"Type": LogHTTP, "Retries": 1, "Redispatched": true, "ReqCookie": "SRV=dead", "RespCookie": nil, "TermState": "--DI"}},
		{"retries without redispatch (corpus http_server_errors)",
			`127.0.0.1:35694 [21/Nov/2026:07:35:33.177] fe_srv_errors be_refused_retry/dead2 0/0/-1/-1/602 503 217 - - SC-- 3/3/0/0/2 0/0 "GET /retry-refused?id=srv-SC-retry HTTP/1.1"`,
			tf{"Type": LogHTTP, "Retries": 2, "Redispatched": false, "Tc": Unset, "Tr": Unset, "Ta": 602, "Status": 503}},
		{"<STATS> server (corpus http_local)",
			`127.0.0.1:33568 [21/Nov/2026:07:35:39.271] fe_local fe_local/<STATS> 0/0/0/0/0 200 16204 - - LR-- 4/4/0/0/0 0/0 "GET /stats HTTP/1.1"`,
			tf{"Type": LogHTTP, "Backend": "fe_local", "Server": "<STATS>", "TermState": "LR--", "URLPath": "/stats", "URLQuery": nil}},
		{"logasap + before Ta and bytes (corpus log_options)",
			`127.0.0.1:49518 [21/Nov/2026:07:35:57.485] fe_logasap be_app/app1 0/0/0/0/+0 200 +15272 - - ---- 1/1/1/1/0 0/0 "GET /big/200000?id=logasap HTTP/1.1"`,
			tf{"Type": LogHTTP, "Logasap": true, "Ta": 0, "BytesRead": int64(15272)}},
		{"HTTP/2 absolute URI (corpus http_queue)",
			`127.0.0.1:42126 [21/Nov/2026:07:35:42.969] fe_queue be_queue_h2/<NOSRV> 0/201/-1/-1/201 -1 0 - - CQ-- 12/12/1/0/0 0/1 "GET http://corpus.test/delay/10?be=h2&id=qh-rst-stream HTTP/2.0"`,
			tf{"Type": LogHTTP, "Status": Unset, "Tw": 201, "SrvQueue": 0, "BackendQueue": 1,
				"URL": "http://corpus.test/delay/10?be=h2&id=qh-rst-stream", "URLScheme": "http", "URLDomain": "corpus.test",
				"URLPort": Unset, "URLPath": "/delay/10", "URLQuery": "be=h2&id=qh-rst-stream", "HTTPVersion": "2.0"}},
		{"httpslog with one header block (corpus https_httpslog)",
			`127.0.0.1:44524 [21/Nov/2026:07:35:50.931] fe_tls~ be_app/app1 0/0/1/0/1 200 90 - - ---- 1/1/0/0/0 0/0 {corpus.test} "GET /ok?id=tls-ok HTTP/1.1" 0/0000000000000000/0/0/0 corpus.test/TLSv1.3/TLS_AES_256_GCM_SHA384`,
			withFields(trafficDefaults, tf{"Type": LogHTTPS, "ClientIP": "127.0.0.1", "ClientPort": 44524,
				"Frontend": "fe_tls", "FrontendSSL": true, "Backend": "be_app", "Server": "app1",
				"TR": 0, "Tw": 0, "Tc": 1, "Tr": 0, "Ta": 1, "Status": 200,
				"HasReqHeaders": true, "ReqHeaders": []string{"corpus.test"},
				"RequestLine": "GET /ok?id=tls-ok HTTP/1.1", "URLPath": "/ok", "URLQuery": "id=tls-ok", "HTTPVersion": "1.1",
				"TLSConnErr": 0, "TLSSSLErr": "0000000000000000", "TLSClientErr": 0, "TLSClientCAErr": 0, "TLSResumed": 0,
				"TLSSNI": "corpus.test", "TLSVersion": "TLSv1.3", "TLSCipher": "TLS_AES_256_GCM_SHA384"})},
		{"tcplog (corpus tcp_tcplog)",
			`127.0.0.1:59726 [21/Nov/2026:07:35:52.327] fe_tcp be_tcp/t1 1/0/302 270 SD 5/2/0/0/0 0/0`,
			withFields(trafficDefaults, tf{"Type": LogTCP, "ClientIP": "127.0.0.1", "ClientPort": 59726,
				"RequestDate": "2026-11-21T07:35:52.327Z", "RequestDateOK": true,
				"Frontend": "fe_tcp", "Backend": "be_tcp", "Server": "t1",
				"TR": Unset, "Tw": 1, "Tc": 0, "Tr": Unset, "Ta": 302, "Status": Unset, "BytesRead": int64(270),
				"TermState": "SD", "ActConn": 5, "FeConn": 2, "BeConn": 0, "SrvConn": 0, "Retries": 0,
				"SrvQueue": 0, "BackendQueue": 0, "RequestLine": nil, "Method": nil, "URL": nil})},
		{"tcplog -1 timer (corpus tcp_tcplog)",
			`127.0.0.1:42028 [21/Nov/2026:07:35:52.326] fe_tcp_refused be_tcp_refused/dead1 1/-1/0 0 SC 2/1/0/0/0 0/0`,
			tf{"Type": LogTCP, "Tw": 1, "Tc": Unset, "Ta": 0, "TermState": "SC"}},
		{"tcplog logasap (corpus log_options)",
			`127.0.0.1:33982 [21/Nov/2026:07:35:57.487] fe_tcp_logasap be_tcp/t1 1/0/+0 +0 -- 1/1/1/1/0 0/0`,
			tf{"Type": LogTCP, "Logasap": true, "Ta": 0, "BytesRead": int64(0), "TermState": "--"}},
		{"clf (corpus fmt_clf)",
			`127.0.0.1 - - [21/Nov/2026:07:35:54 +0000] "GET /ok?id=clf-ok HTTP/1.1" 200 90 "" "" 48522 400 "fe_clf" "be_app" "app1" 0 0 0 0 0 ---- 1 1 0 0 0 0 0 "" "" "corpus.test" `,
			withFields(trafficDefaults, tf{"Type": LogCLF, "ClientIP": "127.0.0.1", "ClientPort": 48522,
				"RequestDate": "2026-11-21T07:35:54.4Z", "RequestDateOK": true,
				"Frontend": "fe_clf", "Backend": "be_app", "Server": "app1",
				"TR": 0, "Tw": 0, "Tc": 0, "Tr": 0, "Ta": 0, "Status": 200, "BytesRead": int64(90),
				"TermState": "----", "ActConn": 1, "FeConn": 1, "BeConn": 0, "SrvConn": 0, "Retries": 0,
				"SrvQueue": 0, "BackendQueue": 0, "ReqCookie": nil, "RespCookie": nil,
				"HasReqHeaders": true, "ReqHeaders": []string{"corpus.test"},
				"RequestLine": "GET /ok?id=clf-ok HTTP/1.1", "Method": "GET", "URL": "/ok?id=clf-ok",
				"URLPath": "/ok", "URLQuery": "id=clf-ok", "HTTPVersion": "1.1"})},
		{"clf BADREQ without captures (corpus fmt_clf)",
			`127.0.0.1 - - [21/Nov/2026:07:35:55 +0000] "<BADREQ>" 400 0 "" "" 48558 403 "fe_clf" "fe_clf" "<NOSRV>" -1 -1 -1 -1 0 PR-- 1 1 0 0 0 0 0 "" "" `,
			tf{"Type": LogCLF, "ClientPort": 48558, "RequestDate": "2026-11-21T07:35:55.403Z", "Server": "<NOSRV>",
				"TR": Unset, "Tw": Unset, "Tc": Unset, "Tr": Unset, "Ta": 0, "Status": 400, "TermState": "PR--",
				"RequestLine": "<BADREQ>", "Method": nil, "HasReqHeaders": false, "ReqHeaders": nil}},
		{"connection error (corpus https_httpslog)",
			`127.0.0.1:44542 [21/Nov/2026:07:35:50.954] fe_tls/1: SSL handshake failure`,
			withFields(trafficDefaults, tf{"Type": LogEvent, "Event": EventConnectionError,
				"ClientIP": "127.0.0.1", "ClientPort": 44542, "RequestDate": "2026-11-21T07:35:50.954Z", "RequestDateOK": true,
				"Frontend": "fe_tls", "BindName": "1", "ConnError": "SSL handshake failure",
				"Backend": nil, "Server": nil, "TermState": nil, "Status": Unset})},
		{"PROXY protocol error (corpus conn_errors)",
			`127.0.0.1:48974 [21/Nov/2026:07:35:58.329] fe_proxy_proto/1: Received something which does not look like a PROXY protocol header`,
			tf{"Type": LogEvent, "Event": EventConnectionError, "Frontend": "fe_proxy_proto", "BindName": "1",
				"ConnError": "Received something which does not look like a PROXY protocol header"}},
		{"error-log-format line (corpus https_httpslog)",
			`127.0.0.1:48736 [21/Nov/2026:07:35:50.954] fe_tls_errfmt~ 1/1 34/000000000A00009C/0/0/0 -/TLSv1.3/(NONE)`,
			withFields(trafficDefaults, tf{"Type": LogEvent, "Event": EventConnectionError,
				"ClientIP": "127.0.0.1", "ClientPort": 48736, "RequestDate": "2026-11-21T07:35:50.954Z",
				"Frontend": "fe_tls_errfmt", "FrontendSSL": true, "ActConn": 1, "FeConn": 1, "BeConn": Unset,
				"TLSConnErr": 34, "TLSSSLErr": "000000000A00009C", "TLSClientErr": 0, "TLSClientCAErr": 0, "TLSResumed": 0,
				"TLSSNI": nil, "TLSVersion": "TLSv1.3", "TLSCipher": nil, "Backend": nil, "TermState": nil})},
		{"default format Connect from (corpus fmt_default)",
			`Connect from 127.0.0.1:46192 to 127.0.0.1:18030 (fe_default_http/HTTP)`,
			withFields(trafficDefaults, tf{"Type": LogEvent, "Event": EventConnect, "ClientIP": "127.0.0.1", "ClientPort": 46192,
				"DestIP": "127.0.0.1", "DestPort": 18030, "Frontend": "fe_default_http", "Mode": "HTTP", "RequestDateOK": false})},

		// ---- hand-built from the reference ----
		{"HTTP/2 absolute URI with port",
			plainPrefix + `"GET http://corpus.test:8080/ok?x=1 HTTP/2.0"`,
			withFields(plainWant, tf{"RequestLine": "GET http://corpus.test:8080/ok?x=1 HTTP/2.0", "Method": "GET",
				"URL": "http://corpus.test:8080/ok?x=1", "URLScheme": "http", "URLDomain": "corpus.test", "URLPort": 8080,
				"URLPath": "/ok", "URLQuery": "x=1", "HTTPVersion": "2.0"})},
		{"absolute URI without path, IPv6 authority",
			plainPrefix + `"GET https://[2001:db8::1]:8443 HTTP/2.0"`,
			tf{"URLScheme": "https", "URLDomain": "2001:db8::1", "URLPort": 8443, "URLPath": nil, "URLQuery": nil}},
		{"CONNECT authority form",
			plainPrefix + `"CONNECT example.com:443 HTTP/1.1"`,
			tf{"Method": "CONNECT", "URL": "example.com:443", "URLDomain": "example.com", "URLPort": 443,
				"URLPath": nil, "URLScheme": nil, "HTTPVersion": "1.1"}},
		{"#22 and #23 in the URL",
			plainPrefix + `"GET /search?q=#22a b#22&x=#23 HTTP/1.1"`,
			tf{"RequestLine": `GET /search?q="a b"&x=# HTTP/1.1`, "URL": `/search?q="a b"&x=#`,
				"URLPath": "/search", "URLQuery": `q="a b"&x=#`, "HTTPVersion": "1.1"}},
		{"HTTP/1.0 without query, OPTIONS *",
			plainPrefix + `"OPTIONS * HTTP/1.0"`,
			tf{"Method": "OPTIONS", "URL": "*", "URLPath": "*", "URLQuery": nil, "HTTPVersion": "1.0"}},
		{"HTTP/0.9 request line without version",
			plainPrefix + `"GET /"`,
			tf{"Method": "GET", "URL": "/", "URLPath": "/", "HTTPVersion": nil}},
		{"truncated at 1024: no closing quote",
			plainPrefix + `"GET ` + long,
			withFields(plainWant, tf{"RequestTrunc": true, "RequestLine": "GET " + long, "Method": "GET",
				"URL": long, "URLPath": long, "HTTPVersion": nil})},
		{"truncated inside the version",
			plainPrefix + `"GET /x HTT`,
			tf{"RequestTrunc": true, "Method": "GET", "URL": "/x", "HTTPVersion": nil}},
		{"truncated inside the header block",
			plainPrefix + `{corpus.test|Mozilla/5.0 (X11; Li`,
			tf{"Type": LogHTTP, "RequestTrunc": true, "HasReqHeaders": true,
				"ReqHeaders": []string{"corpus.test", "Mozilla/5.0 (X11; Li"}, "RequestLine": nil, "Method": nil}},
		{"one header block is taken as request headers",
			plainPrefix + `{Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101} "GET / HTTP/1.1"`,
			tf{"HasReqHeaders": true, "ReqHeaders": []string{"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101"},
				"HasRespHeaders": false, "RespHeaders": nil, "URLPath": "/"}},
		{"empty header values are kept",
			plainPrefix + `{||} {} "GET / HTTP/1.1"`,
			tf{"HasReqHeaders": true, "ReqHeaders": []string{"", "", ""},
				"HasRespHeaders": true, "RespHeaders": []string{""}}},
		{"IPv6 client",
			`::1:5678 [21/Nov/2026:07:35:32.633] fe be/s1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`,
			tf{"Type": LogHTTP, "ClientIP": "::1", "ClientAddr": "::1", "ClientPort": 5678}},
		{"IPv6 client, full address",
			`2001:db8::1:443 [21/Nov/2026:07:35:32.633] fe be/s1 1/0/+5 +100 -- 1/1/0/0/0 0/0`,
			tf{"Type": LogTCP, "ClientIP": "2001:db8::1", "ClientPort": 443, "Logasap": true, "Ta": 5, "BytesRead": int64(100)}},
		{"IPv4-mapped IPv6 client",
			`::ffff:10.1.2.3:80 [21/Nov/2026:07:35:32.633] fe be/s1 1/0/5 100 -- 1/1/0/0/0 0/0`,
			tf{"Type": LogTCP, "ClientIP": "::ffff:10.1.2.3", "ClientPort": 80}},
		{"UNIX socket client",
			`unix:1 [21/Nov/2026:07:35:32.633] fe be/s1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`,
			tf{"Type": LogHTTP, "ClientIP": nil, "ClientAddr": "unix:1", "ClientPort": Unset, "Frontend": "fe", "Status": 200}},
		{"abstract socket client, as the brief's abns@ spelling",
			`abns@name:1 [21/Nov/2026:07:35:32.633] fe be/s1 1/0/5 100 -- 1/1/0/0/0 0/0`,
			tf{"Type": LogTCP, "ClientIP": nil, "ClientAddr": "abns@name:1", "ClientPort": Unset}},
		{"unknown client",
			`- [21/Nov/2026:07:35:32.633] fe be/s1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`,
			tf{"Type": LogHTTP, "ClientIP": nil, "ClientAddr": "-", "ClientPort": Unset}},
		{"2.8 SSL error with the OpenSSL text",
			`192.0.2.7:51000 [21/Nov/2026:07:35:50.954] fe_tls/bind-443: SSL handshake failure (error:0A00009C:SSL routines::http request)`,
			tf{"Type": LogEvent, "Event": EventConnectionError, "ClientIP": "192.0.2.7", "ClientPort": 51000,
				"Frontend": "fe_tls", "BindName": "bind-443",
				"ConnError": "SSL handshake failure (error:0A00009C:SSL routines::http request)"}},
		{"embryonic error on a UNIX socket",
			`/var/run/haproxy.sock:2 [21/Nov/2026:07:35:50.954] fe_sock/2: Connection closed during SSL handshake`,
			tf{"Type": LogEvent, "Event": EventConnectionError, "ClientIP": nil, "ClientPort": Unset,
				"Frontend": "fe_sock", "BindName": "2", "ConnError": "Connection closed during SSL handshake"}},
		{"embryonic error without a source",
			`unknown [21/Nov/2026:07:35:50.954] fe_tls/1: Timeout during SSL handshake`,
			tf{"Type": LogEvent, "Event": EventConnectionError, "ClientIP": nil, "ClientPort": Unset, "Frontend": "fe_tls"}},
		{"Connect to unix",
			`Connect to unix:1 (fe_sock/TCP)`,
			tf{"Type": LogEvent, "Event": EventConnect, "ClientIP": nil, "DestIP": nil, "Frontend": "fe_sock", "Mode": "TCP"}},
		{"Connect from unknown source",
			`Connect from unknown source to listener 3 (fe_x/HTTP)`,
			tf{"Type": LogEvent, "Event": EventConnect, "ClientIP": nil, "ClientPort": Unset, "Frontend": "fe_x", "Mode": "HTTP"}},
		{"Connect from IPv6",
			`Connect from ::1:46192 to ::1:80 (fe/HTTP)`,
			tf{"Type": LogEvent, "Event": EventConnect, "ClientIP": "::1", "ClientPort": 46192, "DestIP": "::1", "DestPort": 80}},
		{"httpslog on a resumed session with a client certificate error",
			plainPrefix + `"GET / HTTP/1.1" 0/0/10/0/1 www.example.com/TLSv1.2/ECDHE-RSA-AES128-GCM-SHA256`,
			tf{"Type": LogHTTPS, "TLSConnErr": 0, "TLSSSLErr": "0", "TLSClientErr": 10, "TLSClientCAErr": 0, "TLSResumed": 1,
				"TLSSNI": "www.example.com", "TLSVersion": "TLSv1.2", "TLSCipher": "ECDHE-RSA-AES128-GCM-SHA256"}},
		{"CLF with a local zone offset and quoted cookies",
			`10.0.0.9 - - [21/Nov/2026:09:35:54 +0200] "GET /x HTTP/1.1" 200 90 "" "" 41000 7 "fe~" "be" "s1" 0 1 2 3 +6 --NI 1 2 3 4 +1 0 0 "SRV=s1" "-" "h1" "" "r1" `,
			tf{"Type": LogCLF, "RequestDate": "2026-11-21T07:35:54.007Z", "Frontend": "fe", "FrontendSSL": true,
				"TR": 0, "Tw": 1, "Tc": 2, "Tr": 3, "Ta": 6, "Logasap": true, "Retries": 1, "Redispatched": true,
				"ActConn": 1, "FeConn": 2, "BeConn": 3, "SrvConn": 4,
				"ReqCookie": "SRV=s1", "RespCookie": nil, "TermState": "--NI",
				"HasReqHeaders": true, "ReqHeaders": []string{"h1", "", "r1"}}},
		{"tcplog clf",
			`10.0.0.9 - - [21/Nov/2026:07:35:54 +0000] "TCP " 000 270 "" "" 41000 12 "fe_tcp" "be_tcp" "t1" 0 1 0 302 11 SD-- 5 2 0 0 0 0 0 "" "" `,
			withFields(trafficDefaults, tf{"Type": LogCLF, "ClientIP": "10.0.0.9", "ClientPort": 41000,
				"RequestDate": "2026-11-21T07:35:54.012Z", "Frontend": "fe_tcp", "Backend": "be_tcp", "Server": "t1",
				"TR": Unset, "Tw": 1, "Tc": 0, "Tr": Unset, "Ta": 302, "Status": Unset, "BytesRead": int64(270),
				"TermState": "SD", "ActConn": 5, "FeConn": 2, "RequestLine": nil, "Method": nil})},
		{"backslash-escaped quotes from a syslog daemon",
			plainPrefix + `\"GET /a HTTP/1.1\"`,
			tf{"Type": LogHTTP, "RequestLine": "GET /a HTTP/1.1", "URLPath": "/a", "RequestTrunc": false}},
	}
	d := Decoder{Location: time.UTC}
	var e Entry
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d.Decode(&e, []byte(tt.line), time.Time{})
			if e.Err() != nil {
				t.Fatalf("parse error: %s", e.ParseError)
			}
			checkFields(t, &e, tt.want)
			// the same line, framed, decodes to the same fields
			var f Entry
			d.Decode(&f, []byte("<134>1 2026-11-21T07:25:01.647839+00:00 - haproxy 27581 - - "+tt.line), time.Time{})
			checkFields(t, &f, tt.want)
		})
	}
}

func TestTrafficDateInLocation(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	d := Decoder{Location: paris}
	var e Entry
	d.Decode(&e, []byte(plainPrefix+`"GET / HTTP/1.1"`), time.Time{})
	checkFields(t, &e, tf{"RequestDate": "2026-11-21T06:35:32.633Z", "RequestDateOK": true})
	// The CLF date carries its own offset, which wins over the Decoder's zone.
	d.Decode(&e, []byte(`10.0.0.9 - - [21/Nov/2026:07:35:54 -0130] "GET /x HTTP/1.1" 200 90 "" "" 41000 5 "fe" "be" "s1" 0 0 0 0 0 ---- 1 1 0 0 0 0 0 "" "" `), time.Time{})
	checkFields(t, &e, tf{"Type": LogCLF, "RequestDate": "2026-11-21T09:05:54.005Z"})
}

func TestTrafficErrors(t *testing.T) {
	const pfx = `127.0.0.1:1234 [21/Nov/2026:07:35:32.633] fe be/s1 `
	tests := []struct{ line, want string }{
		{pfx + `0/0/x 200 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`,
			`httplog: field 6 (timers TR/Tw/Tc/Tr/Ta): want 5 numbers, got "0/0/x"`},
		{pfx + `0/0/0/0/x 200 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`,
			`httplog: field 6 (timers TR/Tw/Tc/Tr/Ta): want 5 numbers, got "0/0/0/0/x"`},
		{pfx + `0/0/0/0/0 2x0 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`,
			`httplog: field 7 (status code): want a number, got "2x0"`},
		{pfx + `0/0/0/0/0 200 ninety - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`,
			`httplog: field 8 (bytes read): want a number, got "ninety"`},
		{pfx + `0/0/0/0/0 200 90 - - --- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`,
			`httplog: field 11 (termination state): want 4 characters, got "---"`},
		{pfx + `0/0/0/0/0 200 90 - - ---- 1/1/0/0 0/0 "GET / HTTP/1.1"`,
			`httplog: field 12 (connections ac/fc/bc/sc/rc): want 5 numbers, got "1/1/0/0"`},
		{pfx + `0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0 "GET / HTTP/1.1"`,
			`httplog: field 13 (queues sq/bq): want 2 numbers, got "0"`},
		{pfx + `0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 GET / HTTP/1.1`,
			`httplog: field 16 (request line): want a quoted request line, got "GET / HTTP/1.1"`},
		{pfx + `0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1" 0/0/0/0 a/b/c`,
			`httpslog: field 17 (TLS fc_err/ssl_fc_err/ssl_c_err/ssl_c_ca_err/resumed): want 5 values, got "0/0/0/0"`},
		{pfx + `0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1" 0/0/0/0/0 sni-only`,
			`httpslog: field 18 (TLS sni/sslv/sslc): want sni/version/cipher, got "sni-only"`},
		{pfx + `0/0/0/0/0 200 90 - -`,
			`httplog: field 11 (termination state): want 4 characters, got end of line`},
		{pfx + `1/0/5 100 SDX 1/1/0/0/0 0/0`,
			`tcplog: field 8 (termination state): want 2 characters, got "SDX"`},
		{pfx + `1/0/5 100 SD 1/1/0/0/0 0/0 extra`,
			`tcplog: field 11 (end of line): want nothing after sq/bq, got "extra"`},
		{`127.0.0.1:1234 [21/Nov/2026:07:35] fe be/s1 1/0/5 100 SD 1/1/0/0/0 0/0`,
			`traffic log: field 3 (request date): want dd/Mon/yyyy:hh:mm:ss.ms, got "[21/Nov/2026:07:35]"`},
		{`127.0.0.1:99999 [21/Nov/2026:07:35:32.633] fe be/s1 1/0/5 100 SD 1/1/0/0/0 0/0`,
			`traffic log: field 2 (client address): want ip:port, got "127.0.0.1:99999"`},
		{`127.0.0.1:1234 [21/Nov/2026:07:35:32.633] fe nobackend 1/0/5 100 SD 1/1/0/0/0 0/0`,
			`traffic log: field 5 (backend/server): want backend/server, got "nobackend"`},
		{`127.0.0.1 - - [21/Nov/2026:07:35:54 +0000] "GET / HTTP/1.1" 200 90 "" "" 48522 400 "fe" "be" "s1" 0 0 0 0 0 ---- 1 1 0 0 0 0 0 "`,
			`clf: field 28 (captures): want a closing quote, got end of line`},
		{`127.0.0.1 - - [21/Nov/2026:07:35:54 +0000] "GET / HTTP/1.1" 200 90 "" "" 48522 400 "fe" "be" "s1" 0 0 0 0 0 ---- 1 1 0 0 0`,
			`clf: field 26 (counters): want a number, got end of line`},
		{`Connect from 127.0.0.1:1 to 127.0.0.1:2`,
			`connect: (frontend/mode): want (frontend/mode) at the end, got "from 127.0.0.1:1 to 127.0.0.1:2"`},
	}
	var d Decoder
	var e Entry
	for _, tt := range tests {
		d.Decode(&e, []byte(tt.line), time.Time{})
		if e.Type != LogUnknown || e.ParseError.Error() != tt.want {
			t.Errorf("%s\n  type %v, error %q\n  want error %q", tt.line, e.Type, e.ParseError, tt.want)
		}
	}
}

func TestTrafficNotTraffic(t *testing.T) {
	for _, line := range []string{
		"Proxy fe_basic stopped (cumulated conns: FE: 7, BE: 0).",
		"backend be_hc_refused has no server available!",
		"Server be_rt/s1 is UP (leaving forced drain).",
		"Health check for server be/s1 failed, reason: Layer4 timeout, check duration: 501ms, status: 0/2 DOWN.",
		"Agent check for server be/s1 failed",
		"Paused frontend fe_life.",
		"Connection", "", "1", "12345678",
		"abc def [x",
		"deadbeef" + strings.Repeat("0", 100) + " [21/Nov/2026:07:35:32.633]",
	} {
		var e Entry
		e.reset()
		if got := parseTraffic(&e, []byte(line), time.UTC); got != errNotTraffic {
			t.Errorf("%q: %q, want errNotTraffic", line, got)
		}
	}
}

// corpusTrafficLines returns the raw corpus lines that parseTraffic reads.
func corpusTrafficLines(t *testing.T) [][]byte {
	t.Helper()
	paths, _ := filepath.Glob("testdata/corpus/*.raw.log")
	if len(paths) == 0 {
		t.Fatal("no corpus")
	}
	var out [][]byte
	for _, p := range paths {
		for _, line := range readLines(t, p) {
			var e Entry
			e.reset()
			e.scratch = make([]byte, 0, len(line))
			if parseTraffic(&e, line, time.UTC) != errNotTraffic {
				out = append(out, line)
			}
		}
	}
	return out
}

// TestTrafficCorpus: every corpus line that starts like a traffic line is
// read without error, in every framing.
func TestTrafficCorpus(t *testing.T) {
	lines := corpusTrafficLines(t)
	if len(lines) < 100 {
		t.Fatalf("only %d traffic lines in the corpus", len(lines))
	}
	paths, _ := filepath.Glob("testdata/corpus/*.log")
	d := Decoder{Location: time.UTC}
	var e Entry
	n := 0
	for _, p := range paths {
		for i, line := range readLines(t, p) {
			d.Decode(&e, line, time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC))
			if e.IsTraffic() || e.Event == EventConnect || e.Event == EventConnectionError {
				n++
				if len(e.TermState) == 0 && e.Type != LogEvent {
					t.Errorf("%s:%d: no termination state", p, i+1)
				}
				continue
			}
			var f Entry
			f.reset()
			f.scratch = make([]byte, 0, len(e.Body))
			if err := parseTraffic(&f, e.Body, time.UTC); err != errNotTraffic {
				t.Errorf("%s:%d: %s: %s", p, i+1, err, line)
			}
		}
	}
	if n < 3*len(lines) {
		t.Errorf("%d framed traffic lines decoded, want at least %d", n, 3*len(lines))
	}
}

func TestTrafficNoAlloc(t *testing.T) {
	lines := map[string]string{
		"http with headers": `127.0.0.1:48102 [21/Nov/2026:07:35:32.638] fe_basic be_app/app1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 {corpus.test|weird#7Cagent #7Bx#7D} {text/plain|app} "GET /ok?id=basic-ua-pipe#22 HTTP/1.1"`,
		"tcp":               `127.0.0.1:59726 [21/Nov/2026:07:35:52.327] fe_tcp be_tcp/t1 1/0/302 270 SD 5/2/0/0/0 0/0`,
		"https":             `127.0.0.1:44524 [21/Nov/2026:07:35:50.931] fe_tls~ be_app/app1 0/0/1/0/1 200 90 - - ---- 1/1/0/0/0 0/0 {corpus.test} "GET http://corpus.test:8080/ok?id=tls-ok HTTP/2.0" 0/0000000000000000/0/0/0 corpus.test/TLSv1.3/TLS_AES_256_GCM_SHA384`,
		"clf":               `127.0.0.1 - - [21/Nov/2026:07:35:54 +0000] "GET /ok?id=clf-ok HTTP/1.1" 200 90 "" "" 48522 400 "fe_clf" "be_app" "app1" 0 0 0 0 0 ---- 1 1 0 0 0 0 0 "" "" "corpus.test" `,
		"connection error":  `127.0.0.1:44542 [21/Nov/2026:07:35:50.954] fe_tls/1: SSL handshake failure`,
		"error-log-format":  `127.0.0.1:48736 [21/Nov/2026:07:35:50.954] fe_tls_errfmt~ 1/1 34/000000000A00009C/0/0/0 -/TLSv1.3/(NONE)`,
		"connect":           `Connect from 127.0.0.1:46192 to 127.0.0.1:18030 (fe_default_http/HTTP)`,
		"rfc5424 http":      `<134>1 2026-11-21T07:25:01.647839+00:00 - haproxy 27581 - - 127.0.0.1:48052 [21/Nov/2026:07:35:32.633] fe_basic be_app/app1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 {corpus.test|corpus-client/1.0} {text/plain|app} "GET /ok?id=basic-get HTTP/1.1"`,
	}
	d := Decoder{Location: time.UTC}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for name, line := range lines {
		b := []byte(line)
		var e Entry
		d.Decode(&e, b, now) // warm-up: sizes the scratch and header slices
		if e.Type == LogUnknown {
			t.Fatalf("%s: %s", name, e.ParseError)
		}
		allocs := testing.AllocsPerRun(200, func() { d.Decode(&e, b, now) })
		if allocs != 0 {
			t.Errorf("%s: %v allocations per line, want 0", name, allocs)
		}
	}
}

// checkSane fails on a result that is neither decoded nor explained, or on
// a decoded traffic line that breaks the Entry's promises.
func checkSane(t *testing.T, e *Entry, line []byte) {
	t.Helper()
	if e.Type == LogUnknown && e.Err() == nil {
		t.Fatalf("unknown without a reason: %q", line)
	}
	if e.Type != LogUnknown && e.Err() != nil {
		t.Fatalf("type %v with a parse error %q: %q", e.Type, e.ParseError, line)
	}
	if e.IsTraffic() && len(e.TermState) != 2 && len(e.TermState) != 4 {
		t.Fatalf("traffic line with termination state %q: %q", e.TermState, line)
	}
	if e.ClientPort < Unset || e.ClientPort > 65535 {
		t.Fatalf("client port %d: %q", e.ClientPort, line)
	}
}

// TestTrafficTruncatedPrefixes: every prefix of every corpus traffic line,
// and every line with one byte replaced, decodes or explains itself.
func TestTrafficTruncatedPrefixes(t *testing.T) {
	var d Decoder
	var e Entry
	for _, line := range corpusTrafficLines(t) {
		for n := 0; n <= len(line); n++ {
			p := line[:n:n]
			d.Decode(&e, p, time.Time{})
			checkSane(t, &e, p)
		}
		buf := make([]byte, len(line))
		for i := range line {
			for _, c := range []byte{0, ' ', '"', '/', '{', '}', '|', '[', ']', '#', ':', '+', '-', 0xff} {
				copy(buf, line)
				buf[i] = c
				d.Decode(&e, buf, time.Time{})
				checkSane(t, &e, buf)
			}
		}
	}
}

func TestTrafficGarbage(t *testing.T) {
	var d Decoder
	var e Entry
	huge := bytes.Repeat([]byte("1.2.3.4:5 [21/Nov/2026:07:35:32.633] {|{|"), 5000)
	for _, line := range [][]byte{
		huge,
		append([]byte(plainPrefix+`"GET /`), bytes.Repeat([]byte("#2"), 40000)...),
		append([]byte(plainPrefix+`{`), bytes.Repeat([]byte("|"), 70000)...),
		[]byte("\x00\x01\x02 [\xff\xfe"),
		[]byte(": [" + strings.Repeat("]", 10)),
		[]byte("- - - [21/Nov/2026:07:35:54 +0000]"),
		[]byte("1 - - [21/Nov/2026:07:35:54 +9999] \"\" 1 1 \"\" \"\" 1 1 \"\" \"\" \"\""),
		[]byte("Connect from  to  ()"),
		[]byte("Connect (/)"),
		[]byte("Connect to unix:1 (/)"),
		[]byte("Connect from 1.2.3.4:5 to :0 (fe/TCP)"),
		[]byte(`1:1 [21/Nov/2026:07:35:32.633] f: `),
		[]byte(`1:1 [21/Nov/2026:07:35:32.633] f 1/1 1/2/3/4/5 a/b/c`),
		[]byte(`1:1 [21/Nov/2026:07:35:32.633] f 1/1 1/2/3/4/5 1/2`),
	} {
		d.Decode(&e, line, time.Time{})
		checkSane(t, &e, line)
	}
}

func BenchmarkTraffic(b *testing.B) {
	for _, bc := range []struct{ name, line string }{
		{"http", `127.0.0.1:48052 [21/Nov/2026:07:35:32.633] fe_basic be_app/app1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 {corpus.test|corpus-client/1.0} {text/plain|app} "GET /ok?id=basic-get HTTP/1.1"`},
		{"https", `127.0.0.1:44524 [21/Nov/2026:07:35:50.931] fe_tls~ be_app/app1 0/0/1/0/1 200 90 - - ---- 1/1/0/0/0 0/0 {corpus.test} "GET /ok?id=tls-ok HTTP/1.1" 0/0000000000000000/0/0/0 corpus.test/TLSv1.3/TLS_AES_256_GCM_SHA384`},
		{"tcp", `127.0.0.1:59726 [21/Nov/2026:07:35:52.327] fe_tcp be_tcp/t1 1/0/302 270 SD 5/2/0/0/0 0/0`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d := Decoder{Location: time.UTC}
			var e Entry
			line := []byte(bc.line)
			b.SetBytes(int64(len(line)))
			b.ReportAllocs()
			for b.Loop() {
				d.Decode(&e, line, time.Time{})
			}
		})
	}
}

func FuzzTraffic(f *testing.F) {
	for _, line := range corpusTrafficLinesForFuzz(f) {
		f.Add(line)
	}
	f.Add([]byte(plainPrefix + `"GET http://[::1]:80/?q HTTP/2.0" 0/0/0/0/0 a/b/c`))
	var d Decoder
	var e Entry
	f.Fuzz(func(t *testing.T, line []byte) {
		d.Decode(&e, line, time.Time{})
		checkSane(t, &e, line)
	})
}

func corpusTrafficLinesForFuzz(tb testing.TB) [][]byte {
	var files []string
	for _, name := range []string{"http_basic", "https_httpslog", "tcp_tcplog", "fmt_clf", "fmt_default", "conn_errors"} {
		files = append(files, filepath.Join("testdata/corpus", name+".raw.log"))
	}
	return readLines(tb, files...)
}
