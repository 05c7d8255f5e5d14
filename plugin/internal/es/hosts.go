package es

import (
	"encoding/base64"
	"net/url"
	"strings"
)

const indexNameWant = `want a lower-case Elasticsearch index name without \ / * ? " < > | , # or spaces, not starting with -, _ or +`

// checkIndexName applies Elasticsearch's rules for index and data stream
// names (lower case, no \ / * ? " < > | , # space, not starting with - _ +):
// it says why v is refused, or "".
func checkIndexName(v string) string {
	if v == "" || v == "." || v == ".." || len(v) > 255 {
		return indexNameWant
	}
	if strings.ContainsAny(v, `\/*?"<>|,# :`) || strings.ContainsAny(v[:1], "-_+") || strings.ToLower(v) != v {
		return indexNameWant
	}
	return ""
}

const hostsWant = "want http:// or https:// URLs separated by commas, e.g. https://es1:9200,https://es2:9200"

// parseHosts reads ES_Hosts: URLs, or host[:port] for http, separated by
// commas.
func parseHosts(v string) ([]*url.URL, bool) {
	var hosts []*url.URL
	for _, h := range strings.Split(v, ",") {
		if strings.TrimSpace(h) == "" {
			continue
		}
		u, ok := parseHost(h)
		if !ok {
			return nil, false
		}
		hosts = append(hosts, u)
	}
	return hosts, len(hosts) > 0
}

// parseHost reads one ES_Hosts entry.
func parseHost(raw string) (*url.URL, bool) {
	s := strings.TrimSpace(raw)
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, false
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, true
}

const cloudIDWant = "want <deployment name>:<base64 of host$elasticsearch-id$kibana-id> as shown by Elastic Cloud"

// cloudIDAddress decodes an Elastic Cloud ID (name:base64(host$es-id$kibana-id)).
func cloudIDAddress(id string) (*url.URL, bool) {
	i := strings.LastIndexByte(id, ':')
	if i < 0 {
		return nil, false
	}
	data, err := base64.StdEncoding.DecodeString(id[i+1:])
	if err != nil {
		data, err = base64.RawStdEncoding.DecodeString(id[i+1:])
	}
	if err != nil {
		return nil, false
	}
	parts := strings.Split(string(data), "$")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return nil, false
	}
	host, port := parts[0], ""
	if j := strings.LastIndexByte(host, ':'); j >= 0 {
		host, port = host[:j], host[j:]
	}
	u, err := url.Parse("https://" + parts[1] + "." + host + port)
	if err != nil {
		return nil, false
	}
	return u, true
}

// redacted returns u as text without its userinfo.
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
