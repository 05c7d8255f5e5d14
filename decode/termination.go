package decode

import "sync/atomic"

// Termination states (%ts: 2 characters in TCP logs, %tsc: 4 in HTTP logs).
//
// Every string handed out by ExplainTermination is either a constant or was
// built once, at init, into the package-level tables below: explaining a state
// is a few array look-ups and allocates nothing.
//
// Rules used for the derived fields (documented here because dashboards and
// alerts are built on them):
//
//   - Blame names the party that ENDED the session, read from the first
//     character alone: '-' none, 'L' local, 'c'/'C' client, 's'/'S' server,
//     'P' proxy, 'R' resource, 'I' internal, 'K' admin, 'D' server, 'U' proxy.
//     It is not a root-cause verdict; when the root cause is usually elsewhere
//     the Summary says so (CH/CQ/CC: an impatient client usually means a slow
//     server; PR: often a client that sent something invalid; PH: a server
//     that sent something invalid).
//     'D' is "server": the server failed its health checks and
//     on-marked-down shutdown-sessions only carried out the consequence.
//     'U' is "proxy": nobody acted (not admin) and nothing failed (not
//     server); HAProxy applied its own configured policy
//     (on-marked-up shutdown-backup-sessions), like the 'P' rules do.
//   - Outcome (ECS event.outcome) is "success" for a normal end ('-') and a
//     local answer ('L'), "failure" for everything else, client aborts
//     included: the exchange did not finish the way the protocol intends.
//   - Anomaly is false for a normal end ('-'), a local answer ('L'), and for
//     the client behaviours that healthy services see all day and that say
//     nothing about our side: CR/cR (a connection that never carried a full
//     request: pre-connects, probes, scanners), CD/CL/C- (the client went
//     away during or after the transfer) and cD/cL/c- (the client went
//     silent or stopped reading). Every other state is an anomaly, including
//     a client giving up while it waited for us (CC, CQ, CH, cH, CT ...).
//     So Anomaly implies Outcome "failure", but not the other way round.

// Flag is one character of a termination state with its meaning.
type Flag struct {
	Code    byte
	Meaning string
}

// Termination explains a termination state ("sH--" or "sD").
// All strings are static: explaining allocates nothing.
type Termination struct {
	Cause         Flag   // 1st character: what ended the session
	Phase         Flag   // 2nd character: what the session was doing
	ClientCookie  Flag   // 3rd character (HTTP only; Code 0 when absent)
	ServerCookie  Flag   // 4th character (HTTP only; Code 0 when absent)
	Summary       string // what the two-letter combination means
	CookieSummary string // what the 3rd+4th characters mean together ("" for 2-character states)
	Blame         string // client | server | proxy | resource | internal | admin | local | none
	Anomaly       bool
	Advice        string // what to check or tune ("" when nothing to do)
	Outcome       string // ECS event.outcome: success | failure | unknown

	key uint16 // Key()+1; 0 in the zero Termination
}

// Key is a number that only this termination state has, from 0 to
// TerminationKeys-1: what a writer caches its serialization under.
func (t *Termination) Key() int { return int(t.key) - 1 }

// TerminationKeys is how many termination states there are (2-character
// ones included), so the number of keys.
const TerminationKeys = len(TermCauseChars) * len(TermPhaseChars) * termCookieKeys

// termCookieKeys: per cause and phase, the 2-character state, then every
// cookie pair.
const termCookieKeys = 1 + len(TermClientCookieChars)*len(TermServerCookieChars)

// Outcome values.
const (
	OutcomeSuccess = "success"
	OutcomeFailure = "failure"
)

// Blame values.
const (
	BlameNone     = "none"
	BlameLocal    = "local"
	BlameClient   = "client"
	BlameServer   = "server"
	BlameProxy    = "proxy"
	BlameResource = "resource"
	BlameInternal = "internal"
	BlameAdmin    = "admin"
)

// Character sets, in HAProxy's own order (src/log.c: sess_term_cond without
// its repeated 'I's: slots 12-15 print 'I' again, 12 being "no port for a
// health check", an internal error too; sess_fin_state; sess_cookie;
// sess_set_cookie), with the '-' that HTTP logs print for "cookie persistence
// not in use" added to the cookie sets.
const (
	TermCauseChars        = "-LcCsSPRIDKU"
	TermPhaseChars        = "-RCHDLQT"
	TermClientCookieChars = "-NIDVEOU7"
	TermServerCookieChars = "-NPDIRU67"
)

