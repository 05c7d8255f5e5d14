package e2e_test

// End-to-end tests of Destination elasticsearch: chunks built like Fluent
// Bit's go through flbhost (the C host that drives out_haproxy.so exactly as
// Fluent Bit's Go proxy does) into the real plugin, which sends them to a
// real search node (test/elasticsearch: OpenSearch 2.19.1, see its README);
// what the node stored is then checked with _count, _search, _mapping and
// _cat/indices over plain net/http.
//
// ES_TEST_URL names the node (`make test` starts one). Without it the tests
// skip, unless REQUIRE_INTEGRATION=1, which makes that a failure. The fault
// tests (server stopped, 429 back-pressure) start and stop nodes of their
// own with test/elasticsearch/start.sh and stop.sh on free ports.
//
// Every test writes to its own index (haproxy-e2e-<test>-<unix nanos>) and
// installs its index template under its own name, so the tests are
// independent of each other and of earlier runs.
//
// Return codes: 1 FLB_OK, 2 FLB_RETRY, 0 FLB_ERROR.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/test/flbhost"
)

const (
	flbOK    = 1
	flbRetry = 2
)

// esURL is the test node's base URL (ES_TEST_URL).
func esURL(t *testing.T) string {
	t.Helper()
	u := strings.TrimRight(os.Getenv("ES_TEST_URL"), "/")
	if u == "" {
		if os.Getenv("REQUIRE_INTEGRATION") == "1" {
			t.Fatal("REQUIRE_INTEGRATION=1 but ES_TEST_URL is not set: start a node with test/elasticsearch/start.sh")
		}
		t.Skip("ES_TEST_URL not set: the Elasticsearch end-to-end tests are skipped (set REQUIRE_INTEGRATION=1 to fail instead)")
	}
	return u
}

// esDo makes one plain HTTP call to a node.
func esDo(t *testing.T, method, u, body string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	c := &http.Client{Timeout: 60 * time.Second}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	return res.StatusCode, b
}

// esJSON makes a call that must answer 200 and decodes its JSON answer.
func esJSON(t *testing.T, method, u, body string, v any) {
	t.Helper()
	st, b := esDo(t, method, u, body)
	if st != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d: %s", method, u, st, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s %s: %v: %s", method, u, err, b)
	}
}

// esCount refreshes index (a name, pattern or data stream) and counts its
// documents.
func esCount(t *testing.T, base, index string) int {
	t.Helper()
	if st, b := esDo(t, "POST", base+"/"+index+"/_refresh", ""); st != http.StatusOK {
		t.Fatalf("refresh %s: HTTP %d: %s", index, st, b)
	}
	var c struct {
		Count int `json:"count"`
	}
	esJSON(t, "GET", base+"/"+index+"/_count", "", &c)
	return c.Count
}

type hit struct {
	Index  string         `json:"_index"`
	ID     string         `json:"_id"`
	Source map[string]any `json:"_source"`
}

// esSearch refreshes index and returns the hits of query (at most size).
func esSearch(t *testing.T, base, index, query string, size int) (total int, hits []hit) {
	t.Helper()
	esDo(t, "POST", base+"/"+index+"/_refresh", "")
	var r struct {
		Hits struct {
			Total struct {
				Value int `json:"value"`
			} `json:"total"`
			Hits []hit `json:"hits"`
		} `json:"hits"`
	}
	esJSON(t, "POST", fmt.Sprintf("%s/%s/_search?size=%d&track_total_hits=true", base, index, size), query, &r)
	return r.Hits.Total.Value, r.Hits.Hits
}

// uniqName is haproxy-e2e-<what>-<unix nanos>: a fresh, valid index name.
func uniqName(what string) string {
	return fmt.Sprintf("haproxy-e2e-%s-%d", strings.ToLower(what), time.Now().UnixNano())
}

// received is the record time of the first line of every chunk.
var received = time.Date(2026, 11, 21, 7, 40, 0, 0, time.UTC)

