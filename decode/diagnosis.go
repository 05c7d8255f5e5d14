package decode

// Diagnosis: an operator's reading of an operational event, for someone
// woken at 3 a.m. Every summary is a static string (no allocation).
//
// DiagLayer is one of a small fixed set:
//
//	network      L4: the TCP connection to a server (timeouts, refused, routing);
//	             client connections that fail before TLS (PROXY protocol header)
//	tls          L6: TLS handshakes, certificates, OCSP/ACME
//	application  L7: the server answers, but wrongly or too slowly; external checks; SPOE
//	agent        the server's agent-check answer decided it
//	traffic      live traffic errors seen by observe/on-error (HANA); "Connect from" lines
//	admin        a person or a tool did it: CLI, stats page, Lua, maintenance, drain
//	dns          name resolution: resolvers, address and FQDN changes
//	proxy        HAProxy's proxies and backends: lifecycle, availability, tracking, internals
//	process      master/worker processes, reloads, crashes, configuration
//	resource     limits: file descriptors, memory, maxconn, source ports
//
// Severity ("info" | "notice" | "warning" | "alert" | "critical") is our
// judgement of how bad the event is for an operator; it never depends on the
// framing (syslog priority or stderr label), so the same message reads the
// same however it was shipped.

const (
	layNetwork  = "network"
	layTLS      = "tls"
	layApp      = "application"
	layAgent    = "agent"
	layTraffic  = "traffic"
	layAdmin    = "admin"
	layDNS      = "dns"
	layProxy    = "proxy"
	layProcess  = "process"
	layResource = "resource"
)

const (
	sevInfo     = "info"
	sevNotice   = "notice"
	sevWarning  = "warning"
	sevAlert    = "alert"
	sevCritical = "critical"
)

type diag struct{ summary, layer, severity string }

func (e *Entry) note(d diag) {
	e.DiagSummary, e.DiagLayer = d.summary, d.layer
	if d.severity != "" {
		e.Severity = d.severity
	}
}

// ---- health / agent check causes ----

const (
	pOutage = "TOTAL OUTAGE: no server is left in this backend (0 active, 0 backup), so every request to it gets a 503 until a server comes back. Cause: "
	pBackup = "No active server is left: the backend now runs on its backup servers. Cause: "
	pStill  = "The check failed but the server is still UP: it is only marked DOWN after 'fall' consecutive failures (X in X/Y is how many more consecutive failures mark it DOWN; 1 means the next one does). "

	sL4Tout = "Layer 4 timeout: the connection attempt got no answer at all. Packets are being dropped (firewall, security group) or the host is down or unreachable. Check that the host is up and that the port is open from the HAProxy machine."
	sL4Ref  = "Connection refused: the host answered, but nothing listens on that port. The service is stopped or crashed, or the check port is wrong."
	sL4Rte  = "No route to the server (no route to host / network unreachable): a routing problem, or the host is down and nobody answers for its address. Check the address, the routes and the server's network."
	sL4Con  = "Layer 4 connection problem: the TCP connection to the server failed (the info says how: refused, reset, unreachable...). Check the service and the network path."
	sSock   = "Socket error: HAProxy could not create or use the socket for the check (local resource shortage or an unusable address)."
	sL6Tout = "TLS handshake timeout: the server accepted the TCP connection but never completed the TLS handshake. Often check-ssl against a plain-text port, or an overloaded server."
	sL6Rsp  = "TLS handshake failed: typically check-ssl against a plain-text port, a certificate that fails verification, or no common protocol version or cipher."
	sL7Tout = "Layer 7 timeout: the server accepts connections but answers too slowly (or a tcp-check expect waited in vain for the expected data). Look at the server's load and response times."
	sL7Rsp  = "Invalid response: the server answered, but not what the check expects (not valid HTTP, or the expected content is missing). The info says what did not match."
	sL7Sts  = "Wrong status: the service runs but reports an error; the code and info say which (e.g. 500, 503). Look at the application's own logs."
	sL7OKC  = "Conditionally passed: the answer puts the server in 'stopping' (NOLB), e.g. a 404 with http-check disable-on-404. It keeps its current and persistent sessions but gets no new load-balanced traffic."
	sHANA   = "Health analyze: 'observe' saw consecutive errors in live traffic to this server and 'on-error' acted on them, whatever the regular checks say. Look at the failing requests."
	sPErr   = "External check failed: the external-check command exited with an error (see the code)."
	sPTout  = "External check timed out: the external-check command did not finish in time."
	sAgent  = "The server's agent asked for this: its agent-check answer (see info, after 'via agent :') set the server down, stopped, failed, drained or up. Ask whoever runs the agent."
	sAgErr  = "The agent check did not get a usable answer from the agent (agent unreachable, error or incomplete reply; see reason and info)."
	sFail   = "The health check failed (see reason and info)."
)

