package output

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinylib/msgp/msgp"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

func eventTime(b []byte, t time.Time) []byte {
	b = append(b, 0xd7, 0x00)
	b = binary.BigEndian.AppendUint32(b, uint32(t.Unix()))
	return binary.BigEndian.AppendUint32(b, uint32(t.Nanosecond()))
}

// tailRecord appends [[EventTime, {}], {"log": line}] with map32 headers, as
// in_tail writes them.
func tailRecord(b []byte, t time.Time, line string) []byte {
	b = append(b, 0x92, 0x92)
	b = eventTime(b, t)
	b = append(b, 0xdf, 0, 0, 0, 0)
	b = append(b, 0xdf, 0, 0, 0, 1)
	b = msgp.AppendString(b, "log")
	return msgp.AppendString(b, line)
}

// kv is an ordered body.
type kv struct {
	k string
	v any
}

func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case []kv:
		b = msgp.AppendMapHeader(b, uint32(len(x)))
		for _, p := range x {
			b = msgp.AppendString(b, p.k)
			b = appendValue(b, p.v)
		}
		return b
	case []any:
		b = msgp.AppendArrayHeader(b, uint32(len(x)))
		for _, e := range x {
			b = appendValue(b, e)
		}
		return b
	case rawMsgp:
		return append(b, x...)
	}
	b, err := msgp.AppendIntf(b, v)
	if err != nil {
		panic(err)
	}
	return b
}

type rawMsgp []byte

// newRecord appends [[EventTime, meta], body].
func newRecord(b []byte, t time.Time, body []kv) []byte {
	b = msgp.AppendArrayHeader(b, 2)
	b = msgp.AppendArrayHeader(b, 2)
	b = eventTime(b, t)
	b = msgp.AppendMapHeader(b, 0)
	return appendValue(b, body)
}

// oldRecord appends [EventTime, body].
func oldRecord(b []byte, t time.Time, body []kv) []byte {
	b = msgp.AppendArrayHeader(b, 2)
	b = eventTime(b, t)
	return appendValue(b, body)
}

func groupMarker(b []byte, sec uint32) []byte {
	b = append(b, 0x92, 0x92, 0xd7, 0x00)
	b = binary.BigEndian.AppendUint32(b, sec)
	b = binary.BigEndian.AppendUint32(b, 0)
	return append(b, 0x80, 0x80)
}

// captureSink keeps copies of the batches it gets.
type captureSink struct {
	mu      sync.Mutex
	batches []capturedBatch
	result  *sink.Result
	panics  bool
	closed  bool
}

type capturedBatch struct {
	tag     string
	docs    []string
	times   []time.Time
	prefix  []string
	id      []string
	skipped int
}

func (c *captureSink) Write(b *sink.Batch) sink.Result {
	if c.panics {
		panic("sink exploded")
	}
	cb := capturedBatch{tag: b.Tag, skipped: b.Skipped}
	for _, d := range b.Docs {
		cb.docs = append(cb.docs, string(d.JSON))
		cb.times = append(cb.times, d.Time)
		cb.prefix = append(cb.prefix, string(d.Prefix))
		cb.id = append(cb.id, string(d.ID))
	}
	c.mu.Lock()
	c.batches = append(c.batches, cb)
	c.mu.Unlock()
	if c.result != nil {
		return *c.result
	}
	return sink.Result{Code: sink.OK, Delivered: len(b.Docs)}
}

func (c *captureSink) Close() error { c.closed = true; return nil }

// memLogger records log lines.
type memLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *memLogger) add(level, f string, a []any) {
	l.mu.Lock()
	l.lines = append(l.lines, level+" "+fmt.Sprintf(f, a...))
	l.mu.Unlock()
}
func (l *memLogger) Infof(f string, a ...any)  { l.add("info", f, a) }
func (l *memLogger) Warnf(f string, a ...any)  { l.add("warn", f, a) }
func (l *memLogger) Errorf(f string, a ...any) { l.add("error", f, a) }
func (l *memLogger) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// getter is a case-insensitive property map, like FLBPluginConfigKey.
func getter(props map[string]string) func(string) string {
	m := map[string]string{}
	for k, v := range props {
		m[strings.ToLower(k)] = v
	}
	return func(k string) string { return m[strings.ToLower(k)] }
}

// decodeDoc parses one document, failing on invalid JSON or duplicate keys.
func decodeDoc(t testing.TB, doc string) map[string]any {
	t.Helper()
	if err := checkNoDuplicates(json.NewDecoder(strings.NewReader(doc))); err != nil {
		t.Fatalf("%v in %s", err, doc)
	}
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(doc))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatalf("invalid JSON %v: %s", err, doc)
	}
	return m
}

func checkNoDuplicates(d *json.Decoder) error {
	tok, err := d.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for d.More() {
			k, err := d.Token()
			if err != nil {
				return err
			}
			ks := k.(string)
			if seen[ks] {
				return fmt.Errorf("duplicate key %q", ks)
			}
			seen[ks] = true
			if err := checkNoDuplicates(d); err != nil {
				return err
			}
		}
		_, err = d.Token()
		return err
	case json.Delim('['):
		for d.More() {
			if err := checkNoDuplicates(d); err != nil {
				return err
			}
		}
		_, err = d.Token()
		return err
	}
	return nil
}

// path reads a nested value: path(m, "haproxy", "log_type").
func path(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

var _ = bytes.Equal
