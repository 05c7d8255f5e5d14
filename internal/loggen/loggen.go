// Package loggen makes large HAProxy logs out of lines a real HAProxy 2.6
// wrote (the corpus, decode/testdata/corpus, as they come with
// CorpusLines, or in a busy proxy's mix from internal/tailchunk) for
// benchmarks and for tests that need many requests: the lines in turn,
// each moved to its own time (one line every Step) and, for HTTP traffic,
// with server response times spread out so that percentiles have
// something to tell apart. Everything else in a line is as HAProxy wrote
// it.
package loggen

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Options say what to generate.
type Options struct {
	Lines int           // how many
	Start time.Time     // time of the first line (its zone is the log's)
	Step  time.Duration // time between two lines
	Seed  uint64        // the same seed makes the same log
	// PID, when set, replaces every line's process id: one HAProxy
	// process wrote the log, as in production between reloads (the
	// corpus's scenarios each ran a process of their own, and lines of
	// many processes mixed read as reloads all the time).
	PID int
}

// CorpusLines are the RFC 3164 lines of the corpus under root (the
// module's root directory), scenario by scenario.
func CorpusLines(root string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(root, "decode", "testdata", "corpus", "*.raw.log"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("loggen: no corpus under %s: %v", root, err)
	}
	sort.Strings(files)
	var lines []string
	for _, f := range files {
		b, err := os.ReadFile(strings.TrimSuffix(f, ".raw.log") + ".log")
		if err != nil {
			return nil, err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
	}
	return lines, nil
}

var (
	// <134>Nov 21 07:35:32 haproxy[3320]: ... (HAProxy's syslog), or
	// Nov 21 07:35:32 lb1 haproxy[3320]: ... (rsyslog's file)
	header = regexp.MustCompile(`^(<\d+>)?([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) `)
	// [21/Nov/2026:07:35:32.633] (httplog) or [21/Nov/2026:07:35:54 +0000] (clf)
	accept = regexp.MustCompile(`\[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d(\.\d{3})?( [+-]\d{4})?\]`)
	// the syslog tag's process id: "haproxy[3320]: " near the start
	tag = regexp.MustCompile(`^[^\[]{0,80}\[(\d+)\]: `)
	// httplog's five timers TR/Tw/Tc/Tr/Ta, then the status and the bytes
	// (which tell them from the connection counts, also five numbers)
	timers = regexp.MustCompile(` (-?\d+)/(-?\d+)/(-?\d+)/(-?\d+)/(\+?-?\d+) -?\d+ \+?\d+ `)
)

// Write writes o.Lines lines made from corpus (lines framed as HAProxy
// sends them to syslog or as rsyslog writes them) to w.
func Write(w io.Writer, corpus []string, o Options) error {
	if len(corpus) == 0 {
		return fmt.Errorf("loggen: no corpus lines")
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<20)
	for i := range o.Lines {
		at := o.Start.Add(time.Duration(i) * o.Step)
		line := Retime(corpus[i%len(corpus)], at)
		if o.PID > 0 {
			line = withPID(line, o.PID)
		}
		line = spread(line, rng)
		bw.WriteString(line)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// Retime moves a line to at: its syslog header and its accept date.
func Retime(line string, at time.Time) string {
	if m := header.FindStringSubmatchIndex(line); m != nil {
		line = line[:m[4]] + at.Format(time.Stamp) + line[m[5]:]
	}
	if m := accept.FindStringSubmatchIndex(line); m != nil {
		var date string
		switch {
		case m[4] >= 0: // clf: second precision and a zone
			date = at.Format("[02/Jan/2006:15:04:05 -0700]")
		case m[2] >= 0:
			date = at.Format("[02/Jan/2006:15:04:05.000]")
		default:
			date = at.Format("[02/Jan/2006:15:04:05]")
		}
		line = line[:m[0]] + date + line[m[1]:]
	}
	return line
}

// withPID replaces the process id of the syslog tag (haproxy[3320]:).
func withPID(line string, pid int) string {
	m := tag.FindStringSubmatchIndex(line)
	if m == nil {
		return line
	}
	return line[:m[2]] + strconv.Itoa(pid) + line[m[3]:]
}

// spread adds a random server time to an HTTP request that reached its
// server (Tr and Ta set): mostly tens of milliseconds, sometimes seconds,
// as a real application's long tail.
func spread(line string, rng *rand.Rand) string {
	m := timers.FindStringSubmatchIndex(line)
	if m == nil {
		return line
	}
	tr, err1 := strconv.Atoi(line[m[8]:m[9]])
	ta, err2 := strconv.Atoi(line[m[10]:m[11]])
	if err1 != nil || err2 != nil || tr < 0 || ta < 0 {
		return line
	}
	extra := int(rng.ExpFloat64() * 20)
	if rng.IntN(100) == 0 {
		extra += int(math.Min(rng.ExpFloat64()*2000, 60000))
	}
	return line[:m[8]] + strconv.Itoa(tr+extra) + "/" + strconv.Itoa(ta+extra) + line[m[11]:]
}
