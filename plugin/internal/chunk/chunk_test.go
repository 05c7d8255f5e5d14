package chunk

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tinylib/msgp/msgp"
)

func eventTime(b []byte, sec, nsec uint32) []byte {
	b = append(b, 0xd7, 0x00)
	b = binary.BigEndian.AppendUint32(b, sec)
	return binary.BigEndian.AppendUint32(b, nsec)
}

// newRecord appends [[EventTime, {}], {log: line}].
func newRecord(b []byte, sec, nsec uint32, line string) []byte {
	b = msgp.AppendArrayHeader(b, 2)
	b = msgp.AppendArrayHeader(b, 2)
	b = eventTime(b, sec, nsec)
	b = msgp.AppendMapHeader(b, 0)
	b = msgp.AppendMapHeader(b, 1)
	b = msgp.AppendString(b, "log")
	return msgp.AppendString(b, line)
}

// oldRecord appends [EventTime, {log: line}].
func oldRecord(b []byte, sec, nsec uint32, line string) []byte {
	b = msgp.AppendArrayHeader(b, 2)
	b = eventTime(b, sec, nsec)
	b = msgp.AppendMapHeader(b, 1)
	b = msgp.AppendString(b, "log")
	return msgp.AppendString(b, line)
}

func readAll(t *testing.T, data []byte) []Record {
	t.Helper()
	var out []Record
	r := NewReader(data)
	for r.Next() {
		out = append(out, *r.Record())
	}
	if err := r.Err(); err != nil {
		t.Fatalf("Err: %v", err)
	}
	return out
}

func logOf(t *testing.T, rec Record) string {
	t.Helper()
	v := Lookup(rec.Body, "log")
	s, ok := Text(v)
	if !ok {
		t.Fatalf("record %d: no text log in % x", rec.Index, rec.Body)
	}
	return string(s)
}

func TestHandWrittenBytes(t *testing.T) {
	// 92 92 d7 00 <sec><nsec> 80 81 a3 "log" a5 "hello"
	data, _ := hex.DecodeString("9292d700" + "6a3f3e5c" + "000003e8" + "80" + "81a36c6f67a568656c6c6f")
	recs := readAll(t, data)
	if len(recs) != 1 {
		t.Fatalf("got %d records", len(recs))
	}
	r := recs[0]
	if want := time.Unix(0x6a3f3e5c, 1000); !r.Time.Equal(want) {
		t.Errorf("time %v want %v", r.Time, want)
	}
	if !bytes.Equal(r.Meta, []byte{0x80}) || r.Group != 0 || !bytes.Equal(r.Raw, data) {
		t.Errorf("meta % x group %d raw % x", r.Meta, r.Group, r.Raw)
	}
	if logOf(t, r) != "hello" {
		t.Errorf("log")
	}
	// map32 headers (as tail writes): dd = array32, df = map32.
	data, _ = hex.DecodeString("dd00000002" + "dd00000002" + "d700" + "00000001" + "00000002" + "df00000000" +
		"df00000002" + "d9036c6f67" + "da0005" + "68656c6c6f" + "a178" + "c40201ff")
	recs = readAll(t, data)
	if len(recs) != 1 || !recs[0].Time.Equal(time.Unix(1, 2)) || logOf(t, recs[0]) != "hello" {
		t.Fatalf("map32: %+v", recs)
	}
	if b, ok := Text(Lookup(recs[0].Body, "x")); !ok || !bytes.Equal(b, []byte{1, 0xff}) {
		t.Errorf("bin value %x", b)
	}
	// str32 key, map16 metadata with one pair, ext8 (c7) EventTime.
	data, _ = hex.DecodeString("92" + "92" + "c70800" + "00000005" + "00000000" + "de0001a161a162" +
		"de0001" + "db00000003" + "6c6f67" + "a26869")
	recs = readAll(t, data)
	if len(recs) != 1 || !recs[0].Time.Equal(time.Unix(5, 0)) || logOf(t, recs[0]) != "hi" {
		t.Fatalf("str32: %+v", recs)
	}
	if m := Lookup(recs[0].Meta, "a"); !bytes.Equal(m, []byte{0xa1, 'b'}) {
		t.Errorf("meta lookup % x", m)
	}
}

