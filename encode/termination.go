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
	// fields is `"termination_state":"<state>","termination":{...},`;
	// lean is the same without the texts (see Explain).
	fields, lean []byte
}

var termTable [decode.TerminationKeys]atomic.Pointer[termJSON]

// termination returns the serialization of t, the explanation of the
// state ts.
func termination(ts []byte, t *decode.Termination) *termJSON {
	k := t.Key()
	if k < 0 {
		return newTermJSON(ts, t) // not from decode: not cached
	}
	if e := termTable[k].Load(); e != nil {
		return e
	}
	termTable[k].CompareAndSwap(nil, newTermJSON(ts, t))
	return termTable[k].Load()
}

// newTermJSON serializes the state ts, explained by t, with and without
// the texts.
func newTermJSON(ts []byte, t *decode.Termination) *termJSON {
	return &termJSON{fields: termFields(ts, t, true), lean: termFields(ts, t, false)}
}

// termFields serializes the haproxy.termination_state and
// haproxy.termination fields.
func termFields(ts []byte, t *decode.Termination, texts bool) []byte {
	f := strF(nil, `"termination_state":"`, string(ts))
	f = append(f, `"termination":`...)
	f = appendTermination(f, t, texts)
	return append(f, ',')
}

// appendTermination appends the haproxy.termination object for t, with
// its texts or not.
func appendTermination(b []byte, t *decode.Termination, texts bool) []byte {
	b = append(b, '{')
	b = appendFlag(b, `"cause":{`, t.Cause, texts)
	b = appendFlag(b, `"phase":{`, t.Phase, texts)
	b = appendFlag(b, `"client_cookie":{`, t.ClientCookie, texts)
	b = appendFlag(b, `"server_cookie":{`, t.ServerCookie, texts)
	if texts {
		b = addStr(b, `"summary":"`, t.Summary)
		b = addStr(b, `"cookie_summary":"`, t.CookieSummary)
	}
	b = addStr(b, `"blame":"`, t.Blame)
	b = addBool(b, `"anomaly":`, t.Anomaly)
	if texts {
		b = addStr(b, `"advice":"`, t.Advice)
	}
	b[len(b)-1] = '}' // anomaly is always written: there is a last comma
	return b
}

// appendFlag appends the object k (`"cause":{`) for one character of the
// state, when there is one.
func appendFlag(b []byte, k string, f decode.Flag, texts bool) []byte {
	if f.Code == 0 {
		return b
	}
	b = append(b, k...)
	code := [1]byte{f.Code}
	b = strF(b, `"code":"`, b2s(code[:]))
	if texts {
		b = addStr(b, `"meaning":"`, f.Meaning)
	}
	return closeObj(b, -1)
}
