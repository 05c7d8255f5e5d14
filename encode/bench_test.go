package encode

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	jsoniter "github.com/json-iterator/go"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
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
	re := grokHAProxyHTTP()
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

// grokPatterns are the grok definitions HAPROXYHTTP uses, from
// logstash-patterns-core (patterns/ecs-v1/haproxy and grok-pattern) as ported
// to RE2 by github.com/elastic/go-grok: Oniguruma's look-arounds
// (HAPROXYTIME's (?<![0-9]) / (?![0-9]), POSINT's \b) become \b, and
// SYSLOGPROG keeps Logstash's process name and pid captures.
var grokPatterns = map[string]string{
	"HAPROXYHTTP":                    `(?:%{SYSLOGTIMESTAMP:timestamp}|%{TIMESTAMP_ISO8601:timestamp}) %{IPORHOST:host.hostname} %{SYSLOGPROG}: %{HAPROXYHTTPBASE}`,
	"HAPROXYHTTPBASE":                `%{IP:source.address}:%{INT:source.port:int} \[%{HAPROXYDATE:haproxy.request_date}\] %{NOTSPACE:haproxy.frontend_name} %{NOTSPACE:haproxy.backend_name}/(?:<NOSRV>|%{NOTSPACE:haproxy.server_name}) (?:-1|%{INT:haproxy.http.request.time_wait_ms:int})/(?:-1|%{INT:haproxy.total_waiting_time_ms:int})/(?:-1|%{INT:haproxy.connection_wait_time_ms:int})/(?:-1|%{INT:haproxy.http.request.time_wait_without_data_ms:int})/%{NOTSPACE:haproxy.total_time_ms} %{INT:http.response.status_code:int} %{INT:source.bytes:long} (?:-|%{DATA:haproxy.http.request.captured_cookie}) (?:-|%{DATA:haproxy.http.response.captured_cookie}) %{NOTSPACE:haproxy.termination_state} %{INT:haproxy.connections.active:int}/%{INT:haproxy.connections.frontend:int}/%{INT:haproxy.connections.backend:int}/%{INT:haproxy.connections.server:int}/%{INT:haproxy.connections.retries:int} %{INT:haproxy.server_queue:int}/%{INT:haproxy.backend_queue:int}(?: \{%{HAPROXYCAPTUREDREQUESTHEADERS}\}(?: \{%{HAPROXYCAPTUREDRESPONSEHEADERS}\})?)?(?: "%{HAPROXYHTTPREQUESTLINE}"?)?`,
	"HAPROXYHTTPREQUESTLINE":         `(?:<BADREQ>|(?:%{WORD:http.request.method} %{HAPROXYURI:url.original}(?: HTTP/%{NUMBER:http.version})?))`,
	"HAPROXYURI":                     `(?:%{URIPROTO:url.scheme}://)?(?:%{USER:url.username}(?::[^@]*)?@)?(?:%{IPORHOST:url.domain}(?::%{POSINT:url.port:int})?)?(?:%{URIPATH:url.path}(?:\?%{URIQUERY:url.query})?)?`,
	"HAPROXYCAPTUREDREQUESTHEADERS":  `(?:-|%{DATA:haproxy.http.request.captured_headers})`,
	"HAPROXYCAPTUREDRESPONSEHEADERS": `(?:-|%{DATA:haproxy.http.response.captured_headers})`,
	"HAPROXYDATE":                    `%{MONTHDAY}/%{MONTH}/%{YEAR}:%{HAPROXYTIME}.%{INT}`,
	"HAPROXYTIME":                    `\b%{HOUR}:%{MINUTE}(?::%{SECOND})\b`,
	"SYSLOGTIMESTAMP":                `%{MONTH} +%{MONTHDAY} %{TIME}`,
	"SYSLOGPROG":                     `%{PROG:process.name}(?:\[%{POSINT:process.pid:int}\])?`,
	"PROG":                           `[\x21-\x5a\x5c\x5e-\x7e]+`,
	"TIMESTAMP_ISO8601":              `%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?`,
	"ISO8601_TIMEZONE":               `(?:Z|[+-]%{HOUR}(?::?%{MINUTE}))`,
	"TIME":                           `%{HOUR}:%{MINUTE}(?::%{SECOND})`,
	"MONTH":                          `\b(?:[Jj]an(?:uary|uar)?|[Ff]eb(?:ruary|ruar)?|[Mm](?:a|ä)?r(?:ch|z)?|[Aa]pr(?:il)?|[Mm]a(?:y|i)?|[Jj]un(?:e|i)?|[Jj]ul(?:y|i)?|[Aa]ug(?:ust)?|[Ss]ep(?:tember)?|[Oo](?:c|k)?t(?:ober)?|[Nn]ov(?:ember)?|[Dd]e(?:c|z)(?:ember)?)\b`,
	"MONTHNUM":                       `(?:0?[1-9]|1[0-2])`,
	"MONTHDAY":                       `(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])`,
	"YEAR":                           `(?:\d\d){1,2}`,
	"HOUR":                           `(?:2[0123]|[01]?[0-9])`,
	"MINUTE":                         `(?:[0-5][0-9])`,
	"SECOND":                         `(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)`,
	"IPORHOST":                       `(?:%{IP}|%{HOSTNAME})`,
	"HOSTNAME":                       `\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*(?:\.?|\b)`,
	"IP":                             `(?:%{IPV6}|%{IPV4})`,
	"IPV4":                           `(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)`,
	"IPV6":                           `(?:(?:(?:[0-9A-Fa-f]{1,4}:){7}(?:[0-9A-Fa-f]{1,4}|:))|(?:(?:[0-9A-Fa-f]{1,4}:){6}(?::[0-9A-Fa-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(?:(?:[0-9A-Fa-f]{1,4}:){5}(?:(?:(?::[0-9A-Fa-f]{1,4}){1,2})|:(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(?:(?:[0-9A-Fa-f]{1,4}:){4}(?:(?:(?::[0-9A-Fa-f]{1,4}){1,3})|(?:(?::[0-9A-Fa-f]{1,4})?:(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(?:(?:[0-9A-Fa-f]{1,4}:){3}(?:(?:(?::[0-9A-Fa-f]{1,4}){1,4})|(?:(?::[0-9A-Fa-f]{1,4}){0,2}:(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(?:(?:[0-9A-Fa-f]{1,4}:){2}(?:(?:(?::[0-9A-Fa-f]{1,4}){1,5})|(?:(?::[0-9A-Fa-f]{1,4}){0,3}:(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(?:(?:[0-9A-Fa-f]{1,4}:){1}(?:(?:(?::[0-9A-Fa-f]{1,4}){1,6})|(?:(?::[0-9A-Fa-f]{1,4}){0,4}:(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(?::(?:(?:(?::[0-9A-Fa-f]{1,4}){1,7})|(?:(?::[0-9A-Fa-f]{1,4}){0,5}:(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))(?:%.+)?`,
	"URIPROTO":                       `[A-Za-z](?:[A-Za-z0-9+\-.]+)+`,
	"USER":                           `[a-zA-Z0-9._-]+`,
	"POSINT":                         `\b(?:[1-9][0-9]*)\b`,
	"URIPATH":                        `(?:/[A-Za-z0-9$.+!*'(){},~:;=@#%&_\-]*)+`,
	"URIQUERY":                       `[A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\-\[\]<>]*`,
	"WORD":                           `\b\w+\b`,
	"NOTSPACE":                       `\S+`,
	"DATA":                           `.*?`,
	"INT":                            `(?:[+-]?(?:[0-9]+))`,
	"NUMBER":                         `(?:[+-]?(?:(?:[0-9]+(?:\.[0-9]+)?)|(?:\.[0-9]+)))`,
}

