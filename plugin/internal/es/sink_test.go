package es

// Unit tests against a fake Elasticsearch (net/http/httptest). The real
// node is exercised by real_test.go.

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// memLog records log lines; safe for concurrent use.
type memLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *memLog) add(level, f string, a ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, level+" "+fmt.Sprintf(f, a...))
	l.mu.Unlock()
}
func (l *memLog) Infof(f string, a ...any)  { l.add("info", f, a...) }
func (l *memLog) Warnf(f string, a ...any)  { l.add("warn", f, a...) }
func (l *memLog) Errorf(f string, a ...any) { l.add("error", f, a...) }
func (l *memLog) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// fakeES answers GET / and POST /_bulk. Each bulk document may carry
// "want":N to choose its item status.
type fakeES struct {
	t          *testing.T
	version    string
	bulkStatus int // whole-request status (0 = 200)
	maxBody    int // larger bulk bodies get 413 (0 = no limit)
	authStatus int // answer every request with this status (0 = none)

	mu        sync.Mutex
	requests  []*http.Request
	bodies    [][]byte
	templates map[string][]byte
	legacy    map[string][]string // legacy templates: name → index patterns
	bulks     atomic.Int64
}

func newFake(t *testing.T) (*fakeES, *httptest.Server) {
	f := &fakeES{t: t, version: "8.15.0", templates: map[string][]byte{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeES) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body []byte
	if r.Body != nil {
		rd := io.Reader(r.Body)
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				http.Error(w, "bad gzip", 400)
				return
			}
			rd = zr
		}
		body, _ = io.ReadAll(rd)
	}
	f.mu.Lock()
	f.requests = append(f.requests, r)
	f.bodies = append(f.bodies, body)
	f.mu.Unlock()
	if f.authStatus != 0 {
		w.WriteHeader(f.authStatus)
		fmt.Fprintf(w, `{"error":{"type":"security_exception","reason":"denied"},"status":%d}`, f.authStatus)
		return
	}
	switch {
	case r.Method == "GET" && r.URL.Path == "/":
		fmt.Fprintf(w, `{"cluster_name":"fake","version":{"number":%q}}`, f.version)
	case r.Method == "GET" && r.URL.Path == "/_index_template":
		f.mu.Lock()
		defer f.mu.Unlock()
		var list []string
		for name, body := range f.templates {
			list = append(list, fmt.Sprintf(`{"name":%q,"index_template":%s}`, name, body))
		}
		fmt.Fprintf(w, `{"index_templates":[%s]}`, strings.Join(list, ","))
	case r.Method == "GET" && r.URL.Path == "/_template":
		f.mu.Lock()
		defer f.mu.Unlock()
		out := map[string]any{}
		for name, patterns := range f.legacy {
			out[name] = map[string]any{"index_patterns": patterns, "order": 0}
		}
		json.NewEncoder(w).Encode(out)
	case strings.HasPrefix(r.URL.Path, "/_index_template/"):
		name := strings.TrimPrefix(r.URL.Path, "/_index_template/")
		f.mu.Lock()
		defer f.mu.Unlock()
		switch r.Method {
		case "GET":
			if _, ok := f.templates[name]; !ok {
				w.WriteHeader(404)
				return
			}
			w.Write([]byte(`{"index_templates":[]}`))
		case "PUT":
			f.templates[name] = body
			w.Write([]byte(`{"acknowledged":true}`))
		}
	case r.Method == "HEAD":
		w.WriteHeader(404)
	case r.Method == "POST" && r.URL.Path == "/_bulk":
		f.bulks.Add(1)
		if f.maxBody > 0 && len(body) > f.maxBody {
			w.WriteHeader(413)
			return
		}
		if f.bulkStatus != 0 {
			w.WriteHeader(f.bulkStatus)
			fmt.Fprintf(w, `{"error":{"type":"test_exception","reason":"status %d"},"status":%d}`, f.bulkStatus, f.bulkStatus)
			return
		}
		lines := bytes.Split(bytes.TrimSuffix(body, []byte("\n")), []byte("\n"))
		var items []string
		errs := false
		for i := 0; i+1 < len(lines); i += 2 {
			var action map[string]json.RawMessage
			if err := json.Unmarshal(lines[i], &action); err != nil {
				f.t.Errorf("bad action line %s", lines[i])
			}
			var doc struct {
				Want int `json:"want"`
				Doc  *struct {
					Want int `json:"want"`
				} `json:"doc"`
			}
			if err := json.Unmarshal(lines[i+1], &doc); err != nil {
				f.t.Errorf("bad doc line %s", lines[i+1])
			}
			st := doc.Want
			if doc.Doc != nil {
				st = doc.Doc.Want
			}
			if st == 0 {
				st = 201
			}
			op := "create"
			for k := range action {
				op = k
			}
			if st >= 300 {
				errs = true
				items = append(items, fmt.Sprintf(`{%q:{"status":%d,"error":{"type":"err_%d","reason":"reason %d","caused_by":{"type":"cause","reason":"why"}}}}`, op, st, st, st))
			} else {
				items = append(items, fmt.Sprintf(`{%q:{"status":%d}}`, op, st))
			}
		}
		fmt.Fprintf(w, `{"errors":%v,"items":[%s]}`, errs, strings.Join(items, ","))
	default:
		w.WriteHeader(404)
	}
}