func TestLayoutsAndTimestamps(t *testing.T) {
	var data []byte
	data = newRecord(data, 100, 5, "new")
	data = oldRecord(data, 200, 6, "old")
	// integer timestamp, old layout
	data = msgp.AppendArrayHeader(data, 2)
	data = msgp.AppendInt64(data, 300)
	data = msgp.AppendMapStrStr(data, map[string]string{"log": "int"})
	// uint timestamp in header
	data = msgp.AppendArrayHeader(data, 2)
	data = msgp.AppendArrayHeader(data, 2)
	data = msgp.AppendUint64(data, 400)
	data = msgp.AppendMapHeader(data, 0)
	data = msgp.AppendMapStrStr(data, map[string]string{"log": "uint"})
	// float timestamp
	data = msgp.AppendArrayHeader(data, 2)
	data = msgp.AppendFloat64(data, 500.25)
	data = msgp.AppendMapStrStr(data, map[string]string{"log": "float"})
	// float32 timestamp, header with only a time
	data = msgp.AppendArrayHeader(data, 2)
	data = msgp.AppendArrayHeader(data, 1)
	data = msgp.AppendFloat32(data, 600.5)
	data = msgp.AppendMapStrStr(data, map[string]string{"log": "float32"})
	// msgpack timestamp extension (-1)
	data = msgp.AppendArrayHeader(data, 2)
	data = msgp.AppendTimeExt(data, time.Unix(700, 7))
	data = msgp.AppendMapStrStr(data, map[string]string{"log": "exttime"})

	recs := readAll(t, data)
	want := []struct {
		t   time.Time
		log string
		old bool // no metadata map
	}{
		{time.Unix(100, 5), "new", false},
		{time.Unix(200, 6), "old", true},
		{time.Unix(300, 0), "int", true},
		{time.Unix(400, 0), "uint", false},
		{time.Unix(500, 250000000), "float", true},
		{time.Unix(600, 500000000), "float32", true},
		{time.Unix(700, 7), "exttime", true},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d records", len(recs))
	}
	off := 0
	for i, w := range want {
		r := recs[i]
		if !r.Time.Equal(w.t) || logOf(t, r) != w.log || r.Index != i || r.Offset != off {
			t.Errorf("%d: %v %q idx %d off %d", i, r.Time, logOf(t, r), r.Index, r.Offset)
		}
		if w.old != (r.Meta == nil) {
			t.Errorf("%d: meta %x", i, r.Meta)
		}
		off += len(r.Raw)
	}
	if off != len(data) {
		t.Errorf("raw lengths sum %d, want %d", off, len(data))
	}
}

func TestGroupMarkers(t *testing.T) {
	var data []byte
	// group start: EventTime seconds 0xFFFFFFFF (-1)
	data = msgp.AppendArrayHeader(data, 2)
	data = msgp.AppendArrayHeader(data, 2)
	data = eventTime(data, 0xFFFFFFFF, 0)
	data = msgp.AppendMapStrStr(data, map[string]string{"schema": "otlp"})
	data = msgp.AppendMapStrStr(data, map[string]string{"resource": "x"})
	data = newRecord(data, 1, 0, "in group")
	// group end -2
	data = msgp.AppendArrayHeader(data, 2)
	data = msgp.AppendArrayHeader(data, 2)
	data = eventTime(data, 0xFFFFFFFE, 0)
	data = msgp.AppendMapHeader(data, 0)
	data = msgp.AppendMapHeader(data, 0)
	// integer markers
	data = msgp.AppendArrayHeader(data, 2)
	data = msgp.AppendArrayHeader(data, 2)
	data = msgp.AppendInt64(data, -1)
	data = msgp.AppendMapHeader(data, 0)
	data = msgp.AppendMapHeader(data, 0)
	data = msgp.AppendArrayHeader(data, 2)
	data = msgp.AppendInt64(data, -2)
	data = msgp.AppendMapHeader(data, 0)
	recs := readAll(t, data)
	groups := []int{GroupStart, GroupNone, GroupEnd, GroupStart, GroupEnd}
	if len(recs) != len(groups) {
		t.Fatalf("%d records", len(recs))
	}
	for i, g := range groups {
		if recs[i].Group != g || recs[i].IsGroupMarker() != (g != 0) {
			t.Errorf("%d: group %d want %d", i, recs[i].Group, g)
		}
	}
}

