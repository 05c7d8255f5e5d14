// Command loggen writes a large HAProxy log made from the corpus (see
// package loggen), by default in a busy proxy's mix as rsyslog writes
// /var/log/haproxy.log (internal/tailchunk's lines):
//
//	go run ./internal/loggen/cmd -n 1000000 -o dist/1m.log
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/loggen"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/tailchunk"
)

func main() {
	n := flag.Int("n", 1_000_000, "lines")
	out := flag.String("o", "-", "output file (- for stdout)")
	seed := flag.Uint64("seed", 1, "random seed")
	step := flag.Duration("step", 10*time.Millisecond, "time between lines")
	busy := flag.Bool("busy", true, "a busy proxy's mix as rsyslog writes it (internal/tailchunk); false: the corpus's lines in its order, as HAProxy sent them")
	pid := flag.Int("pid", 3356, "process id of every line (0: the corpus's, one process per scenario)")
	flag.Parse()
	o := loggen.Options{Lines: *n, Seed: *seed, Step: *step, PID: *pid,
		Start: time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)}
	if err := run(o, *out, *busy); err != nil {
		fmt.Fprintln(os.Stderr, "loggen:", err)
		os.Exit(1)
	}
}

func run(o loggen.Options, out string, busy bool) error {
	root, err := corpus.ModuleRoot()
	if err != nil {
		return err
	}
	lines, err := loggen.CorpusLines(root)
	if busy {
		lines, err = tailchunk.Lines(root, o.Lines)
	}
	if err != nil {
		return err
	}
	var w io.Writer = os.Stdout
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	return loggen.Write(w, lines, o)
}