func (f *fakeES) last(path string) (*http.Request, []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.requests) - 1; i >= 0; i-- {
		if f.requests[i].URL.Path == path {
			return f.requests[i], f.bodies[i]
		}
	}
	return nil, nil
}

// newSink is a sink on a mock server (kv's ES_Hosts). The mocks answer
// GET / and _bulk only, so the index template, installed by default, is off
// unless kv sets Template_Install.
func newSink(t *testing.T, kv map[string]string) (*Sink, *memLog) {
	t.Helper()
	opts := map[string]string{"Template_Install": "off"}
	for k, v := range kv {
		opts[k] = v
	}
	return openSink(t, opts)
}

// openSink is a sink with the options kv, defaults for the others.
func openSink(t *testing.T, kv map[string]string) (*Sink, *memLog) {
	t.Helper()
	cfg := mustConfig(t, kv)
	log := &memLog{}
	s, err := New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, log
}

func docs(jsons ...string) *sink.Batch {
	b := &sink.Batch{Tag: "t"}
	for _, j := range jsons {
		b.Docs = append(b.Docs, sink.Doc{JSON: []byte(j), Time: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)})
	}
	return b
}

// refusedURL is an address where nothing listens.
func refusedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func TestWriteAllDelivered(t *testing.T) {
	f, srv := newFake(t)
	s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL, "Pipeline": "geo ip&x", "Logstash_Format": "on"})
	res := s.Write(docs(`{"a":1}`, `{"a":2}`))
	if res.Code != sink.OK || res.Delivered != 2 || res.Err != nil {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	r, body := f.last("/_bulk")
	if got := r.URL.Query().Get("pipeline"); got != "geo ip&x" {
		t.Fatalf("pipeline %q (%s)", got, r.URL.RawQuery)
	}
	if r.Header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatal(r.Header)
	}
	want := `{"create":{"_index":"logstash-2024.05.06"}}` + "\n" + `{"a":1}` + "\n" +
		`{"create":{"_index":"logstash-2024.05.06"}}` + "\n" + `{"a":2}` + "\n"
	if string(body) != want {
		t.Fatalf("body:\n%s", body)
	}
	if st := s.Stats(); st.Delivered != 2 || st.Requests != 1 {
		t.Fatalf("%+v", st)
	}
	if !strings.Contains(log.all(), "connected to Elasticsearch 8.15.0") {
		t.Fatal(log.all())
	}
	if res := s.Write(&sink.Batch{}); res.Code != sink.OK {
		t.Fatal(res)
	}
}

func TestWriteOperations(t *testing.T) {
	f, srv := newFake(t)
	for _, tc := range []struct {
		kv   map[string]string
		want string
	}{
		{map[string]string{"Write_Operation": "index"}, `{"index":{"_index":"fluent-bit"}}` + "\n{\"a\":1}\n"},
		{map[string]string{"Write_Operation": "update", "Id_Key": "id"}, `{"update":{"_index":"fluent-bit","_id":"doc-1"}}` + "\n{\"doc\":{\"a\":1}}\n"},
		{map[string]string{"Write_Operation": "upsert", "Generate_ID": "on"}, `{"update":{"_index":"fluent-bit","_id":"` + generatedID([]byte(`{"a":1}`)) + `"}}` + "\n{\"doc\":{\"a\":1},\"doc_as_upsert\":true}\n"},
		{map[string]string{"Generate_ID": "on", "Id_Key": "id"}, `{"create":{"_index":"fluent-bit","_id":"doc-1"}}` + "\n{\"a\":1}\n"},
		{map[string]string{"Suppress_Type_Name": "off"}, `{"create":{"_index":"fluent-bit","_type":"_doc"}}` + "\n{\"a\":1}\n"},
		{map[string]string{"Suppress_Type_Name": "on"}, `{"create":{"_index":"fluent-bit"}}` + "\n{\"a\":1}\n"},
		{map[string]string{"Data_Stream": "logs-haproxy-test"}, `{"create":{"_index":"logs-haproxy-test"}}` + "\n{\"a\":1}\n"},
	} {
		kv := tc.kv
		kv["ES_Hosts"] = srv.URL
		s, log := newSink(t, kv)
		b := docs(`{"a":1}`)
		if kv["Id_Key"] != "" {
			b.Docs[0].ID = []byte("doc-1")
		}
		res := s.Write(b)
		if res.Code != sink.OK || res.Delivered != 1 {
			t.Fatalf("%v: %+v\n%s", kv, res, log.all())
		}
		_, body := f.last("/_bulk")
		if string(body) != tc.want {
			t.Errorf("%v:\n%s\nwant\n%s", kv, body, tc.want)
		}
	}
}

