package es

import (
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// Write delivers one chunk: its documents are built into _bulk requests
// (build), each request is sent (send), the result of each of its
// documents is read from the streamed response (classify) and counted
// (tally) into the chunk's result. See the package comment for what each
// outcome means. It is Begin, one Add and End.
func (s *Sink) Write(b *sink.Batch) sink.Result {
	p := s.Begin(b.Tag)
	p.Add(b.Docs)
	return p.End()
}

// Begin starts a chunk whose documents come in parts (sink.PartSink): the
// output instance hands them over as it encodes them, so that its memory
// does not grow with the chunk; each request is sent as soon as it holds
// ES_Bulk_Size.
func (s *Sink) Begin(tag string) sink.Part { return s.startChunk(tag) }

// Add builds docs (valid only during the call) into the chunk's requests.
func (w *chunkWrite) Add(docs []sink.Doc) {
	if len(docs) == 0 {
		return
	}
	s := w.s
	if w.docs == 0 && s.cfg.TemplateInstall && !s.templateDone.Load() {
		if err := s.ensureTemplate(false); err != nil { // only when the cluster is unreachable
			s.log.Warnf("es: %v", err)
			w.t.err = err
			w.stopped = true // every document is counted retryable, none sent
		}
	}
	for i := range docs {
		w.add(&docs[i])
	}
	w.docs += len(docs)
}

// End sends what is left and gives the chunk's result. The Part is not
// used after.
func (w *chunkWrite) End() sink.Result {
	defer w.release()
	if w.docs == 0 {
		return sink.Result{Code: sink.OK}
	}
	if len(w.req.items) > 0 {
		w.post(0, len(w.req.items)) // beside the one in the background, if any
	}
	w.join()
	return w.finish(w.docs)
}

// chunkWrite is one Write call in progress. It is pooled with its buffers.
type chunkWrite struct {
	s      *Sink
	tag    string
	namer  indexNamer
	typ    string // _type sent, "" for none
	req    request
	idBuf  [36]byte
	keyBuf []byte // what Generate_ID hashes (appendIDKey)
	t      tally
	// stopped: a request failed as a whole for a transient reason; the
	// documents not sent yet are counted retryable without being sent.
	stopped bool
	docs    int // documents added
	// bg is the request sent in the background (pair.go), done when bgDone
	// is closed; nil when none is.
	bg     *chunkWrite
	bgDone chan struct{}
}

var chunkPool = sync.Pool{New: func() any { return new(chunkWrite) }}

// maxKeptBody bounds the request buffer a pooled chunkWrite keeps.
const maxKeptBody = 32 << 20

func (s *Sink) startChunk(tag string) *chunkWrite {
	w := chunkPool.Get().(*chunkWrite)
	w.s, w.tag, w.t, w.stopped, w.docs = s, tag, tally{}, false, 0
	w.namer = indexNamer{cfg: &s.cfg, fixed: s.fixedIndex, now: time.Now(),
		lastName: w.namer.lastName[:0], lastPrefix: w.namer.lastPrefix[:0]}
	w.typ = ""
	if s.sendType.Load() {
		w.typ = s.cfg.Type
	}
	w.req.reset()
	return w
}

func (w *chunkWrite) release() {
	w.s = nil
	if cap(w.req.body) > maxKeptBody {
		w.req = request{}
	}
	chunkPool.Put(w)
}

// add builds the action of one document into the request, and sends the
// request first when the document would take it over ES_Bulk_Size.
func (w *chunkWrite) add(d *sink.Doc) {
	s := w.s
	var id []byte
	switch {
	case len(d.ID) > 0:
		id = d.ID
	case s.cfg.GenerateID:
		key := d.JSON
		if d.Source != nil {
			w.keyBuf = appendIDKey(w.keyBuf[:0], d)
			key = w.keyBuf
		}
		id = appendGeneratedID(w.idBuf[:0], key)
	}
	if id == nil && (s.cfg.Operation == OpUpdate || s.cfg.Operation == OpUpsert) {
		if w.t.reject() {
			s.log.Errorf("es: document rejected: Write_Operation %s needs an _id but the record has no %q key: %s",
				s.cfg.Operation, s.cfg.IDKey, excerpt(d.JSON, 200))
		}
		return
	}
	if w.stopped {
		w.t.retryable++
		return
	}
	w.req.add(s.cfg.Operation, w.namer.name(d), w.typ, id, d.JSON)
	if n := len(w.req.items); s.bulkLimit > 0 && len(w.req.body) > s.bulkLimit && n > 1 {
		if w.bg == nil && s.pairs {
			w.launch()
			return
		}
		w.post(0, n-1) // beside the one in the background, if any
		w.req.keepLast()
		w.join()
		if w.stopped {
			w.t.retryable++
			w.req.reset()
		}
	}
}

// post sends actions lo to hi-1 of the request as one _bulk request and
// tallies the result of each.
func (w *chunkWrite) post(lo, hi int) {
	s := w.s
	body := w.req.lines(lo, hi)
	if s.cfg.TraceOutput {
		s.log.Infof("es: POST %s (%d documents, tag %s):\n%s", s.bulkURL, hi-lo, w.tag, body)
	}
	s.requests.Add(1)
	res, cancel, err := s.send(http.MethodPost, s.bulkURL, body, ndjsonHeader)
	if err != nil {
		// Logged once by the output instance, with this error.
		w.failAll(hi-lo, sink.Retry, fmt.Errorf("es: bulk request of %d documents failed: %w", hi-lo, err))
		return
	}
	defer cancel()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		resp := readErrorBody(res, s.cfg.BufferSize)
		res.Body.Close()
		w.refused(res.StatusCode, resp, lo, hi)
		return
	}
	w.readResults(res.Body, lo, hi)
	_, _ = io.Copy(io.Discard, res.Body) // keep the connection reusable
	res.Body.Close()
}

