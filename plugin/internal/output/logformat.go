package output

import (
	"os"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode/haproxycfg"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/config"
)

// LogFormatKeys are the keys of pasted log-formats: Fluent Bit gives a Go
// output one value per key, so a second format takes the next key.
var LogFormatKeys = []string{"Log_Format", "Log_Format_2", "Log_Format_3", "Log_Format_4"}

// LogFormats are the pasted formats, compiled, one per key (nil when unset).
type LogFormats [4]*decode.LogFormat

func logFormatOptions(fs *LogFormats) []config.Option {
	opts := make([]config.Option, len(LogFormatKeys))
	for i, key := range LogFormatKeys {
		f := &fs[i]
		o := config.Func(key, func() { *f = nil }, func(v string) string {
			lf, err := haproxycfg.PastedLogFormat(v, os.LookupEnv)
			if err != nil {
				return err.Error()
			}
			*f = lf
			return ""
		}, func() string {
			if *f == nil {
				return ""
			}
			return (*f).String()
		})
		if i == 0 {
			o = o.Doc("an HAProxy `log-format` string, pasted as haproxy.cfg has it after `log-format` (read with the same quoting, escapes and `${VAR}` as the file; a text of several words is taken as the format itself): lines of any frontend are decoded with it, before the built-in formats; " +
				"a string that does not compile stops the start with the column and the reason").ES("ours")
		} else {
			o = o.Doc("another format, tried after `" + LogFormatKeys[i-1] + "`").ES("ours")
		}
		opts[i] = o
	}
	return opts
}

// apply gives d the pasted formats, for any frontend.
func (fs *LogFormats) apply(d *decode.Decoder) {
	for _, f := range fs {
		if f != nil {
			d.AddLogFormat("", f)
		}
	}
}
