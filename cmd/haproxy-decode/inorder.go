package main

import (
	"io"
	"sync"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// Decoding is most of the report's time, and lines decode independently:
// blocks of lines are decoded (and counted, into one partial report per
// worker) on every core. What needs the order (the state across lines, the
// outages the report lists) sees the lines one by one as if read alone:
// the worker that decoded a block also follows it, once the block before
// has been followed (a baton passed from block to block). An entry is
// about 2.3 KB: followed on another core, each line's entry crossed
// between cores twice (to be followed, then back to be reused), which cost
// the 1M-line bench about 0.1 s of CPU; now only the tracker's own state moves.

const (
	blockLines = 128      // lines in a block: few enough that its entries stay in the cache
	blockBytes = 64 << 10 // or about this many bytes, whichever comes first
)

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

// decodeInOrder reads the inputs as eachInput does. Worker w decodes
// blocks of lines (and explains their events) and calls count[w] on each
// entry, for what does not need the order; then inOrder is called on every
// entry in input order, one call at a time (from the workers, in turn). It
// returns eachInput's status.
func decodeInOrder(files []string, stdin io.Reader, stderr io.Writer, dec *decode.Decoder,
	count []func(*decode.Entry), inOrder func(e *decode.Entry, received time.Time)) int {
	workers := len(count)
	var exp decode.Explainer
	pool := make(chan *block, 2*workers+2) // bounds the memory: blocks in flight
	for range cap(pool) {
		pool <- &block{entries: make([]decode.Entry, blockLines)}
	}
	work := make(chan *block, cap(pool))

	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				b.now = time.Now()
				for i := range b.ends {
					dec.Decode(&b.entries[i], b.line(i), b.now)
					if e := &b.entries[i]; e.Type == decode.LogEvent {
						// The tracker needs an event's explanation (the outage
						// flag); the report explains termination states once
						// per state, not per line. The Explainer keeps no
						// state: one is shared.
						exp.Explain(e)
					}
					count[w](&b.entries[i])
				}
				if b.turn != nil {
					<-b.turn
				}
				for i := range b.ends {
					inOrder(&b.entries[i], b.now)
				}
				close(b.followed)
				pool <- b
			}
		}()
	}

	var cur *block
	var last chan struct{} // the followed channel of the block sent last
	send := func() {
		if cur != nil && len(cur.ends) > 0 {
			cur.turn, last = last, cur.followed
			work <- cur
			cur = nil
		}
	}
	lines := lineReader{stderr: stderr}
	status, _ := eachInput(files, stdin, stderr, func(r io.Reader, label string) (error, error) {
		return lines.each(r, label, func(line []byte) error {
			if cur == nil {
				cur = <-pool
				cur.buf, cur.ends, cur.followed = cur.buf[:0], cur.ends[:0], make(chan struct{})
			}
			cur.buf = append(cur.buf, line...)
			cur.ends = append(cur.ends, len(cur.buf))
			if len(cur.ends) == blockLines || len(cur.buf) >= blockBytes {
				send()
			}
			return nil
		})
	})
	send()
	close(work)
	wg.Wait()
	return status
}
