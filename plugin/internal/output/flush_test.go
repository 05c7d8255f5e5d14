package output

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinylib/msgp/msgp"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

const httpLine = `127.0.0.1:48052 [21/Nov/2026:07:35:32.633] fe_basic be_app/app1 0/0/0/0/0 200 90 - - ---- 1/1/0/0/0 0/0 {corpus.test|corpus-client/1.0} {text/plain|app} "GET /ok?id=basic-get HTTP/1.1"`

var recTime = time.Date(2026, 11, 21, 7, 35, 33, 123456789, time.UTC)

func newTestInstance(t testing.TB, props map[string]string, s sink.Sink) (*Instance, *memLogger) {
	t.Helper()
	cfg, err := ParseConfig(getter(props))
	if err != nil {
		t.Fatal(err)
	}
	log := &memLogger{}
	return NewWithSink(cfg, log, s), log
}

func TestFlushLayouts(t *testing.T) {
	cs := &captureSink{}
	in, log := newTestInstance(t, map[string]string{"keep_message": "on"}, cs)
	var data []byte
	data = newRecord(data, recTime, []kv{{"log", httpLine}})
	data = oldRecord(data, recTime, []kv{{"log", httpLine}})
	data = tailRecord(data, recTime, httpLine)
	if rc := in.Flush(data, "haproxy.access"); rc != sink.OK {
		t.Fatalf("rc %d: %s", rc, log)
	}
	if len(cs.batches) != 1 || len(cs.batches[0].docs) != 3 || cs.batches[0].tag != "haproxy.access" {
		t.Fatalf("batches %+v", cs.batches)
	}
	for i, d := range cs.batches[0].docs {
		m := decodeDoc(t, d)
		if m["message"] != httpLine {
			t.Errorf("%d: message %v", i, m["message"])
		}
		if path(m, "haproxy", "log_type") == nil || m["@timestamp"] == nil {
			t.Errorf("%d: %s", i, d)
		}
		if _, ok := m["log"].(string); ok {
			t.Errorf("%d: the line key was passed through: %s", i, d)
		}
		if cs.batches[0].times[i].IsZero() {
			t.Errorf("%d: zero doc time", i)
		}
	}
}

func TestFlushGroupMarkers(t *testing.T) {
	cs := &captureSink{}
	in, _ := newTestInstance(t, nil, cs)
	var data []byte
	data = groupMarker(data, 0xFFFFFFFF)
	data = newRecord(data, recTime, []kv{{"log", httpLine}})
	data = groupMarker(data, 0xFFFFFFFE)
	data = groupMarker(data, 0xFFFFFFFF)
	data = newRecord(data, recTime, []kv{{"log", httpLine}})
	data = groupMarker(data, 0xFFFFFFFE)
	if rc := in.Flush(data, "t"); rc != sink.OK {
		t.Fatal(rc)
	}
	if b := cs.batches[0]; len(b.docs) != 2 || b.skipped != 4 {
		t.Errorf("docs %d skipped %d", len(b.docs), b.skipped)
	}
}

func TestFlushPassThroughFields(t *testing.T) {
	cs := &captureSink{}
	in, _ := newTestInstance(t, nil, cs)
	body := []kv{
		{"log", httpLine},
		{"stream", "stdout"},
		{"int", int64(-42)},
		{"uint", uint64(1 << 63)},
		{"float", 2.5},
		{"yes", true},
		{"none", nil},
		{"nested", []kv{{"a", []any{int64(1), "x", []kv{{"deep", false}}}}}},
		{"bin", []byte("raw\x00bytes")},
		{"esc", "quote\" back\\ nl\n bad\xff"},
	}
	data := newRecord(nil, recTime, body)
	if rc := in.Flush(data, "t"); rc != sink.OK {
		t.Fatal(rc)
	}
	d := cs.batches[0].docs[0]
	m := decodeDoc(t, d)
	checks := map[string]any{
		"stream": "stdout",
		"int":    json.Number("-42"),
		"uint":   json.Number("9223372036854775808"),
		"float":  json.Number("2.5"),
		"yes":    true,
		"bin":    "raw\x00bytes",
		"esc":    "quote\" back\\ nl\n bad\ufffd",
	}
	for k, want := range checks {
		if m[k] != want {
			t.Errorf("%s: %#v want %#v", k, m[k], want)
		}
	}
	if v, ok := m["none"]; !ok || v != nil {
		t.Errorf("none: %v %v", v, ok)
	}
	if path(m, "nested", "a") == nil || fmt.Sprint(path(m, "nested", "a")) != "[1 x map[deep:false]]" {
		t.Errorf("nested: %v", m["nested"])
	}
	if !strings.HasPrefix(d, `{"stream":"stdout",`) {
		t.Errorf("record fields come first: %s", d)
	}
}

