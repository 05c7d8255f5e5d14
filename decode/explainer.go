package decode

import "time"

// Explainer is the pipeline's second stage. Decode reads what a line says;
// Explain adds what it means, into the entry's Explanation part; the encoder
// then only writes what the entry holds:
//
//	dec.Decode(&e, line, now) // parse
//	exp.Explain(&e)           // explain
//	enc.Append(buf, &e, ...)  // write
//
// For a traffic line Explain fills the termination state's explanation, the
// ECS outcome and the first timer phase never reached; for an operational
// event, the diagnosis (summary and layer), the severity, the outcome and
// the outage flag. An unknown line gets no explanation.
//
// The zero Explainer is ready to use and keeps no state. With State set
// (package state's Tracker: outages, downtime, flapping, reloads),
// ExplainRecord also reads the line against the lines before it, after the
// per-line steps; the Explainer then serves the streams that share that
// state (a plugin instance, a run of the command), concurrently if State
// allows it.
type Explainer struct {
	State Stateful
}

// Stateful is the step of the explanation that remembers earlier lines: it
// fills e.State. source names the stream the line came from (the Fluent Bit
// tag), received is when the record was received (for a line without a
// time of its own).
type Stateful interface {
	Observe(e *Entry, source []byte, received time.Time)
}

// ExplainRecord is Explain, then the stateful step (State), for a line of
// the stream source received at received.
func (x *Explainer) ExplainRecord(e *Entry, source []byte, received time.Time) {
	x.Explain(e)
	if x.State != nil {
		x.State.Observe(e, source, received)
	}
}

// Explain fills e.Explanation from the rest of e (what Decode read). It
// allocates nothing in steady state.
func (x *Explainer) Explain(e *Entry) {
	e.Explanation = Explanation{}
	switch {
	case e.IsTraffic():
		explainTraffic(e)
	case e.Type == LogEvent:
		explainEvent(e)
	}
}

// explainTraffic explains a traffic line from its termination state and
// timers.
func explainTraffic(e *Entry) {
	if len(e.TermState) > 0 {
		if t := lookupTermination(e.TermState); t != nil {
			e.Termination, e.Outcome = t, t.Outcome
		}
	}
	e.Outcome = httpOutcome(e)
	// Only the timers the line's format writes count: a custom log-format
	// without %TR says nothing about the request phase, nor about the
	// phases after it.
	e.Unreached = firstUnreached([4]int{e.TR, e.Tw, e.Tc, e.Tr}, e.untimed, e.Type != LogTCP)
}

// explainEvent explains an operational event (diagnosis.go).
func explainEvent(e *Entry) {
	switch e.Event {
	case EventConnectionError:
		diagnoseConnError(e)
	case EventConnect:
		diagnoseConnect(e)
	default:
		diagnoseEvent(e)
	}
	e.Outcome = eventOutcome(e)
}

// eventOutcome is the ECS event.outcome of an event: failure for a server
// going DOWN, a backend without server, a failed check, a connection error,
// a resource limit, a hard stop or a worker exiting with a non-zero code;
// success for a server coming UP, a passed check, a proxy started or
// resumed; otherwise "" (not known).
func eventOutcome(e *Entry) string {
	switch e.Event {
	case EventServerDown, EventBackendNoServer, EventConnectionError,
		EventResourceLimit, EventProxyHardStopped, EventHardStop:
		return OutcomeFailure
	case EventServerUp, EventProxyStarted, EventProxyResumed:
		return OutcomeSuccess
	case EventHealthCheck, EventAgentCheck:
		switch e.CheckResult {
		case "failed":
			return OutcomeFailure
		case "succeeded", "conditionally succeeded":
			return OutcomeSuccess
		}
	case EventWorker:
		if e.ExitCode > 0 {
			return OutcomeFailure
		}
	}
	return ""
}

// httpOutcome is the ECS event.outcome of a traffic line: an HTTP status of
// 400 or more is a failure, as in Filebeat's module and the ECS web modules;
// a lower status is a success unless the session was aborted (the
// termination state's failure stands: a client that reset the connection
// during a 200 did not get its answer). A TCP line keeps the termination's
// outcome, and so does a state this package cannot read.
func httpOutcome(e *Entry) string {
	switch {
	case e.Type == LogTCP || e.Status == Unset:
		return e.Outcome
	case e.Status >= 400:
		return OutcomeFailure
	case e.Outcome == "" && len(e.TermState) == 0:
		return OutcomeSuccess // a custom format without %tsc
	}
	return e.Outcome
}
