package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// The state file (State_File) keeps the state across restarts of Fluent
// Bit: an outage in progress, servers that are down, recent transitions,
// the last processes of each host. It is JSON, written at exit and read at
// start; its keys are listed oldest first, so that loading keeps the order
// in which the cap drops them.

const fileVersion = 1

type fileState struct {
	Version int       `json:"version"`
	SavedAt time.Time `json:"saved_at"`
	Keys    []fileKey `json:"keys"` // oldest first
}

// fileKey is a host, a backend or a server.
type fileKey struct {
	Kind    string `json:"kind"` // host, backend, server
	Host    string `json:"host"`
	Backend string `json:"backend,omitempty"`
	Server  string `json:"server,omitempty"`

	Processes []fileProcess `json:"processes,omitempty"` // host

	Down   []string    `json:"down,omitempty"` // backend
	Since  time.Time   `json:"since,omitempty"`
	Outage *fileOutage `json:"outage,omitempty"`

	State       string    `json:"state,omitempty"` // server: up, down, unknown
	Last        time.Time `json:"last,omitempty"`
	DownSince   time.Time `json:"down_since,omitempty"`
	Transitions []int64   `json:"transitions,omitempty"`
}

type fileProcess struct {
	PID       int       `json:"pid"`
	Seen      time.Time `json:"seen"`
	Lifecycle time.Time `json:"lifecycle,omitempty"`
}

type fileOutage struct {
	ID      string    `json:"id"` // 16 hex digits, as written in haproxy.outage.id
	Start   time.Time `json:"start"`
	Servers []string  `json:"servers,omitempty"`
}

var stateNames = map[int8]string{stateUp: "up", stateDown: "down", stateUnknown: "unknown"}

// Save writes the state to path, atomically (a temporary file in the same
// directory, then renamed).
func (t *Tracker) Save(path string) error {
	t.mu.Lock()
	f := t.snapshot()
	t.mu.Unlock()
	data, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	_, err = tmp.Write(append(data, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("state file %s: %w", path, err)
	}
	return nil
}

func (t *Tracker) snapshot() *fileState {
	f := &fileState{Version: fileVersion, SavedAt: time.Now().UTC()}
	t.table.oldestFirst(func(n *node) {
		switch {
		case n.host != nil:
			k := fileKey{Kind: "host", Host: n.host.name}
			for _, p := range n.host.pids {
				if !p.seen.IsZero() {
					k.Processes = append(k.Processes, fileProcess{PID: p.pid, Seen: p.seen, Lifecycle: p.lifecycle})
				}
			}
			f.Keys = append(f.Keys, k)
		case n.backend != nil:
			b := n.backend
			k := fileKey{Kind: "backend", Host: b.host, Backend: b.name, Down: b.down, Since: b.since}
			if o := b.outage; o != nil {
				k.Outage = &fileOutage{ID: o.id.String(), Start: o.start, Servers: o.servers}
			}
			f.Keys = append(f.Keys, k)
		case n.server != nil:
			s := n.server
			f.Keys = append(f.Keys, fileKey{Kind: "server", Host: s.host, Backend: s.backend, Server: s.name,
				State: stateNames[s.state], Last: s.last, DownSince: s.downSince, Transitions: s.transitions})
		}
	})
	return f
}

// ErrStateFile is wrapped by the errors of Load for a file that is not a
// state file (corrupt, truncated, another version).
var ErrStateFile = errors.New("not a valid state file")

// Load reads the state saved at path into t, which should be empty. A
// missing file is no error (a first start). A file that cannot be read as
// a state file leaves t as it was and returns an error that names the file
// and wraps ErrStateFile: the caller logs it and starts empty.
func (t *Tracker) Load(path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("state file %s: %w", path, err)
	}
	var f fileState
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("state file %s: %w: %v", path, ErrStateFile, err)
	}
	if f.Version != fileVersion {
		return fmt.Errorf("state file %s: %w: version %d, want %d", path, ErrStateFile, f.Version, fileVersion)
	}
	if err := f.check(); err != nil {
		return fmt.Errorf("state file %s: %w: %v", path, ErrStateFile, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.restore(&f)
	return nil
}

// check rejects what restore could not take.
func (f *fileState) check() error {
	for i, k := range f.Keys {
		switch k.Kind {
		case "host":
			if n := len(hostState{}.pids); len(k.Processes) > n {
				return fmt.Errorf("key %d: host %q: %d processes, at most %d", i, k.Host, len(k.Processes), n)
			}
		case "backend":
			if k.Backend == "" {
				return fmt.Errorf("key %d: backend without a name", i)
			}
			if o := k.Outage; o != nil {
				if id, err := strconv.ParseUint(o.ID, 16, 64); err != nil || id == 0 || o.Start.IsZero() {
					return fmt.Errorf("key %d: backend %q: outage without a valid id or a start", i, k.Backend)
				}
			}
		case "server":
			if k.Backend == "" || k.Server == "" {
				return fmt.Errorf("key %d: server without a backend or a name", i)
			}
			if _, ok := stateOf(k.State); !ok {
				return fmt.Errorf("key %d: server %s/%s: state %q", i, k.Backend, k.Server, k.State)
			}
			if len(k.Transitions) > MaxFlapThreshold {
				return fmt.Errorf("key %d: server %s/%s: %d transitions, at most %d", i, k.Backend, k.Server, len(k.Transitions), MaxFlapThreshold)
			}
		default:
			return fmt.Errorf("key %d: kind %q: want host, backend or server", i, k.Kind)
		}
	}
	return nil
}

func stateOf(name string) (int8, bool) {
	for v, n := range stateNames {
		if n == name {
			return v, true
		}
	}
	return 0, false
}

// restore adds the keys of f, the newest first, each as the least
// recently used so far: the cap then drops the oldest, as before.
func (t *Tracker) restore(f *fileState) {
	for i := len(f.Keys) - 1; i >= 0; i-- {
		k := &f.Keys[i]
		host := []byte(k.Host)
		switch k.Kind {
		case "host":
			n := t.table.addOldest(string(t.buildKey(kindHost, host)))
			n.host = &hostState{name: k.Host}
			for j, p := range k.Processes {
				n.host.pids[j] = process{pid: p.PID, seen: p.Seen, lifecycle: p.Lifecycle}
			}
		case "backend":
			n := t.table.addOldest(string(t.buildKey(kindBackend, host, []byte(k.Backend))))
			b := &backendState{host: k.Host, name: k.Backend, down: append([]string(nil), k.Down...), since: k.Since}
			if o := k.Outage; o != nil {
				id, _ := strconv.ParseUint(o.ID, 16, 64)
				b.cur = outage{id: decode.OutageID(id), start: o.Start, servers: append([]string(nil), o.Servers...)}
				b.outage = &b.cur
			}
			n.backend = b
		case "server":
			st, _ := stateOf(k.State)
			n := t.table.addOldest(string(t.buildKey(kindServer, host, []byte(k.Backend), []byte(k.Server))))
			n.server = &serverState{host: k.Host, backend: k.Backend, name: k.Server, state: st, last: k.Last,
				downSince: k.DownSince, transitions: append([]int64(nil), k.Transitions...)}
		}
	}
	t.table.evict()
}