// tailChunks writes lines as tail-input chunks ({"log": line}) of at most
// per records each, named <prefix>-<n>.msgpack, and returns their paths.
func tailChunks(t *testing.T, dir, prefix string, lines []string, per int) []string {
	t.Helper()
	var paths []string
	for i := 0; i < len(lines); i += per {
		end := min(i+per, len(lines))
		data := flbhost.AppendLines(nil, flbhost.LayoutV2, received.Add(time.Duration(i)*time.Second), lines[i:end]...)
		paths = append(paths, flbhost.WriteChunk(t, dir, fmt.Sprintf("%s-%03d.msgpack", prefix, len(paths)), data))
	}
	return paths
}

// esProps are the properties of one output instance writing to base.
func esProps(inst int, base string, kv ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "prop %d Destination elasticsearch\nprop %d ES_Hosts %s\nprop %d Time_Zone UTC\n", inst, inst, base, inst)
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&b, "prop %d %s %s\n", inst, kv[i], kv[i+1])
	}
	return b.String()
}

func chunkName(path string) string { return filepath.Base(path) }

func flushCall(inst int, path string) string {
	return fmt.Sprintf("flush instance=%d chunk=%s", inst, chunkName(path))
}

var closedLine = regexp.MustCompile(`es: closed: (\d+) documents delivered, (\d+) rejected, (\d+) retryable`)

// closedStats reads the totals the plugin logs at exit.
func closedStats(t *testing.T, stderr string) (delivered, rejected, retryable int) {
	t.Helper()
	m := closedLine.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no `es: closed:` line in the plugin's log")
	}
	d, _ := strconv.Atoi(m[1])
	r, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	return d, r, y
}

// rejectionLines are the lines of the plugin's log about rejected documents
// (the `es: closed:` totals line aside).
func rejectionLines(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(strings.ToLower(l), "rejected") && !closedLine.MatchString(l) {
			out = append(out, l)
		}
	}
	return out
}

// needDataStreams skips a test on a node without data streams: the
// Elasticsearch 7.10.2 test node has no x-pack, where they live. The
// OpenSearch node runs the test, and the unit tests cover Elasticsearch 8.
func needDataStreams(t *testing.T, base string) {
	t.Helper()
	if st, b := esDo(t, "GET", base+"/_data_stream", ""); st != http.StatusOK {
		t.Skipf("the node at %s has no data streams (GET /_data_stream: HTTP %d %.100s)", base, st, b)
	}
}

// --- mappings ------------------------------------------------------------------

// flattenMapping turns an index mapping's properties into dotted path → type
// (sub-fields such as message.keyword included).
func flattenMapping(props map[string]any, prefix string, out map[string]string) {
	for name, v := range props {
		m, _ := v.(map[string]any)
		p := prefix + name
		if sub, ok := m["properties"].(map[string]any); ok {
			flattenMapping(sub, p+".", out)
			continue
		}
		if typ, ok := m["type"].(string); ok {
			out[p] = typ
		}
		if fields, ok := m["fields"].(map[string]any); ok {
			flattenMapping(fields, p+".", out)
		}
	}
}

// indexMapping is the flattened mapping of index.
func indexMapping(t *testing.T, base, index string) map[string]string {
	t.Helper()
	var r map[string]struct {
		Mappings struct {
			Properties map[string]any `json:"properties"`
		} `json:"mappings"`
	}
	esJSON(t, "GET", base+"/"+index+"/_mapping", "", &r)
	out := map[string]string{}
	for _, ix := range r {
		flattenMapping(ix.Mappings.Properties, "", out)
	}
	return out
}

// flattenDoc turns a document into dotted path → leaf values.
func flattenDoc(v any, prefix string, out map[string][]any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			flattenDoc(e, p, out)
		}
	case []any:
		for _, e := range x {
			flattenDoc(e, prefix, out)
		}
	default:
		out[prefix] = append(out[prefix], x)
	}
}

var numericTypes = map[string]bool{"long": true, "integer": true, "short": true, "byte": true,
	"double": true, "float": true, "half_float": true, "scaled_float": true, "unsigned_long": true}

