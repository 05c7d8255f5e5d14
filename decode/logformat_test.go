package decode

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCompileLogFormatErrors(t *testing.T) {
	for _, c := range []struct {
		format string
		column int
		reason string
	}{
		{`%ci:%cp %{+Q`, 9, `"%{" is not closed`},
		{`%ci %[req.hdr(host)`, 5, `"%[" is not closed`},
		{`%ci %(name`, 5, `"%(" is not closed`},
		{`%ci %`, 5, `"%" ends the format`},
		{`%ci %zz`, 5, `unknown variable "%zz"`},
		{`%ci % 5`, 5, `"%" must be followed by a variable`},
		{`%ci %{+Q} x`, 10, `flags "%{+Q}" are not followed by a variable`},
		{`%ci %[]`, 6, `empty sample expression`},
		{`%(a:float)ci`, 5, `unknown output type "float"`},
		{`%(a b)ci`, 4, `invalid character ' ' in the name "a b"`},
		{`plain text`, 1, `no variable`},
		{``, 1, `the format is empty`},
		{`%{+bin}o %ci`, 1, `binary encodings`},
		{`%ci %{+cbor}ST`, 5, `binary encodings`},
	} {
		_, err := CompileLogFormat(c.format)
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%q: error %v, want a *FormatError", c.format, err)
			continue
		}
		if fe.Column != c.column || !strings.Contains(fe.Reason, c.reason) {
			t.Errorf("%q: column %d %q, want column %d %q", c.format, fe.Column, fe.Reason, c.column, c.reason)
		}
		if want := fmt.Sprintf("log-format: column %d: %s", fe.Column, fe.Reason); err.Error() != want {
			t.Errorf("%q: Error() = %q, want %q", c.format, err.Error(), want)
		}
	}
	// What HAProxy accepts compiles: every variable, flags it ignores, %%.
	for _, ok := range []string{
		HTTPLogFormat, HTTPSLogFormat, TCPLogFormat, CLFLogFormat, TCPCLFLogFormat, ErrorLogFormat,
		`%{+Q,+E,-X,+Z}r 100%% %{+json}o %(x)ST`, `%(a:sint)ST %(b-c_d)B`,
		`%[var(txn.x),regsub(\],y)] %[req.hdr(a),lower]`,
	} {
		if _, err := CompileLogFormat(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
}

// entryField returns the named Entry field as text: bytes as a string, times in
// RFC 3339, samples as name=value pairs.
func entryField(e *Entry, name string) string {
	v := reflect.ValueOf(e).Elem().FieldByName(name)
	if !v.IsValid() {
		return "<no field " + name + ">"
	}
	switch x := v.Interface().(type) {
	case []byte:
		return string(x)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.UTC().Format(time.RFC3339Nano)
	case [][]byte:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = string(p)
		}
		return strings.Join(parts, "|")
	case []Sample:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = s.Name + "=" + string(s.Value)
		}
		return strings.Join(parts, ",")
	case LogType:
		return x.String()
	}
	return fmt.Sprint(v.Interface())
}

// checkLF compares "Name=value" pairs with e.
func checkLF(t *testing.T, label string, e *Entry, want string) {
	t.Helper()
	for _, pair := range strings.Split(want, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(pair), "=")
		if name == "" {
			continue
		}
		if got := entryField(e, name); got != value {
			t.Errorf("%s: %s = %q, want %q", label, name, got, value)
		}
	}
}

func decodeWith(t *testing.T, format, line string) *Entry {
	t.Helper()
	f, err := CompileLogFormat(format)
	if err != nil {
		t.Fatalf("%q: %v", format, err)
	}
	d := Decoder{Location: time.UTC}
	d.AddLogFormat("", f)
	e := new(Entry)
	d.Decode(e, []byte(line), time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC))
	return e
}

