// Package sink is the contract between the plugin's flush path and its
// destinations (stdout, file, Elasticsearch).
package sink

import (
	"io"
	"time"
)

// Fluent Bit's return codes for a flush.
const (
	Error = 0 // drop the chunk (bad data): never retried
	OK    = 1
	Retry = 2 // deliver the same chunk again later
)

// Doc is one encoded record.
type Doc struct {
	JSON   []byte    // one JSON object, no trailing newline
	Time   time.Time // the record's event time (@timestamp), for dated index names
	Prefix []byte    // value of Logstash_Prefix_Key in the record, nil when absent
	ID     []byte    // value of Id_Key in the record, nil when absent
	// Source is the record's body as Fluent Bit sent it (msgpack), nil when
	// unknown. Generate_ID hashes it with Time rather than JSON, so that a
	// record keeps its _id when what we add to it changes between two
	// flushes of the same chunk (the outage state seen a second time).
	Source []byte
}

// Batch is one Fluent Bit chunk, encoded. Docs and the slices they hold are
// valid only during Write: a sink copies what it keeps.
type Batch struct {
	Tag  string
	Docs []Doc
	// Skipped counts records that produced no document (group markers).
	Skipped int
}

// Result accounts for every document of a batch.
type Result struct {
	Code      int // Error, OK or Retry for the whole chunk
	Delivered int // stored (or written) documents, including duplicates found already stored
	Retryable int // documents that failed for a transient reason (the chunk will be retried)
	Rejected  int // documents refused for good, logged with their reason
	Err       error
}

// Sink delivers batches. Write may be called from several goroutines at once
// (Fluent Bit "workers"); one batch's output must never interleave with
// another's.
type Sink interface {
	Write(b *Batch) Result
	Close() error
}

// Logger is how sinks report (the plugin prints in Fluent Bit's log style).
type Logger interface {
	Infof(format string, args ...any)
	Warnf(format string, args ...any)
	Errorf(format string, args ...any)
}

// LineWriter is a sink of JSON lines (stdout, file) that takes a chunk's
// documents as they are encoded rather than in one Batch, so that a flush's
// memory does not grow with its chunk. Lock returns the writer and holds
// the sink until Unlock: the flush holds it from its first write to its
// last, so that one chunk's lines never interleave with another's. A write
// error makes the flush ask for a retry (Retry).
type LineWriter interface {
	Sink
	Lock() io.Writer
	Unlock()
	Name() string // for messages: "stdout", the file's path
}

// PartSink is a sink that takes a chunk's documents in parts, as they are
// encoded, rather than in one Batch, so that a flush's memory does not grow
// with its chunk (Elasticsearch: the parts are built into _bulk requests of
// ES_Bulk_Size as they come). Begin starts one chunk.
type PartSink interface {
	Sink
	Begin(tag string) Part
}

// Part is one chunk in progress, used by one goroutine. Add's documents
// and their slices are valid only during the call. End gives the chunk's
// Result, every document added accounted for; the Part is not used after.
type Part interface {
	Add(docs []Doc)
	End() Result
}