// situation is where a server line leaves its backend, or where a failed
// check leaves its server: the diagnosis tables below are generated along
// this dimension, each summary prefixed with what the situation adds.
type situation uint8

const (
	sitNormal  situation = iota // the backend still has active servers
	sitOutage                   // no server is left in the backend
	sitBackup                   // only backup servers are left
	sitStillUp                  // (a check line) the failure did not take the server DOWN yet
	nSituations
)

var situationPrefix = [nSituations]string{sitOutage: pOutage, sitBackup: pBackup, sitStillUp: pStill}

// serverSituation is where a server line leaves its backend.
func serverSituation(e *Entry) situation {
	switch {
	case e.Outage:
		return sitOutage
	case e.RunningOnBackup:
		return sitBackup
	}
	return sitNormal
}

// inSituations is d in each situation.
func inSituations(d diag) (t [nSituations]diag) {
	for i := range t {
		t[i] = diag{situationPrefix[i] + d.summary, d.layer, d.severity}
	}
	return t
}

// everySituation is each of ds in each situation.
func everySituation(ds []diag) [][nSituations]diag {
	t := make([][nSituations]diag, len(ds))
	for i, d := range ds {
		t[i] = inSituations(d)
	}
	return t
}

// checkCause is what made a check fail.
type checkCause uint8

const (
	ccFail   checkCause = iota // not said
	ccL4Tout                   // L4TOUT
	ccL4Ref                    // L4CON, connection refused
	ccL4Rte                    // L4CON, no route to the host or network
	ccL4Con                    // L4CON, another way
	ccSock                     // SOCKERR
	ccL6Tout                   // L6TOUT
	ccL6Rsp                    // L6RSP
	ccL7Tout                   // L7TOUT
	ccL7Rsp                    // L7RSP
	ccL7Sts                    // L7STS
	ccL7OKC                    // L7OKC: conditionally passed
	ccHANA                     // HANA: live traffic
	ccPErr                     // PROCERR: external check
	ccPTout                    // PROCTOUT
	ccAgent                    // the agent's answer set the state
	ccAgErr                    // the agent gave no usable answer
	nCheckCauses
)

var checkCauseSummaries = [nCheckCauses]string{
	ccFail: sFail, ccL4Tout: sL4Tout, ccL4Ref: sL4Ref, ccL4Rte: sL4Rte, ccL4Con: sL4Con, ccSock: sSock,
	ccL6Tout: sL6Tout, ccL6Rsp: sL6Rsp, ccL7Tout: sL7Tout, ccL7Rsp: sL7Rsp, ccL7Sts: sL7Sts,
	ccL7OKC: sL7OKC, ccHANA: sHANA, ccPErr: sPErr, ccPTout: sPTout, ccAgent: sAgent, ccAgErr: sAgErr,
}

// checkDiags[cause][situation] explains a failed check (its layer is
// checkLayer's). A conditional pass is the same in every situation, and an
// agent's answer is not a failure the server survives.
var checkDiags = func() (t [nCheckCauses][nSituations]string) {
	for c, s := range checkCauseSummaries {
		for sit := range t[c] {
			t[c][sit] = situationPrefix[sit] + s
		}
	}
	t[ccL7OKC] = [nSituations]string{sL7OKC, sL7OKC, sL7OKC, sL7OKC}
	t[ccAgent][sitStillUp] = sAgent
	return t
}()

const (
	sOKDown = "The check passed while the server is DOWN: it is recovering and goes back UP after 'rise' consecutive successes (X in X/Y counts them)."
	sOKUp   = "The check passed and the server is UP (logged because the check result changed, typically a recovery after failures)."
)

// failedCheck tells what made a check fail, from its status code and info.
func failedCheck(e *Entry) checkCause {
	switch {
	case hasPrefix(e.CheckInfo, "via agent : "):
		return ccAgent
	case fromAgent(e):
		return ccAgErr
	}
	info := e.CheckInfo
	switch e.CheckStatus {
	case "L4TOUT":
		return ccL4Tout
	case "L4CON":
		switch {
		case index(info, "Connection refused") >= 0:
			return ccL4Ref
		case index(info, "No route to host") >= 0, index(info, "Network is unreachable") >= 0:
			return ccL4Rte
		}
		return ccL4Con
	case "SOCKERR":
		return ccSock
	case "L6TOUT":
		return ccL6Tout
	case "L6RSP":
		return ccL6Rsp
	case "L7TOUT":
		return ccL7Tout
	case "L7RSP":
		return ccL7Rsp
	case "L7STS":
		return ccL7Sts
	case "L7OKC":
		return ccL7OKC
	case "HANA":
		return ccHANA
	case "PROCERR":
		return ccPErr
	case "PROCTOUT":
		return ccPTout
	}
	return ccFail
}

