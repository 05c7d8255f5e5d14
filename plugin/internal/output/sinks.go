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

// LineSink writes each document followed by '\n'. A batch is written in one
// Write call under a mutex, so concurrent flushes never interleave.
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

// Write writes the batch in one call. A write error asks for a retry of the
// whole chunk (documents of a partial write may then appear twice).
func (s *LineSink) Write(b *sink.Batch) sink.Result {
	if len(b.Docs) == 0 {
		return sink.Result{Code: sink.OK}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	buf := s.buf[:0]
	for i := range b.Docs {
		buf = append(buf, b.Docs[i].JSON...)
		buf = append(buf, '\n')
	}
	_, err := s.w.Write(buf)
	if cap(buf) <= 8<<20 {
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
