package decode

import (
	"testing"
	"time"
)

// benchLines are real lines from testdata/corpus, in RFC3164 framing as
// HAProxy sends them over UDP syslog.
var benchLines = []struct{ name, line string }{
	// http_basic.log: httplog with request and response header captures.
	{"http", `<134>Nov 21 07:35:32 haproxy[3320]: 127.0.0.1:48052 [21/Nov/2026:07:35:32.633] fe_basic be_app/app1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 {corpus.test|corpus-client/1.0} {text/plain|app} "GET /ok?id=basic-get HTTP/1.1"`},
	// https_httpslog.log
	{"https", `<134>Nov 21 07:35:50 haproxy[3495]: 127.0.0.1:44524 [21/Nov/2026:07:35:50.931] fe_tls~ be_app/app1 0/0/1/0/1 200 90 - - ---- 1/1/0/0/0 0/0 {corpus.test} "GET /ok?id=tls-ok HTTP/1.1" 0/0000000000000000/0/0/0 corpus.test/TLSv1.3/TLS_AES_256_GCM_SHA384`},
	// tcp_tcplog.log
	{"tcp", `<134>Nov 21 07:35:52 haproxy[3509]: 127.0.0.1:59704 [21/Nov/2026:07:35:52.325] fe_tcp be_tcp/t1 1/0/0 11 -- 3/1/0/0/0 0/0`},
	// hc_l4_refused.log: a failed health check.
	{"event", `<133>Nov 21 07:35:59 haproxy[3588]: Health check for server be_hc_refused/s1 failed, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms, status: 0/2 DOWN.`},
	// hc_l4_refused.log: the server going DOWN.
	{"event_down", `<129>Nov 21 07:35:59 haproxy[3588]: Server be_hc_refused/s1 is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`},
	// conn_errors.log: an embryonic connection error.
	{"conn_error", `<134>Nov 21 07:35:58 haproxy[3572]: 127.0.0.1:48974 [21/Nov/2026:07:35:58.329] fe_proxy_proto/1: Received something which does not look like a PROXY protocol header`},
	// fmt_default.log: the default format's line.
	{"connect", `<134>Nov 21 07:35:53 haproxy[3536]: Connect from 127.0.0.1:46192 to 127.0.0.1:18030 (fe_default_http/HTTP)`},
}

func BenchmarkDecode(b *testing.B) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for _, bc := range benchLines {
		b.Run(bc.name, func(b *testing.B) {
			d := Decoder{Location: time.UTC}
			var e Entry
			line := []byte(bc.line)
			d.Decode(&e, line, now)
			if e.Type == LogUnknown {
				b.Fatalf("unknown: %s", e.ParseError)
			}
			b.SetBytes(int64(len(line)))
			b.ReportAllocs()
			for b.Loop() {
				d.Decode(&e, line, now)
			}
		})
	}
}

// TestDecodeNoAlloc: decoding the benchmark lines allocates nothing once the
// entry's buffers are sized.
func TestDecodeNoAlloc(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for _, loc := range []*time.Location{time.UTC, time.Local} {
		d := Decoder{Location: loc}
		for _, bc := range benchLines {
			var e Entry
			line := []byte(bc.line)
			d.Decode(&e, line, now)
			if n := testing.AllocsPerRun(100, func() { d.Decode(&e, line, now) }); n != 0 {
				t.Errorf("%s: %v allocs per line", bc.name, n)
			}
		}
	}
}
