// Package tailchunk builds the input of the host-sized benchmarks: HAProxy
// lines as rsyslog writes them to /var/log/haproxy.log, cut into the chunks
// Fluent Bit's tail input hands an output plugin.
//
// The lines are the corpus's (internal/corpus: what a real HAProxy 2.6
// wrote), in the traffic mix of a busy proxy (19 traffic lines for 1
// operational event), each behind rsyslog's traditional file header
// ("Nov 21 07:35:38 lb1 haproxy[3356]: ").
//
// A record is what in_tail writes through Fluent Bit's log event encoder:
// [[EventTime, {}], {"log": line}] with map32 headers. A chunk grows until it
// passes FLB_INPUT_CHUNK_FS_MAX_SIZE (2,048,000 bytes, include/fluent-bit/
// flb_input_chunk.h): Fluent Bit locks a chunk once its size is over that
// limit, so a real chunk ends with the record that crossed it.
package tailchunk

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/tinylib/msgp/msgp"
)

// MaxSize is FLB_INPUT_CHUNK_FS_MAX_SIZE, the size past which Fluent Bit
// stops filling a chunk.
const MaxSize = 2_048_000

// Start is the time of the first record; record i is i milliseconds later.
var Start = time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)

// Lines is the traffic mix, rsyslog-framed, read from the corpus under root
// (the module's root directory): n lines, the corpus's lines repeated.
func Lines(root string, n int) ([]string, error) {
	dir := filepath.Join(root, "decode", "testdata", "corpus")
	raws, err := filepath.Glob(filepath.Join(dir, "*.raw.log"))
	if err != nil || len(raws) == 0 {
		return nil, fmt.Errorf("tailchunk: no corpus files in %s: %v", dir, err)
	}
	sort.Strings(raws)
	var traffic, events []string
	for _, raw := range raws {
		bare, err := readLines(raw)
		if err != nil {
			return nil, err
		}
		framed, err := readLines(strings.TrimSuffix(raw, ".raw.log") + ".log")
		if err != nil {
			return nil, err
		}
		if len(bare) != len(framed) {
			return nil, fmt.Errorf("tailchunk: %s has %d lines, its RFC 3164 framing %d", raw, len(bare), len(framed))
		}
		for i, l := range framed {
			l = rsyslog(l)
			if isTraffic(bare[i]) {
				traffic = append(traffic, l)
			} else {
				events = append(events, l)
			}
		}
	}
	if len(traffic) == 0 || len(events) == 0 {
		return nil, fmt.Errorf("tailchunk: the corpus in %s has %d traffic and %d event lines", dir, len(traffic), len(events))
	}
	lines := make([]string, n)
	for i := range lines {
		if i%20 == 19 {
			lines[i] = events[(i/20)%len(events)]
		} else {
			lines[i] = traffic[(i*7)%len(traffic)]
		}
	}
	return lines, nil
}

// FileLines is n lines of the file at path (a log as rsyslog wrote it, such
// as the production sample of test/bench/sample), repeated.
func FileLines(path string, n int) ([]string, error) {
	file, err := readLines(path)
	if err != nil {
		return nil, err
	}
	if len(file) == 0 {
		return nil, fmt.Errorf("tailchunk: %s has no lines", path)
	}
	lines := make([]string, n)
	for i := range lines {
		lines[i] = file[i%len(file)]
	}
	return lines, nil
}

// rsyslog turns HAProxy's "<134>Nov 21 07:35:38 haproxy[3356]: ..." into
// the line rsyslog writes: no priority, the host name added.
func rsyslog(l string) string {
	l = l[strings.IndexByte(l, '>')+1:]
	if len(l) < 16 {
		return l
	}
	return l[:16] + "lb1 " + l[16:]
}

// isTraffic tells a traffic log ("ip:port [" or CLF "ip - - [") from an
// event, well enough to build the mix.
func isTraffic(l string) bool {
	i := strings.Index(l, " [")
	return i > 0 && i < 48 && !strings.Contains(l[:i], " (") && !strings.HasPrefix(l, "Connect ")
}

func readLines(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines, nil
}

// AppendRecord appends line as in_tail's record at time t.
func AppendRecord(b []byte, t time.Time, line string) []byte {
	b = append(b, 0x92, 0x92, 0xd7, 0x00) // [[EventTime (fixext8, type 0)
	b = binary.BigEndian.AppendUint32(b, uint32(t.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(t.Nanosecond()))
	b = append(b, 0xdf, 0, 0, 0, 0) // {}]
	b = append(b, 0xdf, 0, 0, 0, 1) // {"log": line}]
	b = msgp.AppendString(b, "log")
	return msgp.AppendString(b, line)
}

// Chunks cuts lines into chunks of at most max bytes plus the record that
// crosses it (MaxSize for Fluent Bit's), calling fn with each chunk and its
// record count. The chunk's bytes are reused after fn returns.
func Chunks(lines []string, max int, fn func(chunk []byte, records int) error) error {
	var buf []byte
	n := 0
	for i, l := range lines {
		buf = AppendRecord(buf, Start.Add(time.Duration(i)*time.Millisecond), l)
		n++
		if len(buf) > max {
			if err := fn(buf, n); err != nil {
				return err
			}
			buf, n = buf[:0], 0
		}
	}
	if n > 0 {
		return fn(buf, n)
	}
	return nil
}

// WriteFile writes lines, cut by Chunks at MaxSize, as the chunk file that
// flbhost's bench command reads: each chunk as its length and its record
// count (4 bytes each, big-endian), then its bytes.
func WriteFile(path string, lines []string) (chunks int, size int64, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = Chunks(lines, MaxSize, func(c []byte, n int) error {
		var head [8]byte
		binary.BigEndian.PutUint32(head[:4], uint32(len(c)))
		binary.BigEndian.PutUint32(head[4:], uint32(n))
		if _, err := w.Write(head[:]); err != nil {
			return err
		}
		_, err := w.Write(c)
		chunks++
		size += int64(len(c))
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return chunks, size, err
}
