package encode

import (
	"sync/atomic"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// The haproxy.termination object depends only on the termination state's 2
// or 4 characters, and is most of a traffic record's bytes (the meanings,
// summaries and advice). It is serialized once per state, on first use, into
// a fixed table indexed by the state's decode.Termination.Key, and then
// written with one append. A slot is filled by compare-and-swap, so
// concurrent encoders need no lock: at worst two of them build the same
// bytes and one copy is kept. Each state allocates once (its bytes, about
// 2 KB), and there are at most decode.TerminationKeys of them.

// termJSON is one state, serialized.
type termJSON struct {
	// fields is `"termination_state":"<state>","termination":{...},`.
	fields []byte
}

var termTable [decode.TerminationKeys]atomic.Pointer[termJSON]

// termination returns the serialization of t, the explanation of the
// state ts.
func termination(ts []byte, t *decode.Termination) *termJSON {
	k := t.Key()
	if k < 0 {
		return &termJSON{fields: termFields(ts, t)} // not from decode: not cached
	}
	if e := termTable[k].Load(); e != nil {
		return e
	}
	termTable[k].CompareAndSwap(nil, &termJSON{fields: termFields(ts, t)})
	return termTable[k].Load()
}

// termFields serializes the haproxy.termination_state and
// haproxy.termination fields.
func termFields(ts []byte, t *decode.Termination) []byte {
	f := strF(nil, `"termination_state":"`, string(ts))
	f = append(f, `"termination":`...)
	f = appendTermination(f, t)
	return append(f, ',')
}

// appendTermination appends the haproxy.termination object for t.
func appendTermination(b []byte, t *decode.Termination) []byte {
	w := writer{b: append(b, '{')}
	writeFlag(&w, `"cause":{`, t.Cause)
	writeFlag(&w, `"phase":{`, t.Phase)
	writeFlag(&w, `"client_cookie":{`, t.ClientCookie)
	writeFlag(&w, `"server_cookie":{`, t.ServerCookie)
	w.strQ(`"summary":`, t.Summary)
	w.strQ(`"cookie_summary":`, t.CookieSummary)
	w.strQ(`"blame":`, t.Blame)
	w.boolQ(`"anomaly":`, t.Anomaly)
	w.strQ(`"advice":`, t.Advice)
	return append(w.b, '}')
}

func writeFlag(w *writer, k string, f decode.Flag) {
	if f.Code == 0 {
		return
	}
	w.openQ(k)
	w.keyQ(`"code":`)
	code := [1]byte{f.Code}
	w.b = appendString(w.b, b2s(code[:]))
	w.strQ(`"meaning":`, f.Meaning)
	w.close()
}
