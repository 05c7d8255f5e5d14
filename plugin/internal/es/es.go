// Package es delivers encoded documents to Elasticsearch with the _bulk API.
//
// # Delivery semantics
//
// Each Fluent Bit chunk becomes one or more POST /_bulk requests of at most
// ES_Bulk_Size bytes (False: one request per chunk), NDJSON: an action line,
// then the document exactly as the encoder wrote it. The documents come in
// parts as they are encoded (sink.PartSink), and a request leaves as soon as
// it is full. The chunk's result combines its requests'.
//
//   - The whole request fails — connection refused or reset, timeout
//     (ES_Timeout), HTTP 429 or 5xx — → FLB_RETRY: Fluent Bit sends the same
//     chunk again later. With several ES_Hosts, a request that cannot
//     connect to one node is sent at once to the next one before giving up.
//   - Elasticsearch refuses the whole request as malformed (HTTP 400) →
//     FLB_ERROR: sending the same bytes again cannot succeed. Too large
//     (413, over the node's http.max_content_length) → the request is sent
//     again in two halves, and so on, until the parts fit; a single
//     document too large for the node is dropped. Other whole-request 4xx
//     (401/403 credentials or privileges, 404 wrong Path) → FLB_RETRY, so
//     that no data is lost while the setting is fixed.
//   - Otherwise the response is read as a stream, item by item in constant
//     memory whatever its size, and each document's own result is counted:
//     2xx → delivered; 409 with Write_Operation create (the _id is already
//     stored, e.g. a retried chunk with Generate_ID) → delivered; 429 or
//     5xx → retryable; any other status (400 mapping conflicts, malformed
//     documents, 404 for update of a missing document) → rejected for good,
//     logged with the index, status, error type and reason and a short
//     excerpt of the document (Trace_Error logs the whole item and
//     document). A document the response gives no result for (a cut or
//     short response) is retryable.
//   - The chunk returns FLB_RETRY when any document is retryable (the retry
//     re-sends the whole chunk: with Generate_ID and create the documents
//     already stored come back 409, so each is stored exactly once; without
//     an _id a retry can store duplicates), else FLB_OK: one bad document
//     never blocks the pipeline.
//   - Buffer_Size bounds only what is kept of a whole-request error
//     response for the log.
//
// Write may be called from several goroutines at once (Fluent Bit workers).
package es

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// Stats are running totals of one Sink.
type Stats struct {
	Requests       int64 // _bulk requests sent
	FailedRequests int64 // requests that failed as a whole
	Delivered      int64 // documents stored (including 409 already stored)
	Retryable      int64 // documents reported retryable (counted at each try)
	Rejected       int64 // documents refused for good
}

// Sink writes batches to Elasticsearch. It is safe for concurrent use.
type Sink struct {
	cfg     Config
	log     sink.Logger
	client  *elastictransport.Client
	httpTr  *http.Transport
	secrets []string

	bulkURL    string // path and query of the bulk request
	bulkLimit  int    // largest request: ES_Bulk_Size in bytes (half when paired), 0 for one request per chunk
	pairs      bool   // requests go in pairs (pair.go)
	fixedIndex []byte // Index or Data_Stream when names are not dated
	sendType   atomic.Bool
	version    atomic.Value // string: Elasticsearch version from the probe

	templateMu   sync.Mutex
	templateDone atomic.Bool

	requests, failedRequests  atomic.Int64
	delivered, retried, rejec atomic.Int64
}

// probeTimeout bounds the GET / probe at init.
const probeTimeout = 10 * time.Second

// maxLoggedRejects bounds the rejected documents logged per chunk.
const maxLoggedRejects = 5

