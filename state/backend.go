package state

import (
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// backendState is a backend of a host.
type backendState struct {
	host, name string
	// down are its servers that are down now, in the order they went down.
	down []string
	// outage is the outage in progress, nil when none; it points to cur,
	// which is reused from outage to outage.
	outage *outage
	cur    outage
	// since is when the last outage started or ended: a start older than
	// that is ignored.
	since time.Time
	// past are the last outages that ended, the newest first: a record
	// read late (a retried chunk) is still "ongoing" in its outage.
	past [4]pastOutage
}

type pastOutage struct {
	id         decode.OutageID
	start, end time.Time
}

type outage struct {
	id    decode.OutageID
	start time.Time
	// servers were down during the outage, in the order they went down.
	servers []string
}

// backend returns the state of host/name, made when create is true (else
// nil when not tracked).
func (t *Tracker) backend(host, name []byte, create bool) *backendState {
	k := t.buildKey(kindBackend, host, name)
	if n := t.table.get(k); n != nil {
		return n.backend
	}
	if !create {
		return nil
	}
	n := t.table.add(k)
	n.backend = &backendState{host: string(host), name: string(name)}
	return n.backend
}

// start reads a record that says the backend has no server left.
func (b *backendState) start(e *decode.Entry, host []byte, at time.Time) {
	if b.outage != nil {
		b.ongoing(e)
		return
	}
	if at.Before(b.since) {
		return // older than the end of the last outage
	}
	o := &b.cur
	o.id, o.start = outageID(host, b.name, at), at
	o.servers = append(o.servers[:0], b.down...)
	b.outage, b.since = o, at
	e.State.Outage, e.State.OutageID, e.State.OutageStart = decode.OutageStarted, o.id, at
}

// ongoing marks a record of the backend during its outage.
func (b *backendState) ongoing(e *decode.Entry) {
	e.State.Outage, e.State.OutageID = decode.OutageOngoing, b.outage.id
}

// ongoingAt marks a record of time at that falls within the outage in
// progress or a past one.
func (b *backendState) ongoingAt(e *decode.Entry, at time.Time) {
	// A request's date has milliseconds (truncated) where the header of
	// the line that started the outage may have microseconds (RFC 5424):
	// compare at the request's precision.
	trunc := time.Nanosecond
	if e.IsTraffic() {
		trunc = time.Millisecond
	}
	if o := b.outage; o != nil && !at.Before(o.start.Truncate(trunc)) {
		b.ongoing(e)
		return
	}
	for _, p := range b.past {
		if p.id != 0 && !at.Before(p.start.Truncate(trunc)) && at.Before(p.end) {
			e.State.Outage, e.State.OutageID = decode.OutageOngoing, p.id
			return
		}
	}
}

// end reads the record that brought a server back.
func (b *backendState) end(e *decode.Entry, at time.Time) {
	o := b.outage
	s := &e.State
	s.Outage, s.OutageID, s.OutageStart, s.OutageEnd = decode.OutageEnded, o.id, o.start, at
	s.OutageDuration = at.Sub(o.start).Milliseconds()
	s.ServersDown = append(s.ServersDown[:0], o.servers...)
	copy(b.past[1:], b.past[:])
	b.past[0] = pastOutage{id: o.id, start: o.start, end: at}
	b.outage, b.since = nil, at
}

// serverDown records that server went down (at the end of the list).
func (b *backendState) serverDown(server string) {
	b.down = appendOnce(b.down, server)
	if b.outage != nil {
		b.outage.servers = appendOnce(b.outage.servers, server)
	}
}

// serverUp takes server out of the list of down servers.
func (b *backendState) serverUp(server string) {
	for i, s := range b.down {
		if s == server {
			b.down = append(b.down[:i], b.down[i+1:]...)
			return
		}
	}
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// outageID names an outage after its host, backend and start (FNV-1a, 64
// bits), so that the same lines give the same id in the plugin and in the
// command. It is never 0 (no outage).
func outageID(host []byte, backend string, start time.Time) decode.OutageID {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for _, c := range host {
		h = (h ^ uint64(c)) * prime
	}
	h *= prime // the 0 between the parts
	for i := 0; i < len(backend); i++ {
		h = (h ^ uint64(backend[i])) * prime
	}
	h *= prime
	n := uint64(start.UnixNano())
	for i := 0; i < 8; i++ {
		h = (h ^ n>>(8*i)&0xff) * prime
	}
	if h == 0 {
		h = 1
	}
	return decode.OutageID(h)
}
