package es

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Keys this package reads (case-insensitive, as Fluent Bit hands them):
//
// Same names and meanings as Fluent Bit's own es output:
//
//	Index, Type, Logstash_Format, Logstash_Prefix, Logstash_Prefix_Key,
//	Logstash_Prefix_Separator, Logstash_DateFormat, Generate_ID, Id_Key,
//	Write_Operation, Pipeline, Suppress_Type_Name, HTTP_User, HTTP_Passwd,
//	HTTP_API_Key, Cloud_ID, Cloud_Auth, Compress, Buffer_Size, Path,
//	Trace_Output, Trace_Error, Current_Time_Index (Replace_Dots is read by the output package)
//
// Read but owned by the output package (which applies them while encoding):
//
//	Time_Key (read here only to name the date field of the index template)
//
// The output package extracts the record values named by Id_Key and
// Logstash_Prefix_Key (Config.IDKey, Config.LogstashPrefixKey) into
// sink.Doc.ID and sink.Doc.Prefix.
//
// Our own (Fluent Bit keeps Host, Port and tls.* for itself):
//
//	ES_Hosts, ES_API_Key (alias of HTTP_API_Key), ES_TLS_Verify,
//	ES_TLS_CA_File, ES_TLS_Crt_File, ES_TLS_Key_File, ES_Timeout,
//	Data_Stream, Template_Install, Template_Overwrite, Template_Name,
//	Template_Pattern

// Operation is Write_Operation.
type Operation uint8

const (
	OpCreate Operation = iota // default: adds, skips documents whose _id exists (409)
	OpIndex                   // adds or replaces
	OpUpdate                  // updates existing documents (by _id)
	OpUpsert                  // updates, or inserts when missing
)

func (o Operation) String() string {
	return [...]string{"create", "index", "update", "upsert"}[o]
}

// TypeMode is Suppress_Type_Name.
type TypeMode uint8

const (
	// TypeAuto (key unset): send `_type` only to Elasticsearch 6 and older,
	// as found by the probe at init (7 and newer are typeless; 8 refuses
	// `_type`). When the version is unknown, `_type` is not sent.
	TypeAuto     TypeMode = iota
	TypeSuppress          // Suppress_Type_Name on: never send `_type`
	TypeSend              // Suppress_Type_Name off: always send `_type` (Fluent Bit's default)
)

// Config is the validated Elasticsearch configuration of one output.
type Config struct {
	Hosts []*url.URL // ES_Hosts (or the Cloud_ID address), Path appended; userinfo kept for auth

	Index              string // "fluent-bit"
	Type               string // "_doc"
	TypeMode           TypeMode
	LogstashFormat     bool
	LogstashPrefix     string // "logstash"
	LogstashPrefixKey  string
	LogstashSeparator  string // "-"
	LogstashDateFormat string // "%Y.%m.%d"
	dateFormat         dateFormat
	CurrentTimeIndex   bool
	DataStream         string

	GenerateID bool
	IDKey      string
	Operation  Operation
	Pipeline   string

	User     string // HTTP_User, or the user of Cloud_Auth
	Password string
	APIKey   string // HTTP_API_Key / ES_API_Key (ignored when a user is set, as in Fluent Bit)

	TLSVerify bool // ES_TLS_Verify, on
	TLSCAFile string
	TLSCrt    string
	TLSKey    string
	Timeout   time.Duration // ES_Timeout, 30s

	Compress    bool  // Compress gzip
	BufferSize  int64 // Buffer_Size, 512KiB; 0 = unlimited
	TraceOutput bool
	TraceError  bool

	TemplateInstall   bool
	TemplateOverwrite bool
	TemplateName      string   // "haproxy"
	TemplatePatterns  []string // Template_Pattern, comma-separated
	TimeKey           string   // Time_Key ("@timestamp"), mapped as date in the template
}

const (
	defaultHost       = "http://127.0.0.1:9200"
	defaultBufferSize = 512 * 1024
	defaultTimeout    = 30 * time.Second
)

type configError struct {
	key, value, want string
}

func (e *configError) Error() string {
	return fmt.Sprintf("haproxy: %s %q is not valid: %s", e.key, e.value, e.want)
}

func invalid(key, value, want string) error { return &configError{key, value, want} }

func parseBool(key, v string, def bool) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return def, nil
	case "on", "true", "yes":
		return true, nil
	case "off", "false", "no":
		return false, nil
	}
	return false, invalid(key, v, "want on, off, true, false, yes or no")
}