type termCause struct {
	code    byte
	meaning string
	blame   string
	advice  string // default advice for combinations without their own
}

var termCauses = [len(TermCauseChars)]termCause{
	{'-', "Normal end: both sides closed and nothing was left in the buffers", BlameNone, ""},
	{'L', "Handled locally by HAProxy without a server (redirect, http-request return, auth challenge, stats, cache, Prometheus or Lua applet); not an error", BlameLocal, ""},
	{'c', "Client-side timeout fired (timeout client, or timeout http-request while the request was awaited)", BlameClient,
		"Compare the timers with timeout client / timeout http-request. Isolated cases are normal client behaviour; many at once point to a client-side network problem or a timeout that is too short."},
	{'C', "Client closed or aborted the connection unexpectedly (FIN or RST from the client, or a read/write error on the client side)", BlameClient,
		"Usually the client's own choice. Many at once point to users giving up on slow responses, or to a load balancer/firewall in front of HAProxy cutting connections."},
	{'s', "Server-side timeout fired (timeout server; timeout connect or timeout queue in the connect and queue phases)", BlameServer,
		"Compare the timers with timeout server / timeout connect / timeout queue, and look at the server's response times and load at that moment."},
	{'S', "Server aborted or explicitly refused the connection (RST, ICMP unreachable, or a read/write error on the server side)", BlameServer,
		"Look at the server's own logs at that time for crashes, restarts or resets, and at anything between HAProxy and the server that could reset connections."},
	{'P', "HAProxy itself cut the session on purpose: a deny/reject/tarpit rule, a connection limit, or a request or response it judged invalid or dangerous", BlameProxy,
		"Find the rule or check that fired: http-request/http-response/tcp-request rules, connection limits, or a protocol error (`show errors` on the runtime API shows the last invalid messages)."},
	{'R', "A local resource ran out on the HAProxy host (memory, file descriptors/sockets, source ports)", BlameResource,
		"Serious system issue on the HAProxy host: check ulimit-n and global maxconn, memory, free source ports (ip_local_port_range, TIME_WAIT), and HAProxy's alerts at that time."},
	{'I', "HAProxy detected an internal error in itself (a bug)", BlameInternal,
		"This is a bug: upgrade to the latest release of your branch and report it upstream with the log line and `haproxy -vv`; restart the process if it keeps happening."},
	{'D', "Killed because the server was marked DOWN by its checks (on-marked-down shutdown-sessions)", BlameServer,
		"Find out why the server went DOWN: look for its `Server ... is DOWN` / health-check event and its reason just before this line."},
	{'K', "Killed administratively: CLI `shutdown session(s)`, or hard-stop-after closing the old process after a reload", BlameAdmin,
		"If someone used the CLI, nothing to fix. If it coincides with a reload, the old process was still busy when hard-stop-after expired: raise hard-stop-after or drain long connections (WebSocket, downloads, TCP tunnels) before reloading."},
	{'U', "Killed on a backup server because an active server came back UP (on-marked-up shutdown-backup-sessions)", BlameProxy,
		"Expected after a failover when on-marked-up shutdown-backup-sessions is set: clients move back to the primary. Check why the primary server had been down."},
}

type termPhase struct {
	code    byte
	meaning string
}

var termPhases = [len(TermPhaseChars)]termPhase{
	{'-', "Already complete: no phase was pending"},
	{'R', "Waiting for a complete, valid request from the client (nothing had been sent to a server yet)"},
	{'C', "Waiting for the TCP connection to the server to be established"},
	{'H', "Waiting for complete, valid response headers from the server"},
	{'D', "Transferring data (the data phase)"},
	{'L', "Sending the last data to the client after the server had finished"},
	{'Q', "Waiting in a queue for a free connection slot on a server"},
	{'T', "Held in the tarpit (http-request tarpit) before being answered"},
}

var termClientCookies = [len(TermClientCookieChars)]Flag{
	{'-', "Persistence cookie not in use (no cookie configured for this backend, or passive mode)"},
	{'N', "The client sent no persistence cookie"},
	{'I', "The client's persistence cookie named no known server (invalid or stale)"},
	{'D', "The client's persistence cookie pointed to a server that is DOWN (redispatched, unless option persist kept it there)"},
	{'V', "The client's persistence cookie was valid: the request went to the server it names"},
	{'E', "The client's persistence cookie was valid but idle for too long (maxidle), so it was ignored"},
	{'O', "The client's persistence cookie was valid but too old (maxlife), so it was ignored"},
	{'U', "The client's persistence cookie was present but not used: another rule (use-server, force-persist ...) chose the server"},
	{'7', "Unknown client cookie status (reserved code 7)"},
}

