package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
)

// chunks reads the inputs for the report's workers: each worker, under
// the lock, reads the next block of whole lines straight into its own
// buffer, so that a line's bytes are on the core that decodes it (a reader
// goroutine copying them into blocks for the workers cost a core-to-core
// transfer per line, and its time was on the critical path).
//
// The lines are lineReader.each's, with eachInput's messages: split at
// '\n', an empty line is a line, the empty "line" after a final newline is
// not, a line is kept up to MaxLine bytes, the rest skipped with a warning.
type chunks struct {
	mu     sync.Mutex
	stdin  io.Reader
	stderr io.Writer
	files  []string // inputs not opened yet

	r      io.Reader // the input being read; nil between inputs
	f      *os.File  // r's file, to close (nil for standard input)
	label  string
	lineNo int    // lines of r handed out
	carry  []byte // the start of r's next line: read, not handed out yet
	skip   []byte // scratch for the skipped part of a long line

	status int           // eachInput's: 1 when an input could not be opened or read
	last   chan struct{} // the followed channel of the block handed out last
}

// chunkBytes is how much a block reads at once: about 360 of the bench's
// lines, whose entries (0.8 MB) stay in the core's cache between decoding
// and following them. Measured on the 1M-line bench (CPU best, A/B
// interleaved): 16 KB 0.66 s, 32 KB 0.63 s, 64 KB 0.60 s, 128 KB 0.63 s,
// 256 KB 0.64 s.
const chunkBytes = 64 << 10

func newChunks(files []string, stdin io.Reader, stderr io.Writer) *chunks {
	if len(files) == 0 {
		files = []string{"-"}
	}
	return &chunks{files: files, stdin: stdin, stderr: stderr}
}

// next fills b.buf with the next whole lines (each with its newline, but
// for an input's last line without one and a long line's kept part) and
// gives b its place in the order. false: no input is left.
func (c *chunks) next(b *block) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.read(b) {
		return false
	}
	b.turn, b.followed = c.last, make(chan struct{})
	c.last = b.followed
	c.lineNo += bytes.Count(b.buf, []byte{'\n'})
	if len(b.buf) > 0 && b.buf[len(b.buf)-1] != '\n' {
		c.lineNo++
	}
	return true
}

// read reads into b.buf until it holds a newline, the end of an input or
// MaxLine bytes of one line.
func (c *chunks) read(b *block) bool {
	buf := append(b.buf[:0], c.carry...)
	c.carry = c.carry[:0]
	defer func() { b.buf = buf }()
	// Lines carried over whole (after a long line) go first.
	if nl := bytes.LastIndexByte(buf, '\n'); nl >= 0 {
		c.carry = append(c.carry, buf[nl+1:]...)
		buf = buf[:nl+1]
		return true
	}
	for {
		if c.r == nil {
			if len(buf) > 0 { // an input's last line, without a newline
				return true
			}
			if !c.open() {
				return false
			}
		}
		if cap(buf)-len(buf) < chunkBytes {
			buf = append(buf, make([]byte, chunkBytes+len(buf))...)[:len(buf)]
		}
		from := len(buf)
		n, err := c.r.Read(buf[from : from+chunkBytes])
		buf = buf[:from+n]
		// buf holds one line so far: its first newline, if any, is new.
		first := bytes.IndexByte(buf[from:], '\n')
		switch {
		case first >= 0 && from+first >= MaxLine:
			first += from
			c.carry = append(c.carry, buf[first+1:]...)
			c.longLine(first - MaxLine)
			buf = buf[:MaxLine]
		case first >= 0:
			if err == nil { // the input's last line waits for its end
				nl := from + bytes.LastIndexByte(buf[from:], '\n')
				c.carry = append(c.carry, buf[nl+1:]...)
				buf = buf[:nl+1]
			}
		case len(buf) >= MaxLine:
			if err != nil {
				if len(buf) > MaxLine {
					c.longLine(len(buf) - MaxLine)
				}
				buf = buf[:MaxLine]
				break
			}
			c.skipLong(len(buf) - MaxLine)
			buf = buf[:MaxLine]
		case err == nil:
			continue // no newline yet
		}
		if err != nil {
			c.end(err)
			if len(buf) == 0 {
				continue
			}
		}
		return true
	}
}

// skipLong skips the rest of a line of which MaxLine bytes, and skipped
// more, were read, up to its newline.
func (c *chunks) skipLong(skipped int) {
	if c.skip == nil {
		c.skip = make([]byte, chunkBytes)
	}
	for {
		n, err := c.r.Read(c.skip)
		if i := bytes.IndexByte(c.skip[:n], '\n'); i >= 0 {
			c.carry = append(c.carry, c.skip[i+1:n]...)
			c.longLine(skipped + i)
			if err != nil {
				c.end(err)
			}
			return
		}
		skipped += n
		if err != nil {
			if skipped > 0 {
				c.longLine(skipped)
			}
			c.end(err)
			return
		}
	}
}

// longLine warns of the line being handed out (lineReader.readLong's
// message): one with a newline after MaxLine bytes is reported even when
// nothing but the newline was skipped.
func (c *chunks) longLine(skipped int) {
	fmt.Fprintf(c.stderr, "haproxy-decode: %s:%d: line longer than %d bytes: kept the first %d, skipped %d\n",
		c.label, c.lineNo+1, MaxLine, MaxLine, skipped)
}

// open opens the next input (eachInput's order and messages).
func (c *chunks) open() bool {
	for len(c.files) > 0 {
		name := c.files[0]
		c.files = c.files[1:]
		c.lineNo = 0
		if name == "-" {
			c.r, c.f, c.label = c.stdin, nil, "standard input"
			return true
		}
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(c.stderr, "haproxy-decode: %v\n", err)
			c.status = 1
			continue
		}
		c.r, c.f, c.label = f, f, name
		return true
	}
	return false
}

// end closes the input being read; err is what its last read returned.
func (c *chunks) end(err error) {
	if c.f != nil {
		c.f.Close()
	}
	if err != io.EOF {
		fmt.Fprintf(c.stderr, "haproxy-decode: read %s: %v\n", c.label, err)
		c.status = 1
	}
	c.r, c.f = nil, nil
}
