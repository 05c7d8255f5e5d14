package corpus

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The custom-format corpus, decode/haproxycfg/testdata/custom: lines Debian's
// HAProxy 2.6 wrote with the log-formats of fmt_custom.cfg (key=value,
// JSON, TCP, sample fetches with +Q/+X, one inherited from a named defaults
// section), in three framings, made by its generate.py.

// CustomFramings are its log files, one per framing.
var CustomFramings = []string{"fmt_custom.log", "fmt_custom.rfc5424.log", "fmt_custom.raw.log"}

// CustomDir is its directory.
func CustomDir(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(Root(tb), "decode", "haproxycfg", "testdata", "custom")
}

// CustomConfig is the haproxy.cfg the lines were written with.
func CustomConfig(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(CustomDir(tb), "fmt_custom.cfg")
}

// CustomRequest is one request (or failed TLS handshake) of the custom
// corpus and what its line says.
type CustomRequest struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`   // "request", or "conn_error" (fe_tls_err's error-log-format)
	Client   string `json:"client"` // "ip:port" (the +X frontend writes it in hex)
	Frontend string `json:"frontend"`
	Expect   struct {
		TerminationState string `json:"termination_state"`
		Status           *int   `json:"status"` // nil for TCP
	} `json:"expect"`
}

// CustomRequests reads fmt_custom.expect.jsonl.
func CustomRequests(tb testing.TB) []CustomRequest {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(CustomDir(tb), "fmt_custom.expect.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []CustomRequest
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var r CustomRequest
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			tb.Fatalf("fmt_custom.expect.jsonl: %v", err)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		tb.Fatal("fmt_custom.expect.jsonl is empty")
	}
	return out
}

// CustomPastedFormats are the log-formats of fmt_custom.cfg as the file
// writes them after "log-format" (quoted as they are there): what a user
// pastes into Log_Format or -log-format.
func CustomPastedFormats(tb testing.TB) []string {
	tb.Helper()
	data, err := os.ReadFile(CustomConfig(tb))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if f, ok := strings.CutPrefix(strings.TrimSpace(l), "log-format "); ok {
			out = append(out, strings.TrimSpace(f))
		}
	}
	if len(out) == 0 {
		tb.Fatal("no log-format in fmt_custom.cfg")
	}
	return out
}
