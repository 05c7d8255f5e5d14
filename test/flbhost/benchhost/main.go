// Command benchhost measures the plugin as a process, the way Fluent Bit
// runs it: flbhost (test/flbhost/flbhost.c) loads out_haproxy.so and
// flushes a million tail records, as Fluent Bit's 2 MB chunks (see
// internal/tailchunk), from two threads (an output with `workers 2`), into
// Destination file, File /dev/null. The same host reading and copying the
// same chunks without calling the plugin is the floor. For each it prints
// the CPU time of the whole process (user + sys), its wall time and its peak
// RSS (VmHWM), the median of -runs runs, and what the plugin costs above the floor.
//
//	make bench-host
//	go run ./test/flbhost/benchhost -so dist/out_haproxy.so -host dist/flbhost [-lines 1000000] [-threads 2] [-runs 3] [-prop Key=Value]...
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/tailchunk"
)

type props []string

func (p *props) String() string     { return strings.Join(*p, ",") }
func (p *props) Set(s string) error { *p = append(*p, s); return nil }

func main() {
	so := flag.String("so", "dist/out_haproxy.so", "the plugin")
	host := flag.String("host", "dist/flbhost", "the flbhost program")
	lines := flag.Int("lines", 1_000_000, "records to flush")
	threads := flag.Int("threads", 2, "flushing threads (the output's workers)")
	runs := flag.Int("runs", 3, "runs of each, the median is printed")
	var extra props
	flag.Var(&extra, "prop", "a further plugin property, Key=Value (repeatable)")
	flag.Parse()
	if err := run(*so, *host, *lines, *threads, *runs, extra); err != nil {
		fmt.Fprintln(os.Stderr, "benchhost:", err)
		os.Exit(1)
	}
}

// measure is one run of the host.
type measure struct {
	user, sys, wall time.Duration
	rssKB           int64
	records         int64
}

func (m measure) cpu() time.Duration { return m.user + m.sys }

func run(so, host string, lines, threads, runs int, extra props) error {
	dir, err := os.MkdirTemp("", "benchhost")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	chunks := filepath.Join(dir, "chunks")
	nchunks, size, err := writeChunks(chunks, lines)
	if err != nil {
		return err
	}
	fmt.Printf("input: %d records in %d chunks (%.1f MB of msgpack), %d threads, median of %d runs\n",
		lines, nchunks, float64(size)/1e6, threads, runs)

	floor := fmt.Sprintf("bench %d - haproxy %s\npeak\n", threads, chunks)
	plugin := "prop 0 Destination file\nprop 0 File /dev/null\n"
	for _, p := range extra {
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			return fmt.Errorf("-prop %q: want Key=Value", p)
		}
		plugin += fmt.Sprintf("prop 0 %s %s\n", k, v)
	}
	plugin += fmt.Sprintf("init 0\nbench %d 0 haproxy %s\nexit 0\npeak\n", threads, chunks)

	var fm, pm []measure
	for i := 0; i < runs; i++ { // interleaved, so that the machine's load hits both alike
		m, err := runHost(so, host, dir, floor)
		if err != nil {
			return fmt.Errorf("floor: %w", err)
		}
		fm = append(fm, m)
		if m, err = runHost(so, host, dir, plugin); err != nil {
			return fmt.Errorf("plugin: %w", err)
		}
		pm = append(pm, m)
	}
	f, p := median(fm), median(pm)
	fmt.Printf("%-28s %14s %8s %10s\n", "", "CPU user+sys", "wall", "peak RSS")
	row := func(name string, m measure) {
		fmt.Printf("%-28s %6.2f s (%.2f + %.2f) %6.2f s %7.0f MB\n", name, m.cpu().Seconds(),
			m.user.Seconds(), m.sys.Seconds(), m.wall.Seconds(), float64(m.rssKB)/1024)
	}
	row("floor (chunks read, copied)", f)
	row("out_haproxy, file /dev/null", p)
	n := float64(p.records)
	fmt.Printf("plugin: %.0f ns CPU per record all-in, %.0f ns above the floor; %.0f MB peak RSS above the floor\n",
		float64(p.cpu().Nanoseconds())/n, float64((p.cpu()-f.cpu()).Nanoseconds())/n, float64(p.rssKB-f.rssKB)/1024)
	return nil
}

// writeChunks writes the chunk file flbhost's bench command reads.
func writeChunks(path string, lines int) (chunks int, size int64, err error) {
	root, err := corpus.ModuleRoot()
	if err != nil {
		return 0, 0, err
	}
	ls, err := tailchunk.Lines(root, lines)
	if err != nil {
		return 0, 0, err
	}
	return tailchunk.WriteFile(path, ls)
}

var (
	benchLine = regexp.MustCompile(`^bench chunks=(\d+) records=(\d+) ok=(\d+) retry=(\d+) error=(\d+) bad=(\d+) `)
	peakLine  = regexp.MustCompile(`^peak vmhwm_kb=(\d+)$`)
)

// runHost runs flbhost with script and reads its resource usage.
func runHost(so, host, dir, script string) (measure, error) {
	path := filepath.Join(dir, "script")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		return measure{}, err
	}
	cmd := exec.Command(host, so, path)
	cmd.Stderr = os.Stderr
	t0 := time.Now()
	out, err := cmd.Output()
	wall := time.Since(t0)
	if err != nil {
		return measure{}, fmt.Errorf("%s: %v\n%s", host, err, out)
	}
	var m measure
	for _, l := range strings.Split(string(out), "\n") {
		if g := peakLine.FindStringSubmatch(l); g != nil {
			m.rssKB, _ = strconv.ParseInt(g[1], 10, 64)
		}
		g := benchLine.FindStringSubmatch(l)
		if g == nil {
			continue
		}
		if g[1] != g[3] { // every chunk flushed with FLB_OK
			return measure{}, fmt.Errorf("not every chunk was flushed OK: %s", l)
		}
		m.records, _ = strconv.ParseInt(g[2], 10, 64)
	}
	if m.records == 0 || m.rssKB == 0 {
		return measure{}, fmt.Errorf("no bench or peak line in the host's output:\n%s", out)
	}
	// The child's rusage maxrss would include this process's memory (exec
	// leaves it there): the peak is the host's own VmHWM.
	m.user, m.sys, m.wall = cmd.ProcessState.UserTime(), cmd.ProcessState.SystemTime(), wall
	return m, nil
}

// median is the run of median CPU time.
func median(ms []measure) measure {
	sort.Slice(ms, func(i, j int) bool { return ms[i].cpu() < ms[j].cpu() })
	return ms[len(ms)/2]
}