func TestTypeAuto(t *testing.T) {
	f, srv := newFake(t)
	f.version = "6.8.23"
	s, _ := newSink(t, map[string]string{"ES_Hosts": srv.URL})
	s.Write(docs(`{"a":1}`))
	if _, body := f.last("/_bulk"); !bytes.Contains(body, []byte(`"_type":"_doc"`)) {
		t.Fatalf("ES 6 auto: %s", body)
	}
	f.version = "8.1.0"
	s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL, "Suppress_Type_Name": "off"})
	if !strings.Contains(log.all(), "set Suppress_Type_Name on") {
		t.Fatal(log.all())
	}
	_ = s
}

func TestOldVersions(t *testing.T) {
	f, srv := newFake(t)
	f.version = "7.7.1"
	for kv, want := range map[string]string{
		"Template_Install": "Template_Install needs Elasticsearch 7.8 or newer",
		"Data_Stream":      `Data_Stream "logs-a-b" needs Elasticsearch 7.9 or newer`,
	} {
		val := "on"
		if kv == "Data_Stream" {
			val = "logs-a-b"
		}
		_, err := New(mustConfig(t, map[string]string{"ES_Hosts": srv.URL, kv: val}), &memLog{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", kv, err)
		}
	}
}

func TestUpdateWithoutID(t *testing.T) {
	f, srv := newFake(t)
	s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL, "Write_Operation": "update", "Id_Key": "id"})
	b := docs(`{"a":1}`, `{"a":2,"want":400}`, `{"a":3}`)
	b.Docs[1].ID = []byte("x")
	res := s.Write(b)
	if res.Code != sink.OK || res.Rejected != 3 || res.Delivered != 0 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	if !strings.Contains(log.all(), `needs an _id but the record has no "id" key`) || !strings.Contains(log.all(), "err_400") {
		t.Fatal(log.all())
	}
	// only one document sent, and its rejection is reported with its own JSON
	if _, body := f.last("/_bulk"); bytes.Count(body, []byte("\n")) != 2 {
		t.Fatal(string(body))
	}
	if !strings.Contains(log.all(), `document: {"a":2,"want":400}`) {
		t.Fatal(log.all())
	}
}

func TestItemMix(t *testing.T) {
	_, srv := newFake(t)
	s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL, "Generate_ID": "on", "Trace_Error": "on"})
	res := s.Write(docs(`{"n":1,"want":201}`, `{"n":2,"want":409}`, `{"n":3,"want":429}`, `{"n":4,"want":400}`, `{"n":5,"want":503}`, `{"n":6,"want":200}`))
	if res.Code != sink.Retry || res.Delivered != 3 || res.Retryable != 2 || res.Rejected != 1 || res.Err == nil {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	l := log.all()
	if !strings.Contains(l, `document rejected by index "fluent-bit": HTTP 400 err_400: reason 400 (cause: why); document: {"n":4,"want":400}`) {
		t.Fatal(l)
	}
	if !strings.Contains(l, "trace: item") {
		t.Fatal(l)
	}
	st := s.Stats()
	if st.Delivered != 3 || st.Retryable != 2 || st.Rejected != 1 {
		t.Fatalf("%+v", st)
	}
	// rejected only: OK
	res = s.Write(docs(`{"n":1}`, `{"n":2,"want":400}`, `{"n":3,"want":404}`))
	if res.Code != sink.OK || res.Delivered != 1 || res.Rejected != 2 {
		t.Fatalf("%+v", res)
	}
}

func TestConflictOnIndexIsRetryable(t *testing.T) {
	_, srv := newFake(t)
	s, _ := newSink(t, map[string]string{"ES_Hosts": srv.URL, "Write_Operation": "index"})
	res := s.Write(docs(`{"want":409}`))
	if res.Code != sink.Retry || res.Retryable != 1 {
		t.Fatalf("%+v", res)
	}
}

