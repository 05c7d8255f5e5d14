package output

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// LineSink writes each document followed by '\n': a sink.LineWriter, to
// which an Instance writes as it encodes. Write, for a whole batch, holds
// the same mutex, so concurrent writers never interleave.
type LineSink struct {
	mu    sync.Mutex
	w     io.Writer
	buf   []byte
	close func() error
	name  string
}

// NewLineSink writes to w; closeFn (may be nil) runs on Close.
func NewLineSink(w io.Writer, name string, closeFn func() error) *LineSink {
	return &LineSink{w: w, name: name, close: closeFn}
}

// NewStdoutSink writes JSON lines to os.Stdout.
func NewStdoutSink() *LineSink { return NewLineSink(os.Stdout, "stdout", nil) }

// NewFileSink appends JSON lines to path (created if missing).
func NewFileSink(path string) (*LineSink, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("haproxy: cannot open File %q: %w", path, err)
	}
	return NewLineSink(f, path, func() error {
		err := f.Sync()
		if errors.Is(err, syscall.EINVAL) {
			err = nil // not a file that can be synced: /dev/null, a pipe
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}), nil
}

// Lock holds the sink for one chunk's lines (sink.LineWriter).
func (s *LineSink) Lock() io.Writer {
	s.mu.Lock()
	return s.w
}

// Unlock ends the chunk.
func (s *LineSink) Unlock() { s.mu.Unlock() }

// Name is "stdout" or the file's path.
func (s *LineSink) Name() string { return s.name }

// lineChunk is how many bytes Write gathers per write call.
const lineChunk = 64 << 10

// Write writes the batch under the lock, a few documents per write call. A
// write error asks for a retry of the whole chunk (documents of a partial
// write may then appear twice).
func (s *LineSink) Write(b *sink.Batch) sink.Result {
	if len(b.Docs) == 0 {
		return sink.Result{Code: sink.OK}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	buf := s.buf[:0]
	var err error
	for i := range b.Docs {
		buf = append(append(buf, b.Docs[i].JSON...), '\n')
		if len(buf) >= lineChunk || i == len(b.Docs)-1 {
			if _, err = s.w.Write(buf); err != nil {
				break
			}
			buf = buf[:0]
		}
	}
	if cap(buf) <= 4*lineChunk {
		s.buf = buf
	} else {
		s.buf = nil
	}
	if err != nil {
		return sink.Result{Code: sink.Retry, Retryable: len(b.Docs),
			Err: fmt.Errorf("writing %d records to %s: %w", len(b.Docs), s.name, err)}
	}
	return sink.Result{Code: sink.OK, Delivered: len(b.Docs)}
}

// Close closes the file (after syncing it).
func (s *LineSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.close == nil {
		return nil
	}
	err := s.close()
	s.close = nil
	return err
}
