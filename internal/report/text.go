package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText writes the report for a person at a terminal: one table per
// section, aligned with tabwriter.
func WriteText(w io.Writer, s *Summary) error {
	tw := &errWriter{w: w}
	writeHeader(tw, s)
	writeGroups(tw, "Backends", s.Backends)
	writeGroups(tw, "Servers", s.Servers)
	writeTimers(tw, s)
	writeTerminations(tw, s.TerminationStates)
	writeURLs(tw, s.SlowestURLs)
	writeOutages(tw, s.Outages)
	writeFlapping(tw, s.Flapping)
	writeReloads(tw, s.Reloads)
	writeUnknown(tw, s.Unknown)
	return tw.err
}

// errWriter remembers the first write error so that the sections need not
// check every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

const textTime = "2006-01-02 15:04:05.000"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(textTime)
}

func writeHeader(w io.Writer, s *Summary) {
	l := s.Lines
	fmt.Fprintf(w, "HAProxy log report: %d lines (%d http, %d https, %d tcp, %d clf, %d events, %d unknown)\n",
		l.Total, l.HTTP, l.HTTPS, l.TCP, l.CLF, l.Event, l.Unknown)
	if !s.From.IsZero() {
		fmt.Fprintf(w, "from %s to %s (%s)\n", fmtTime(s.From), fmtTime(s.To),
			fmtDuration(s.To.Sub(s.From).Milliseconds()))
	}
}