// TestLogFormatVariables: every variable and flag, in the field the
// built-in formats fill.
func TestLogFormatVariables(t *testing.T) {
	for _, c := range []struct{ format, line, want string }{
		// Addresses and names.
		{`%ci:%cp %fi:%fp %bi:%bp %si:%sp`, `10.1.2.3:5000 10.0.0.1:443 10.0.0.1:61000 10.9.9.9:8080`,
			`ClientIP=10.1.2.3;ClientPort=5000;DestIP=10.0.0.1;DestPort=443;BackendSrcIP=10.0.0.1;BackendSrcPort=61000;ServerIP=10.9.9.9;ServerPort=8080;Type=tcp`},
		{`%ci:%cp`, `2001:db8::1:443`, `ClientIP=2001:db8::1;ClientPort=443`},
		{`%ci:%cp`, `unix:1`, `ClientIP=;ClientPort=1`},
		{`%ci %cp`, `- -`, `ClientIP=;ClientPort=-1`},
		{`%{+X}ci:%{+X}cp`, `7F000001:1F90`, `ClientIP=127.0.0.1;ClientPort=8080`},
		{`%{+Q}ci`, `"::1"`, `ClientIP=::1`},
		{`%ft %f %b %s`, `fe~ fe be <NOSRV>`, `Frontend=fe;FrontendSSL=true;Backend=be;Server=<NOSRV>`},
		{`%{+Q}o %ft %b/%s`, `"fe_x" "be"/"s 1"`, `Frontend=fe_x;Backend=be;Server=s 1`},
		// Dates: a request date wins over the accept date; %ms fills in.
		{`[%t] [%tr]`, `[21/Nov/2026:07:35:32.633] [21/Nov/2026:07:35:33.001]`, `RequestDate=2026-11-21T07:35:33.001Z;RequestDateOK=true`},
		{`[%T] %ms`, `[21/Nov/2026:07:35:54 +0100] 633`, `RequestDate=2026-11-21T06:35:54.633Z`},
		{`%trg|%trl|%Tl`, `21/Nov/2026:07:35:54 +0000|21/Nov/2026:08:35:54 +0100|21/Nov/2026:08:35:50 +0100`, `RequestDate=2026-11-21T07:35:54Z`},
		{`%Ts.%ms`, `1795333000.250`, `RequestDate=2026-11-22T07:36:40.25Z`},
		{`%{+X}Ts`, `6B029B88`, `RequestDate=2026-11-22T07:36:40Z`},
		// Timers, -1, logasap.
		{`%TR/%Tw/%Tc/%Tr/%Ta`, `5/-1/-1/-1/+10`, `TR=5;Tw=-1;Tc=-1;Tr=-1;Ta=10;Logasap=true;Type=http`},
		{`%Th %Ti %Tq %Td %Tu`, `1 2 -1 4 5`, `Th=1;Ti=2;Tq=-1;Td=4;Tu=5`},
		{`%Tw/%Tc/%Tt`, `0/1/+30`, `Ta=30;Tt=-1;Logasap=true`},
		{`%Ta %Tt`, `10 12`, `Ta=10;Tt=12`},
		// Status, bytes, cookies, termination, counters.
		{`%ST %B %U`, `-1 +1234 99`, `Status=-1;BytesRead=1234;Logasap=true;BytesUploaded=99`},
		{`%CC %CS %tsc %ts`, `- JSESSIONID=1 sH-- cD`, `ReqCookie=;RespCookie=JSESSIONID=1;TermState=cD`},
		{`%ac/%fc/%bc/%sc/%rc %sq/%bq`, `1/2/3/4/+1 5/6`, `ActConn=1;FeConn=2;BeConn=3;SrvConn=4;Retries=1;Redispatched=true;SrvQueue=5;BackendQueue=6`},
		// Captured headers: blocks, lists, absent blocks leave no space.
		{`%hr %hs %{+Q}r`, `{a#7Cb|c} {d} "GET / HTTP/1.1"`, `ReqHeaders=a|b|c;RespHeaders=d;HasReqHeaders=true`},
		{`%sq %hr %hs %{+Q}r`, `0 "GET / HTTP/1.1"`, `HasReqHeaders=false;Method=GET`},
		{`%{+Q}hrl %{+Q}hsl`, `"a b" "c"`, `ReqHeaders=a b|c`},
		// The request and its parts.
		{`%{+Q}r`, `"GET /a?b=c#22 HTTP/1.1"`, `RequestLine=GET /a?b=c" HTTP/1.1;Method=GET;URLPath=/a;URLQuery=b=c";HTTPVersion=1.1`},
		{`%{+Q}r`, `"GET /very/long/cut`, `RequestTrunc=true;URL=/very/long/cut`},
		{`%r %ST`, `GET /x HTTP/2.0 200`, `Method=GET;URL=/x;HTTPVersion=2.0;Status=200`},
		{`%HM %HU %HV`, `POST http://h:81/p?q HTTP/1.0`, `Method=POST;URL=http://h:81/p?q;URLDomain=h;URLPort=81;URLPath=/p;URLQuery=q;HTTPVersion=1.0`},
		{`%HP %HQ`, `/p ?a=1`, `URLPath=/p;URLQuery=a=1`},
		{`%{+E}HPO`, `/a\]b`, `URLPath=/a]b`},
		// Identity and counters.
		{`%ID %H %pid %rt %lc`, `7F00:1 lb1 4242 17 3`, `UniqueID=7F00:1;Hostname=lb1;PID=4242;ReqCounter=17;LogCounter=3`},
		{`%{+X}rt`, `00FF`, `ReqCounter=255`},
		{`%sslv %sslc`, `TLSv1.3 TLS_AES_256_GCM_SHA384`, `TLSVersion=TLSv1.3;TLSCipher=TLS_AES_256_GCM_SHA384`},
		{`%sslv %sslc`, `- (NONE)`, `TLSVersion=;TLSCipher=`},
		// Samples: ECS-named ones in their fields, the rest by name.
		{`%[ssl_fc_sni] %[fc_err] %[ssl_fc_err,hex] %[ssl_c_err] %[ssl_c_ca_err] %[ssl_fc_is_resumed] %[ssl_fc_protocol]`,
			`a.test 3 14 1 2 1 TLSv1.2`, `TLSSNI=a.test;TLSConnErr=3;TLSSSLErr=14;TLSClientErr=1;TLSClientCAErr=2;TLSResumed=1;TLSVersion=TLSv1.2`},
		{`%[src]:%[src_port] %[fc_err_str]`, `10.0.0.5:99 SSL handshake failure`, `ClientIP=10.0.0.5;ClientPort=99;ConnError=SSL handshake failure`},
		{`host=%[req.hdr(Host)] ua=%{+Q}[req.fhdr(user-agent)] x=%[var(txn.x)]`, `host=a.test ua="curl 8 \"q\"" x=-`,
			`Samples=req_hdr_host=a.test,req_fhdr_user_agent=curl 8 \"q\"`},
		{`%{+Q,+E}[req.hdr(ua)]`, `"a \"b\" \\ c"`, `Samples=req_hdr_ua=a "b" \ c`},
		// JSON and key=value formats written by hand.
		{`{"status":%ST,"fe":"%f","ua":"%[capture.req.hdr(0)]","t":%Tt}`, `{"status":200,"fe":"fe1","ua":"Mozilla/5.0 (X11)","t":+3}`,
			`Status=200;Frontend=fe1;Samples=capture_req_hdr_0=Mozilla/5.0 (X11);Ta=3;Logasap=true`},
		// %{+json}o (3.0+): a JSON object of the named nodes, in any order.
		{`%{+json}o %(client_ip)ci %(client_port)cp %(request_date)tr %(frontend_name)ft %(status_code)ST %(bytes_read)B %(termination_state)tsc %(request_headers)hr %(request_line)r %ID %(ua)[capture.req.hdr(1)]`,
			`{"client_ip": "10.0.0.1", "client_port": 4242, "frontend_name": "fe~", "request_date": "21/Nov/2026:07:35:32.633", "status_code": 503, "bytes_read": +12, "termination_state": "sH--", "request_headers": "{a.test|curl}", "request_line": "GET /a\u00e9?q=\"x\" HTTP/1.1", "ID": null, "ua": "c\\url", "other": [1, {"x": [2, 3]}], "more": {"y": "}", "z": [4]}}`,
			`ClientIP=10.0.0.1;ClientPort=4242;Frontend=fe;FrontendSSL=true;RequestDate=2026-11-21T07:35:32.633Z;Status=503;BytesRead=12;Logasap=true;TermState=sH--;ReqHeaders=a.test|curl;URLPath=/aé;URLQuery=q="x";UniqueID=;Samples=capture_req_hdr_1=c\url`},
		{`%{+json}o %(t)Ts %(st)ST %(h)hr`, `{"t":1795333000,"st":200,"h":["a","b c"]}`, `RequestDate=2026-11-22T07:36:40Z;Status=200;ReqHeaders=a|b c`},
		// Literal quotes around a variable, the way most hand-written
		// formats quote the request line and key="value" pairs.
		{`%ci %ST "%r"`, `10.0.0.1 200 "GET /a?b=#22c HTTP/1.1"`, `ClientIP=10.0.0.1;Status=200;URLPath=/a;URLQuery=b="c;HTTPVersion=1.1;Type=http`},
		{`%ci "%r" %B`, `10.0.0.1 "GET /a b HTTP/1.1" 12`, `URL=/a b;BytesRead=12`},
		{`%ci "%r"`, `10.0.0.1 "GET /very/long/cut`, `RequestTrunc=true;URL=/very/long/cut`},
		{`a="%ci" b="%r" c="%[capture.req.hdr(0)]" host="%H" st="%ST"`, `a="::1" b="<BADREQ>" c="Mozilla/5.0 (X11)" host="lb 1" st="400"`,
			`ClientIP=::1;RequestLine=<BADREQ>;Samples=capture_req_hdr_0=Mozilla/5.0 (X11);Hostname=lb 1;Status=400`},
		{`src=%ci fe=%ft st=%ST req=%{+Q}r`, `src=::1 fe=f st=404 req="GET /nope HTTP/1.1"`, `ClientIP=::1;Frontend=f;Status=404;URL=/nope`},
	} {
		e := decodeWith(t, c.format, c.line)
		if e.Type == LogUnknown {
			t.Errorf("%q on %q: unknown: %s", c.format, c.line, e.ParseError)
			continue
		}
		checkLF(t, c.format, e, c.want)
	}
}

