package decode

import (
	"errors"
	"testing"
	"time"
)

// FuzzLogFormat: any format string either compiles or is refused with a
// *FormatError whose column is inside the string; a compiled format reads
// any line (the fuzzed line, the format itself) without panic, and a line
// nothing reads is unknown with a reason.
func FuzzLogFormat(f *testing.F) {
	for _, s := range []string{
		HTTPLogFormat, HTTPSLogFormat, TCPLogFormat, CLFLogFormat, TCPCLFLogFormat, ErrorLogFormat,
		customBenchFormat, `{"status":%ST,"fe":"%f","ua":"%[capture.req.hdr(0),json(utf8s)]"}`,
		`%{+Q,+E}o %(name:sint)ST %{+X}ci:%{+X}cp %hrl %hsl %%`, `%ci %{+Q`, `%[a(b]`, `%(`, `%{`, `%`,
	} {
		f.Add(s, customBenchLine)
		f.Add(s, benchLines[0].line)
	}
	f.Add(`%{+Q}r`, `"GET / HTTP/1.1`)
	f.Add(`%{+json}o %(a)ci %(b)hr %ST`, `{"a": "::1", "b": ["x", "y"], "ST": 200, "c": {"d": [1, "}"]}}`)
	f.Add(`%{+X}ci %{+X}Ts %hr`, `7F00000G 1 {`)
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, format, line string) {
		lf, err := CompileLogFormat(format)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Column < 1 || fe.Column > len(format)+1 || fe.Reason == "" {
				t.Fatalf("%q: error %#v", format, err)
			}
			return
		}
		d := Decoder{Location: time.UTC}
		d.AddLogFormat("fe", lf)
		d.AddLogFormat("", lf)
		var e Entry
		for _, l := range []string{line, format} {
			d.Decode(&e, []byte(l), now)
			if e.Type == LogUnknown && e.Err() == nil {
				t.Fatalf("unknown without a reason: %q", l)
			}
		}
	})
}
