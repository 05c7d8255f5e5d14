package es

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/config"
)

// The keys of this package are two tables (see package config): Options,
// the Elasticsearch delivery options, and DocumentOptions, the es output's
// options that shape each document (Time_Key, Id_Key ...), which the output
// package documents and reads with its own for every destination.
// Fluent Bit keeps Host, Port and tls.* for itself, hence ES_Hosts and the
// ES_TLS_* keys.

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

	Index              string
	Type               string
	TypeMode           TypeMode
	LogstashFormat     bool
	LogstashPrefix     string
	LogstashPrefixKey  config.Accessor // the record's value replaces LogstashPrefix (sink.Doc.Prefix)
	LogstashSeparator  string
	LogstashDateFormat string
	dateFormat         dateFormat
	CurrentTimeIndex   bool
	DataStream         string

	GenerateID bool
	IDKey      config.Accessor // the record's value is the _id (sink.Doc.ID)
	Operation  Operation
	Pipeline   string

	User     string // HTTP_User, or the user of Cloud_Auth
	Password string
	APIKey   string // HTTP_API_Key / ES_API_Key (ignored when a user is set, as in Fluent Bit)

	TLSVerify bool
	TLSCAFile string
	TLSCrt    string
	TLSKey    string
	Timeout   time.Duration

	Compress    bool  // Compress gzip
	BufferSize  int64 // 0 = unlimited
	BulkSize    int64 // largest _bulk request body; 0 = one request per chunk
	TraceOutput bool
	TraceError  bool

	// TemplateInstall is on by default. TemplateRequired says it was set
	// on: a template that cannot be installed then fails Init, where the
	// default only warns and leaves the mapping to the cluster.
	TemplateInstall   bool
	TemplateRequired  bool
	TemplateOverwrite bool
	TemplateName      string
	TemplatePatterns  []string
	// TemplateSkipped says why Check turned the default install off.
	TemplateSkipped string

	// TimeKey and TimeFormat are how the encoder writes the time
	// (Time_Key, Time_Key_Format, Time_Key_Nanos): the template maps that
	// field as a date in that format.
	TimeKey    string
	TimeFormat encode.TimeFormat

	// Read, then resolved by Check.
	hostsKey, cloudID, cloudAuth, apiKey, esAPIKey, path string
	timeKeyFormat                                        string
	timeKeyNanos                                         bool
}

const defaultHost = "http://127.0.0.1:9200"

// DocumentOptions are the keys of Fluent Bit's es output that shape each
// document, whatever the destination: the output package lists them with
// its own; Check completes them.
func DocumentOptions(c *Config) []config.Option {
	return []config.Option{
		config.String(&c.TimeKey, "Time_Key", encode.DefaultTimeKey).
			Doc("name of the timestamp field").ES("yes"),
		config.String(&c.timeKeyFormat, "Time_Key_Format", "").DefaultText("`%Y-%m-%dT%H:%M:%S`").
			Doc("strftime pattern of the timestamp, in UTC, followed by `.` + milliseconds (or nanoseconds) + `Z` as Fluent Bit writes it").
			ES("yes").Show(func() string { return c.TimeFormat.Pattern() }),
		config.Bool(&c.timeKeyNanos, "Time_Key_Nanos", false).
			Doc("nanosecond timestamps (the template maps `date_nanos`)").ES("yes"),
		config.AccessorOpt(&c.LogstashPrefixKey, "Logstash_Prefix_Key").
			Doc("record key, or record accessor (`$kubernetes['namespace_name']`), whose value replaces `Logstash_Prefix`").ES("yes"),
		config.AccessorOpt(&c.IDKey, "Id_Key").
			Doc("record key, or record accessor, whose value is the document `_id`").
			ES("yes, but a record without it gets the `Generate_ID` id when that is on (Fluent Bit ignores `Generate_ID` once `Id_Key` is set)"),
	}
}

