package es

// Tests against a real Elasticsearch node: ES_TEST_URL names it (the
// project's `make test` starts one with test/elasticsearch/start.sh).
// Without ES_TEST_URL they are skipped, unless REQUIRE_INTEGRATION=1, which
// makes their absence a failure.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

func realURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("ES_TEST_URL")
	if u == "" {
		if os.Getenv("REQUIRE_INTEGRATION") == "1" {
			t.Fatal("REQUIRE_INTEGRATION=1 but ES_TEST_URL is not set: start a node with test/elasticsearch/start.sh")
		}
		t.Skip("ES_TEST_URL not set: real Elasticsearch tests skipped")
	}
	return strings.TrimRight(u, "/")
}

// esCall is a plain HTTP call to the test node, for checking what it stored.
func esCall(t *testing.T, method, url string, body string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func esCount(t *testing.T, base, index string) int {
	t.Helper()
	esCall(t, "POST", base+"/"+index+"/_refresh", "")
	st, b := esCall(t, "GET", base+"/"+index+"/_count", "")
	if st != 200 {
		t.Fatalf("_count %s: %d %s", index, st, b)
	}
	var c struct {
		Count int `json:"count"`
	}
	json.Unmarshal(b, &c)
	return c.Count
}

func uniq(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())
}

// realDocs builds n documents shaped like the encoder's output.
func realDocs(n int, at time.Time) *sink.Batch {
	b := &sink.Batch{Tag: "haproxy.test"}
	for i := 0; i < n; i++ {
		ts := at.Add(time.Duration(i) * time.Millisecond).UTC()
		js := fmt.Sprintf(`{"@timestamp":%q,"message":"<134>May  6 07:08:09 haproxy[123]: 10.0.%d.%d:48052 [06/May/2024:07:08:09.100] fe be/s1 0/0/1/2/3 200 512 - - ---- 1/1/0/0/0 0/0 \"GET /ok?i=%d HTTP/1.1\"",`+
			`"source":{"ip":"10.0.%d.%d","port":48052},"process":{"name":"haproxy","pid":123},`+
			`"http":{"request":{"method":"GET"},"response":{"status_code":200},"version":"1.1"},`+
			`"url":{"original":"/ok?i=%d","path":"/ok","query":"i=%d"},`+
			`"haproxy":{"log_type":"http","frontend_name":"fe","backend_name":"be","server_name":"s1",`+
			`"timers":{"request_ms":0,"queue_ms":0,"connect_ms":1,"response_ms":2},"http":{"request":{"time_active_ms":3}},`+
			`"bytes_read":512,"termination_state":"----","termination":{"summary":"normal end of session","cause":{"code":"-"}},`+
			`"connections":{"active":1,"frontend":1,"backend":0,"server":0,"retries":0,"redispatched":false},"seq":%d}}`,
			ts.Format(time.RFC3339Nano), i/250, i%250, i, i/250, i%250, i, i, i)
		b.Docs = append(b.Docs, sink.Doc{JSON: []byte(js), Time: ts})
	}
	return b
}

// needVersion skips a test on an older node.
func needVersion(t *testing.T, major, minor int) {
	t.Helper()
	st, b := esCall(t, "GET", realURL(t)+"/", "")
	var info struct {
		Version struct {
			Number       string `json:"number"`
			Distribution string `json:"distribution"`
		} `json:"version"`
	}
	json.Unmarshal(b, &info)
	if st == 200 && info.Version.Distribution == "opensearch" {
		return // OpenSearch (any version) has composable templates and data streams
	}
	ma, mi := versionOf(info.Version.Number)
	if st != 200 || ma < major || ma == major && mi < minor {
		t.Skipf("needs Elasticsearch %d.%d, the node runs %q", major, minor, info.Version.Number)
	}
}

func realSink(t *testing.T, kv map[string]string) (*Sink, *memLog) {
	t.Helper()
	kv["ES_Hosts"] = realURL(t)
	return openSink(t, kv)
}

func TestRealBulkCount(t *testing.T) {
	base := realURL(t)
	index := uniq("hx-bulk")
	t.Cleanup(func() { esCall(t, "DELETE", base+"/"+index, "") })
	s, log := realSink(t, map[string]string{"Index": index})
	if v := s.Version(); v == "" {
		t.Fatalf("no version from probe:\n%s", log.all())
	}
	res := s.Write(realDocs(500, time.Now()))
	if res.Code != sink.OK || res.Delivered != 500 || res.Rejected != 0 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	if n := esCount(t, base, index); n != 500 {
		t.Fatalf("count %d", n)
	}
	t.Logf("node %s: %+v", s.Version(), s.Stats())
}

