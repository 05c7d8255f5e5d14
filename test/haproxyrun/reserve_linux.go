//go:build linux

package haproxyrun

import (
	"fmt"
	"net"
	"os"
	"sync"
	"syscall"
)

// reservedPort is a TCP socket bound to 127.0.0.1:<port> that is not
// listening: connections to it are refused ("Connection refused"), and no
// other socket can bind the port (it has no SO_REUSEADDR), so parallel test
// processes cannot take it. listen() turns it into a listener in place.
type reservedPort struct {
	mu   sync.Mutex
	fd   int
	port int
}

func reservePort() (*reservedPort, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("bind 127.0.0.1:0: %w", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("getsockname: %w", err)
	}
	return &reservedPort{fd: fd, port: sa.(*syscall.SockaddrInet4).Port}, nil
}

// listen starts listening on the reserved socket and returns it as a
// net.Listener (which then owns the socket).
func (r *reservedPort) listen() (net.Listener, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fd < 0 {
		return nil, fmt.Errorf("port %d: socket already released", r.port)
	}
	if err := syscall.Listen(r.fd, 128); err != nil {
		return nil, fmt.Errorf("listen on 127.0.0.1:%d: %w", r.port, err)
	}
	f := os.NewFile(uintptr(r.fd), fmt.Sprintf("127.0.0.1:%d", r.port))
	r.fd = -1
	defer f.Close()
	return net.FileListener(f) // dups the fd
}

func (r *reservedPort) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fd >= 0 {
		syscall.Close(r.fd)
		r.fd = -1
	}
}
