package es

import (
	"encoding/base64"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/config"
	"strings"
	"testing"
	"time"
)

func getter(kv map[string]string) func(string) string {
	low := map[string]string{}
	for k, v := range kv {
		low[strings.ToLower(k)] = v
	}
	return func(k string) string { return low[strings.ToLower(k)] }
}

func TestParseConfigDefaults(t *testing.T) {
	c, err := ParseConfig(getter(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Index != "fluent-bit" || c.LogstashFormat || c.LogstashPrefix != "logstash" ||
		c.LogstashDateFormat != "%Y.%m.%d" || c.LogstashSeparator != "-" || c.Type != "_doc" ||
		c.TypeMode != TypeAuto || c.Operation != OpCreate || c.GenerateID || c.Compress ||
		c.BufferSize != 512*1024 || !c.TLSVerify || c.Timeout != 30*time.Second ||
		!c.TemplateInstall || c.TemplateRequired || c.TemplateOverwrite || c.TemplateName != "haproxy-fluent-bit" ||
		c.TimeKey != "@timestamp" || c.DataStream != "" {
		t.Fatalf("defaults: %+v", c)
	}
	if len(c.Hosts) != 1 || c.Hosts[0].String() != "http://127.0.0.1:9200" {
		t.Fatalf("hosts: %v", c.Hosts)
	}
	if strings.Join(c.TemplatePatterns, ",") != "fluent-bit" {
		t.Fatalf("patterns %v", c.TemplatePatterns)
	}
}

func TestParseConfigValues(t *testing.T) {
	c, err := ParseConfig(getter(map[string]string{
		"index": "haproxy", "Logstash_Format": "On", "logstash_prefix": "hap",
		"Logstash_Prefix_Key": "$kube['ns']", "Logstash_Prefix_Separator": ".",
		"Logstash_DateFormat": "%Y-%m", "Generate_ID": "true", "Write_Operation": "Upsert",
		"Pipeline": "geo ip", "Suppress_Type_Name": "on", "HTTP_User": "u", "HTTP_Passwd": "p",
		"Compress": "GZIP", "Buffer_Size": "5M", "Trace_Output": "yes", "Trace_Error": "on",
		"Current_Time_Index": "on", "ES_Hosts": "https://a:9200/, b:9201",
		"ES_API_Key": "k", "ES_TLS_Verify": "off", "ES_Timeout": "90", "Template_Install": "on",
		"Template_Overwrite": "on", "Template_Name": "hx", "Path": "/es/", "Type": "flb_type",
		"Time_Key": "ts",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.LogstashFormat || c.LogstashPrefix != "hap" || c.LogstashPrefixKey.Raw != "$kube['ns']" ||
		c.LogstashSeparator != "." || !c.GenerateID || c.Operation != OpUpsert || c.Pipeline != "geo ip" ||
		c.TypeMode != TypeSuppress || c.User != "u" || c.Password != "p" || !c.Compress ||
		c.BufferSize != 5<<20 || !c.TraceOutput || !c.TraceError || !c.CurrentTimeIndex ||
		c.APIKey != "k" || c.TLSVerify || c.Timeout != 90*time.Second || !c.TemplateInstall ||
		!c.TemplateOverwrite || c.TemplateName != "hx" || c.Type != "flb_type" || c.TimeKey != "ts" {
		t.Fatalf("values: %+v", c)
	}
	if got := c.HostList(); got != "https://a:9200/es,http://b:9201/es" {
		t.Fatalf("hosts %s", got)
	}
	if strings.Join(c.TemplatePatterns, ",") != "hap.*" {
		t.Fatalf("patterns %v", c.TemplatePatterns)
	}
	c, err = ParseConfig(getter(map[string]string{"Suppress_Type_Name": "off", "Buffer_Size": "False"}))
	if err != nil || c.TypeMode != TypeSend || c.BufferSize != 0 {
		t.Fatalf("%v %+v", err, c)
	}
	c, err = ParseConfig(getter(map[string]string{"Data_Stream": "logs-haproxy-default"}))
	if err != nil || c.DataStream != "logs-haproxy-default" || c.Operation != OpCreate ||
		strings.Join(c.TemplatePatterns, ",") != "logs-haproxy-default" {
		t.Fatalf("%v %+v", err, c)
	}
}

func TestParseConfigCloud(t *testing.T) {
	id := "my-dep:" + base64.StdEncoding.EncodeToString([]byte("eu-west-1.aws.found.io:443$abc123$kib456"))
	c, err := ParseConfig(getter(map[string]string{"Cloud_ID": id, "Cloud_Auth": "elastic:s3cr:et", "HTTP_User": "x", "HTTP_Passwd": "y"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.HostList() != "https://abc123.eu-west-1.aws.found.io:443" || c.User != "elastic" || c.Password != "s3cr:et" {
		t.Fatalf("%s %s %s", c.HostList(), c.User, c.Password)
	}
	id = "dep:" + base64.StdEncoding.EncodeToString([]byte("example.com$uuid$k"))
	c, err = ParseConfig(getter(map[string]string{"Cloud_ID": id}))
	if err != nil || c.HostList() != "https://uuid.example.com" {
		t.Fatalf("%v %s", err, c.HostList())
	}
}

func TestParseConfigErrors(t *testing.T) {
	cases := []struct {
		kv   map[string]string
		want string // substring of the error
	}{
		{map[string]string{"Write_Operation": "delete"}, `haproxy: Write_Operation "delete" is not valid: want create, index, update or upsert`},
		{map[string]string{"Write_Operation": "update"}, `Write_Operation "update" is not valid: update and upsert need a document id`},
		{map[string]string{"Write_Operation": "upsert"}, `Write_Operation "upsert"`},
		{map[string]string{"Logstash_Format": "maybe"}, `Logstash_Format "maybe" is not valid: want on, off`},
		{map[string]string{"Current_Time_Index": "2"}, `Current_Time_Index "2"`},
		{map[string]string{"Generate_ID": "x"}, `Generate_ID "x"`},
		{map[string]string{"Trace_Output": "x"}, `Trace_Output "x"`},
		{map[string]string{"Trace_Error": "x"}, `Trace_Error "x"`},
		{map[string]string{"ES_TLS_Verify": "x"}, `ES_TLS_Verify "x"`},
		{map[string]string{"Template_Install": "x"}, `Template_Install "x"`},
		{map[string]string{"Template_Overwrite": "x"}, `Template_Overwrite "x"`},
		{map[string]string{"Suppress_Type_Name": "x"}, `Suppress_Type_Name "x"`},
		{map[string]string{"Index": "HAProxy"}, `Index "HAProxy" is not valid: want a lower-case`},
		{map[string]string{"Index": "_x"}, `Index "_x"`},
		{map[string]string{"Index": "a b"}, `Index "a b"`},
		{map[string]string{"Logstash_Prefix": "a*"}, `Logstash_Prefix "a*"`},
		{map[string]string{"Logstash_Prefix_Separator": "/"}, `Logstash_Prefix_Separator "/"`},
		{map[string]string{"Logstash_DateFormat": "%Y.%Q"}, `Logstash_DateFormat "%Y.%Q" is not valid: want a strftime format such as %Y.%m.%d`},
		{map[string]string{"Logstash_DateFormat": "%Y%"}, `Logstash_DateFormat "%Y%"`},
		{map[string]string{"Data_Stream": "Logs"}, `Data_Stream "Logs"`},
		{map[string]string{"Data_Stream": "logs-a-b", "Logstash_Format": "on"}, `Data_Stream "logs-a-b" is not valid: a data stream cannot be combined with Logstash_Format`},
		{map[string]string{"Data_Stream": "logs-a-b", "Index": "x"}, `do not set Index`},
		{map[string]string{"Data_Stream": "logs-a-b", "Write_Operation": "index"}, `Write_Operation "index" is not valid: a data stream accepts only create`},
		{map[string]string{"Data_Stream": "logs-a-b", "Time_Key": "ts"}, `Time_Key "ts"`},
		{map[string]string{"HTTP_Passwd": "secret"}, `HTTP_Passwd "(hidden)" is not valid: HTTP_Passwd needs HTTP_User`},
		{map[string]string{"Cloud_Auth": "nopass"}, `Cloud_Auth "(hidden)" is not valid: want user:password`},
		{map[string]string{"Cloud_ID": "nocolon"}, `Cloud_ID "nocolon"`},
		{map[string]string{"Cloud_ID": "x:!!!"}, `Cloud_ID "x:!!!"`},
		{map[string]string{"Cloud_ID": "x:" + base64.StdEncoding.EncodeToString([]byte("a"))}, `Cloud_ID`},
		{map[string]string{"Cloud_ID": "x:eA==", "ES_Hosts": "http://a"}, `do not set ES_Hosts`},
		{map[string]string{"HTTP_API_Key": "a", "ES_API_Key": "b"}, `ES_API_Key "(hidden)"`},
		{map[string]string{"ES_Hosts": "ftp://x"}, `ES_Hosts "ftp://x" is not valid: want http:// or https://`},
		{map[string]string{"ES_Hosts": "http://"}, `ES_Hosts "http://"`},
		{map[string]string{"ES_Hosts": " , "}, `ES_Hosts`},
		{map[string]string{"Path": "/a?b"}, `Path "/a?b"`},
		{map[string]string{"ES_TLS_Crt_File": "/c.pem"}, `ES_TLS_Crt_File "/c.pem" is not valid: a client certificate needs ES_TLS_Key_File`},
		{map[string]string{"ES_TLS_Key_File": "/k.pem"}, `ES_TLS_Key_File "/k.pem"`},
		{map[string]string{"ES_Timeout": "soon"}, `ES_Timeout "soon" is not valid: want a positive duration`},
		{map[string]string{"ES_Timeout": "-3s"}, `ES_Timeout "-3s"`},
		{map[string]string{"ES_Timeout": "0"}, `ES_Timeout "0"`},
		{map[string]string{"Compress": "zstd"}, `Compress "zstd" is not valid: want gzip`},
		{map[string]string{"Buffer_Size": "lots"}, `Buffer_Size "lots" is not valid: want a size`},
		{map[string]string{"Buffer_Size": "5T"}, `Buffer_Size "5T"`},
		{map[string]string{"Buffer_Size": "0"}, `Buffer_Size "0"`},
		{map[string]string{"Template_Name": "a/b"}, `Template_Name "a/b"`},
		{map[string]string{"Template_Pattern": "Hap-*"}, `Template_Pattern "Hap-*"`},
	}
	for _, tc := range cases {
		_, err := ParseConfig(getter(tc.kv))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.kv, err, tc.want)
		}
	}
}

func TestParseConfigNoSecretsInErrors(t *testing.T) {
	for _, kv := range []map[string]string{
		{"ES_Hosts": "ftp://bob:hunter2@es:9200"},
		{"HTTP_Passwd": "hunter2"},
		{"Cloud_Auth": "hunter2"},
		{"ES_API_Key": "hunter2", "HTTP_API_Key": "other"},
	} {
		_, err := ParseConfig(getter(kv))
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%v: %v", kv, err)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"512": 512, "4k": 4096, "4KB": 4096, "1m": 1 << 20, "2G": 2 << 30, "off": 0, "unlimited": 0, "": 512 << 10} {
		if in == "" {
			continue
		}
		got, ok := config.ParseSize(in, true)
		if !ok || got != want {
			t.Errorf("%q: %d %v", in, got, ok)
		}
	}
}

func TestStrftime(t *testing.T) {
	tm := time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC) // a Tuesday
	for f, want := range map[string]string{
		"%Y.%m.%d":          "2024.03.05",
		"%y%m%d-%H%M%S":     "240305-070809",
		"%j":                "065",
		"%b-%B-%a-%A":       "mar-march-tue-tuesday",
		"%F %%":             "2024-03-05 %",
		"%G-w%V-%u":         "2024-w10-2",
		"%s":                "1709622489",
		"[%e]":              "[ 5]",
		"literal-only":      "literal-only",
		"%Y.%m.%d.%H-trail": "2024.03.05.07-trail",
	} {
		df, err := compileDateFormat(f)
		if err != nil {
			t.Fatal(f, err)
		}
		if got := string(df.appendFormat(nil, tm)); got != want {
			t.Errorf("%q: %q want %q", f, got, want)
		}
	}
	if _, err := compileDateFormat("%Y.%Q"); err == nil {
		t.Error("unknown directive %Q accepted")
	}
}

func TestConfigSummary(t *testing.T) {
	for _, tt := range []struct {
		kv      map[string]string
		want    []string
		mustNot []string
	}{
		{nil, []string{"Index=fluent-bit", "Write_Operation=create", "Generate_ID=off", "ES_Timeout=30s", "Template_Install=on"}, []string{"auth="}},
		{map[string]string{"Logstash_Format": "on", "Logstash_Prefix": "haproxy", "Generate_ID": "on", "Compress": "gzip",
			"HTTP_User": "elastic", "HTTP_Passwd": "s3cret", "ES_Hosts": "http://u:pw@127.0.0.1:9200"},
			[]string{"Logstash_Format=on", "Logstash_Prefix=haproxy", "Generate_ID=on", "Compress=gzip", `auth="basic (user elastic)"`},
			[]string{"s3cret", "pw", "Index="}},
		{map[string]string{"Data_Stream": "logs-haproxy-default", "ES_API_Key": "c2VjcmV0"},
			[]string{"Data_Stream=logs-haproxy-default", `auth="api key"`}, []string{"c2VjcmV0"}},
	} {
		c, err := ParseConfig(getter(tt.kv))
		if err != nil {
			t.Fatal(err)
		}
		s := c.Summary()
		for _, w := range tt.want {
			if !strings.Contains(s, w) {
				t.Errorf("%v: summary %q lacks %q", tt.kv, s, w)
			}
		}
		for _, w := range tt.mustNot {
			if strings.Contains(s, w) {
				t.Errorf("%v: summary %q shows %q", tt.kv, s, w)
			}
		}
	}
}

// Template_Name defaults to one template per destination.
func TestTemplateNameDefault(t *testing.T) {
	for _, tc := range []struct {
		kv   map[string]string
		want string
	}{
		{nil, "haproxy-fluent-bit"},
		{map[string]string{"Index": "web"}, "haproxy-web"},
		{map[string]string{"Logstash_Format": "on", "Logstash_Prefix": "lb"}, "haproxy-lb"},
		{map[string]string{"Data_Stream": "logs-haproxy-prod"}, "haproxy-logs-haproxy-prod"},
		{map[string]string{"Index": "web", "Template_Name": "mine"}, "mine"},
	} {
		if c := mustConfig(t, tc.kv); c.TemplateName != tc.want {
			t.Errorf("%v: Template_Name %q, want %q", tc.kv, c.TemplateName, tc.want)
		}
	}
}
