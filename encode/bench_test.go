package encode

import (
	"bytes"
	"testing"

	jsoniter "github.com/json-iterator/go"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/grok"
)

// benchLines are three real lines of each kind from the corpus (HAProxy 2.6).
func benchLines(tb testing.TB) map[string][][]byte {
	return map[string][][]byte{
		"http": {
			corpusLine(tb, "http_basic.log", 1),         // 200, header captures
			corpusLine(tb, "http_cookies.log", 2),       // cookie capture, --VN
			corpusLine(tb, "http_server_errors.log", 9), // 504 sH--, a -1 timer
		},
		"tcp": {
			corpusLine(tb, "tcp_tcplog.log", 1), // SC, -1 timer
			corpusLine(tb, "tcp_tcplog.log", 2), // --
			corpusLine(tb, "tcp_tcplog.log", 3), // SD
		},
		"event": {
			corpusLine(tb, "hc_l4_timeout.log", 2), // Health check ... failed
			corpusLine(tb, "hc_l4_timeout.log", 3), // Server ... is DOWN
			corpusLine(tb, "hc_l7.log", 3),         // backend ... has no server available!
		},
	}
}

func avgLen(lines [][]byte) int64 {
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	return int64(n / len(lines))
}

func BenchmarkDecode(b *testing.B) {
	all := benchLines(b)
	for _, kind := range []string{"http", "tcp", "event"} {
		lines := all[kind]
		b.Run(kind, func(b *testing.B) {
			d := decode.Decoder{}
			var e decode.Entry
			b.SetBytes(avgLen(lines))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				d.Decode(&e, lines[i%len(lines)], testNow)
			}
		})
	}
}

func BenchmarkDecodeEncode(b *testing.B) {
	all := benchLines(b)
	for _, kind := range []string{"http", "tcp", "event"} {
		lines := all[kind]
		b.Run(kind, func(b *testing.B) {
			d := decode.Decoder{}
			enc := New(Options{KeepMessage: true})
			s := jsoniter.NewStream(jsoniter.ConfigDefault, nil, 8192)
			var e decode.Entry
			b.SetBytes(avgLen(lines))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				decodeExplain(&d, &e, lines[i%len(lines)], testNow)
				s.SetBuffer(s.Buffer()[:0])
				enc.Encode(s, &e, testNow, nil)
			}
		})
	}
}

// BenchmarkGrokBaseline matches the HTTP lines with the regular expression
// Logstash's %{HAPROXYHTTP} grok pattern expands to, with Go's regexp and
// FindSubmatchIndex, as a baseline for the decoder. HAPROXYHTTP requires a
// syslog hostname after the timestamp (HAProxy's log-send-hostname, or a
// relay adding it), so the baseline lines are the real lines with "lb1 "
// inserted; the decode sub-benchmarks run on the very same lines.
func BenchmarkGrokBaseline(b *testing.B) {
	lines := withHostname(benchLines(b)["http"])
	re := grok.HAProxyHTTP()
	b.Run("grok", func(b *testing.B) {
		b.SetBytes(avgLen(lines))
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if re.FindSubmatchIndex(lines[i%len(lines)]) == nil {
				b.Fatal("no match")
			}
		}
	})
	b.Run("decode", func(b *testing.B) {
		d := decode.Decoder{}
		var e decode.Entry
		b.SetBytes(avgLen(lines))
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			d.Decode(&e, lines[i%len(lines)], testNow)
		}
	})
	b.Run("decode+encode", func(b *testing.B) {
		d := decode.Decoder{}
		enc := New(Options{KeepMessage: true})
		s := jsoniter.NewStream(jsoniter.ConfigDefault, nil, 8192)
		var e decode.Entry
		b.SetBytes(avgLen(lines))
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			decodeExplain(&d, &e, lines[i%len(lines)], testNow)
			s.SetBuffer(s.Buffer()[:0])
			enc.Encode(s, &e, testNow, nil)
		}
	})
}

// withHostname inserts "lb1 " after the RFC3164 timestamp ("<134>Nov 21 07:35:32 ").
func withHostname(lines [][]byte) [][]byte {
	out := make([][]byte, len(lines))
	for i, l := range lines {
		cut := bytes.IndexByte(l, '>') + 1 + len("Nov 21 07:35:32 ")
		out[i] = append(append(append([]byte(nil), l[:cut]...), "lb1 "...), l[cut:]...)
	}
	return out
}

// TestGrokBaselineMatches: the baseline really parses the lines it is timed on.
func TestGrokBaselineMatches(t *testing.T) {
	re := grok.HAProxyHTTP()
	wantStatus := []string{"200", "200", "504"}
	for i, line := range withHostname(benchLines(t)["http"]) {
		m := re.FindSubmatch(line)
		if m == nil {
			t.Fatalf("no match: %s", line)
		}
		got := map[string]string{}
		for j, name := range re.SubexpNames() {
			if name != "" && m[j] != nil {
				got[name] = string(m[j])
			}
		}
		if got["http_response_status_code"] != wantStatus[i] || got["host_hostname"] != "lb1" ||
			got["source_address"] != "127.0.0.1" || got["http_request_method"] != "GET" {
			t.Errorf("grok fields for %s: %v", line, got)
		}
	}
}
