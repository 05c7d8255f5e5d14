package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

// lineReader hands the lines of an input to a function, one at a time,
// reusing its buffers: the decoding command reads its inputs so. The
// report's workers read them in blocks (chunks), into the same lines
// (TestChunksAsLineReader).
type lineReader struct {
	stderr io.Writer
	long   []byte // a line longer than the reader's buffer, accumulated
}

// each calls fn on every line of r, with its newline (the decoder drops
// it) when it has one. An empty line is
// a line (it decodes as unknown); the empty "line" after a final newline is
// not. The slice is valid only during the call. A read error ends this
// input (readErr); an error from fn ends it too and is returned as fnErr.
func (lr *lineReader) each(r io.Reader, name string, fn func(line []byte) error) (readErr, fnErr error) {
	br := bufio.NewReaderSize(r, 64<<10)
	lineNo := 0
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			line, err = lr.readLong(br, line, name, lineNo+1)
		}
		if len(line) > 0 {
			lineNo++
			if ferr := fn(line); ferr != nil {
				return nil, ferr
			}
		}
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err), nil
		}
	}
}

// readLong accumulates a line longer than the reader's buffer, keeping its
// first MaxLine bytes.
func (lr *lineReader) readLong(br *bufio.Reader, first []byte, name string, lineNo int) ([]byte, error) {
	lr.long = append(lr.long[:0], first...)
	skipped := 0
	for {
		more, err := br.ReadSlice('\n')
		if room := MaxLine - len(lr.long); room > 0 {
			keep := min(room, len(more))
			lr.long = append(lr.long, more[:keep]...)
			skipped += len(more) - keep
		} else {
			skipped += len(more)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if skipped > 0 {
			// Keep the newline out of the count, and out of the record.
			if len(more) > 0 && more[len(more)-1] == '\n' {
				skipped--
			}
			fmt.Fprintf(lr.stderr, "haproxy-decode: %s:%d: line longer than %d bytes: kept the first %d, skipped %d\n",
				name, lineNo, MaxLine, len(lr.long), skipped)
		}
		return lr.long, err
	}
}

// eachInput calls read on every named file in turn ("-": stdin; no name at
// all: stdin alone). A file that cannot be opened, or whose read fails
// (read's readErr), is reported on stderr and makes status 1; the other
// files are still read. An error from read's fnErr (a write error) stops
// everything and is returned.
func eachInput(files []string, stdin io.Reader, stderr io.Writer,
	read func(r io.Reader, label string) (readErr, fnErr error)) (status int, fnErr error) {
	if len(files) == 0 {
		files = []string{"-"}
	}
	for _, name := range files {
		var r io.Reader = stdin
		var f *os.File
		label := "standard input"
		if name != "-" {
			var err error
			if f, err = os.Open(name); err != nil {
				fmt.Fprintf(stderr, "haproxy-decode: %v\n", err)
				status = 1
				continue
			}
			r, label = f, name
		}
		readErr, ferr := read(r, label)
		if f != nil {
			f.Close()
		}
		if ferr != nil {
			return status, ferr
		}
		if readErr != nil {
			fmt.Fprintf(stderr, "haproxy-decode: %v\n", readErr)
			status = 1
		}
	}
	return status, nil
}
