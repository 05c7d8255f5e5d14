package output

import (
	"fmt"

	jsoniter "github.com/json-iterator/go"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// A line sink (stdout, file: sink.LineWriter) gets a chunk's documents as
// they are encoded, not as one batch. They are encoded into a json-iterator
// Stream whose buffer is written out to the sink's writer each time it holds
// flushAt bytes, so a flush keeps at most flushAt bytes plus one batch
// (batchLen records) of JSON, whatever the size of the chunk: Fluent Bit's
// 2 MB chunks of tail records are 6 to 20 MB of JSON.
//
// The sink is locked from the flush's first write to its last, so one
// chunk's lines never interleave with another's. A chunk smaller than
// flushAt is encoded without the lock, so concurrent flushes (workers)
// encode in parallel; a larger one holds it while it encodes the rest.
const flushAt = 128 << 10

// keepLines bounds the Stream buffer a pooled state keeps (a batch of very
// long records may have grown it).
const keepLines = 1 << 20

func newLineStream() *jsoniter.Stream {
	return jsoniter.NewStream(jsoniter.ConfigDefault, nil, flushAt+flushAt/2)
}

// drain writes the encoded lines out when they reach flushAt, or, when
// final, whatever is left. The first write locks the sink. A write error is
// kept in st.werr and the rest of the chunk is not written.
func (st *state) drain(final bool) {
	if st.werr != nil || len(st.out) == 0 || (!final && len(st.out) < flushAt) {
		return
	}
	s := st.stream
	if !st.locked {
		s.Reset(st.in.lines.Lock())
		s.Error = nil
		st.locked = true
	}
	s.SetBuffer(st.out)
	if err := s.Flush(); err != nil {
		st.werr = err
	} else {
		st.written = st.encoded
	}
	st.out = s.Buffer()[:0]
}

// unlock releases the line sink if this flush holds it.
func (st *state) unlock() {
	if st.locked {
		st.stream.Reset(nil)
		st.in.lines.Unlock()
		st.locked = false
	}
}

// endLines writes the rest of the chunk's lines and gives the flush's code.
func (st *state) endLines(tag string) int {
	st.drain(true)
	st.unlock()
	if err := st.werr; err != nil {
		st.in.log.Warnf("tag=%q: chunk will be retried: %d records not delivered yet (%d written before the error will be written again): writing to %s: %v",
			tag, st.encoded-st.written, st.written, st.in.lines.Name(), err)
		return sink.Retry
	}
	return sink.OK
}

// writtenNote says, for a chunk dropped after some of its records were
// written out (a line sink) or handed over (a part sink), how many were.
func (st *state) writtenNote() string {
	if st.written == 0 {
		return ""
	}
	return fmt.Sprintf(" (its first %d records were sent to the destination already)", st.written)
}