var grokRef = regexp.MustCompile(`%\{(\w+)(?::([\w.\[\]@-]+))?(?::\w+)?\}`)

// grokExpand expands %{NAME}, %{NAME:field} and %{NAME:field:type} the way
// grok does: named fields become named groups (dots as underscores).
func grokExpand(pattern string, depth int) string {
	if depth > 20 {
		panic("grok pattern recursion")
	}
	return grokRef.ReplaceAllStringFunc(pattern, func(ref string) string {
		m := grokRef.FindStringSubmatch(ref)
		def, ok := grokPatterns[m[1]]
		if !ok {
			panic("unknown grok pattern " + m[1])
		}
		inner := grokExpand(def, depth+1)
		if m[2] == "" {
			return "(?:" + inner + ")"
		}
		name := strings.NewReplacer(".", "_", "[", "", "]", "_", "@", "", "-", "_").Replace(m[2])
		return "(?P<" + name + ">" + inner + ")"
	})
}

func grokHAProxyHTTP() *regexp.Regexp {
	return regexp.MustCompile(grokExpand("%{HAPROXYHTTP}", 0))
}

// TestGrokBaselineMatches: the baseline really parses the lines it is timed on.
func TestGrokBaselineMatches(t *testing.T) {
	re := grokHAProxyHTTP()
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
