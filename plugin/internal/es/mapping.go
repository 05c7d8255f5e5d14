package es

import (
	"encoding/json"
	"strings"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
)

//go:generate go run ./internal/gentemplate template.json

// BuildTemplate is template.json: the index template that maps every field
// of encode.Fields with its type, and nothing else (strings of the record's
// own fields, which the encoder does not know, become keywords).
func BuildTemplate(fields []encode.Field) ([]byte, error) {
	props := map[string]any{}
	dynamic := []any{}
	for _, f := range fields {
		if prefix, ok := strings.CutSuffix(f.Path, "*"); ok {
			dynamic = append(dynamic, map[string]any{
				strings.ReplaceAll(strings.TrimSuffix(prefix, "."), ".", "_"): map[string]any{
					"path_match": f.Path, "match_mapping_type": "string", "mapping": fieldMapping(f),
				},
			})
			continue
		}
		addProperty(props, strings.Split(f.Path, "."), fieldMapping(f))
	}
	dynamic = append(dynamic, map[string]any{"strings_as_keywords": map[string]any{
		"match_mapping_type": "string", "mapping": map[string]any{"type": "keyword", "ignore_above": 1024},
	}})
	t := map[string]any{
		"index_patterns": []string{"set-at-install"},
		"priority":       200,
		"_meta": map[string]any{
			"description": "HAProxy logs decoded by fluent-bit-haproxy (out_haproxy.so); generated from encode.Fields by go generate ./plugin/internal/es",
			"managed_by":  "fluent-bit-haproxy",
		},
		"template": map[string]any{"mappings": map[string]any{
			"date_detection":    false,
			"dynamic_templates": dynamic,
			"properties":        props,
		}},
	}
	b, err := json.MarshalIndent(t, "", " ")
	return append(b, '\n'), err
}

// addProperty puts m at path in the nested properties.
func addProperty(props map[string]any, path []string, m map[string]any) {
	for _, name := range path[:len(path)-1] {
		obj, ok := props[name].(map[string]any)
		if !ok {
			obj = map[string]any{"properties": map[string]any{}}
			props[name] = obj
		}
		props = obj["properties"].(map[string]any)
	}
	props[path[len(path)-1]] = m
}

// fieldMapping is the mapping of one field.
func fieldMapping(f encode.Field) map[string]any {
	limit := f.Max
	if limit == 0 {
		limit = 1024
	}
	switch f.Type {
	case encode.Keyword:
		return map[string]any{"type": "keyword", "ignore_above": limit}
	case encode.Text:
		return map[string]any{"type": "text", "fields": map[string]any{"keyword": map[string]any{"type": "keyword", "ignore_above": limit}}}
	case encode.Explanation:
		return map[string]any{"type": "text", "index": false}
	case encode.IP:
		return map[string]any{"type": "ip", "ignore_malformed": true}
	}
	return map[string]any{"type": string(f.Type)}
}
