// Package state keeps the state across lines: what a line means given the
// lines before it. One Tracker lives per plugin instance (and per run of the
// command-line tool); it reads decoded entries in order and fills their
// decode.StateFields:
//
//   - outages: the record on which a backend loses its last active and
//     backup server (or says it has no server available) starts one; the
//     backend's records while it lasts (its servers' lines, traffic refused
//     with <NOSRV> or 503) are "ongoing"; the record that brings a server
//     back ends it, with its duration and the servers that were down;
//   - a server's downtime, on its UP record;
//   - flapping: a server that changed state at least FlapThreshold times
//     within FlapWindow;
//   - reloads: the stop, pause and start lines of an old and a new HAProxy
//     process (a different process.pid within ReloadWindow).
//
// State is keyed by the HAProxy host (host.hostname, else the source the
// caller gives: the Fluent Bit tag) and backend / server, and bounded: past
// MaxKeys keys, the least recently used is dropped. A Tracker is safe for
// concurrent use (Fluent Bit workers). Each key follows the lines' own
// timestamps: a transition older than the state it would replace is ignored,
// so that a late chunk cannot undo what a newer line established.
package state

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// Defaults of Config.
const (
	DefaultFlapThreshold = 4
	DefaultFlapWindow    = 10 * time.Minute
	DefaultMaxKeys       = 10000
	DefaultReloadWindow  = 5 * time.Second
	// MaxFlapThreshold bounds FlapThreshold: a server keeps at most this
	// many transition times.
	MaxFlapThreshold = 64
)

// Config is fixed for the life of a Tracker. Zero values take the defaults.
type Config struct {
	FlapThreshold int           // transitions within FlapWindow that make a server flapping (2 to 64)
	FlapWindow    time.Duration // how far back transitions count
	MaxKeys       int           // hosts, backends and servers tracked at most
	ReloadWindow  time.Duration // how close an old and a new process's lines must be to be one reload
}

// ErrConfig is wrapped by the errors of New.
var ErrConfig = errors.New("invalid state configuration")

func (c *Config) normalize() error {
	if c.FlapThreshold == 0 {
		c.FlapThreshold = DefaultFlapThreshold
	}
	if c.FlapWindow == 0 {
		c.FlapWindow = DefaultFlapWindow
	}
	if c.MaxKeys == 0 {
		c.MaxKeys = DefaultMaxKeys
	}
	if c.ReloadWindow == 0 {
		c.ReloadWindow = DefaultReloadWindow
	}
	switch {
	case c.FlapThreshold < 2 || c.FlapThreshold > MaxFlapThreshold:
		return fmt.Errorf("%w: flap threshold %d: want 2 to %d", ErrConfig, c.FlapThreshold, MaxFlapThreshold)
	case c.FlapWindow < 0:
		return fmt.Errorf("%w: flap window %v is negative", ErrConfig, c.FlapWindow)
	case c.MaxKeys < 1:
		return fmt.Errorf("%w: max keys %d: want at least 1", ErrConfig, c.MaxKeys)
	case c.ReloadWindow < 0:
		return fmt.Errorf("%w: reload window %v is negative", ErrConfig, c.ReloadWindow)
	}
	return nil
}

// Tracker keeps the state. The zero value is not usable: call New.
type Tracker struct {
	cfg Config

	mu    sync.Mutex
	table table
	key   []byte // scratch for building keys
	// The host and pid of the last line: a traffic line from the same
	// process needs no host lookup.
	lastHost []byte
	lastPID  int
	lastProc *process
	replay   replay
}

// New checks cfg and returns an empty tracker.
func New(cfg Config) (*Tracker, error) {
	if err := cfg.normalize(); err != nil {
		return nil, err
	}
	t := &Tracker{cfg: cfg, lastPID: decode.Unset}
	t.table.init(cfg.MaxKeys)
	t.replay.init()
	return t, nil
}

// Config returns the configuration in use (defaults filled in).
func (t *Tracker) Config() Config { return t.cfg }

// Len is the number of keys tracked (hosts, backends and servers).
func (t *Tracker) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.table.len()
}

// EventTime is the time of e that orders the state: the request date of a
// traffic line, else the time in the line's header, else received (as
// encode.EventTime, without its fallback to now, so that the same lines
// always give the same state).
func EventTime(e *decode.Entry, received time.Time) time.Time {
	if t, ok := e.Time(); ok {
		return t
	}
	return received
}

// Observe reads e (just decoded) and fills e.State. source names the stream
// (the Fluent Bit tag): it keys the lines that carry no host.hostname.
// received is the time the record was received, for lines without a
// timestamp of their own.
func (t *Tracker) Observe(e *decode.Entry, source []byte, received time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.observe(e, source, received)
}

// ObserveAll is Observe on each of es in turn, taking the lock once: the
// report hands its lines over a block at a time (locking for each line was
// 3 % of its CPU).
func (t *Tracker) ObserveAll(es []decode.Entry, source []byte, received time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := range es {
		t.observe(&es[i], source, received)
	}
}

func (t *Tracker) observe(e *decode.Entry, source []byte, received time.Time) {
	e.State = decode.StateFields{ServersDown: e.State.ServersDown[:0]}
	if e.Type != decode.LogEvent && !e.IsTraffic() {
		return
	}
	at := EventTime(e, received)
	host := e.Hostname
	if len(host) == 0 {
		host = source
	}
	if e.IsTraffic() {
		t.traffic(e, host, at)
	} else {
		t.event(e, host, at)
	}
	t.table.evict()
}

// traffic reads a traffic line: a new process, or a request refused during
// an outage.
func (t *Tracker) traffic(e *decode.Entry, host []byte, at time.Time) {
	if e.PID != decode.Unset && !t.sameProcess(e, host, at) {
		t.process(e, host, at)
	}
	refused := string(e.Server) == "<NOSRV>" || e.Status == 503
	if !refused || len(e.Backend) == 0 {
		return
	}
	if b := t.backend(host, e.Backend, false); b != nil {
		b.ongoingAt(e, at)
	}
}

// sameProcess: a line of the same process as the last line (most lines):
// its last line's time is all there is to update, without a lookup.
func (t *Tracker) sameProcess(e *decode.Entry, host []byte, at time.Time) bool {
	p := t.lastProc
	if p == nil || e.PID != t.lastPID || string(host) != string(t.lastHost) {
		return false
	}
	if at.After(p.seen) {
		p.seen = at
	}
	t.again(p, e, host, at)
	return true
}

// event reads an operational line.
func (t *Tracker) event(e *decode.Entry, host []byte, at time.Time) {
	id := t.replay.id(host, e, at)
	if t.replay.lookup(id, e) {
		return
	}
	t.readEvent(e, host, at)
	if remembered(e) {
		t.replay.store(id, &e.State)
	}
}

func (t *Tracker) readEvent(e *decode.Entry, host []byte, at time.Time) {
	if stopping(e.Event) || starting(e.Event) || e.Event == decode.EventWorker || !t.sameProcess(e, host, at) {
		t.process(e, host, at)
	}
	if len(e.Backend) == 0 {
		return
	}
	switch e.Event {
	case decode.EventServerUp:
		t.transition(e, host, at, stateUp)
	case decode.EventServerDown, decode.EventServerMaintenance:
		t.transition(e, host, at, stateDown)
	default:
		b := t.backend(host, e.Backend, e.Outage)
		if b == nil {
			return
		}
		if e.Outage {
			b.start(e, host, at)
		} else {
			b.ongoingAt(e, at)
		}
	}
}