// parseSize reads a Fluent Bit unit size: 512, 512k, 512KB, 5M, 1G (powers
// of 1024). "False", "off" or "unlimited" give 0 (no limit).
func parseSize(key, v string) (int64, error) {
	s := strings.TrimSpace(v)
	switch strings.ToLower(s) {
	case "":
		return defaultBufferSize, nil
	case "false", "off", "unlimited", "no":
		return 0, nil
	}
	want := "want a size such as 512KB, 4M or 1G, or False for no limit"
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, invalid(key, v, want)
	}
	n, err := strconv.ParseInt(s[:i], 10, 64)
	if err != nil {
		return 0, invalid(key, v, want)
	}
	mult := int64(1)
	switch strings.ToLower(strings.TrimSpace(s[i:])) {
	case "", "b":
	case "k", "kb", "kib":
		mult = 1 << 10
	case "m", "mb", "mib":
		mult = 1 << 20
	case "g", "gb", "gib":
		mult = 1 << 30
	default:
		return 0, invalid(key, v, want)
	}
	if n <= 0 || n > (1<<40)/mult {
		return 0, invalid(key, v, want)
	}
	return n * mult, nil
}

// checkIndexName applies Elasticsearch's rules for index and data stream
// names (lower case, no \ / * ? " < > | , # space, not starting with - _ +).
func checkIndexName(key, v string) error {
	want := `want a lower-case Elasticsearch index name without \ / * ? " < > | , # or spaces, not starting with -, _ or +`
	if v == "" || v == "." || v == ".." || len(v) > 255 {
		return invalid(key, v, want)
	}
	if strings.ContainsAny(v, `\/*?"<>|,# :`) || strings.ContainsAny(v[:1], "-_+") || strings.ToLower(v) != v {
		return invalid(key, v, want)
	}
	return nil
}

// parseHost reads one ES_Hosts entry: a URL, or host[:port] for http.
func parseHost(key, raw string) (*url.URL, error) {
	want := "want http:// or https:// URLs separated by commas, e.g. https://es1:9200,https://es2:9200"
	s := strings.TrimSpace(raw)
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, invalid(key, redactURLString(raw), want)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// cloudIDAddress decodes an Elastic Cloud ID (name:base64(host$es-id$kibana-id)).
func cloudIDAddress(id string) (*url.URL, error) {
	want := "want <deployment name>:<base64 of host$elasticsearch-id$kibana-id> as shown by Elastic Cloud"
	i := strings.LastIndexByte(id, ':')
	if i < 0 {
		return nil, invalid("Cloud_ID", id, want)
	}
	data, err := base64.StdEncoding.DecodeString(id[i+1:])
	if err != nil {
		data, err = base64.RawStdEncoding.DecodeString(id[i+1:])
	}
	if err != nil {
		return nil, invalid("Cloud_ID", id, want)
	}
	parts := strings.Split(string(data), "$")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return nil, invalid("Cloud_ID", id, want)
	}
	host, port := parts[0], ""
	if j := strings.LastIndexByte(host, ':'); j >= 0 {
		host, port = host[:j], host[j:]
	}
	u, err := url.Parse("https://" + parts[1] + "." + host + port)
	if err != nil {
		return nil, invalid("Cloud_ID", id, want)
	}
	return u, nil
}

