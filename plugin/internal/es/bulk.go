package es

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/twmb/murmur3"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// indexNamer names the target index of each document. One namer serves one
// Write call (it caches the last dated name), so it needs no locking.
type indexNamer struct {
	cfg   *Config
	fixed []byte    // Index or Data_Stream, when names are not dated
	now   time.Time // for Current_Time_Index, taken once per batch

	lastUnit   int64
	lastPrefix []byte
	lastName   []byte
	valid      bool
}

// name returns the index for d. The result is valid until the next call.
func (n *indexNamer) name(d *sink.Doc) []byte {
	if n.fixed != nil {
		return n.fixed
	}
	c := n.cfg
	t := d.Time
	if c.CurrentTimeIndex || t.IsZero() {
		t = n.now
	}
	t = t.UTC()
	// Names are cached per second: a date format may name hours or seconds.
	unit := t.Unix()
	prefix := d.Prefix
	if len(prefix) == 0 {
		prefix = nil
	}
	if n.valid && unit == n.lastUnit && bytes.Equal(prefix, n.lastPrefix) {
		return n.lastName
	}
	name := n.lastName[:0]
	if prefix != nil {
		name = append(name, prefix...)
	} else {
		name = append(name, c.LogstashPrefix...)
	}
	name = append(name, c.LogstashSeparator...)
	name = c.dateFormat.appendFormat(name, t)
	n.lastName = name
	n.lastPrefix = append(n.lastPrefix[:0], prefix...)
	if prefix == nil {
		n.lastPrefix = nil
	}
	n.lastUnit, n.valid = unit, true
	return name
}

// appendIDKey appends what Generate_ID hashes for d: its event time (Unix
// seconds and nanoseconds, big-endian) and the record's body as Fluent Bit
// sent it. Like Fluent Bit's es output, which hashes the record, not what
// the document says about it: the outage state added to a record differs
// when the same chunk is flushed twice (the tracker has seen its lines), and
// the _id must not.
func appendIDKey(dst []byte, d *sink.Doc) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(d.Time.Unix()))
	dst = binary.BigEndian.AppendUint32(dst, uint32(d.Time.Nanosecond()))
	return append(dst, d.Source...)
}

// appendGeneratedID appends the _id Generate_ID gives a document: the
// 128-bit MurmurHash3 (x64, seed 42, as Fluent Bit's es output) of key
// (appendIDKey, or the document's JSON when the record is not known), in
// UUID form (8-4-4-4-12 hex). The same record always gets the same _id, so
// a retried chunk written with Write_Operation create stores each document
// once. Two identical records (same body, same timestamp) share an _id: one
// copy is kept.
func appendGeneratedID(dst, doc []byte) []byte {
	h1, h2 := murmur3.SeedSum128(42, 42, doc)
	var sum [16]byte
	binary.BigEndian.PutUint64(sum[:8], h1)
	binary.BigEndian.PutUint64(sum[8:], h2)
	var h [32]byte
	hex.Encode(h[:], sum[:])
	dst = append(dst, h[0:8]...)
	dst = append(dst, '-')
	dst = append(dst, h[8:12]...)
	dst = append(dst, '-')
	dst = append(dst, h[12:16]...)
	dst = append(dst, '-')
	dst = append(dst, h[16:20]...)
	dst = append(dst, '-')
	return append(dst, h[20:32]...)
}

// appendDoc appends a document's JSON as it is, except that raw newlines
// (never valid inside a JSON string, and whitespace elsewhere) become spaces
// so that one document stays on one NDJSON line. (Replace_Dots is applied
// by the output package while it encodes the record, once for every
// destination.)
func appendDoc(dst, doc []byte) []byte {
	start := len(dst)
	dst = append(dst, doc...)
	if out := dst[start:]; bytes.IndexByte(out, '\n') >= 0 {
		for i, c := range out {
			if c == '\n' {
				out[i] = ' '
			}
		}
	}
	return dst
}

// actionName is the bulk action of an operation.
func (o Operation) actionName() string {
	switch o {
	case OpIndex:
		return "index"
	case OpUpdate, OpUpsert:
		return "update"
	}
	return "create"
}

// appendAction appends one action line (with its newline).
func appendAction(dst []byte, op Operation, index []byte, typ string, id []byte) []byte {
	dst = append(dst, `{"`...)
	dst = append(dst, op.actionName()...)
	dst = append(dst, `":{"_index":`...)
	dst = encode.AppendString(dst, index)
	if typ != "" {
		dst = append(dst, `,"_type":`...)
		dst = encode.AppendString(dst, []byte(typ))
	}
	if id != nil {
		dst = append(dst, `,"_id":`...)
		dst = encode.AppendString(dst, id)
	}
	return append(dst, "}}\n"...)
}

// appendSource appends the document line of an operation (with its
// newline) and says where the document itself lies in dst.
func appendSource(dst []byte, op Operation, doc []byte) (out []byte, start, end int) {
	switch op {
	case OpUpdate, OpUpsert:
		dst = append(dst, `{"doc":`...)
	}
	start = len(dst)
	dst = appendDoc(dst, doc)
	end = len(dst)
	switch op {
	case OpUpdate:
		dst = append(dst, '}')
	case OpUpsert:
		dst = append(dst, `,"doc_as_upsert":true}`...)
	}
	return append(dst, '\n'), start, end
}

// request is one _bulk request being built: the NDJSON body and where the
// lines of each action lie in it. Its buffers are reused from chunk to
// chunk.
type request struct {
	body  []byte
	items []itemSpan
}

// itemSpan locates one action in a request body: its action line starts at
// action; its document is body[doc:end].
type itemSpan struct{ action, doc, end int }

// add appends one action and its document.
func (r *request) add(op Operation, index []byte, typ string, id, doc []byte) {
	at := len(r.body)
	r.body = appendAction(r.body, op, index, typ, id)
	var start, end int
	r.body, start, end = appendSource(r.body, op, doc)
	r.items = append(r.items, itemSpan{at, start, end})
}

// lines is the body of the actions lo to hi-1: their lines are contiguous.
func (r *request) lines(lo, hi int) []byte {
	end := len(r.body)
	if hi < len(r.items) {
		end = r.items[hi].action
	}
	return r.body[r.items[lo].action:end]
}

// keepLast drops every action but the last one, which moves to the front.
func (r *request) keepLast() {
	last := r.items[len(r.items)-1]
	r.body = r.body[:copy(r.body, r.body[last.action:])]
	r.items = append(r.items[:0], itemSpan{0, last.doc - last.action, last.end - last.action})
}

func (r *request) reset() {
	r.body, r.items = r.body[:0], r.items[:0]
}

// doc is the document of action k, as sent.
func (r *request) doc(k int) []byte {
	return r.body[r.items[k].doc:r.items[k].end]
}

// index is the target index named in the action line of action k.
func (r *request) index(k int) string {
	line := r.body[r.items[k].action:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	var action map[string]struct {
		Index string `json:"_index"`
	}
	_ = json.Unmarshal(line, &action)
	for _, a := range action {
		return a.Index
	}
	return ""
}
