package es

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// The Time_Key_Format values the template must map (each a full date and
// time, so that the stored instant can be compared).
var mappedFormats = []struct {
	pattern string
	nanos   bool
	java    string // the format the template gives, "" for the default
}{
	{"", false, ""},
	{"", true, ""},
	{"%Y-%m-%dT%H:%M:%S", true, ""},
	{"%d/%b/%Y %H:%M:%S", false, "dd/MMM/yyyy HH:mm:ss.SSS'Z'"},
	{"%d/%b/%Y:%H:%M:%S", true, "dd/MMM/yyyy:HH:mm:ss.SSSSSSSSS'Z'"},
	{"%Y%m%d%H%M%S", false, "yyyyMMddHHmmss.SSS'Z'"},
	{"%FT%T%z", false, "yyyy-MM-dd'T'HH:mm:ssZ.SSS'Z'"},
	{"%a, %d %b %Y %T %Z", false, "EEE, dd MMM yyyy HH:mm:ss 'GMT'.SSS'Z'"},
	{"%Y-%m-%d %I:%M:%S %p", false, "yyyy-MM-dd hh:mm:ss a.SSS'Z'"},
	{"%j/%Y %H:%M:%S", false, "DDD/yyyy HH:mm:ss.SSS'Z'"},
	{"at %Y.%m.%d %Hh%M'%S %%", false, "'at' yyyy.MM.dd HH'h'mm''''ss %.SSS'Z'"},
}

func TestTimeMapping(t *testing.T) {
	for _, f := range mappedFormats {
		tf, err := encode.NewTimeFormat(f.pattern, f.nanos)
		if err != nil {
			t.Fatal(err)
		}
		m, err := timeMapping(tf)
		want := map[string]any{"type": "date"}
		if f.nanos {
			want["type"] = "date_nanos"
		}
		if f.java != "" {
			want["format"] = f.java
		}
		if err != nil || fmt.Sprint(m) != fmt.Sprint(want) {
			t.Errorf("%q nanos=%v: %v %v, want %v", f.pattern, f.nanos, m, err, want)
		}
	}
	// A conversion without a Java equivalent fails Init with
	// Template_Install on, and only then.
	for _, p := range []string{"%s", "%Y %U", "%e/%m/%Y", "%c", "%Y-%m-%d %k"} {
		_, err := ParseConfig(getter(map[string]string{"Template_Install": "on", "Time_Key_Format": p}))
		if err == nil || !strings.Contains(err.Error(), `Time_Key_Format "`+p+`" is not valid: with Template_Install on, the index template cannot map %`) {
			t.Errorf("%q: %v", p, err)
		}
		if _, err := ParseConfig(getter(map[string]string{"Time_Key_Format": p})); err != nil {
			t.Errorf("%q without Template_Install: %v", p, err)
		}
	}
	c, err := ParseConfig(getter(map[string]string{"Time_Key": "ts", "Time_Key_Nanos": "on"}))
	if err != nil {
		t.Fatal(err)
	}
	body, err := TemplateBody(&c)
	if err != nil || !strings.Contains(string(body), `"ts":{"type":"date_nanos"}`) || strings.Contains(string(body), `"@timestamp"`) {
		t.Errorf("Time_Key ts: %v %s", err, body)
	}
}

// On the real node: the template installed for each format reads the time
// the encoder writes in it back as the same instant (to the millisecond, or
// the nanosecond with Time_Key_Nanos).
func TestRealTimeKeyFormats(t *testing.T) {
	base := realURL(t)
	needVersion(t, 7, 8)
	at := time.Date(2026, 11, 21, 7, 35, 32, 633123456, time.UTC)
	for i, f := range mappedFormats {
		index, tname := uniq(fmt.Sprintf("hx-time%d", i)), uniq(fmt.Sprintf("hx-time%d", i))
		t.Cleanup(func() {
			esCall(t, "DELETE", base+"/"+index, "")
			esCall(t, "DELETE", base+"/_index_template/"+tname, "")
		})
		s, log := realSink(t, map[string]string{"Index": index, "Template_Install": "on", "Template_Name": tname,
			"Time_Key_Format": f.pattern, "Time_Key_Nanos": map[bool]string{true: "on", false: "off"}[f.nanos]})
		ts := s.cfg.TimeFormat.Append(nil, at)
		doc := `{"@timestamp":` + string(ts) + `,"message":"x"}`
		if res := s.Write(&sink.Batch{Docs: []sink.Doc{{JSON: []byte(doc), Time: at}}}); res.Code != sink.OK || res.Delivered != 1 {
			t.Errorf("%q: %s refused: %+v\n%s", f.pattern, ts, res, log.all())
			continue
		}
		esCall(t, "POST", base+"/"+index+"/_refresh", "")
		st, b := esCall(t, "GET", base+"/"+index+"/_search",
			`{"docvalue_fields":[{"field":"@timestamp","format":"strict_date_optional_time_nanos"}]}`)
		var r struct {
			Hits struct {
				Hits []struct {
					Fields map[string][]string `json:"fields"`
				} `json:"hits"`
			} `json:"hits"`
		}
		if err := json.Unmarshal(b, &r); st != 200 || err != nil || len(r.Hits.Hits) != 1 {
			t.Errorf("%q: search %d %s", f.pattern, st, b)
			continue
		}
		want := at.Truncate(time.Millisecond)
		if f.nanos {
			want = at
		}
		got, err := time.Parse(time.RFC3339Nano, r.Hits.Hits[0].Fields["@timestamp"][0])
		if err != nil || !got.Equal(want) {
			t.Errorf("%q nanos=%v: %s stored as %v, want %v", f.pattern, f.nanos, ts, r.Hits.Hits[0].Fields["@timestamp"], want)
		}
	}
}