func TestManyRejectsLogBounded(t *testing.T) {
	_, srv := newFake(t)
	s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL})
	var js []string
	for i := 0; i < 20; i++ {
		js = append(js, `{"want":400}`)
	}
	res := s.Write(docs(js...))
	if res.Code != sink.OK || res.Rejected != 20 {
		t.Fatalf("%+v", res)
	}
	if n := strings.Count(log.all(), "document rejected"); n != maxLoggedRejects {
		t.Fatalf("%d rejects logged", n)
	}
	if !strings.Contains(log.all(), "15 more documents rejected") {
		t.Fatal(log.all())
	}
}

func TestWholeRequestFailures(t *testing.T) {
	f, srv := newFake(t)
	for _, tc := range []struct {
		status int
		code   int
	}{{500, sink.Retry}, {503, sink.Retry}, {429, sink.Retry}, {400, sink.Error}, {413, sink.Error}, {404, sink.Retry}, {403, sink.Retry}} {
		s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL})
		f.bulkStatus = tc.status
		res := s.Write(docs(`{"a":1}`, `{"a":2}`))
		if res.Code != tc.code || res.Err == nil || !strings.Contains(res.Err.Error(), fmt.Sprintf("HTTP %d: test_exception", tc.status)) {
			t.Errorf("%d: %+v\n%s", tc.status, res, log.all())
		}
		if tc.code == sink.Retry && res.Retryable != 2 || tc.code == sink.Error && res.Rejected != 2 {
			t.Errorf("%d: %+v", tc.status, res)
		}
		// 413 (too large) is sent again in halves, refused again here
		if want := map[bool]int64{true: 3, false: 1}[tc.status == 413]; s.Stats().FailedRequests != want {
			t.Errorf("%d: %+v", tc.status, s.Stats())
		}
	}
	f.bulkStatus = 0
}

// TestSplitOn413: a request over the node's limit (413) is sent again in
// halves until each part fits; every document is delivered.
func TestSplitOn413(t *testing.T) {
	f, srv := newFake(t)
	f.maxBody = 1000
	s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL})
	var js []string
	for i := 0; i < 40; i++ {
		js = append(js, fmt.Sprintf(`{"i":%d,"pad":"%s"}`, i, strings.Repeat("x", 40)))
	}
	res := s.Write(docs(js...))
	if res.Code != sink.OK || res.Delivered != 40 || res.Rejected != 0 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	if !strings.Contains(log.all(), "sent again in two halves; set ES_Bulk_Size below") {
		t.Fatal(log.all())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	stored := 0
	for i, b := range f.bodies {
		if f.requests[i].URL.Path == "/_bulk" && len(b) <= f.maxBody {
			stored += bytes.Count(b, []byte("\n")) / 2
		}
	}
	if stored != 40 {
		t.Fatalf("%d documents accepted by the fake", stored)
	}
}

func TestConnectionRefused(t *testing.T) {
	u := refusedURL(t)
	cfg := mustConfig(t, map[string]string{"ES_Hosts": strings.Replace(u, "http://", "http://bob:hunter2@", 1), "ES_Timeout": "2s"})
	log := &memLog{}
	s, err := New(cfg, log)
	if err != nil {
		t.Fatal(err) // unreachable at init is a warning
	}
	defer s.Close()
	if !strings.Contains(log.all(), "warn es: cannot reach Elasticsearch at "+u) {
		t.Fatal(log.all())
	}
	res := s.Write(docs(`{"a":1}`))
	if res.Code != sink.Retry || res.Retryable != 1 || res.Err == nil {
		t.Fatalf("%+v", res)
	}
	all := log.all() + res.Err.Error()
	if strings.Contains(all, "hunter2") || strings.Contains(all, "bob") {
		t.Fatalf("credentials leaked:\n%s", all)
	}
}

func TestTimeoutRetries(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Write([]byte(`{"version":{"number":"8.0.0"}}`))
			return
		}
		<-block
	}))
	defer srv.Close()
	defer close(block)
	s, _ := newSink(t, map[string]string{"ES_Hosts": srv.URL, "ES_Timeout": "300ms"})
	start := time.Now()
	res := s.Write(docs(`{"a":1}`))
	if res.Code != sink.Retry || time.Since(start) > 5*time.Second {
		t.Fatalf("%+v after %v", res, time.Since(start))
	}
}

func TestFailover(t *testing.T) {
	f, srv := newFake(t)
	s, log := newSink(t, map[string]string{"ES_Hosts": refusedURL(t) + "," + srv.URL})
	for i := 0; i < 4; i++ {
		res := s.Write(docs(`{"a":1}`))
		if res.Code != sink.OK || res.Delivered != 1 {
			t.Fatalf("write %d: %+v\n%s", i, res, log.all())
		}
	}
	if f.bulks.Load() != 4 {
		t.Fatal(f.bulks.Load())
	}
}

