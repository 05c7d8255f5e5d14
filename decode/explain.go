package decode

import "strings"

// checkStatusInfo is one row of HAProxy's check status table (check_statuses[]
// in src/check.c), with the operator's reading of it.
type checkStatusInfo struct {
	code    string // short code, as in the stats page (`check_status`)
	reason  string // long description, as in the log's "reason:"
	layer   string // L4 | L6 | L7 | external | traffic | local | ""
	result  string // passed | failed | conditionally passed | neutral | unknown
	summary string
}

// checkStatuses follows HAProxy's table order. START and L57DATA have no text
// of their own and never appear in logs.
var checkStatuses = [...]checkStatusInfo{
	{"UNK", "Unknown", "", "unknown",
		"Unknown: there is no check result (yet). Usually seen right after start-up or when checks are disabled."},
	{"INI", "Initializing", "", "unknown",
		"Initializing: the check has not completed its first run yet (start-up, or the server was just added or enabled)."},
	{"CHECKED", "No status change", "", "neutral",
		"No status change: the check ran and the server's state stayed the same. Not normally logged."},
	{"HANA", "Health analyze", "traffic", "failed",
		"Health analyze: the server was failed by watching live traffic (`observe layer4|layer7` with error-limit/on-error), not by a check. The info says how many consecutive errors were seen and the last one. Look at the server's real responses at that moment."},
	{"SOCKERR", "Socket error", "local", "failed",
		"Socket error: HAProxy could not even create or set up the check's socket on its own host (file descriptors, source address or port, permissions). The server itself was not tested: look at the HAProxy host."},
	{"L4OK", "Layer4 check passed", "L4", "passed",
		"Layer 4 check passed: the TCP connection to the server succeeded (that is all a plain `check` tests)."},
	{"L4TOUT", "Layer4 timeout", "L4", "failed",
		"Layer 4 timeout: the connection attempt got no answer at all before the check timeout. Packets are dropped (firewall, security group), or the host is down, unreachable or badly overloaded. Test the address and port from the HAProxy host (e.g. `nc -vz`) and check the filtering rules in between."},
	{"L4CON", "Layer4 connection problem", "L4", "failed",
		"Layer 4 connection problem: the connection failed outright. With info \"Connection refused\" the host answered but nothing listens on that port: the service is stopped, crashed, or listens on another address/port. \"No route to host\" or \"Network is unreachable\" point to the host being down or a routing problem."},
	{"L6OK", "Layer6 check passed", "L6", "passed",
		"Layer 6 check passed: the TLS handshake with the server succeeded."},
	{"L6TOUT", "Layer6 timeout", "L6", "failed",
		"Layer 6 timeout: TCP connected but the TLS handshake did not finish in time: the server is overloaded, or that port does not speak TLS and waits silently."},
	{"L6RSP", "Layer6 invalid response", "L6", "failed",
		"Layer 6 invalid response: the TLS handshake failed. Typically the port does not speak TLS (check-ssl against a plain port), no common protocol version or cipher, or certificate verification failed (see info)."},
	{"L7TOUT", "Layer7 timeout", "L7", "failed",
		"Layer 7 timeout: the server accepted the connection but did not answer the check in time. The service is up but too slow or hung (or a tcp-check expect waited for data that never came). Look at the server's load and at the check URL's response time."},
	{"L7RSP", "Layer7 invalid response", "L7", "failed",
		"Layer 7 invalid response: the server answered, but not what the check expects: not valid HTTP, content that fails `http-check expect`, or a protocol check (redis, mysql, ldap ...) that got a wrong reply. The info says what was wrong."},
	{"L7OK", "Layer7 check passed", "L7", "passed",
		"Layer 7 check passed: the application answered the check with an expected status (the code gives it)."},
	{"L7OKC", "Layer7 check conditionally passed", "L7", "conditionally passed",
		"Layer 7 check conditionally passed: the server answered in a way that keeps it alive but takes it out of load balancing, typically 404 with `http-check disable-on-404`. The server is 'stopping' (NOLB): existing and persistent sessions continue, no new traffic. Often the application draining itself on purpose."},
	{"L7STS", "Layer7 wrong status", "L7", "failed",
		"Layer 7 wrong status: the service runs and answered, but with an error status (code and info give it, e.g. 500 Internal Server Error, 503 Service Unavailable). Look at the application's own logs and its dependencies. For an agent check it means the agent reported down, fail or stopped."},
	{"PROCERR", "External check error", "external", "failed",
		"External check error: the external check program (`external-check command`) failed: it exited with a non-zero code (the code gives it) or could not be run."},
	{"PROCTOUT", "External check timeout", "external", "failed",
		"External check timeout: the external check program did not finish before the check timeout and was killed."},
	{"PROCOK", "External check passed", "external", "passed",
		"External check passed: the external check program exited with 0."},
}