// fromAgent reports whether a check result came from the agent: an agent
// check, or a server line whose info is one of the agent's (haproxy-events.md
// §2: "via agent : ...", "agent reports an error : ...", "agent warns : ...",
// "Ignoring incomplete line from agent").
func fromAgent(e *Entry) bool {
	info := e.CheckInfo
	return string(e.CheckKind) == "Agent" || hasPrefix(info, "via agent : ") ||
		hasPrefix(info, "agent ") || hasSuffix(info, " from agent")
}

// checkLayer is the diagnosis layer of a check result.
func checkLayer(e *Entry) string {
	if fromAgent(e) {
		return layAgent
	}
	switch e.CheckStatus {
	case "L4OK", "L4TOUT", "L4CON":
		return layNetwork
	case "L6OK", "L6TOUT", "L6RSP":
		return layTLS
	case "HANA":
		return layTraffic
	case "SOCKERR":
		return layResource
	}
	return layApp
}

// ---- server state ----

const (
	sDownChk   = "The server was marked DOWN by its health checks (with option log-health-checks the reason is on the 'Health check for server' line just before). It gets no new traffic."
	sDownVia   = "This server tracks another one ('track', see via) and follows its state: it is DOWN because the tracked server is. Look at the tracked server."
	sDownCLI   = "An administrator forced this state from the runtime API (CLI 'set server ... state/health/agent'); HAProxy did not detect a failure itself."
	sDownLua   = "A Lua script changed this server's state; HAProxy did not detect a failure itself."
	sDownWeb   = "Someone changed this server's state from the stats web page; HAProxy did not detect a failure itself."
	sDownState = "The state was restored from the server-state file after a reload (load-server-state-from-file): the server was in this state before the reload."
	sUp        = "The server is back UP: its health checks pass again and it receives traffic."
	sUpBackup  = "A server came UP while no active server is available: the backend runs on backup servers for now."
	sUpVia     = "This server tracks another one (see via) and follows it: it is UP again because the tracked server is."
	sStopping  = "The server is 'stopping' (NOLB): it keeps current and persistent sessions but gets no new load-balanced traffic."

	sMaint      = "Planned: the server was put in maintenance (CLI 'set server ... state maint' / 'disable server', stats page, or the agent). It gets no traffic until it leaves maintenance."
	sMaintVia   = "This server tracks another one (see via) and follows it into maintenance."
	sMaintDNS   = "The server's DNS name does not resolve any more (NXDOMAIN, timeout, refused or no address, see cause): HAProxy put it in maintenance until it resolves again. Check the DNS record and the resolvers."
	sMaintSRV   = "The DNS SRV record no longer lists this server, so HAProxy put it in maintenance (normal when the service scales down)."
	sRemains    = "The server stays in maintenance: one reason was cleared, but another one (forced by an admin, a tracked server, or DNS) still holds it there."
	sDrain      = "Planned: the server is draining (CLI 'set server ... state drain', weight 0, stats page or agent): it finishes current and persistent sessions but gets no new load-balanced traffic."
	sDrainStays = "The server stays in drain mode: one reason was cleared, but another one still holds it there."
	sLeaveMaint = "The server left maintenance and is UP: it receives traffic again."
	sLeaveDown  = "The server left maintenance (or drain), but its health checks still see it DOWN: it gets traffic only once they pass."
	sLeaveDrain = "The drain ended: the server takes new traffic again."
	sUpDrain    = "The server left maintenance but stays in drain mode: it is UP but gets no new load-balanced traffic."
	sResolves   = "The server's DNS name resolves again: HAProxy takes it out of the maintenance it was put in by DNS."
	sDNSReady   = "A valid DNS answer was received for this server: it is administratively READY again (it still needs its checks to pass to get traffic)."
	sNoServer   = "TOTAL OUTAGE: this backend has no usable server left. Every request routed to it gets a 503 (or is refused in TCP mode) until a server comes back. The server DOWN or maintenance lines just before say why."
)

