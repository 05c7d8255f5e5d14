package decode

// Flag is one character of a termination state with its meaning.
type Flag struct {
	Code    byte
	Meaning string
}

// Termination explains a termination state ("sH--" or "sD").
// All strings are static: explaining allocates nothing.
type Termination struct {
	Cause        Flag   // 1st character: what ended the session
	Phase        Flag   // 2nd character: what the session was doing
	ClientCookie Flag   // 3rd character (HTTP only; Code 0 when absent)
	ServerCookie Flag   // 4th character (HTTP only; Code 0 when absent)
	Summary      string // what the two-letter combination means
	Blame        string // client | server | proxy | resource | internal | admin | local | none
	Anomaly      bool
	Advice       string // what to check or tune ("" when nothing to do)
	Outcome      string // ECS event.outcome: success | failure | unknown
}

// ExplainTermination explains ts; ok is false when ts is not 2 or 4
// characters of known flags.
func ExplainTermination(ts []byte) (t Termination, ok bool) {
	return t, false
}
