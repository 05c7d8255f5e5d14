// Package es delivers encoded documents to Elasticsearch with the _bulk API.
//
// # Delivery semantics
//
// Each Fluent Bit chunk becomes one POST /_bulk request (NDJSON: an action
// line, then the document exactly as the encoder wrote it).
//
//   - The whole request fails — connection refused or reset, timeout
//     (ES_Timeout), HTTP 429 or 5xx — → FLB_RETRY: Fluent Bit sends the same
//     chunk again later. With several ES_Hosts, a request that cannot
//     connect to one node is sent at once to the next one before giving up.
//   - Elasticsearch refuses the whole request as malformed (HTTP 400) or too
//     large (413) → FLB_ERROR: sending the same bytes again cannot succeed.
//     Other whole-request 4xx (401/403 credentials or privileges, 404 wrong
//     Path) → FLB_RETRY, so that no data is lost while the setting is fixed.
//   - Otherwise each document's own result is read: 2xx → delivered; 409
//     with Write_Operation create (the _id is already stored, e.g. a retried
//     chunk with Generate_ID) → delivered; 429 or 5xx → retryable; any other
//     status (400 mapping conflicts, malformed documents, 404 for update of
//     a missing document) → rejected for good, logged with the index,
//     status, error type and reason and a short excerpt of the document
//     (Trace_Error logs the whole item and document).
//   - The chunk returns FLB_RETRY when any document is retryable (the retry
//     re-sends the whole chunk: with Generate_ID and create the documents
//     already stored come back 409, so each is stored exactly once; without
//     an _id a retry can store duplicates), else FLB_OK: one bad document
//     never blocks the pipeline.
//   - When the response is larger than Buffer_Size and reports errors, the
//     documents whose results could not be read count as retryable.
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

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// New connects the sink: it builds the transport, probes the cluster with
// GET / (an unreachable cluster is a warning, refused credentials fail) and
// installs the index template when Template_Install is on.
func New(cfg Config, log sink.Logger) (*Sink, error) {
	s := &Sink{cfg: cfg, log: log}
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
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tlsCfg
	tr.MaxIdleConnsPerHost = 16
	tr.ResponseHeaderTimeout = cfg.Timeout
	s.httpTr = tr

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
	client, err := elastictransport.New(tc)
	if err != nil {
		return nil, fmt.Errorf("haproxy: es: %s", s.redact(err.Error()))
	}
	s.client = client

	q := "filter_path=errors,items.*.status,items.*.error"
	if cfg.Pipeline != "" {
		q += "&pipeline=" + urlQueryEscape(cfg.Pipeline)
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
	if cfg.TemplateInstall {
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

func urlQueryEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
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

// redact removes credentials from a message.
func (s *Sink) redact(msg string) string {
	for _, sec := range s.secrets {
		msg = strings.ReplaceAll(msg, sec, "xxxxx")
	}
	// userinfo in any URL
	for {
		i := strings.Index(msg, "://")
		if i < 0 {
			return msg
		}
		rest := msg[i+3:]
		end := strings.IndexAny(rest, "/?# \"'")
		if end < 0 {
			end = len(rest)
		}
		at := strings.LastIndexByte(rest[:end], '@')
		if at < 0 {
			// no userinfo here: continue after this scheme
			return msg[:i+3] + s.redact(rest)
		}
		msg = msg[:i+3] + rest[at+1:]
	}
}

// do sends one request with the configured timeout and returns the status
// and up to limit bytes of the body (limit <= 0: all). truncated says the
// body was longer.
func (s *Sink) do(method, path string, body []byte, limit int64, header http.Header) (status int, resp []byte, truncated bool, err error) {
	return s.doTimeout(s.cfg.Timeout, method, path, body, limit, header)
}

func (s *Sink) doTimeout(timeout time.Duration, method, path string, body []byte, limit int64, header http.Header) (status int, resp []byte, truncated bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		return 0, nil, false, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := s.client.Perform(req)
	if err != nil {
		return 0, nil, false, &connectErr{s.redact(fmt.Sprintf("%s %s: %v", method, s.cfg.HostList(), err))}
	}
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
		return fmt.Errorf("haproxy: Template_Install needs Elasticsearch 7.8 or newer (composable index templates); %s runs %s: install a legacy template by hand or turn Template_Install off", hosts, v)
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

// Write sends one batch with a _bulk request. See the package comment for
// what each outcome means.
func (s *Sink) Write(b *sink.Batch) sink.Result {
	if len(b.Docs) == 0 {
		return sink.Result{Code: sink.OK}
	}
	if s.cfg.TemplateInstall && !s.templateDone.Load() {
		if err := s.ensureTemplate(false); err != nil { // only when the cluster is unreachable
			n := len(b.Docs)
			s.retried.Add(int64(n))
			s.log.Warnf("es: %v", err)
			return sink.Result{Code: sink.Retry, Retryable: n, Err: err}
		}
	}

	bp := bufPool.Get().(*[]byte)
	body := (*bp)[:0]
	defer func() {
		if cap(body) <= 32<<20 {
			*bp = body[:0]
			bufPool.Put(bp)
		}
	}()

	typ := ""
	if s.sendType.Load() {
		typ = s.cfg.Type
	}
	namer := indexNamer{cfg: &s.cfg, fixed: s.fixedIndex, now: time.Now()}
	var idBuf [36]byte
	var res sink.Result
	// sent[k] is the position in b.Docs of the k-th document sent (nil
	// while every document is sent).
	var sent []int
	for i := range b.Docs {
		d := &b.Docs[i]
		var id []byte
		switch {
		case len(d.ID) > 0:
			id = d.ID
		case s.cfg.GenerateID:
			id = appendGeneratedID(idBuf[:0], d.JSON)
		}
		if id == nil && (s.cfg.Operation == OpUpdate || s.cfg.Operation == OpUpsert) {
			if sent == nil {
				sent = make([]int, 0, len(b.Docs))
				for j := 0; j < i; j++ {
					sent = append(sent, j)
				}
			}
			res.Rejected++
			if res.Rejected <= maxLoggedRejects {
				s.log.Errorf("es: document rejected: Write_Operation %s needs an _id but the record has no %q key: %s",
					s.cfg.Operation, s.cfg.IDKey, excerpt(d.JSON, 200))
			}
			continue
		}
		if sent != nil {
			sent = append(sent, i)
		}
		body = appendAction(body, s.cfg.Operation, namer.name(d), typ, id)
		body = appendSource(body, s.cfg.Operation, d.JSON)
	}
	nSent := len(b.Docs) - res.Rejected
	if nSent == 0 {
		s.rejec.Add(int64(res.Rejected))
		res.Code = sink.OK
		return res
	}
	docAt := func(k int) *sink.Doc {
		if sent != nil {
			return &b.Docs[sent[k]]
		}
		return &b.Docs[k]
	}
	if s.cfg.TraceOutput {
		s.log.Infof("es: POST %s (%d documents, tag %s):\n%s", s.bulkURL, nSent, b.Tag, body)
	}

	s.requests.Add(1)
	status, resp, truncated, err := s.do(http.MethodPost, s.bulkURL, body, s.cfg.BufferSize, ndjsonHeader)
	failAll := func(code int, err error) sink.Result {
		s.failedRequests.Add(1)
		if code == sink.Retry {
			res.Retryable += nSent
			s.retried.Add(int64(nSent))
		} else {
			res.Rejected += nSent
		}
		s.rejec.Add(int64(res.Rejected))
		res.Code, res.Err = code, err
		return res
	}
	if err != nil {
		// Logged once by the output instance, with this error.
		return failAll(sink.Retry, fmt.Errorf("es: bulk request of %d documents failed: %w", nSent, err))
	}
	if status < 200 || status > 299 {
		reason := s.redact(errorReason(resp))
		err := fmt.Errorf("es: bulk request to %s: HTTP %d: %s", s.cfg.HostList(), status, reason)
		if s.cfg.TraceError {
			s.log.Errorf("es: trace: request:\n%s\nresponse:\n%s", excerpt(body, 64<<10), s.redact(string(resp)))
		}
		switch {
		case status == http.StatusTooManyRequests || status >= 500:
			return failAll(sink.Retry, err) // logged once by the output instance
		case status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge:
			s.log.Errorf("%v: chunk of %d documents dropped", err, nSent)
			return failAll(sink.Error, err)
		default:
			s.log.Errorf("%v: chunk will be retried (check credentials, privileges and Path)", err)
			return failAll(sink.Retry, err)
		}
	}

	if hasNoErrors(resp) {
		res.Delivered = nSent
		s.delivered.Add(int64(nSent))
		s.rejec.Add(int64(res.Rejected))
		res.Code = sink.OK
		return res
	}
	logged := res.Rejected
	var n429, nOther int // retryable items by status, for the log
	n, perr := parseItems(resp, func(k int, it *bulkItem) {
		if k >= nSent {
			return
		}
		switch st := it.Status; {
		case st >= 200 && st <= 299:
			res.Delivered++
		case st == http.StatusConflict && s.cfg.Operation == OpCreate:
			res.Delivered++
		case st == http.StatusTooManyRequests:
			res.Retryable++
			n429++
		case st >= 500 || st == http.StatusConflict:
			res.Retryable++
			nOther++
		default:
			res.Rejected++
			logged++
			d := docAt(k)
			if logged <= maxLoggedRejects {
				var e itemError
				_ = json.Unmarshal(it.Error, &e)
				reason := e.Reason
				if e.CausedBy.Reason != "" {
					reason += " (" + e.CausedBy.Type + ": " + e.CausedBy.Reason + ")"
				}
				s.log.Errorf("es: document rejected by index %q: HTTP %d %s: %s; document: %s",
					namer.name(d), st, e.Type, reason, excerpt(d.JSON, 200))
				if s.cfg.TraceError {
					s.log.Errorf("es: trace: item %s\ndocument: %s", it.Error, d.JSON)
				}
			}
		}
	})
	if n < nSent {
		missing := nSent - n
		res.Retryable += missing
		why := "the response lists fewer items than documents sent"
		if truncated {
			why = fmt.Sprintf("the response is larger than Buffer_Size (%d bytes): raise Buffer_Size", s.cfg.BufferSize)
		} else if perr != nil {
			why = "the response could not be read: " + perr.Error()
		}
		s.log.Warnf("es: %d of %d documents have no readable result (%s): counted retryable", missing, nSent, why)
	}
	if logged > maxLoggedRejects {
		s.log.Errorf("es: %d more documents rejected in this chunk (not logged)", logged-maxLoggedRejects)
	}
	s.delivered.Add(int64(res.Delivered))
	s.retried.Add(int64(res.Retryable))
	s.rejec.Add(int64(res.Rejected))
	res.Code = sink.OK
	if res.Retryable > 0 {
		res.Code = sink.Retry
		// The output instance logs the retry once, with this error.
		res.Err = fmt.Errorf("es: %d of %d documents failed for a transient reason (%d rejected with HTTP 429: the cluster is overloaded; %d with 5xx or a 409 conflict)",
			res.Retryable, len(b.Docs), n429, nOther)
	}
	return res
}

// errorReason extracts error.type and error.reason of a whole-request error.
func errorReason(body []byte) string {
	var e struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && len(e.Error) > 0 {
		var ie itemError
		if json.Unmarshal(e.Error, &ie) == nil && ie.Type != "" {
			return ie.Type + ": " + ie.Reason
		}
		return excerpt(e.Error, 300)
	}
	return excerpt(bytes.TrimSpace(body), 300)
}