// ParseConfig reads and validates every key of this package in one step.
// get returns "" for an unset key. An invalid value fails with an error
// naming the key, the value and what is allowed.
func ParseConfig(get func(key string) string) (Config, error) {
	val := func(k string) string { return strings.TrimSpace(get(k)) }
	c := Config{
		Index:              "fluent-bit",
		Type:               "_doc",
		LogstashPrefix:     "logstash",
		LogstashSeparator:  "-",
		LogstashDateFormat: "%Y.%m.%d",
		TLSVerify:          true,
		Timeout:            defaultTimeout,
		BufferSize:         defaultBufferSize,
		TemplateName:       "haproxy",
		TimeKey:            "@timestamp",
	}
	var err error
	bools := []struct {
		key string
		dst *bool
	}{
		{"Logstash_Format", &c.LogstashFormat},
		{"Current_Time_Index", &c.CurrentTimeIndex},
		{"Generate_ID", &c.GenerateID},
		{"Trace_Output", &c.TraceOutput},
		{"Trace_Error", &c.TraceError},
		{"ES_TLS_Verify", &c.TLSVerify},
		{"Template_Install", &c.TemplateInstall},
		{"Template_Overwrite", &c.TemplateOverwrite},
	}
	for _, b := range bools {
		if *b.dst, err = parseBool(b.key, get(b.key), *b.dst); err != nil {
			return c, err
		}
	}
	if v := get("Suppress_Type_Name"); strings.TrimSpace(v) != "" {
		on, err := parseBool("Suppress_Type_Name", v, false)
		if err != nil {
			return c, err
		}
		c.TypeMode = TypeSend
		if on {
			c.TypeMode = TypeSuppress
		}
	}

	indexSet := val("Index") != ""
	if indexSet {
		c.Index = val("Index")
		if err := checkIndexName("Index", c.Index); err != nil {
			return c, err
		}
	}
	if v := val("Type"); v != "" {
		c.Type = v
	}
	if v := val("Logstash_Prefix"); v != "" {
		c.LogstashPrefix = v
		if err := checkIndexName("Logstash_Prefix", v); err != nil {
			return c, err
		}
	}
	c.LogstashPrefixKey = val("Logstash_Prefix_Key")
	if v := get("Logstash_Prefix_Separator"); v != "" {
		c.LogstashSeparator = v
		if strings.ContainsAny(v, `\/*?"<>|,# `) || strings.ToLower(v) != v {
			return c, invalid("Logstash_Prefix_Separator", v, `want characters allowed in an index name, e.g. - or .`)
		}
	}
	if v := val("Logstash_DateFormat"); v != "" {
		c.LogstashDateFormat = v
	}
	if c.dateFormat, err = compileDateFormat(c.LogstashDateFormat); err != nil {
		return c, invalid("Logstash_DateFormat", c.LogstashDateFormat, "want a strftime format such as %Y.%m.%d ("+err.Error()+")")
	}
	c.IDKey = val("Id_Key")
	if v := val("Write_Operation"); v != "" {
		switch strings.ToLower(v) {
		case "create":
			c.Operation = OpCreate
		case "index":
			c.Operation = OpIndex
		case "update":
			c.Operation = OpUpdate
		case "upsert":
			c.Operation = OpUpsert
		default:
			return c, invalid("Write_Operation", v, "want create, index, update or upsert")
		}
	}
	if (c.Operation == OpUpdate || c.Operation == OpUpsert) && !c.GenerateID && c.IDKey == "" {
		return c, invalid("Write_Operation", val("Write_Operation"), "update and upsert need a document id: set Id_Key or Generate_ID on")
	}
	c.Pipeline = val("Pipeline")

	if v := val("Data_Stream"); v != "" {
		if err := checkIndexName("Data_Stream", v); err != nil {
			return c, err
		}
		switch {
		case c.LogstashFormat:
			return c, invalid("Data_Stream", v, "a data stream cannot be combined with Logstash_Format on: set one of them")
		case indexSet:
			return c, invalid("Data_Stream", v, "a data stream is its own index: do not set Index as well")
		case val("Write_Operation") != "" && c.Operation != OpCreate:
			return c, invalid("Write_Operation", val("Write_Operation"), "a data stream accepts only create")
		}
		c.DataStream = v
		c.Operation = OpCreate
	}

	c.User, c.Password = val("HTTP_User"), get("HTTP_Passwd")
	if c.Password != "" && c.User == "" {
		return c, invalid("HTTP_Passwd", "(hidden)", "HTTP_Passwd needs HTTP_User")
	}
	if c.User != "" && c.Password == "" {
		return c, invalid("HTTP_User", c.User, "HTTP_User needs HTTP_Passwd")
	}
	if v := val("Cloud_Auth"); v != "" {
		user, pass, ok := strings.Cut(v, ":")
		if !ok || user == "" || pass == "" {
			return c, invalid("Cloud_Auth", "(hidden)", "want user:password")
		}
		c.User, c.Password = user, pass
	}
	apiKey, esAPIKey := val("HTTP_API_Key"), val("ES_API_Key")
	if apiKey != "" && esAPIKey != "" && apiKey != esAPIKey {
		return c, invalid("ES_API_Key", "(hidden)", "HTTP_API_Key and ES_API_Key name the same setting: set one")
	}
	c.APIKey = apiKey
	if c.APIKey == "" {
		c.APIKey = esAPIKey
	}

	hosts, cloudID := val("ES_Hosts"), val("Cloud_ID")
	switch {
	case cloudID != "" && hosts != "":
		return c, invalid("Cloud_ID", cloudID, "Cloud_ID gives the address: do not set ES_Hosts as well")
	case cloudID != "":
		u, err := cloudIDAddress(cloudID)
		if err != nil {
			return c, err
		}
		c.Hosts = []*url.URL{u}
	default:
		if hosts == "" {
			hosts = defaultHost
		}
		for _, h := range strings.Split(hosts, ",") {
			if strings.TrimSpace(h) == "" {
				continue
			}
			u, err := parseHost("ES_Hosts", h)
			if err != nil {
				return c, err
			}
			c.Hosts = append(c.Hosts, u)
		}
		if len(c.Hosts) == 0 {
			return c, invalid("ES_Hosts", hosts, "want at least one URL")
		}
	}
	if p := val("Path"); p != "" {
		if strings.ContainsAny(p, "?# ") {
			return c, invalid("Path", p, "want a URL path prefix such as /es")
		}
		p = "/" + strings.Trim(p, "/")
		for _, u := range c.Hosts {
			u.Path += p
		}
	}

	c.TLSCAFile, c.TLSCrt, c.TLSKey = val("ES_TLS_CA_File"), val("ES_TLS_Crt_File"), val("ES_TLS_Key_File")
	if (c.TLSCrt == "") != (c.TLSKey == "") {
		if c.TLSCrt == "" {
			return c, invalid("ES_TLS_Key_File", c.TLSKey, "a client key needs ES_TLS_Crt_File too")
		}
		return c, invalid("ES_TLS_Crt_File", c.TLSCrt, "a client certificate needs ES_TLS_Key_File too")
	}
	if v := val("ES_Timeout"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			if n, err2 := strconv.Atoi(v); err2 == nil {
				d, err = time.Duration(n)*time.Second, nil
			}
		}
		if err != nil || d <= 0 {
			return c, invalid("ES_Timeout", v, "want a positive duration such as 30s or 2m (a bare number is seconds)")
		}
		c.Timeout = d
	}

	switch v := strings.ToLower(val("Compress")); v {
	case "", "none", "off", "false":
	case "gzip":
		c.Compress = true
	default:
		return c, invalid("Compress", val("Compress"), "want gzip, or leave it unset")
	}
	if c.BufferSize, err = parseSize("Buffer_Size", get("Buffer_Size")); err != nil {
		return c, err
	}

	if v := val("Template_Name"); v != "" {
		c.TemplateName = v
		if strings.ContainsAny(v, `\/*?"<>|,# `) {
			return c, invalid("Template_Name", v, `want a name without \ / * ? " < > | , # or spaces`)
		}
	}
	if v := val("Template_Pattern"); v != "" {
		for _, p := range strings.Split(v, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if strings.ContainsAny(p, `\/?"<>|# `) || strings.ToLower(p) != p {
				return c, invalid("Template_Pattern", v, "want comma-separated lower-case index patterns such as haproxy-*")
			}
			c.TemplatePatterns = append(c.TemplatePatterns, p)
		}
	}
	if len(c.TemplatePatterns) == 0 {
		switch {
		case c.DataStream != "":
			c.TemplatePatterns = []string{c.DataStream}
		case c.LogstashFormat:
			c.TemplatePatterns = []string{c.LogstashPrefix + c.LogstashSeparator + "*"}
		default:
			c.TemplatePatterns = []string{c.Index}
		}
	}
	if v := val("Time_Key"); v != "" {
		c.TimeKey = v
	}
	if c.DataStream != "" && c.TimeKey != "@timestamp" {
		return c, invalid("Time_Key", c.TimeKey, "a data stream needs the time in @timestamp: leave Time_Key unset with Data_Stream")
	}
	return c, nil
}

