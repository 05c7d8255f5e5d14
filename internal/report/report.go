// Package report reads a stream of decoded HAProxy lines once and sums it up
// for a person: per backend and server the requests, status classes,
// termination states and timer percentiles, the slowest URLs, and the
// outages, flapping servers and reloads that the state tracker marked.
//
// It only counts: decoding is the decode package's, the state across lines
// the state package's, and writing the result (text, JSON, HTML) is done by
// the Write functions from a Summary.
package report

import (
	"strings"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// Limits that keep a report's memory bounded on any input.
const (
	MaxBackends = 10_000  // more distinct backend names are counted as "(other)"
	MaxServers  = 10_000  // per backend, likewise
	MaxURLs     = 100_000 // distinct URL paths followed for the slowest URLs
	MaxReasons  = 100     // distinct parse errors kept for the unknown lines
)

// maxTokens bounds the look-up of servers by their lines' "backend/server"
// (past it, the names are looked up one by one).
const maxTokens = 10_000

// OtherName collects what is over a limit.
const OtherName = "(other)"

// Report accumulates lines. The zero value is not ready: use New.
type Report struct {
	lines    Lines
	backends map[string]*backend
	byToken  map[string]*server // by the line's "backend/server" (see server)
	recent   *recent[server]    // the same, the last ones found (recent.go)
	urls     urlTable
	unknown  map[string]*unknownReason
	events   eventLog
	first    time.Time
	last     time.Time
	// TopURLs is how many of the slowest URLs the summary lists.
	TopURLs int
}

// New returns an empty report.
func New() *Report {
	return &Report{
		backends: make(map[string]*backend),
		byToken:  make(map[string]*server),
		recent:   new(recent[server]),
		urls:     urlTable{byPath: make(map[string]*urlStat), recent: new(recent[urlStat])},
		unknown:  make(map[string]*unknownReason),
		TopURLs:  10,
	}
}

// backend is one backend (or frontend, for requests that never reached a
// backend: HAProxy logs them as fe/<NOSRV>).
type backend struct {
	name    string
	servers map[string]*server
	series  series
}

// server is one server of a backend: halog -srv's row, and more.
type server struct {
	name     string
	backend  *backend
	requests int64
	classes  [6]int64           // 1xx..5xx at [1..5], anything else (-1, invalid) at [0]
	codes    [600]int64         // statuses 100 to 599 (an index, not a map look-up, per line)
	statuses map[int]*int64     // the others (-1, invalid)
	ok       int64              // every timer reached (halog's req_ok)
	terms    map[termKey]*int64 // by termination state, packed
	timers   [numTimers]timer
	// split is len(backend name) when the names are the server's own,
	// -1 for the servers past the limits ("(other)"): the length of the
	// backend's half of a "backend/server" token that finds this server.
	split int
}

// The timers followed, in the order they are shown.
const (
	timerTa = iota
	timerTr
	timerTw
	timerTc
	numTimers
)

var timerNames = [numTimers]string{"Ta", "Tr", "Tw", "Tc"}

// Count adds a line to the sums that do not depend on the lines' order:
// several Reports can Count parts of a stream in parallel and be merged
// (Merge) into the one that Follows it.
func (r *Report) Count(e *decode.Entry) {
	r.lines.Total++
	switch e.Type {
	case decode.LogUnknown:
		r.lines.Unknown++
		return
	case decode.LogEvent:
		r.lines.Event++
		r.seen(e.HeaderTime, e.HeaderTimeOK)
		return
	case decode.LogHTTP:
		r.lines.HTTP++
	case decode.LogHTTPS:
		r.lines.HTTPS++
	case decode.LogTCP:
		r.lines.TCP++
	case decode.LogCLF:
		r.lines.CLF++
	}
	r.addTraffic(e)
}

// when is the time of a line: its request (accept) date, else its header's.
func when(e *decode.Entry) (time.Time, bool) {
	if e.RequestDateOK {
		return e.RequestDate, true
	}
	return e.HeaderTime, e.HeaderTimeOK
}

func (r *Report) seen(t time.Time, ok bool) {
	if !ok {
		return
	}
	if r.first.IsZero() || t.Before(r.first) {
		r.first = t
	}
	if t.After(r.last) {
		r.last = t
	}
}

func (r *Report) addTraffic(e *decode.Entry) {
	at, atOK := when(e)
	r.seen(at, atOK)
	s := r.server(e.Backend, e.Server)
	b := s.backend
	s.requests++
	http := e.Type != decode.LogTCP
	if http {
		s.classes[statusClass(e.Status)]++
		if e.Status >= 100 && e.Status < len(s.codes) {
			s.codes[e.Status]++
		} else {
			count(s.statuses, e.Status)
		}
	}
	complete := e.Tw >= 0 && e.Tc >= 0 && e.Ta >= 0
	if http {
		complete = complete && e.TR >= 0 && e.Tr >= 0
	}
	if complete {
		s.ok++
	}
	if len(e.TermState) > 0 {
		if k, ok := packTerm(e.TermState); ok {
			countTerm(s.terms, k)
		}
	}
	s.timers[timerTa].record(e.Ta)
	s.timers[timerTr].record(e.Tr)
	s.timers[timerTw].record(e.Tw)
	s.timers[timerTc].record(e.Tc)
	if atOK && e.Ta >= 0 {
		b.series.add(at, e.Ta)
	}
	if http {
		r.urls.add(e)
	}
}

// statusClass is halog's: the first digit when it is 1 to 5, else 0.
func statusClass(status int) int {
	if status >= 100 && status < 600 {
		return status / 100
	}
	return 0
}

// server is the server of a line. A traffic line writes them as one
// token, "backend/server", which the entry's two names are the halves of:
// one look-up of the token (7 % of the report's CPU was the two maps'),
// else a look-up of each. (One of "backend\x00server" built per line
// measured slower than two.)
func (r *Report) server(backendName, serverName []byte) *server {
	tok, ok := token(backendName, serverName)
	if !ok || len(tok) > maxRecentKey {
		return r.serverByToken(tok, ok, backendName, serverName)
	}
	// The same token may split at another '/' (a custom format's names):
	// the backend's length tells.
	sl := r.recent.slot(tok)
	if sl.holds(tok) && sl.v.split == len(backendName) {
		return sl.v
	}
	s := r.serverByToken(tok, ok, backendName, serverName)
	if s.split == len(backendName) {
		sl.keep(tok, s)
	}
	return s
}

// serverByToken is server without the table of recent ones.
func (r *Report) serverByToken(tok []byte, ok bool, backendName, serverName []byte) *server {
	if ok {
		if s, found := r.byToken[string(tok)]; found && s.split == len(backendName) {
			return s
		}
	}
	s := r.backend(backendName).server(serverName)
	if ok && s.split == len(backendName) && len(r.byToken) < maxTokens {
		r.byToken[string(tok)] = s
	}
	return s
}

// token is "backend/server" when the names are the halves of it in the
// line: the server right after the backend and a '/'.
func token(backendName, serverName []byte) ([]byte, bool) {
	n := len(backendName)
	if n == 0 || len(serverName) == 0 || cap(backendName) < n+1+len(serverName) {
		return nil, false
	}
	tok := backendName[:n+1+len(serverName)]
	return tok, tok[n] == '/' && &tok[n+1] == &serverName[0]
}

func (r *Report) backend(name []byte) *backend {
	if b, ok := r.backends[string(name)]; ok {
		return b
	}
	n := string(name)
	if len(r.backends) >= MaxBackends {
		n = OtherName
		if b, ok := r.backends[n]; ok {
			return b
		}
	}
	b := &backend{name: n, servers: make(map[string]*server)}
	r.backends[n] = b
	return b
}

func (b *backend) server(name []byte) *server {
	if s, ok := b.servers[string(name)]; ok {
		return s
	}
	n := string(name)
	if len(b.servers) >= MaxServers {
		n = OtherName
		if s, ok := b.servers[n]; ok {
			return s
		}
	}
	s := &server{name: n, backend: b, statuses: make(map[int]*int64), terms: make(map[termKey]*int64), split: -1}
	if n == string(name) && b.name != OtherName {
		s.split = len(b.name) // the line's names are this server's own
	}
	b.servers[n] = s
	return s
}

// termKey is a termination state of 1 to 4 bytes packed into a number:
// a map look-up by it is cheaper than by string, on every line.
type termKey uint32

// packTerm packs ts (HAProxy writes 2 or 4 characters; anything up to 4
// is kept as written, longer is not a termination state).
func packTerm(ts []byte) (termKey, bool) {
	if len(ts) == 0 || len(ts) > 4 {
		return 0, false
	}
	var k termKey
	for i := range 4 {
		k <<= 8
		if i < len(ts) {
			k |= termKey(ts[i])
		}
	}
	return k, true
}

func (k termKey) String() string {
	b := []byte{byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)}
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return string(b)
}

