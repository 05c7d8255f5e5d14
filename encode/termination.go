package encode

import (
	"sync/atomic"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// The haproxy.termination object depends only on the termination state's 2
// or 4 characters, and is most of a traffic record's bytes (the meanings,
// summaries and advice). It is serialized once per state, on first use, into
// a fixed table indexed by the characters' positions in decode's character
// sets, and then written with one append. A slot is filled by
// compare-and-swap, so concurrent encoders need no lock: at worst two of
// them build the same bytes and one copy is kept. Each state allocates once
// (its bytes, about 2 KB), and there are at most termStates of them.

const (
	nCause  = len(decode.TermCauseChars)
	nPhase  = len(decode.TermPhaseChars)
	nClient = len(decode.TermClientCookieChars)
	nServer = len(decode.TermServerCookieChars)
	// Per cause+phase: the 2-character state, then every cookie pair.
	termCookieSlots = 1 + nClient*nServer
	termStates      = nCause * nPhase * termCookieSlots
)

// termIdx maps a character to its position in each set, +1 (0: not in it).
var termIdx = func() (t [4][256]uint8) {
	for i, set := range [4]string{decode.TermCauseChars, decode.TermPhaseChars,
		decode.TermClientCookieChars, decode.TermServerCookieChars} {
		for j := 0; j < len(set); j++ {
			t[i][set[j]] = uint8(j + 1)
		}
	}
	return t
}()

// termEntry is one state, explained and serialized.
type termEntry struct {
	ok      bool   // decode.ExplainTermination accepted the state
	outcome string // its Outcome
	json    []byte // `{"cause":{...},...}`, the value of haproxy.termination
	// fields is `"termination_state":"<state>","termination":<json>,` for
	// a state of the table (nil otherwise).
	fields []byte
}

var termTable [termStates]atomic.Pointer[termEntry]

// termSlot returns the table position of ts, or -1 when a character is not
// in decode's sets (or ts is not 2 or 4 characters long).
func termSlot(ts []byte) int {
	if len(ts) != 2 && len(ts) != 4 {
		return -1
	}
	c, p := int(termIdx[0][ts[0]]), int(termIdx[1][ts[1]])
	if c == 0 || p == 0 {
		return -1
	}
	slot := ((c-1)*nPhase + p - 1) * termCookieSlots
	if len(ts) == 4 {
		a, b := int(termIdx[2][ts[2]]), int(termIdx[3][ts[3]])
		if a == 0 || b == 0 {
			return -1
		}
		slot += 1 + (a-1)*nServer + b - 1
	}
	return slot
}

// termination explains ts as decode.ExplainTermination does, from the
// table. For a state outside the table it returns nil and the caller
// explains it itself.
func termination(ts []byte) *termEntry {
	slot := termSlot(ts)
	if slot < 0 {
		return nil
	}
	if e := termTable[slot].Load(); e != nil {
		return e
	}
	return fillTerm(slot, ts)
}

// fillTerm builds the entry of slot (the state ts) on first use.
func fillTerm(slot int, ts []byte) *termEntry {
	t, ok := decode.ExplainTermination(ts)
	e := &termEntry{ok: ok, outcome: t.Outcome}
	if ok {
		e.json = appendTermination(nil, &t)
		f := strF(nil, `"termination_state":"`, string(ts))
		f = append(f, `"termination":`...)
		f = append(f, e.json...)
		e.fields = append(f, ',')
	}
	if termTable[slot].CompareAndSwap(nil, e) {
		return e
	}
	return termTable[slot].Load()
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