var termServerCookies = [len(TermServerCookieChars)]Flag{
	{'-', "Persistence cookie not in use (no set-cookie processing)"},
	{'N', "No persistence cookie was set: the server sent none and HAProxy inserted none"},
	{'P', "The server's persistence cookie was passed through unchanged"},
	{'D', "The server's persistence cookie was deleted by HAProxy"},
	{'I', "HAProxy inserted a persistence cookie (in insert mode it replaces any the server set)"},
	{'R', "HAProxy rewrote the server's persistence cookie (rewrite or prefix mode)"},
	{'U', "HAProxy refreshed the date in the client's persistence cookie (maxidle/maxlife)"},
	{'6', "Unknown set-cookie status (reserved code 6)"},
	{'7', "Unknown set-cookie status (reserved code 7)"},
}

// termPair is a hand-written explanation of a cause+phase combination.
type termPair struct {
	state   string
	summary string
	advice  string // "" = use the cause's default advice
}

// termPairs: the combinations of the manual's §8.5 list, plus the frequent
// real-world ones (K*, D*, U*, cL/CL), with what a real HAProxy 2.6 does
// differently where it matters.
var termPairs = []termPair{
	{"--", "Normal end: the request or connection completed and both sides closed cleanly.", ""},

	{"LR", "HAProxy answered the request itself without contacting a server: a redirect, `http-request return`, an auth challenge (401), the stats page, a cache hit, the Prometheus exporter or a Lua applet. The server column shows <NOSRV>, <STATS> or <CACHE>.", ""},
	{"LC", "Handled locally at connect time: the chosen server has a `redir` prefix, so HAProxy answered with a redirect to it instead of connecting.", ""},
	{"LH", "The response was produced locally by HAProxy (for example `http-response return`) instead of being the server's.", ""},

	{"CC", "The client closed the connection while HAProxy was still connecting to the server. It usually gave up waiting because the server was slow to accept or unreachable (connect retries). Real HAProxy 2.6 mostly shows this with HTTP/2; in TCP mode the same event is logged CD with Tc -1.",
		"Look at Tc and retries: if connects to this server are slow or retried, check the server's accept backlog, its load and the network path; otherwise it is just an impatient client."},
	{"CD", "The client closed or reset the connection during the data transfer: a user navigated away or cancelled a download, the client or a middlebox dropped the connection, or (TCP) the client simply hung up with a reset. Routine in small numbers. In 2.6 an HTTP/1 client reset while the server was working is logged this way, with the server's status.",
		"Nothing to do for a few. Many at once, especially on large or slow responses, point to clients timing out on their side or a load balancer/firewall in front resetting connections."},
	{"CH", "The client gave up while HAProxy was waiting for the server's response headers: the server was slower than the client was willing to wait. (With HTTP/1, 2.6 rarely logs this: a client FIN while waiting goes unnoticed and a reset shows as CD.)",
		"Check Tr against what clients will wait for: a slow server response is the usual root cause. Look at the backend's response times for that URL."},
	{"CQ", "The client gave up while its request waited in the queue for a free server slot: the servers were saturated (all at their maxconn).",
		"Look at Tw and the queue counters (srv_queue/backend_queue): raise the servers' maxconn if they can take it, add servers, or find why responses are slow (slow responses keep slots busy)."},
	{"CR", "The client closed the connection before sending a complete request (HTTP answers 400 and logs <BADREQ>). Typical sources: browser pre-connects never used, port scanners, TCP probes from an upstream load balancer, or a request cut mid-way. In TCP mode: the client left while a tcp-request inspect-delay waited for data.",
		"Harmless in small numbers; `option dontlognull` stops logging connections that sent nothing. Many from one source suggest a scanner or a misconfigured health probe."},
	{"CT", "The client closed the connection while it was held in the tarpit (`http-request tarpit`). (2.6 was seen to log this as PT instead.)",
		"Nothing to fix: the tarpit is meant to make abusive clients give up. Check the tarpit rule matches only the traffic you intended."},
	{"CL", "The client closed or reset the connection while HAProxy was sending it the last part of the response, after the server had finished.",
		"Nothing to do for a few; many point to clients or a middlebox cutting connections early."},

	{"cD", "The client-side timeout (timeout client) fired during the data transfer: the client sent and read nothing for that long. Typical causes: an idle long-lived connection (TCP, WebSocket), a client that stopped reading a large response, or a firewall/NAT that silently dropped the idle connection.",
		"For long-lived idle connections raise timeout client (or set timeout tunnel) above the application's own keep-alive interval. If a firewall/NAT between clients and HAProxy drops idle flows, its idle timeout must be longer, or enable option clitcpka."},
	{"cH", "The client-side timeout fired while waiting for the server's response headers: usually the client was still uploading a request body (slow or stalled POST) and went silent, or timeout client is shorter than timeout server. (Real 2.6 logs a stalled POST body as sH.)",
		"Look for slow uploads from this client; keep timeout client at least as long as timeout server."},
	{"cR", "The client opened a connection but did not send a complete request before timeout http-request (or timeout client) fired; HAProxy answered 408 and logged <BADREQ>. Browsers' speculative pre-connects that are never used produce exactly this.",
		"Harmless in small numbers. Many from many clients: check timeout http-request is not too short for slow networks. Many from a few addresses: a slowloris-style attack or a broken client."},
	{"cL", "The client-side timeout fired while HAProxy was sending the last data to the client: the client stopped reading at the very end of the response.",
		"Nothing to do for a few; many point to client-side network trouble."},

	{"sC", "HAProxy could not connect to the server before timeout connect (retries included): the server never answered the SYN. The server or its host is down or overloaded, or a firewall/security group drops the packets. HTTP 503, Tc -1.",
		"Check the server is up and reachable from the HAProxy host on that port (firewalls, security groups, routing) and that its accept backlog is not full. timeout connect only needs to cover a normal connect (a few seconds at most)."},
	{"sD", "The server-side timeout (timeout server) fired during the data transfer: the server sent nothing for that long after the transfer began. Either the server stalled while streaming the response, or an idle long-lived connection (TCP, WebSocket, long polling) timed out.",
		"If the connection is legitimately idle (WebSocket, database pool, long polling), raise timeout server or set timeout tunnel. A firewall/NAT between HAProxy and the server dropping idle flows also needs a longer idle timeout than HAProxy's. Otherwise the application stalled mid-response: check it."},
	{"sH", "The server accepted the connection but sent no complete response headers before timeout server (HTTP 504). The most common anomaly: usually a slow application or a slow database query behind it. A large or slowly-uploaded request body counts in this time too.",
		"Check the backend's response time and the slow URLs, slow queries and server load. Raise timeout server only if that slowness is expected (reports, exports, long polling)."},
	{"sQ", "The request waited in the queue for a free server slot longer than timeout queue (timeout connect when unset) and was dropped with 503: every eligible server was at its maxconn.",
		"The servers are saturated: check Tw and the queue counters, raise the servers' maxconn if they can take more, add servers, or find why responses got slow (slow responses keep slots busy)."},

	{"SC", "The connection to the server was refused or failed at once: a TCP reset (nothing listens on that port), an ICMP unreachable, or no route. HTTP 503. Also what a request gets when no server of the backend is usable (<NOSRV>).",
		"Check the service is running and listening on the configured address and port, that it is not at its own connection limit (listen backlog, maxconn), and the route/firewall from the HAProxy host. With <NOSRV>, look for the server DOWN events just before."},
	{"SD", "The connection to the server broke during the data transfer: the server reset or closed it mid-response (crash, restart, a worker killed for running too long). 2.6 also logs an invalid chunked response body this way.",
		"Check the server's logs for crashes, restarts or worker timeouts at that moment, and anything between HAProxy and the server that may reset connections."},
	{"SH", "The server closed or reset the connection before sending complete response headers (HTTP 502): the application crashed or dropped the request, or the server closed an idle keep-alive connection just as HAProxy reused it.",
		"Inspect the server's logs at that time (crashes, worker restarts, rejected requests). If it happens on reused connections, make the server's keep-alive timeout longer than HAProxy's or review http-reuse."},

	{"PC", "HAProxy could not open the connection to the server because the process reached its socket limit (global maxconn / ulimit-n) while connecting.",
		"Raise global maxconn and the file-descriptor limit (ulimit-n, LimitNOFILE under systemd) together, within the host's memory; look for a traffic spike or connections that are never released."},
	{"PD", "HAProxy aborted the transfer because the data broke the protocol after the headers, typically an invalid chunked body. In 2.6 this is a bad chunk in the client's request body after the server answered; a bad response body is logged SD.",
		"Run `show errors` on the runtime API to see the offending message, and fix the client (request body) or server (response body) that produces invalid chunked encoding."},
	{"PH", "HAProxy blocked the server's response: it was invalid or dangerous (malformed header, cacheable cookie), an `http-response deny` rule matched, or a header rewrite failed. HTTP 502 (500 on a rewrite failure; 400 is possible for a bad chunked request).",
		"Run `show errors` on the runtime API to see the rejected response and check the http-response rules. For rewrite failures raise tune.maxrewrite. A server emitting invalid headers must be fixed."},
	{"PR", "HAProxy blocked the request before it reached a server: a deny/reject rule matched (403 or the deny_status, -1 for reject/silent-drop), the request was malformed (400 with <BADREQ>: the CLIENT sent something invalid), or a header rewrite failed (500). In TCP mode a tcp-request rule rejected the connection.",
		"Check which http-request/tcp-request rule matched (status and ACLs), or run `show errors` on the runtime API to see the invalid request. Bursts may be scanners or attacks blocked as intended."},
	{"PT", "The request was tarpitted by `http-request tarpit`: held for timeout tarpit (shown in Tw) and then answered with an error (500 by default) without ever reaching a server.",
		"Intended behaviour for abusive clients; check the tarpit rule matches only the traffic you want to slow down."},

	{"RC", "HAProxy ran out of a local resource while connecting to the server: no free source port, no memory, or no file descriptor.",
		"Check the HAProxy host: source ports (ip_local_port_range, TIME_WAIT pressure, more server addresses or `source` port ranges), file descriptors (ulimit-n) and memory; look for `Connect() failed ... no free ports` or `reached ... limit` alerts."},

	{"KR", "Killed administratively while waiting for the client's request: typically idle keep-alive or long-lived client connections closed by hard-stop-after after a reload, or a CLI `shutdown session`.", ""},
	{"KQ", "Killed administratively while the request was queued for a server slot (CLI `shutdown session`, or hard-stop-after after a reload).", ""},
	{"KC", "Killed administratively while HAProxy was connecting to the server (CLI `shutdown session`, or hard-stop-after after a reload).", ""},
	{"KH", "Killed administratively while waiting for the server's response headers (HTTP 502): most often hard-stop-after ending the old process of a reload while this request was still being served, or a CLI `shutdown session`.", ""},
	{"KD", "Killed administratively during the data transfer: hard-stop-after closing the old process's long connections after a reload (WebSocket, downloads, TCP tunnels), or a CLI `shutdown session(s)`.", ""},

	{"DC", "The server was marked DOWN while HAProxy was connecting to it, and on-marked-down shutdown-sessions cut the session.", ""},
	{"DQ", "The server was marked DOWN while the request waited in its queue, and on-marked-down shutdown-sessions cut the session.", ""},
	{"DH", "The server was marked DOWN by its health checks while this request waited for its response headers, and on-marked-down shutdown-sessions cut it (HTTP 502).", ""},
	{"DD", "The server was marked DOWN by its health checks during the data transfer, and on-marked-down shutdown-sessions cut the session (clients reconnect to a healthy server).", ""},

	{"UH", "An active server came back UP while this request, served by a backup server, waited for its response headers; on-marked-up shutdown-backup-sessions cut it (HTTP 502).", ""},
	{"UD", "An active server came back UP and on-marked-up shutdown-backup-sessions cut this session, which was transferring data with a backup server, so the client reconnects to the primary.", ""},
}

