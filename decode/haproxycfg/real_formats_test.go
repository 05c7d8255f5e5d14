package haproxycfg

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// Production formats as their projects ship them, each behind a frontend
// of a real HAProxy: the line it writes for a request must decode, with
// the format read from haproxy.cfg and pasted, to what the request was.
var realFormats = []struct {
	name, format string
	want         string // Entry fields, "Name=value" separated by " ¦ ", with %C for the client port
}{
	// haproxytech/kubernetes-ingress's default log-format.
	{"k8s_ingress", `'%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs "%HM %[var(txn.base)] %HV"'`,
		`ClientIP=127.0.0.1 ¦ ClientPort=%C ¦ Frontend=k8s_ingress ¦ Backend=be_app ¦ Server=app1 ¦ Status=201 ¦ TermState=---- ¦ ReqHeaders=app.test|Mozilla/5.0 (X11; Linux) "quoted" ¦ Method=POST ¦ HTTPVersion=1.1 ¦ Samples=var_txn_base=app.test/api/items ¦ Type=http ¦ Unreached=`},
	// The OpenShift router's documented httpLogFormat example.
	{"openshift", `"%ci:%cp [%t] %ft %b/%s %B %bq %HM %HU %HV"`,
		`ClientIP=127.0.0.1 ¦ ClientPort=%C ¦ Frontend=openshift ¦ Backend=be_app ¦ Server=app1 ¦ Method=POST ¦ URL=/api/items?x=%221 ¦ URLPath=/api/items ¦ URLQuery=x=%221 ¦ HTTPVersion=1.1 ¦ Status=-1 ¦ Unreached= ¦ Outcome=`},
	// The request line between literal quotes after other fields.
	{"quoted_r", `"%ci:%cp [%tr] %ft %b/%s %ST %B %Ta \"%r\""`,
		`ClientIP=127.0.0.1 ¦ Frontend=quoted_r ¦ Status=201 ¦ URLPath=/api/items ¦ URLQuery=x=%221 ¦ Method=POST ¦ Unreached= ¦ Outcome=success`},
	// key="value" pairs.
	{"kv", `"client=%ci:%cp fe=%ft be=%b srv=%s status=%ST bytes=%B t=%Ta ts=%tsc host=\"%[capture.req.hdr(0)]\" ua=\"%[capture.req.hdr(1)]\" req=\"%r\""`,
		`ClientIP=127.0.0.1 ¦ Frontend=kv ¦ Server=app1 ¦ Status=201 ¦ TermState=---- ¦ Samples=capture_req_hdr_0=app.test,capture_req_hdr_1=Mozilla/5.0 (X11; Linux) "quoted" ¦ URLPath=/api/items`},
	// A JSON object written by hand, as most sites log JSON before 3.0.
	{"json", `'{"time":"%t","client":"%ci","port":%cp,"frontend":"%f","backend":"%b","server":"%s","status":%ST,"bytes":%B,"tr":%Tr,"ta":%Ta,"term":"%tsc","method":"%HM","uri":"%HU","host":"%[capture.req.hdr(0)]","ua":"%[capture.req.hdr(1),json(utf8s)]","id":"%ID"}'`,
		`ClientIP=127.0.0.1 ¦ ClientPort=%C ¦ Frontend=json ¦ Backend=be_app ¦ Server=app1 ¦ Status=201 ¦ TermState=---- ¦ Method=POST ¦ URLPath=/api/items ¦ Samples=capture_req_hdr_0=app.test,capture_req_hdr_1_json_utf8s=Mozilla/5.0 (X11; Linux) "quoted" ¦ UniqueID= ¦ Unreached=`},
	// configuration.txt 8.2.6's example.
	{"manual", `%{+Q}o\ %t\ %s\ %{-Q}r`, `Server=app1 ¦ Method=POST ¦ URLPath=/api/items`},
}

