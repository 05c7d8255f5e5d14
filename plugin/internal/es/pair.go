package es

import (
	"fmt"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// A chunk larger than ES_Bulk_Size is sent in pairs of requests: one in
// the background while the next is sent, so that the node indexes two at
// once (a node indexes one bulk request on one write thread: one after the
// other, the second core idles). Measured on the 2-core OpenSearch test
// node (make bench-es, default options): traffic mix 22,167 records/s one
// request after the other, 29,388 in pairs; production sample 21,781 and
// 27,520. Two chunks at once (Workers 2) give 30,792 and 28,052.
//
// Only documents without an _id go in pairs. With one (Generate_ID,
// Id_Key, update and upsert), the order of a chunk's requests is the order
// in which a document's versions are written, and it stays one after the
// other.
//
// A request that fails as a whole still stops the chunk: the requests not
// sent yet are counted retryable. The other request of its pair has been
// sent already, and counts as it turns out.

// pairable reports whether a sink with c sends a chunk's requests in
// pairs. Each request is then half ES_Bulk_Size, so that the two in
// flight hold what one held.
func pairable(c *Config) bool {
	return c.BulkSize > 0 && !c.GenerateID && c.IDKey.IsZero() && (c.Operation == OpCreate || c.Operation == OpIndex)
}

// launch sends every action of the request but the last in the
// background; the last one (the document that took the request over
// ES_Bulk_Size) starts the next request.
func (w *chunkWrite) launch() {
	bg := chunkPool.Get().(*chunkWrite)
	bg.s, bg.tag, bg.typ, bg.t, bg.stopped = w.s, w.tag, w.typ, tally{}, false
	w.req, bg.req = bg.req, w.req
	bg.req.moveLast(&w.req)
	done := make(chan struct{})
	w.bg, w.bgDone = bg, done
	go func() {
		defer close(done)
		defer func() {
			// A panic here would end Fluent Bit (the cgo boundary's
			// recover does not see this goroutine): the request counts
			// retryable instead.
			if r := recover(); r != nil {
				bg.t = tally{}
				bg.failAll(len(bg.req.items), sink.Retry, fmt.Errorf("es: bulk request failed: panic: %v", r))
			}
		}()
		bg.post(0, len(bg.req.items))
	}()
}

// join waits for the request in the background and adds its result to the
// chunk's.
func (w *chunkWrite) join() {
	if w.bg == nil {
		return
	}
	<-w.bgDone
	w.t.add(&w.bg.t)
	w.stopped = w.stopped || w.bg.stopped
	w.bg.release()
	w.bg, w.bgDone = nil, nil
}

// add adds o's counts to t; the first error stays.
func (t *tally) add(o *tally) {
	t.delivered += o.delivered
	t.retryable += o.retryable
	t.rejected += o.rejected
	t.n429 += o.n429
	t.nOther += o.nOther
	t.logged += o.logged
	t.refused = t.refused || o.refused
	if t.err == nil {
		t.err = o.err
	}
}

// moveLast moves r's last action into to, which it resets first.
func (r *request) moveLast(to *request) {
	last := r.items[len(r.items)-1]
	to.reset()
	to.body = append(to.body, r.body[last.action:]...)
	to.items = append(to.items, itemSpan{0, last.doc - last.action, last.end - last.action})
	r.body = r.body[:last.action]
	r.items = r.items[:len(r.items)-1]
}
