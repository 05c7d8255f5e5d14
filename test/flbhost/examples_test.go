package flbhost_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/test/flbhost"
)

// Keys Fluent Bit's engine reads itself: they never reach the plugin.
var coreKeys = map[string]bool{"name": true, "match": true, "match_regex": true, "alias": true,
	"workers": true, "retry_limit": true, "log_level": true}

// The example configurations in build/ are what users copy. Their haproxy
// output's settings go through Init as Fluent Bit would pass them, the same
// in both formats, and the sample log they tail comes out decoded: no
// unknown line, the captured headers under the configured names, the dates
// in the configured zone. Fluent Bit itself is not run here (no package on
// the registries this project may use): flbhost stands in for it.
func TestExampleConfigs(t *testing.T) {
	setup(t)
	root := corpus.Root(t)
	classic := classicOutput(t, filepath.Join(root, "build", "fluent-bit.conf"), "haproxy")
	yml := yamlOutput(t, filepath.Join(root, "build", "fluent-bit.yaml"), "haproxy")
	if fmt.Sprint(classic) != fmt.Sprint(yml) {
		t.Errorf("fluent-bit.conf and fluent-bit.yaml configure the output differently:\n%v\n%v", classic, yml)
	}
	if len(classic) < 3 {
		t.Fatalf("no haproxy output settings found: %v", classic)
	}

	lines := corpus.ReadLines(t, filepath.Join(root, "build", "sample", "haproxy.log"))
	dir := t.TempDir()
	chunk := flbhost.WriteChunk(t, dir, "sample.msgpack", flbhost.AppendLines(nil, flbhost.LayoutV2, t0, lines...))
	var script strings.Builder
	for k, v := range classic {
		fmt.Fprintf(&script, "prop 0 %s %s\n", k, v)
	}
	fmt.Fprintf(&script, "init 0\nflush 0 haproxy %s\nexit 0\n", chunk)
	r := plugin.Run(t, script.String())
	r.WantRC(t, "init instance=0", 1)
	r.WantRC(t, "flush instance=0 chunk=sample.msgpack", 1)

	var docs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(r.Stdout))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, "{") {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("invalid JSON on stdout: %s", l)
			}
			docs = append(docs, m)
		}
	}
	if len(docs) != len(lines) {
		t.Fatalf("%d documents for %d sample lines", len(docs), len(lines))
	}
	headers := 0
	for i, d := range docs {
		h, _ := d["haproxy"].(map[string]any)
		if typ := h["log_type"]; typ == "unknown" || typ == "none" {
			t.Errorf("sample line %d: log_type %v: %v", i+1, typ, h["parse_error"])
		}
		if hs, ok := flbhost.Lookup(d, "haproxy", "http", "request", "headers"); ok {
			if _, ok := hs.(map[string]any)["host"]; !ok {
				t.Errorf("sample line %d: captured headers not named after Capture_Request_Headers: %v", i+1, hs)
			}
			headers++
		}
	}
	if headers == 0 {
		t.Error("no captured request header named in the output")
	}
	// The first sample line's date is 07:35:33.178 in the zone the sample
	// was written in, which the example's Time_Zone names.
	if got, _ := flbhost.Lookup(docs[0], "@timestamp"); got != "2026-11-21T07:35:33.178Z" {
		t.Errorf("@timestamp %v: Time_Zone not applied", got)
	}
}

// The plugin path of plugins.conf and fluent-bit.yaml is where the
// Dockerfile puts the .so and what its command loads.
func TestExamplePluginPaths(t *testing.T) {
	root := corpus.Root(t)
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(root, "build", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	const so = "/fluent-bit/plugins/out_haproxy.so"
	docker := read("Dockerfile")
	for _, want := range []string{"out_haproxy.so " + so, `"-e", "` + so + `"`} {
		if !strings.Contains(docker, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if !regexp.MustCompile(`(?m)^\s*Path\s+` + regexp.QuoteMeta(so) + `\s*$`).MatchString(read("plugins.conf")) {
		t.Errorf("plugins.conf does not load %s", so)
	}
	var y struct {
		Plugins []string `yaml:"plugins"`
	}
	if err := yaml.Unmarshal([]byte(read("fluent-bit.yaml")), &y); err != nil || len(y.Plugins) != 1 || y.Plugins[0] != so {
		t.Errorf("fluent-bit.yaml plugins: %v %v", y.Plugins, err)
	}
}

// classicOutput returns the settings of the [OUTPUT] section named name in
// a classic Fluent Bit configuration, keys lower-cased, core keys left out.
func classicOutput(t *testing.T, file, name string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var sections []map[string]string
	var cur map[string]string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.EqualFold(l, "[OUTPUT]"):
			cur = map[string]string{}
			sections = append(sections, cur)
		case strings.HasPrefix(l, "["):
			cur = nil
		case cur != nil:
			k, v, _ := strings.Cut(l, " ")
			cur[strings.ToLower(k)] = strings.TrimSpace(v)
		}
	}
	return pluginKeys(t, file, sections, name)
}

// yamlOutput is classicOutput for Fluent Bit's YAML format.
func yamlOutput(t *testing.T, file, name string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Pipeline struct {
			Outputs []map[string]any `yaml:"outputs"`
		} `yaml:"pipeline"`
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var sections []map[string]string
	for _, o := range c.Pipeline.Outputs {
		s := map[string]string{}
		for k, v := range o {
			s[strings.ToLower(k)] = fmt.Sprint(v)
		}
		sections = append(sections, s)
	}
	return pluginKeys(t, file, sections, name)
}

func pluginKeys(t *testing.T, file string, sections []map[string]string, name string) map[string]string {
	t.Helper()
	for _, s := range sections {
		if s["name"] != name {
			continue
		}
		out := map[string]string{}
		for k, v := range s {
			if !coreKeys[k] {
				out[k] = v
			}
		}
		return out
	}
	t.Fatalf("%s: no output named %s", file, name)
	return nil
}
