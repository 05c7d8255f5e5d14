package output

import (
	"os"
	"strconv"
	"strings"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode/haproxycfg"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/config"
)

// HAProxyConfig is what HAProxy_Config read: HAProxy's own configuration,
// whose frontends' log-formats decode their lines.
type HAProxyConfig struct {
	Path     string
	Config   *haproxycfg.Config          // nil when HAProxy_Config is unset
	Formats  []haproxycfg.FrontendFormat // compiled, for the decoder
	Warnings []haproxycfg.Warning        // HAProxy's own warnings that change what it logs
}

func haproxyConfigOption(h *HAProxyConfig) config.Option {
	return config.Func("HAProxy_Config", func() { *h = HAProxyConfig{} }, h.read, h.show).
		Doc("HAProxy's configuration: a file, a directory of `*.cfg`, or a comma list of them read in order as `haproxy -f A -f B` does; each frontend's lines are decoded with its own `log-format` or `option httplog`/`tcplog`/...; " +
			"a file that cannot be read, a line HAProxy would refuse " +
			"or a format that does not compile stops the start with the file, line and reason")
}

func (h *HAProxyConfig) read(path string) string {
	var paths []string
	for _, p := range strings.Split(path, ",") {
		if p = strings.TrimSpace(p); p != "" {
			paths = append(paths, p)
		}
	}
	cfg, err := haproxycfg.ReadFiles(paths, os.LookupEnv)
	if err != nil {
		return err.Error()
	}
	formats, err := cfg.Compile()
	if err != nil {
		return err.Error()
	}
	*h = HAProxyConfig{Path: path, Config: cfg, Formats: formats, Warnings: cfg.Warnings}
	return ""
}

// show is the summary's value: the path and what it gave.
func (h *HAProxyConfig) show() string {
	if h.Config == nil {
		return ""
	}
	return h.Path + " (" + strconv.Itoa(len(h.Config.Proxies)) + " frontends, " +
		strconv.Itoa(len(h.Formats)) + " formats compiled)"
}

// apply gives d the compiled formats and logs HAProxy's warnings once.
func (h *HAProxyConfig) apply(d *decode.Decoder, log Logger) {
	haproxycfg.AddTo(d, h.Formats)
	for _, w := range h.Warnings {
		log.Warnf("HAProxy_Config: %s", w)
	}
}