// readResults streams the items of a response and tallies each.
func (w *chunkWrite) readResults(r io.Reader, lo, hi int) {
	s := w.s
	n := hi - lo
	ir := itemReader{
		want:    func(st int) bool { return s.classify(st) == rejected && w.t.logged < maxLoggedRejects },
		keepRaw: s.cfg.TraceError,
	}
	got, err := ir.read(r, func(k int, it *bulkItem) {
		if k < n {
			w.item(lo+k, it)
		}
	})
	if got < n {
		w.t.retryable += n - got
		w.t.nOther += n - got
		s.log.Warnf("es: %d of %d documents have no readable result (%s): counted retryable", n-got, n, missingReason(err))
	}
}

// item tallies the result of action k.
func (w *chunkWrite) item(k int, it *bulkItem) {
	switch c := w.s.classify(it.Status); c {
	case delivered:
		w.t.delivered++
	case retryOverload:
		w.t.retryable++
		w.t.n429++
	case retryOther:
		w.t.retryable++
		w.t.nOther++
	case rejected:
		if w.t.reject() {
			s := w.s
			doc := w.req.doc(k)
			s.log.Errorf("es: document rejected by index %q: HTTP %d %s; document: %s",
				w.req.index(k), it.Status, it.Error.String(), excerpt(doc, 200))
			if s.cfg.TraceError {
				s.log.Errorf("es: trace: item %s\ndocument: %s", it.Raw, doc)
			}
		}
	}
}

// refused handles a request refused as a whole with HTTP status.
func (w *chunkWrite) refused(status int, resp []byte, lo, hi int) {
	s := w.s
	n := hi - lo
	err := fmt.Errorf("es: bulk request to %s: HTTP %d: %s", s.cfg.HostList(), status, s.redact(errorReason(resp)))
	if s.cfg.TraceError {
		s.log.Errorf("es: trace: request:\n%s\nresponse:\n%s", excerpt(w.req.lines(lo, hi), 64<<10), s.redact(string(resp)))
	}
	switch {
	case status == http.StatusTooManyRequests || status >= 500:
		w.failAll(n, sink.Retry, err) // logged once by the output instance
	case status == http.StatusRequestEntityTooLarge && n > 1:
		// Over the node's http.max_content_length: each half is sent on
		// its own, as many times as it takes.
		s.failedRequests.Add(1)
		s.log.Warnf("%v: the request of %d documents (%d bytes) is sent again in two halves; set ES_Bulk_Size below the node's http.max_content_length",
			err, n, len(w.req.lines(lo, hi)))
		mid := lo + n/2
		w.post(lo, mid)
		if w.stopped {
			w.t.retryable += hi - mid
			return
		}
		w.post(mid, hi)
	case status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge:
		s.log.Errorf("%v: %d documents dropped", err, n)
		w.failAll(n, sink.Error, err)
	default:
		s.log.Errorf("%v: chunk will be retried (check credentials, privileges and Path)", err)
		w.failAll(n, sink.Retry, err)
	}
}

// failAll counts n documents of a request that failed as a whole.
func (w *chunkWrite) failAll(n, code int, err error) {
	w.s.failedRequests.Add(1)
	if w.t.err == nil {
		w.t.err = err
	}
	if code == sink.Retry {
		w.t.retryable += n
		w.stopped = true
		return
	}
	w.t.rejected += n
	w.t.refused = true
}

// finish adds the chunk's tally to the sink's totals and makes its result.
func (w *chunkWrite) finish(docs int) sink.Result {
	s, t := w.s, &w.t
	if t.logged > maxLoggedRejects {
		s.log.Errorf("es: %d more documents rejected in this chunk (not logged)", t.logged-maxLoggedRejects)
	}
	s.delivered.Add(int64(t.delivered))
	s.retried.Add(int64(t.retryable))
	s.rejec.Add(int64(t.rejected))
	res := sink.Result{Code: sink.OK, Delivered: t.delivered, Retryable: t.retryable, Rejected: t.rejected, Err: t.err}
	switch {
	case t.retryable > 0:
		res.Code = sink.Retry
		if res.Err == nil {
			// The output instance logs the retry once, with this error.
			res.Err = fmt.Errorf("es: %d of %d documents failed for a transient reason (%d rejected with HTTP 429: the cluster is overloaded; %d with 5xx, a 409 conflict or no result)",
				t.retryable, docs, t.n429, t.nOther)
		}
	case t.refused:
		res.Code = sink.Error
	}
	return res
}

// tally counts the results of one chunk's documents.
type tally struct {
	delivered, retryable, rejected int
	n429, nOther                   int  // retryable by cause, for the log
	logged                         int  // rejections seen (the first maxLoggedRejects are logged)
	refused                        bool // a request was refused as a whole (HTTP 400, 413)
	err                            error
}

// reject counts one rejected document and reports whether to log it.
func (t *tally) reject() bool {
	t.rejected++
	t.logged++
	return t.logged <= maxLoggedRejects
}

// class is what an item status means for its document.
type class int

const (
	delivered     class = iota
	retryOverload       // 429: the cluster is overloaded
	retryOther          // 5xx, or a 409 conflict on index/update
	rejected            // refused for good
)

// classify says what the status of one item means. 409 on create is the
// document already stored (a retried chunk with Generate_ID): delivered.
func (s *Sink) classify(status int) class {
	switch {
	case status >= 200 && status <= 299:
		return delivered
	case status == http.StatusConflict && s.cfg.Operation == OpCreate:
		return delivered
	case status == http.StatusTooManyRequests:
		return retryOverload
	case status >= 500 || status == http.StatusConflict:
		return retryOther
	}
	return rejected
}
