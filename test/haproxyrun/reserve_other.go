//go:build !linux

package haproxyrun

import (
	"fmt"
	"net"
)

// reservedPort, outside Linux, is only a port that was free a moment ago
// (another process may take it before listen is called).
type reservedPort struct{ port int }

func reservePort() (*reservedPort, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := ln.Addr().(*net.TCPAddr).Port
	return &reservedPort{port: p}, ln.Close()
}

func (r *reservedPort) listen() (net.Listener, error) {
	return net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", r.port))
}

func (r *reservedPort) close() {}
