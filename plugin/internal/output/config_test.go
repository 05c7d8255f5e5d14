package output

import (
	"os"

	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/es"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

func TestParseConfigDefaults(t *testing.T) {
	c, err := ParseConfig(getter(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Destination != "stdout" || c.KeepMessage || c.LogKey != "" || c.Location != time.Local ||
		c.IncludeTagKey || c.TagKey != "flb-key" || c.ES.TimeKey != "@timestamp" || c.ES.TimeFormat != (encode.TimeFormat{}) ||
		c.ReplaceDots || !c.ES.LogstashPrefixKey.IsZero() || !c.ES.IDKey.IsZero() ||
		c.CaptureRequestHeaders != nil || c.CaptureResponseHeaders != nil ||
		c.FlapThreshold != 4 || c.FlapWindow != 10*time.Minute || c.StateFile != "" {
		t.Errorf("defaults: %+v", c)
	}
	if s := c.Summary(); !strings.Contains(s, "Destination=stdout") || !strings.Contains(s, "Keep_Message=off") {
		t.Errorf("summary %s", s)
	}
}

func TestParseConfigAllKeys(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "out.json")
	c, err := ParseConfig(getter(map[string]string{
		"DESTINATION":              "File",
		"file":                     file,
		"log_key":                  "line",
		"Keep_Message":             "On",
		"time_zone":                "Europe/Paris",
		"capture_request_headers":  " Host , User-Agent",
		"Capture_Response_Headers": "Content-Type",
		"include_tag_key":          "yes",
		"tag_key":                  "tag",
		"time_key":                 "ts",
		"time_key_format":          "%d/%b/%Y %H:%M:%S",
		"time_key_nanos":           "1",
		"replace_dots":             "TRUE",
		"logstash_prefix_key":      "team",
		"id_key":                   "rid",
		"http_passwd":              "hunter2",
		"flap_threshold":           "6",
		"FLAP_WINDOW":              "90s",
		"state_file":               filepath.Join(dir, "haproxy.state"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Destination: "file", File: file, LogKey: "line", KeepMessage: true, TimeZone: "Europe/Paris",
		CaptureRequestHeaders: []string{"Host", "User-Agent"}, CaptureResponseHeaders: []string{"Content-Type"},
		IncludeTagKey: true, TagKey: "tag", ReplaceDots: true,
		FlapThreshold: 6, FlapWindow: 90 * time.Second, StateFile: filepath.Join(dir, "haproxy.state"),
	}
	got := c
	got.Location, got.ES = nil, es.Config{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if c.ES.TimeKey != "ts" || c.ES.LogstashPrefixKey.Raw != "team" || c.ES.IDKey.Raw != "rid" {
		t.Errorf("document keys: %+v", c.ES)
	}
	if c.Location.String() != "Europe/Paris" {
		t.Errorf("zone %v", c.Location)
	}
	if f := c.ES.TimeFormat; f.Pattern() != "%d/%b/%Y %H:%M:%S" || !f.Nanos() ||
		string(f.Append(nil, time.Date(2026, 11, 21, 7, 35, 32, 633e6, time.UTC))) != `"21/Nov/2026 07:35:32.633000000Z"` {
		t.Errorf("time format %q nanos=%v", f.Pattern(), f.Nanos())
	}
	s := c.Summary()
	if !strings.Contains(s, `Time_Key_Format="%d/%b/%Y %H:%M:%S" Time_Key_Nanos=on`) {
		t.Errorf("summary %s", s)
	}
	if strings.Contains(s, "hunter2") || !strings.Contains(s, "File="+file) {
		t.Errorf("summary %s", s)
	}
	for _, z := range []string{"UTC", "utc", "Local", "America/New_York", "Asia/Kolkata"} {
		if _, err := ParseConfig(getter(map[string]string{"time_zone": z})); err != nil {
			t.Errorf("%s: %v", z, err)
		}
	}
	for _, v := range []string{"on", "off", "true", "false", "yes", "no", "1", "0", "ON", "No"} {
		if _, err := ParseConfig(getter(map[string]string{"keep_message": v, "replace_dots": v, "include_tag_key": v, "time_key_nanos": v})); err != nil {
			t.Errorf("%s: %v", v, err)
		}
	}
	if c, _ := ParseConfig(getter(map[string]string{"destination": "es"})); c.Destination != "elasticsearch" {
		t.Errorf("es alias: %s", c.Destination)
	}
	if c, _ := ParseConfig(getter(map[string]string{"time_key_format": "%Y-%m-%dT%H:%M:%S"})); c.ES.TimeFormat.Pattern() != "%Y-%m-%dT%H:%M:%S" ||
		c.ES.TimeFormat.Nanos() || !strings.Contains(c.Summary(), "Time_Key_Format=%Y-%m-%dT%H:%M:%S Time_Key_Nanos=off") {
		t.Errorf("Fluent Bit's default: %q, %s", c.ES.TimeFormat.Pattern(), c.Summary())
	}
}

func TestParseConfigErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		props map[string]string
		want  string
	}{
		{map[string]string{"destination": "kafka"}, `haproxy: Destination "kafka" is not valid: want stdout, file or elasticsearch`},
		{map[string]string{"destination": "file"}, "File is required"},
		{map[string]string{"destination": "file", "file": filepath.Join(dir, "nodir", "x.log")}, `File "` + filepath.Join(dir, "nodir", "x.log") + `" is not valid`},
		{map[string]string{"destination": "file", "file": dir}, "not a directory"},
		{map[string]string{"file": filepath.Join(dir, "x")}, "unless Destination is file"},
		{map[string]string{"keep_message": "maybe"}, `Keep_Message "maybe" is not valid: want on, off`},
		{map[string]string{"explain": "some"}, `Explain "some" is not valid: want anomalies, all or none`},
		{map[string]string{"include_tag_key": "2"}, `Include_Tag_Key "2"`},
		{map[string]string{"time_key_nanos": "yep"}, `Time_Key_Nanos "yep"`},
		{map[string]string{"replace_dots": "x"}, `Replace_Dots "x"`},
		{map[string]string{"time_zone": "Mars/Olympus"}, `Time_Zone "Mars/Olympus" is not valid`},
		{map[string]string{"capture_request_headers": "host,,ua"}, `Capture_Request_Headers "host,,ua"`},
		{map[string]string{"capture_response_headers": "content type"}, `Capture_Response_Headers "content type"`},
		{map[string]string{"tag_key": "message"}, `Tag_Key "message" is not valid`},
		{map[string]string{"time_key": "haproxy"}, `Time_Key "haproxy" is not valid`},
		{map[string]string{"include_tag_key": "on", "tag_key": "ts", "time_key": "ts"}, `Tag_Key "ts"`},
		{map[string]string{"time_key_format": "%Q"}, `Time_Key_Format "%Q" is not valid: want a strftime format such as %Y-%m-%dT%H:%M:%S (time format "%Q": failed to compile format: pattern compilation failed: lookup failed: '%Q' was not found`},
		{map[string]string{"time_key_format": "constant"}, `Time_Key_Format "constant" is not valid: want a strftime format`},
		{map[string]string{"time_key_format": "2006-01-02"}, `haproxy: Time_Key_Format "2006-01-02" is not valid: want a strftime format such as %Y-%m-%dT%H:%M:%S (time format "2006-01-02" has no % directive`},
		{map[string]string{"time_key_format": "%Y", "time_key_nanos": "x"}, `Time_Key_Nanos "x"`},
		{map[string]string{"id_key": "$record['id'"}, `Id_Key "$record['id'" is not valid: want a record key (log_id) or a record accessor`},
		{map[string]string{"id_key": "$"}, `Id_Key "$"`},
		{map[string]string{"logstash_prefix_key": "$kubernetes[ns]"}, `Logstash_Prefix_Key "$kubernetes[ns]"`},
		{map[string]string{"flap_threshold": "1"}, `Flap_Threshold "1" is not valid: want a whole number from 2 to 64`},
		{map[string]string{"flap_threshold": "lots"}, `Flap_Threshold "lots"`},
		{map[string]string{"flap_window": "-5m"}, `Flap_Window "-5m" is not valid: want a positive duration`},
		{map[string]string{"state_file": filepath.Join(dir, "nodir", "s.json")}, `State_File "` + filepath.Join(dir, "nodir", "s.json") + `" is not valid`},
		{map[string]string{"state_file": dir}, `State_File "` + dir + `" is not valid: want a file path, not a directory`},
	}
	for _, c := range cases {
		_, err := ParseConfig(getter(c.props))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.props, err, c.want)
		}
	}
	// several problems are reported together
	_, err := ParseConfig(getter(map[string]string{"destination": "x", "keep_message": "y"}))
	if err == nil || !strings.Contains(err.Error(), "Destination") || !strings.Contains(err.Error(), "Keep_Message") {
		t.Errorf("joined: %v", err)
	}
}

func TestNewElasticsearchHook(t *testing.T) {
	c, err := ParseConfig(getter(map[string]string{"destination": "elasticsearch", "es_api_key": "secret"}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.Summary(), "secret") || !strings.Contains(c.Summary(), "ES_API_Key=***") {
		t.Errorf("summary %s", c.Summary())
	}
	if !strings.Contains(c.Summary(), "ES_Hosts=http://127.0.0.1:9200") {
		t.Errorf("summary %s", c.Summary())
	}
	saved := newElasticsearch
	defer func() { newElasticsearch = saved }()
	var got es.Config
	newElasticsearch = func(cfg es.Config, log sink.Logger) (sink.Sink, error) {
		got = cfg
		return discardSink{}, nil
	}
	c, err = ParseConfig(getter(map[string]string{"destination": "elasticsearch", "es_hosts": "https://u:pw@es1:9200", "index": "haproxy"}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.Summary(), "pw") {
		t.Errorf("summary shows a password: %s", c.Summary())
	}
	if _, err := New(c, &memLogger{}); err != nil || got.Index != "haproxy" {
		t.Errorf("New: %v, index %q", err, got.Index)
	}
	// an invalid Elasticsearch key fails the same single step
	if _, err := ParseConfig(getter(map[string]string{"destination": "elasticsearch", "es_hosts": "::bad", "keep_message": "x"})); err == nil ||
		!strings.Contains(err.Error(), "Keep_Message") {
		t.Errorf("es errors: %v", err)
	}
}

func TestFileSinkOpenError(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o500); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		t.Skip("root can write anywhere")
	}
	p := filepath.Join(ro, "x.log")
	c, err := ParseConfig(getter(map[string]string{"destination": "file", "file": p}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(c, &memLogger{}); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("got %v", err)
	}
}

// Explain reaches the encoder: by default a normal record has no texts,
// with Explain all it has them.
func TestExplainOption(t *testing.T) {
	for _, c := range []struct {
		value string
		want  encode.Explain
		texts bool
	}{{"", encode.ExplainAnomalies, false}, {"All", encode.ExplainAll, true}, {"none", encode.ExplainNone, false}} {
		cs := &captureSink{}
		in, _ := newTestInstance(t, map[string]string{"explain": c.value}, cs)
		if in.cfg.Explain != c.want {
			t.Errorf("Explain %q: %v", c.value, in.cfg.Explain)
		}
		if rc := in.Flush(tailRecord(nil, recTime, httpLine), "t"); rc != sink.OK {
			t.Fatal(rc)
		}
		doc := decodeDoc(t, cs.batches[0].docs[0])
		if _, ok := path(doc, "haproxy", "termination", "summary").(string); ok != c.texts {
			t.Errorf("Explain %q: termination.summary written %v, want %v: %s", c.value, ok, c.texts, cs.batches[0].docs[0])
		}
		if path(doc, "haproxy", "termination", "blame") == nil {
			t.Errorf("Explain %q: no blame", c.value)
		}
	}
}
