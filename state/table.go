package state

// The keys of a Tracker (hosts, backends, servers) live in one map, in one
// list from the most to the least recently used, so that the cap on keys
// drops the oldest whatever its kind.

// Key kinds: the first byte of a key.
const (
	kindHost    = 'h'
	kindBackend = 'b'
	kindServer  = 's'
)

type node struct {
	key        string
	prev, next *node
	host       *hostState
	backend    *backendState
	server     *serverState
}

type table struct {
	m    map[string]*node
	head node // sentinel: head.next is the most recently used
	max  int
}

func (tb *table) init(max int) {
	tb.m = make(map[string]*node)
	tb.head.prev, tb.head.next = &tb.head, &tb.head
	tb.max = max
}

func (tb *table) len() int { return len(tb.m) }

// get returns the node of key, made the most recently used; nil when absent.
func (tb *table) get(key []byte) *node {
	n := tb.m[string(key)]
	if n != nil {
		tb.unlink(n)
		tb.pushFront(n)
	}
	return n
}

// add inserts a new node for key (absent), the most recently used.
func (tb *table) add(key []byte) *node {
	n := &node{key: string(key)}
	tb.m[n.key] = n
	tb.pushFront(n)
	return n
}

// addOldest inserts a node as the least recently used (loading a state
// file, oldest last): it is evicted first.
func (tb *table) addOldest(key string) *node {
	if old := tb.m[key]; old != nil {
		tb.unlink(old)
		delete(tb.m, key)
	}
	n := &node{key: key}
	tb.m[key] = n
	n.prev, n.next = tb.head.prev, &tb.head
	tb.head.prev.next = n
	tb.head.prev = n
	return n
}

// evict drops the least recently used nodes past the cap. It runs after a
// record is read, never while one holds a node.
func (tb *table) evict() {
	for len(tb.m) > tb.max {
		n := tb.head.prev
		tb.unlink(n)
		delete(tb.m, n.key)
	}
}

func (tb *table) unlink(n *node) {
	n.prev.next = n.next
	n.next.prev = n.prev
	n.prev, n.next = nil, nil
}

func (tb *table) pushFront(n *node) {
	n.prev, n.next = &tb.head, tb.head.next
	tb.head.next.prev = n
	tb.head.next = n
}

// oldestFirst calls f for every node from the least to the most recently
// used.
func (tb *table) oldestFirst(f func(*node)) {
	for n := tb.head.prev; n != &tb.head; n = n.prev {
		f(n)
	}
}

// buildKey makes the key of kind for the parts, in t.key (scratch).
func (t *Tracker) buildKey(kind byte, parts ...[]byte) []byte {
	k := append(t.key[:0], kind)
	for _, p := range parts {
		k = append(k, 0)
		k = append(k, p...)
	}
	t.key = k
	return k
}