// redactURLString removes the userinfo of a URL written as text.
func redactURLString(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
			return s[:i+3] + rest[at+1:]
		}
	}
	return s
}

// Redacted returns u as text without its userinfo.
func redacted(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// HostList is the comma-separated list of hosts without credentials.
func (c *Config) HostList() string {
	s := make([]string, len(c.Hosts))
	for i, u := range c.Hosts {
		s[i] = redacted(u)
	}
	return strings.Join(s, ",")
}

// Summary lists the effective delivery options for the start-up log line
// (credentials are never shown, only which kind of authentication is used).
func (c *Config) Summary() string {
	var parts []string
	kv := func(k, v string) { parts = append(parts, k+"="+v) }
	onoff := func(v bool) string {
		if v {
			return "on"
		}
		return "off"
	}
	switch {
	case c.DataStream != "":
		kv("Data_Stream", c.DataStream)
	case c.LogstashFormat:
		kv("Logstash_Format", "on")
		kv("Logstash_Prefix", c.LogstashPrefix)
		kv("Logstash_DateFormat", c.LogstashDateFormat)
	default:
		kv("Index", c.Index)
	}
	kv("Write_Operation", c.Operation.String())
	kv("Generate_ID", onoff(c.GenerateID))
	if c.Pipeline != "" {
		kv("Pipeline", c.Pipeline)
	}
	if c.Compress {
		kv("Compress", "gzip")
	}
	switch {
	case c.User != "":
		kv("auth", "basic (user "+c.User+")")
	case c.APIKey != "":
		kv("auth", "api key")
	}
	kv("ES_Timeout", c.Timeout.String())
	kv("Template_Install", onoff(c.TemplateInstall))
	return strings.Join(parts, " ")
}