// TestLogFormatRefuses: a line that does not fit is unknown, with the
// reason of the format.
func TestLogFormatRefuses(t *testing.T) {
	for _, c := range []struct{ format, line, reason string }{
		{`%ci:%cp st=%ST srv=%s`, `10.0.0.1:1 st=200 server=x`, `log-format 1: at " srv=": got " server=x"`},
		{`%ci:%cp st=%ST`, `10.0.0.1:1 st=abc`, `log-format 1: at %ST: want a number, got "abc"`},
		{`%ci %ST`, `nothere 200`, `log-format 1: at %ci: want an IP address, got "nothere 200"`},
		{`%ci %ST`, `10.0.0.1 200 more`, `log-format 1: at the end of the format: want the end of the line, got " more"`},
		{`%ci %{+Q}r`, `10.0.0.1 GET`, `log-format 1: at %r: want a quoted value, got "GET"`},
	} {
		e := decodeWith(t, c.format, c.line)
		if e.Type != LogUnknown || e.ParseError.Error() != c.reason {
			t.Errorf("%q on %q: %s %q, want unknown %q", c.format, c.line, e.Type, e.ParseError, c.reason)
		}
	}
}

// TestAddLogFormatFrontends: each line is read with its frontend's format;
// other lines fall back to the ""-formats, the built-ins, the events.
func TestAddLogFormatFrontends(t *testing.T) {
	api, _ := CompileLogFormat(`%ci:%cp fe=%f st=%ST srv=%s`)
	web, _ := CompileLogFormat(`%ci:%cp fe=%f st=%ST srv=%s host=%[req.hdr(host)]`)
	any, _ := CompileLogFormat(`any %ci %ST`)
	d := Decoder{Location: time.UTC}
	d.AddLogFormat("fe_api", api)
	d.AddLogFormat("fe_web", web)
	d.AddLogFormat("fe_web2", web)
	d.AddLogFormat("", any)
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	var e Entry
	for _, c := range []struct{ line, want string }{
		{`<134>Nov 21 07:35:32 haproxy[1]: 10.0.0.1:1 fe=fe_api st=200 srv=a`, `Type=http;Frontend=fe_api;Status=200;Server=a;PID=1;Samples=`},
		{`10.0.0.1:1 fe=fe_web st=201 srv=b host=x`, `Frontend=fe_web;Status=201;Samples=req_hdr_host=x`},
		{`10.0.0.1:1 fe=fe_web2 st=202 srv=b host=y`, `Frontend=fe_web2;Status=202;Samples=req_hdr_host=y`},
		{`any 10.0.0.2 204`, `ClientIP=10.0.0.2;Status=204;Frontend=`},
		{`127.0.0.1:48052 [21/Nov/2026:07:35:32.633] fe_basic be_app/app1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`, `Type=http;Frontend=fe_basic;Samples=`},
		{`Server be_app/app1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`, `Type=event;Event=server_down;Frontend=`},
		{`10.0.0.1:1 fe=fe_api st=200 srv=a`, `Type=http;Status=200;Event=;ServerState=`},
	} {
		d.Decode(&e, []byte(c.line), now)
		if e.Type == LogUnknown {
			t.Errorf("%q: unknown: %s", c.line, e.ParseError)
			continue
		}
		checkLF(t, c.line, &e, c.want)
	}
	// The fe_web format also reads fe_api's line shape plus a host: a line
	// from fe_api in fe_web's shape is not fe_api's format, and is refused.
	d.Decode(&e, []byte(`10.0.0.1:1 fe=fe_api st=200 srv=a host=x`), now)
	if e.Type != LogUnknown || !strings.HasPrefix(e.ParseError.Error(), "log-format of fe_api: at the end of the format") {
		t.Errorf("fe_api line in fe_web's shape: %s %q", e.Type, e.ParseError)
	}
	d.Decode(&e, []byte(`garbage`), now)
	if e.Type != LogUnknown || !strings.HasPrefix(e.ParseError.Error(), "log-format") {
		t.Errorf("garbage: %s %q", e.Type, e.ParseError)
	}
}

