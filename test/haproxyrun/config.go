package haproxyrun

import (
	"fmt"
	"strings"
)

// Proxy and server names used in the config (and therefore in the logs).
const (
	feHTTP    = "fe_http"
	feTCP     = "fe_tcp"
	feKV      = "fe_kv"   // a key=value log-format
	feJSON    = "fe_json" // a JSON log-format, from the named defaults json_fmt
	dfJSON    = "json_fmt"
	beApp     = "be_app"
	beRefused = "be_refused"
	beClose   = "be_close"
	beX       = "be_x" // health-checked
	beTCP     = "be_tcp"
	srvApp    = "app1"
	srvDead   = "dead1"
	srvClose  = "close1"
	srvX      = "s1"
	srvEcho   = "echo1"
)

// proxyNames lists every proxy that logs "Proxy X stopped" on soft stop,
// in config order; <HTTPCLIENT> is HAProxy's internal proxy.
var proxyNames = []string{feHTTP, beApp, beRefused, beClose, beX, feTCP, beTCP, feKV, feJSON, "<HTTPCLIENT>"}

type cfgPorts struct {
	syslog  int
	feHTTP  int
	feTCP   int
	feKV    int
	feJSON  int
	app     int
	refused int
	close   int
	health  int
	echo    int
}

// The frontends' listening sockets are created by Run and inherited by
// HAProxy as fds 3 and 4 (exec.Cmd.ExtraFiles), so no other process can take
// their ports between "find a free port" and HAProxy's bind.
const (
	feHTTPFd = 3
	feTCPFd  = 4
	feKVFd   = 5
	feJSONFd = 6
)

func configPorts(syslog, feHTTP, feTCP, feKV, feJSON int, b *backends) cfgPorts {
	return cfgPorts{
		syslog:  syslog,
		feHTTP:  feHTTP,
		feTCP:   feTCP,
		feKV:    feKV,
		feJSON:  feJSON,
		app:     portOf(b.httpLn),
		refused: b.refused.port,
		close:   portOf(b.closeLn),
		health:  b.health.port,
		echo:    portOf(b.echoLn),
	}
}

func renderConfig(p cfgPorts) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("# written by github.com/fluent-bit-haproxy/fluent-bit-haproxy/test/haproxyrun")
	w("global")
	w("    log 127.0.0.1:%d local0", p.syslog)
	w("    nbthread 1")
	w("    hard-stop-after 3s")
	w("")
	w("defaults")
	w("    mode http")
	w("    log global")
	w("    option httplog")
	w("    timeout connect 500ms")
	w("    timeout client 2s")
	w("    timeout server 1s")
	w("    timeout http-request 1s")
	w("    retries 0")
	w("")
	w("frontend %s", feHTTP)
	w("    bind fd@%d  # 127.0.0.1:%d, bound by haproxyrun", feHTTPFd, p.feHTTP)
	w("    http-request deny if { path_beg /deny }")
	w("    use_backend %s if { path_beg /refused }", beRefused)
	w("    use_backend %s if { path_beg /close }", beClose)
	w("    use_backend %s if { path_beg /hc }", beX)
	w("    default_backend %s", beApp)
	w("")
	w("backend %s", beApp)
	w("    server %s 127.0.0.1:%d", srvApp, p.app)
	w("")
	w("backend %s", beRefused)
	w("    server %s 127.0.0.1:%d", srvDead, p.refused)
	w("")
	w("backend %s", beClose)
	w("    server %s 127.0.0.1:%d", srvClose, p.close)
	w("")
	w("backend %s", beX)
	w("    option log-health-checks")
	w("    server %s 127.0.0.1:%d check inter 200 fall 2 rise 2", srvX, p.health)
	w("")
	w("frontend %s", feTCP)
	w("    mode tcp")
	w("    option tcplog")
	w("    bind fd@%d  # 127.0.0.1:%d, bound by haproxyrun", feTCPFd, p.feTCP)
	w("    default_backend %s", beTCP)
	w("")
	w("backend %s", beTCP)
	w("    mode tcp")
	w("    server %s 127.0.0.1:%d", srvEcho, p.echo)
	w("")
	// Custom log-formats (the decoder reads them from this file through
	// HAProxy_Config): key=value with a sample fetch and flags, and JSON
	// inherited from a named defaults section (declared last: a proxy after
	// it without "from" would use it implicitly, which HAProxy alerts about).
	w("frontend %s", feKV)
	w("    bind fd@%d  # 127.0.0.1:%d, bound by haproxyrun", feKVFd, p.feKV)
	w("    http-request set-var(txn.host) req.hdr(host)")
	w("    log-format \"client=%%ci:%%cp date=[%%tr] fe=%%ft be=%%b srv=%%s t=%%TR/%%Tw/%%Tc/%%Tr/%%Ta st=%%ST bytes=%%B ts=%%tsc host=%%{+Q}[var(txn.host)] %%{+Q}r\"")
	w("    use_backend %s if { path_beg /refused }", beRefused)
	w("    default_backend %s", beApp)
	w("")
	w("defaults %s", dfJSON)
	w("    mode http")
	w("    log global")
	w("    timeout connect 500ms")
	w("    timeout client 2s")
	w("    timeout server 1s")
	w("    log-format '{\"client\":\"%%ci\",\"port\":%%cp,\"date\":\"%%tr\",\"frontend\":\"%%ft\",\"backend\":\"%%b\",\"server\":\"%%s\",\"TR\":%%TR,\"Tw\":%%Tw,\"Tc\":%%Tc,\"Tr\":%%Tr,\"Ta\":%%Ta,\"status\":%%ST,\"bytes\":%%B,\"term\":\"%%tsc\",\"method\":\"%%HM\",\"uri\":\"%%HU\"}'")
	w("")
	w("frontend %s from %s", feJSON, dfJSON)
	w("    bind fd@%d  # 127.0.0.1:%d, bound by haproxyrun", feJSONFd, p.feJSON)
	w("    use_backend %s if { path_beg /refused }", beRefused)
	w("    default_backend %s", beApp)
	return b.String()
}
