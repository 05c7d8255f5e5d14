package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode/haproxycfg"
)

// logFormatFlag is -log-format, repeatable: each value is compiled as it is
// read, so that a bad format stops the command with its column.
type logFormatFlag []*decode.LogFormat

func (l *logFormatFlag) String() string {
	var s []string
	for _, f := range *l {
		s = append(s, f.String())
	}
	return strings.Join(s, " | ")
}

func (l *logFormatFlag) Set(v string) error {
	f, err := haproxycfg.PastedLogFormat(v, os.LookupEnv)
	if err != nil {
		return err
	}
	*l = append(*l, f)
	return nil
}

// formatFlags are the flags that say which log-formats HAProxy wrote:
// -haproxy-config and -log-format, shared by decoding and "report".
type formatFlags struct {
	configs []string
	pasted  logFormatFlag
}

func addFormatFlags(fs *flag.FlagSet) *formatFlags {
	f := &formatFlags{}
	fs.Func("haproxy-config", "HAProxy's configuration, a file or a directory (repeatable, as haproxy -f): each frontend's lines are decoded with its log-format",
		func(v string) error { f.configs = append(f.configs, v); return nil })
	fs.Var(&f.pasted, "log-format", "an HAProxy log-format string (repeatable): lines of any frontend are decoded with it")
	return f
}

// apply gives dec the formats; an unreadable configuration is reported
// on stderr, prefixed with cmd, and apply returns false.
func (f *formatFlags) apply(dec *decode.Decoder, cmd string, stderr io.Writer) bool {
	if len(f.configs) > 0 {
		if err := readHAProxyConfig(dec, f.configs, stderr); err != nil {
			fmt.Fprintf(stderr, "%s: -haproxy-config: %v\n", cmd, err)
			return false
		}
	}
	for _, lf := range f.pasted {
		dec.AddLogFormat("", lf)
	}
	return true
}

const formatUsage = `  -haproxy-config FILE      HAProxy's configuration (a file, or a directory of
                            *.cfg; repeatable, as haproxy -f): each frontend's
                            lines are decoded with its own log-format or
                            option httplog/tcplog/...
  -log-format FMT           an HAProxy log-format string, as haproxy.cfg has it
                            (quoted, "\\ "-escaped or bare); repeatable: lines of
                            any frontend are decoded with it, before the
                            built-in formats
`
