package decode

import (
	"strconv"
	"time"
)

// formatSet is the log-formats a Decoder was given. It is built anew by
// each AddLogFormat and never changed after, so that Decode can read it
// from several goroutines without a lock.
type formatSet struct {
	entries    []formatEntry  // frontend formats in the order added, then the ""-formats
	byFrontend map[string]int // frontend name → index in entries
	// byFrontendErr: frontend name → index of its error-log-format.
	byFrontendErr map[string]int
	// few: byFrontend as a list, when it has at most 8 names: comparing
	// a few strings beats hashing one (owns cost 240 instructions a line with the map).
	few []frontendFormat
}

type frontendFormat struct {
	name string
	i    int
}

type formatEntry struct {
	f     *LogFormat
	label string // "log-format of fe_api", "log-format 2"
	any   bool   // added for any frontend ("")
	// errors: an error-log-format, whose lines are connection errors.
	errors bool
}

// formatHit is the entry's memory of the format that read its last line.
type formatHit struct {
	set *formatSet
	i   int
}

// AddLogFormat makes Decode read the lines of frontend with f. frontend ""
// means any frontend (a format pasted without saying whose it is). Call it
// while configuring, before decoding; Decode may then run concurrently.
//
// Decode then tries, in order: the format that read the entry's last line,
// the frontends' formats (a line whose frontend has another format is left
// to that one), the ""-formats, the built-in formats, and the events. A
// line none reads is unknown, with the reason of the format that read it
// furthest.
func (d *Decoder) AddLogFormat(frontend string, f *LogFormat) {
	if f == nil {
		return
	}
	set, anys := d.formats.rebuild()
	if frontend == "" {
		found := false
		for _, ent := range anys {
			found = found || ent.f.src == f.src
		}
		if !found {
			anys = append(anys, formatEntry{f: f, any: true, label: "log-format " + strconv.Itoa(len(anys)+1)})
		}
	} else {
		i := -1
		for k, ent := range set.entries {
			if ent.f.src == f.src {
				i = k
			}
		}
		if i < 0 {
			i = len(set.entries)
			set.entries = append(set.entries, formatEntry{f: f, label: "log-format of " + frontend})
		}
		set.byFrontend[frontend] = i
	}
	set.entries = append(set.entries, anys...)
	set.listFew()
	d.formats = set
}

// AddErrorLogFormat makes Decode read frontend's connection errors (SSL
// handshake, PROXY header) with f, its error-log-format: the lines are
// events of kind connection_error, as HAProxy's default error line is.
func (d *Decoder) AddErrorLogFormat(frontend string, f *LogFormat) {
	if f == nil || frontend == "" {
		return
	}
	set, anys := d.formats.rebuild()
	set.byFrontendErr[frontend] = len(set.entries)
	set.entries = append(set.entries, formatEntry{f: f, errors: true, label: "error-log-format of " + frontend})
	set.entries = append(set.entries, anys...)
	set.listFew()
	d.formats = set
}

// rebuild copies old's frontend entries and maps into a new set, and
// returns its ""-formats apart, to be appended after the new entry.
func (old *formatSet) rebuild() (*formatSet, []formatEntry) {
	set := &formatSet{byFrontend: map[string]int{}, byFrontendErr: map[string]int{}}
	if old == nil {
		return set, nil
	}
	var anys []formatEntry
	for _, ent := range old.entries {
		if ent.any {
			anys = append(anys, ent)
		} else {
			set.entries = append(set.entries, ent)
		}
	}
	for fe, i := range old.byFrontend {
		set.byFrontend[fe] = i
	}
	for fe, i := range old.byFrontendErr {
		set.byFrontendErr[fe] = i
	}
	return set, anys
}

// failure is where the format that read a line furthest stopped.
type failure struct {
	ent  *formatEntry
	node int
	why  string
	pos  int
}

