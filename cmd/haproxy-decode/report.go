package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/report"
)

const reportUsage = `Usage:
  haproxy-decode report [flags] [FILE...]

Reads HAProxy logs once (standard input when no FILE, or FILE is -) and
writes a report: per backend and server the requests, HTTP status classes,
termination states with their blame and meaning, p50/p90/p99/max of the
Ta, Tr, Tw and Tc timers, the slowest URLs, every outage (start, end,
duration), flapping servers and reloads.

Flags:
  -json                     write the report as one JSON document instead of text
  -html FILE                also write a self-contained HTML page (the tables,
                            latency over time per backend, the outage timeline)
  -top N                    how many of the slowest URLs to list (default 10)
  -tz ZONE                  time zone of HAProxy's local timestamps (default:
                            this machine's)
` + formatUsage + stateUsage + `  -h                        this help

Examples:
  haproxy-decode report /var/log/haproxy.log
  zcat /var/log/haproxy.log.*.gz | haproxy-decode report -json | jq .outages
  haproxy-decode report -html report.html /var/log/haproxy.log
  haproxy-decode report -haproxy-config /etc/haproxy/haproxy.cfg /var/log/haproxy.log
`

// runReport is "haproxy-decode report".
func runReport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("haproxy-decode report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	asJSON := fs.Bool("json", false, "write JSON")
	htmlFile := fs.String("html", "", "write an HTML page to this file")
	top := fs.Int("top", 10, "slowest URLs listed")
	var dec decode.Decoder
	tzFlag(fs, &dec)
	formats := addFormatFlags(fs)
	stateOpts := addStateFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, reportUsage)
			return 0
		}
		fmt.Fprint(stderr, reportUsage)
		return 2
	}
	if *top < 0 {
		fmt.Fprintf(stderr, "haproxy-decode report: -top %d: want 0 or more\n", *top)
		return 2
	}

	if !formats.apply(&dec, "haproxy-decode report", stderr) {
		return 2
	}
	rep := report.New()
	rep.TopURLs = *top
	parts := make([]*report.Report, max(runtime.GOMAXPROCS(0), 1))
	count := make([]func(*decode.Entry), len(parts))
	for i := range parts {
		parts[i] = report.New()
		count[i] = parts[i].Count
	}
	// One tracker for the whole run: the files are one stream (a log and
	// its rotations), and lines without a host name share one key.
	tracker, err := stateOpts.tracker("haproxy-decode report", stderr)
	if err != nil {
		fmt.Fprintf(stderr, "haproxy-decode report: %v\n", err)
		return 2
	}
	tag := []byte(stateOpts.tag)
	status := decodeInOrder(fs.Args(), stdin, stderr, &dec, count, func(es []decode.Entry, received time.Time) {
		tracker.ObserveAll(es, tag, received)
		for i := range es {
			rep.Follow(&es[i], received)
		}
	})
	for _, p := range parts {
		rep.Merge(p)
	}
	if !stateOpts.save(tracker, "haproxy-decode report", stderr) {
		status = 1
	}
	sum := rep.Summary()
	if *htmlFile != "" {
		if err := writeHTMLFile(*htmlFile, sum); err != nil {
			fmt.Fprintf(stderr, "haproxy-decode report: -html: %v\n", err)
			return 1
		}
	}

	out := bufio.NewWriterSize(stdout, 64<<10)
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		err = enc.Encode(sum)
	} else {
		err = report.WriteText(out, sum)
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		fmt.Fprintf(stderr, "haproxy-decode report: write: %v\n", err)
		return 1
	}
	return status
}

// writeHTMLFile writes the HTML page of sum to name.
func writeHTMLFile(name string, sum *report.Summary) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = report.WriteHTML(w, sum)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