func TestTruncatedEverywhere(t *testing.T) {
	var data []byte
	data = newRecord(data, 1, 2, "first line")
	data = oldRecord(data, 3, 4, "second")
	// a record with every kind of value
	data = msgp.AppendArrayHeader(data, 2)
	data = msgp.AppendArrayHeader(data, 2)
	data = eventTime(data, 5, 6)
	data = msgp.AppendMapStrStr(data, map[string]string{"k": "v"})
	data = appendAllTypes(data)
	boundaries := map[int]bool{0: true}
	r := NewReader(data)
	for r.Next() {
		boundaries[r.Offset()] = true
	}
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	for n := 0; n < len(data); n++ {
		r := NewReader(data[:n])
		count := 0
		for r.Next() {
			count++
			// iterate and convert bodies too: must never panic
			it := NewMapIter(r.Record().Body)
			for it.Next() {
			}
			var dst []byte
			_, _, _ = AppendJSON(dst, r.Record().Body)
		}
		err := r.Err()
		if boundaries[n] {
			if err != nil {
				t.Errorf("len %d: at a boundary, unexpected %v", n, err)
			}
			continue
		}
		var ce *Error
		if !errors.As(err, &ce) {
			t.Fatalf("len %d: want *Error, got %v", n, err)
		}
		if ce.Index != count || ce.Offset > n || ce.At > n || len(ce.Excerpt) > ExcerptLen ||
			!strings.Contains(err.Error(), "record ") || !strings.Contains(err.Error(), "at byte") {
			t.Errorf("len %d: %+v %v", n, ce, err)
		}
	}
}

func TestCorrupt(t *testing.T) {
	good := newRecord(nil, 1, 0, "ok")
	cases := map[string][]byte{
		"not array":      append(append([]byte{}, good...), 0x81, 0xa1, 'a', 0x01),
		"3 elements":     append(append([]byte{}, good...), 0x93, 0x01, 0x80, 0x80),
		"bad time":       append(append([]byte{}, good...), 0x92, 0xa1, 'x', 0x80),
		"body not map":   append(append([]byte{}, good...), 0x92, 0x01, 0x91, 0x01),
		"invalid prefix": append(append([]byte{}, good...), 0x92, 0x01, 0xc1),
		"meta not map":   append(append([]byte{}, good...), 0x92, 0x92, 0x01, 0x01, 0x80),
		"empty header":   append(append([]byte{}, good...), 0x92, 0x90, 0x80),
	}
	for name, data := range cases {
		r := NewReader(data)
		n := 0
		for r.Next() {
			n++
		}
		var ce *Error
		if n != 1 || !errors.As(r.Err(), &ce) || ce.Index != 1 || ce.Offset != len(good) {
			t.Errorf("%s: n=%d err=%v", name, n, r.Err())
			continue
		}
		t.Logf("%s: %v", name, r.Err())
	}
}

