package output

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// Logger is how an instance reports.
type Logger = sink.Logger

// FLBLogger writes in Fluent Bit's log style:
//
//	[2026/11/21 07:29:32] [ info] [output:haproxy:haproxy.0] message
type FLBLogger struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
	buf    []byte
}

// NewLogger returns a logger for instance index (haproxy.<index>) writing to
// w (os.Stderr when nil).
func NewLogger(w io.Writer, index int) *FLBLogger {
	if w == nil {
		w = os.Stderr
	}
	return &FLBLogger{w: w, prefix: fmt.Sprintf("[output:haproxy:haproxy.%d] ", index)}
}

func (l *FLBLogger) printf(level, format string, args []any) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buf[:0]
	b = append(b, '[')
	b = now.AppendFormat(b, "2006/01/02 15:04:05")
	b = append(b, "] ["...)
	b = append(b, level...)
	b = append(b, "] "...)
	b = append(b, l.prefix...)
	b = fmt.Appendf(b, format, args...)
	if len(b) == 0 || b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	_, _ = l.w.Write(b)
	if cap(b) <= 64<<10 {
		l.buf = b
	}
}

func (l *FLBLogger) Errorf(format string, args ...any) { l.printf("error", format, args) }
func (l *FLBLogger) Warnf(format string, args ...any)  { l.printf(" warn", format, args) }
func (l *FLBLogger) Infof(format string, args ...any)  { l.printf(" info", format, args) }
