package output

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/config"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/es"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's option tables from the configuration schema")

// The README's option tables are the schema's (Options, es.Options), written
// between markers. Add an option as a row of the table; then
//
//	go test ./plugin/internal/output -run TestREADMEOptions -update-readme
func TestREADMEOptions(t *testing.T) {
	var c Config
	tables := map[string]string{
		"output": config.Markdown(Options(&c)),
		"es":     config.Markdown(es.Options(&c.ES)),
	}
	path := filepath.Join(corpus.Root(t), "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, name := range []string{"output", "es"} {
		begin := "<!-- options:" + name + " (generated: go test ./plugin/internal/output -run TestREADMEOptions -update-readme) -->\n"
		end := "<!-- /options:" + name + " -->"
		i, j := strings.Index(text, begin), strings.Index(text, end)
		if i < 0 || j < i {
			t.Fatalf("README.md lacks the markers %q ... %q", begin, end)
		}
		got := text[i+len(begin) : j]
		if got != tables[name] {
			if *updateREADME {
				text = text[:i+len(begin)] + tables[name] + text[j:]
				continue
			}
			t.Errorf("README.md's %s option table differs from the schema (rows are in plugin/internal/output/config.go and plugin/internal/es/config.go): run\n"+
				"\tgo test ./plugin/internal/output -run TestREADMEOptions -update-readme\nwant:\n%s", name, tables[name])
		}
	}
	if *updateREADME {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
