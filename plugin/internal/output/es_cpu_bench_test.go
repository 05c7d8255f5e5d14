package output

import (
	"encoding/json"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// cpuMeter reads the CPU time a delivery benchmark costs on both sides:
// the node's (its process, from GET /_nodes/_local/stats/process: the
// node runs on the same machine) and this process's (getrusage: the
// plugin's decoding, encoding and HTTP client, or the stand-in's client).
// On a shared 2-core machine the wall time moves with the other load; the
// CPU time per iteration moves much less.
type cpuMeter struct {
	base           string
	node0, client0 time.Duration
}

func startCPU(b *testing.B, base string) *cpuMeter {
	return &cpuMeter{base: base, node0: nodeCPU(b, base), client0: selfCPU()}
}

// report adds node-cpu-s/op and client-cpu-s/op to the benchmark.
func (m *cpuMeter) report(b *testing.B) {
	node, client := nodeCPU(b, m.base)-m.node0, selfCPU()-m.client0
	b.ReportMetric(node.Seconds()/float64(b.N), "node-cpu-s/op")
	b.ReportMetric(client.Seconds()/float64(b.N), "client-cpu-s/op")
}

func nodeCPU(b *testing.B, base string) time.Duration {
	b.Helper()
	res, err := http.Get(base + "/_nodes/_local/stats/process?filter_path=nodes.*.process.cpu.total_in_millis")
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var st struct {
		Nodes map[string]struct {
			Process struct {
				CPU struct {
					Total int64 `json:"total_in_millis"`
				} `json:"cpu"`
			} `json:"process"`
		} `json:"nodes"`
	}
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil {
		b.Fatal(err)
	}
	for _, n := range st.Nodes {
		return time.Duration(n.Process.CPU.Total) * time.Millisecond
	}
	b.Fatal("no node in _nodes/_local/stats")
	return 0
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