// appendAllTypes appends a body map with one value of each msgpack type and width.
func appendAllTypes(b []byte) []byte {
	b = msgp.AppendMapHeader(b, 24)
	b = msgp.AppendString(b, "str")
	b = msgp.AppendString(b, "plain")
	b = msgp.AppendString(b, "esc")
	b = msgp.AppendString(b, "q\"b\\s/\n\r\t\x00\x1f<>&\u2028\u2029é€😀")
	b = msgp.AppendString(b, "invalid")
	b = msgp.AppendStringFromBytes(b, []byte{'a', 0xff, 'b', 0xc3, 0x28, 0xe2, 0x82})
	b = msgp.AppendString(b, "str8")
	b = msgp.AppendString(b, strings.Repeat("x", 200))
	b = msgp.AppendString(b, "str16")
	b = msgp.AppendString(b, strings.Repeat("y", 300))
	b = msgp.AppendString(b, "str32")
	b = append(b, 0xdb, 0, 0, 0, 3, 'a', 'b', 'c')
	b = msgp.AppendString(b, "bin")
	b = msgp.AppendBytes(b, []byte("binary\x01"))
	b = msgp.AppendString(b, "int")
	b = msgp.AppendInt64(b, -1234567890123)
	b = msgp.AppendString(b, "negfix")
	b = msgp.AppendInt64(b, -5)
	b = msgp.AppendString(b, "int8")
	b = append(b, 0xd0, 0x80)
	b = msgp.AppendString(b, "uint")
	b = msgp.AppendUint64(b, math.MaxUint64)
	b = msgp.AppendString(b, "uint16")
	b = append(b, 0xcd, 0x01, 0x00)
	b = msgp.AppendString(b, "float")
	b = msgp.AppendFloat64(b, 3.25)
	b = msgp.AppendString(b, "small")
	b = msgp.AppendFloat64(b, 1e-9)
	b = msgp.AppendString(b, "float32")
	b = msgp.AppendFloat32(b, 1.5)
	b = msgp.AppendString(b, "nan")
	b = msgp.AppendFloat64(b, math.NaN())
	b = msgp.AppendString(b, "inf")
	b = msgp.AppendFloat64(b, math.Inf(-1))
	b = msgp.AppendString(b, "true")
	b = msgp.AppendBool(b, true)
	b = msgp.AppendString(b, "false")
	b = msgp.AppendBool(b, false)
	b = msgp.AppendString(b, "nil")
	b = msgp.AppendNil(b)
	b = msgp.AppendString(b, "nested")
	b = msgp.AppendMapHeader(b, 2)
	b = msgp.AppendString(b, "arr")
	b = msgp.AppendArrayHeader(b, 3)
	b = msgp.AppendInt(b, 1)
	b = msgp.AppendString(b, "two")
	b = msgp.AppendMapHeader(b, 0)
	b = msgp.AppendInt(b, 7) // integer key
	b = msgp.AppendArrayHeader(b, 0)
	b = msgp.AppendString(b, "eventtime")
	b = eventTime(b, 1700000000, 123)
	b = msgp.AppendString(b, "ext")
	b = append(b, 0xd4, 0x05, 0x01)
	b = msgp.AppendString(b, "arr16")
	b = append(b, 0xdc, 0x00, 0x02, 0xc2, 0xc0)
	return b
}

func TestAppendJSON(t *testing.T) {
	body := appendAllTypes(nil)
	out, rest, err := AppendJSON(make([]byte, 0, 16), body)
	if err != nil || len(rest) != 0 {
		t.Fatalf("err %v rest %d", err, len(rest))
	}
	if !json.Valid(out) {
		t.Fatalf("invalid JSON: %s", out)
	}
	var got map[string]any
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"str":       "plain",
		"esc":       "q\"b\\s/\n\r\t\x00\x1f<>&\u2028\u2029é€😀",
		"invalid":   "a\ufffdb\ufffd(\ufffd\ufffd",
		"str8":      strings.Repeat("x", 200),
		"str16":     strings.Repeat("y", 300),
		"str32":     "abc",
		"bin":       "binary\x01",
		"int":       json.Number("-1234567890123"),
		"negfix":    json.Number("-5"),
		"int8":      json.Number("-128"),
		"uint":      json.Number("18446744073709551615"),
		"uint16":    json.Number("256"),
		"float":     json.Number("3.25"),
		"small":     json.Number("1e-9"),
		"float32":   json.Number("1.5"),
		"nan":       nil,
		"inf":       nil,
		"true":      true,
		"false":     false,
		"nil":       nil,
		"nested":    map[string]any{"arr": []any{json.Number("1"), "two", map[string]any{}}, "7": []any{}},
		"eventtime": "2023-11-14T22:13:20.000000123Z",
		"ext":       nil,
		"arr16":     []any{false, nil},
	}
	for k, w := range want {
		if !reflect.DeepEqual(got[k], w) {
			t.Errorf("%s: got %#v want %#v", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d keys want %d: %s", len(got), len(want), out)
	}
	// The byte-exact form of the escapes (encode.AppendString, the project's
	// one escaper: U+2028/2029 are valid JSON and stay as they are).
	if !bytes.Contains(out, []byte("\"q\\\"b\\\\s/\\n\\r\\t\\u0000\\u001f<>&\u2028\u2029é€😀\"")) {
		t.Errorf("escapes: %s", out)
	}
	// encoding/json agrees with our float formatting
	for _, f := range []float64{0, 1, -2.5, 1e21, 1e20, 1e-7, 123456789.125, 5e-324} {
		ours, _, _ := AppendJSON(nil, msgp.AppendFloat64(nil, f))
		std, _ := json.Marshal(f)
		if string(ours) != string(std) {
			t.Errorf("float %v: %s vs %s", f, ours, std)
		}
	}
}

func TestAppendJSONDepth(t *testing.T) {
	var b []byte
	for i := 0; i < MaxDepth+10; i++ {
		b = msgp.AppendArrayHeader(b, 1)
	}
	b = msgp.AppendInt(b, 1)
	out, rest, err := AppendJSON(nil, b)
	if err != nil || len(rest) != 0 || !json.Valid(out) {
		t.Fatalf("%v %d %s", err, len(rest), out)
	}
	if !bytes.Contains(out, []byte("null")) || bytes.Contains(out, []byte("1")) {
		t.Errorf("depth limit not applied: %s", out)
	}
}

func TestAppendJSONErrors(t *testing.T) {
	body := appendAllTypes(nil)
	for n := 0; n < len(body); n++ {
		_, _, err := AppendJSON(nil, body[:n])
		if err == nil {
			t.Fatalf("len %d: no error", n)
		}
	}
	if _, _, err := AppendJSON(nil, []byte{0xc1}); err == nil {
		t.Error("0xc1 accepted")
	}
}

func TestZeroAlloc(t *testing.T) {
	var data []byte
	for i := 0; i < 10; i++ {
		data = newRecord(data, uint32(i), 0, "some log line")
	}
	body := appendAllTypes(nil)
	buf := make([]byte, 0, 4096)
	var r Reader
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(data)
		for r.Next() {
			it := NewMapIter(r.Record().Body)
			for it.Next() {
				_ = it.Key()
			}
		}
		buf, _, _ = AppendJSON(buf[:0], body)
	})
	if allocs != 0 {
		t.Errorf("%v allocs per run", allocs)
	}
}

