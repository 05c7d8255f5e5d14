// Command haproxy-decode decodes HAProxy log lines into JSON, one object per
// line, with the same decoder and encoder as the Fluent Bit plugin.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	jsoniter "github.com/json-iterator/go"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode/haproxycfg"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
)

// MaxLine is the most of one line that is kept: a longer line is still one
// record, holding its first MaxLine bytes (the decoder reads at most
// decode.MaxLine of it anyway); the rest is skipped with a warning.
const MaxLine = 1 << 20

const usage = `Usage:
  haproxy-decode [flags] [FILE...]
  haproxy-decode explain TEXT...
  haproxy-decode report [-json] [-html FILE] [FILE...]

Decodes HAProxy log lines (syslog RFC3164/RFC5424, stderr, raw; http, https,
tcp and clf traffic logs and operational messages) and writes one JSON object
per input line to standard output. With no FILE, or when FILE is -, it reads
standard input. A line it does not understand is still written, with
haproxy.log_type "unknown", its message and haproxy.parse_error.

"explain" prints what a termination state (sH--, CD ...), a health-check
status or reason (L4TOUT, "Layer7 wrong status"), a timer (Tw, Tr ...) or a
log phrase ("no server available", <NOSRV>) means.

"report" reads the logs once and sums them up for a person: per backend and
server, termination states, timer percentiles, slowest URLs, outages,
flapping servers, reloads ("haproxy-decode report -h").

Flags:
  -tz ZONE                  time zone of HAProxy's local timestamps
                            (IANA name such as Europe/Paris, or UTC;
                            default: this machine's zone)
  -request-headers a,b      names of the captured request headers, in
                            capture order (adds haproxy.http.request.headers.<name>)
  -response-headers a,b     names of the captured response headers
` + formatUsage + `  -no-message               do not copy the line into "message"
                            (unknown lines keep it anyway)
  -explain anomalies|all|none
                            which records carry the explanation texts
                            (haproxy.termination.*.meaning, .summary,
                            .cookie_summary, .advice, haproxy.diagnosis.summary):
                            anomalies (default: anomalies, failures and
                            operational events), all, or none; the codes,
                            blame, anomaly and event.outcome are always written
` + stateUsage + `  -h                        this help

Examples:
  haproxy-decode /var/log/haproxy.log | jq .haproxy.termination
  journalctl -u haproxy -o cat | haproxy-decode -tz UTC
  haproxy-decode -request-headers host,user-agent access.log
  haproxy-decode -haproxy-config /etc/haproxy/haproxy.cfg /var/log/haproxy.log
  haproxy-decode -log-format '%ci:%cp fe=%ft st=%ST host=%[capture.req.hdr(0)]' kv.log
  haproxy-decode explain sH--
  haproxy-decode explain L4TOUT
  haproxy-decode explain Tc
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole command: it returns the exit status.
// tzFlag defines -tz: HAProxy's local timestamps are read in that zone
// (an IANA name, UTC or Local) instead of the machine's.
func tzFlag(fs *flag.FlagSet, dec *decode.Decoder) {
	fs.Func("tz", "time zone of HAProxy's local timestamps (default: the machine's)", func(v string) (err error) {
		dec.Location = nil
		if v != "" {
			dec.Location, err = time.LoadLocation(v)
		}
		return err
	})
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "explain" {
		return explain(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "report" {
		return runReport(args[1:], stdin, stdout, stderr)
	}
	fs := flag.NewFlagSet("haproxy-decode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // -h prints the usage on stdout, a bad flag on stderr
	var dec decode.Decoder
	tzFlag(fs, &dec)
	reqHeaders := fs.String("request-headers", "", "names of the captured request headers, comma-separated")
	respHeaders := fs.String("response-headers", "", "names of the captured response headers, comma-separated")
	noMessage := fs.Bool("no-message", false, `do not write "message" (unknown lines keep it)`)
	formats := addFormatFlags(fs)
	explainFlag := fs.String("explain", encode.ExplainAnomalies.String(), "which records carry the explanation texts: anomalies, all or none")
	stateOpts := addStateFlags(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			io.WriteString(stdout, usage) // not Fprint: the usage shows log-format strings (%ci)
			return 0
		}
		io.WriteString(stderr, usage)
		return 2
	}

	explainTexts, ok := encode.ParseExplain(*explainFlag)
	if !ok {
		fmt.Fprintf(stderr, "haproxy-decode: -explain %q: want anomalies, all or none\n", *explainFlag)
		return 2
	}
	if !formats.apply(&dec, "haproxy-decode", stderr) {
		return 2
	}
	tracker, err := stateOpts.tracker("haproxy-decode", stderr)
	if err != nil {
		fmt.Fprintf(stderr, "haproxy-decode: %v\n", err)
		return 2
	}
	enc := encode.New(encode.Options{
		KeepMessage:         !*noMessage,
		Explain:             explainTexts,
		RequestHeaderNames:  splitNames(*reqHeaders),
		ResponseHeaderNames: splitNames(*respHeaders),
	})

	// One tracker for the whole run: the files are one stream (a log and
	// its rotations).
	c := &converter{dec: &dec, exp: decode.Explainer{State: tracker}, tag: []byte(stateOpts.tag), enc: enc, stderr: stderr,
		stream: jsoniter.NewStream(jsoniter.ConfigDefault, stdout, writeAt+8<<10),
		lines:  lineReader{stderr: stderr}}
	status, writeErr := eachInput(fs.Args(), stdin, stderr, c.convert)
	if writeErr != nil {
		return c.fail(writeErr)
	}
	if err := c.stream.Flush(); err != nil {
		fmt.Fprintf(stderr, "haproxy-decode: write: %v\n", err)
		return 1
	}
	if !stateOpts.save(tracker, "haproxy-decode", stderr) {
		return 1
	}
	return status
}

// readHAProxyConfig gives dec the log-formats of HAProxy's configuration,
// and prints HAProxy's own warnings that change what it logs.
func readHAProxyConfig(dec *decode.Decoder, paths []string, stderr io.Writer) error {
	cfg, err := haproxycfg.ReadFiles(paths, os.LookupEnv)
	if err != nil {
		return err
	}
	formats, err := cfg.Compile()
	if err != nil {
		return err
	}
	for _, w := range cfg.Warnings {
		fmt.Fprintf(stderr, "haproxy-decode: -haproxy-config: warning: %s\n", w)
	}
	haproxycfg.AddTo(dec, formats)
	return nil
}

func splitNames(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	names := strings.Split(s, ",")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	return names
}

// writeAt is how much JSON the converter gathers per write to stdout.
const writeAt = 64 << 10

// converter turns lines into JSON lines, encoded into one json-iterator
// Stream over stdout that is written out each time it holds writeAt bytes.
type converter struct {
	dec    *decode.Decoder
	exp    decode.Explainer // with the run's tracker as its stateful step
	tag    []byte           // -tag: the stream's name for the tracker
	enc    *encode.Encoder
	stderr io.Writer
	stream *jsoniter.Stream
	entry  decode.Entry
	lines  lineReader
}

func (c *converter) fail(err error) int {
	c.stream.Flush()
	fmt.Fprintf(c.stderr, "haproxy-decode: %v\n", err)
	return 1
}

// convert writes one JSON object per line of r. A read error ends this
// input; a write error ends the command.
func (c *converter) convert(r io.Reader, name string) (readErr, writeErr error) {
	return c.lines.each(r, name, c.record)
}

func (c *converter) record(line []byte) error {
	now := time.Now()
	c.dec.Decode(&c.entry, line, now)
	c.exp.ExplainRecord(&c.entry, c.tag, now)
	c.enc.Encode(c.stream, &c.entry, now, nil)
	c.stream.WriteRaw("\n")
	if c.stream.Buffered() < writeAt {
		return nil
	}
	if err := c.stream.Flush(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// explain prints what a termination state or message means.
func explain(args []string, stdout, stderr io.Writer) int {
	text := strings.TrimSpace(strings.Join(args, " "))
	if text == "" || text == "-h" || text == "-help" || text == "--help" {
		io.WriteString(stderr, usage)
		if text == "" {
			return 2
		}
		return 0
	}
	s, ok := decode.Explain(text)
	if !ok {
		fmt.Fprintf(stderr, "haproxy-decode: no explanation for %q\n", text)
		return 1
	}
	fmt.Fprintln(stdout, strings.TrimRight(s, "\n"))
	return 0
}
