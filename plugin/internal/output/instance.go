package output

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	jsoniter "github.com/json-iterator/go"
	"github.com/tinylib/msgp/msgp"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/chunk"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
	linestate "github.com/fluent-bit-haproxy/fluent-bit-haproxy/state"
)

// Instance is one [OUTPUT] instance. Flush is safe for concurrent use
// (Fluent Bit workers).
type Instance struct {
	cfg     Config
	log     Logger
	enc     *encode.Encoder
	dec     decode.Decoder
	exp     decode.Explainer // with the tracker as its stateful step
	sink    sink.Sink
	lines   sink.LineWriter // sink, when it takes lines as they are encoded
	parts   sink.PartSink   // sink, when it takes documents in parts
	pool    sync.Pool
	timeKey []byte // `"@timestamp":`
	tagKey  []byte // `"flb-key":`
	// valueJSON converts a record value: chunk.AppendJSON, or with
	// Replace_Dots the variant that renames nested keys too (chosen once).
	valueJSON func(dst, value []byte) (out, rest []byte, err error)
	// tracker keeps the state across lines of this instance (every flush,
	// every worker).
	tracker *linestate.Tracker
	closed  atomic.Bool
}

// New builds an instance and its sink (stdout, file or elasticsearch).
func New(cfg Config, log Logger) (*Instance, error) {
	if log == nil {
		log = NewLogger(nil, 0)
	}
	var s sink.Sink
	switch cfg.Destination {
	case DestStdout, "":
		s = NewStdoutSink()
	case DestFile:
		fs, err := NewFileSink(cfg.File)
		if err != nil {
			return nil, err
		}
		s = fs
	case DestElasticsearch:
		es, err := newElasticsearch(cfg.ES, log)
		if err != nil {
			return nil, err
		}
		s = es
	default:
		return nil, fmt.Errorf("haproxy: Destination %q is not valid: want stdout, file or elasticsearch", cfg.Destination)
	}
	return NewWithSink(cfg, log, s), nil
}

// NewWithSink builds an instance that writes to s (tests, benchmarks).
func NewWithSink(cfg Config, log Logger, s sink.Sink) *Instance {
	if log == nil {
		log = NewLogger(nil, 0)
	}
	if cfg.ES.TimeKey == "" { // a Config not made by ParseConfig
		cfg.ES.TimeKey = encode.DefaultTimeKey
	}
	if cfg.TagKey == "" {
		cfg.TagKey = DefaultTagKey
	}
	in := &Instance{
		cfg:     cfg,
		log:     log,
		enc:     encode.New(cfg.EncodeOptions()),
		dec:     decode.Decoder{Location: cfg.Location},
		sink:    s,
		timeKey: append(encode.AppendString(nil, []byte(cfg.ES.TimeKey)), ':'),
		tagKey:  append(encode.AppendString(nil, []byte(cfg.TagKey)), ':'),
	}
	cfg.HAProxy.apply(&in.dec, log)
	cfg.LogFormats.apply(&in.dec)
	in.tracker = newTracker(cfg, log)
	in.exp.State = in.tracker
	in.valueJSON = chunk.AppendJSON
	if cfg.ReplaceDots {
		in.valueJSON = chunk.AppendJSONReplaceDots // nested keys too, as Fluent Bit does
	}
	in.lines, _ = s.(sink.LineWriter)
	in.parts, _ = s.(sink.PartSink)
	in.pool.New = func() any {
		st := &state{in: in}
		if in.lines != nil {
			st.stream = newLineStream()
			st.out = st.stream.Buffer()
		} else {
			st.out = make([]byte, 0, 64<<10)
		}
		st.extra = st.appendExtra
		return st
	}
	return in
}

// Close closes the sink (a file is synced and closed) and writes the
// State_File. Later flushes fail.
func (in *Instance) Close() error {
	if in.closed.Swap(true) {
		return nil
	}
	if path := in.cfg.StateFile; path != "" {
		if err := in.tracker.Save(path); err != nil {
			in.log.Errorf("%v", err)
		} else {
			in.log.Infof("state across lines written to %s (%d keys)", path, in.tracker.Len())
		}
	}
	return in.sink.Close()
}

// newTracker makes the instance's tracker and reads its State_File. A state
// file that cannot be read is logged and the state starts empty: losing it
// must not stop the logs.
func newTracker(cfg Config, log Logger) *linestate.Tracker {
	t, err := linestate.New(linestate.Config{FlapThreshold: cfg.FlapThreshold, FlapWindow: cfg.FlapWindow})
	if err != nil { // a Config not made by ParseConfig
		log.Errorf("%v: the defaults are used", err)
		t, _ = linestate.New(linestate.Config{})
	}
	if cfg.StateFile != "" {
		if err := t.Load(cfg.StateFile); err != nil {
			log.Warnf("%v: starting without the saved state", err)
		} else {
			log.Infof("state across lines read from %s (%d keys)", cfg.StateFile, t.Len())
		}
	}
	return t
}