var (
	dUp         = diag{sUp, layProxy, ""}
	dUpBackup   = diag{sUpBackup, layProxy, ""}
	dUpVia      = diag{sUpVia, layProxy, ""}
	dStopping   = diag{sStopping, layProxy, ""}
	dDrain      = diag{sDrain, layAdmin, ""}
	dDrainVia   = diag{sDrain + " It follows the tracked server (see via).", layAdmin, ""}
	dLeaveMaint = diag{sLeaveMaint, layAdmin, ""}
	dLeaveDown  = diag{sLeaveDown, layAdmin, ""}
	dLeaveDrain = diag{sLeaveDrain, layAdmin, ""}
	dUpDrain    = diag{sUpDrain, layAdmin, ""}
	dResolves   = diag{sResolves, layDNS, ""}
	dDNSReady   = diag{sDNSReady, layDNS, ""}
	dNoServer   = diag{sNoServer, layProxy, sevCritical}
)

// opCause is what a server line says changed the server's state.
type opCause uint8

const (
	causeChecks    opCause = iota // nothing said: its health checks
	causeVia                      // nothing said, and it tracks another server (via)
	causeCLI                      // "changed from CLI" (and causes we do not know)
	causeLua                      // "changed from Lua script"
	causeWeb                      // "changed from Web interface"
	causeStateFile                // "changed from server-state after a reload"
	nOpCauses
)

var opCauseDiags = [nOpCauses]diag{
	causeChecks:    {sDownChk, layProxy, ""},
	causeVia:       {sDownVia, layProxy, ""},
	causeCLI:       {sDownCLI, layAdmin, ""},
	causeLua:       {sDownLua, layAdmin, ""},
	causeWeb:       {sDownWeb, layAdmin, ""},
	causeStateFile: {sDownState, layAdmin, ""},
}

// downDiags[cause][situation] explains a server going DOWN.
var downDiags = everySituation(opCauseDiags[:])

// maintReason is why a server entered maintenance.
type maintReason uint8

const (
	maintAdmin maintReason = iota // an admin or a tool put it there
	maintVia                      // it follows a tracked server
	maintDNS                      // its name does not resolve
	maintSRV                      // the SRV record no longer lists it
	nMaintReasons
)

var maintReasonDiags = [nMaintReasons]diag{
	maintAdmin: {sMaint, layAdmin, ""},
	maintVia:   {sMaintVia, layProxy, ""},
	maintDNS:   {sMaintDNS, layDNS, ""},
	maintSRV:   {sMaintSRV, layDNS, ""},
}

// maintDiags[reason][situation] explains a server entering maintenance.
var maintDiags = everySituation(maintReasonDiags[:])

// diagnoseEvent fills the diagnosis, severity and outage flag of an
// operational event: from the table for a message known by its shape, from
// the fields for the others.
func diagnoseEvent(e *Entry) {
	e.Outage = e.Event == EventBackendNoServer || e.msg == msgSighupNoSrv ||
		e.serversLeft && e.ActiveServers == 0 && e.BackupServers == 0
	switch e.msg {
	case msgNone:
		diagnoseFields(e)
	case msgLeave:
		diagnoseLeave(e)
	case msgWorkerExited, msgFormerExited:
		e.note(messageDiags[exitDiag(e.ExitCode, e.msg == msgFormerExited)])
	default:
		e.note(messageDiags[e.msg])
	}
	if e.Severity == "" {
		e.Severity = sevNotice
	}
}

// exitDiag reads a worker's exit code.
func exitDiag(code int, former bool) message {
	switch {
	case code == 0 || code == 130 || code == 143:
		return msgExitNormal
	case former && code > 128:
		return msgFormerKilled
	case code == 137:
		return msgExitKilled
	case code == 139:
		return msgExitCrash
	case code == 134:
		return msgExitAbort
	case code > 128:
		return msgExitSignal
	}
	return msgExitError
}

func diagnoseFields(e *Entry) {
	switch e.Event {
	case EventHealthCheck, EventAgentCheck:
		diagnoseCheck(e)
	case EventServerDown:
		diagnoseDown(e)
	case EventServerUp, EventServerStopping:
		diagnoseUp(e)
	case EventServerMaintenance, EventServerDrain, EventServerReady:
		diagnoseAdmin(e)
	case EventBackendNoServer:
		e.note(dNoServer)
	}
}

