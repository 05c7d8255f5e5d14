package encode

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's field table from encode.Fields")

// fieldTable is the README's field table: one row per row of Fields.
func fieldTable() string {
	var b strings.Builder
	b.WriteString("| field | type | from |\n|---|---|---|\n")
	for _, f := range Fields {
		typ := string(f.Type)
		if f.Array {
			typ += "[]"
		}
		name := strings.TrimSuffix(f.Path, "*")
		if name != f.Path {
			name += "<name>"
		}
		b.WriteString("| `" + name + "` | " + typ + " | " + f.Doc + " |\n")
	}
	return b.String()
}

// The README's field table is generated from Fields (the types are the
// index template's).
func TestREADMEFields(t *testing.T) {
	path := filepath.Join(corpus.Root(t), "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	begin := "<!-- fields (generated: go test ./encode -run TestREADMEFields -update-readme) -->\n"
	end := "<!-- /fields -->"
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers %q ... %q", begin, end)
	}
	want := fieldTable()
	if text[i+len(begin):j] == want {
		return
	}
	if !*updateREADME {
		t.Fatalf("README.md's field table is not encode.Fields (encode/fields.go): run\n\tgo test ./encode -run TestREADMEFields -update-readme")
	}
	if err := os.WriteFile(path, []byte(text[:i+len(begin)]+want+text[j:]), 0o644); err != nil {
		t.Fatal(err)
	}
}