func TestFlushSyslogRecord(t *testing.T) {
	cs := &captureSink{}
	in, _ := newTestInstance(t, map[string]string{"keep_message": "on"}, cs)
	body := []kv{
		{"pri", "134"},
		{"host", "lb1"},
		{"ident", "haproxy"},
		{"pid", "3320"},
		{"message", httpLine},
		{"extra", "kept"},
	}
	if rc := in.Flush(newRecord(nil, recTime, body), "syslog"); rc != sink.OK {
		t.Fatal(rc)
	}
	m := decodeDoc(t, cs.batches[0].docs[0])
	if m["message"] != httpLine || m["extra"] != "kept" {
		t.Errorf("%v", m)
	}
	for _, k := range []string{"pri", "ident", "pid", "fluentbit"} {
		if _, ok := m[k]; ok {
			t.Errorf("%s passed through: %v", k, m)
		}
	}
	if path(m, "host", "hostname") != "lb1" || path(m, "process", "name") != "haproxy" ||
		fmt.Sprint(path(m, "process", "pid")) != "3320" {
		t.Errorf("syslog fields not folded in: %s", cs.batches[0].docs[0])
	}
}

func TestFlushNoLine(t *testing.T) {
	cs := &captureSink{}
	in, _ := newTestInstance(t, map[string]string{"time_key_nanos": "on"}, cs)
	data := newRecord(nil, recTime, []kv{{"cpu", 0.5}, {"log", int64(7)}, {"haproxy", "x"}})
	if rc := in.Flush(data, "t"); rc != sink.OK {
		t.Fatal(rc)
	}
	d := cs.batches[0].docs[0]
	m := decodeDoc(t, d)
	if m["cpu"] != json.Number("0.5") || path(m, "haproxy", "log_type") != "none" ||
		m["@timestamp"] != "2026-11-21T07:35:33.123456789Z" ||
		path(m, "fluentbit", "log") != json.Number("7") || path(m, "fluentbit", "haproxy") != "x" {
		t.Errorf("%s", d)
	}
	if !cs.batches[0].times[0].Equal(recTime) {
		t.Errorf("time %v", cs.batches[0].times[0])
	}

	// Time_Key_Format: the same text for a line and a record without one.
	cs = &captureSink{}
	in, _ = newTestInstance(t, map[string]string{"time_key_format": `%d/%b/%Y "%H:%M:%S"`}, cs)
	data = newRecord(nil, recTime, []kv{{"cpu", 0.5}})
	data = newRecord(data, recTime, []kv{{"log", httpLine}})
	if rc := in.Flush(data, "t"); rc != sink.OK {
		t.Fatal(rc)
	}
	for i, want := range []string{`21/Nov/2026 "07:35:33".123Z`, `21/Nov/2026 "07:35:32".633Z`} {
		if m := decodeDoc(t, cs.batches[0].docs[i]); m["@timestamp"] != want {
			t.Errorf("%d: %s", i, cs.batches[0].docs[i])
		}
	}
}

func TestFlushLogKeyAndPriority(t *testing.T) {
	cs := &captureSink{}
	in, _ := newTestInstance(t, map[string]string{"log_key": "line", "keep_message": "on"}, cs)
	data := newRecord(nil, recTime, []kv{{"log", "other"}, {"line", httpLine}})
	in.Flush(data, "t")
	m := decodeDoc(t, cs.batches[0].docs[0])
	if m["message"] != httpLine || path(m, "fluentbit", "log") != "other" {
		t.Errorf("%s", cs.batches[0].docs[0])
	}
	// default: log before message before msg, whatever the order in the map
	cs2 := &captureSink{}
	in2, _ := newTestInstance(t, map[string]string{"keep_message": "on"}, cs2)
	in2.Flush(newRecord(nil, recTime, []kv{{"msg", "m"}, {"message", "mm"}, {"log", httpLine}}), "t")
	m = decodeDoc(t, cs2.batches[0].docs[0])
	if m["message"] != httpLine || m["msg"] != "m" || path(m, "fluentbit", "message") != "mm" {
		t.Errorf("%s", cs2.batches[0].docs[0])
	}
	in2.Flush(newRecord(nil, recTime, []kv{{"msg", httpLine}, {"log", int64(1)}}), "t")
	m = decodeDoc(t, cs2.batches[1].docs[0])
	if m["message"] != httpLine || path(m, "fluentbit", "log") != json.Number("1") {
		t.Errorf("%s", cs2.batches[1].docs[0])
	}
}