func TestAuthHeaders(t *testing.T) {
	f, srv := newFake(t)
	s, _ := newSink(t, map[string]string{"ES_Hosts": srv.URL, "HTTP_User": "bob", "HTTP_Passwd": "pw", "ES_API_Key": "ignored"})
	s.Write(docs(`{"a":1}`))
	r, _ := f.last("/_bulk")
	if u, p, ok := r.BasicAuth(); !ok || u != "bob" || p != "pw" {
		t.Fatal(r.Header)
	}
	s, _ = newSink(t, map[string]string{"ES_Hosts": srv.URL, "HTTP_API_Key": "a2V5"})
	s.Write(docs(`{"a":1}`))
	r, _ = f.last("/_bulk")
	if got := r.Header.Get("Authorization"); !strings.EqualFold(got, "ApiKey a2V5") {
		t.Fatal(got)
	}
	s, _ = newSink(t, map[string]string{"ES_Hosts": strings.Replace(srv.URL, "http://", "http://carol:pw2@", 1)})
	s.Write(docs(`{"a":1}`))
	r, _ = f.last("/_bulk")
	if u, p, ok := r.BasicAuth(); !ok || u != "carol" || p != "pw2" {
		t.Fatal(r.Header)
	}
}

func TestAuthFailureAtInit(t *testing.T) {
	f, srv := newFake(t)
	f.authStatus = 401
	cfg := mustConfig(t, map[string]string{"ES_Hosts": strings.Replace(srv.URL, "http://", "http://bob:hunter2@", 1), "HTTP_User": "x", "HTTP_Passwd": "topsecret"})
	log := &memLog{}
	_, err := New(cfg, log)
	if err == nil || !strings.Contains(err.Error(), "refused the credentials (HTTP 401)") || !strings.Contains(err.Error(), srv.URL) {
		t.Fatal(err)
	}
	if strings.Contains(err.Error()+log.all(), "hunter2") || strings.Contains(err.Error()+log.all(), "topsecret") {
		t.Fatal("leak:", err, log.all())
	}
	// 403 on GET / is only a warning (a writer may lack the monitor privilege)
	f.authStatus = 403
	s, err := New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// 403 then on _bulk: retried, and the response reason is reported
	res := s.Write(docs(`{"a":1}`))
	if res.Code != sink.Retry || !strings.Contains(res.Err.Error(), "security_exception") {
		t.Fatalf("%+v", res)
	}
}

func TestGzip(t *testing.T) {
	f, srv := newFake(t)
	s, _ := newSink(t, map[string]string{"ES_Hosts": srv.URL, "Compress": "gzip"})
	res := s.Write(docs(`{"a":1}`, `{"a":2,"want":400}`))
	if res.Code != sink.OK || res.Delivered != 1 || res.Rejected != 1 {
		t.Fatalf("%+v", res)
	}
	r, body := f.last("/_bulk")
	if r.Header.Get("Content-Encoding") != "gzip" || !bytes.HasPrefix(body, []byte(`{"create"`)) {
		t.Fatalf("%v %s", r.Header, body)
	}
}

// TestResponseOverBufferSize: Buffer_Size does not bound what is read of a
// response: 5,000 items of 409 with their error bodies (issue 11) are all
// read, every document is known delivered; and the rejections of a response
// far larger than Buffer_Size are all counted.
func TestResponseOverBufferSize(t *testing.T) {
	_, srv := newFake(t)
	for _, size := range []string{"200", "512k"} {
		s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL, "Buffer_Size": size, "Generate_ID": "on"})
		var js []string
		for i := 0; i < 5000; i++ {
			js = append(js, fmt.Sprintf(`{"i":%d,"want":409}`, i))
		}
		if res := s.Write(docs(js...)); res.Code != sink.OK || res.Delivered != 5000 || res.Retryable != 0 {
			t.Fatalf("Buffer_Size %s: %+v\n%s", size, res, log.all())
		}
		js = js[:0]
		for i := 0; i < 3000; i++ {
			js = append(js, `{"want":400}`, `{}`)
		}
		if res := s.Write(docs(js...)); res.Code != sink.OK || res.Rejected != 3000 || res.Delivered != 3000 {
			t.Fatalf("Buffer_Size %s: %+v\n%s", size, res, log.all())
		}
	}
}