// span is a value taken from a record for sink.Doc.Prefix / .ID: text points
// into the chunk; other values are JSON text in state.aux.
type span struct {
	b          []byte
	start, end int
	inAux      bool
}

// batchLen records are taken from the chunk, then decoded, then encoded,
// one phase after the other, rather than one record at a time: each phase's
// code then stays in the instruction cache, which the decoder and the
// encoder together overflow. BenchmarkFlush measured 20-30 % less time per
// record (64 and 128 did best; 64 keeps a state's entries near 115 KiB).
const batchLen = 64

// pending is a record taken from the chunk and waiting to be decoded and
// encoded (its docMeta is in st.metas already). It points into the chunk.
// It is kept small: it is written for every record.
type pending struct {
	body          []byte // the record's body (raw msgpack map)
	t             time.Time
	index, offset int
	lineKey       []byte // the key whose value is the line (nil: none)
	line          []byte
	syslog        bool // a syslog-input record: see st.sys
	onlyLine      bool // the body is one pair, the line's
}

// syslogFields are the fields of a record of Fluent Bit's syslog input, for
// the parts of the line's own header that are missing.
type syslogFields struct {
	host, ident, pid, pri []byte
}

// transport reads the fields as decode.Entry.FillFraming takes them.
func (s *syslogFields) transport() decode.Transport {
	t := decode.Transport{Hostname: s.host, ProcessName: s.ident, PID: decode.Unset, Priority: decode.Unset}
	if n, ok := intValue(s.pid); ok {
		t.PID = n
	}
	if n, ok := intValue(s.pri); ok {
		t.Priority = n
	}
	return t
}

type docMeta struct {
	start, end int
	t          time.Time
	prefix, id span
	src        []byte // the record's body, for sink.Doc.Source
}

// state is the per-flush working set, pooled.
type state struct {
	in *Instance
	// the records of the current batch and their decoded lines
	pend    [batchLen]pending
	sys     [batchLen]syslogFields // where pend[i].syslog
	entries [batchLen]decode.Entry
	npend   int
	// the chunk's documents, back to back: all of them, or for a line sink
	// those not written out yet, each followed by '\n' (see drain)
	out    []byte
	reader chunk.Reader
	docs   []sink.Doc
	metas  []docMeta
	aux    []byte
	keybuf []byte
	tag    []byte
	batch  sink.Batch
	extra  func([]byte) []byte // st.appendExtra, bound once

	// for a part sink (see addPart)
	part    sink.Part // the chunk in progress, nil before its first part
	tagName string

	// for a line sink (see drain)
	stream  *jsoniter.Stream
	locked  bool  // this flush holds the sink
	encoded int   // records encoded
	written int   // records written out
	werr    error // the write that failed

	// the record being encoded (for appendExtra)
	rec      *pending
	err      error
	curIndex int
	curOff   int
}

// maxKeep bounds the buffers a pooled state keeps between flushes.
const maxKeep = 16 << 20

// Flush encodes every record of data and hands them to the sink: to a line
// sink as they are encoded (see drain), to another in one batch. It returns
// sink.OK, sink.Retry or sink.Error. data is only read during the call.
func (in *Instance) Flush(data []byte, tag string) (code int) {
	st := in.pool.Get().(*state)
	defer func() {
		if r := recover(); r != nil {
			st.unlock()
			in.log.Errorf("tag=%q: internal error at record %d (byte %d), chunk dropped%s: %v; record bytes: %s",
				tag, st.curIndex, st.curOff, st.writtenNote(), r, excerpt(data, st.curOff))
			code = sink.Error
			return // the state may be inconsistent: let it go
		}
		in.pool.Put(st)
	}()
	if in.closed.Load() {
		in.log.Errorf("tag=%q: flush after exit, chunk dropped", tag)
		return sink.Error
	}
	st.reset(tag)
	st.reader.Reset(data)
	skipped := 0
	for st.reader.Next() {
		rec := st.reader.Record()
		st.curIndex, st.curOff = rec.Index, rec.Offset
		if rec.IsGroupMarker() {
			skipped++
			continue
		}
		if st.take(rec); st.err == nil && st.npend == batchLen {
			st.convert()
		}
		if st.err != nil {
			break
		}
	}
	if st.err == nil && st.reader.Err() == nil {
		st.convert()
	}
	if st.err != nil {
		in.log.Errorf("tag=%q: record %d at byte %d cannot be converted, chunk dropped%s: %v; record bytes: %s",
			tag, st.curIndex, st.curOff, st.writtenNote(), st.err, excerpt(data, st.curOff))
		st.release()
		return sink.Error
	}
	if err := st.reader.Err(); err != nil {
		in.log.Errorf("tag=%q: chunk of %d bytes cannot be read, dropped%s: %v", tag, len(data), st.writtenNote(), err)
		st.release()
		return sink.Error
	}
	if in.lines != nil {
		code := st.endLines(tag)
		st.release()
		return code
	}
	var res sink.Result
	if in.parts != nil {
		res = st.endParts()
	} else {
		st.collectDocs()
		st.batch = sink.Batch{Tag: tag, Docs: st.docs, Skipped: skipped}
		res = in.sink.Write(&st.batch)
		st.batch = sink.Batch{}
	}
	st.release()
	return in.report(tag, &res)
}

