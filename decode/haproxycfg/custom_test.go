package haproxycfg_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode/haproxycfg"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// testdata/custom was written by Debian's HAProxy 2.6 running
// fmt_custom.cfg (generate.py): frontends with key=value, JSON, TCP, sample
// fetch (+Q, +X, unique-id) formats and one inheriting its format from a
// named defaults section. Read with the reader, compiled and given to the
// decoder, every line of every framing decodes to what the clients did.
func TestCustomFormatsOfRealHAProxy(t *testing.T) {
	cfg, err := haproxycfg.ReadFile(corpus.CustomConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	if p := cfg.Proxy("fe_named"); p == nil || p.Defaults != "web_kv" || p.FormatBy != "log-format" || !strings.HasPrefix(p.Format, "from=named-defaults ") {
		t.Fatalf("fe_named: %+v", p)
	}
	formats, err := cfg.Compile()
	if err != nil {
		t.Fatal(err)
	}
	d := decode.Decoder{Location: time.UTC}
	haproxycfg.AddTo(&d, formats)
	want := corpus.CustomRequests(t)
	for _, framing := range corpus.CustomFramings {
		f, err := os.Open(filepath.Join(corpus.CustomDir(t), framing))
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]int{}
		sc := bufio.NewScanner(f)
		var e decode.Entry
		n := 0
		for sc.Scan() {
			n++
			d.Decode(&e, sc.Bytes(), time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC))
			where := framing + ":" + strconv.Itoa(n)
			if e.Type == decode.LogUnknown {
				t.Errorf("%s: unknown: %s\n%s", where, e.ParseError, sc.Text())
				continue
			}
			if e.Type == decode.LogEvent && e.Event != decode.EventConnectionError {
				continue // Proxy X stopped
			}
			client := string(e.ClientIP) + ":" + strconv.Itoa(e.ClientPort)
			for _, w := range want {
				if w.Client != client {
					continue
				}
				found[w.ID]++
				if w.Kind == "conn_error" {
					checkConnError(t, where, &e, w)
				} else {
					checkCustom(t, where, &e, w)
				}
			}
		}
		f.Close()
		for _, w := range want {
			if found[w.ID] != 1 {
				t.Errorf("%s: %s (client %s) read on %d lines, want 1", framing, w.ID, w.Client, found[w.ID])
			}
		}
	}
}

func checkCustom(t *testing.T, where string, e *decode.Entry, w corpus.CustomRequest) {
	t.Helper()
	status := decode.Unset
	if w.Expect.Status != nil {
		status = *w.Expect.Status
	}
	state := w.Expect.TerminationState
	if w.Frontend == "fe_sample" {
		state = "" // its format has no %tsc
	}
	if string(e.Frontend) != w.Frontend || e.Status != status || string(e.TermState) != state {
		t.Errorf("%s: %s: frontend %q status %d state %q, want %q %d %q", where, w.ID,
			e.Frontend, e.Status, e.TermState, w.Frontend, status, state)
	}
	wantType := decode.LogHTTP
	if w.Frontend == "fe_tcpfmt" {
		wantType = decode.LogTCP
	}
	if e.Type != wantType {
		t.Errorf("%s: %s: type %v, want %v", where, w.ID, e.Type, wantType)
	}
	sample := func(name string) string {
		for _, s := range e.Samples {
			if s.Name == name {
				return string(s.Value)
			}
		}
		return "<none>"
	}
	switch w.Frontend {
	case "fe_tls_err":
		if string(e.Method) != "GET" {
			t.Errorf("%s: %s: method %q", where, w.ID, e.Method)
		}
	case "fe_kv", "fe_json":
		if len(e.Backend) == 0 || len(e.Server) == 0 || e.BytesRead <= 0 || e.Ta == decode.Unset {
			t.Errorf("%s: %s: backend %q server %q bytes %d Ta %d", where, w.ID, e.Backend, e.Server, e.BytesRead, e.Ta)
		}
		if string(e.Method) != "GET" || !strings.Contains(string(e.URLQuery), "id="+w.ID) && w.Frontend == "fe_kv" {
			t.Errorf("%s: %s: method %q query %q", where, w.ID, e.Method, e.URLQuery)
		}
	case "fe_sample":
		if sample("var_txn_host") != "corpus.test" || !strings.HasPrefix(sample("capture_req_hdr_0"), "corpus-client/1.0") {
			t.Errorf("%s: %s: samples %+v", where, w.ID, e.Samples)
		}
		if !strings.HasPrefix(string(e.UniqueID), "7F000001:") {
			t.Errorf("%s: %s: unique id %q", where, w.ID, e.UniqueID)
		}
	case "fe_named":
		if string(e.URLPath) == "" || string(e.Method) != "GET" {
			t.Errorf("%s: %s: request %q %q", where, w.ID, e.Method, e.URLPath)
		}
	case "fe_tcpfmt":
		if e.Tw == decode.Unset || e.Ta == decode.Unset || e.BytesRead == decode.Unset || len(e.Backend) == 0 {
			t.Errorf("%s: %s: Tw %d Tt %d bytes %d backend %q", where, w.ID, e.Tw, e.Ta, e.BytesRead, e.Backend)
		}
	}
}

// checkConnError: fe_tls_err's error-log-format line for a plain HTTP
// request on its TLS port (fc_err 34, OpenSSL's 0A00009C "http request").
func checkConnError(t *testing.T, where string, e *decode.Entry, w corpus.CustomRequest) {
	t.Helper()
	if e.Type != decode.LogEvent || e.Event != decode.EventConnectionError || string(e.Frontend) != "fe_tls_err" ||
		!e.FrontendSSL || e.TLSConnErr != 34 || string(e.TLSSSLErr) != "000000000A00009C" ||
		string(e.ConnError) != "SSL handshake failure" || e.ActConn == decode.Unset || !e.RequestDateOK {
		t.Errorf("%s: %s: %v %v fe %q ssl %v fc_err %d ssl_fc_err %q error %q actconn %d date %v", where, w.ID,
			e.Type, e.Event, e.Frontend, e.FrontendSSL, e.TLSConnErr, e.TLSSSLErr, e.ConnError, e.ActConn, e.RequestDateOK)
	}
}