func diagnoseCheck(e *Entry) {
	switch e.CheckResult {
	case "failed":
		d := &checkDiags[failedCheck(e)]
		e.DiagLayer = checkLayer(e)
		if string(e.CheckState) == "DOWN" {
			e.DiagSummary, e.Severity = d[sitNormal], sevAlert
		} else {
			e.DiagSummary, e.Severity = d[sitStillUp], sevWarning
		}
	case "conditionally succeeded":
		e.DiagSummary, e.DiagLayer, e.Severity = sL7OKC, checkLayer(e), sevWarning
	default:
		e.DiagLayer, e.Severity = checkLayer(e), sevNotice
		if hasPrefix(e.CheckInfo, "via agent : ") && !hasPrefix(e.CheckInfo, "via agent : up") {
			e.DiagSummary = sAgent
		} else if string(e.CheckState) == "DOWN" {
			e.DiagSummary = sOKDown
		} else {
			e.DiagSummary = sOKUp
		}
	}
}

// serverCause tells what a server line says changed the server's state.
func serverCause(e *Entry) opCause {
	c := e.Cause
	switch {
	case len(c) == 0 && len(e.ViaBackend) > 0:
		return causeVia
	case len(c) == 0:
		return causeChecks
	case hasSuffix(c, "Lua script"):
		return causeLua
	case hasSuffix(c, "Web interface"):
		return causeWeb
	case hasSuffix(c, "after a reload"):
		return causeStateFile
	}
	return causeCLI
}

func diagnoseDown(e *Entry) {
	switch {
	case e.Outage:
		e.Severity = sevCritical
	case e.RunningOnBackup:
		e.Severity = sevAlert
	case e.ServerBackup:
		e.Severity = sevWarning
	default:
		e.Severity = sevAlert
	}
	sit := serverSituation(e)
	if e.CheckStatus != "" {
		e.DiagSummary, e.DiagLayer = checkDiags[failedCheck(e)][sit], checkLayer(e)
		return
	}
	e.note(downDiags[serverCause(e)][sit])
}

func diagnoseUp(e *Entry) {
	if e.Event == EventServerStopping {
		e.Severity = sevWarning
		if e.CheckStatus == "L7OKC" {
			e.DiagSummary, e.DiagLayer = sL7OKC, layApp
			return
		}
	} else {
		e.Severity = sevNotice
	}
	if c := serverCause(e); c >= causeCLI {
		e.note(opCauseDiags[c])
		return
	}
	switch {
	case len(e.ViaBackend) > 0:
		e.note(dUpVia)
	case e.RunningOnBackup:
		e.note(dUpBackup)
		e.Severity = sevWarning
	case e.Event == EventServerStopping:
		e.note(dStopping)
	default:
		e.note(dUp)
		if e.CheckStatus != "" {
			e.DiagLayer = checkLayer(e)
		}
	}
}

// dnsCause reports whether an admin cause comes from the resolvers.
func dnsCause(c []byte) bool {
	return index(c, "DNS") >= 0 || hasPrefix(c, "No IP for server")
}

func diagnoseAdmin(e *Entry) {
	via := len(e.ViaBackend) > 0
	e.Severity = sevNotice
	switch e.Event {
	case EventServerMaintenance:
		// The "remains in maintenance" lines are explained by their parser.
		r := maintAdmin
		switch {
		case hasPrefix(e.Cause, "entry removed from SRV"):
			r = maintSRV
		case dnsCause(e.Cause):
			r = maintDNS
			e.Severity = sevWarning
		case via:
			r = maintVia
		}
		sit := sitNormal // backups do not change a maintenance's reading
		if e.Outage {
			sit, e.Severity = sitOutage, sevCritical
		}
		e.note(maintDiags[r][sit])
	case EventServerDrain: // "remains in drain mode" lines: see their parser
		if via {
			e.note(dDrainVia)
		} else {
			e.note(dDrain)
		}
	case EventServerReady:
		switch {
		case string(e.Cause) == "valid DNS answer":
			e.note(dDNSReady)
		case hasPrefix(e.Cause, "resolves again"):
			e.note(dResolves)
		default:
			e.note(dLeaveDown)
		}
	}
}

// diagnoseLeave explains "is UP/READY (leaving ...)" style lines (EventServerUp).
func diagnoseLeave(e *Entry) {
	e.Severity = sevNotice
	switch {
	case hasPrefix(e.Cause, "resolves again"):
		e.note(dResolves)
	case string(e.ServerAdmin) == "DRAIN":
		e.note(dUpDrain)
	case hasPrefix(e.Cause, "leaving forced drain") || hasPrefix(e.Cause, "leaving drain"):
		e.note(dLeaveDrain)
	default:
		e.note(dLeaveMaint)
	}
}
