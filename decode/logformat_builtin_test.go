package decode

import (
	"reflect"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// builtinFormats are the built-in formats as log-format strings, by the
// type the hand-written reader gives their lines.
var builtinFormats = map[LogType][]string{
	LogHTTP:  {HTTPLogFormat},
	LogHTTPS: {HTTPSLogFormat},
	LogTCP:   {TCPLogFormat},
	LogCLF:   {CLFLogFormat, TCPCLFLogFormat},
}

// TestBuiltinsAsLogFormats: the built-in formats are log-format strings
// too. The hand-written reader is kept (it is faster); over every traffic
// line of the corpus, in every framing, the compiled string of the line's
// format decodes exactly the same entry.
func TestBuiltinsAsLogFormats(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	compiled := map[LogType][]*Decoder{}
	for typ, formats := range builtinFormats {
		for _, s := range formats {
			f, err := CompileLogFormat(s)
			if err != nil {
				t.Fatal(err)
			}
			if f.Type() != typ {
				t.Errorf("%q compiles to type %s, want %s", s, f.Type(), typ)
			}
			d := &Decoder{Location: time.UTC}
			d.AddLogFormat("", f)
			compiled[typ] = append(compiled[typ], d)
		}
	}
	hand := Decoder{Location: time.UTC}
	counts := map[LogType]int{}
	for _, line := range corpus.Bytes(corpus.Lines(t, "*.log")) {
		var want Entry
		hand.Decode(&want, line, now)
		if !want.IsTraffic() {
			continue
		}
		matched := false
		for _, d := range compiled[want.Type] {
			var got Entry
			d.Decode(&got, line, now)
			if got.lastFormat.set == nil { // read by the hand-written reader: not this string
				continue
			}
			matched = true
			counts[want.Type]++
			if diff := entryDiff(&want, &got); diff != "" {
				t.Errorf("%s line decodes differently with its log-format string: %s\n%s", want.Type, diff, line)
			}
		}
		if !matched {
			t.Errorf("no compiled built-in format reads this %s line:\n%s", want.Type, line)
		}
	}
	for _, typ := range []LogType{LogHTTP, LogHTTPS, LogTCP, LogCLF} {
		if counts[typ] == 0 {
			t.Errorf("the corpus has no %s line", typ)
		}
	}
	t.Logf("lines compared: %v", counts)

	// The comparison sees a difference.
	var a, b Entry
	hand.Decode(&a, []byte(benchLines[0].line), now)
	hand.Decode(&b, []byte(benchLines[0].line), now)
	b.Samples = append(b.Samples, Sample{Name: "x"})
	b.Status = 201
	if diff := entryDiff(&a, &b); diff == "" {
		t.Error("entryDiff sees no difference")
	}
}

// entryDiff names the exported fields where a and b differ.
func entryDiff(a, b *Entry) string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	diff := ""
	for _, f := range reflect.VisibleFields(va.Type()) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		x, y := va.FieldByIndex(f.Index).Interface(), vb.FieldByIndex(f.Index).Interface()
		if xs, ok := x.([][]byte); ok && len(xs) == 0 {
			x = [][]byte(nil)
		}
		if ys, ok := y.([][]byte); ok && len(ys) == 0 {
			y = [][]byte(nil)
		}
		if xs, ok := x.([]Sample); ok && len(xs) == 0 {
			x = []Sample(nil)
		}
		if ys, ok := y.([]Sample); ok && len(ys) == 0 {
			y = []Sample(nil)
		}
		if !reflect.DeepEqual(x, y) {
			diff += " " + f.Name + ": " + show(x) + " vs " + show(y) + ";"
		}
	}
	return diff
}

func show(v any) string {
	if b, ok := v.([]byte); ok {
		return "`" + string(b) + "`"
	}
	return reflect.ValueOf(v).String()
}
