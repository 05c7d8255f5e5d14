package haproxyrun

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// backends are the fake servers behind HAProxy. All listen on 127.0.0.1.
type backends struct {
	httpLn  net.Listener // /ok, /delay/<ms>, anything else: 200
	httpSrv *http.Server
	closeLn net.Listener // reads the request head, then closes (FIN) without answering
	echoLn  net.Listener // TCP echo

	refused *reservedPort // bound, never listening: connections are refused

	health   *reservedPort // refused at first; openHealth starts serving HTTP on it
	healthMu sync.Mutex
	healthLn net.Listener

	wg sync.WaitGroup
}

func listenLocal() (net.Listener, error) { return net.Listen("tcp4", "127.0.0.1:0") }

func portOf(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }

func startBackends() (b *backends, err error) {
	b = &backends{}
	defer func() {
		if err != nil {
			b.close()
		}
	}()
	if b.httpLn, err = listenLocal(); err != nil {
		return nil, err
	}
	b.httpSrv = &http.Server{
		Handler:           http.HandlerFunc(httpHandler),
		ReadHeaderTimeout: 2 * time.Second,
		ReadTimeout:       2 * time.Second,
		WriteTimeout:      5 * time.Second,
		IdleTimeout:       5 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	b.wg.Add(1)
	go func() { defer b.wg.Done(); _ = b.httpSrv.Serve(b.httpLn) }()

	if b.closeLn, err = listenLocal(); err != nil {
		return nil, err
	}
	b.serveConns(b.closeLn, closeAfterHead)

	if b.echoLn, err = listenLocal(); err != nil {
		return nil, err
	}
	b.serveConns(b.echoLn, echo)

	if b.refused, err = reservePort(); err != nil {
		return nil, err
	}
	if b.health, err = reservePort(); err != nil {
		return nil, err
	}
	return b, nil
}

// openHealth starts serving HTTP on the (so far closed) health port, so
// that HAProxy's Layer4 checks succeed.
func (b *backends) openHealth() error {
	ln, err := b.health.listen()
	if err != nil {
		return fmt.Errorf("open health port: %w", err)
	}
	b.healthMu.Lock()
	b.healthLn = ln
	b.healthMu.Unlock()
	b.wg.Add(1)
	go func() { defer b.wg.Done(); _ = b.httpSrv.Serve(ln) }()
	return nil
}

func (b *backends) serveConns(ln net.Listener, h func(net.Conn)) {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				time.Sleep(10 * time.Millisecond)
				continue
			}
			b.wg.Add(1)
			go func() {
				defer b.wg.Done()
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(3 * time.Second))
				h(c)
			}()
		}
	}()
}

func (b *backends) close() {
	if b.httpSrv != nil {
		_ = b.httpSrv.Close() // closes httpLn, the health listener and their conns
	}
	for _, ln := range []net.Listener{b.closeLn, b.echoLn} {
		if ln != nil {
			_ = ln.Close()
		}
	}
	b.healthMu.Lock()
	if b.healthLn != nil {
		_ = b.healthLn.Close()
	}
	b.healthMu.Unlock()
	for _, r := range []*reservedPort{b.refused, b.health} {
		if r != nil {
			r.close()
		}
	}
	// The per-connection handlers have 3 s deadlines; don't wait longer.
	done := make(chan struct{})
	go func() { b.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(4 * time.Second):
	}
}

func httpHandler(w http.ResponseWriter, r *http.Request) {
	if s, ok := strings.CutPrefix(r.URL.Path, "/delay/"); ok {
		ms, _ := strconv.Atoi(s)
		ms = min(max(ms, 0), 10000)
		t := time.NewTimer(time.Duration(ms) * time.Millisecond)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done(): // HAProxy gave up (timeout server)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("X-Backend", "haproxyrun")
	_, _ = io.WriteString(w, "ok\n")
}

// closeAfterHead reads the request headers and closes without answering.
func closeAfterHead(c net.Conn) {
	var buf []byte
	tmp := make([]byte, 4096)
	for !bytes.Contains(buf, []byte("\r\n\r\n")) && len(buf) < 64<<10 {
		n, err := c.Read(tmp)
		buf = append(buf, tmp[:n]...)
		if err != nil {
			return
		}
	}
}

func echo(c net.Conn) { _, _ = io.Copy(c, c) }
