package es

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	jsoniter "github.com/json-iterator/go"
)

// A _bulk response is read as a stream, item by item, through a fixed
// buffer: every document's result is known whatever the size of the
// response (5,000 items of 409 with their error bodies are ~1.3 MB), and the
// memory it takes does not grow with it. Buffer_Size only bounds what is
// kept of a whole-request error for the log.

// responseBuffer is the read buffer of a response iterator.
const responseBuffer = 16 << 10

var iterPool = sync.Pool{New: func() any {
	return jsoniter.Parse(jsoniter.ConfigDefault, nil, responseBuffer)
}}

// bulkItem is the result of one action of a _bulk request.
type bulkItem struct {
	Status int
	Error  itemError // read only when the reader's want says so
	Raw    []byte    // the error object as sent, only with keepRaw
}

type itemError struct {
	Type     string `json:"type"`
	Reason   string `json:"reason"`
	CausedBy struct {
		Type   string `json:"type"`
		Reason string `json:"reason"`
	} `json:"caused_by"`
}

// String is "type: reason (cause type: cause reason)".
func (e *itemError) String() string {
	s := e.Type + ": " + e.Reason
	if e.CausedBy.Reason != "" {
		s += " (" + e.CausedBy.Type + ": " + e.CausedBy.Reason + ")"
	}
	return s
}

// itemReader reads the items of one _bulk response.
type itemReader struct {
	// want reports whether the error of an item with this status is to be
	// read (to be logged); the others are skipped unread.
	want    func(status int) bool
	keepRaw bool // keep the error object's bytes too (Trace_Error)
}

// errNoItems says a response had no "items" array.
var errNoItems = errors.New(`no "items" in the response`)

// read calls fn for each item of the response in r, in order, and returns
// how many items it read. fn's item is valid only during the call. An error
// (a cut or malformed response) comes with the items read before it.
func (ir itemReader) read(r io.Reader, fn func(k int, it *bulkItem)) (n int, err error) {
	iter := iterPool.Get().(*jsoniter.Iterator)
	iter.Reset(r)
	iter.Error = nil
	defer func() {
		iter.Reset(nil)
		iterPool.Put(iter)
	}()
	var it bulkItem
	found := false
	iter.ReadObjectCB(func(iter *jsoniter.Iterator, field string) bool {
		if field != "items" {
			iter.Skip()
			return iter.Error == nil
		}
		found = true
		return iter.ReadArrayCB(func(iter *jsoniter.Iterator) bool {
			it = bulkItem{}
			// {"<action>": {"status": N, "error": {...}, ...}}
			iter.ReadObjectCB(func(iter *jsoniter.Iterator, _ string) bool {
				return iter.ReadObjectCB(func(iter *jsoniter.Iterator, key string) bool {
					ir.readField(iter, key, &it)
					return iter.Error == nil
				})
			})
			if iter.Error != nil {
				return false
			}
			fn(n, &it)
			n++
			return true
		})
	})
	switch {
	case iter.Error != nil && iter.Error != io.EOF:
		return n, iter.Error
	case iter.Error == io.EOF:
		return n, io.ErrUnexpectedEOF
	case !found:
		return n, errNoItems
	}
	return n, nil
}

// readField reads one field of an item's body into it.
func (ir itemReader) readField(iter *jsoniter.Iterator, key string, it *bulkItem) {
	switch key {
	case "status":
		it.Status = iter.ReadInt()
	case "error":
		// Elasticsearch writes status before error; when it does not,
		// the error is read in case it is wanted.
		if it.Status != 0 && !ir.want(it.Status) {
			iter.Skip()
			return
		}
		if ir.keepRaw {
			it.Raw = append(it.Raw[:0], iter.SkipAndReturnBytes()...)
			if json.Unmarshal(it.Raw, &it.Error) != nil {
				it.Error = itemError{}
			}
			return
		}
		iter.ReadVal(&it.Error)
	default:
		iter.Skip()
	}
}

// readErrorBody reads at most limit bytes (limit <= 0: all) of a response
// refused as a whole, for the log, and drains the rest so that the
// connection can be reused.
func readErrorBody(res *http.Response, limit int64) []byte {
	var r io.Reader = res.Body
	if limit > 0 {
		r = io.LimitReader(res.Body, limit)
	}
	b, _ := io.ReadAll(r)
	_, _ = io.Copy(io.Discard, res.Body)
	return b
}

// errorReason extracts error.type and error.reason of a whole-request error.
func errorReason(body []byte) string {
	var e struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && len(e.Error) > 0 {
		var ie itemError
		if json.Unmarshal(e.Error, &ie) == nil && ie.Type != "" {
			return ie.Type + ": " + ie.Reason
		}
		return excerpt(e.Error, 300)
	}
	return excerpt(bytes.TrimSpace(body), 300)
}

// missingReason says why a response gave fewer results than documents sent.
func missingReason(err error) string {
	if err == nil {
		return "the response lists fewer items than documents sent"
	}
	return fmt.Sprintf("the response could not be read: %v", err)
}
