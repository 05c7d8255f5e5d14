// Package chunk reads the msgpack chunks that Fluent Bit hands to an output
// plugin, without copying and without reflection.
//
// A chunk is a run of records with no outer array. Two record layouts exist:
//
//	[[EventTime, {metadata}], {body}]   Fluent Bit ≥ 2.1
//	[EventTime, {body}]                 older layout, still produced by some inputs
//
// EventTime is msgpack extension type 0 holding 8 bytes (uint32 seconds,
// uint32 nanoseconds, big-endian); integer and float timestamps (seconds) are
// accepted too. Records whose timestamp seconds are -1 or -2 are group
// markers (Fluent Bit ≥ 3.1): they are returned with Group set so that the
// caller skips them.
//
// Every slice handed out points into the chunk: it is valid as long as the
// chunk's bytes are (for a Fluent Bit flush: during the call only).
package chunk

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/tinylib/msgp/msgp"
)

// Group marker kinds (Record.Group).
const (
	GroupNone  = 0
	GroupStart = -1 // FLB_LOG_EVENT_GROUP_START
	GroupEnd   = -2 // FLB_LOG_EVENT_GROUP_END
)

// Record is one record of a chunk. Its slices point into the chunk.
type Record struct {
	Index  int       // position in the chunk, from 0 (group markers included)
	Offset int       // byte offset of the record in the chunk
	Time   time.Time // event time (zero for a nil timestamp)
	Group  int       // GroupNone, or GroupStart / GroupEnd for a group marker
	Meta   []byte    // raw msgpack metadata (a map), nil in the old layout
	Body   []byte    // raw msgpack body (a map)
	Raw    []byte    // the whole record
}

// IsGroupMarker reports whether the record opens or closes a group.
func (r *Record) IsGroupMarker() bool { return r.Group != GroupNone }

// Error describes a chunk that cannot be read.
type Error struct {
	Index   int    // index of the offending record
	Offset  int    // byte offset where that record starts
	At      int    // byte offset where reading failed
	Reason  string // what was wrong
	Excerpt []byte // up to 32 bytes of the record from Offset
}

func (e *Error) Error() string {
	return fmt.Sprintf("chunk: record %d at byte %d: %s (failed at byte %d; bytes: %s)",
		e.Index, e.Offset, e.Reason, e.At, hex.EncodeToString(e.Excerpt))
}

// ExcerptLen is the most bytes of a bad record quoted in an Error.
const ExcerptLen = 32

// Reader iterates over the records of a chunk. The zero value reads an
// empty chunk; Reset points it at another chunk without allocating.
type Reader struct {
	data []byte
	off  int
	rec  Record
	err  error
}

// NewReader returns a Reader over data.
func NewReader(data []byte) *Reader {
	r := &Reader{}
	r.Reset(data)
	return r
}

// Reset starts reading data from its beginning.
func (r *Reader) Reset(data []byte) {
	r.data, r.off, r.err = data, 0, nil
	r.rec = Record{Index: -1}
}

// Next reads the next record. It returns false at the end of the chunk or on
// an error (see Err).
func (r *Reader) Next() bool {
	if r.err != nil || r.off >= len(r.data) {
		return false
	}
	idx := r.rec.Index + 1
	start := r.off
	b := r.data[start:]
	rest, at, reason := parseRecord(b, &r.rec)
	if reason != "" {
		end := min(len(b), ExcerptLen)
		r.err = &Error{Index: idx, Offset: start, At: start + at, Reason: reason,
			Excerpt: append([]byte(nil), b[:end]...)}
		return false
	}
	rec := &r.rec
	rec.Index = idx
	rec.Offset = start
	rec.Raw = b[:len(b)-len(rest)]
	r.off = start + len(rec.Raw)
	return true
}

// Record returns the current record (valid until the next call to Next).
func (r *Reader) Record() *Record { return &r.rec }

// Err returns the error that stopped the iteration, nil at a clean end.
// It is a *Error.
func (r *Reader) Err() error { return r.err }

// Offset is the byte offset of the next record to read.
func (r *Reader) Offset() int { return r.off }