// TestShortResponse: a response that ends early, or lists fewer items than
// documents sent, leaves the documents without a result retryable.
func TestShortResponse(t *testing.T) {
	for _, tc := range []struct{ body, why string }{
		{`{"errors":false,"items":[{"create":{"status":201}},{"create":{"sta`, "could not be read"},
		{`{"errors":false,"items":[{"create":{"status":201}}]}`, "fewer items"},
		{`{"errors":false}`, `no "items"`},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/" {
				w.Write([]byte(`{"version":{"number":"8.15.0"}}`))
				return
			}
			w.Write([]byte(tc.body))
		}))
		s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL})
		res := s.Write(docs(`{}`, `{}`, `{}`))
		want := 2
		if strings.Contains(tc.body, "errors\":false}") {
			want = 3
		}
		if res.Code != sink.Retry || res.Retryable != want || res.Delivered != 3-want {
			t.Errorf("%s: %+v\n%s", tc.body, res, log.all())
		}
		if !strings.Contains(log.all(), "have no readable result") || !strings.Contains(log.all(), tc.why) {
			t.Errorf("%s: not logged:\n%s", tc.body, log.all())
		}
		srv.Close()
	}
}

func TestTraceOutput(t *testing.T) {
	_, srv := newFake(t)
	s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL, "Trace_Output": "on"})
	s.Write(docs(`{"traced":true}`))
	if !strings.Contains(log.all(), `{"traced":true}`) {
		t.Fatal(log.all())
	}
}