func TestRealFormatsDecode(t *testing.T) {
	bin := haproxyBin(t)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, "created\n")
	}))
	defer app.Close()
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "global\n    log stdout format raw local0\n    nbthread 1\n"+
		"defaults\n    mode http\n    log global\n    timeout connect 1s\n    timeout client 2s\n    timeout server 2s\n"+
		"backend be_app\n    server app1 %s\n", strings.TrimPrefix(app.URL, "http://"))
	files, addrs := listeners(t, len(realFormats))
	for i, f := range realFormats {
		fmt.Fprintf(&cfg, "frontend %s\n    bind fd@%d\n    log-format %s\n"+
			"    http-request capture req.hdr(host) len 64\n    http-request capture req.hdr(user-agent) len 64\n"+
			"    http-request set-var(txn.base) base\n    default_backend be_app\n", f.name, 3+i, f.format)
	}
	path := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	parsed, err := ReadFiles([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	formats, err := parsed.Compile()
	if err != nil {
		t.Fatal(err)
	}
	var fromFile decode.Decoder
	fromFile.Location = time.Local
	AddTo(&fromFile, formats)

	lines, stderr := startHAProxy(t, bin, path, files)
	for i, f := range realFormats {
		c, err := net.DialTimeout("tcp4", addrs[i], 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		port := strconv.Itoa(c.LocalAddr().(*net.TCPAddr).Port)
		io.WriteString(c, "POST /api/items?x=%221 HTTP/1.1\r\nHost: app.test\r\nUser-Agent: Mozilla/5.0 (X11; Linux) \"quoted\"\r\n"+
			"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
		io.ReadAll(c)
		c.Close()
		line := nextLine(t, lines, f.name, stderr)
		want := strings.ReplaceAll(f.want, "%C", port)
		checkReal(t, f.name+" (haproxy.cfg)", &fromFile, line, want)
		pasted, err := PastedLogFormat(f.format, nil)
		if err != nil {
			t.Errorf("%s pasted: %v", f.name, err)
			continue
		}
		d := decode.Decoder{Location: time.Local}
		d.AddLogFormat("", pasted)
		checkReal(t, f.name+" (pasted)", &d, line, want)
		// The less tidy requests: no Host nor User-Agent (empty captures), a
		// raw '"' in the path, and one cut before its end (<BADREQ>, CR).
		for k, req := range []string{"GET /a\"b HTTP/1.0\r\n\r\n", "GET /cut"} {
			c, err := net.DialTimeout("tcp4", addrs[i], 2*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			c.SetDeadline(time.Now().Add(5 * time.Second))
			io.WriteString(c, req)
			if k == 1 {
				c.(*net.TCPConn).CloseWrite()
			}
			io.ReadAll(c)
			c.Close()
			line := nextLine(t, lines, f.name, stderr)
			var e decode.Entry
			fromFile.Decode(&e, []byte(line), time.Now())
			if e.Type == decode.LogUnknown {
				t.Errorf("%s: %q: unknown: %s\n%s", f.name, req, e.ParseError, line)
			}
			new(decode.Explainer).Explain(&e)
			checkUntidy(t, f.name, f.format, k, &e, line)
		}
	}
}

// checkReal decodes and explains line with d and compares the "Name=value"
// pairs of want.
func checkReal(t *testing.T, label string, d *decode.Decoder, line, want string) {
	t.Helper()
	var e decode.Entry
	d.Decode(&e, []byte(line), time.Now())
	new(decode.Explainer).Explain(&e)
	if e.Type == decode.LogUnknown {
		t.Errorf("%s: unknown: %s\n%s", label, e.ParseError, line)
		return
	}
	for _, pair := range strings.Split(want, " ¦ ") {
		name, value, _ := strings.Cut(pair, "=")
		if got := realField(&e, name); got != value {
			t.Errorf("%s: %s = %q, want %q\n%s", label, name, got, value, line)
		}
	}
}

// realField is the named Entry field as text (samples as name=value,
// comma-separated).
func realField(e *decode.Entry, name string) string {
	v := reflect.ValueOf(e).Elem().FieldByName(name)
	if !v.IsValid() {
		return "<no field " + name + ">"
	}
	switch x := v.Interface().(type) {
	case []byte:
		return string(x)
	case [][]byte:
		return string(bytes.Join(x, []byte("|")))
	case []decode.Sample:
		var parts []string
		for _, s := range x {
			parts = append(parts, s.Name+"="+string(s.Value))
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v.Interface())
}

// checkUntidy checks the lines of the less tidy requests: the path with its
// '"' (HAProxy writes #22 in the request line, nothing in a sample), and
// the cut request: no method nor URL, "request" never reached only when
// the format logs %TR, 400 when it logs %ST.
func checkUntidy(t *testing.T, name, format string, k int, e *decode.Entry, line string) {
	t.Helper()
	got := func(field, value string) {
		if v := realField(e, field); v != value {
			t.Errorf("%s: %s = %q, want %q\n%s", name, field, v, value, line)
		}
	}
	switch {
	case k == 0 && strings.Contains(format, "%[var(txn.base)]"):
		got("Samples", `var_txn_base=/a"b`)
	case k == 0:
		got("URLPath", `/a"b`)
		got("Method", "GET")
	default:
		got("Method", "")
		got("URL", "")
		got("URLPath", "")
		unreached := ""
		if strings.Contains(format, "%TR") {
			unreached = "request"
		}
		got("Unreached", unreached)
		if strings.Contains(format, "%ST") {
			got("Status", "400")
			got("Outcome", "failure")
		}
	}
}