// checkStatusAliases are HAProxy's enum names where they differ from the short code.
var checkStatusAliases = map[string]string{
	"UNKNOWN": "UNK",
	"L7OKD":   "L7OK",
	"L7OKCD":  "L7OKC",
}

// checkStatusByCode finds a check status by its short code ("L4TOUT", also
// HAProxy's enum spellings "L7OKD"/"L7OKCD"; case is ignored); nil for an
// unknown code. Its layer is "L4", "L6", "L7", "external" (external-check
// program), "traffic" (HANA: live traffic analysis), "local" (SOCKERR:
// HAProxy's own host) or "" for the statuses that carry no check result
// (UNK, INI, CHECKED).
func checkStatusByCode(code string) *checkStatusInfo {
	code = strings.ToUpper(strings.TrimSpace(code))
	code = strings.TrimPrefix(code, "HCHK_STATUS_")
	if a, ok := checkStatusAliases[code]; ok {
		code = a
	}
	for i := range checkStatuses {
		if checkStatuses[i].code == code {
			return &checkStatuses[i]
		}
	}
	return nil
}

// CheckStatusFromReason maps the long description of a check log's
// "reason:" ("Layer4 timeout") to its short code ("L4TOUT"). Case is ignored.
// It returns "" for a text that is not in HAProxy's table. It allocates nothing.
func CheckStatusFromReason(reason []byte) string {
	for i := range checkStatuses {
		if equalFoldBytes(reason, checkStatuses[i].reason) {
			return checkStatuses[i].code
		}
	}
	return ""
}

