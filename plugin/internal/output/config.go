// Package output is the Fluent Bit output plugin without cgo: configuration,
// logging, the flush path (chunk → decode → encode → sink) and the stdout
// and file sinks. plugin/out_haproxy.go only adapts Fluent Bit's C calls to
// it.
package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	_ "time/tzdata" // zone names resolve even where the host has no tzdata

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/es"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
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

	LogKey      string // the record key holding the line; "" = first of log, message, msg
	KeepMessage bool   // write the line as "message" (default on)

	TimeZone string         // as configured ("" = the machine's)
	Location *time.Location // HAProxy's local zone, from TimeZone

	CaptureRequestHeaders  []string
	CaptureResponseHeaders []string

	IncludeTagKey bool   // write the tag under TagKey
	TagKey        string // default "_flb-key"

	TimeKey    string            // default "@timestamp"
	TimeFormat encode.TimeFormat // Time_Key_Format (strftime) and Time_Key_Nanos

	ReplaceDots       bool   // '.' → '_' in the keys of the record's own fields, at any depth
	LogstashPrefixKey string // record key whose value goes to sink.Doc.Prefix
	IDKey             string // record key whose value goes to sink.Doc.ID

	// ES is the Elasticsearch configuration (Destination elasticsearch),
	// read from the same properties by es.ParseConfig.
	ES es.Config

	// secrets lists secret keys that are set (shown as *** by Summary).
	secrets []string
}

// Keys whose values are never printed.
var secretKeys = []string{"HTTP_Passwd", "ES_API_Key", "HTTP_API_Key", "Cloud_Auth"}

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
		TimeKey:             c.TimeKey,
		TimeFormat:          c.TimeFormat,
		RequestHeaderNames:  c.CaptureRequestHeaders,
		ResponseHeaderNames: c.CaptureResponseHeaders,
	}
}

// ParseConfig reads and checks every key at once. get returns "" for an unset
// key (FLBPluginConfigKey, case-insensitive). All problems are reported
// together, each naming the key, the value and what is allowed.
func ParseConfig(get func(key string) string) (Config, error) {
	c := Config{
		Destination: DestStdout,
		KeepMessage: true,
		Location:    time.Local,
		TagKey:      "_flb-key",
		TimeKey:     "@timestamp",
	}
	var errs []error
	bad := func(key, value, want string) {
		errs = append(errs, fmt.Errorf("haproxy: %s %q is not valid: want %s", key, value, want))
	}
	val := func(key string) string { return strings.TrimSpace(get(key)) }
	boolean := func(key string, dst *bool) {
		v := val(key)
		if v == "" {
			return
		}
		b, ok := parseBool(v)
		if !ok {
			bad(key, v, "on, off, true, false, yes, no, 1 or 0")
			return
		}
		*dst = b
	}

	if v := val("Destination"); v != "" {
		switch strings.ToLower(v) {
		case DestStdout, DestFile, DestElasticsearch:
			c.Destination = strings.ToLower(v)
		case "es":
			c.Destination = DestElasticsearch
		default:
			bad("Destination", v, "stdout, file or elasticsearch")
		}
	}
	c.File = val("File")
	switch {
	case c.Destination == DestFile && c.File == "":
		errs = append(errs, errors.New("haproxy: File is required with Destination file"))
	case c.Destination == DestFile:
		dir := filepath.Dir(c.File)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			bad("File", c.File, "a path in an existing directory ("+dir+" does not exist)")
		} else if st, err := os.Stat(c.File); err == nil && st.IsDir() {
			bad("File", c.File, "a file path, not a directory")
		}
	case c.File != "":
		bad("File", c.File, "no File unless Destination is file")
	}

	c.LogKey = val("Log_Key")
	boolean("Keep_Message", &c.KeepMessage)

	if v := val("Time_Zone"); v != "" {
		c.TimeZone = v
		switch strings.ToLower(v) {
		case "local":
			c.Location = time.Local
		case "utc", "z":
			c.Location = time.UTC
		default:
			loc, err := time.LoadLocation(v)
			if err != nil {
				bad("Time_Zone", v, `an IANA zone name such as "Europe/Paris", "Local" or "UTC"`)
			} else {
				c.Location = loc
			}
		}
	}

	headers := func(key string) []string {
		v := val(key)
		if v == "" {
			return nil
		}
		var out []string
		for _, h := range strings.Split(v, ",") {
			h = strings.TrimSpace(h)
			if !isToken(h) {
				bad(key, v, "a comma-separated list of header names (one per HAProxy capture, in order)")
				return nil
			}
			out = append(out, h)
		}
		return out
	}
	c.CaptureRequestHeaders = headers("Capture_Request_Headers")
	c.CaptureResponseHeaders = headers("Capture_Response_Headers")

	boolean("Include_Tag_Key", &c.IncludeTagKey)
	if v := val("Tag_Key"); v != "" {
		if reserved(v) || strings.EqualFold(v, c.TimeKey) {
			bad("Tag_Key", v, "a key the decoder does not write (not one of "+strings.Join(reservedKeys, ", ")+", @timestamp)")
		} else {
			c.TagKey = v
		}
	}
	if v := val("Time_Key"); v != "" {
		if reserved(v) {
			bad("Time_Key", v, "a key the decoder does not write (not one of "+strings.Join(reservedKeys, ", ")+")")
		} else {
			c.TimeKey = v
		}
	}
	if c.IncludeTagKey && c.TagKey == c.TimeKey {
		bad("Tag_Key", c.TagKey, "a key other than Time_Key")
	}
	var nanos bool
	boolean("Time_Key_Nanos", &nanos)
	format := val("Time_Key_Format")
	if tf, err := encode.NewTimeFormat(format, nanos); err != nil {
		bad("Time_Key_Format", format, "a strftime format such as %Y-%m-%dT%H:%M:%S ("+err.Error()+")")
	} else {
		c.TimeFormat = tf
	}
	boolean("Replace_Dots", &c.ReplaceDots)
	c.LogstashPrefixKey = val("Logstash_Prefix_Key")
	c.IDKey = val("Id_Key")
	for _, k := range []string{"Logstash_Prefix_Key", "Id_Key"} {
		if v := val(k); strings.HasPrefix(v, "$") {
			bad(k, v, "a top-level record key name (record accessors are not supported)")
		}
	}

	if c.Destination == DestElasticsearch {
		esCfg, err := es.ParseConfig(get)
		if err != nil {
			errs = append(errs, err)
		}
		c.ES = esCfg
	}

	for _, k := range secretKeys {
		if get(k) != "" {
			c.secrets = append(c.secrets, k)
		}
	}
	if len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	return c, nil
}

