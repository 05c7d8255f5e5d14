// Package grok holds the regular expression that Logstash's %{HAPROXYHTTP}
// grok pattern expands to: the baseline the benchmarks compare the decoder
// with (encode's BenchmarkGrokBaseline) and the parser of the stand-in for
// Fluent Bit's regex parser (plugin/internal/output's BenchmarkElasticsearch).
package grok

import (
	"regexp"
	"strings"
)

// patterns are the grok definitions HAPROXYHTTP uses, from
// logstash-patterns-core (patterns/ecs-v1/haproxy and grok-pattern) as ported
// to RE2 by github.com/elastic/go-grok: Oniguruma's look-arounds
// (HAPROXYTIME's (?<![0-9]) / (?![0-9]), POSINT's \b) become \b, and
// SYSLOGPROG keeps Logstash's process name and pid captures.
var patterns = map[string]string{
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

// expand expands %{NAME}, %{NAME:field} and %{NAME:field:type} the way
// grok does: named fields become named groups (dots as underscores).
func expand(pattern string, depth int) string {
	if depth > 20 {
		panic("grok pattern recursion")
	}
	return grokRef.ReplaceAllStringFunc(pattern, func(ref string) string {
		m := grokRef.FindStringSubmatch(ref)
		def, ok := patterns[m[1]]
		if !ok {
			panic("unknown grok pattern " + m[1])
		}
		inner := expand(def, depth+1)
		if m[2] == "" {
			return "(?:" + inner + ")"
		}
		name := strings.NewReplacer(".", "_", "[", "", "]", "_", "@", "", "-", "_").Replace(m[2])
		return "(?P<" + name + ">" + inner + ")"
	})
}

// HAProxyHTTP is Logstash's %{HAPROXYHTTP} expanded to a Go regexp. Its
// named groups are the grok field names with dots as underscores
// (source_address, http_response_status_code, ...); timestamp is named
// twice (one of its two alternatives matches).
func HAProxyHTTP() *regexp.Regexp {
	return regexp.MustCompile(expand("%{HAPROXYHTTP}", 0))
}
