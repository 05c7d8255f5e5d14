package report

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/state"
)

// FuzzReport: any lines, through the decoder, the explainer, the state
// tracker and the report, give a summary that writes as text, JSON and
// HTML without a panic, and counts every line once.
func FuzzReport(f *testing.F) {
	lines := corpus.Lines(f, "*.log")
	for i := 0; i < len(lines); i += 7 {
		f.Add(strings.Join(lines[i:min(i+7, len(lines))], "\n"))
	}
	f.Add("\x00\xff\n\n<134>Nov 21 07:35:32 haproxy[1]: 1.2.3.4:5 [21/Nov/2026:07:35:32.633] f b/s -1/-1/-1/-1/99999999999 -1 0 - - ---- 0/0/0/0/0 0/0 \"\"")
	f.Fuzz(func(t *testing.T, in string) {
		r := New()
		tracker, err := state.New(state.Config{})
		if err != nil {
			t.Fatal(err)
		}
		var dec decode.Decoder
		var exp decode.Explainer
		var e decode.Entry
		now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
		n := 0
		for _, l := range strings.Split(in, "\n") {
			n++
			dec.Decode(&e, []byte(l), now)
			exp.Explain(&e)
			tracker.Observe(&e, nil, now)
			r.Count(&e)
			r.Follow(&e, now)
		}
		s := r.Summary()
		if s.Lines.Total != int64(n) {
			t.Fatalf("%d lines counted, %d given", s.Lines.Total, n)
		}
		if err := WriteText(io.Discard, s); err != nil {
			t.Fatal(err)
		}
		if err := WriteHTML(io.Discard, s); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(s); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(buf.Bytes()) {
			t.Fatalf("invalid JSON")
		}
	})
}