// report logs a sink's result for a chunk and gives Fluent Bit's code.
func (in *Instance) report(tag string, res *sink.Result) int {
	switch res.Code {
	case sink.OK:
		if res.Err != nil {
			in.log.Warnf("tag=%q: %v", tag, res.Err)
		}
		return sink.OK
	case sink.Retry:
		in.log.Warnf("tag=%q: chunk will be retried: %d records not delivered yet (%d delivered, %d rejected): %v",
			tag, res.Retryable, res.Delivered, res.Rejected, res.Err)
		return sink.Retry
	default:
		in.log.Errorf("tag=%q: chunk dropped (%d delivered, %d rejected): %v", tag, res.Delivered, res.Rejected, res.Err)
		return sink.Error
	}
}

// excerpt is up to 32 bytes of data from off, in hex.
func excerpt(data []byte, off int) string {
	if off < 0 || off > len(data) {
		off = 0
	}
	end := min(len(data), off+chunk.ExcerptLen)
	return fmt.Sprintf("%x", data[off:end])
}

func (st *state) reset(tag string) {
	st.tag = append(st.tag[:0], tag...)
	st.tagName = tag
	st.out = st.out[:0]
	st.docs = st.docs[:0]
	st.metas = st.metas[:0]
	st.aux = st.aux[:0]
	st.err = nil
	st.npend = 0
	st.curIndex, st.curOff = 0, 0
	st.encoded, st.written, st.werr = 0, 0, nil
}

// release drops references into the chunk and oversized buffers, unlocks
// the line sink and ends a part sink's chunk left open by an error.
func (st *state) release() {
	st.unlock()
	st.abortParts()
	st.tagName = ""
	clear(st.docs)
	st.docs = st.docs[:0]
	clear(st.pend[:])
	clear(st.sys[:])
	st.npend = 0
	st.rec = nil
	st.reader.Reset(nil)
	if st.stream != nil && cap(st.out) > keepLines {
		st.stream.SetBuffer(make([]byte, 0, flushAt+flushAt/2))
		st.out = st.stream.Buffer()
	} else if cap(st.out) > maxKeep {
		st.out = make([]byte, 0, 64<<10)
	}
	if cap(st.aux) > maxKeep {
		st.aux = nil
	}
	// The entries point into the chunk too; Decode resets them before use.
}

func (st *state) resolve(s span) []byte {
	if s.inAux {
		return st.aux[s.start:s.end]
	}
	return s.b
}

