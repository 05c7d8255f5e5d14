package haproxyrun

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// syslogReceiver stores every UDP datagram it receives on 127.0.0.1.
type syslogReceiver struct {
	conn *net.UDPConn

	mu     sync.Mutex
	lines  [][]byte
	notify chan struct{} // closed and replaced when a line arrives

	stopping chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

func newSyslogReceiver() (*syslogReceiver, error) {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return nil, err
	}
	_ = conn.SetReadBuffer(4 << 20)
	r := &syslogReceiver{
		conn:     conn,
		notify:   make(chan struct{}),
		stopping: make(chan struct{}),
		done:     make(chan struct{}),
	}
	go r.loop()
	return r, nil
}

func (r *syslogReceiver) port() int { return r.conn.LocalAddr().(*net.UDPAddr).Port }

func (r *syslogReceiver) loop() {
	defer close(r.done)
	buf := make([]byte, 64<<10)
	for {
		_ = r.conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		n, _, err := r.conn.ReadFromUDP(buf)
		if n > 0 {
			// One datagram = one message; HAProxy ends it with "\n".
			line := bytes.Clone(bytes.TrimSuffix(buf[:n], []byte("\n")))
			r.mu.Lock()
			r.lines = append(r.lines, line)
			close(r.notify)
			r.notify = make(chan struct{})
			r.mu.Unlock()
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				// Queue empty: exit only once asked to stop.
				select {
				case <-r.stopping:
					return
				default:
					continue
				}
			}
			return // socket closed
		}
	}
}

// waitFor waits until a received line contains substr.
func (r *syslogReceiver) waitFor(ctx context.Context, substr string, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		r.mu.Lock()
		for _, l := range r.lines {
			if bytes.Contains(l, []byte(substr)) {
				r.mu.Unlock()
				return nil
			}
		}
		ch := r.notify
		r.mu.Unlock()
		select {
		case <-ch:
		case <-timer.C:
			return fmt.Errorf("no syslog line containing %q after %v", substr, d)
		case <-ctx.Done():
			return fmt.Errorf("waiting for syslog line containing %q: %w", substr, ctx.Err())
		}
	}
}

// stopAndCollect reads what is still queued (until a 50 ms read timeout),
// stops the receiver and returns all lines.
func (r *syslogReceiver) stopAndCollect() [][]byte {
	r.stopOnce.Do(func() { close(r.stopping) })
	select {
	case <-r.done:
	case <-time.After(2 * time.Second):
	}
	r.conn.Close()
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.lines...)
}

func (r *syslogReceiver) close() {
	r.stopOnce.Do(func() { close(r.stopping) })
	r.conn.Close()
	<-r.done
}