func TestFlushTagCollisionDots(t *testing.T) {
	cs := &captureSink{}
	in, _ := newTestInstance(t, map[string]string{
		"include_tag_key": "on", "replace_dots": "on",
		"logstash_prefix_key": "team", "id_key": "rid",
	}, cs)
	body := []kv{
		{"log", httpLine},
		{"host", "node-1"},
		{"http", []kv{{"x", int64(1)}}},
		{"flb-key", "dup"},
		{"@timestamp", "old"},
		{"fluentbit", "self"},
		{"k8s.pod.name", "web"},
		{"labels", []kv{{"app.kubernetes.io/name", "lb"}}},
		{"team", "payments"},
		{"rid", int64(12345)},
	}
	if rc := in.Flush(newRecord(nil, recTime, body), "kube.var.log"); rc != sink.OK {
		t.Fatal(rc)
	}
	b := cs.batches[0]
	m := decodeDoc(t, b.docs[0])
	if m["flb-key"] != "kube.var.log" || m["k8s_pod_name"] != "web" ||
		path(m, "labels", "app_kubernetes_io/name") != "lb" ||
		path(m, "fluentbit", "host") != "node-1" || path(m, "fluentbit", "flb-key") != "dup" ||
		path(m, "fluentbit", "@timestamp") != "old" || path(m, "fluentbit", "fluentbit") != "self" ||
		path(m, "fluentbit", "http", "x") != json.Number("1") {
		t.Errorf("%s", b.docs[0])
	}
	if b.prefix[0] != "payments" || b.id[0] != "12345" {
		t.Errorf("prefix %q id %q", b.prefix[0], b.id[0])
	}
}

func TestFlushCorruptChunk(t *testing.T) {
	cs := &captureSink{}
	in, log := newTestInstance(t, nil, cs)
	data := newRecord(nil, recTime, []kv{{"log", httpLine}})
	good := len(data)
	data = append(data, 0x92, 0x92, 0xd7, 0x00, 1, 2, 3) // truncated EventTime
	if rc := in.Flush(data, "bad.tag"); rc != sink.Error {
		t.Fatalf("rc %d", rc)
	}
	if len(cs.batches) != 0 {
		t.Errorf("a corrupt chunk must deliver nothing")
	}
	s := log.String()
	if !strings.Contains(s, `tag="bad.tag"`) || !strings.Contains(s, "record 1") ||
		!strings.Contains(s, fmt.Sprintf("at byte %d", good)) || !strings.Contains(s, "9292d70001020") {
		t.Errorf("log: %s", s)
	}
	// the instance still works
	if rc := in.Flush(data[:good], "t"); rc != sink.OK || len(cs.batches) != 1 {
		t.Errorf("after corrupt: rc %d", rc)
	}
}

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, errors.New("disk full") }

func TestFlushSinkFailure(t *testing.T) {
	in, log := newTestInstance(t, nil, NewLineSink(failingWriter{}, "test", nil))
	data := newRecord(nil, recTime, []kv{{"log", httpLine}})
	data = newRecord(data, recTime, []kv{{"log", httpLine}})
	if rc := in.Flush(data, "t"); rc != sink.Retry {
		t.Fatalf("rc %d", rc)
	}
	if !strings.Contains(log.String(), "disk full") || !strings.Contains(log.String(), "chunk will be retried: 2 records not delivered yet") {
		t.Errorf("log %s", log)
	}
	res := NewLineSink(failingWriter{}, "test", nil).Write(&sink.Batch{Docs: []sink.Doc{{JSON: []byte("{}")}}})
	if res.Code != sink.Retry || res.Retryable != 1 {
		t.Errorf("%+v", res)
	}
}

func TestFlushPanicRecovered(t *testing.T) {
	cs := &captureSink{panics: true}
	in, log := newTestInstance(t, nil, cs)
	data := newRecord(nil, recTime, []kv{{"log", httpLine}})
	if rc := in.Flush(data, "t"); rc != sink.Error {
		t.Fatalf("rc %d", rc)
	}
	if !strings.Contains(log.String(), "sink exploded") || !strings.Contains(log.String(), "9292d7") {
		t.Errorf("log %s", log)
	}
	cs.panics = false
	if rc := in.Flush(data, "t"); rc != sink.OK {
		t.Errorf("after panic rc %d", rc)
	}
}

func TestFlushAfterClose(t *testing.T) {
	cs := &captureSink{}
	in, _ := newTestInstance(t, nil, cs)
	if err := in.Close(); err != nil || !cs.closed {
		t.Fatal(err)
	}
	if rc := in.Flush(newRecord(nil, recTime, []kv{{"log", "x"}}), "t"); rc != sink.Error {
		t.Errorf("rc %d", rc)
	}
}