func TestAppendJSONReplaceDots(t *testing.T) {
	var v []byte
	v = msgp.AppendMapHeader(v, 3)
	v = msgp.AppendString(v, "a.b")
	v = msgp.AppendString(v, "x.y") // values keep their dots
	v = msgp.AppendString(v, "c")
	v = msgp.AppendMapHeader(v, 1)
	v = msgp.AppendString(v, "d.e\"f")
	v = msgp.AppendArrayHeader(v, 1)
	v = msgp.AppendMapHeader(v, 1)
	v = msgp.AppendString(v, "g.h")
	v = msgp.AppendFloat64(v, 1.5)
	v = msgp.AppendString(v, "plain")
	v = msgp.AppendBool(v, true)
	out, rest, err := AppendJSONReplaceDots(nil, v)
	if err != nil || len(rest) != 0 {
		t.Fatal(err, rest)
	}
	if want := `{"a_b":"x.y","c":{"d_e\"f":[{"g_h":1.5}]},"plain":true}`; string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
	out, _, _ = AppendJSON(nil, v)
	if want := `{"a.b":"x.y","c":{"d.e\"f":[{"g.h":1.5}]},"plain":true}`; string(out) != want {
		t.Errorf("without: %s", out)
	}
}

// fastHeader reads [[EventTime, {meta}], {body}] itself; the same record
// with its EventTime written as ext8 instead of fixext8 takes the general
// path. Both must read the same record.
func TestFastHeaderMatchesGeneral(t *testing.T) {
	metas := [][]byte{
		{0x80},             // {}
		{0xdf, 0, 0, 0, 0}, // {} as map32, as in_tail writes it
		msgp.AppendMapStrStr(nil, map[string]string{"otlp": "x"}),
		{0xc0}, // nil: general path for both
	}
	for _, sec := range []uint32{1763710532, 0xFFFFFFFF, 0xFFFFFFFE} {
		for i, meta := range metas {
			body := msgp.AppendMapStrStr(nil, map[string]string{"log": "line"})
			build := func(ext []byte) []byte {
				b := append([]byte{0x92, 0x92}, ext...)
				b = binary.BigEndian.AppendUint32(b, sec)
				b = binary.BigEndian.AppendUint32(b, 123456789)
				b = append(b, meta...)
				return append(b, body...)
			}
			fast := readAll(t, build([]byte{0xd7, 0x00}))
			general := readAll(t, build([]byte{0xc7, 0x08, 0x00}))
			if len(fast) != 1 || len(general) != 1 {
				t.Fatalf("sec %x meta %d: %d / %d records", sec, i, len(fast), len(general))
			}
			f, g := fast[0], general[0]
			if !f.Time.Equal(g.Time) || f.Group != g.Group || !bytes.Equal(f.Meta, g.Meta) ||
				!bytes.Equal(f.Body, g.Body) || len(f.Raw)+1 != len(g.Raw) {
				t.Errorf("sec %x meta %d: fast %+v\ngeneral %+v", sec, i, f, g)
			}
			if sec < 0xFFFFFFFE && !f.Time.Equal(time.Unix(int64(sec), 123456789)) {
				t.Errorf("time %v", f.Time)
			}
		}
	}
}

