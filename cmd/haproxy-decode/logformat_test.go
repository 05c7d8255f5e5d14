package main

import (
	"strings"
	"testing"
)

// -log-format, repeated: each pasted format decodes the lines of any
// frontend; a bad one stops the command with its column.
func TestLogFormatFlag(t *testing.T) {
	in := "client=10.0.0.7:4242 fe=fe_kv st=503 host=a.test\n" +
		`{"st":201,"fe":"fe_json"}` + "\n" +
		"Server be/s1 is DOWN, reason: Layer4 timeout, check duration: 2001ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.\n"
	code, out, errs := runCmd(t, in, "-log-format", `client=%ci:%cp fe=%ft st=%ST host=%[req.hdr(host)]`,
		"-log-format", `'{"st":%ST,"fe":"%f"}'`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	docs := jsonLines(t, out, 3)
	h0, _ := docs[0]["haproxy"].(map[string]any)
	sample, _ := h0["sample"].(map[string]any)
	if h0["frontend_name"] != "fe_kv" || sample["req_hdr_host"] != "a.test" {
		t.Errorf("first format: %v", docs[0])
	}
	if h1, _ := docs[1]["haproxy"].(map[string]any); h1["frontend_name"] != "fe_json" {
		t.Errorf("second format: %v", docs[1])
	}
	if h2, _ := docs[2]["haproxy"].(map[string]any); h2["log_type"] != "event" {
		t.Errorf("event between: %v", docs[2])
	}

	code, out, errs = runCmd(t, "", "-log-format", `%ci %{+Q`)
	if code != 2 || out != "" || !strings.Contains(errs, `invalid value "%ci %{+Q" for flag -log-format: log-format: column 5: "%{" is not closed`) {
		t.Errorf("bad format: exit %d, stderr %q", code, errs)
	}
}
