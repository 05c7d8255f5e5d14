package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// jsonLines checks that out is n JSON objects, one per line, and returns them.
func jsonLines(t *testing.T, out string, n int) []map[string]any {
	t.Helper()
	if n > 0 && !strings.HasSuffix(out, "\n") {
		t.Errorf("output does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if out == "" {
		lines = nil
	}
	if len(lines) != n {
		t.Fatalf("%d output lines, want %d:\n%s", len(lines), n, out)
	}
	objs := make([]map[string]any, n)
	for i, l := range lines {
		if err := json.Unmarshal([]byte(l), &objs[i]); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
		}
		h, _ := objs[i]["haproxy"].(map[string]any)
		if _, ok := h["log_type"]; !ok {
			t.Errorf("line %d has no haproxy.log_type: %s", i+1, l)
		}
	}
	return objs
}

func TestCorpusFiles(t *testing.T) {
	paths := corpus.Files(t, "*.log") // none fails the test
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		in := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		code, out, errs := runCmd(t, "", p)
		if code != 0 || errs != "" {
			t.Fatalf("%s: exit %d, stderr %q", p, code, errs)
		}
		objs := jsonLines(t, out, len(in))
		for i, o := range objs {
			if o["message"] != in[i] {
				t.Errorf("%s:%d: message %q", p, i+1, o["message"])
			}
		}
	}
}

func TestStdinAndFlags(t *testing.T) {
	line := `<134>Nov 21 07:35:32 haproxy[3320]: 127.0.0.1:48052 [21/Nov/2026:07:35:32.633] fe_basic be_app/app1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 {corpus.test|corpus-client/1.0} {text/plain|app} "GET /ok?id=basic-get HTTP/1.1"`
	in := line + "\n\nnot haproxy\r\n" + line // empty line in the middle, no final newline
	code, out, _ := runCmd(t, in, "-tz", "Europe/Paris", "-no-message",
		"-request-headers", "Host, User-Agent", "-response-headers", "content-type", "-")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	objs := jsonLines(t, out, 4)
	if objs[0]["@timestamp"] != "2026-11-21T06:35:32.633Z" {
		t.Errorf("-tz not applied: %v", objs[0]["@timestamp"])
	}
	if _, ok := objs[0]["message"]; ok {
		t.Error("-no-message: message written")
	}
	h := objs[0]["haproxy"].(map[string]any)["http"].(map[string]any)
	req := h["request"].(map[string]any)["headers"].(map[string]any)
	resp := h["response"].(map[string]any)["headers"].(map[string]any)
	if req["host"] != "corpus.test" || req["user-agent"] != "corpus-client/1.0" || resp["content-type"] != "text/plain" {
		t.Errorf("header names: %v %v", req, resp)
	}
	for i, want := range []string{"", "not haproxy"} {
		o := objs[i+1]
		if o["message"] != want || o["haproxy"].(map[string]any)["log_type"] != "unknown" {
			t.Errorf("line %d: %v", i+2, o)
		}
	}

	// A final newline is not a record; an empty input gives nothing.
	_, out, _ = runCmd(t, "a\nb\n")
	jsonLines(t, out, 2)
	_, out, _ = runCmd(t, "")
	jsonLines(t, out, 0)
	_, out, _ = runCmd(t, "\n")
	jsonLines(t, out, 1)
}

func TestLongLine(t *testing.T) {
	long := strings.Repeat("x", 200<<10) // longer than the reader's buffer
	huge := strings.Repeat("y", MaxLine+1000)
	code, out, errs := runCmd(t, "a\n"+long+"\n"+huge+"\nb")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	objs := jsonLines(t, out, 4)
	if objs[1]["message"] != long {
		t.Errorf("long line: message of %d bytes", len(objs[1]["message"].(string)))
	}
	if objs[2]["message"] != huge[:MaxLine] {
		t.Errorf("huge line: message of %d bytes", len(objs[2]["message"].(string)))
	}
	if objs[3]["message"] != "b" {
		t.Errorf("after the huge line: %v", objs[3]["message"])
	}
	if !strings.Contains(errs, "kept the first 1048576, skipped 1000") {
		t.Errorf("stderr: %q", errs)
	}
}