// fits reports whether a JSON value the encoder wrote suits a mapped type
// as it should be mapped (a bool is a boolean, a number numeric, a string
// one of the string-like types).
func fits(typ string, v any) bool {
	switch v.(type) {
	case bool:
		return typ == "boolean"
	case float64:
		return numericTypes[typ]
	case string:
		switch typ {
		case "keyword", "text", "ip", "date", "wildcard", "match_only_text":
			return true
		}
		return false
	case nil:
		return true
	}
	return false
}

// --- a reverse proxy in front of the node ---------------------------------------

// proxy is an httputil.ReverseProxy in front of a node that can require
// Basic auth and records what the plugin sent. sent fires shortly after
// the body of the sendsBefore-th _bulk request went to the node.
type proxy struct {
	*httptest.Server
	user, pass string // required when user is set

	mu          sync.Mutex
	encodings   []string // Content-Encoding of each _bulk request
	refused     atomic.Int64
	sendsBefore int
	bodies      atomic.Int64
	sent        chan struct{}
	once        sync.Once
}

// eofSignal calls fn once its reader is read to the end.
type eofSignal struct {
	io.ReadCloser
	fn   func()
	once sync.Once
}

func (e *eofSignal) Read(b []byte) (int, error) {
	n, err := e.ReadCloser.Read(b)
	if err == io.EOF {
		e.once.Do(e.fn)
	}
	return n, err
}

func newProxy(t *testing.T, target, user, pass string) *proxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{user: user, pass: pass, sendsBefore: 1, sent: make(chan struct{})}
	rp := httputil.NewSingleHostReverseProxy(u)
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.user != "" {
			if gu, gp, ok := r.BasicAuth(); !ok || gu != p.user || gp != p.pass {
				p.refused.Add(1)
				w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, `{"error":{"type":"security_exception","reason":"missing authentication credentials"},"status":401}`)
				return
			}
		}
		if strings.HasPrefix(r.URL.Path, "/_bulk") {
			p.mu.Lock()
			p.encodings = append(p.encodings, r.Header.Get("Content-Encoding"))
			p.mu.Unlock()
			r.Body = &eofSignal{ReadCloser: r.Body, fn: func() {
				if p.bodies.Add(1) >= int64(p.sendsBefore) {
					p.once.Do(func() { time.AfterFunc(100*time.Millisecond, func() { close(p.sent) }) })
				}
			}}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *proxy) bulkEncodings() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.encodings...)
}

// --- 1. the corpus, the template, the mapping --------------------------------------