// New connects the sink: it builds the transport, probes the cluster with
// GET / (an unreachable cluster is a warning, refused credentials fail) and
// installs the index template when Template_Install is on.
func New(cfg Config, log sink.Logger) (*Sink, error) {
	s := &Sink{cfg: cfg, log: log, bulkLimit: int(cfg.BulkSize)}
	if s.pairs = pairable(&cfg); s.pairs {
		s.bulkLimit /= 2 // two requests in flight hold ES_Bulk_Size
	}
	for _, sec := range []string{cfg.Password, cfg.APIKey} {
		if sec != "" {
			s.secrets = append(s.secrets, sec)
		}
	}
	for _, u := range cfg.Hosts {
		if p, ok := u.User.Password(); ok && p != "" {
			s.secrets = append(s.secrets, p)
		}
	}

	tlsCfg, err := tlsConfig(&cfg)
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tlsCfg
	tr.MaxIdleConnsPerHost = 16
	tr.ResponseHeaderTimeout = cfg.Timeout
	s.httpTr = tr

	client, err := elastictransport.New(transportConfig(&cfg, tr))
	if err != nil {
		return nil, fmt.Errorf("haproxy: es: %s", s.redact(err.Error()))
	}
	s.client = client

	q := "filter_path=errors,items.*.status,items.*.error"
	if cfg.Pipeline != "" {
		q += "&pipeline=" + url.QueryEscape(cfg.Pipeline)
	}
	s.bulkURL = "/_bulk?" + q
	switch {
	case cfg.DataStream != "":
		s.fixedIndex = []byte(cfg.DataStream)
	case !cfg.LogstashFormat:
		s.fixedIndex = []byte(cfg.Index)
	}
	s.sendType.Store(cfg.TypeMode == TypeSend && cfg.DataStream == "")

	if err := s.probe(); err != nil {
		s.httpTr.CloseIdleConnections()
		return nil, err
	}
	if cfg.TemplateSkipped != "" {
		log.Warnf("es: index template %s not installed (%s): the cluster maps the fields", cfg.TemplateName, cfg.TemplateSkipped)
	}
	if s.cfg.TemplateInstall {
		if err := s.ensureTemplate(true); err != nil {
			var ce *connectErr
			if !errors.As(err, &ce) {
				s.httpTr.CloseIdleConnections()
				return nil, err
			}
			log.Warnf("es: index template %s not installed yet (%v): will try again before the first bulk request", cfg.TemplateName, err)
		}
	}
	return s, nil
}

// tlsConfig is the TLS of the connections: ES_TLS_Verify, ES_TLS_CA_File
// and the client certificate.
func tlsConfig(cfg *Config) (*tls.Config, error) {
	tlsCfg := &tls.Config{InsecureSkipVerify: !cfg.TLSVerify} //nolint:gosec // ES_TLS_Verify off is the user's choice
	if cfg.TLSCAFile != "" {
		pem, err := os.ReadFile(cfg.TLSCAFile)
		if err != nil {
			return nil, fmt.Errorf("haproxy: ES_TLS_CA_File %q cannot be read: %v", cfg.TLSCAFile, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("haproxy: ES_TLS_CA_File %q is not valid: want PEM certificates", cfg.TLSCAFile)
		}
		tlsCfg.RootCAs = pool
	}
	if cfg.TLSCrt != "" {
		cert, err := tls.LoadX509KeyPair(cfg.TLSCrt, cfg.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("haproxy: ES_TLS_Crt_File %q / ES_TLS_Key_File %q cannot be loaded: %v", cfg.TLSCrt, cfg.TLSKey, err)
		}
		tlsCfg.Certificates = []tls.Certificate{cert}
	}
	return tlsCfg, nil
}

// transportConfig is the configuration of Elastic's transport over tr.
func transportConfig(cfg *Config, tr http.RoundTripper) elastictransport.Config {
	tc := elastictransport.Config{
		UserAgent:           "fluent-bit-haproxy",
		URLs:                cfg.Hosts,
		Username:            cfg.User,
		Password:            cfg.Password,
		Transport:           tr,
		CompressRequestBody: cfg.Compress,
		PoolCompressor:      cfg.Compress,
	}
	if cfg.User == "" {
		tc.APIKey = cfg.APIKey // Fluent Bit ignores the API key when a user is set
	}
	if len(cfg.Hosts) > 1 {
		// Fail over to the next node only when a node cannot be reached;
		// every other failure comes back to Fluent Bit as FLB_RETRY.
		tc.MaxRetries = len(cfg.Hosts) - 1
		tc.RetryOnStatus = []int{-1} // none (an empty list means the defaults)
		tc.RetryOnError = func(_ *http.Request, err error) bool { return isConnectError(err) }
	} else {
		tc.DisableRetry = true
	}
	return tc
}

// isConnectError reports whether err means the request never reached a node.
func isConnectError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// connectErr marks a failure to reach the cluster (as opposed to a refusal).
type connectErr struct{ msg string }

func (e *connectErr) Error() string { return e.msg }

// redact removes credentials from a message: the secrets of the
// configuration, and the userinfo of any URL.
func (s *Sink) redact(msg string) string {
	for _, sec := range s.secrets {
		msg = strings.ReplaceAll(msg, sec, "xxxxx")
	}
	return stripUserinfo(msg)
}

// stripUserinfo removes the userinfo (user:password@) of every URL in s:
// one URL, a comma-separated host list, or a message quoting URLs.
func stripUserinfo(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			if b.Len() == 0 {
				return s
			}
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+3])
		s = s[i+3:]
		end := strings.IndexAny(s, "/?#, \"'")
		if end < 0 {
			end = len(s)
		}
		if at := strings.LastIndexByte(s[:end], '@'); at >= 0 {
			s = s[at+1:]
		}
	}
}

