// Package loggen makes large HAProxy logs out of the corpus (the lines a
// real HAProxy 2.6 wrote, decode/testdata/corpus) for benchmarks and for
// tests that need many requests: the corpus's lines in turn, in their RFC
// 3164 framing, each moved to its own time (one line every Step) and, for
// HTTP traffic, with server response times spread out so that percentiles
// have something to tell apart. Everything else in a line is as HAProxy
// wrote it.
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

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// Options say what to generate.
type Options struct {
	Lines int           // how many
	Start time.Time     // time of the first line (its zone is the log's)
	Step  time.Duration // time between two lines
	Seed  uint64        // the same seed makes the same log
	// EventEvery, when set, makes every EventEvery-th line an operational
	// one and the others traffic, each kind in the corpus's order: a busy
	// proxy's mix (20: 19 requests for one event). Unset: the corpus's
	// lines as they come (more than half of them events).
	EventEvery int
	// Host, when set, writes the lines as rsyslog writes them to
	// /var/log/haproxy.log: no <PRI>, and this host name after the time
	// ("Nov 21 07:35:38 lb1 haproxy[3356]: ..."), the framing halog reads
	// by default.
	Host string
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
	// <134>Nov 21 07:35:32 haproxy[3320]: ...
	header = regexp.MustCompile(`^(<\d+>)([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) `)
	// [21/Nov/2026:07:35:32.633] (httplog) or [21/Nov/2026:07:35:54 +0000] (clf)
	accept = regexp.MustCompile(`\[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d(\.\d{3})?( [+-]\d{4})?\]`)
	// httplog's five timers TR/Tw/Tc/Tr/Ta, then the status and the bytes
	// (which tell them from the connection counts, also five numbers)
	timers = regexp.MustCompile(` (-?\d+)/(-?\d+)/(-?\d+)/(-?\d+)/(\+?-?\d+) -?\d+ \+?\d+ `)
)

// Write writes o.Lines lines made from corpus to w.
func Write(w io.Writer, corpus []string, o Options) error {
	if len(corpus) == 0 {
		return fmt.Errorf("loggen: no corpus lines")
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	next := inTurn(corpus, o.EventEvery)
	bw := bufio.NewWriterSize(w, 1<<20)
	for i := range o.Lines {
		at := o.Start.Add(time.Duration(i) * o.Step)
		line := Retime(next(i), at)
		if o.Host != "" {
			line = rsyslog(line, o.Host)
		}
		line = spread(line, rng)
		bw.WriteString(line)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// inTurn returns the source of line i: the corpus in its order, or
// traffic and events mixed one event in every.
func inTurn(corpus []string, every int) func(i int) string {
	var traffic, events []string
	if every > 0 {
		var dec decode.Decoder
		var e decode.Entry
		for _, l := range corpus {
			dec.Decode(&e, []byte(l), time.Now())
			if e.IsTraffic() {
				traffic = append(traffic, l)
			} else {
				events = append(events, l)
			}
		}
	}
	if len(traffic) == 0 || len(events) == 0 {
		return func(i int) string { return corpus[i%len(corpus)] }
	}
	return func(i int) string {
		if i%every == every-1 {
			return events[(i/every)%len(events)]
		}
		n := i - i/every // traffic lines before this one
		return traffic[n%len(traffic)]
	}
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

// rsyslog drops the <PRI> of a line and adds host after its time.
func rsyslog(line, host string) string {
	m := header.FindStringSubmatchIndex(line)
	if m == nil {
		return line
	}
	return line[m[4]:m[5]] + " " + host + line[m[5]:]
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