// take adds rec to the batch: it finds the line, and the values for
// sink.Doc.Prefix and .ID.
func (st *state) take(rec *chunk.Record) {
	cfg := &st.in.cfg
	// Fast path: a tail record, {"log": line}, when no key is wanted for
	// Prefix or ID. The general path below gives the same result.
	prefixKey, idKey := &cfg.ES.LogstashPrefixKey, &cfg.ES.IDKey
	if prefixKey.IsZero() && idKey.IsZero() {
		if k, v, ok := chunk.OnePair(rec.Body); ok && st.isLineKey(k) {
			st.pend[st.npend] = pending{
				body: rec.Body, t: rec.Time, index: rec.Index, offset: rec.Offset,
				lineKey: k, line: v, onlyLine: true,
			}
			st.npend++
			st.metas = append(st.metas, docMeta{src: rec.Body})
			return
		}
	}
	var line, lineKey []byte
	var prefix, id span
	var host, ident, pid, pri, message, msgKey []byte
	best := 4 // rank of the line key found: 0 log, 1 message, 2 msg
	hasIdent, hasHost, hasPri := false, false, false
	it := chunk.NewMapIter(rec.Body)
	pairs := it.Len()
	for it.Next() {
		if !it.KeyIsString() {
			continue
		}
		k, v := it.Key(), it.Value()
		if !prefixKey.IsZero() && string(k) == prefixKey.Steps[0].Key && prefix.b == nil && !prefix.inAux {
			prefix = st.accessorSpan(v, prefixKey)
		}
		if !idKey.IsZero() && string(k) == idKey.Steps[0].Key && id.b == nil && !id.inAux {
			id = st.accessorSpan(v, idKey)
		}
		text, isText := chunk.Text(v)
		if cfg.LogKey != "" {
			if line == nil && isText && string(k) == cfg.LogKey {
				line, lineKey = text, k
				if line == nil {
					line = []byte{}
				}
			}
		} else if isText {
			rank := 4
			switch string(k) {
			case "log":
				rank = 0
			case "message":
				rank = 1
				message, msgKey = text, k
			case "msg":
				rank = 2
			}
			if rank < best {
				best, line, lineKey = rank, text, k
				if line == nil {
					line = []byte{}
				}
			}
		}
		switch string(k) {
		case "host":
			host, hasHost = text, isText
		case "ident":
			ident, hasIdent = text, isText
		case "pid":
			pid = v
		case "pri":
			pri, hasPri = v, true
		}
	}
	if err := it.Err(); err != nil {
		st.err = err
		return
	}
	// Fluent Bit's syslog input: {pri, time, host, ident, pid, message}.
	syslog := false
	if cfg.LogKey == "" && msgKey != nil && hasIdent && (hasHost || hasPri) {
		syslog = true
		line, lineKey = message, msgKey
		if line == nil {
			line = []byte{}
		}
	}
	st.pend[st.npend] = pending{
		body: rec.Body, t: rec.Time, index: rec.Index, offset: rec.Offset,
		lineKey: lineKey, line: line, syslog: syslog, onlyLine: pairs == 1 && lineKey != nil,
	}
	if syslog {
		st.sys[st.npend] = syslogFields{host: host, ident: ident, pid: pid, pri: pri}
	}
	st.npend++
	st.metas = append(st.metas, docMeta{prefix: prefix, id: id, src: rec.Body})
}

// isLineKey reports whether k names the line: Log_Key, or by default one of
// log, message and msg.
func (st *state) isLineKey(k []byte) bool {
	if key := st.in.cfg.LogKey; key != "" {
		return string(k) == key
	}
	switch string(k) {
	case "log", "message", "msg":
		return true
	}
	return false
}

// convert decodes and explains the lines of the batch, then encodes its
// records onto st.out (see batchLen), and empties the batch.
func (st *state) convert() {
	in := st.in
	n := st.npend
	for i := 0; i < n; i++ {
		p := &st.pend[i]
		if p.lineKey == nil {
			continue
		}
		st.curIndex, st.curOff = p.index, p.offset
		e := &st.entries[i]
		in.dec.Decode(e, p.line, p.t)
		if p.syslog {
			e.FillFraming(st.sys[i].transport())
		}
		// Explained once the record's own header fields are in: they
		// key the state across lines.
		in.exp.ExplainRecord(e, st.tag, p.t)
	}
	metas := st.metas[len(st.metas)-n:]
	for i := 0; i < n; i++ {
		p := &st.pend[i]
		st.rec = p
		st.curIndex, st.curOff = p.index, p.offset
		m := &metas[i]
		m.start = len(st.out)
		if p.lineKey == nil {
			m.t = st.passThrough(p.t)
		} else {
			st.out, m.t = in.enc.Append(st.out, &st.entries[i], p.t, st.extra)
		}
		if st.err != nil {
			return
		}
		m.end = len(st.out)
		if in.lines != nil {
			st.out = append(st.out, '\n')
		}
	}
	st.npend = 0
	switch {
	case in.lines != nil:
		st.encoded += n
		st.metas = st.metas[:0] // a line sink needs neither times nor keys
		st.drain(false)
	case in.parts != nil && len(st.out) >= partAt:
		st.addPart()
	}
}

// passThrough writes a record without a line: its fields, the timestamp
// and haproxy.log_type "none".
func (st *state) passThrough(t time.Time) time.Time {
	in := st.in
	if t.IsZero() {
		t = time.Now()
	}
	b := st.appendExtra(append(st.out, '{'))
	b = append(b, in.timeKey...)
	b = in.cfg.ES.TimeFormat.Append(b, t)
	st.out = append(b, `,"haproxy":{"log_type":"none"}}`...)
	return t
}