// Options are the Elasticsearch delivery options, filling c.
func Options(c *Config) []config.Option {
	indexName := func(v string) string { return checkIndexName(v) }
	return []config.Option{
		config.String(&c.hostsKey, "ES_Hosts", "").DefaultText("`" + defaultHost + "`").
			Doc("comma-separated node URLs; a node that cannot be reached is skipped for the next").ES("(`Host`/`Port`)").
			Check(func(v string) string {
				if _, ok := parseHosts(v); !ok {
					return hostsWant
				}
				return ""
			}).Redact(stripUserinfo).Show(c.HostList),
		config.String(&c.Index, "Index", "fluent-bit").Check(indexName).
			Doc("index name").ES("yes").ShowIf(func() bool { return c.DataStream == "" && !c.LogstashFormat }),
		config.Bool(&c.LogstashFormat, "Logstash_Format", false).
			Doc("write to `<Logstash_Prefix>-<date>` indices, dated from each record's `@timestamp`").
			ES("yes, but dated from the time written in `@timestamp` (HAProxy's date), where Fluent Bit uses the record's Fluent Bit time").ShowIf(c.logstash),
		config.String(&c.LogstashPrefix, "Logstash_Prefix", "logstash").Check(indexName).
			Doc("prefix of those indices").ES("yes").ShowIf(c.logstash),
		config.String(&c.LogstashSeparator, "Logstash_Prefix_Separator", "-").Check(func(v string) string {
			if strings.ContainsAny(v, `\/*?"<>|,# `) || strings.ToLower(v) != v {
				return "want characters allowed in an index name, e.g. - or ."
			}
			return ""
		}).Doc("between the prefix and the date").ES("yes").ShowIf(c.logstash),
		config.String(&c.LogstashDateFormat, "Logstash_DateFormat", "%Y.%m.%d").Check(func(v string) string {
			if _, err := compileDateFormat(v); err != nil {
				return "want a strftime format such as %Y.%m.%d (" + err.Error() + ")"
			}
			return ""
		}).Doc("strftime date of the index name").ES("yes").ShowIf(c.logstash),
		config.Bool(&c.CurrentTimeIndex, "Current_Time_Index", false).
			Doc("date indices from the current time instead of the record's").ES("yes").ShowIf(func() bool { return c.CurrentTimeIndex }),
		config.Bool(&c.GenerateID, "Generate_ID", false).
			Doc("`_id` = MurmurHash3 of the record (its time and body as Fluent Bit handed it), so a retried chunk is stored once").
			ES("yes (Fluent Bit hashes the msgpack record, so ids differ)"),
		config.Enum(&c.Operation, "Write_Operation", OpCreate,
			config.Choice[Operation]{Name: "create", Value: OpCreate}, config.Choice[Operation]{Name: "index", Value: OpIndex},
			config.Choice[Operation]{Name: "update", Value: OpUpdate}, config.Choice[Operation]{Name: "upsert", Value: OpUpsert}).
			Doc("`create`, `index`, `update`, `upsert` (the last two need `Generate_ID` or `Id_Key`)").ES("yes"),
		config.String(&c.Pipeline, "Pipeline", "").Doc("ingest pipeline").ES("yes"),
		config.String(&c.Type, "Type", "_doc").Doc("mapping type, sent only when `_type` is sent").ES("yes").
			ShowIf(func() bool { return c.TypeMode == TypeSend }),
		config.Func("Suppress_Type_Name", func() { c.TypeMode = TypeAuto }, c.parseTypeMode,
			func() string { return config.OnOff(c.TypeMode == TypeSuppress) }).DefaultText("auto").
			Doc("unset: send `_type` only to Elasticsearch ≤ 6 (found at start); `on`/`off` as in Fluent Bit").
			ES("differs: Fluent Bit sends `_type` by default, which Elasticsearch 8 refuses").ShowIf(func() bool { return c.TypeMode != TypeAuto }),
		config.String(&c.User, "HTTP_User", "").Doc("basic authentication").ES("yes").Show(func() string { return "" }),
		config.String(&c.Password, "HTTP_Passwd", "").Secret().Doc("its password (empty when unset, as in Fluent Bit)").ES("yes"),
		config.String(&c.apiKey, "HTTP_API_Key", "").Secret().Doc("API key authentication").ES("yes"),
		config.String(&c.esAPIKey, "ES_API_Key", "").Secret().Doc("the same as `HTTP_API_Key`").ES("ours"),
		config.String(&c.cloudID, "Cloud_ID", "").Doc("Elastic Cloud deployment: gives the address").ES("yes").
			Check(func(v string) string {
				if _, ok := cloudIDAddress(v); !ok {
					return cloudIDWant
				}
				return ""
			}),
		config.String(&c.cloudAuth, "Cloud_Auth", "").Secret().Doc("Elastic Cloud `user:password`").ES("yes").
			Check(func(v string) string {
				if user, pass, ok := strings.Cut(v, ":"); !ok || user == "" || pass == "" {
					return "want user:password"
				}
				return ""
			}),
		config.Enum(&c.Compress, "Compress", false, config.Choice[bool]{Name: "gzip", Value: true},
			config.Choice[bool]{Name: "none", Value: false, Alias: true}, config.Choice[bool]{Name: "off", Value: false, Alias: true},
			config.Choice[bool]{Name: "false", Value: false, Alias: true}).
			Doc("`gzip` request bodies").ES("yes"),
		config.Size(&c.BufferSize, "Buffer_Size", "512k", true).
			Doc("how much of a refused request's error response is kept for the log (`False`: all); `_bulk` responses are always read whole, item by item").
			ES("differs: Fluent Bit cannot read the items past it"),
		config.Size(&c.BulkSize, "ES_Bulk_Size", "5M", true).
			Doc("what a chunk has in flight at once: documents without an `_id` go two requests of half this at a time (the node indexes both at once), others one request of this size after the other (`False`: one request per chunk)").
			ES("ours"),
		config.String(&c.path, "Path", "").Check(func(v string) string {
			if strings.ContainsAny(v, "?# ") {
				return "want a URL path prefix such as /es"
			}
			return ""
		}).Doc("URL path prefix").ES("yes").Show(func() string { return "" }),
		config.Bool(&c.TraceOutput, "Trace_Output", false).Doc("log every request body").ES("yes").ShowIf(func() bool { return c.TraceOutput }),
		config.Bool(&c.TraceError, "Trace_Error", false).Doc("log the whole item and document of every rejection").ES("yes").ShowIf(func() bool { return c.TraceError }),
		config.Bool(&c.TLSVerify, "ES_TLS_Verify", true).Doc("verify the server certificate").ES("ours (`tls.verify`)").ShowIf(func() bool { return !c.TLSVerify }),
		config.String(&c.TLSCAFile, "ES_TLS_CA_File", "").Doc("CA bundle").ES("ours (`tls.ca_file`)"),
		config.String(&c.TLSCrt, "ES_TLS_Crt_File", "").Doc("client certificate").ES("ours"),
		config.String(&c.TLSKey, "ES_TLS_Key_File", "").Doc("its key").ES("ours"),
		config.Duration(&c.Timeout, "ES_Timeout", "30s").Doc("per request").ES("ours"),
		config.String(&c.DataStream, "Data_Stream", "").Check(indexName).Doc("write to this data stream (implies `create`)").ES("ours"),
		config.Func("Template_Install", func() { c.TemplateInstall, c.TemplateRequired = true, false }, c.parseTemplateInstall,
			func() string { return config.OnOff(c.TemplateInstall) }).DefaultText("`on` (a warning when it cannot be)").
			Doc("at start, install an index template with our field types (`plugin/internal/es/template.json`); an existing one is left alone, and so, unless this is set `on`, are indices another template already matches; " +
				"unset, a refusal (no `manage_index_templates` privilege, Elasticsearch before 7.8) is a warning, set `on` it fails Init").ES("ours"),
		config.Bool(&c.TemplateOverwrite, "Template_Overwrite", false).Doc("replace an existing template").ES("ours").ShowIf(c.template),
		config.String(&c.TemplateName, "Template_Name", "").DefaultText("`haproxy-` and the index, `Logstash_Prefix` or data stream").Check(func(v string) string {
			if strings.ContainsAny(v, `\/*?"<>|,# `) {
				return `want a name without \ / * ? " < > | , # or spaces`
			}
			return ""
		}).Doc("name of the index template").ES("ours").ShowIf(c.template),
		config.List(&c.TemplatePatterns, "Template_Pattern", func(p string) string {
			if strings.ContainsAny(p, `\/?"<>|# `) || strings.ToLower(p) != p {
				return "want comma-separated lower-case index patterns such as haproxy-*"
			}
			return ""
		}).DefaultText("from `Index`, `Logstash_Prefix` or `Data_Stream`").Doc("index patterns of the template").ES("ours").ShowIf(c.template),
	}
}