// do sends one request with the configured timeout and returns the status
// and up to limit bytes of the body (limit <= 0: all). truncated says the
// body was longer.
func (s *Sink) do(method, path string, body []byte, limit int64, header http.Header) (status int, resp []byte, truncated bool, err error) {
	return s.doTimeout(s.cfg.Timeout, method, path, body, limit, header)
}

func (s *Sink) doTimeout(timeout time.Duration, method, path string, body []byte, limit int64, header http.Header) (status int, resp []byte, truncated bool, err error) {
	res, cancel, err := s.sendTimeout(timeout, method, path, body, header)
	if err != nil {
		return 0, nil, false, err
	}
	defer cancel()
	defer res.Body.Close()
	var r io.Reader = res.Body
	if limit > 0 {
		r = io.LimitReader(res.Body, limit+1)
	}
	resp, err = io.ReadAll(r)
	if limit > 0 && int64(len(resp)) > limit {
		resp, truncated = resp[:limit], true
		_, _ = io.Copy(io.Discard, res.Body) // keep the connection reusable
	}
	if err != nil {
		return res.StatusCode, resp, truncated, &connectErr{s.redact(fmt.Sprintf("%s %s: reading the response: %v", method, s.cfg.HostList(), err))}
	}
	return res.StatusCode, resp, truncated, nil
}

// send sends one request with the configured timeout. The caller reads and
// closes the response's body, then calls cancel (the timeout covers the
// reading too).
func (s *Sink) send(method, path string, body []byte, header http.Header) (*http.Response, context.CancelFunc, error) {
	return s.sendTimeout(s.cfg.Timeout, method, path, body, header)
}

func (s *Sink) sendTimeout(timeout time.Duration, method, path string, body []byte, header http.Header) (*http.Response, context.CancelFunc, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := s.client.Perform(req)
	if err != nil {
		cancel()
		return nil, nil, &connectErr{s.redact(fmt.Sprintf("%s %s: %v", method, s.cfg.HostList(), err))}
	}
	return res, cancel, nil
}