// Summary is one line listing the effective configuration. Secrets are shown
// as ***.
func (c Config) Summary() string {
	var b strings.Builder
	kv := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k)
		b.WriteByte('=')
		if v == "" || strings.ContainsAny(v, " \t\"") {
			fmt.Fprintf(&b, "%q", v)
		} else {
			b.WriteString(v)
		}
	}
	onoff := func(v bool) string {
		if v {
			return "on"
		}
		return "off"
	}
	kv("Destination", c.Destination)
	if c.Destination == DestFile {
		kv("File", c.File)
	}
	if c.Destination == DestElasticsearch {
		kv("ES_Hosts", c.ES.HostList())
		b.WriteString(" " + c.ES.Summary())
	}
	logKey := c.LogKey
	if logKey == "" {
		logKey = "log|message|msg"
	}
	kv("Log_Key", logKey)
	kv("Keep_Message", onoff(c.KeepMessage))
	kv("Time_Zone", c.Location.String())
	if len(c.CaptureRequestHeaders) > 0 {
		kv("Capture_Request_Headers", strings.Join(c.CaptureRequestHeaders, ","))
	}
	if len(c.CaptureResponseHeaders) > 0 {
		kv("Capture_Response_Headers", strings.Join(c.CaptureResponseHeaders, ","))
	}
	kv("Include_Tag_Key", onoff(c.IncludeTagKey))
	if c.IncludeTagKey {
		kv("Tag_Key", c.TagKey)
	}
	kv("Time_Key", c.TimeKey)
	if f := c.TimeFormat.Pattern(); f != "" {
		kv("Time_Key_Format", f)
	}
	kv("Time_Key_Nanos", onoff(c.TimeFormat.Nanos()))
	kv("Replace_Dots", onoff(c.ReplaceDots))
	if c.LogstashPrefixKey != "" {
		kv("Logstash_Prefix_Key", c.LogstashPrefixKey)
	}
	if c.IDKey != "" {
		kv("Id_Key", c.IDKey)
	}
	for _, k := range c.secrets {
		kv(k, "***")
	}
	return b.String()
}

func reserved(k string) bool { return isReserved(strings.ToLower(k)) }

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "on", "true", "yes", "1":
		return true, true
	case "off", "false", "no", "0":
		return false, true
	}
	return false, false
}

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