func TestOnePair(t *testing.T) {
	str := func(s string) []byte { return msgp.AppendString(nil, s) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	cases := []struct {
		name     string
		m        []byte
		key, val string
		ok       bool
	}{
		{"fixmap", cat([]byte{0x81}, str("log"), str("line")), "log", "line", true},
		{"map16", cat([]byte{0xde, 0, 1}, str("log"), str("line")), "log", "line", true},
		{"map32 (in_tail)", cat([]byte{0xdf, 0, 0, 0, 1}, str("message"), str("")), "message", "", true},
		{"bin value", cat([]byte{0x81}, str("log"), msgp.AppendBytes(nil, []byte("raw"))), "log", "raw", true},
		{"str32 value", cat([]byte{0x81}, str("log"), []byte{0xdb, 0, 0, 0, 2, 'h', 'i'}), "log", "hi", true},
		{"two pairs", cat([]byte{0x82}, str("log"), str("a"), str("b"), str("c")), "", "", false},
		{"map32 of two", cat([]byte{0xdf, 0, 0, 0, 2}, str("log"), str("a"), str("b"), str("c")), "", "", false},
		{"empty map", []byte{0x80}, "", "", false},
		{"int value", cat([]byte{0x81}, str("log"), []byte{0x01}), "", "", false},
		{"int key", cat([]byte{0x81}, []byte{0x01}, str("x")), "", "", false},
		{"trailing bytes", cat([]byte{0x81}, str("log"), str("a"), []byte{0xc0}), "", "", false},
		{"truncated value", cat([]byte{0x81}, str("log"), []byte{0xa5, 'a'}), "", "", false},
		{"not a map", str("log"), "", "", false},
		{"empty", nil, "", "", false},
	}
	for _, c := range cases {
		k, v, ok := OnePair(c.m)
		if ok != c.ok || string(k) != c.key || string(v) != c.val {
			t.Errorf("%s: %q %q %v, want %q %q %v", c.name, k, v, ok, c.key, c.val, c.ok)
		}
		if ok { // the general iterator agrees
			it := NewMapIter(c.m)
			if !it.Next() || string(it.Key()) != c.key || it.Next() || it.Err() != nil {
				t.Errorf("%s: MapIter disagrees", c.name)
			}
		}
	}
}

// Map keys that are maps, nested: each level would be escaped once more
// inside the key above it (found by FuzzReader: 60 levels never finished).
// A map key inside a map key's text is "null".
func TestAppendJSONNestedKeys(t *testing.T) {
	nested := func(levels int) []byte {
		var b []byte
		for i := 0; i < levels; i++ {
			b = msgp.AppendMapHeader(b, 1) // {key: 1}, the key being the next map
		}
		b = msgp.AppendString(b, "k")
		for i := 0; i < levels; i++ {
			b = msgp.AppendInt(b, i)
		}
		return b
	}
	out, rest, err := AppendJSON(nil, nested(3))
	want := `{"{\"null\":1}":2}`
	if err != nil || len(rest) != 0 || string(out) != want {
		t.Errorf("3 levels: %s (%v), want %s", out, err, want)
	}
	out, rest, err = AppendJSON(nil, nested(200))
	if err != nil || len(rest) != 0 || !json.Valid(out) || len(out) > 100 {
		t.Errorf("200 levels: %d bytes, %v", len(out), err)
	}
	for _, dots := range []bool{false, true} {
		conv := AppendJSON
		if dots {
			conv = AppendJSONReplaceDots
		}
		out, _, err := conv(nil, nested(2))
		if err != nil || string(out) != `{"{\"k\":0}":1}` {
			t.Errorf("dots %v: %s %v", dots, out, err)
		}
	}
}
