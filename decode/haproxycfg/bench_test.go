package haproxycfg_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode/haproxycfg"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// What HAProxy_Config costs per httplog line of the corpus (http_basic):
// none when every frontend has a built-in format (nothing is added to the
// decoder), the compiled httplog scanner once one frontend has a custom
// format (the built-in ones are then added too).
func BenchmarkHAProxyConfig(b *testing.B) {
	var lines [][]byte
	for _, l := range corpus.ReadLines(b, corpus.Dir(b)+"/http_basic.log") {
		if strings.Contains(l, " fe_basic be_") { // its traffic lines, not the proxy events
			lines = append(lines, []byte(l))
		}
	}
	for _, bc := range []struct{ name, cfg string }{
		{"none", ""},
		{"builtin-only", "defaults\n  mode http\n  option httplog\nfrontend fe_basic\n"},
		{"with-a-custom-frontend", "defaults\n  mode http\n  option httplog\nfrontend fe_basic\nfrontend fe_kv\n  log-format \"client=%ci:%cp fe=%ft st=%ST ts=%tsc %{+Q}r\"\n"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			d := decode.Decoder{Location: time.UTC}
			if bc.cfg != "" {
				cfg, err := haproxycfg.Parse("bench.cfg", strings.NewReader(bc.cfg), nil)
				if err != nil {
					b.Fatal(err)
				}
				formats, err := cfg.Compile()
				if err != nil {
					b.Fatal(err)
				}
				haproxycfg.AddTo(&d, formats)
			}
			var e decode.Entry
			now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
			for _, l := range lines {
				if d.Decode(&e, l, now); e.Type != decode.LogHTTP {
					b.Fatalf("%s: %v %s", l, e.Type, e.ParseError)
				}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				d.Decode(&e, lines[i%len(lines)], now)
				i++
			}
		})
	}
}
