package state

import (
	"hash/maphash"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// Fluent Bit retries a chunk that could not be delivered: its records come
// again, after later chunks perhaps. A record that changed the state (it
// started or ended an outage, brought a server back, made it flap, showed
// a reload) cannot change it again, so the tracker remembers what it wrote
// on the last replaySize events and writes the same on an event seen again
// (the same host, message and time). Traffic records only read the state
// (ongoing) and read it again, against the outage in progress and the last
// ones that ended (backendState.past): a request within the second of an
// outage's end (the precision of an RFC 3164 header) may read differently
// then. The line that showed a reload's new process is remembered by that
// process (process.first).

const replaySize = 1024

type replay struct {
	seed maphash.Seed
	ids  map[uint64]int // record id → slot in ring
	ring [replaySize]replayRec
	next int
}

type replayRec struct {
	id     uint64
	fields decode.StateFields
}

func (r *replay) init() {
	r.seed = maphash.MakeSeed()
	r.ids = make(map[uint64]int, replaySize)
}

// id names a record: its host, message and time.
func (r *replay) id(host []byte, e *decode.Entry, at time.Time) uint64 {
	var h maphash.Hash
	h.SetSeed(r.seed)
	h.Write(host)
	h.WriteByte(0)
	h.Write(e.Message)
	n := uint64(at.UnixNano())
	var b [8]byte
	for i := range b {
		b[i] = byte(n >> (8 * i))
	}
	h.Write(b[:])
	return h.Sum64()
}

// lookup writes onto e what was written on the record id, if it is one the
// tracker remembers.
func (r *replay) lookup(id uint64, e *decode.Entry) bool {
	slot, ok := r.ids[id]
	if !ok {
		return false
	}
	f := &r.ring[slot].fields
	down := append(e.State.ServersDown[:0], f.ServersDown...)
	e.State = *f
	e.State.ServersDown = down
	return true
}

// store remembers what was written on record id.
func (r *replay) store(id uint64, s *decode.StateFields) {
	rec := &r.ring[r.next]
	if rec.id != 0 || rec.fields.IsSet() {
		delete(r.ids, rec.id)
	}
	down := append(rec.fields.ServersDown[:0], s.ServersDown...)
	rec.id, rec.fields = id, *s
	rec.fields.ServersDown = down
	r.ids[id] = r.next
	r.next = (r.next + 1) % replaySize
}

// remembered: the events whose fields are remembered, all but those of
// connections (Connect from, connection errors), which can come at the
// rate of traffic and never touch the state. Remembering those that wrote
// nothing too makes a retry write nothing again, even where the order of
// lines within a second of a header's time decided it.
func remembered(e *decode.Entry) bool {
	return e.Event != decode.EventConnect && e.Event != decode.EventConnectionError
}