// TestESCorpusTemplate sends every corpus line in several chunks with
// Template_Install on: every flush is FLB_OK, every line is stored, no
// document is rejected, and the mapping of the fields is what the template
// says and fits every value the encoder wrote.
func TestESCorpusTemplate(t *testing.T) {
	base := esURL(t)
	plugin := flbhost.Build(t)
	index := uniqName("corpus")
	lines := corpus.Lines(t, "*.log")
	dir := t.TempDir()
	chunks := tailChunks(t, dir, "corpus", lines, 200)

	script := esProps(0, base, "Index", index, "Template_Install", "on", "Template_Name", index) + "init 0\n"
	for _, c := range chunks {
		script += "flush 0 haproxy.corpus " + c + "\n"
	}
	r := plugin.Run(t, script+"exit 0\n")
	if r.Exit != 0 {
		t.Fatalf("host exit %d", r.Exit)
	}
	r.WantRC(t, "init instance=0", flbOK)
	for _, c := range chunks {
		r.WantRC(t, flushCall(0, c), flbOK)
	}
	if n := esCount(t, base, index); n != len(lines) {
		t.Errorf("_count %d, want %d (the corpus lines, %d chunks)", n, len(lines), len(chunks))
	}
	if rej := rejectionLines(r.Stderr); len(rej) > 0 {
		t.Errorf("documents were rejected:\n%s", strings.Join(rej, "\n"))
	}
	if d, rej, retry := closedStats(t, r.Stderr); d != len(lines) || rej != 0 || retry != 0 {
		t.Errorf("plugin totals: %d delivered, %d rejected, %d retryable; want %d, 0, 0", d, rej, retry, len(lines))
	}

	// The template's types are the ones in force.
	mapping := indexMapping(t, base, index)
	want := map[string][]string{
		"source.ip":                           {"ip"},
		"@timestamp":                          {"date"},
		"haproxy.http.request.time_active_ms": {"long", "integer"},
		"related.ip":                          {"ip"},
		"source.address":                      {"keyword"},
		"http.response.status_code":           {"long", "integer"},
		"haproxy.termination_state":           {"keyword"},
		"message":                             {"text"},
		"haproxy.termination.summary":         {"text"},
		"haproxy.frontend_ssl":                {"boolean"},
		"haproxy.termination.anomaly":         {"boolean"},
		"haproxy.connections.redispatched":    {"boolean"},
	}
	for field, types := range want {
		got := mapping[field]
		ok := false
		for _, ty := range types {
			ok = ok || got == ty
		}
		if !ok {
			t.Errorf("mapping of %s: %q, want %s", field, got, strings.Join(types, " or "))
		}
	}

	// Every value the encoder wrote fits its mapped type: the template (and
	// the dynamic templates for the fields it does not name) agrees with
	// the encoder everywhere, not only on the fields above.
	_, hits := esSearch(t, base, index, `{"query":{"match_all":{}}}`, len(lines)+10)
	if len(hits) != len(lines) {
		t.Fatalf("_search returned %d documents, want %d", len(hits), len(lines))
	}
	seen := map[string]int{}
	bad := 0
	for _, h := range hits {
		leaves := map[string][]any{}
		flattenDoc(h.Source, "", leaves)
		for path, vals := range leaves {
			seen[path]++
			typ, ok := mapping[path]
			if !ok {
				if bad++; bad <= 20 {
					t.Errorf("field %s of %s is not mapped", path, h.ID)
				}
				continue
			}
			for _, v := range vals {
				if !fits(typ, v) {
					if bad++; bad <= 20 {
						t.Errorf("field %s is mapped %s but the encoder wrote %T %v (doc %s)", path, typ, v, v, h.ID)
					}
				}
			}
		}
	}
	t.Logf("%d documents, %d distinct fields checked against the mapping", len(hits), len(seen))

	// sH--: the server aborted; blame is the server.
	wantSH := 0
	for _, l := range lines {
		if strings.Contains(l, " sH-- ") {
			wantSH++
		}
	}
	total, hits := esSearch(t, base, index, `{"query":{"term":{"haproxy.termination_state":"sH--"}}}`, 100)
	if total == 0 || total != wantSH {
		t.Errorf("termination_state sH--: %d documents, want %d (lines with sH--)", total, wantSH)
	}
	for _, h := range hits {
		if b, _ := flbhost.Lookup(h.Source, "haproxy", "termination", "blame"); b != "server" {
			t.Errorf("sH-- document %s: haproxy.termination.blame %v, want server", h.ID, b)
		}
	}
}

// --- 2. Logstash_Format -------------------------------------------------------------

var requestDate = regexp.MustCompile(`\[(\d\d)/Nov/2026:`)

