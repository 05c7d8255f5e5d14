package encode

import (
	"strings"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// Explain is how much explanation text the encoder writes (Options.Explain):
// the texts are haproxy.termination's *.meaning, summary, cookie_summary and
// advice, and haproxy.diagnosis.summary. They are most of a traffic
// record's bytes, and the same for every record of the same state. The
// codes and classifications (termination_state, the characters' codes,
// blame, anomaly, event.outcome, timers.unreached, diagnosis.layer) are
// written under every setting.
type Explain uint8

const (
	// ExplainAnomalies, the default, writes the texts only on the records
	// that need reading: an anomaly (termination.anomaly), a failure
	// (event.outcome "failure") or an operational event (any line that is
	// not traffic). A normal request carries its codes only.
	ExplainAnomalies Explain = iota
	// ExplainAll writes the texts on every record.
	ExplainAll
	// ExplainNone writes no text: codes and classifications only.
	ExplainNone
)

// ExplainNames are the settings' names, in the order of the constants.
var ExplainNames = [...]string{ExplainAnomalies: "anomalies", ExplainAll: "all", ExplainNone: "none"}

func (x Explain) String() string {
	if int(x) < len(ExplainNames) {
		return ExplainNames[x]
	}
	return "Explain(?)"
}

// ParseExplain reads a setting's name (any case).
func ParseExplain(s string) (Explain, bool) {
	for i, n := range ExplainNames {
		if strings.EqualFold(s, n) {
			return Explain(i), true
		}
	}
	return 0, false
}

// texts reports whether e, a traffic line or not, gets the texts.
func (enc *Encoder) texts(traffic bool, e *decode.Entry) bool {
	switch enc.opts.Explain {
	case ExplainAll:
		return true
	case ExplainNone:
		return false
	}
	return !traffic || (e.Termination != nil && e.Termination.Anomaly) || e.Outcome == "failure"
}