// parseTemplateInstall reads Template_Install: set, on or off, it is
// required or not wanted.
func (c *Config) parseTemplateInstall(v string) string {
	on, ok := config.ParseBool(v)
	if !ok {
		return "want " + config.BoolWords
	}
	c.TemplateInstall, c.TemplateRequired = on, on
	return ""
}

// parseTypeMode reads Suppress_Type_Name: a boolean, or unset for TypeAuto.
func (c *Config) parseTypeMode(v string) string {
	on, ok := config.ParseBool(v)
	if !ok {
		return "want " + config.BoolWords
	}
	c.TypeMode = TypeSend
	if on {
		c.TypeMode = TypeSuppress
	}
	return ""
}

func (c *Config) logstash() bool { return c.LogstashFormat }
func (c *Config) template() bool { return c.TemplateInstall }

// auth is how the summary shows the authentication (never the secret).
func (c *Config) auth() string {
	switch {
	case c.User != "":
		return "basic (user " + c.User + ")"
	case c.APIKey != "":
		return "api key"
	}
	return ""
}

// ParseConfig reads and validates every key of this package in one step
// (Options and DocumentOptions, then Check). get returns "" for an unset
// key. Every problem is reported, each naming the key, the value and what
// is allowed.
func ParseConfig(get config.Getter) (Config, error) {
	var c Config
	var errs config.Errors
	config.Read(get, append(DocumentOptions(&c), Options(&c)...), &errs)
	c.Check(get, &errs)
	return c, errs.Err()
}