func TestTemplateInstall(t *testing.T) {
	f, srv := newFake(t)
	_, log := newSink(t, map[string]string{"ES_Hosts": srv.URL, "Template_Install": "on", "Template_Name": "haproxy", "Data_Stream": "logs-haproxy-x"})
	f.mu.Lock()
	tb := f.templates["haproxy"]
	f.mu.Unlock()
	var tmpl struct {
		IndexPatterns []string        `json:"index_patterns"`
		DataStream    json.RawMessage `json:"data_stream"`
		Priority      int             `json:"priority"`
		Template      struct {
			Mappings struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"mappings"`
		} `json:"template"`
	}
	if err := json.Unmarshal(tb, &tmpl); err != nil {
		t.Fatal(err, string(tb))
	}
	if strings.Join(tmpl.IndexPatterns, ",") != "logs-haproxy-x" || string(tmpl.DataStream) != "{}" || tmpl.Priority != 200 {
		t.Fatalf("%s", tb)
	}
	if !strings.Contains(string(tmpl.Template.Mappings.Properties["source"]), `"ip"`) {
		t.Fatalf("%s", tb)
	}
	if !strings.Contains(log.all(), "installed index template haproxy for logs-haproxy-x") {
		t.Fatal(log.all())
	}
	// exists: left alone
	_, log = newSink(t, map[string]string{"ES_Hosts": srv.URL, "Template_Install": "on", "Template_Name": "haproxy"})
	if !strings.Contains(log.all(), "index template haproxy exists, left alone (Template_Overwrite off)") {
		t.Fatal(log.all())
	}
	_, log = newSink(t, map[string]string{"ES_Hosts": srv.URL, "Template_Install": "on", "Template_Name": "haproxy", "Template_Overwrite": "on", "Time_Key": "ts"})
	if !strings.Contains(log.all(), "replaced index template haproxy for fluent-bit") {
		t.Fatal(log.all())
	}
	f.mu.Lock()
	tb = f.templates["haproxy"]
	f.mu.Unlock()
	if !bytes.Contains(tb, []byte(`"ts":{"type":"date"}`)) || bytes.Contains(tb, []byte(`"@timestamp"`)) || bytes.Contains(tb, []byte("data_stream")) {
		t.Fatalf("%s", tb)
	}
}

// Unset, Template_Install installs the template unless another one matches
// the indices, and what it cannot do is a warning, not a failed Init.
func TestTemplateInstallDefault(t *testing.T) {
	f, srv := newFake(t)
	f.legacy = map[string][]string{"logs": {"logstash-*"}}
	_, log := newSink(t, map[string]string{"ES_Hosts": srv.URL, "Template_Install": ""})
	if !strings.Contains(log.all(), "installed index template haproxy-fluent-bit for fluent-bit") {
		t.Fatal(log.all())
	}
	// Another template matches: left alone, unless Template_Install is on.
	f.mu.Lock()
	f.templates["mine"] = []byte(`{"index_patterns":["fluent-*"],"priority":10}`)
	f.mu.Unlock()
	_, log = newSink(t, map[string]string{"ES_Hosts": srv.URL, "Template_Install": "", "Template_Name": "hx", "Index": "fluent-bit-2"})
	if !strings.Contains(log.all(), "index template hx not installed: index template mine already matches fluent-bit-2") {
		t.Fatal(log.all())
	}
	_, log = newSink(t, map[string]string{"ES_Hosts": srv.URL, "Template_Install": "", "Template_Name": "hx", "Logstash_Format": "on"})
	if !strings.Contains(log.all(), "legacy template logs already matches logstash-*") {
		t.Fatal(log.all())
	}
	f.mu.Lock()
	_, ok := f.templates["hx"]
	f.mu.Unlock()
	if ok {
		t.Fatal("installed over another template")
	}
	_, log = newSink(t, map[string]string{"ES_Hosts": srv.URL, "Template_Install": "on", "Template_Name": "hx", "Index": "fluent-bit-2"})
	if !strings.Contains(log.all(), "installed index template hx for fluent-bit-2") {
		t.Fatal(log.all())
	}

	// Refused, or a cluster without composable templates: a warning.
	f.authStatus = 403
	_, log = newSink(t, map[string]string{"ES_Hosts": srv.URL, "Template_Install": "", "Template_Name": "hy"})
	if !strings.Contains(log.all(), "manage_index_templates") || !strings.Contains(log.all(), "documents are sent without it") {
		t.Fatal(log.all())
	}
	f.authStatus = 0
	f.version = "7.7.1"
	_, log = newSink(t, map[string]string{"ES_Hosts": srv.URL, "Template_Install": "", "Template_Name": "hz"})
	if !strings.Contains(log.all(), "Elasticsearch 7.7.1 has no composable index templates") {
		t.Fatal(log.all())
	}
	// A Time_Key_Format the template cannot map as a date.
	f.version = "8.15.0"
	_, log = newSink(t, map[string]string{"ES_Hosts": srv.URL, "Template_Install": "", "Template_Name": "hw", "Time_Key_Format": "%s"})
	if !strings.Contains(log.all(), `index template hw not installed (Time_Key_Format "%s"`) {
		t.Fatal(log.all())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, name := range []string{"hy", "hz", "hw"} {
		if _, ok := f.templates[name]; ok {
			t.Errorf("template %s installed", name)
		}
	}
}

func TestTemplateInstallRefused(t *testing.T) {
	f, srv := newFake(t)
	f.authStatus = 403
	cfg := mustConfig(t, map[string]string{"ES_Hosts": srv.URL, "Template_Install": "on"})
	_, err := New(cfg, &memLog{})
	if err == nil || !strings.Contains(err.Error(), "manage_index_templates") {
		t.Fatal(err)
	}
}

func TestTemplateInstallDeferred(t *testing.T) {
	// unreachable at init: the template is installed before the first bulk
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := mustConfig(t, map[string]string{"ES_Hosts": "http://" + addr, "Template_Install": "on"})
	log := &memLog{}
	s, err := New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if res := s.Write(docs(`{}`)); res.Code != sink.Retry {
		t.Fatalf("%+v", res)
	}
	f := &fakeES{t: t, version: "8.15.0", templates: map[string][]byte{}}
	l, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skip("port taken again:", err)
	}
	srv := &http.Server{Handler: f}
	go srv.Serve(l)
	defer srv.Close()
	if res := s.Write(docs(`{}`)); res.Code != sink.OK {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.templates["haproxy-fluent-bit"] == nil || f.requests[0].Method != "GET" || f.requests[len(f.requests)-1].URL.Path != "/_bulk" {
		t.Fatal("template not installed first")
	}
}

func TestConcurrentWrites(t *testing.T) {
	f, srv := newFake(t)
	s, _ := newSink(t, map[string]string{"ES_Hosts": srv.URL, "Logstash_Format": "on", "Generate_ID": "on", "Compress": "gzip"})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				b := docs(fmt.Sprintf(`{"g":%d,"i":%d}`, g, i), `{"want":400}`, `{"x":1}`)
				b.Docs[2].Time = time.Date(2020, 1, g+1, 0, 0, 0, 0, time.UTC)
				if res := s.Write(b); res.Code != sink.OK || res.Delivered != 2 || res.Rejected != 1 {
					t.Errorf("%+v", res)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	if st := s.Stats(); st.Delivered != 320 || st.Rejected != 160 || f.bulks.Load() != 160 {
		t.Fatalf("%+v %d", st, f.bulks.Load())
	}
}

func TestRedact(t *testing.T) {
	s := &Sink{secrets: []string{"hunter2"}}
	for in, want := range map[string]string{
		`Post "http://bob:hunter2@h:9200/_bulk": refused`: `Post "http://h:9200/_bulk": refused`,
		`https://u:p@a,https://v:q@b/x`:                   `https://a,https://b/x`,
		`key hunter2 here`:                                `key xxxxx here`,
		`no url`:                                          `no url`,
		`bad host "https://bob:pw@[::1"`:                  `bad host "https://[::1"`,
		`u:p@a,https://v:q@b`:                             `u:p@a,https://b`,
	} {
		if got := s.redact(in); got != want {
			t.Errorf("%q → %q want %q", in, got, want)
		}
	}
}

func TestBulkSizeOption(t *testing.T) {
	for in, want := range map[string]int64{"": 5 << 20, "False": 0, "512k": 512 << 10, "1M": 1 << 20} {
		c, err := ParseConfig(getter(map[string]string{"ES_Bulk_Size": in}))
		if err != nil || c.BulkSize != want {
			t.Errorf("ES_Bulk_Size %q: %d, %v; want %d", in, c.BulkSize, err, want)
		}
	}
	if _, err := ParseConfig(getter(map[string]string{"ES_Bulk_Size": "lots"})); err == nil || !strings.Contains(err.Error(), `ES_Bulk_Size "lots" is not valid`) {
		t.Fatal(err)
	}
}

// TestBulkSizeSplits: with ES_Bulk_Size a chunk goes in requests of at most
// that many bytes (a document larger than it alone in its request), and the
// chunk's result combines theirs.
func TestBulkSizeSplits(t *testing.T) {
	f, srv := newFake(t)
	s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL, "ES_Bulk_Size": "1k", "Generate_ID": "on"})
	var js []string
	for i := 0; i < 100; i++ {
		switch {
		case i == 50:
			js = append(js, fmt.Sprintf(`{"i":%d,"big":"%s"}`, i, strings.Repeat("x", 3000)))
		case i%10 == 3:
			js = append(js, fmt.Sprintf(`{"i":%d,"want":400}`, i))
		case i%10 == 7:
			js = append(js, fmt.Sprintf(`{"i":%d,"want":409}`, i))
		default:
			js = append(js, fmt.Sprintf(`{"i":%d}`, i))
		}
	}
	res := s.Write(docs(js...))
	if res.Code != sink.OK || res.Delivered != 90 || res.Rejected != 10 || res.Retryable != 0 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	seen, requests := 0, 0
	for i, b := range f.bodies {
		if f.requests[i].URL.Path != "/_bulk" {
			continue
		}
		requests++
		n := bytes.Count(b, []byte("\n")) / 2
		if len(b) > 1024 && n != 1 {
			t.Errorf("request %d: %d bytes, %d documents", requests, len(b), n)
		}
		// every request ends on a whole document, and they come in order
		if !bytes.HasSuffix(b, []byte("}\n")) || !bytes.Contains(b, []byte(fmt.Sprintf(`{"i":%d`, seen))) {
			t.Errorf("request %d does not start at document %d:\n%s", requests, seen, b)
		}
		seen += n
	}
	if seen != 100 || requests < 10 || s.Stats().Requests != int64(requests) {
		t.Fatalf("%d documents in %d requests; stats %+v", seen, requests, s.Stats())
	}
}