// termNotAnomalies lists the non-'-', non-'L' states that are routine client
// behaviour (see the rules at the top of the file).
const termNotAnomalies = "CD CL C- CR cR cD cL c-"

type termCookiePair struct {
	state   string
	summary string
}

var termCookiePairs = []termCookiePair{
	{"--", "Cookie persistence is not in use for this request (no cookie directive, or passive mode)."},
	{"NN", "No persistence cookie from the client and none set in the response."},
	{"NI", "New visitor: no persistence cookie, so HAProxy inserted one that sticks the client to the chosen server."},
	{"NP", "No persistence cookie from the client; the server set its own and HAProxy passed it through unchanged."},
	{"NR", "No persistence cookie from the client; HAProxy rewrote the server's cookie to carry the server's name (rewrite or prefix mode)."},
	{"II", "The client's cookie named no known server (stale or tampered with): the request was load-balanced and a valid cookie inserted."},
	{"VN", "Returning visitor: a valid cookie sent the request to its server; nothing was set."},
	{"VU", "Returning visitor sent to its server; HAProxy refreshed the date in the cookie (maxidle)."},
	{"VI", "The client's cookie was valid but its server could not be used (unreachable): the request went to another server and a new cookie was inserted."},
	{"VP", "Returning visitor sent to its server; the server's cookie was passed through unchanged."},
	{"VD", "Returning visitor sent to its server; the server set a cookie with the persistence name and HAProxy deleted it."},
	{"DI", "The client's server was DOWN or in maintenance: the request was redispatched to another server and a new cookie inserted, so the client now sticks to the new server."},
	{"DN", "The client's server was DOWN but option persist kept the request on it; nothing was set."},
	{"EI", "The client's cookie had been idle too long (maxidle): it was ignored, the request load-balanced and a fresh cookie inserted."},
	{"OI", "The client's cookie was too old (maxlife): it was ignored, the request load-balanced and a fresh cookie inserted."},
	{"UN", "The client's cookie was not used because another rule (use-server, force-persist ...) chose the server; nothing was set."},
}

