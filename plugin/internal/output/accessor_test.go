package output

import (
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// Id_Key and Logstash_Prefix_Key take record accessors, as in Fluent Bit:
// the value is found inside maps and arrays of the record; a path that is
// not there gives no value (the document keeps the default index, no _id).
func TestRecordAccessorKeys(t *testing.T) {
	tm := time.Date(2026, 11, 21, 7, 35, 32, 0, time.UTC)
	k8s := []kv{{"namespace_name", "shop"}, {"labels", []kv{{"app", "lb"}}}, {"ids", []any{"a1", int64(7), []kv{{"x", "deep"}}}}}
	rec := newRecord(nil, tm, []kv{{"log", "not haproxy"}, {"kubernetes", k8s}})
	cases := []struct {
		prefixKey, idKey string
		prefix, id       string
	}{
		{"$kubernetes['namespace_name']", "$kubernetes['labels']['app']", "shop", "lb"},
		{"kubernetes['namespace_name']", `$kubernetes["ids"][0]`, "shop", "a1"},
		{"$kubernetes['ids'][1]", "$kubernetes['ids'][2]['x']", "7", "deep"},
		{"$kubernetes['missing']", "$kubernetes['ids'][3]", "", ""},
		{"$kubernetes['namespace_name']['deeper']", "$log[0]", "", ""},
		{"$nothere['a']", "log", "", "not haproxy"},
	}
	for _, c := range cases {
		capture := &captureSink{}
		in, log := newTestInstance(t, map[string]string{"logstash_prefix_key": c.prefixKey, "id_key": c.idKey}, capture)
		if rc := in.Flush(rec, "t"); rc != sink.OK {
			t.Fatalf("%+v: rc %d: %s", c, rc, log)
		}
		b := capture.batches[0]
		if b.prefix[0] != c.prefix || b.id[0] != c.id {
			t.Errorf("%s / %s: prefix %q id %q, want %q %q", c.prefixKey, c.idKey, b.prefix[0], b.id[0], c.prefix, c.id)
		}
	}
}
