package output

import "github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"

// A part sink (Elasticsearch: sink.PartSink) gets a chunk's documents each
// time they reach partAt bytes of JSON, rather than all at once: the flush
// keeps at most partAt bytes plus one batch (batchLen records) of JSON and
// their sink.Docs, whatever the size of the chunk, and the sink builds them
// into requests as they come.
const partAt = 1 << 20

// collectDocs makes st.docs of the documents encoded since the last part.
func (st *state) collectDocs() {
	buf := st.out
	for i := range st.metas {
		m := &st.metas[i]
		st.docs = append(st.docs, sink.Doc{
			JSON:   buf[m.start:m.end],
			Time:   m.t,
			Prefix: st.resolve(m.prefix),
			ID:     st.resolve(m.id),
			Source: m.src,
		})
	}
}

// addPart hands the documents encoded so far to the part sink (the first
// part begins the chunk there) and empties the buffers. It runs between
// batches, when no pending record points into st.aux.
func (st *state) addPart() {
	if len(st.metas) == 0 {
		return
	}
	if st.part == nil {
		st.part = st.in.parts.Begin(st.tagName)
	}
	st.collectDocs()
	st.part.Add(st.docs)
	st.written += len(st.docs)
	clear(st.docs)
	st.docs, st.metas, st.out, st.aux = st.docs[:0], st.metas[:0], st.out[:0], st.aux[:0]
}

// endParts hands over the rest of the chunk and gives the sink's result.
func (st *state) endParts() sink.Result {
	st.addPart()
	if st.part == nil {
		return sink.Result{Code: sink.OK}
	}
	res := st.part.End()
	st.part = nil
	return res
}

// abortParts ends a chunk dropped after some of it was handed over: what
// was handed over is delivered, and counted by the sink.
func (st *state) abortParts() {
	if st.part != nil {
		st.part.End()
		st.part = nil
	}
}