// TestESLogstashFormat names each document's index from its @timestamp
// (the request date): the traffic lines are sent as they are (21 Nov) and,
// every other one, dated a day earlier; both dated indices exist and hold
// exactly their documents.
func TestESLogstashFormat(t *testing.T) {
	base := esURL(t)
	plugin := flbhost.Build(t)
	prefix := uniqName("ls")
	var lines []string
	wantPer := map[string]int{}
	for _, l := range corpus.RFC3164Lines(t) {
		m := requestDate.FindStringSubmatch(l)
		if m == nil || m[1] != "21" || !strings.Contains(l, `"`) { // HTTP traffic lines of 21 Nov
			continue
		}
		day := "21"
		if len(lines)%2 == 1 {
			day = "20"
			l = strings.Replace(l, "[21/Nov/2026:", "[20/Nov/2026:", 1)
		}
		lines = append(lines, l)
		wantPer[prefix+"-2026.11."+day]++
	}
	if len(wantPer) != 2 {
		t.Fatalf("want lines of two days, got %v", wantPer)
	}
	dir := t.TempDir()
	chunks := tailChunks(t, dir, "ls", lines, 40)
	script := esProps(0, base, "Logstash_Format", "on", "Logstash_Prefix", prefix) + "init 0\n"
	for _, c := range chunks {
		script += "flush 0 haproxy " + c + "\n"
	}
	r := plugin.Run(t, script+"exit 0\n")
	for _, c := range chunks {
		r.WantRC(t, flushCall(0, c), flbOK)
	}

	esDo(t, "POST", base+"/"+prefix+"-*/_refresh", "")
	var cat []struct {
		Index string `json:"index"`
		Docs  string `json:"docs.count"`
	}
	esJSON(t, "GET", base+"/_cat/indices/"+prefix+"-*?format=json&h=index,docs.count", "", &cat)
	got := map[string]int{}
	for _, c := range cat {
		got[c.Index], _ = strconv.Atoi(c.Docs)
	}
	for ix, n := range wantPer {
		if got[ix] != n {
			t.Errorf("index %s: %d documents, want %d", ix, got[ix], n)
		}
		if n := esCount(t, base, ix); n != wantPer[ix] {
			t.Errorf("_count %s: %d, want %d", ix, n, wantPer[ix])
		}
	}
	if len(got) != len(wantPer) {
		t.Errorf("indices %v, want %v", got, wantPer)
	}
	// Each document sits in the index of its own @timestamp.
	_, hits := esSearch(t, base, prefix+"-*", `{"query":{"match_all":{}}}`, len(lines)+10)
	for _, h := range hits {
		ts, _ := h.Source["@timestamp"].(string)
		tm, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			t.Errorf("doc %s: @timestamp %q: %v", h.ID, ts, err)
			continue
		}
		if want := prefix + "-" + tm.UTC().Format("2006.01.02"); h.Index != want {
			t.Errorf("doc %s with @timestamp %s is in %s, want %s", h.ID, ts, h.Index, want)
		}
	}
}

// --- 3. Data_Stream -------------------------------------------------------------------

// TestESDataStream writes to a data stream whose template the plugin
// installs.
func TestESDataStream(t *testing.T) {
	base := esURL(t)
	needDataStreams(t, base)
	plugin := flbhost.Build(t)
	stream := fmt.Sprintf("logs-haproxy-e2e-%d", time.Now().UnixNano())
	lines := corpus.RFC3164Lines(t)
	chunks := tailChunks(t, t.TempDir(), "ds", lines, 100)
	script := esProps(0, base, "Data_Stream", stream, "Template_Install", "on", "Template_Name", stream) + "init 0\n"
	for _, c := range chunks {
		script += "flush 0 haproxy " + c + "\n"
	}
	r := plugin.Run(t, script+"exit 0\n")
	for _, c := range chunks {
		r.WantRC(t, flushCall(0, c), flbOK)
	}
	var ds struct {
		DataStreams []struct {
			Name     string `json:"name"`
			Template string `json:"template"`
		} `json:"data_streams"`
	}
	esJSON(t, "GET", base+"/_data_stream/"+stream, "", &ds)
	if len(ds.DataStreams) != 1 || ds.DataStreams[0].Name != stream || ds.DataStreams[0].Template != stream {
		t.Errorf("_data_stream/%s: %+v, want one data stream from template %s", stream, ds.DataStreams, stream)
	}
	if n := esCount(t, base, stream); n != len(lines) {
		t.Errorf("_count %s: %d, want %d", stream, n, len(lines))
	}
	if rej := rejectionLines(r.Stderr); len(rej) > 0 {
		t.Errorf("documents were rejected:\n%s", strings.Join(rej, "\n"))
	}
}

// --- 4. Compress gzip -------------------------------------------------------------------

