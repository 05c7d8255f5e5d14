package es

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// concurrencyNode is a node that holds each bulk request a little and
// records the most requests it held at once, and the documents in order.
type concurrencyNode struct {
	inFlight, most atomic.Int64
	mu             sync.Mutex
	seen           []string
}

func (c *concurrencyNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/" {
		w.Write([]byte(`{"version":{"number":"8.15.0"}}`))
		return
	}
	n := c.inFlight.Add(1)
	defer c.inFlight.Add(-1)
	for m := c.most.Load(); n > m && !c.most.CompareAndSwap(m, n); m = c.most.Load() {
	}
	body, _ := io.ReadAll(r.Body)
	lines := bytes.Split(bytes.TrimSuffix(body, []byte("\n")), []byte("\n"))
	c.mu.Lock()
	for i := 1; i < len(lines); i += 2 {
		c.seen = append(c.seen, string(lines[i]))
	}
	c.mu.Unlock()
	time.Sleep(20 * time.Millisecond)
	w.Write([]byte(`{"errors":false,"items":[` + strings.TrimSuffix(strings.Repeat(`{"create":{"status":201}},`, len(lines)/2), ",") + `]}`))
}

// A chunk of documents without an _id is sent two requests at a time;
// with Generate_ID (an _id) one after the other. Every document is sent
// once either way.
func TestPairedRequests(t *testing.T) {
	for _, tc := range []struct {
		opts map[string]string
		most int64
	}{
		{map[string]string{}, 2},
		{map[string]string{"Write_Operation": "index"}, 2},
		{map[string]string{"Generate_ID": "on"}, 1},
		{map[string]string{"Id_Key": "i"}, 1},
	} {
		node := &concurrencyNode{}
		srv := httptest.NewServer(node)
		opts := map[string]string{"ES_Hosts": srv.URL, "ES_Bulk_Size": "200"}
		for k, v := range tc.opts {
			opts[k] = v
		}
		s, log := newSink(t, opts)
		var js []string
		for i := 0; i < 41; i++ {
			js = append(js, fmt.Sprintf(`{"i":"%02d"}`, i)) // ~50 bytes with its action: 4 per request
		}
		res := s.Write(docs(js...))
		srv.Close()
		if res.Code != sink.OK || res.Delivered != 41 {
			t.Fatalf("%v: %+v\n%s", tc.opts, res, log.all())
		}
		if got := node.most.Load(); got != tc.most {
			t.Errorf("%v: at most %d requests at once, want %d", tc.opts, got, tc.most)
		}
		seen := map[string]int{}
		for _, d := range node.seen {
			seen[d]++
		}
		for _, d := range js {
			if seen[d] != 1 {
				t.Errorf("%v: %s sent %d times", tc.opts, d, seen[d])
			}
		}
	}
}