func TestExplain(t *testing.T) {
	code, out, _ := runCmd(t, "", "explain", "sH--")
	if code != 0 || !strings.Contains(out, "timeout server") {
		t.Errorf("explain sH--: exit %d\n%s", code, out)
	}
	code, _, errs := runCmd(t, "", "explain", "certainly", "not", "haproxy")
	if code != 1 || !strings.Contains(errs, `no explanation for "certainly not haproxy"`) {
		t.Errorf("explain unknown: exit %d, stderr %q", code, errs)
	}
}

func TestMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.log")
	code, out, errs := runCmd(t, "", missing)
	if code == 0 {
		t.Error("exit 0 for a missing file")
	}
	if !strings.Contains(errs, "haproxy-decode: open "+missing+":") {
		t.Errorf("stderr: %q", errs)
	}
	if out != "" {
		t.Errorf("stdout: %q", out)
	}
	// The other files are still decoded.
	code, out, _ = runCmd(t, "", missing, filepath.Join(corpus.Dir(t), "fmt_default.log"))
	if code == 0 || out == "" {
		t.Errorf("exit %d, %d bytes out", code, len(out))
	}
}

func TestHelp(t *testing.T) {
	code, out, errs := runCmd(t, "", "-h")
	if code != 0 || !strings.Contains(out, "haproxy-decode explain") || !strings.Contains(out, "-request-headers") || errs != "" {
		t.Errorf("exit %d, stderr %q\n%s", code, errs, out)
	}
	code, _, errs = runCmd(t, "", "-bogus")
	if code != 2 || !strings.Contains(errs, "bogus") {
		t.Errorf("bad flag: exit %d, %q", code, errs)
	}
	code, _, errs = runCmd(t, "", "-tz", "Not/AZone")
	if code != 2 || !strings.Contains(errs, "-tz") {
		t.Errorf("bad zone: exit %d, %q", code, errs)
	}
}

func TestDirectoryIsAReadError(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd(t, "", dir, filepath.Join(corpus.Dir(t), "fmt_default.log"))
	if code == 0 || !strings.Contains(errs, "haproxy-decode: read "+dir) {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	jsonLines(t, out, 7) // the next file is still decoded
}

// -explain: a normal request carries its termination's texts only with
// "all"; "none" leaves them out even on a failure; a bad value is exit 2.
func TestExplainFlag(t *testing.T) {
	normal := `127.0.0.1:48052 [21/Nov/2026:07:35:32.633] fe_basic be_app/app1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1"`
	failed := `127.0.0.1:48052 [21/Nov/2026:07:35:32.633] fe_basic be_app/app1 0/0/-1/-1/3001 503 212 - - sC-- 1/1/0/0/3 0/0 "GET /ok HTTP/1.1"`
	summary := func(o map[string]any) bool {
		term, _ := o["haproxy"].(map[string]any)["termination"].(map[string]any)
		_, ok := term["summary"]
		if _, code := term["cause"].(map[string]any)["code"]; !code {
			t.Errorf("no termination.cause.code: %v", term)
		}
		return ok
	}
	for _, c := range []struct {
		args           []string
		normal, failed bool
	}{{nil, false, true}, {[]string{"-explain", "anomalies"}, false, true},
		{[]string{"-explain", "ALL"}, true, true}, {[]string{"-explain", "none"}, false, false}} {
		code, out, errs := runCmd(t, normal+"\n"+failed+"\n", c.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, errs)
		}
		objs := jsonLines(t, out, 2)
		if n, f := summary(objs[0]), summary(objs[1]); n != c.normal || f != c.failed {
			t.Errorf("%v: texts on the normal record %v, on the failed one %v; want %v, %v", c.args, n, f, c.normal, c.failed)
		}
	}
	if code, _, errs := runCmd(t, "", "-explain", "some"); code != 2 || !strings.Contains(errs, `-explain "some"`) {
		t.Errorf("-explain some: exit %d, stderr %q", code, errs)
	}
}
