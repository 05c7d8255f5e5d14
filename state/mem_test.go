package state

import (
	"fmt"
	"runtime"
	"testing"
)

// The memory of the state: 5,000 backends of one server each that went
// down (10,001 keys with the host), measured on the heap. The README quotes
// the figure (go test ./state -run TestMemoryPerKey -v).
func TestMemoryPerKey(t *testing.T) {
	const n = 5000
	f := newFeeder(t, Config{MaxKeys: 3 * n})
	lines := make([]string, n)
	for i := range lines {
		lines[i] = down(1, fmt.Sprintf("be_%04d", i), fmt.Sprintf("srv%04d", i), 1, 0)
	}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	for _, l := range lines {
		f.feed(l)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	per := float64(m1.HeapAlloc-m0.HeapAlloc) / n
	t.Logf("%d keys: %.1f MB, %.0f bytes per backend and its server", f.tr.Len(), float64(m1.HeapAlloc-m0.HeapAlloc)/1e6, per)
	if per > 2048 {
		t.Errorf("%.0f bytes per backend and server, want under 2 KiB", per)
	}
	runtime.KeepAlive(f)
}