// decodeCustom reads body with the configured formats. On failure the
// entry is left as the framing made it, and the closest failure returned.
func (d *Decoder) decodeCustom(e *Entry, body []byte, loc *time.Location) (bool, failure) {
	set := d.formats
	best := failure{pos: -1}
	framed := e.Header
	first := -1
	if h := e.lastFormat; h.set == set && h.i < len(set.entries) {
		first = h.i
	}
	for k := -1; k < len(set.entries); k++ {
		i := k
		if k < 0 {
			if i = first; i < 0 {
				continue
			}
		} else if k == first {
			continue
		}
		ent := &set.entries[i]
		node, why, pos := ent.f.scan(e, body, loc)
		if node < 0 {
			if set.owns(ent, i, string(e.Frontend)) {
				e.Type = ent.f.typ
				if e.Type == LogTCP && ent.f.status && e.Status > 0 {
					e.Type = LogHTTP // {"status":%ST,...}: an HTTP line all the same
				}
				e.untimed = ent.f.untimed
				if ent.errors {
					e.Type, e.Event = LogEvent, EventConnectionError
				}
				e.lastFormat = formatHit{set, i}
				return true, failure{}
			}
			node, why, pos = len(ent.f.nodes), "the frontend has a log-format of its own", 0
		}
		if pos > best.pos {
			best = failure{ent: ent, node: node, why: why, pos: pos}
		}
		e.resetBody(&framed)
	}
	return false, best
}

// owns says whether entry i may read a line of frontend fe: a format that
// does not write the frontend may; one that does, only a frontend with no
// log-format of its own or its own frontend's lines; an error-log-format,
// only its own frontend's.
func (set *formatSet) owns(ent *formatEntry, i int, fe string) bool {
	if !ent.f.frontend {
		return true
	}
	if ent.errors {
		k, known := set.byFrontendErr[fe]
		return known && k == i
	}
	j, known := set.frontendFormat(fe)
	return !known || j == i
}

// frontendFormat is byFrontend[fe].
func (set *formatSet) frontendFormat(fe string) (int, bool) {
	if len(set.byFrontend) > len(set.few) {
		j, known := set.byFrontend[fe]
		return j, known
	}
	for _, f := range set.few {
		if f.name == fe {
			return f.i, true
		}
	}
	return 0, false
}

// listFew fills few from byFrontend when it is short.
func (set *formatSet) listFew() {
	set.few = nil
	if len(set.byFrontend) <= 8 {
		for name, i := range set.byFrontend {
			set.few = append(set.few, frontendFormat{name, i})
		}
	}
}

// resetBody clears what a format that failed half-way left in the entry,
// keeping the line and its framing.
//
// The Header is as the framing left it: a format sets no field there
// (%H and %pid only fill in what the framing left out, which this undoes).
func (e *Entry) resetBody(framed *Header) {
	e.clearBody(false)
	e.Header = *framed
}

// record says where the closest format stopped:
// `log-format of fe_api: at " srv=": got "x"`.
func (f failure) record(p *ParseError, body []byte) {
	if f.ent == nil {
		*p = ParseError{Reason: "no log-format read the line"}
		return
	}
	lf := f.ent.f
	where := "the end of the format"
	if f.node < len(lf.nodes) {
		n := &lf.nodes[f.node]
		where = n.describe()
		if n.kind == nodeText && f.node > 0 && lf.nodes[f.node-1].kind == nodeSep && f.pos > 0 && body[f.pos-1] == ' ' {
			// Show the separator with the text: at " srv=".
			where, f.pos = strconv.Quote(" "+n.text), f.pos-1
		}
	}
	var got []byte
	if f.pos < len(body) {
		got = body[f.pos:min(len(body), f.pos+48)]
	}
	why := f.why
	if why == "want the text" {
		why = ""
	}
	*p = ParseError{Func: f.ent.label, At: where, Reason: why, Input: got}
}

// describe names a node for messages: its text quoted, or the variable as
// the format writes it.
func (n *lfNode) describe() string {
	switch n.kind {
	case nodeText:
		return strconv.Quote(n.text)
	case nodeSep:
		return "a space"
	}
	if n.v == varSample {
		return "%[" + n.expr + "]"
	}
	return "%" + varTable[n.v].name
}
