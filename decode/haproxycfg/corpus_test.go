package haproxycfg_test

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode/haproxycfg"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// The corpus's configurations are what a real HAProxy 2.6 ran with: every
// traffic line it wrote must have the log type the reader says its
// frontend logs with.
func TestCorpusConfigs(t *testing.T) {
	want := map[string]decode.LogType{
		"option httplog": decode.LogHTTP, "option httpslog": decode.LogHTTPS,
		"option tcplog": decode.LogTCP, "option httplog clf": decode.LogCLF,
	}
	d := decode.Decoder{Location: time.UTC}
	var e decode.Entry
	checked := 0
	for _, cfgFile := range corpus.Files(t, "*.cfg") {
		cfg, err := haproxycfg.ReadFile(cfgFile)
		if err != nil {
			t.Fatal(err)
		}
		if len(cfg.Warnings) != 0 {
			t.Errorf("%s: warnings %v", cfgFile, cfg.Warnings)
		}
		logFile := strings.TrimSuffix(strings.TrimSuffix(cfgFile, ".cfg"), "-gen2") + ".raw.log"
		f, err := os.Open(logFile)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			d.Decode(&e, sc.Bytes(), time.Time{})
			p := cfg.Proxy(string(e.Frontend))
			if p == nil || !e.IsTraffic() && e.Event != decode.EventConnect {
				continue
			}
			checked++
			if e.Event == decode.EventConnect {
				if p.Format != "" {
					t.Errorf("%s: %s logs with %s, yet wrote %q", logFile, p.Name, p.FormatBy, sc.Text())
				}
				continue
			}
			if e.Type != want[p.FormatBy] {
				t.Errorf("%s: %s logs with %q, yet wrote a %v line: %q", logFile, p.Name, p.FormatBy, e.Type, sc.Text())
			}
		}
		f.Close()
	}
	if checked < 130 { // 135 in the corpus of 2.6
		t.Errorf("only %d lines checked", checked)
	}
}