// valueSpan takes a value for Prefix / ID.
func (st *state) valueSpan(v []byte) span {
	if text, ok := chunk.Text(v); ok {
		if text == nil {
			text = []byte{}
		}
		return span{b: text}
	}
	if msgp.IsNil(v) {
		return span{}
	}
	start := len(st.aux)
	aux, _, err := chunk.AppendJSON(st.aux, v)
	if err != nil {
		st.aux = aux[:start]
		return span{}
	}
	st.aux = aux
	return span{start: start, end: len(aux), inAux: true}
}

// intValue reads an integer given as a msgpack number or numeric text.
func intValue(v []byte) (int, bool) {
	if v == nil {
		return 0, false
	}
	switch msgp.NextType(v) {
	case msgp.IntType:
		i, _, err := msgp.ReadInt64Bytes(v)
		return int(i), err == nil
	case msgp.UintType:
		u, _, err := msgp.ReadUint64Bytes(v)
		return int(u), err == nil && u < 1<<31
	}
	if text, ok := chunk.Text(v); ok {
		n, err := strconv.Atoi(string(text))
		return n, err == nil
	}
	return 0, false
}

// appendExtra appends the record's other fields, each `"key":value,`: the
// tag (Include_Tag_Key), then the body fields except the line and, for a
// syslog-input record, the fields folded into the decoded entry. Fields named
// like a top-level key of the encoder go under "fluentbit".
func (st *state) appendExtra(b []byte) []byte {
	in := st.in
	if in.cfg.IncludeTagKey {
		b = append(b, in.tagKey...)
		b = encode.AppendString(b, st.tag)
		b = append(b, ',')
	}
	if st.rec.onlyLine {
		return b // the body holds the line and nothing else
	}
	collided := false
	it := chunk.NewMapIter(st.rec.body)
	for it.Next() {
		switch st.classify(&it) {
		case fieldSkip:
			continue
		case fieldReserved:
			collided = true
			continue
		}
		if b = st.writeField(b, &it); st.err != nil {
			break
		}
	}
	if err := it.Err(); err != nil && st.err == nil {
		st.err = err
	}
	if collided && st.err == nil {
		b = append(b, `"fluentbit":{`...)
		n := len(b)
		it = chunk.NewMapIter(st.rec.body)
		for it.Next() {
			if st.classify(&it) != fieldReserved {
				continue
			}
			if b = st.writeField(b, &it); st.err != nil {
				break
			}
		}
		if len(b) > n {
			b = b[:len(b)-1] // last comma
		}
		b = append(b, '}', ',')
	}
	return b
}

const (
	fieldWrite = iota
	fieldSkip
	fieldReserved
)

func (st *state) classify(it *chunk.MapIter) int {
	if !it.KeyIsString() {
		return fieldWrite
	}
	k := it.Key()
	if st.rec.lineKey != nil && string(k) == string(st.rec.lineKey) {
		return fieldSkip
	}
	if st.rec.syslog {
		switch string(k) {
		case "pri", "host", "ident", "pid":
			return fieldSkip
		}
	}
	if st.in.cfg.ReplaceDots && bytes.IndexByte(k, '.') >= 0 {
		// the written name differs: compare that one
		st.keybuf = replaceDots(st.keybuf[:0], k)
		k = st.keybuf
	}
	if isReserved(string(k)) || string(k) == st.in.cfg.ES.TimeKey || (st.in.cfg.IncludeTagKey && string(k) == st.in.cfg.TagKey) {
		return fieldReserved
	}
	return fieldWrite
}

func replaceDots(dst, k []byte) []byte {
	for _, c := range k {
		if c == '.' {
			c = '_'
		}
		dst = append(dst, c)
	}
	return dst
}

var errKey = errors.New("bad map key")

// writeField writes `"key":value,`.
func (st *state) writeField(b []byte, it *chunk.MapIter) []byte {
	k := it.Key()
	switch {
	case !it.KeyIsString():
		kb, _, err := chunk.AppendJSON(st.keybuf[:0], k)
		if err != nil {
			st.err = errKey
			return b
		}
		st.keybuf = kb
		if len(kb) > 0 && kb[0] == '"' {
			b = append(b, kb...)
		} else {
			b = encode.AppendString(b, kb)
		}
	case st.in.cfg.ReplaceDots && bytes.IndexByte(k, '.') >= 0:
		st.keybuf = replaceDots(st.keybuf[:0], k)
		b = encode.AppendString(b, st.keybuf)
	default:
		b = encode.AppendString(b, k)
	}
	b = append(b, ':')
	b, _, err := st.in.valueJSON(b, it.Value())
	if err != nil {
		st.err = err
		return b
	}
	return append(b, ',')
}