// Check completes c after its options were read (get tells which keys were
// set) and reports the problems that involve several keys.
func (c *Config) Check(get config.Getter, errs *config.Errors) {
	var err error
	if c.TimeFormat, err = encode.NewTimeFormat(c.timeKeyFormat, c.timeKeyNanos); err != nil {
		errs.Invalid("Time_Key_Format", c.timeKeyFormat, "want a strftime format such as %Y-%m-%dT%H:%M:%S ("+err.Error()+")")
	} else if _, err := timeMapping(c.TimeFormat); err != nil && c.TemplateRequired {
		errs.Invalid("Time_Key_Format", c.timeKeyFormat, "with Template_Install on, "+err.Error())
	} else if err != nil && c.TemplateInstall {
		c.TemplateInstall = false
		c.TemplateSkipped = "Time_Key_Format " + strconv.Quote(c.timeKeyFormat) + ": " + err.Error()
	}
	c.dateFormat, _ = compileDateFormat(c.LogstashDateFormat) // checked when read
	writeOp := strings.TrimSpace(get("Write_Operation"))
	if (c.Operation == OpUpdate || c.Operation == OpUpsert) && !c.GenerateID && c.IDKey.IsZero() {
		errs.Invalid("Write_Operation", writeOp, "update and upsert need a document id: set Id_Key or Generate_ID on")
	}
	if c.DataStream != "" {
		switch {
		case c.LogstashFormat:
			errs.Invalid("Data_Stream", c.DataStream, "a data stream cannot be combined with Logstash_Format on: set one of them")
		case config.Set(get, "Index"):
			errs.Invalid("Data_Stream", c.DataStream, "a data stream is its own index: do not set Index as well")
		case writeOp != "" && c.Operation != OpCreate:
			errs.Invalid("Write_Operation", writeOp, "a data stream accepts only create")
		}
		c.Operation = OpCreate
		if c.TimeKey != encode.DefaultTimeKey {
			errs.Invalid("Time_Key", c.TimeKey, "a data stream needs the time in @timestamp: leave Time_Key unset with Data_Stream")
		}
	}
	c.checkAuth(errs)
	c.resolveHosts(errs)
	if (c.TLSCrt == "") != (c.TLSKey == "") {
		if c.TLSCrt == "" {
			errs.Invalid("ES_TLS_Key_File", c.TLSKey, "a client key needs ES_TLS_Crt_File too")
		} else {
			errs.Invalid("ES_TLS_Crt_File", c.TLSCrt, "a client certificate needs ES_TLS_Key_File too")
		}
	}
	c.templateDefaults()
}

