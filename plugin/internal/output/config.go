// Package output is the Fluent Bit output plugin without cgo: configuration,
// logging, the flush path (chunk → decode → explain → encode → sink) and the stdout
// and file sinks. plugin/out_haproxy.go only adapts Fluent Bit's C calls to
// it.
package output

import (
	"cmp"
	"strings"
	"time"
	_ "time/tzdata" // zone names resolve even where the host has no tzdata

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/config"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/es"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
	linestate "github.com/fluent-bit-haproxy/fluent-bit-haproxy/state"
)

// Destinations.
const (
	DestStdout        = "stdout"
	DestFile          = "file"
	DestElasticsearch = "elasticsearch"
)

// Config is one output instance's configuration, checked once.
type Config struct {
	Destination string // stdout (default), file or elasticsearch
	File        string // path, for Destination file

	LogKey      string         // the record key holding the line; "" = first of log, message, msg
	KeepMessage bool           // write the line as "message"
	Explain     encode.Explain // which records carry the explanation texts

	TimeZone string         // as configured ("" = the machine's)
	Location *time.Location // HAProxy's local zone, from TimeZone

	CaptureRequestHeaders  []string
	CaptureResponseHeaders []string

	HAProxy    HAProxyConfig // HAProxy_Config: the frontends' log-formats
	LogFormats LogFormats    // Log_Format, Log_Format_2 ...: pasted formats, for any frontend

	IncludeTagKey bool   // write the tag under TagKey
	TagKey        string // Tag_Key
	ReplaceDots   bool   // '.' → '_' in the keys of the record's own fields, at any depth

	// The state across lines (package state): Flap_Threshold, Flap_Window,
	// State_File ("" = none).
	FlapThreshold int
	FlapWindow    time.Duration
	StateFile     string

	// ES holds the es output's keys: the document keys (Time_Key,
	// Time_Key_Format, Time_Key_Nanos, Logstash_Prefix_Key, Id_Key: see
	// es.DocumentOptions), read for every destination, and the delivery
	// keys, read with Destination elasticsearch.
	ES es.Config
}

// DefaultTagKey is Tag_Key's default, Fluent Bit's es output's
// (FLB_ES_DEFAULT_TAG_KEY since v1.0: Elasticsearch reserves names that
// start with '_').
const DefaultTagKey = "flb-key"

// Options is the table of the keys of the first README table, filling c.
func Options(c *Config) []config.Option {
	doc := es.DocumentOptions(&c.ES)
	opts := []config.Option{
		config.Enum(&c.Destination, "Destination", DestStdout,
			config.Choice[string]{Name: DestStdout, Value: DestStdout}, config.Choice[string]{Name: DestFile, Value: DestFile},
			config.Choice[string]{Name: DestElasticsearch, Value: DestElasticsearch},
			config.Choice[string]{Name: "es", Value: DestElasticsearch, Alias: true}).
			Doc("`stdout`, `file` or `elasticsearch`"),
		config.Path(&c.File, "File", config.NewFile).
			Doc("path of the output file (`file`); its directory must exist; opened for append").
			ShowIf(func() bool { return c.Destination == DestFile }),
		config.String(&c.LogKey, "Log_Key", "").DefaultText("first of `log`, `message`, `msg`").
			Doc("record key holding the HAProxy line; a record without it passes through unchanged, marked `haproxy.log_type: none`").
			Show(func() string { return cmp.Or(c.LogKey, "log|message|msg") }),
		config.Bool(&c.KeepMessage, "Keep_Message", false).
			Doc("copy the original line into `message`; off, as Fluent Bit's parser drops the key it parsed (`Preserve_Key`) and Filebeat moves `message` away: its fields are the line, and unknown lines always keep it"),
		config.Enum(&c.Explain, "Explain", encode.ExplainAnomalies, explainChoices()...).
			Doc("which records carry the explanation texts (`haproxy.termination.*.meaning`, `.summary`, `.cookie_summary`, `.advice`, `haproxy.diagnosis.summary`): " +
				"`anomalies` (anomalies, failures and operational events), `all`, `none`; codes, `blame`, `anomaly`, `event.outcome`, `timers.unreached` and `diagnosis.layer` are always written"),
		config.Func("Time_Zone", func() { c.TimeZone, c.Location = "", time.Local }, c.parseTimeZone,
			func() string { return c.Location.String() }).DefaultText("the machine's").
			Doc("zone of HAProxy's local timestamps (request dates, RFC3164 headers): IANA name, `UTC` or `Local`"),
		config.List(&c.CaptureRequestHeaders, "Capture_Request_Headers", headerName).
			Doc("comma list naming the captured request headers in HAProxy's `capture` order: adds `haproxy.http.request.headers.<name>`"),
		config.List(&c.CaptureResponseHeaders, "Capture_Response_Headers", headerName).
			Doc("the same for `capture response header`"),
		haproxyConfigOption(&c.HAProxy),
	}
	opts = append(opts, logFormatOptions(&c.LogFormats)...)
	opts = append(opts, []config.Option{
		config.Bool(&c.IncludeTagKey, "Include_Tag_Key", false).Doc("add the Fluent Bit tag to each record").ES("yes"),
		config.String(&c.TagKey, "Tag_Key", DefaultTagKey).Doc("name of that field").ES("yes").
			ShowIf(func() bool { return c.IncludeTagKey }),
	}...)
	opts = append(opts, doc[:3]...) // Time_Key, Time_Key_Format, Time_Key_Nanos
	opts = append(opts, config.Bool(&c.ReplaceDots, "Replace_Dots", false).
		Doc("replace `.` by `_` in the keys of the record's own fields, at any depth, for every destination").ES("yes"))
	opts = append(opts,
		config.Int(&c.FlapThreshold, "Flap_Threshold", linestate.DefaultFlapThreshold, 2, linestate.MaxFlapThreshold).
			Doc("a server that changes state this many times within `Flap_Window` is flapping: `haproxy.server.flapping`"),
		config.Duration(&c.FlapWindow, "Flap_Window", "10m").
			Doc("how far back `Flap_Threshold` counts a server's changes of state"),
		config.Path(&c.StateFile, "State_File", config.NewFile).
			Doc("file where the state across lines (outages in progress, servers down) is written at exit and read at start; none by default"))
	return append(opts, doc[3:]...) // Logstash_Prefix_Key, Id_Key
}