// TestRealTemplateMapping: the template, installed by default, gives the
// index our types, and its explanation texts are kept but not indexed.
func TestRealTemplateMapping(t *testing.T) {
	base := realURL(t)
	index := uniq("hx-tmpl")
	tname := uniq("hx-tmpl")
	needVersion(t, 7, 8)
	t.Cleanup(func() {
		esCall(t, "DELETE", base+"/"+index, "")
		esCall(t, "DELETE", base+"/_index_template/"+tname, "")
	})
	s, log := realSink(t, map[string]string{"Index": index, "Template_Name": tname})
	if !strings.Contains(log.all(), "installed index template "+tname) {
		t.Fatal(log.all())
	}
	if res := s.Write(realDocs(10, time.Now())); res.Code != sink.OK || res.Delivered != 10 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	st, b := esCall(t, "GET", base+"/"+index+"/_mapping", "")
	if st != 200 {
		t.Fatalf("%d %s", st, b)
	}
	var m map[string]struct {
		Mappings json.RawMessage `json:"mappings"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var mapping map[string]any
	json.Unmarshal(m[index].Mappings, &mapping)
	typeOf := func(path string) string {
		cur := mapping
		parts := strings.Split(path, ".")
		for i, p := range parts {
			props, _ := cur["properties"].(map[string]any)
			next, _ := props[p].(map[string]any)
			if next == nil {
				return "(missing)"
			}
			if i == len(parts)-1 {
				ty, _ := next["type"].(string)
				if next["index"] == false {
					ty += ", not indexed"
				}
				return ty
			}
			cur = next
		}
		return ""
	}
	for path, want := range map[string]string{
		"@timestamp": "date", "message": "text", "source.ip": "ip", "source.port": "long",
		"haproxy.http.request.time_active_ms": "long", "haproxy.timers.connect_ms": "long", "haproxy.bytes_read": "long",
		"http.response.status_code": "long", "haproxy.frontend_name": "keyword",
		"haproxy.termination_state": "keyword", "haproxy.termination.summary": "text, not indexed",
		"haproxy.termination.cause.code":   "keyword",
		"haproxy.connections.redispatched": "boolean", "http.request.method": "keyword",
		"haproxy.log_type": "keyword", "url.path": "keyword",
	} {
		if got := typeOf(path); got != want {
			t.Errorf("%s mapped %q, want %q", path, got, want)
		}
	}
	// The summary is in the document, but a search on it finds nothing.
	esCall(t, "POST", base+"/"+index+"/_refresh", "")
	if st, b := esCall(t, "GET", base+"/"+index+"/_search", `{"query":{"match":{"haproxy.termination.summary":"normal"}}}`); st == 200 && !bytes.Contains(b, []byte(`"hits":[]`)) {
		t.Errorf("a search on the summary: HTTP %d %s", st, b)
	}
	if st, b := esCall(t, "GET", base+"/"+index+"/_search?size=1", `{"query":{"match_all":{}}}`); st != 200 || !bytes.Contains(b, []byte(`"summary":"normal end of session"`)) {
		t.Errorf("the summary is not in the document: HTTP %d %s", st, b)
	}
	// A second sink leaves the template alone; a third, under another
	// name, leaves alone the indices the first one matches.
	_, log2 := realSink(t, map[string]string{"Index": index, "Template_Install": "on", "Template_Name": tname})
	if !strings.Contains(log2.all(), "index template "+tname+" exists, left alone") {
		t.Fatal(log2.all())
	}
	other := uniq("hx-tmpl")
	t.Cleanup(func() { esCall(t, "DELETE", base+"/_index_template/"+other, "") })
	_, log3 := realSink(t, map[string]string{"Index": index, "Template_Name": other})
	if !strings.Contains(log3.all(), "index template "+other+" not installed: index template "+tname+" already matches "+index) {
		t.Fatal(log3.all())
	}
}

func TestRealLogstashFormat(t *testing.T) {
	base := realURL(t)
	prefix := uniq("hx-ls")
	t.Cleanup(func() { esCall(t, "DELETE", base+"/"+prefix+"-*", "") })
	s, log := realSink(t, map[string]string{"Logstash_Format": "on", "Logstash_Prefix": prefix})
	day1 := time.Date(2024, 5, 6, 23, 59, 59, 0, time.UTC)
	b := realDocs(4, day1)
	b.Docs[2].Time = day1.Add(2 * time.Second) // next day
	b.Docs[3].Prefix = []byte(prefix + "-other")
	res := s.Write(b)
	if res.Code != sink.OK || res.Delivered != 4 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	// doc 3's time is day1+3ms, i.e. still 2024-05-06.
	if n := esCount(t, base, prefix+"-2024.05.06"); n != 2 {
		t.Errorf("%s-2024.05.06: %d", prefix, n)
	}
	if n := esCount(t, base, prefix+"-2024.05.07"); n != 1 {
		t.Errorf("%s-2024.05.07: %d", prefix, n)
	}
	if n := esCount(t, base, prefix+"-other-2024.05.06"); n != 1 {
		t.Errorf("%s-other-2024.05.06: %d", prefix, n)
	}
}

func TestRealDataStream(t *testing.T) {
	base := realURL(t)
	ds := uniq("logs-hxtest")
	tname := uniq("hx-ds")
	needVersion(t, 7, 9)
	if st, b := esCall(t, "GET", base+"/_data_stream", ""); st != 200 {
		// the Elasticsearch 7.10.2 test node has no x-pack, where data
		// streams live: the OpenSearch node and the unit tests cover them
		t.Skipf("the node has no data streams (GET /_data_stream: HTTP %d %.100s)", st, b)
	}
	t.Cleanup(func() {
		esCall(t, "DELETE", base+"/_data_stream/"+ds, "")
		esCall(t, "DELETE", base+"/_index_template/"+tname, "")
	})
	s, log := realSink(t, map[string]string{"Data_Stream": ds, "Template_Install": "on", "Template_Name": tname})
	res := s.Write(realDocs(20, time.Now()))
	if res.Code != sink.OK || res.Delivered != 20 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	st, b := esCall(t, "GET", base+"/_data_stream/"+ds, "")
	if st != 200 || !bytes.Contains(b, []byte(`"name":"`+ds+`"`)) {
		t.Fatalf("data stream: %d %s", st, b)
	}
	if n := esCount(t, base, ds); n != 20 {
		t.Fatalf("count %d", n)
	}
}

func TestRealGzip(t *testing.T) {
	base := realURL(t)
	index := uniq("hx-gzip")
	t.Cleanup(func() { esCall(t, "DELETE", base+"/"+index, "") })
	s, log := realSink(t, map[string]string{"Index": index, "Compress": "gzip"})
	if res := s.Write(realDocs(300, time.Now())); res.Code != sink.OK || res.Delivered != 300 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	if n := esCount(t, base, index); n != 300 {
		t.Fatalf("count %d", n)
	}
}

func TestRealMappingConflict(t *testing.T) {
	base := realURL(t)
	index := uniq("hx-conflict")
	tname := uniq("hx-conflict")
	needVersion(t, 7, 8)
	t.Cleanup(func() {
		esCall(t, "DELETE", base+"/"+index, "")
		esCall(t, "DELETE", base+"/_index_template/"+tname, "")
	})
	s, log := realSink(t, map[string]string{"Index": index, "Template_Install": "on", "Template_Name": tname})
	b := realDocs(6, time.Now())
	b.Docs[3].JSON = bytes.Replace(b.Docs[3].JSON, []byte(`"bytes_read":512`), []byte(`"bytes_read":"lots"`), 1)
	res := s.Write(b)
	if res.Code != sink.OK || res.Delivered != 5 || res.Rejected != 1 || res.Retryable != 0 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	l := log.all()
	if !strings.Contains(l, `document rejected by index "`+index+`": HTTP 400`) || !strings.Contains(l, "bytes_read") || !strings.Contains(l, `10.0.0.3:48052`) {
		t.Fatal(l)
	}
	if n := esCount(t, base, index); n != 5 {
		t.Fatalf("count %d", n)
	}
}

func TestRealRetryNoDuplicates(t *testing.T) {
	base := realURL(t)
	index := uniq("hx-retry")
	t.Cleanup(func() { esCall(t, "DELETE", base+"/"+index, "") })
	s, log := realSink(t, map[string]string{"Index": index, "Generate_ID": "on"})
	b := realDocs(50, time.Now())
	if res := s.Write(b); res.Code != sink.OK || res.Delivered != 50 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	// Fluent Bit retries the same chunk: every document comes back 409.
	b2 := realDocs(50, b.Docs[0].Time)
	b2.Docs = append(b2.Docs, realDocs(51, b.Docs[0].Time).Docs[50]) // plus one new
	res := s.Write(b2)
	if res.Code != sink.OK || res.Delivered != 51 || res.Rejected != 0 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	if n := esCount(t, base, index); n != 51 {
		t.Fatalf("count %d, want 51 (no duplicates)", n)
	}
}

func TestRealUpsert(t *testing.T) {
	base := realURL(t)
	index := uniq("hx-upsert")
	t.Cleanup(func() { esCall(t, "DELETE", base+"/"+index, "") })
	s, log := realSink(t, map[string]string{"Index": index, "Write_Operation": "upsert", "Id_Key": "id"})
	b := &sink.Batch{Docs: []sink.Doc{{JSON: []byte(`{"v":1,"a":"x"}`), ID: []byte("k1")}}}
	if res := s.Write(b); res.Code != sink.OK || res.Delivered != 1 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	b.Docs[0].JSON = []byte(`{"v":2}`)
	if res := s.Write(b); res.Code != sink.OK || res.Delivered != 1 {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	esCall(t, "POST", base+"/"+index+"/_refresh", "")
	st, got := esCall(t, "GET", base+"/"+index+"/_doc/k1", "")
	if st != 200 || !bytes.Contains(got, []byte(`"_source":{"v":2,"a":"x"}`)) {
		t.Fatalf("%d %s", st, got)
	}
	if n := esCount(t, base, index); n != 1 {
		t.Fatalf("count %d", n)
	}
}

func TestRealFailover(t *testing.T) {
	base := realURL(t)
	index := uniq("hx-failover")
	t.Cleanup(func() { esCall(t, "DELETE", base+"/"+index, "") })
	s, log := newSink(t, map[string]string{"ES_Hosts": refusedURL(t) + "," + base, "Index": index})
	for i := 0; i < 3; i++ {
		if res := s.Write(realDocs(10, time.Now())); res.Code != sink.OK || res.Delivered != 10 {
			t.Fatalf("%+v\n%s", res, log.all())
		}
	}
	if n := esCount(t, base, index); n != 30 {
		t.Fatalf("count %d", n)
	}
}

func TestRealTypeNameRefused(t *testing.T) {
	base := realURL(t)
	index := uniq("hx-type")
	t.Cleanup(func() { esCall(t, "DELETE", base+"/"+index, "") })
	s, log := realSink(t, map[string]string{"Index": index, "Suppress_Type_Name": "off"})
	res := s.Write(realDocs(2, time.Now()))
	v := s.Version()
	if ma, _ := versionOf(v); ma < 8 && !strings.Contains(log.all(), "OpenSearch") {
		// Elasticsearch 7 still takes _type (deprecated): delivered
		if res.Code != sink.OK || res.Delivered != 2 {
			t.Fatalf("Elasticsearch %s with _type: %+v\n%s", v, res, log.all())
		}
		return
	}
	// Elasticsearch 8 / OpenSearch 2 refuse the whole request: a retry
	// cannot help, so the chunk is dropped, and init warned about it.
	if res.Code != sink.Error || res.Rejected != 2 || !strings.Contains(log.all(), "set Suppress_Type_Name on") {
		t.Fatalf("%+v\n%s", res, log.all())
	}
	t.Logf("%v", res.Err)
}

// TestRealResendLargeChunk is issue 11's figure: a chunk of 5,000 records
// with Generate_ID is delivered, then sent again (what Fluent Bit's retry
// of a chunk does). The second time every item comes back 409 with its
// error body, a response of ~1.3 MB, over the default Buffer_Size (512k):
// the chunk is delivered at once, with no document left retryable.
func TestRealResendLargeChunk(t *testing.T) {
	base := realURL(t)
	index := uniq("hx-resend")
	t.Cleanup(func() { esCall(t, "DELETE", base+"/"+index, "") })
	s, log := realSink(t, map[string]string{"Index": index, "Generate_ID": "on"})
	const n = 5000
	b := realDocs(n, time.Now())
	for try := 1; try <= 2; try++ {
		res := s.Write(b)
		if res.Code != sink.OK || res.Delivered != n || res.Retryable != 0 || res.Rejected != 0 {
			t.Fatalf("write %d: %+v\n%s", try, res, log.all())
		}
	}
	if c := esCount(t, base, index); c != n {
		t.Fatalf("count %d, want %d", c, n)
	}
	if st := s.Stats(); st.Requests != 2 || st.Retryable != 0 {
		t.Fatalf("%+v", st)
	}
}