// TestLogFormatNoAlloc: a compiled format decodes with no allocation.
func TestLogFormatNoAlloc(t *testing.T) {
	f, err := CompileLogFormat(customBenchFormat)
	if err != nil {
		t.Fatal(err)
	}
	d := Decoder{Location: time.UTC}
	d.AddLogFormat("fe_api", f)
	line := []byte(customBenchLine)
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	var e Entry
	d.Decode(&e, line, now)
	if e.Type != LogHTTP {
		t.Fatalf("bench line: %s %s", e.Type, e.ParseError)
	}
	if n := testing.AllocsPerRun(100, func() { d.Decode(&e, line, now) }); n != 0 {
		t.Errorf("%v allocs per line", n)
	}
}

// An httplog-sized custom format: key=value, sample fetches, +Q.
const (
	customBenchFormat = `%ci:%cp [%tr] fe=%ft be=%b srv=%s t=%TR/%Tw/%Tc/%Tr/%Ta st=%ST bytes=%B ts=%tsc conn=%ac/%fc/%bc/%sc/%rc q=%sq/%bq host=%[req.hdr(host)] id=%ID sni=%[ssl_fc_sni] %{+Q}r`
	customBenchLine   = `<134>Nov 21 07:35:32 haproxy[3320]: 127.0.0.1:48052 [21/Nov/2026:07:35:32.633] fe=fe_api~ be=be_app srv=app1 t=0/0/1/2/3 st=200 bytes=90 ts=---- conn=1/1/0/0/0 q=0/0 host=api.test id=7F000001:BBF4_0A00000F:01BB_6540A1B2_0001:1C4A sni=api.test "GET /v1/items?id=7 HTTP/1.1"`
)

