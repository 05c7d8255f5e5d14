package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
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

func section(w io.Writer, title string) *tabwriter.Writer {
	fmt.Fprintf(w, "\n%s\n%s\n", title, strings.Repeat("-", len(title)))
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

func writeGroups(w io.Writer, title string, groups []Group) {
	if len(groups) == 0 {
		return
	}
	tw := section(w, title)
	fmt.Fprintln(tw, "name\trequests\terrors\t1xx\t2xx\t3xx\t4xx\t5xx\tother\ttermination states (not ----/--)")
	for _, g := range groups {
		c := g.StatusClasses
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", g.Name, g.Requests, g.Errors,
			c.C1xx, c.C2xx, c.C3xx, c.C4xx, c.C5xx, c.Other, abnormalStates(g.Termination))
	}
	tw.Flush()
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
	if len(s.Backends) == 0 {
		return
	}
	tw := section(w, "Timers (ms): p50 / p90 / p99 / max")
	fmt.Fprintln(tw, "name\tTa (total)\tTr (server response)\tTw (queue)\tTc (connect)\t")
	for _, g := range timerRows(s) {
		fmt.Fprintf(tw, "%s", g.Name)
		for _, n := range timerNames {
			t, ok := g.Timers[n]
			if !ok {
				fmt.Fprint(tw, "\t-")
				continue
			}
			fmt.Fprintf(tw, "\t%d / %d / %d / %d", t.P50, t.P90, t.P99, t.Max)
		}
		fmt.Fprintln(tw, "\t")
	}
	tw.Flush()
	fmt.Fprintf(w, "(%s)\n", s.Precision)
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
	if len(states) == 0 {
		return
	}
	tw := section(w, "Termination states")
	fmt.Fprintln(tw, "state\tcount\tblame\tmeaning")
	for _, t := range states {
		mark := ""
		if t.Anomaly {
			mark = "! "
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s%s\n", t.State, t.Count, t.Blame, mark, t.Meaning)
	}
	tw.Flush()
	fmt.Fprintln(w, "(! an anomaly; `haproxy-decode explain STATE` says more)")
}

func writeURLs(w io.Writer, urls []URL) {
	if len(urls) == 0 {
		return
	}
	tw := section(w, "Slowest URLs (by mean Ta)")
	fmt.Fprintln(tw, "mean Ta ms\tmax Ta ms\tmean Tr ms\trequests\terrors\tpath")
	for _, u := range urls {
		fmt.Fprintf(tw, "%.1f\t%d\t%.1f\t%d\t%d\t%s\n", u.MeanTa, u.MaxTa, u.MeanTr, u.Requests, u.Errors, u.Path)
	}
	tw.Flush()
}

func writeOutages(w io.Writer, outages []Outage) {
	tw := section(w, "Outages (a backend with no server left)")
	if len(outages) == 0 {
		fmt.Fprintln(w, "none")
		return
	}
	fmt.Fprintln(tw, "backend\tstarted\tended\tduration\trefused\tservers down (in order)")
	for _, o := range outages {
		end := fmtTime(o.End)
		if o.Ongoing {
			end = "ongoing"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", hostBackend(o.Host, o.Backend), fmtTime(o.Start), end,
			fmtDuration(o.DurationMs), o.Refused, orDash(strings.Join(o.ServersDown, ", ")))
	}
	tw.Flush()
}

func writeFlapping(w io.Writer, flaps []Flapping) {
	tw := section(w, "Flapping servers")
	if len(flaps) == 0 {
		fmt.Fprintln(w, "none")
		return
	}
	fmt.Fprintln(tw, "server\ttransitions\tfirst\tlast\t")
	for _, f := range flaps {
		fmt.Fprintf(tw, "%s/%s\t%d\t%s\t%s\t\n", hostBackend(f.Host, f.Backend), f.Server, f.Transitions,
			fmtTime(f.First), fmtTime(f.Last))
	}
	tw.Flush()
}

func writeReloads(w io.Writer, reloads []Reload) {
	tw := section(w, "Reloads")
	if len(reloads) == 0 {
		fmt.Fprintln(w, "none")
		return
	}
	fmt.Fprintln(tw, "at\tuntil\tprocesses\tlines\t")
	for _, r := range reloads {
		pids := make([]string, len(r.PIDs))
		for i, p := range r.PIDs {
			pids[i] = fmt.Sprint(p)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t\n", fmtTime(r.At), fmtTime(r.Last), strings.Join(pids, " -> "), r.Lines)
	}
	tw.Flush()
}

func writeUnknown(w io.Writer, u Unknown) {
	if u.Count == 0 {
		return
	}
	tw := section(w, "Lines not understood")
	fmt.Fprintln(tw, "count\treason\tfirst line")
	for _, r := range u.Reasons {
		fmt.Fprintf(tw, "%d\t%s\t%s\n", r.Count, r.Reason, r.Example)
	}
	tw.Flush()
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
