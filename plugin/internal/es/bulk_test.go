package es

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

func mustConfig(t *testing.T, kv map[string]string) Config {
	t.Helper()
	c, err := ParseConfig(getter(kv))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIndexNames(t *testing.T) {
	day1 := time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)
	day2 := day1.Add(2 * time.Second)
	paris := time.FixedZone("CET", 3600)

	c := mustConfig(t, nil)
	n := indexNamer{cfg: &c, fixed: []byte(c.Index)}
	if got := string(n.name(&sink.Doc{Time: day1})); got != "fluent-bit" {
		t.Fatal(got)
	}

	c = mustConfig(t, map[string]string{"Logstash_Format": "on"})
	n = indexNamer{cfg: &c}
	for _, tc := range []struct {
		d    sink.Doc
		want string
	}{
		{sink.Doc{Time: day1}, "logstash-2024.12.31"},
		{sink.Doc{Time: day1.Add(-time.Hour)}, "logstash-2024.12.31"},
		{sink.Doc{Time: day2}, "logstash-2025.01.01"},
		{sink.Doc{Time: day2, Prefix: []byte("team-a")}, "team-a-2025.01.01"},
		{sink.Doc{Time: day2, Prefix: []byte("team-b")}, "team-b-2025.01.01"},
		{sink.Doc{Time: day2, Prefix: []byte{}}, "logstash-2025.01.01"},
		{sink.Doc{Time: day1.In(paris)}, "logstash-2024.12.31"}, // named in UTC
		{sink.Doc{Time: time.Date(1969, 12, 31, 12, 0, 0, 0, time.UTC)}, "logstash-1969.12.31"},
	} {
		if got := string(n.name(&tc.d)); got != tc.want {
			t.Errorf("%v %q: %s want %s", tc.d.Time, tc.d.Prefix, got, tc.want)
		}
	}

	c = mustConfig(t, map[string]string{"Logstash_Format": "on", "Logstash_Prefix": "hap", "Logstash_DateFormat": "%Y.%m.%d.%H", "Logstash_Prefix_Separator": "_"})
	n = indexNamer{cfg: &c}
	if got := string(n.name(&sink.Doc{Time: day1})); got != "hap_2024.12.31.23" {
		t.Fatal(got)
	}
	if got := string(n.name(&sink.Doc{Time: day2})); got != "hap_2025.01.01.00" {
		t.Fatal(got)
	}

	c = mustConfig(t, map[string]string{"Logstash_Format": "on", "Current_Time_Index": "on"})
	n = indexNamer{cfg: &c, now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	if got := string(n.name(&sink.Doc{Time: day1})); got != "logstash-2030.01.02" {
		t.Fatal(got)
	}

	c = mustConfig(t, map[string]string{"Data_Stream": "logs-haproxy-prod"})
	n = indexNamer{cfg: &c, fixed: []byte(c.DataStream)}
	if got := string(n.name(&sink.Doc{Time: day1})); got != "logs-haproxy-prod" {
		t.Fatal(got)
	}
}

func TestActionLines(t *testing.T) {
	doc := []byte(`{"a":1}`)
	idx := []byte("ix")
	for _, tc := range []struct {
		op   Operation
		typ  string
		id   []byte
		want string
	}{
		{OpCreate, "", nil, `{"create":{"_index":"ix"}}` + "\n" + `{"a":1}` + "\n"},
		{OpCreate, "_doc", []byte("i1"), `{"create":{"_index":"ix","_type":"_doc","_id":"i1"}}` + "\n" + `{"a":1}` + "\n"},
		{OpIndex, "", []byte(`q"\`), `{"index":{"_index":"ix","_id":"q\"\\"}}` + "\n" + `{"a":1}` + "\n"},
		{OpUpdate, "", []byte("i2"), `{"update":{"_index":"ix","_id":"i2"}}` + "\n" + `{"doc":{"a":1}}` + "\n"},
		{OpUpsert, "", []byte("i3"), `{"update":{"_index":"ix","_id":"i3"}}` + "\n" + `{"doc":{"a":1},"doc_as_upsert":true}` + "\n"},
	} {
		b := appendAction(nil, tc.op, idx, tc.typ, tc.id)
		b, start, end := appendSource(b, tc.op, doc)
		if string(b[start:end]) != string(doc) {
			t.Errorf("%v: document at [%d:%d] of %s", tc.op, start, end, b)
		}
		if string(b) != tc.want {
			t.Errorf("%v: %s want %s", tc.op, b, tc.want)
		}
		for _, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n")) {
			if !json.Valid(line) {
				t.Errorf("invalid JSON line %s", line)
			}
		}
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"plain", "q\"b\\", "ctl\x01\x1f\n\t\r", "é日本", "bad\xffutf8"} {
		out := encode.AppendString(nil, []byte(s))
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%q → %s: %v", s, out, err)
		}
		if !strings.Contains(s, "\xff") && back != s {
			t.Errorf("%q round-trips to %q", s, back)
		}
	}
}

func TestAppendDoc(t *testing.T) {
	in := []byte(`{"a.b":"x.y",` + "\n" + `"n":"v"}`)
	out := appendDoc(nil, in)
	if want := `{"a.b":"x.y", "n":"v"}`; string(out) != want {
		t.Fatalf("%s\nwant %s", out, want)
	}
	if !bytes.Contains(in, []byte("\n")) {
		t.Fatal("input modified")
	}
}

// generatedID is the _id Generate_ID gives doc.
func generatedID(doc []byte) string { return string(appendGeneratedID(nil, doc)) }

func TestGeneratedID(t *testing.T) {
	// The id is MurmurHash3_x64_128 with seed 42, as Fluent Bit's es output
	// uses: pinned so that ids stay stable across releases (a changed id
	// would store a retried chunk twice).
	if got := generatedID([]byte("hello")); got != "c4b8b3c9-60af-6f08-2334-b875b0efbc7a" {
		t.Fatalf("generated _id of hello = %s", got)
	}
	a, b := generatedID([]byte(`{"x":1}`)), generatedID([]byte(`{"x":1}`))
	c := generatedID([]byte(`{"x":2}`))
	if a != b || a == c || len(a) != 36 || strings.Count(a, "-") != 4 || a[8] != '-' || a[13] != '-' || a[18] != '-' || a[23] != '-' {
		t.Fatalf("%s %s %s", a, b, c)
	}
}

func TestRequestParts(t *testing.T) {
	var r request
	r.add(OpCreate, []byte("i"), "", nil, []byte(`{"a":1}`))
	r.add(OpUpsert, []byte("i"), "", []byte("k"), []byte("{\"b\":\n2}"))
	r.add(OpIndex, []byte("j"), "", nil, []byte(`{"c":3}`))
	want := `{"create":{"_index":"i"}}` + "\n" + `{"a":1}` + "\n" +
		`{"update":{"_index":"i","_id":"k"}}` + "\n" + `{"doc":{"b": 2},"doc_as_upsert":true}` + "\n" +
		`{"index":{"_index":"j"}}` + "\n" + `{"c":3}` + "\n"
	if got := string(r.lines(0, 3)); got != want {
		t.Fatalf("body:\n%s", got)
	}
	if got := string(r.lines(1, 2)); got != strings.Split(want, "\n")[2]+"\n"+strings.Split(want, "\n")[3]+"\n" {
		t.Fatalf("lines(1,2):\n%s", got)
	}
	if string(r.doc(1)) != `{"b": 2}` || r.index(2) != "j" || r.index(0) != "i" {
		t.Fatalf("doc(1) %s index(2) %s", r.doc(1), r.index(2))
	}
	r.keepLast()
	if len(r.items) != 1 || string(r.lines(0, 1)) != `{"index":{"_index":"j"}}`+"\n"+`{"c":3}`+"\n" || string(r.doc(0)) != `{"c":3}` {
		t.Fatalf("keepLast: %q %+v", r.body, r.items)
	}
}

func TestReadItems(t *testing.T) {
	resp := `{"took":3,"errors":true,"items":[{"create":{"_index":"x","status":201}},` +
		`{"create":{"status":400,"error":{"type":"mapper_parsing_exception","reason":"bad","caused_by":{"type":"c","reason":"why"}}}},` +
		`{"index":{"error":{"type":"e","reason":"before status"},"status":409}},{"create":{"status":409,"error":{"type":"skipped"}}}]}`
	var got []string
	read := func(in string, raw bool) (int, error) {
		got = nil
		ir := itemReader{want: func(st int) bool { return st == 400 }, keepRaw: raw}
		return ir.read(strings.NewReader(in), func(k int, it *bulkItem) {
			got = append(got, fmt.Sprintf("%d %d %s|%s", k, it.Status, it.Error.Type, it.Raw))
		})
	}
	n, err := read(resp, false)
	want := []string{"0 201 |", "1 400 mapper_parsing_exception|", "2 409 e|", "3 409 |"}
	if err != nil || n != 4 || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatal(n, err, got)
	}
	if _, err := read(resp, true); err != nil || !strings.Contains(got[1], `|{"type":"mapper_parsing_exception"`) {
		t.Fatal(err, got)
	}
	// cut anywhere: the items before the cut, and an error
	for cut := 0; cut < len(resp); cut++ {
		n, err := read(resp[:cut], false)
		if err == nil || n > 4 {
			t.Fatalf("cut at %d: %d items, err %v", cut, n, err)
		}
	}
	for _, bad := range []string{``, `[]`, `{"errors":false}`, `{"items":{}}`, `{"items":[1]}`, "\x00\xff", `{"items":[{"create":{"status":"x"}}]}`} {
		if n, err := read(bad, false); err == nil {
			t.Errorf("%q: %d items, no error", bad, n)
		}
	}
	if n, err := read(`{"errors":false,"items":[]}`, false); n != 0 || err != nil {
		t.Fatal(n, err)
	}
}

// TestReadItemsConstantMemory: a response of 200,000 items (~20 MB) is read
// in memory that does not grow with it.
func TestReadItemsConstantMemory(t *testing.T) {
	const n = 200000
	item := `{"create":{"status":409,"error":{"type":"version_conflict_engine_exception","reason":"[c4b8b3c9-60af-6f08-2334-b875b0efbc7a]: version conflict, document already exists (current version [1])","index_uuid":"aAbBcCdD","shard":"0","index":"haproxy"}}}`
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte(`{"errors":true,"items":[`))
		for i := 0; i < n; i++ {
			if i > 0 {
				pw.Write([]byte(","))
			}
			pw.Write([]byte(item))
		}
		pw.Write([]byte(`]}`))
		pw.Close()
	}()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ir := itemReader{want: func(int) bool { return false }}
	count := 0
	got, err := ir.read(pr, func(k int, it *bulkItem) {
		if it.Status == 409 {
			count++
		}
	})
	runtime.ReadMemStats(&after)
	if err != nil || got != n || count != n {
		t.Fatal(got, count, err)
	}
	if grew := int64(after.HeapInuse) - int64(before.HeapInuse); grew > 4<<20 {
		t.Errorf("heap in use grew by %d bytes reading %d bytes of response", grew, n*len(item))
	}
}

// A record keeps its _id when its document changes between two flushes (the
// outage state added to it differs the second time), and two records that
// differ in body or time get different ids.
func TestGeneratedIDFollowsTheRecord(t *testing.T) {
	at := time.Date(2026, 12, 3, 7, 0, 0, 123, time.UTC)
	id := func(d sink.Doc) string {
		return string(appendGeneratedID(nil, appendIDKey(nil, &d)))
	}
	body := []byte("\x81\xa3log\xa5line1")
	first := id(sink.Doc{JSON: []byte(`{"haproxy":{"outage":{"state":"started"}}}`), Time: at, Source: body})
	again := id(sink.Doc{JSON: []byte(`{"haproxy":{"outage":{"state":"ongoing"}}}`), Time: at, Source: body})
	if first != again {
		t.Fatalf("same record, another document: _id %s then %s", first, again)
	}
	if other := id(sink.Doc{Time: at, Source: []byte("\x81\xa3log\xa5line2")}); other == first {
		t.Fatalf("another body, same _id %s", first)
	}
	if later := id(sink.Doc{Time: at.Add(time.Nanosecond), Source: body}); later == first {
		t.Fatalf("another time, same _id %s", first)
	}
}