// templateDefaults names the template and its patterns after the
// destination when Template_Name and Template_Pattern are unset. One
// template per destination: under one fixed name, the second index to be
// configured would find the first one's template and leave it alone,
// unmapped.
func (c *Config) templateDefaults() {
	dest, pattern := c.Index, c.Index
	switch {
	case c.DataStream != "":
		dest, pattern = c.DataStream, c.DataStream
	case c.LogstashFormat:
		dest, pattern = c.LogstashPrefix, c.LogstashPrefix+c.LogstashSeparator+"*"
	}
	if c.TemplateName == "" {
		c.TemplateName = "haproxy-" + dest
	}
	if len(c.TemplatePatterns) == 0 {
		c.TemplatePatterns = []string{pattern}
	}
}

// checkAuth resolves the credentials: HTTP_User with HTTP_Passwd (empty
// when unset, as Fluent Bit sends it), Cloud_Auth, or an API key.
func (c *Config) checkAuth(errs *config.Errors) {
	if c.Password != "" && c.User == "" {
		errs.Invalid("HTTP_Passwd", config.Hidden, "HTTP_Passwd needs HTTP_User")
	}
	if c.cloudAuth != "" {
		c.User, c.Password, _ = strings.Cut(c.cloudAuth, ":")
	}
	if c.apiKey != "" && c.esAPIKey != "" && c.apiKey != c.esAPIKey {
		errs.Invalid("ES_API_Key", config.Hidden, "HTTP_API_Key and ES_API_Key name the same setting: set one")
	}
	c.APIKey = c.apiKey
	if c.APIKey == "" {
		c.APIKey = c.esAPIKey
	}
}

// resolveHosts sets Hosts from ES_Hosts or Cloud_ID, with Path appended.
func (c *Config) resolveHosts(errs *config.Errors) {
	switch {
	case c.cloudID != "" && c.hostsKey != "":
		errs.Invalid("Cloud_ID", c.cloudID, "Cloud_ID gives the address: do not set ES_Hosts as well")
	case c.cloudID != "":
		if u, ok := cloudIDAddress(c.cloudID); ok {
			c.Hosts = []*url.URL{u}
		}
	default:
		hosts := c.hostsKey
		if hosts == "" {
			hosts = defaultHost
		}
		c.Hosts, _ = parseHosts(hosts) // checked when read
	}
	if c.path != "" {
		p := "/" + strings.Trim(c.path, "/")
		for _, u := range c.Hosts {
			u.Path += p
		}
	}
	// Fluent Bit sends "Authorization: Basic user:" for a user without a
	// password; the Elastic transport sends basic authentication only with
	// both, unless the URL carries them.
	if c.User != "" && c.Password == "" {
		for _, u := range c.Hosts {
			if u.User == nil {
				u.User = url.UserPassword(c.User, "")
			}
		}
	}
}

// Summary lists the effective delivery options for the start-up log line
// (credentials are never shown, only which kind of authentication is used).
func (c *Config) Summary() string {
	var b strings.Builder
	b.WriteString(config.Summary(Options(c)))
	if a := c.auth(); a != "" {
		config.KV(&b, "auth", a)
	}
	return b.String()
}