func countTerm(m map[termKey]*int64, k termKey) {
	if p, ok := m[k]; ok {
		*p++
		return
	}
	one := int64(1)
	m[k] = &one
}

func count(m map[int]*int64, key int) {
	if p, ok := m[key]; ok {
		*p++
		return
	}
	one := int64(1)
	m[key] = &one
}

// unknownReason is one parse error with how often it was seen and the first
// line that had it.
type unknownReason struct {
	count   int64
	example string
}

// Follow takes what depends on the lines' order, from lines given in
// order: the first line of each parse error, and the outages, flapping
// servers and reloads that the state tracker (package state, which must
// have Observed e) marked. received is when a line without a time of its
// own was read, as given to the tracker.
func (r *Report) Follow(e *decode.Entry, received time.Time) {
	if e.Type == decode.LogUnknown {
		r.addUnknown(e)
		return
	}
	r.followState(e, received)
}

func (r *Report) addUnknown(e *decode.Entry) {
	var buf [256]byte
	text := e.ParseError.Append(buf[:0])
	if u, ok := r.unknown[string(text)]; ok { // no copy for the look-up
		u.count++
		return
	}
	reason := string(text)
	if len(r.unknown) >= MaxReasons {
		reason = OtherName
		if u, ok := r.unknown[reason]; ok {
			u.count++
			return
		}
	}
	r.unknown[reason] = &unknownReason{count: 1, example: exampleLine(e.Message)}
}

// exampleLine keeps the start of a line, valid UTF-8, for showing.
func exampleLine(b []byte) string {
	const keep = 300
	if len(b) > keep {
		b = b[:keep]
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
