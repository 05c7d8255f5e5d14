package es

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
)

// templateJSON is the composable index template installed by
// Template_Install: the mapping of every field the encoder writes, made
// from encode.Fields by BuildTemplate (go generate). Strings not listed
// (the record's own fields) are mapped as keyword.
//
//go:embed template.json
var templateJSON []byte

// TemplateBody returns the index template that Template_Install sends for
// cfg: template.json with cfg's index patterns, the data stream marker when
// Data_Stream is set, and cfg's Time_Key mapped as the date the encoder
// writes (timeMapping).
func TemplateBody(cfg *Config) ([]byte, error) {
	var t map[string]any
	if err := json.Unmarshal(templateJSON, &t); err != nil {
		return nil, fmt.Errorf("es: embedded template.json: %v", err)
	}
	t["index_patterns"] = cfg.TemplatePatterns
	if cfg.DataStream != "" {
		t["data_stream"] = map[string]any{}
	}
	tm, err := timeMapping(cfg.TimeFormat)
	if err != nil {
		return nil, fmt.Errorf("haproxy: Time_Key_Format %q is not valid: %v", cfg.TimeFormat.Pattern(), err)
	}
	props := t["template"].(map[string]any)["mappings"].(map[string]any)["properties"].(map[string]any)
	delete(props, encode.DefaultTimeKey)
	props[cmp.Or(cfg.TimeKey, encode.DefaultTimeKey)] = tm
	return json.Marshal(t)
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

// ensureTemplate installs the index template once. A *connectErr means the
// cluster could not be reached (try again later); other errors are refusals,
// which fail Init only when Template_Install was set on.
func (s *Sink) ensureTemplate(atInit bool) error {
	s.templateMu.Lock()
	defer s.templateMu.Unlock()
	if s.templateDone.Load() {
		return nil
	}
	err := s.installTemplate()
	var ce *connectErr
	if err == nil || ((!atInit || !s.cfg.TemplateRequired) && !errors.As(err, &ce)) {
		switch {
		case err != nil && s.cfg.TemplateRequired:
			// A refusal at the first flush: report it once and deliver anyway.
			s.log.Errorf("es: %v: documents are sent without it", err)
		case err != nil:
			s.log.Warnf("es: %v: documents are sent without it, the cluster maps the fields (Template_Install on makes this an error, off does not try)", err)
		}
		s.templateDone.Store(true)
		return nil
	}
	return err
}

func (s *Sink) installTemplate() error {
	name := s.cfg.TemplateName
	path := "/_index_template/" + url.PathEscape(name)
	hosts := s.cfg.HostList()
	status, resp, _, err := s.do(http.MethodGet, path, nil, 1<<20, nil)
	if err != nil {
		return err
	}
	exists := false
	switch status {
	case http.StatusOK:
		exists = true
	case http.StatusNotFound:
	default:
		return fmt.Errorf("haproxy: Template_Install: cannot read index template %s at %s: HTTP %d: %s%s",
			name, hosts, status, s.redact(errorReason(resp)), privilegeHint(status))
	}
	if exists && !s.cfg.TemplateOverwrite {
		s.log.Infof("es: index template %s exists, left alone (Template_Overwrite off)", name)
		return nil
	}
	if !exists && !s.cfg.TemplateRequired {
		other, err := s.otherTemplate()
		if err != nil {
			return err
		}
		if other != "" {
			s.log.Infof("es: index template %s not installed: %s already matches %s (Template_Install on installs ours over it)",
				name, other, strings.Join(s.cfg.TemplatePatterns, ","))
			return nil
		}
	}
	body, err := TemplateBody(&s.cfg)
	if err != nil {
		return err
	}
	status, resp, _, err = s.do(http.MethodPut, path, body, 1<<20, jsonHeader)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("haproxy: Template_Install: Elasticsearch at %s refused index template %s: HTTP %d: %s%s",
			hosts, name, status, s.redact(errorReason(resp)), privilegeHint(status))
	}
	verb := "installed"
	if exists {
		verb = "replaced"
	}
	s.log.Infof("es: %s index template %s for %s", verb, name, strings.Join(s.cfg.TemplatePatterns, ","))
	if s.cfg.DataStream == "" && !s.cfg.LogstashFormat {
		if st, _, _, err := s.do(http.MethodHead, "/"+url.PathEscape(s.cfg.Index), nil, 1<<10, nil); err == nil && st == http.StatusOK {
			s.log.Warnf("es: index %s already exists: the template applies only to indices created from now on", s.cfg.Index)
		}
	}
	return nil
}

// otherTemplate names an index template of the cluster, composable or
// legacy, whose patterns match one of ours ("" when none does): installed by
// default, ours (priority 200) would silently take those indices from it.
func (s *Sink) otherTemplate() (string, error) {
	var composable struct {
		IndexTemplates []struct {
			Name          string `json:"name"`
			IndexTemplate struct {
				IndexPatterns []string `json:"index_patterns"`
			} `json:"index_template"`
		} `json:"index_templates"`
	}
	if err := s.getJSON("/_index_template", &composable); err != nil {
		return "", err
	}
	for _, t := range composable.IndexTemplates {
		if matchesAny(t.IndexTemplate.IndexPatterns, s.cfg.TemplatePatterns) {
			return "index template " + t.Name, nil
		}
	}
	var legacy map[string]struct {
		IndexPatterns []string `json:"index_patterns"`
	}
	if err := s.getJSON("/_template", &legacy); err != nil {
		return "", err
	}
	for _, name := range slices.Sorted(maps.Keys(legacy)) {
		if matchesAny(legacy[name].IndexPatterns, s.cfg.TemplatePatterns) {
			return "legacy template " + name, nil
		}
	}
	return "", nil
}

// getJSON reads the JSON answer of GET p into v; a 404 leaves v empty (a
// cluster without templates).
func (s *Sink) getJSON(p string, v any) error {
	status, resp, _, err := s.do(http.MethodGet, p, nil, 8<<20, nil)
	switch {
	case err != nil:
		return err
	case status == http.StatusNotFound:
		return nil
	case status != http.StatusOK:
		return fmt.Errorf("haproxy: Template_Install: cannot list the index templates at %s (GET %s): HTTP %d: %s%s",
			s.cfg.HostList(), p, status, s.redact(errorReason(resp)), privilegeHint(status))
	}
	if err := json.Unmarshal(resp, v); err != nil {
		return fmt.Errorf("haproxy: Template_Install: GET %s at %s: unreadable answer: %v", p, s.cfg.HostList(), err)
	}
	return nil
}

// matchesAny reports whether one of their patterns matches one of ours,
// ours read as an index name ("logstash-*" is matched by "logstash-*" and
// "*"). Index patterns have only the wildcard *, which path.Match reads the
// same way; a name cannot hold '/'.
func matchesAny(theirs, ours []string) bool {
	for _, p := range theirs {
		for _, o := range ours {
			if ok, _ := path.Match(p, o); ok {
				return true
			}
		}
	}
	return false
}

func privilegeHint(status int) string {
	if status == http.StatusForbidden || status == http.StatusUnauthorized {
		return " (the user needs the manage_index_templates cluster privilege)"
	}
	return ""
}