// Look-up tables, filled at init. Indexes are stored +1 so that 0 means
// "not a valid character here".
var (
	termCauseIdx        [256]uint8
	termPhaseIdx        [256]uint8
	termClientCookieIdx [256]uint8
	termServerCookieIdx [256]uint8

	termCauseFlags [len(TermCauseChars)]Flag
	termPhaseFlags [len(TermPhaseChars)]Flag

	termTable       [len(TermCauseChars)][len(TermPhaseChars)]termEntry
	termCookieTable [len(TermClientCookieChars)][len(TermServerCookieChars)]string
)

type termEntry struct {
	summary string
	advice  string
	anomaly bool
}

func init() {
	for i, k := range termCauses {
		if TermCauseChars[i] != k.code {
			panic("decode: termCauses out of order")
		}
		termCauseIdx[k.code] = uint8(i + 1)
		termCauseFlags[i] = Flag{Code: k.code, Meaning: k.meaning}
	}
	for i, p := range termPhases {
		termPhaseIdx[p.code] = uint8(i + 1)
		termPhaseFlags[i] = Flag{Code: p.code, Meaning: p.meaning}
	}
	for i, f := range termClientCookies {
		termClientCookieIdx[f.Code] = uint8(i + 1)
	}
	for i, f := range termServerCookies {
		termServerCookieIdx[f.Code] = uint8(i + 1)
	}

	// Composed entries for every pair, then the hand-written ones on top.
	for ci := range termCauseFlags {
		cf := termCauseFlags[ci]
		for pi, pf := range termPhaseFlags {
			state := string([]byte{cf.Code, pf.Code})
			termTable[ci][pi] = termEntry{
				summary: cf.Meaning + ". At that moment the session was " + lowerFirst(pf.Meaning) + ".",
				advice:  termCauses[ci].advice,
				anomaly: termIsAnomaly(state),
			}
		}
	}
	for _, p := range termPairs {
		ci, pi := termCauseIdx[p.state[0]], termPhaseIdx[p.state[1]]
		if ci == 0 || pi == 0 {
			panic("decode: bad termination pair " + p.state)
		}
		e := &termTable[ci-1][pi-1]
		e.summary = p.summary
		if p.advice != "" {
			e.advice = p.advice
		}
	}

	for a, cf := range termClientCookies {
		for b, sf := range termServerCookies {
			termCookieTable[a][b] = cf.Meaning + ". " + sf.Meaning + "."
		}
	}
	for _, p := range termCookiePairs {
		a, b := termClientCookieIdx[p.state[0]], termServerCookieIdx[p.state[1]]
		if a == 0 || b == 0 {
			panic("decode: bad cookie pair " + p.state)
		}
		termCookieTable[a-1][b-1] = p.summary
	}
}