// parseRecord reads one record from b into rec (Time, Group, Meta, Body).
// On failure it returns the offset within b where reading failed and a
// reason.
func parseRecord(b []byte, rec *Record) (rest []byte, at int, reason string) {
	fail := func(p []byte, what string, err error) ([]byte, int, string) {
		if err != nil {
			what += ": " + errString(err)
		}
		return nil, len(b) - len(p), what
	}
	*rec = Record{}
	p, fast := fastHeader(b, rec)
	if !fast {
		var n uint32
		var err error
		n, p, err = msgp.ReadArrayHeaderBytes(b)
		if err != nil {
			return fail(b, "record is not an array", err)
		}
		if n != 2 {
			return fail(b, fmt.Sprintf("record is an array of %d elements, want 2", n), nil)
		}
		// Header: [EventTime, {meta}] or EventTime.
		if msgp.NextType(p) == msgp.ArrayType {
			hp := p
			m, q, err := msgp.ReadArrayHeaderBytes(p)
			if err != nil {
				return fail(p, "bad record header", err)
			}
			if m < 1 {
				return fail(hp, "empty record header", nil)
			}
			rec.Time, rec.Group, q, err = readTime(q)
			if err != nil {
				return fail(q, "bad timestamp", err)
			}
			if m >= 2 {
				if t := msgp.NextType(q); t != msgp.MapType && t != msgp.NilType {
					return fail(q, "metadata is not a map", nil)
				}
				end, err := skip(q)
				if err != nil {
					return fail(q, "bad metadata", err)
				}
				rec.Meta = q[:len(q)-len(end)]
				q = end
				for i := uint32(2); i < m; i++ {
					if q, err = msgp.Skip(q); err != nil {
						return fail(q, "bad record header", err)
					}
				}
			}
			p = q
		} else {
			rec.Time, rec.Group, p, err = readTime(p)
			if err != nil {
				return fail(p, "bad timestamp", err)
			}
		}
	}
	if msgp.NextType(p) != msgp.MapType {
		if len(p) == 0 {
			return fail(p, "record body missing", msgp.ErrShortBytes)
		}
		return fail(p, "record body is not a map", nil)
	}
	end, err := skip(p)
	if err != nil {
		return fail(p, "bad record body", err)
	}
	rec.Body = p[:len(p)-len(end)]
	return end, 0, ""
}

// fastHeader reads the header of [[EventTime, {meta}], {body}], what
// Fluent Bit writes, without msgp's general calls, and returns the bytes
// from the body on. ok is false for anything else (other layouts, errors),
// which parseRecord's general path reads or reports.
func fastHeader(b []byte, rec *Record) (rest []byte, ok bool) {
	if len(b) < 13 || b[0] != 0x92 || b[1] != 0x92 || b[2] != 0xd7 || b[3] != 0x00 {
		return nil, false
	}
	meta := b[12:]
	if msgp.NextType(meta) != msgp.MapType {
		return nil, false
	}
	rest, err := skip(meta)
	if err != nil {
		return nil, false
	}
	sec, nsec := binary.BigEndian.Uint32(b[4:]), binary.BigEndian.Uint32(b[8:])
	switch int32(sec) {
	case GroupStart, GroupEnd:
		rec.Group = int(int32(sec))
	default:
		rec.Time = time.Unix(int64(sec), int64(nsec))
	}
	rec.Meta = meta[:len(meta)-len(rest)]
	return rest, true
}

// skip is msgp.Skip with a fast path for a map of text keys and values
// (what records mostly are); anything else, including every error, is left
// to msgp.Skip.
func skip(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return msgp.Skip(b)
	}
	var n, hdr int
	switch c := b[0]; {
	case c >= 0x80 && c <= 0x8f: // fixmap
		n, hdr = int(c&0x0f), 1
	case c == 0xde && len(b) >= 3: // map16
		n, hdr = int(b[1])<<8|int(b[2]), 3
	case c == 0xdf && len(b) >= 5: // map32
		n, hdr = int(b[1])<<24|int(b[2])<<16|int(b[3])<<8|int(b[4]), 5
	default:
		return msgp.Skip(b)
	}
	p := b[hdr:]
	for i := 0; i < 2*n; i++ {
		size, ok := textSize(p)
		if !ok {
			return msgp.Skip(b)
		}
		p = p[size:]
	}
	return p, nil
}