func equalFoldBytes(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

type timerInfo struct {
	name string
	text string
}

var timerInfos = [...]timerInfo{
	{"TR", "TR: time to receive the complete request headers, from the request's first byte (HTTP only).\n-1: the end of the headers was never seen: the client closed or timed out before finishing, or the request was invalid (often with <BADREQ>)."},
	{"Tw", "Tw: total time spent waiting in queues for a free server slot (it also holds the tarpit delay).\n-1: the request was stopped before reaching a queue: invalid or denied, answered locally, or no server was available."},
	{"Tc", "Tc: time to establish the TCP connection to the server, retries included.\n-1: the connection was never established (connect timeout, refused, or the session ended before connecting)."},
	{"Tr", "Tr: server response time, from the connection being established to the complete response headers (HTTP only). It includes uploading the request body, so it is inflated on large POSTs.\n-1: the response headers never arrived (server timeout, server abort, or an invalid response)."},
	{"Ta", "Ta: total active time of the HTTP request, from its first byte to the last byte of the response (handshake and idle time excluded).\nNever -1. A '+' prefix (option logasap) means the line was logged before the end: it is the time so far."},
	{"Tt", "Tt: total session time, from accept to close, handshakes and idle time included (TCP logs print it where HTTP logs print Ta; in HTTP, Tt = Th + Ti + Ta).\nNever -1. A '+' prefix (option logasap) means the line was logged before the end."},
	{"Th", "Th: time spent accepting the connection and in low-level handshakes (PROXY protocol, TLS). Counted on a connection's first request only; 0 for the following keep-alive requests. Large values: slow TLS handshakes (CPU) or slow clients."},
	{"Ti", "Ti: idle time before the request's first byte, i.e. keep-alive wait between requests on a reused connection.\n-1: nothing was received at all."},
	{"Tq", "Tq: legacy, Th + Ti + TR: time from accept to the complete request headers.\n-1 if any of the three is -1. In logs from HAProxy 1.6 and older the first httplog timer is Tq (and the last one Tt); since 1.7 they are TR and Ta."},
	{"Td", "Td: time to transfer the response body, Ta - (TR + Tw + Tc + Tr), the -1 timers being left out."},
	{"Tu", "Tu: estimated total time as the user saw it: like Tt but without the idle time Ti, so keep-alive waits do not inflate it."},
}

var timerReading = "Reading HTTP timers TR/Tw/Tc/Tr/Ta (TCP: Tw/Tc/Tt): the first -1 tells how far the request got.\n" +
	"  -1/xx/xx/xx/Ta  the client's request was never complete\n" +
	"  TR/-1/xx/xx/Ta  refused, invalid or denied, answered locally, or no server\n" +
	"  TR/Tw/-1/xx/Ta  the connection to the server failed or timed out\n" +
	"  TR/Tw/Tc/-1/Ta  the server accepted but did not send its response headers in time\n" +
	"Timers close to multiples of 3 s (3000, 6000 ...) mean TCP retransmits: packet loss."

type phraseInfo struct {
	keys  []string // lower case; matched as substrings (or whole, with exact)
	exact bool
	text  string
}

var phrases = [...]phraseInfo{
	{[]string{"no server available", "0 active and 0 backup"}, false,
		"\"backend X has no server available!\": the last usable server of the backend went DOWN or into maintenance. From now on every request to it fails at once (503, SC with <NOSRV>) until a server comes back. Look at the server DOWN / maintenance lines just before it to see why each server left."},
	{[]string{"running on backup"}, false,
		"\"Running on backup.\": no active server is left UP in the backend, so traffic now goes to the backup servers. Find why the active servers are DOWN (their DOWN lines and check reasons); when one comes back, traffic returns to it (and backup sessions are cut if on-marked-up shutdown-backup-sessions is set)."},
	{[]string{"connection refused"}, false,
		"\"Connection refused\": the server's host answered the connection attempt with a reset: it is up, but nothing listens on that port (service stopped or crashed, wrong port or address). In traffic logs this gives SC; in checks, L4CON."},
	{[]string{"no route to host", "network is unreachable", "host is unreachable"}, false,
		"\"No route to host\" / \"Network is unreachable\": the connection could not even be attempted properly: the host is down (no ARP/ICMP answer), or a route or firewall rejects it. Check the network path from the HAProxy host."},
	{[]string{"ssl handshake failure", "connection error during ssl handshake"}, false,
		"\"SSL handshake failure\": the TLS negotiation failed. On a frontend (embryonic connection error line): the client spoke plain HTTP to a TLS port, or has no common protocol version/cipher, or rejected the certificate. In a check (L6RSP): the server does not speak TLS on that port or the versions/ciphers/certificate do not match."},
	{[]string{"timeout during ssl handshake"}, false,
		"\"Timeout during SSL handshake\": the TLS handshake did not complete in time: a client (or server, for checks) that connects and then sends nothing, a very slow network, or an overloaded HAProxy CPU."},
	{[]string{"connection closed during ssl handshake"}, false,
		"\"Connection closed during SSL handshake\": the peer closed before the TLS handshake finished: TCP probes and port scanners, a load balancer health check hitting a TLS port, or a client that rejected the certificate."},
	{[]string{"<nosrv>", "nosrv"}, false,
		"<NOSRV> in the server column: no server was chosen for this request. Either HAProxy answered or blocked it itself (L*, P* states, deny rules, redirects), the request never got that far (CR, cR), or the backend had no usable server (SC/sC/sQ with 503)."},
	{[]string{"<badreq>", "badreq"}, false,
		"<BADREQ> in place of the request line: HAProxy never got a complete, valid request (states CR, cR or PR, status 400/408). Usually pre-connects, probes, scanners or malformed requests. `show errors` on the runtime API shows the last invalid ones."},
	{[]string{"hard-stop", "hard-stopped", "hard stop"}, false,
		"hard-stop: after a reload or soft stop, the old process was still serving connections when hard-stop-after expired, so it closed them (sessions logged with a K first character, e.g. KH-- 502 or KD). Raise hard-stop-after or drain long-lived connections before reloading."},
	{[]string{"timers", "timer", "-1"}, true,
		timerReading},
}

// Explain explains a termination state ("sH--", "SC"), a health-check status
// code or reason ("L4TOUT", "Layer4 timeout"), a timer name ("Tw", "%Tr") or a
// few log phrases ("no server available", "Running on backup"). ok is false
// when text is none of these.
func Explain(text string) (string, bool) {
	s := strings.TrimSpace(text)
	if s == "" {
		return "", false
	}
	if t, ok := ExplainTermination([]byte(s)); ok {
		return explainTermination(s, t), true
	}
	if c := checkStatusByCode(s); c != nil {
		return explainCheck(c), true
	}
	if c := checkByReason(s); c != nil {
		return explainCheck(c), true
	}
	if out, ok := explainTimer(s); ok {
		return out, true
	}
	low := strings.ToLower(s)
	for _, p := range phrases {
		for _, k := range p.keys {
			if low == k || !p.exact && strings.Contains(low, k) {
				return p.text, true
			}
		}
	}
	return "", false
}

func explainTermination(s string, t Termination) string {
	var b strings.Builder
	kind := "TCP (tcplog, 2 characters)"
	if len(s) == 4 {
		kind = "HTTP (httplog, 4 characters)"
	}
	b.WriteString("Termination state " + s + " - " + kind + "\n")
	b.WriteString("  " + string(t.Cause.Code) + "  what ended it:   " + t.Cause.Meaning + "\n")
	b.WriteString("  " + string(t.Phase.Code) + "  phase:           " + t.Phase.Meaning + "\n")
	if len(s) == 4 {
		b.WriteString("  " + string(t.ClientCookie.Code) + "  client cookie:   " + t.ClientCookie.Meaning + "\n")
		b.WriteString("  " + string(t.ServerCookie.Code) + "  server cookie:   " + t.ServerCookie.Meaning + "\n")
	}
	b.WriteString("\n" + s[:2] + ": " + t.Summary + "\n")
	anomaly := "no"
	if t.Anomaly {
		anomaly = "yes"
	}
	b.WriteString("Blame: " + t.Blame + "   Anomaly: " + anomaly + "   Outcome: " + t.Outcome + "\n")
	if t.Advice != "" {
		b.WriteString("Advice: " + t.Advice + "\n")
	}
	if len(s) == 4 {
		b.WriteString("Cookies (" + s[2:] + "): " + t.CookieSummary + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func checkByReason(s string) *checkStatusInfo {
	low := strings.ToLower(s)
	// Accept a whole check line: take what follows "reason:" up to the next comma.
	if i := strings.Index(low, "reason:"); i >= 0 {
		low = low[i+len("reason:"):]
		if j := strings.IndexByte(low, ','); j >= 0 {
			low = low[:j]
		}
	}
	low = strings.TrimSpace(low)
	// Accept "Layer 4 timeout" for "Layer4 timeout".
	for _, d := range []string{"4", "6", "7"} {
		low = strings.ReplaceAll(low, "layer "+d, "layer"+d)
	}
	if code := CheckStatusFromReason([]byte(low)); code != "" {
		return checkStatusByCode(code)
	}
	return nil
}

func explainCheck(c *checkStatusInfo) string {
	var b strings.Builder
	b.WriteString("Check status " + c.code + " (reason: \"" + c.reason + "\")")
	if c.layer != "" {
		b.WriteString(", layer " + c.layer)
	}
	b.WriteString(", result: " + c.result + "\n")
	b.WriteString(c.summary)
	return b.String()
}

func explainTimer(s string) (string, bool) {
	name := strings.TrimPrefix(s, "%")
	for _, t := range timerInfos {
		if t.name == name {
			return t.text, true
		}
	}
	// Case-insensitive fallback; "tr" could be TR or Tr, so give both.
	var out []string
	for _, t := range timerInfos {
		if strings.EqualFold(t.name, name) {
			out = append(out, t.text)
		}
	}
	if len(out) == 0 {
		return "", false
	}
	return strings.Join(out, "\n\n"), true
}