// Every corpus line goes through without error, as valid JSON without
// duplicate keys.
func TestFlushCorpus(t *testing.T) {
	cs := &captureSink{}
	in, log := newTestInstance(t, map[string]string{"include_tag_key": "on"}, cs)
	for _, pattern := range []string{"*.raw.log", "*.rfc5424.log", "*.stderr.log"} {
		lines := corpus.Lines(t, pattern)
		var data []byte
		for i, l := range lines {
			data = newRecord(data, recTime, []kv{{"log", l}, {"n", int64(i)}, {"host", "h"}})
		}
		if rc := in.Flush(data, pattern); rc != sink.OK {
			t.Fatalf("%s: rc %d: %s", pattern, rc, log)
		}
		b := cs.batches[len(cs.batches)-1]
		if len(b.docs) != len(lines) {
			t.Fatalf("%s: %d docs for %d lines", pattern, len(b.docs), len(lines))
		}
		for _, d := range b.docs {
			decodeDoc(t, d)
		}
	}
}

// Eight goroutines flush into one file instance: every line is valid JSON
// and the lines of one chunk are contiguous.
func TestConcurrentFileFlush(t *testing.T) {
	file := filepath.Join(t.TempDir(), "out.jsonl")
	cfg, err := ParseConfig(getter(map[string]string{"destination": "file", "file": file}))
	if err != nil {
		t.Fatal(err)
	}
	log := &memLogger{}
	in, err := New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	lines := corpus.Lines(t, "*.raw.log")
	const workers, chunks, perChunk = 8, 20, 50
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for c := 0; c < chunks; c++ {
				marker := fmt.Sprintf("w%d-c%d", w, c)
				var data []byte
				for i := 0; i < perChunk; i++ {
					data = newRecord(data, recTime, []kv{{"log", lines[(w*31+c*7+i)%len(lines)]}, {"chunk", marker}, {"i", int64(i)}})
				}
				if rc := in.Flush(data, "t"); rc != sink.OK {
					t.Errorf("rc %d", rc)
				}
			}
		}(w)
	}
	wg.Wait()
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	seen := map[string]bool{}
	cur, n, total := "", 0, 0
	for sc.Scan() {
		var m struct {
			Chunk string `json:"chunk"`
			I     int    `json:"i"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v: %s", total, err, sc.Text())
		}
		total++
		if m.Chunk != cur {
			if cur != "" && n != perChunk {
				t.Fatalf("chunk %s interrupted after %d lines", cur, n)
			}
			if seen[m.Chunk] {
				t.Fatalf("chunk %s appears twice", m.Chunk)
			}
			seen[m.Chunk] = true
			cur, n = m.Chunk, 0
		}
		if m.I != n {
			t.Fatalf("chunk %s: line %d has i=%d", cur, n, m.I)
		}
		n++
	}
	if total != workers*chunks*perChunk || len(seen) != workers*chunks {
		t.Errorf("%d lines, %d chunks", total, len(seen))
	}
}

// Allocations do not grow with the number of records.
func TestFlushAllocsFlat(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items: allocation counts mean nothing")
	}
	lines := corpus.Lines(t, "*.raw.log")
	build := func(n int) []byte {
		var data []byte
		for i := 0; i < n; i++ {
			data = tailRecord(data, recTime, lines[i%len(lines)])
		}
		return data
	}
	in, _ := newTestInstance(t, nil, discardSink{})
	small, big := build(10), build(1000)
	for i := 0; i < 3; i++ {
		in.Flush(big, "t")
	}
	a10 := testing.AllocsPerRun(50, func() { in.Flush(small, "t") })
	a1000 := testing.AllocsPerRun(50, func() { in.Flush(big, "t") })
	t.Logf("allocs per flush: 10 records %.1f, 1000 records %.1f", a10, a1000)
	if a1000 > a10+2 {
		t.Errorf("allocations grow with records: %.1f vs %.1f", a1000, a10)
	}
}

type discardSink struct{}

func (discardSink) Write(b *sink.Batch) sink.Result {
	return sink.Result{Code: sink.OK, Delivered: len(b.Docs)}
}
func (discardSink) Close() error { return nil }

var _ = msgp.AppendNil

// A chunk is converted batchLen records at a time (take, then decode, then
// encode). Whatever the records' kinds and wherever the batch boundaries
// fall, the documents must be those of each record flushed alone.
func TestFlushBatchesMatchSingleRecords(t *testing.T) {
	lines := corpus.Lines(t, "*.log") // every framing: syslog and stderr headers to fold
	raw := corpus.Lines(t, "*.raw.log")
	var recs [][]byte
	for i := 0; len(recs) < 3*batchLen+7; i++ {
		tm := recTime.Add(time.Duration(i) * time.Second)
		var r []byte
		switch i % 6 {
		case 0, 1:
			r = tailRecord(nil, tm, raw[(i*5)%len(raw)])
		case 2:
			r = newRecord(nil, tm, []kv{{"log", lines[(i*3)%len(lines)]}, {"stream", "stderr"}, {"team", fmt.Sprint("t", i)}, {"rid", int64(i)}})
		case 3: // Fluent Bit's syslog input
			r = oldRecord(nil, tm, []kv{{"pri", "134"}, {"host", fmt.Sprint("lb", i)}, {"ident", "haproxy"},
				{"pid", int64(1000 + i)}, {"message", raw[(i*7)%len(raw)]}})
		case 4: // no line: passed through
			r = newRecord(nil, tm, []kv{{"cpu", float64(i) / 4}, {"nested", []kv{{"n", int64(i)}}}})
		case 5:
			r = newRecord(nil, tm, []kv{{"msg", "not haproxy at all"}, {"n", int64(i)}})
		}
		recs = append(recs, r)
	}
	props := map[string]string{"include_tag_key": "on", "logstash_prefix_key": "team", "id_key": "rid"}
	whole := &captureSink{}
	in, log := newTestInstance(t, props, whole)
	var data []byte
	for i, r := range recs {
		data = append(data, r...)
		if i%50 == 49 { // a group ends, another starts
			data = groupMarker(groupMarker(data, 0xFFFFFFFE), 0xFFFFFFFF)
		}
	}
	if rc := in.Flush(data, "t"); rc != sink.OK {
		t.Fatalf("rc %d: %s", rc, log)
	}
	single := &captureSink{}
	one, _ := newTestInstance(t, props, single)
	for i, r := range recs {
		if rc := one.Flush(r, "t"); rc != sink.OK {
			t.Fatalf("record %d alone: rc %d", i, rc)
		}
	}
	got := whole.batches[0]
	if len(got.docs) != len(recs) || got.skipped != 2*(len(recs)/50) {
		t.Fatalf("%d docs (%d skipped) for %d records", len(got.docs), got.skipped, len(recs))
	}
	for i, b := range single.batches {
		if got.docs[i] != b.docs[0] || !got.times[i].Equal(b.times[0]) ||
			got.prefix[i] != b.prefix[0] || got.id[i] != b.id[0] {
			t.Fatalf("record %d differs in the batch:\n%s %v %q %q\nalone:\n%s %v %q %q", i,
				got.docs[i], got.times[i], got.prefix[i], got.id[i], b.docs[0], b.times[0], b.prefix[0], b.id[0])
		}
	}
}

// A one-pair tail record takes a shortcut in take; configured with an
// ID_Key (absent from the records), the same records take the general path.
// The documents must not differ.
func TestFlushTailShortcut(t *testing.T) {
	raw := corpus.Lines(t, "*.raw.log")
	var data []byte
	for i, l := range raw[:200] {
		switch i % 5 {
		case 0:
			data = tailRecord(data, recTime, l) // map32 headers
		case 1:
			data = newRecord(data, recTime, []kv{{"message", l}})
		case 2:
			data = newRecord(data, recTime, []kv{{"msg", []byte(l)}}) // bin
		case 3:
			data = oldRecord(data, recTime, []kv{{"other", l}}) // not a line key: passed through
		case 4:
			data = newRecord(data, recTime, []kv{{"log", ""}})
		}
	}
	for _, props := range []map[string]string{{}, {"log_key": "other"}} {
		fast, slow := &captureSink{}, &captureSink{}
		in, _ := newTestInstance(t, props, fast)
		general := map[string]string{"id_key": "absent"}
		for k, v := range props {
			general[k] = v
		}
		ref, _ := newTestInstance(t, general, slow)
		if in.Flush(data, "t") != sink.OK || ref.Flush(data, "t") != sink.OK {
			t.Fatal("flush failed")
		}
		f, g := fast.batches[0], slow.batches[0]
		if len(f.docs) != 200 || len(g.docs) != 200 {
			t.Fatalf("%v: %d / %d docs", props, len(f.docs), len(g.docs))
		}
		for i := range f.docs {
			if f.docs[i] != g.docs[i] || !f.times[i].Equal(g.times[i]) {
				t.Fatalf("%v: record %d:\nshortcut %s\ngeneral  %s", props, i, f.docs[i], g.docs[i])
			}
		}
	}
}