func errString(err error) string {
	if errors.Is(err, msgp.ErrShortBytes) {
		return "truncated"
	}
	return err.Error()
}

var errBadTime = errors.New("timestamp is not an EventTime, integer or float")

// readTime reads a record timestamp and reports group markers.
func readTime(b []byte) (time.Time, int, []byte, error) {
	if len(b) == 0 {
		return time.Time{}, 0, b, msgp.ErrShortBytes
	}
	switch msgp.NextType(b) {
	case msgp.ExtensionType, msgp.TimeType:
		typ, data, rest, err := readExt(b)
		if err != nil {
			return time.Time{}, 0, b, err
		}
		if typ == 0 && len(data) == 8 {
			sec := binary.BigEndian.Uint32(data)
			nsec := binary.BigEndian.Uint32(data[4:])
			switch int32(sec) {
			case GroupStart, GroupEnd:
				return time.Time{}, int(int32(sec)), rest, nil
			}
			return time.Unix(int64(sec), int64(nsec)), 0, rest, nil
		}
		if t, ok := extTime(typ, data); ok {
			return t, 0, rest, nil
		}
		return time.Time{}, 0, b, errBadTime
	case msgp.IntType:
		i, rest, err := msgp.ReadInt64Bytes(b)
		if err != nil {
			return time.Time{}, 0, b, err
		}
		if i == GroupStart || i == GroupEnd {
			return time.Time{}, int(i), rest, nil
		}
		return time.Unix(i, 0), 0, rest, nil
	case msgp.UintType:
		u, rest, err := msgp.ReadUint64Bytes(b)
		if err != nil {
			return time.Time{}, 0, b, err
		}
		if u > math.MaxInt64 {
			return time.Time{}, 0, b, errBadTime
		}
		return time.Unix(int64(u), 0), 0, rest, nil
	case msgp.Float64Type, msgp.Float32Type:
		f, rest, err := msgp.ReadFloat64Bytes(b)
		if err != nil {
			return time.Time{}, 0, b, err
		}
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
			return time.Time{}, 0, b, errBadTime
		}
		if f == GroupStart || f == GroupEnd {
			return time.Time{}, int(f), rest, nil
		}
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e9))), 0, rest, nil
	case msgp.NilType:
		rest, err := msgp.ReadNilBytes(b)
		return time.Time{}, 0, rest, err
	}
	return time.Time{}, 0, b, errBadTime
}

// extTime decodes the msgpack timestamp extension (-1) in its three sizes.
func extTime(typ int8, data []byte) (time.Time, bool) {
	if typ != -1 {
		return time.Time{}, false
	}
	switch len(data) {
	case 4:
		return time.Unix(int64(binary.BigEndian.Uint32(data)), 0), true
	case 8:
		v := binary.BigEndian.Uint64(data)
		return time.Unix(int64(v&(1<<34-1)), int64(v>>34)), true
	case 12:
		return time.Unix(int64(binary.BigEndian.Uint64(data[4:])), int64(binary.BigEndian.Uint32(data))), true
	}
	return time.Time{}, false
}

// readExt reads an extension value without copying.
func readExt(b []byte) (typ int8, data, rest []byte, err error) {
	if len(b) < 1 {
		return 0, nil, b, msgp.ErrShortBytes
	}
	var size, hdr int
	switch b[0] {
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1, 2, 4, 8, 16
		size, hdr = 1<<(b[0]-0xd4), 2
	case 0xc7:
		if len(b) < 3 {
			return 0, nil, b, msgp.ErrShortBytes
		}
		size, hdr = int(b[1]), 3
	case 0xc8:
		if len(b) < 4 {
			return 0, nil, b, msgp.ErrShortBytes
		}
		size, hdr = int(binary.BigEndian.Uint16(b[1:])), 4
	case 0xc9:
		if len(b) < 6 {
			return 0, nil, b, msgp.ErrShortBytes
		}
		size, hdr = int(binary.BigEndian.Uint32(b[1:])), 6
	default:
		return 0, nil, b, msgp.InvalidPrefixError(b[0])
	}
	if len(b) < hdr || len(b)-hdr < size {
		return 0, nil, b, msgp.ErrShortBytes
	}
	return int8(b[hdr-1]), b[hdr : hdr+size], b[hdr+size:], nil
}