// TestBulkSizeStopsOnFailure: once a request of a chunk fails as a whole
// for a transient reason, the rest of the chunk is not sent: it is counted
// retryable, and the chunk is retried. The requests go in pairs
// (pair.go): whichever of the first two the node fails, the other one is
// delivered, and none is sent after them.
func TestBulkSizeStopsOnFailure(t *testing.T) {
	var bulks atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			w.Write([]byte(`{"version":{"number":"8.15.0"}}`))
			return
		}
		body, _ := io.ReadAll(r.Body)
		n := bytes.Count(body, []byte("\n")) / 2
		if bulks.Add(1) == 2 {
			w.WriteHeader(429)
			w.Write([]byte(`{"error":{"type":"es_rejected_execution_exception","reason":"queue full"},"status":429}`))
			return
		}
		w.Write([]byte(`{"errors":false,"items":[` + strings.TrimSuffix(strings.Repeat(`{"create":{"status":201}},`, n), ",") + `]}`))
	}))
	defer srv.Close()
	s, log := newSink(t, map[string]string{"ES_Hosts": srv.URL, "ES_Bulk_Size": "200"}) // paired: requests of 100 bytes
	var js []string
	for i := 0; i < 20; i++ {
		js = append(js, fmt.Sprintf(`{"i":%02d}`, i)) // 45 bytes with its action: 2 per request
	}
	res := s.Write(docs(js...))
	if res.Code != sink.Retry || res.Delivered != 2 || res.Retryable != 18 || !strings.Contains(res.Err.Error(), "HTTP 429") {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	if n := bulks.Load(); n != 2 {
		t.Fatalf("%d requests sent, want 2 (none after the failure)", n)
	}
}
