package es

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
)

// template.json is generated from encode.Fields: the field check of package
// encode (TestFieldsMatchEncoder) then holds for the template too.
func TestTemplateJSONUpToDate(t *testing.T) {
	want, err := BuildTemplate(encode.Fields)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("template.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) || !bytes.Equal(templateJSON, want) {
		t.Fatal("template.json is not what encode.Fields gives: run go generate ./plugin/internal/es")
	}
}

// Every field is mapped with its type, at its place; nothing else is
// mapped.
func TestTemplateMapsEveryField(t *testing.T) {
	var tpl struct {
		Template struct {
			Mappings struct {
				Dynamic    []map[string]map[string]any `json:"dynamic_templates"`
				Properties map[string]any              `json:"properties"`
			} `json:"mappings"`
		} `json:"template"`
	}
	if err := json.Unmarshal(templateJSON, &tpl); err != nil {
		t.Fatal(err)
	}
	mapped := map[string]string{}
	var walk func(props map[string]any, prefix string)
	walk = func(props map[string]any, prefix string) {
		for name, v := range props {
			m := v.(map[string]any)
			if sub, ok := m["properties"].(map[string]any); ok {
				walk(sub, prefix+name+".")
				continue
			}
			mapped[prefix+name] = m["type"].(string)
			if m["index"] == false {
				mapped[prefix+name] += ", not indexed"
			}
		}
	}
	walk(tpl.Template.Mappings.Properties, "")
	for _, d := range tpl.Template.Mappings.Dynamic {
		for _, body := range d {
			if p, ok := body["path_match"].(string); ok {
				mapped[p] = body["mapping"].(map[string]any)["type"].(string)
			}
		}
	}
	for _, f := range encode.Fields {
		if got := mapped[f.Path]; got != string(f.Type) {
			t.Errorf("%s: mapped as %q, encode.Fields says %s", f.Path, got, f.Type)
		}
		delete(mapped, f.Path)
	}
	for p, typ := range mapped {
		t.Errorf("%s (%s) is mapped but not in encode.Fields", p, typ)
	}
	if !strings.Contains(string(templateJSON), `"strings_as_keywords"`) {
		t.Error("the record's own strings need the keyword fallback")
	}
}
