package encode

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// fieldFixtures are the lines the field check encodes: every line of the
// corpus, in every framing, of decode/testdata's other logs, and every string literal of decode's and
// encode's tests (unit fixtures: most are lines; the others decode as
// unknown lines, which is a case too).
func fieldFixtures(t *testing.T) []string {
	lines := corpus.Lines(t, "*.log")
	root := corpus.Root(t)
	framings, err := filepath.Glob(filepath.Join(root, "decode", "testdata", "*", "*.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range framings {
		if filepath.Dir(f) != corpus.Dir(t) {
			lines = append(lines, corpus.ReadLines(t, f)...)
		}
	}
	for _, dir := range []string{"decode", "encode"} {
		files, err := filepath.Glob(filepath.Join(root, dir, "*_test.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no test files in %s: %v", dir, err)
		}
		for _, f := range files {
			af, err := parser.ParseFile(token.NewFileSet(), f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(af, func(n ast.Node) bool {
				if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING {
					if s, err := strconv.Unquote(bl.Value); err == nil && s != "" {
						lines = append(lines, s)
					}
				}
				return true
			})
		}
	}
	return lines
}

// stateFixtures fill the stateful fields (package state's), so that their
// fields are written too.
var stateFixtures = []func(*decode.StateFields){
	func(*decode.StateFields) {},
	func(s *decode.StateFields) {
		s.Outage, s.OutageID, s.OutageStart = decode.OutageStarted, 0x1f, t0
	},
	func(s *decode.StateFields) {
		s.Outage, s.OutageID, s.OutageStart, s.OutageEnd = decode.OutageEnded, 0x1f, t0, t1
		s.OutageDuration, s.ServersDown = 7000, append(s.ServersDown, "s1", "s2")
		s.DownSince, s.Downtime, s.Flapping, s.Transitions = t0, 7000, true, 4
		s.Reload, s.OldPID = true, 3356
	},
}

// written is one field as the encoder wrote it.
type written struct {
	kind    string // string, number, bool, object, null
	array   bool
	example string
	line    string
}

// TestFieldsMatchEncoder: every field the encoder writes, for every
// fixture, is a row of Fields with the same type; every row is written by
// some fixture (no mapping for fields never written).
func TestFieldsMatchEncoder(t *testing.T) {
	enc := New(Options{KeepMessage: true, RequestHeaderNames: []string{"Host", "User-Agent"}, ResponseHeaderNames: []string{"Server"}})
	d := decode.Decoder{Location: time.UTC}
	seen := map[string]bool{}
	const fix = "\n(the rows are in encode/fields.go; after a change run `go generate ./plugin/internal/es` for the index template and `go test ./encode -run TestREADMEFields -update-readme` for the README)"
	failed := map[string]bool{}
	var e decode.Entry
	var out []byte
	type fixture struct {
		d    *decode.Decoder
		line string
	}
	var fixtures []fixture
	for _, line := range fieldFixtures(t) {
		fixtures = append(fixtures, fixture{&d, line})
	}
	for _, c := range customFixtures {
		f, err := decode.CompileLogFormat(c.format)
		if err != nil {
			t.Fatal(err)
		}
		cd := &decode.Decoder{Location: time.UTC}
		cd.AddLogFormat("", f)
		fixtures = append(fixtures, fixture{cd, c.line})
	}
	for _, fx := range fixtures {
		line := fx.line
		for _, fill := range stateFixtures {
			decodeExplain(fx.d, &e, []byte(line), testNow)
			fill(&e.State)
			out, _ = enc.Append(out[:0], &e, testNow, nil)
			dec := json.NewDecoder(bytes.NewReader(out))
			dec.UseNumber()
			var doc map[string]any
			if err := dec.Decode(&doc); err != nil {
				t.Fatalf("invalid JSON for %q: %v", line, err)
			}
			leaves(doc, "", false, func(p string, w written) {
				w.line = line
				f := fieldOf(p)
				switch {
				case failed[p]:
				case f == nil:
					failed[p] = true
					t.Errorf("%s is written (%s %s, e.g. %s, for %q) but encode.Fields has no row for it: add\n\t{Path: %q, Type: %s, Doc: \"...\"},%s",
						p, w.kind, arrayWord(w.array), w.example, line, p, suggest(w), fix)
				default:
					if why := mismatch(f, w); why != "" {
						failed[p] = true
						t.Errorf("%s is written as %s %s (e.g. %s, for %q) but encode.Fields has it as %s %s: %s%s",
							p, w.kind, arrayWord(w.array), w.example, line, f.Type, arrayWord(f.Array), why, fix)
					}
					seen[f.Path] = true
				}
			})
		}
	}
	for _, f := range Fields {
		if !seen[f.Path] {
			t.Errorf("encode.Fields has %s but no fixture writes it: remove the row, or add a test line (decode's or encode's tests) that writes it%s", f.Path, fix)
		}
	}
}

// leaves calls fn for each leaf of v with its dotted path; the elements of
// an array are leaves of the array's path.
func leaves(v any, p string, inArray bool, fn func(string, written)) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			q := k
			if p != "" {
				q = p + "." + k
			}
			leaves(c, q, false, fn)
		}
	case []any:
		for _, c := range x {
			leaves(c, p, true, fn)
		}
	case string:
		fn(p, written{kind: "string", array: inArray, example: strconv.Quote(x)})
	case json.Number:
		fn(p, written{kind: "number", array: inArray, example: x.String()})
	case bool:
		fn(p, written{kind: "bool", array: inArray, example: strconv.FormatBool(x)})
	default:
		fn(p, written{kind: fmt.Sprintf("%T", x), array: inArray, example: fmt.Sprint(x)})
	}
}

// mismatch says why w cannot be stored as f says, or "".
func mismatch(f *Field, w written) string {
	if f.Array != w.array {
		return "fix Array in the row"
	}
	want := map[FieldType]string{Keyword: "string", Text: "string", Explanation: "string", IP: "string", Date: "string", Long: "number", Double: "number", Boolean: "bool"}[f.Type]
	if w.kind != want {
		return "fix Type in the row, or what the encoder writes"
	}
	switch f.Type {
	case Long:
		if _, err := strconv.ParseInt(w.example, 10, 64); err != nil {
			return "a long must be a whole number: use Double"
		}
	case Double:
		if v, err := strconv.ParseFloat(w.example, 64); err != nil || math.IsInf(v, 0) {
			return "not a number"
		}
	case Date:
		if s, _ := strconv.Unquote(w.example); !isDate(s) {
			return "not a date the template's date format reads (strict_date_optional_time)"
		}
	}
	return ""
}

func isDate(s string) bool {
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

func suggest(w written) FieldType {
	switch w.kind {
	case "number":
		return Long
	case "bool":
		return Boolean
	}
	return Keyword
}

func arrayWord(a bool) string {
	if a {
		return "array"
	}
	return "value"
}

// fieldOf is the row of Fields for the dotted path p (a row ending in "*"
// matches any last element), or nil.
func fieldOf(p string) *Field {
	for i := range Fields {
		f := &Fields[i]
		if f.Path == p {
			return f
		}
		if prefix, ok := strings.CutSuffix(f.Path, "*"); ok && strings.HasPrefix(p, prefix) && !strings.Contains(p[len(prefix):], ".") {
			return f
		}
	}
	return nil
}
