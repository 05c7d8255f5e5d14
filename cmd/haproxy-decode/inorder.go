package main

import (
	"bytes"
	"io"
	"sync"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// Decoding is most of the report's time, and lines decode independently:
// blocks of lines are read, decoded and counted (into one partial report
// per worker) on every core. What needs the order (the state across lines,
// the outages the report lists) sees the lines one by one as if read
// alone: the worker that decoded a block also follows it, once the block
// before has been followed (a baton passed from block to block).
//
// A block stays on one core from its read to its follow: an entry is about
// 2.3 KB, and followed on another core each line's entry crossed between
// cores twice (to be followed, then back to be reused), which cost the
// 1M-line bench about 0.07 s of CPU.

// block is a run of consecutive lines and, once decoded, their entries
// (which point into buf).
type block struct {
	buf     []byte
	ends    []int // line i is buf[ends[i-1]:ends[i]]
	entries []decode.Entry
	now     time.Time // when it was decoded: the time a line without one was received
	// turn is closed once the block before this one has been followed (nil
	// for the first block); followed is closed once this one has.
	turn, followed chan struct{}
}

func (b *block) line(i int) []byte {
	start := 0
	if i > 0 {
		start = b.ends[i-1]
	}
	return b.buf[start:b.ends[i]]
}

// split finds the lines of buf (each ends after its newline; the last one
// may have none) and makes room for their entries.
func (b *block) split() {
	b.ends = b.ends[:0]
	for at := 0; at < len(b.buf); {
		i := bytes.IndexByte(b.buf[at:], '\n')
		if i < 0 {
			at = len(b.buf)
		} else {
			at += i + 1
		}
		b.ends = append(b.ends, at)
	}
	if n := len(b.ends); n > len(b.entries) {
		b.entries = append(b.entries, make([]decode.Entry, n-len(b.entries))...)
	}
}

// decodeInOrder reads the inputs as eachInput does. Worker w decodes
// blocks of lines (and explains their events) and calls count[w] on each
// entry, for what does not need the order; then inOrder is called on the
// entries of every block in input order, one call at a time (from the
// workers, in turn). It returns eachInput's status.
func decodeInOrder(files []string, stdin io.Reader, stderr io.Writer, dec *decode.Decoder,
	count []func(*decode.Entry), inOrder func(es []decode.Entry, received time.Time)) int {
	in := newChunks(files, stdin, stderr)
	var exp decode.Explainer
	var wg sync.WaitGroup
	for w := range count {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := &block{buf: make([]byte, 0, 2*chunkBytes)}
			for in.next(b) {
				b.split()
				b.now = time.Now()
				for i := range b.ends {
					e := &b.entries[i]
					dec.Decode(e, b.line(i), b.now)
					if e.Type == decode.LogEvent {
						// The tracker needs an event's explanation (the outage
						// flag); the report explains termination states once
						// per state, not per line. The Explainer keeps no
						// state: one is shared.
						exp.Explain(e)
					}
					count[w](e)
				}
				if b.turn != nil {
					<-b.turn
				}
				inOrder(b.entries[:len(b.ends)], b.now)
				close(b.followed)
			}
		}()
	}
	wg.Wait()
	return in.status
}