// TestESCompressGzip: gzip request bodies are delivered (a proxy in front
// of the node checks that they are gzip indeed).
func TestESCompressGzip(t *testing.T) {
	base := esURL(t)
	plugin := flbhost.Build(t)
	p := newProxy(t, base, "", "")
	index := uniqName("gzip")
	lines := corpus.RFC3164Lines(t)
	chunks := tailChunks(t, t.TempDir(), "gz", lines, 100)
	script := esProps(0, p.URL, "Index", index, "Compress", "gzip") + "init 0\n"
	for _, c := range chunks {
		script += "flush 0 haproxy " + c + "\n"
	}
	r := plugin.Run(t, script+"exit 0\n")
	for _, c := range chunks {
		r.WantRC(t, flushCall(0, c), flbOK)
	}
	if n := esCount(t, base, index); n != len(lines) {
		t.Errorf("_count %d, want %d", n, len(lines))
	}
	enc := p.bulkEncodings()
	if len(enc) != len(chunks) {
		t.Errorf("%d _bulk requests, want %d", len(enc), len(chunks))
	}
	for i, e := range enc {
		if e != "gzip" {
			t.Errorf("_bulk request %d: Content-Encoding %q, want gzip", i, e)
		}
	}
}

// --- 5. Basic auth --------------------------------------------------------------------

// TestESBasicAuth: the node has no security plugin, so an authenticating
// reverse proxy stands in front of it. The right HTTP_User/HTTP_Passwd
// deliver; a wrong password fails Init (Fluent Bit exits) with a message
// naming the URL and not the password.
func TestESBasicAuth(t *testing.T) {
	base := esURL(t)
	plugin := flbhost.Build(t)
	pass := fmt.Sprintf("Pa55-w0rd-%d", time.Now().UnixNano())
	p := newProxy(t, base, "fluent", pass)
	lines := corpus.RFC3164Lines(t)[:50]
	chunk := tailChunks(t, t.TempDir(), "auth", lines, 50)[0]

	t.Run("right", func(t *testing.T) {
		index := uniqName("auth")
		r := plugin.Run(t, esProps(0, p.URL, "Index", index, "HTTP_User", "fluent", "HTTP_Passwd", pass)+
			"init 0\nflush 0 haproxy "+chunk+"\nexit 0\n")
		r.WantRC(t, "init instance=0", flbOK)
		r.WantRC(t, flushCall(0, chunk), flbOK)
		if n := esCount(t, base, index); n != len(lines) {
			t.Errorf("_count %d, want %d", n, len(lines))
		}
		if strings.Contains(r.Stdout+r.Stderr, pass) {
			t.Errorf("the password appears in the host's output")
		}
		if n := p.refused.Load(); n != 0 {
			t.Errorf("the proxy refused %d requests", n)
		}
	})

	t.Run("wrong", func(t *testing.T) {
		before := p.refused.Load()
		index := uniqName("authwrong")
		wrong := pass + "-wrong"
		r := plugin.Run(t, esProps(0, p.URL, "Index", index, "HTTP_User", "fluent", "HTTP_Passwd", wrong)+
			"init 0\nflush 0 haproxy "+chunk+"\nexit 0\n")
		if r.Exit != 255 {
			t.Errorf("host exit %d, want 255 (an output that fails Init stops Fluent Bit)", r.Exit)
		}
		r.WantRC(t, "init instance=0", 0)
		if _, flushed := r.RCs[flushCall(0, chunk)]; flushed {
			t.Errorf("flushed after a failed Init")
		}
		if p.refused.Load() == before {
			t.Errorf("the proxy saw no request with the wrong password")
		}
		if !strings.Contains(r.Stderr, p.URL) || !strings.Contains(r.Stderr, "401") {
			t.Errorf("the Init error does not name %s and HTTP 401:\n%s", p.URL, r.Stderr)
		}
		if strings.Contains(r.Stdout+r.Stderr, wrong) || strings.Contains(r.Stdout+r.Stderr, pass) {
			t.Errorf("the password appears in the host's output:\n%s", r.Stderr)
		}
		if st, _ := esDo(t, "GET", base+"/"+index, ""); st != http.StatusNotFound {
			t.Errorf("index %s: HTTP %d, want 404 (nothing written)", index, st)
		}
	})
}