func explainChoices() []config.Choice[encode.Explain] {
	var cs []config.Choice[encode.Explain]
	for i, name := range encode.ExplainNames {
		cs = append(cs, config.Choice[encode.Explain]{Name: name, Value: encode.Explain(i)})
	}
	return cs
}

// headerName checks one item of Capture_*_Headers.
func headerName(h string) string {
	if !isToken(h) {
		return "want a comma-separated list of header names (one per HAProxy capture, in order)"
	}
	return ""
}

func (c *Config) parseTimeZone(v string) string {
	c.TimeZone = v
	switch strings.ToLower(v) {
	case "local":
		c.Location = time.Local
	case "utc", "z":
		c.Location = time.UTC
	default:
		loc, err := time.LoadLocation(v)
		if err != nil {
			return `want an IANA zone name such as "Europe/Paris", "Local" or "UTC"`
		}
		c.Location = loc
	}
	return ""
}

// reservedKeys are the top-level keys the encoder writes: a record field with
// one of these names goes under "fluentbit" instead (isReserved).
var reservedKeys = []string{
	"message", "log", "host", "process", "source", "destination",
	"http", "url", "tls", "event", "haproxy", "fluentbit",
}

// isReserved reports whether k is one of reservedKeys (exact case; a switch,
// as it runs for every field of every record).
func isReserved(k string) bool {
	switch k {
	case "message", "log", "host", "process", "source", "destination",
		"http", "url", "tls", "event", "haproxy", "fluentbit":
		return true
	}
	return false
}

// EncodeOptions are the encoder options of c.
func (c Config) EncodeOptions() encode.Options {
	return encode.Options{
		KeepMessage:         c.KeepMessage,
		Explain:             c.Explain,
		TimeKey:             c.ES.TimeKey,
		TimeFormat:          c.ES.TimeFormat,
		RequestHeaderNames:  c.CaptureRequestHeaders,
		ResponseHeaderNames: c.CaptureResponseHeaders,
	}
}

// ParseConfig reads and checks every key at once. get returns "" for an unset
// key (FLBPluginConfigKey, case-insensitive). All problems are reported
// together, each naming the key, the value and what is allowed.
func ParseConfig(get config.Getter) (Config, error) {
	var c Config
	var errs config.Errors
	config.Read(get, Options(&c), &errs)
	if c.Destination == DestElasticsearch {
		config.Read(get, es.Options(&c.ES), &errs)
	}
	c.ES.Check(get, &errs)
	c.check(&errs)
	return c, errs.Err()
}

// check reports the problems that involve several keys.
func (c *Config) check(errs *config.Errors) {
	switch {
	case c.Destination == DestFile && c.File == "" && !errs.Has("File"):
		errs.Invalid("File", "", "File is required with Destination file")
	case c.Destination != DestFile && c.File != "":
		errs.Invalid("File", c.File, "no File unless Destination is file")
	}
	timeKey := c.ES.TimeKey
	if reserved(timeKey) {
		errs.Invalid("Time_Key", timeKey, "a key the decoder does not write (not one of "+strings.Join(reservedKeys, ", ")+")")
	}
	if reserved(c.TagKey) || strings.EqualFold(c.TagKey, encode.DefaultTimeKey) {
		errs.Invalid("Tag_Key", c.TagKey, "a key the decoder does not write (not one of "+strings.Join(reservedKeys, ", ")+", @timestamp)")
	} else if c.IncludeTagKey && c.TagKey == timeKey {
		errs.Invalid("Tag_Key", c.TagKey, "a key other than Time_Key")
	}
}

// Summary is one line listing the effective configuration. Secrets are shown
// as ***.
func (c Config) Summary() string {
	s := config.Summary(Options(&c))
	if c.Destination == DestElasticsearch {
		s += " " + c.ES.Summary()
	}
	return s
}

func reserved(k string) bool { return isReserved(strings.ToLower(k)) }

// isToken reports whether h is a non-empty HTTP header name.
func isToken(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// newElasticsearch builds the Elasticsearch sink (a variable so that tests
// can avoid the network).
var newElasticsearch = func(cfg es.Config, log sink.Logger) (sink.Sink, error) {
	s, err := es.New(cfg, log)
	if err != nil {
		return nil, err
	}
	return s, nil
}