// table writes a titled section of aligned columns: the header (cells
// separated by tabs), then rows. Without rows it writes empty under the
// title, or nothing at all when empty is "".
func table(w io.Writer, title, empty, header string, rows [][]string) {
	if len(rows) == 0 && empty == "" {
		return
	}
	fmt.Fprintf(w, "\n%s\n%s\n", title, strings.Repeat("-", len(title)))
	if len(rows) == 0 {
		fmt.Fprintln(w, empty)
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func writeGroups(w io.Writer, title string, groups []Group) {
	var rows [][]string
	for _, g := range groups {
		c := g.StatusClasses
		rows = append(rows, []string{g.Name, itoa(g.Requests), itoa(g.Errors), itoa(c.C1xx), itoa(c.C2xx),
			itoa(c.C3xx), itoa(c.C4xx), itoa(c.C5xx), itoa(c.Other), abnormalStates(g.Termination)})
	}
	table(w, title, "", "name\trequests\terrors\t1xx\t2xx\t3xx\t4xx\t5xx\tother\ttermination states (not ----/--)", rows)
}

// abnormalStates lists a group's termination states other than a normal
// end, most frequent first: "SC 4, sH 2".
func abnormalStates(m map[string]int64) string {
	type kv struct {
		k string
		v int64
	}
	var list []kv
	for k, v := range m {
		if !strings.HasPrefix(k, "--") { // a normal end, whatever its cookie flags
			list = append(list, kv{k, v})
		}
	}
	slices.SortFunc(list, func(a, b kv) int {
		if c := cmp.Compare(b.v, a.v); c != 0 {
			return c
		}
		return cmp.Compare(a.k, b.k)
	})
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = fmt.Sprintf("%s %d", e.k, e.v)
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

func writeTimers(w io.Writer, s *Summary) {
	var rows [][]string
	for _, g := range timerRows(s) {
		row := []string{g.Name}
		for _, n := range timerNames {
			row = append(row, timerCell(g, n))
		}
		rows = append(rows, row)
	}
	table(w, "Timers (ms): p50 / p90 / p99 / max", "", "name\tTa (total)\tTr (server response)\tTw (queue)\tTc (connect)", rows)
	if len(rows) > 0 {
		fmt.Fprintf(w, "(%s)\n", s.Precision)
	}
}

func timerCell(g Group, name string) string {
	t, ok := g.Timers[name]
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%d / %d / %d / %d", t.P50, t.P90, t.P99, t.Max)
}

// timerRows are the backends, each followed by its servers when it has
// more than one (a single server's timers are its backend's).
func timerRows(s *Summary) []Group {
	perBackend := make(map[string][]Group)
	for _, g := range s.Servers {
		perBackend[g.Backend] = append(perBackend[g.Backend], g)
	}
	var rows []Group
	for _, b := range s.Backends {
		rows = append(rows, b)
		if srvs := perBackend[b.Name]; len(srvs) > 1 {
			for _, g := range srvs {
				g.Name = "  " + g.Name
				rows = append(rows, g)
			}
		}
	}
	return rows
}

func writeTerminations(w io.Writer, states []TerminationState) {
	var rows [][]string
	for _, t := range states {
		mark := ""
		if t.Anomaly {
			mark = "! "
		}
		rows = append(rows, []string{t.State, itoa(t.Count), t.Blame, mark + t.Meaning})
	}
	table(w, "Termination states", "", "state\tcount\tblame\tmeaning", rows)
	if len(rows) > 0 {
		fmt.Fprintln(w, "(! an anomaly; `haproxy-decode explain STATE` says more)")
	}
}

func writeURLs(w io.Writer, urls []URL) {
	var rows [][]string
	for _, u := range urls {
		rows = append(rows, []string{fmt.Sprintf("%.1f", u.MeanTa), itoa(u.MaxTa), fmt.Sprintf("%.1f", u.MeanTr),
			itoa(u.Requests), itoa(u.Errors), u.Path})
	}
	table(w, "Slowest URLs (by mean Ta)", "", "mean Ta ms\tmax Ta ms\tmean Tr ms\trequests\terrors\tpath", rows)
}

func writeOutages(w io.Writer, outages []Outage) {
	var rows [][]string
	for _, o := range outages {
		end := fmtTime(o.End)
		if o.Ongoing {
			end = "ongoing"
		}
		rows = append(rows, []string{hostBackend(o.Host, o.Backend), fmtTime(o.Start), end,
			fmtDuration(o.DurationMs), itoa(o.Refused), orDash(strings.Join(o.ServersDown, ", "))})
	}
	table(w, "Outages (a backend with no server left)", "none",
		"backend\tstarted\tended\tduration\trefused\tservers down (in order)", rows)
}

func writeFlapping(w io.Writer, flaps []Flapping) {
	var rows [][]string
	for _, f := range flaps {
		rows = append(rows, []string{hostBackend(f.Host, f.Backend) + "/" + f.Server, strconv.Itoa(f.Transitions),
			fmtTime(f.First), fmtTime(f.Last)})
	}
	table(w, "Flapping servers", "none", "server\ttransitions\tfirst\tlast", rows)
}

func writeReloads(w io.Writer, reloads []Reload) {
	var rows [][]string
	for _, r := range reloads {
		rows = append(rows, []string{fmtTime(r.At), fmtTime(r.Last), pidList(r.PIDs), itoa(r.Lines)})
	}
	table(w, "Reloads", "none", "at\tuntil\tprocesses\tlines", rows)
}

func writeUnknown(w io.Writer, u Unknown) {
	var rows [][]string
	for _, r := range u.Reasons {
		rows = append(rows, []string{itoa(r.Count), r.Reason, r.Example})
	}
	table(w, "Lines not understood", "", "count\treason\tfirst line", rows)
}

// pidList is "3692 -> 3701": the old process, then the new (ASCII: tabwriter
// counts bytes).
func pidList(pids []int) string {
	parts := make([]string, len(pids))
	for i, p := range pids {
		parts[i] = strconv.Itoa(p)
	}
	return strings.Join(parts, " -> ")
}

func hostBackend(host, backend string) string {
	if host == "" {
		return backend
	}
	return host + ":" + backend
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// fmtDuration writes milliseconds the way a person reads them: 850ms,
// 12.3s, 4m05s, 2h03m.
func fmtDuration(ms int64) string {
	switch d := time.Duration(ms) * time.Millisecond; {
	case d < time.Second:
		return fmt.Sprintf("%dms", ms)
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	default:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
}