// BenchmarkLogFormat: "custom" is an httplog-sized key=value format with
// samples; "httplog" is the built-in httplog string compiled, on the line
// of BenchmarkDecode/http (what one scanner for every format would cost).
func BenchmarkLogFormat(b *testing.B) {
	for _, bc := range []struct{ name, format, line string }{
		{"custom", customBenchFormat, customBenchLine},
		{"httplog", HTTPLogFormat, benchLines[0].line},
	} {
		b.Run(bc.name, func(b *testing.B) {
			f, err := CompileLogFormat(bc.format)
			if err != nil {
				b.Fatal(err)
			}
			d := Decoder{Location: time.UTC}
			d.AddLogFormat("fe_api", f)
			line := []byte(bc.line)
			now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
			var e Entry
			d.Decode(&e, line, now)
			if e.Type == LogUnknown || e.lastFormat.set == nil {
				b.Fatalf("not read by the format: %s", e.ParseError)
			}
			b.SetBytes(int64(len(line)))
			b.ReportAllocs()
			for b.Loop() {
				d.Decode(&e, line, now)
			}
		})
	}
}

// TestLogFormatConcurrent: once configured, a Decoder with formats is used
// from several goroutines at once (the plugin flushes from several
// threads), each with its own Entry; under -race (make test) this checks
// that nothing is shared but the immutable format set.
func TestLogFormatConcurrent(t *testing.T) {
	api, _ := CompileLogFormat(customBenchFormat)
	kv, _ := CompileLogFormat(`%ci st=%ST`)
	d := Decoder{Location: time.UTC}
	d.AddLogFormat("fe_api", api)
	d.AddLogFormat("", kv)
	lines := []string{customBenchLine, `10.0.0.1 st=204`, benchLines[0].line, benchLines[3].line, `garbage`}
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	done := make(chan string)
	for g := 0; g < 4; g++ {
		go func(g int) {
			var e Entry
			for i := 0; i < 500; i++ {
				line := lines[(i+g)%len(lines)]
				d.Decode(&e, []byte(line), now)
				if (line == lines[0] || line == lines[1]) && e.lastFormat.set == nil {
					done <- "not read by its format: " + line
					return
				}
			}
			done <- ""
		}(g)
	}
	for g := 0; g < 4; g++ {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}

// TestLogFormatFailedFormatLeavesNothing: a format that stops half-way
// leaves no field for the next one; the framing's fields stay.
func TestLogFormatFailedFormatLeavesNothing(t *testing.T) {
	a, _ := CompileLogFormat(`%ci %ST %H %pid x=%[var(a)]`)
	b, _ := CompileLogFormat(`%ci %B %H %pid`)
	d := Decoder{Location: time.UTC}
	d.AddLogFormat("", a)
	d.AddLogFormat("", b)
	var e Entry
	d.Decode(&e, []byte(`<134>Nov 21 07:35:32 haproxy[77]: 10.0.0.1 200 lb1 42`), time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC))
	checkLF(t, "second format", &e, `Type=tcp;ClientIP=10.0.0.1;BytesRead=200;Status=-1;PID=77;Hostname=lb1;Priority=134;ProcessName=haproxy`)
}