func termIsAnomaly(state string) bool {
	switch state[0] {
	case '-', 'L':
		return false
	}
	for i := 0; i+2 <= len(termNotAnomalies); i += 3 {
		if termNotAnomalies[i:i+2] == state {
			return false
		}
	}
	return true
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	// Keep acronyms ("TCP ...") as they are.
	if len(s) > 1 && s[1] >= 'A' && s[1] <= 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// ExplainTermination explains ts; ok is false when ts is not 2 or 4
// characters of known flags. It allocates nothing.
func ExplainTermination(ts []byte) (t Termination, ok bool) {
	if len(ts) != 2 && len(ts) != 4 {
		return t, false
	}
	ci, pi := termCauseIdx[ts[0]], termPhaseIdx[ts[1]]
	if ci == 0 || pi == 0 {
		return t, false
	}
	ci, pi = ci-1, pi-1
	if len(ts) == 4 {
		a, b := termClientCookieIdx[ts[2]], termServerCookieIdx[ts[3]]
		if a == 0 || b == 0 {
			return t, false
		}
		t.ClientCookie = termClientCookies[a-1]
		t.ServerCookie = termServerCookies[b-1]
		t.CookieSummary = termCookieTable[a-1][b-1]
	}
	e := &termTable[ci][pi]
	t.Cause = termCauseFlags[ci]
	t.Phase = termPhaseFlags[pi]
	t.Summary = e.summary
	t.Blame = termCauses[ci].blame
	t.Anomaly = e.anomaly
	t.Advice = e.advice
	t.Outcome = OutcomeFailure
	if c := ts[0]; c == '-' || c == 'L' {
		t.Outcome = OutcomeSuccess
	}
	t.key = uint16(termKey(ts) + 1)
	return t, true
}

// termKey returns the key of ts (see Termination.Key), or -1 when ts is
// not 2 or 4 characters of known flags.
func termKey(ts []byte) int {
	if len(ts) != 2 && len(ts) != 4 {
		return -1
	}
	ci, pi := int(termCauseIdx[ts[0]]), int(termPhaseIdx[ts[1]])
	if ci == 0 || pi == 0 {
		return -1
	}
	key := ((ci-1)*len(TermPhaseChars) + pi - 1) * termCookieKeys
	if len(ts) == 4 {
		a, b := int(termClientCookieIdx[ts[2]]), int(termServerCookieIdx[ts[3]])
		if a == 0 || b == 0 {
			return -1
		}
		key += 1 + (a-1)*len(TermServerCookieChars) + b - 1
	}
	return key
}

// terminations holds every state explained so far, by key: explaining a
// state then costs a look-up and no copy. A slot is filled by
// compare-and-swap on first use (one allocation per state, at most
// TerminationKeys), so concurrent explainers need no lock.
var terminations [TerminationKeys]atomic.Pointer[Termination]

// lookupTermination is ExplainTermination through that table; nil when ts
// is not a termination state.
func lookupTermination(ts []byte) *Termination {
	k := termKey(ts)
	if k < 0 {
		return nil
	}
	if p := terminations[k].Load(); p != nil {
		return p
	}
	return fillTermination(k, ts)
}

// fillTermination explains the state ts of key k on first use.
func fillTermination(k int, ts []byte) *Termination {
	t, _ := ExplainTermination(ts)
	terminations[k].CompareAndSwap(nil, &t)
	return terminations[k].Load()
}

// The phases in the order a request goes through them, each with its
// timer's bit in an absent mask (Custom.untimed).
var phases = [4]struct {
	name     string
	absent   uint8
	httpOnly bool
}{{"request", absentTR, true}, {"queue", absentTw, false}, {"connect", absentTc, false}, {"response", absentTr, true}}

// firstUnreached returns the first phase a request or connection never
// reached, read from its timers (TR, Tw, Tc, Tr) as in §8.4 of HAProxy's
// manual: "request" (TR is -1: the request was never complete), "queue" (Tw
// is -1: killed before the queue: invalid, denied, handled locally or no
// server), "connect" (Tc is -1: the server connection never established),
// "response" (Tr is -1: the server never sent complete headers), or "" when
// every phase was reached. Any negative timer counts as -1. For TCP logs
// (http false) TR and Tr do not exist and are ignored. The timers in absent
// were not logged: a phase after an unlogged one cannot be said to be the
// first never reached, so the answer is then "".
func firstUnreached(timers [4]int, absent uint8, http bool) string {
	for i, p := range phases {
		switch {
		case p.httpOnly && !http:
		case absent&p.absent != 0:
			return ""
		case timers[i] < 0:
			return p.name
		}
	}
	return ""
}