// probe asks GET / once at init.
func (s *Sink) probe() error {
	// Bounded so that a black-holed address does not stall Fluent Bit's start.
	status, body, _, err := s.doTimeout(min(s.cfg.Timeout, probeTimeout), http.MethodGet, "/", nil, 64<<10, nil)
	hosts := s.cfg.HostList()
	switch {
	case err != nil:
		s.log.Warnf("es: cannot reach Elasticsearch at %s (%v): continuing; every flush retries until it answers", hosts, err)
		return nil
	case status == http.StatusUnauthorized:
		return fmt.Errorf("haproxy: Elasticsearch at %s refused the credentials (HTTP 401): check HTTP_User/HTTP_Passwd, Cloud_Auth or HTTP_API_Key/ES_API_Key", hosts)
	case status == http.StatusForbidden:
		s.log.Warnf("es: Elasticsearch at %s accepted the credentials but refused GET / (HTTP 403): the user may still be allowed to write; version unknown", hosts)
		return nil
	case status != http.StatusOK:
		s.log.Warnf("es: Elasticsearch at %s answered GET / with HTTP %d: %s", hosts, status, excerpt(body, 200))
		return nil
	}
	var info struct {
		Version struct {
			Number       string `json:"number"`
			Distribution string `json:"distribution"`
		} `json:"version"`
		ClusterName string `json:"cluster_name"`
	}
	_ = json.Unmarshal(body, &info)
	v := info.Version.Number
	s.version.Store(v)
	dist := "Elasticsearch"
	if info.Version.Distribution == "opensearch" {
		dist = "OpenSearch"
	}
	s.log.Infof("es: connected to %s %s (cluster %q) at %s", dist, v, info.ClusterName, hosts)
	major, minor := versionOf(v)
	if dist == "Elasticsearch" && major > 0 && s.cfg.DataStream != "" && (major < 7 || major == 7 && minor < 9) {
		return fmt.Errorf("haproxy: Data_Stream %q needs Elasticsearch 7.9 or newer; %s runs %s", s.cfg.DataStream, hosts, v)
	}
	if dist == "Elasticsearch" && major > 0 && s.cfg.TemplateInstall && (major < 7 || major == 7 && minor < 8) {
		if s.cfg.TemplateRequired {
			return fmt.Errorf("haproxy: Template_Install needs Elasticsearch 7.8 or newer (composable index templates); %s runs %s: install a legacy template by hand or turn Template_Install off", hosts, v)
		}
		s.log.Warnf("es: index template %s not installed: Elasticsearch %s has no composable index templates (7.8 or newer): the cluster maps the fields", s.cfg.TemplateName, v)
		s.cfg.TemplateInstall = false
	}
	if s.cfg.DataStream == "" && dist == "Elasticsearch" && major > 0 {
		switch {
		case s.cfg.TypeMode == TypeAuto && major < 7:
			s.sendType.Store(true)
		case s.cfg.TypeMode == TypeSend && major >= 8:
			s.log.Warnf("es: Suppress_Type_Name is off but Elasticsearch %s refuses _type: every request will fail; set Suppress_Type_Name on", v)
		}
	}
	if s.cfg.DataStream == "" && dist == "OpenSearch" && major >= 2 && s.cfg.TypeMode == TypeSend {
		s.log.Warnf("es: Suppress_Type_Name is off but OpenSearch %s refuses _type: every request will fail; set Suppress_Type_Name on", v)
	}
	return nil
}

// versionOf reads "8.15.0" as 8, 15 (0, 0 when unknown).
func versionOf(v string) (major, minor int) {
	parts := strings.SplitN(v, ".", 3)
	major, _ = strconv.Atoi(parts[0])
	if len(parts) > 1 {
		minor, _ = strconv.Atoi(parts[1])
	}
	return major, minor
}

// Version is the Elasticsearch version found at init ("" when unknown).
func (s *Sink) Version() string {
	v, _ := s.version.Load().(string)
	return v
}

// Stats returns the running totals.
func (s *Sink) Stats() Stats {
	return Stats{
		Requests:       s.requests.Load(),
		FailedRequests: s.failedRequests.Load(),
		Delivered:      s.delivered.Load(),
		Retryable:      s.retried.Load(),
		Rejected:       s.rejec.Load(),
	}
}

// Close releases idle connections. Write must not be called afterwards.
func (s *Sink) Close() error {
	s.httpTr.CloseIdleConnections()
	st := s.Stats()
	s.log.Infof("es: closed: %d documents delivered, %d rejected, %d retryable, in %d requests (%d failed)",
		st.Delivered, st.Rejected, st.Retryable, st.Requests, st.FailedRequests)
	return s.client.Close(context.Background())
}

func excerpt(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}

var ndjsonHeader = http.Header{"Content-Type": {"application/x-ndjson"}}