// TestLogFormatJSONConverter: a sample ending with HAProxy's json converter
// is JSON-escaped in the line; its value is unescaped (json_query is not
// that converter).
func TestLogFormatJSONConverter(t *testing.T) {
	e := decodeWith(t, `{"ua":"%[capture.req.hdr(0),json(utf8s)]","q":"%[var(txn.q),json_query('$.a')]"}`,
		`{"ua":"a\/b \"c\" \u00e9","q":"x\"y"}`)
	checkLF(t, "json", e, `Samples=capture_req_hdr_0_json_utf8s=a/b "c" é,var_txn_q_json_query_a=x\"y`)
}

// TestLogFormatStatusIsHTTP: a format whose only HTTP sign is %ST gives
// HTTP lines when a status was written, and TCP ones for HAProxy's 0 (a
// TCP stream has no status).
func TestLogFormatStatusIsHTTP(t *testing.T) {
	f, err := CompileLogFormat(`{"status":%ST,"frontend":"%f"}`)
	if err != nil {
		t.Fatal(err)
	}
	d := Decoder{Location: time.UTC}
	d.AddLogFormat("", f)
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		line string
		typ  LogType
	}{
		{`haproxy[1]: {"status":503,"frontend":"fe_api"}`, LogHTTP},
		{`haproxy[1]: {"status":0,"frontend":"fe_tcp"}`, LogTCP},
	} {
		var e Entry
		d.Decode(&e, []byte(c.line), now)
		if e.Type != c.typ {
			t.Errorf("%s: log type %s, want %s (%s)", c.line, e.Type, c.typ, e.ParseError)
		}
	}
}
