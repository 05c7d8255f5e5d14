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

// checkDiag is the explanation of a failed check, with the prefixes a server
// line adds when the server is still UP, or when it left the backend with no
// server or on its backups.
type checkDiag struct{ base, still, outage, backup string }

var (
	cdL4Tout = checkDiag{sL4Tout, pStill + sL4Tout, pOutage + sL4Tout, pBackup + sL4Tout}
	cdL4Ref  = checkDiag{sL4Ref, pStill + sL4Ref, pOutage + sL4Ref, pBackup + sL4Ref}
	cdL4Rte  = checkDiag{sL4Rte, pStill + sL4Rte, pOutage + sL4Rte, pBackup + sL4Rte}
	cdL4Con  = checkDiag{sL4Con, pStill + sL4Con, pOutage + sL4Con, pBackup + sL4Con}
	cdSock   = checkDiag{sSock, pStill + sSock, pOutage + sSock, pBackup + sSock}
	cdL6Tout = checkDiag{sL6Tout, pStill + sL6Tout, pOutage + sL6Tout, pBackup + sL6Tout}
	cdL6Rsp  = checkDiag{sL6Rsp, pStill + sL6Rsp, pOutage + sL6Rsp, pBackup + sL6Rsp}
	cdL7Tout = checkDiag{sL7Tout, pStill + sL7Tout, pOutage + sL7Tout, pBackup + sL7Tout}
	cdL7Rsp  = checkDiag{sL7Rsp, pStill + sL7Rsp, pOutage + sL7Rsp, pBackup + sL7Rsp}
	cdL7Sts  = checkDiag{sL7Sts, pStill + sL7Sts, pOutage + sL7Sts, pBackup + sL7Sts}
	cdL7OKC  = checkDiag{sL7OKC, sL7OKC, sL7OKC, sL7OKC}
	cdHANA   = checkDiag{sHANA, pStill + sHANA, pOutage + sHANA, pBackup + sHANA}
	cdPErr   = checkDiag{sPErr, pStill + sPErr, pOutage + sPErr, pBackup + sPErr}
	cdPTout  = checkDiag{sPTout, pStill + sPTout, pOutage + sPTout, pBackup + sPTout}
	cdAgent  = checkDiag{sAgent, sAgent, pOutage + sAgent, pBackup + sAgent}
	cdAgErr  = checkDiag{sAgErr, pStill + sAgErr, pOutage + sAgErr, pBackup + sAgErr}
	cdFail   = checkDiag{sFail, pStill + sFail, pOutage + sFail, pBackup + sFail}
)

const (
	sOKDown = "The check passed while the server is DOWN: it is recovering and goes back UP after 'rise' consecutive successes (X in X/Y counts them)."
	sOKUp   = "The check passed and the server is UP (logged because the check result changed, typically a recovery after failures)."
)

// failedCheckDiag picks the explanation of a failed check from its status
// code and info. Its layer is checkLayer's.
func failedCheckDiag(e *Entry) *checkDiag {
	switch {
	case hasPrefix(e.CheckInfo, "via agent : "):
		return &cdAgent
	case fromAgent(e):
		return &cdAgErr
	}
	info := e.CheckInfo
	switch e.CheckStatus {
	case "L4TOUT":
		return &cdL4Tout
	case "L4CON":
		switch {
		case index(info, "Connection refused") >= 0:
			return &cdL4Ref
		case index(info, "No route to host") >= 0, index(info, "Network is unreachable") >= 0:
			return &cdL4Rte
		}
		return &cdL4Con
	case "SOCKERR":
		return &cdSock
	case "L6TOUT":
		return &cdL6Tout
	case "L6RSP":
		return &cdL6Rsp
	case "L7TOUT":
		return &cdL7Tout
	case "L7RSP":
		return &cdL7Rsp
	case "L7STS":
		return &cdL7Sts
	case "L7OKC":
		return &cdL7OKC
	case "HANA":
		return &cdHANA
	case "PROCERR":
		return &cdPErr
	case "PROCTOUT":
		return &cdPTout
	}
	return &cdFail
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
	dDownChk    = diag{sDownChk, layProxy, ""}
	dDownVia    = diag{sDownVia, layProxy, ""}
	dDownCLI    = diag{sDownCLI, layAdmin, ""}
	dDownLua    = diag{sDownLua, layAdmin, ""}
	dDownWeb    = diag{sDownWeb, layAdmin, ""}
	dDownState  = diag{sDownState, layAdmin, ""}
	dOutChk     = diag{pOutage + sDownChk, layProxy, ""}
	dOutVia     = diag{pOutage + sDownVia, layProxy, ""}
	dOutCLI     = diag{pOutage + sDownCLI, layAdmin, ""}
	dOutLua     = diag{pOutage + sDownLua, layAdmin, ""}
	dOutWeb     = diag{pOutage + sDownWeb, layAdmin, ""}
	dOutState   = diag{pOutage + sDownState, layAdmin, ""}
	dBakChk     = diag{pBackup + sDownChk, layProxy, ""}
	dBakVia     = diag{pBackup + sDownVia, layProxy, ""}
	dBakCLI     = diag{pBackup + sDownCLI, layAdmin, ""}
	dBakLua     = diag{pBackup + sDownLua, layAdmin, ""}
	dBakWeb     = diag{pBackup + sDownWeb, layAdmin, ""}
	dBakState   = diag{pBackup + sDownState, layAdmin, ""}
	dUp         = diag{sUp, layProxy, ""}
	dUpBackup   = diag{sUpBackup, layProxy, ""}
	dUpVia      = diag{sUpVia, layProxy, ""}
	dStopping   = diag{sStopping, layProxy, ""}
	dMaint      = diag{sMaint, layAdmin, ""}
	dMaintOut   = diag{pOutage + sMaint, layAdmin, ""}
	dMaintVia   = diag{sMaintVia, layProxy, ""}
	dMaintViaO  = diag{pOutage + sMaintVia, layProxy, ""}
	dMaintDNS   = diag{sMaintDNS, layDNS, ""}
	dMaintDNSO  = diag{pOutage + sMaintDNS, layDNS, ""}
	dMaintSRV   = diag{sMaintSRV, layDNS, ""}
	dMaintSRVO  = diag{pOutage + sMaintSRV, layDNS, ""}
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

// ---- messages known by their shape ----

const (
	sSPOE = "SPOE (stream processing offload) event; a non-zero status means the exchange with the SPOA agent failed."
	sACME = "ACME certificate renewal progress (see the message; 'Aborting' means the renewal failed)."
)

// message names an HAProxy message that the event reader recognised by its
// shape alone: its diagnosis is the row of messageDiags. Messages whose
// diagnosis depends on their fields (server states, checks, worker exits)
// are explained by the functions below instead.
type message uint8

const (
	msgNone message = iota // no message of the table (explained from the fields)
	msgRemains
	msgRemainsDNS
	msgDrainStays
	msgProxyStarted
	msgProxyStopping
	msgProxyStopped
	msgHardStopped
	msgHardStop
	msgHardStopLeft
	msgSoftStop
	msgGraceExpired
	msgPaused
	msgResumed
	msgPauseFailed
	msgResumeFailed
	msgRefusedPause
	msgRefusedResume
	msgSighup
	msgSighupNoSrv
	msgSighupBackup
	msgAddrChange
	msgFQDNChange
	msgResolver
	msgSysFD
	msgProcFD
	msgSysMem
	msgMaxconn
	msgNoPorts
	msgBindSrc
	msgSockFail
	msgPerm
	msgRewrite
	msgAsyncFDs
	msgWorkerNew
	msgLoadOK
	msgLoadFail
	msgExitNormal
	msgExitKilled
	msgExitCrash
	msgExitAbort
	msgExitSignal
	msgExitError
	msgFormerKilled
	msgMaxReloads
	msgReload
	msgMasterExit
	msgAllExited
	msgAllExitedErr
	msgExitOnFailure
	msgWorkerDied
	msgReexecFail
	msgBanner
	msgConfig
	msgLua
	msgSPOE
	msgSPOEErr
	msgOCSP
	msgACME
	msgCookie
	msgInternal
	msgSpinning
	msgDeprecated
	msgStateFile
	msgReverse
	msgSrvAdded
	msgSPOEStatus
	msgACMEAborted
	msgACMERetry
	// Explained from their fields, not from messageDiags:
	msgLeave        // "is UP/READY (leaving maintenance)", "is UP (leaving drain)": see diagnoseLeave
	msgWorkerExited // a current worker or program exited: see exitDiag
	msgFormerExited // a worker of before a reload exited
	msgCount
)

// messageDiags holds the diagnosis of each message of the table (severity
// included: "" leaves the default, notice).
var messageDiags = [msgCount]diag{
	msgRemains:       {sRemains, layAdmin, ""},
	msgRemainsDNS:    {sRemains, layDNS, ""},
	msgDrainStays:    {sDrainStays, layAdmin, ""},
	msgSPOEStatus:    {sSPOE, layApp, sevWarning},
	msgACMEAborted:   {sACME, layTLS, sevAlert},
	msgACMERetry:     {sACME, layTLS, sevWarning},
	msgProxyStarted:  {"The proxy started (HAProxy up to 2.2 logs this at startup and after each reload).", layProxy, sevInfo},
	msgProxyStopping: {"Soft stop (reload or shutdown): the proxy keeps accepting connections for its grace period (the N ms, 0 without 'grace'), then stops listening; established connections are allowed to finish. Expected during a reload.", layProxy, sevInfo},
	msgProxyStopped:  {"The proxy stopped: a reload or a shutdown stops the old process's proxies (the counters are the connections it handled in its life). Expected during a reload; not an outage by itself.", layProxy, sevInfo},
	msgHardStopped:   {"Hard stop: connections still open when hard-stop-after expired are being cut (clients see aborted transfers; traffic logs show termination state K). Long-lived connections outlived the reload.", layProxy, sevWarning},
	msgHardStop:      {"The old process ran longer than hard-stop-after after a reload or shutdown: its remaining connections are being cut now.", layProxy, sevWarning},
	msgHardStopLeft:  {"Some tasks still ran after the hard stop; the old process exits anyway.", layProxy, sevWarning},
	msgSoftStop:      {"Soft stop scheduled (reload or shutdown with a global grace): listeners keep accepting during the grace period, then the old process stops. Expected during a reload.", layProxy, sevInfo},
	msgGraceExpired:  {"The soft-stop grace period is over: the old process now stops its proxies. Expected during a reload.", layProxy, sevInfo},
	msgPaused:        {"The proxy was paused (SIGTTOU, 'disable frontend', or the start of a reload): it stops accepting new connections; established ones go on.", layProxy, sevWarning},
	msgResumed:       {"The proxy accepts connections again (SIGTTIN, 'enable frontend', or a reload that was rolled back).", layProxy, sevNotice},
	msgPauseFailed:   {"The proxy could not pause its listeners; HAProxy falls back to a soft stop.", layProxy, sevWarning},
	msgResumeFailed:  {"A listener could not be re-enabled, usually because another process took its port: this frontend may not be accepting connections. Free the port and retry, or restart HAProxy.", layProxy, sevAlert},
	msgRefusedPause:  {"Some proxies refused to pause, so HAProxy performs a soft stop right away.", layProxy, sevWarning},
	msgRefusedResume: {"Some proxies refused to resume (often a port conflict): some frontends may not accept connections. Free the port and retry, or restart HAProxy.", layProxy, sevAlert},
	msgSighup:        {"State dump requested with SIGHUP: informational.", layProxy, sevInfo},
	msgSighupNoSrv:   {"State dump requested with SIGHUP: this backend has no server available right now.", layProxy, sevAlert},
	msgSighupBackup:  {"State dump requested with SIGHUP: this backend runs on its backup servers right now.", layProxy, sevWarning},

	msgAddrChange: {"The server's address changed (DNS answer or runtime update): HAProxy now sends its traffic to the new address.", layDNS, sevNotice},
	msgFQDNChange: {"A DNS SRV record gave this server a new name; HAProxy resolves and uses it from now on.", layDNS, sevNotice},
	msgResolver:   {"DNS resolver problem: HAProxy could not query or reach a nameserver. Servers resolved by name may keep stale addresses or be put in maintenance.", layDNS, sevWarning},

	msgSysFD:    {"The system ran out of file descriptors: new connections cannot be accepted or opened. Raise the system limit (fs.file-max) or lower maxconn.", layResource, sevCritical},
	msgProcFD:   {"The process hit its file descriptor limit (ulimit-n): new connections cannot be accepted or opened. Raise the limit (or let HAProxy size it) or lower maxconn.", layResource, sevCritical},
	msgSysMem:   {"The system ran out of socket memory: new connections fail. Check kernel socket memory settings and the host's memory.", layResource, sevCritical},
	msgMaxconn:  {"The proxy reached the global maxconn: new connections wait in the kernel's queue or are refused. Raise maxconn if the host can take it, or look for a surge or for slow servers holding connections.", layResource, sevAlert},
	msgNoPorts:  {"No free source port to connect to this backend: too many concurrent outgoing connections (ephemeral ports exhausted, or a narrow 'source' port range). Reuse connections or widen the port range.", layResource, sevAlert},
	msgBindSrc:  {"HAProxy could not bind the configured source address before connecting to a server (address not local, transparent proxy not permitted, or ports exhausted).", layResource, sevAlert},
	msgSockFail: {"HAProxy could not create or set up a socket (out of sockets or file descriptors): connections fail.", layResource, sevCritical},
	msgPerm:     {"HAProxy lacks a permission it needs (server socket or privileged port): run with the right capabilities or user.", layProcess, sevAlert},
	msgRewrite:  {"A header could not be added or changed because the buffer reserve is too small: raise tune.maxrewrite.", layResource, sevWarning},
	msgAsyncFDs: {"OpenSSL returned too many asynchronous file descriptors: HAProxy considers this a bug and the process may crash.", layResource, sevCritical},

	msgWorkerNew:     {"The master started a new worker (startup or reload).", layProcess, sevInfo},
	msgLoadOK:        {"Reload succeeded: the new configuration is loaded and served by the new worker.", layProcess, sevInfo},
	msgLoadFail:      {"Reload FAILED: the new configuration could not be loaded; the previous worker keeps serving the old configuration. Check it with 'haproxy -c' and read the messages before this line.", layProcess, sevAlert},
	msgExitNormal:    {"The worker exited normally (stopped, or replaced by a reload).", layProcess, sevInfo},
	msgExitKilled:    {"The worker was KILLED (SIGKILL, exit 137): most often the kernel's OOM killer, or a forced kill by systemd or an admin. Check the kernel log for OOM and the memory limits.", layProcess, sevCritical},
	msgExitCrash:     {"The worker CRASHED (segmentation fault, exit 139): a bug in HAProxy or a library. Keep the core dump, upgrade, and report it.", layProcess, sevCritical},
	msgExitAbort:     {"The worker ABORTED (SIGABRT, exit 134): usually an internal check (BUG_ON) or the watchdog found a stuck thread. Keep the core dump and the messages before, and report it.", layProcess, sevCritical},
	msgExitSignal:    {"The worker was killed by a signal (see the exit reason).", layProcess, sevCritical},
	msgExitError:     {"The worker exited with an error code.", layProcess, sevAlert},
	msgFormerKilled:  {"An old worker (from before a reload) was killed by a signal (see the exit reason); connections it still held were cut.", layProcess, sevWarning},
	msgMaxReloads:    {"An old worker survived more reloads than mworker-max-reloads allows, so it was stopped; its remaining connections were cut.", layProcess, sevWarning},
	msgReload:        {"The master is reloading HAProxy: a new worker is being started with the current configuration.", layProcess, sevInfo},
	msgMasterExit:    {"The master process is exiting: HAProxy is shutting down (or every worker died).", layProcess, sevWarning},
	msgAllExited:     {"Every worker is gone, so the master exits: HAProxy is stopped.", layProcess, sevWarning},
	msgAllExitedErr:  {"Every worker is gone and the master exits with an error: HAProxy is DOWN.", layProcess, sevCritical},
	msgExitOnFailure: {"A worker died and 'exit-on-failure' is set: the master kills every process, HAProxy is going down.", layProcess, sevCritical},
	msgWorkerDied:    {"A worker died unexpectedly: a bug in HAProxy or a library. Keep the version dump that follows and any core dump, upgrade, and report it.", layProcess, sevCritical},
	msgReexecFail:    {"The master could not re-execute itself for the reload: the reload did not happen.", layProcess, sevAlert},
	msgBanner:        {"Startup information (version, path of the executable).", layProcess, sevInfo},
	msgConfig:        {"A message printed while HAProxy read its configuration (a warning or an error about the configuration).", layProcess, sevWarning},

	msgLua:        {"A Lua script failed (timeout, yield not allowed, out of memory or runtime error): the request or task it ran for may have been aborted or missed its logic.", layProxy, sevWarning},
	msgSPOE:       {sSPOE, layApp, sevNotice},
	msgSPOEErr:    {"SPOE could not process a stream (internal error or out of memory): the offload was skipped.", layApp, sevAlert},
	msgOCSP:       {"OCSP response update for a certificate (see the status).", layTLS, sevNotice},
	msgACME:       {sACME, layTLS, sevNotice},
	msgCookie:     {"HAProxy blocked a cacheable response that sets a cookie (a shared cache could give one user's cookie to others): the client got an error. Fix the application's Cache-Control headers.", layApp, sevAlert},
	msgInternal:   {"HAProxy reported an internal processing error (stick table, variables, yield): the rule concerned was not applied.", layProxy, sevWarning},
	msgSpinning:   {"A task was spinning out of control and HAProxy aborts to get a core dump: a bug to report.", layProcess, sevCritical},
	msgDeprecated: {"An applet uses a deprecated API; it still works but should be updated.", layProxy, sevWarning},
	msgStateFile:  {"The server-state file does not match the running configuration: some server states were not restored after the reload.", layAdmin, sevWarning},
	msgReverse:    {"Reverse-HTTP (preconnect) listener event.", layProxy, sevNotice},
	msgSrvAdded:   {"A server was added or deleted at runtime from the CLI.", layAdmin, sevNotice},
}

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
		d := failedCheckDiag(e)
		e.DiagLayer = checkLayer(e)
		if string(e.CheckState) == "DOWN" {
			e.DiagSummary, e.Severity = d.base, sevAlert
		} else {
			e.DiagSummary, e.Severity = d.still, sevWarning
		}
	case "conditionally succeeded":
		e.DiagSummary, e.DiagLayer, e.Severity = cdL7OKC.base, checkLayer(e), sevWarning
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

// opCause tells which non-check cause a server line carries.
func opCause(e *Entry) int {
	c := e.Cause
	switch {
	case len(c) == 0:
		return 0
	case hasSuffix(c, "CLI"):
		return 1
	case hasSuffix(c, "Lua script"):
		return 2
	case hasSuffix(c, "Web interface"):
		return 3
	case hasSuffix(c, "after a reload"):
		return 4
	}
	return 1
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
	if e.CheckStatus != "" {
		d := failedCheckDiag(e)
		e.DiagLayer = checkLayer(e)
		switch {
		case e.Outage:
			e.DiagSummary = d.outage
		case e.RunningOnBackup:
			e.DiagSummary = d.backup
		default:
			e.DiagSummary = d.base
		}
		return
	}
	var d [3]diag // normal, outage, backup
	switch opCause(e) {
	case 1:
		d = [3]diag{dDownCLI, dOutCLI, dBakCLI}
	case 2:
		d = [3]diag{dDownLua, dOutLua, dBakLua}
	case 3:
		d = [3]diag{dDownWeb, dOutWeb, dBakWeb}
	case 4:
		d = [3]diag{dDownState, dOutState, dBakState}
	default:
		if len(e.ViaBackend) > 0 {
			d = [3]diag{dDownVia, dOutVia, dBakVia}
		} else {
			d = [3]diag{dDownChk, dOutChk, dBakChk}
		}
	}
	switch {
	case e.Outage:
		e.note(d[1])
	case e.RunningOnBackup:
		e.note(d[2])
	default:
		e.note(d[0])
	}
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
	switch opCause(e) {
	case 1:
		e.DiagSummary, e.DiagLayer = sDownCLI, layAdmin
		return
	case 2:
		e.DiagSummary, e.DiagLayer = sDownLua, layAdmin
		return
	case 3:
		e.DiagSummary, e.DiagLayer = sDownWeb, layAdmin
		return
	case 4:
		e.DiagSummary, e.DiagLayer = sDownState, layAdmin
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
		switch {
		case hasPrefix(e.Cause, "entry removed from SRV"):
			pick(e, dMaintSRV, dMaintSRVO)
		case dnsCause(e.Cause):
			pick(e, dMaintDNS, dMaintDNSO)
			e.Severity = sevWarning
		case via:
			pick(e, dMaintVia, dMaintViaO)
		default:
			pick(e, dMaint, dMaintOut)
		}
		if e.Outage {
			e.Severity = sevCritical
		}
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

func pick(e *Entry, normal, outage diag) {
	if e.Outage {
		e.note(outage)
	} else {
		e.note(normal)
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

// ---- connections: embryonic connection errors and "Connect from" ----

// Embryonic connection errors ("ip:port [date] fe/bind: <conn_err_code_str>",
// haproxy-events.md §9) are logged when a connection ends before a request
// could be logged: a TLS handshake or a PROXY header that never completed,
// a limit hit at accept time. They are about one client connection, so most
// are notices; a flood of them is what matters.
var (
	dConnMaxconn   = diag{"The connection was closed right after accept because the frontend or the process reached its configured maxconn. Raise maxconn if the host can take it, or look for a surge or for slow servers holding connections.", layResource, sevAlert}
	dConnProcFD    = diag{"The process has no file descriptor left (ulimit-n / maxconn too high for it): the connection was closed right after accept. Raise the limit or lower maxconn.", layResource, sevCritical}
	dConnSysFD     = diag{"The system has no file descriptor left (fs.file-max): the connection was closed right after accept. Raise the system limit or lower maxconn.", layResource, sevCritical}
	dConnSysMem    = diag{"The system is out of socket buffers (kernel socket memory): the connection failed. Check the kernel socket memory settings and the host's memory.", layResource, sevCritical}
	dConnSockErr   = diag{"A socket error (unsupported protocol or address family, or a generic socket failure) ended the connection before it could be used.", layNetwork, sevWarning}
	dConnSrcPorts  = diag{"No source port or source address could be used for an outgoing connection (port range exhausted, address not bindable or already in use): too many concurrent connections to the servers, or a narrow 'source' setting. Reuse connections or widen the port range.", layResource, sevAlert}
	dConnPrxBad    = diag{"This bind expects a PROXY protocol header (accept-proxy) but got something else: the load balancer or proxy in front is not configured to send it (send-proxy / proxy_protocol), or a client connects directly, bypassing the load balancer. The connection was closed.", layNetwork, sevWarning}
	dConnPrxClosed = diag{"The client closed the connection before sending the PROXY protocol header: typically a TCP health probe of the load balancer in front (connect then close), or a port scanner. Harmless unless frequent from real clients.", layNetwork, sevInfo}
	dConnPrxError  = diag{"The connection failed (reset or network error) while HAProxy waited for the PROXY protocol header.", layNetwork, sevNotice}
	dConnPrxTout   = diag{"No PROXY protocol header arrived before the timeout: the sender in front does not send it (send-proxy missing), or a client connected directly, bypassing the load balancer, and waits for the server to speak first.", layNetwork, sevWarning}
	dConnCIP       = diag{"The NetScaler Client IP insertion header (accept-netscaler-cip) was missing, invalid or cut: the NetScaler in front is not configured to send it, or a client connects directly.", layNetwork, sevWarning}
	dConnTLSFail   = diag{"TLS handshake failure with the client: it spoke plain HTTP (or another protocol) to a TLS port, offered no TLS version or cipher this bind accepts (an old client, or ssl-min-ver / ciphers too strict), or it is a scanner. ssl_fc_err (or the OpenSSL error in parentheses, 2.8+) says which.", layTLS, sevNotice}
	dConnTLSClosed = diag{"The client closed the connection during the TLS handshake: it gave up, often because it does not trust the certificate; load balancer health probes that open a TLS port and close at once also do this.", layTLS, sevInfo}
	dConnTLSError  = diag{"The connection failed (reset or network error) during the TLS handshake.", layTLS, sevNotice}
	dConnTLSTout   = diag{"The client did not complete the TLS handshake in time: a slow or stalled client, a half-open connection, a client that expects the server to speak first, or a slow-handshake attack.", layTLS, sevNotice}
	dConnTLSMany   = diag{"The process reached maxsslconn (or its SSL memory limit): new TLS connections are refused. Raise maxsslconn if the host can take it.", layResource, sevAlert}
	dConnTLSNoMem  = diag{"Out of memory while setting up a TLS connection: the connection was refused. Check the memory limits (-m, tune.ssl.cachesize) and the host's memory.", layResource, sevCritical}
	dConnTLSReneg  = diag{"The client tried a TLS renegotiation, which HAProxy refuses (renegotiation is a known denial-of-service vector): the connection was closed.", layTLS, sevWarning}
	dConnCAChain   = diag{"mTLS: the client's certificate chain cannot be verified against the bind's ca-file (missing intermediate certificate, or a certificate from another CA). The connection was refused.", layTLS, sevWarning}
	dConnCertBad   = diag{"mTLS: the client certificate is not trusted (expired, revoked by the crl-file, or not signed by a CA in ca-file) while 'verify required' is set. The connection was refused.", layTLS, sevWarning}
	dConnMismatch  = diag{"The server presented a certificate other than the expected one (verifyhost / SNI mismatch): the connection was refused. Check the server's certificate and the name HAProxy verifies.", layTLS, sevAlert}
	dConnHeartbeat = diag{"A TLS heartbeat attack (Heartbleed, CVE-2014-0160) was detected and stopped: someone is probing this service.", layTLS, sevAlert}
	dConnKeyUpdate = diag{"The client flooded TLS 1.3 KeyUpdate messages (a denial-of-service pattern): the connection was aborted.", layTLS, sevWarning}
	dConnTLSOther  = diag{"The TLS layer failed on this connection (fatal TLS error, early data refused, or an internal error).", layTLS, sevNotice}
	dConnSOCKS     = diag{"The SOCKS4 proxy used to reach a server failed (request not sent, bad or no reply, or aborted).", layNetwork, sevWarning}
	dConnReverse   = diag{"A reverse-HTTP (preconnect) connection failed.", layProxy, sevWarning}
	dConnOS        = diag{"The operating system reported an error on the connection (see the message: refused, reset, unreachable, out of memory).", layNetwork, sevNotice}
	dConnUnknown   = diag{"The connection ended before a request could be logged (an embryonic connection error); the message says why.", layNetwork, sevNotice}
	dConnSuccess   = diag{"An embryonic connection line without an error: the client connected and closed without sending anything complete.", layNetwork, sevInfo}

	dErrLogFmt = diag{"A connection failed before a request could be logged (a line of the error-log-format): fc_err says why (fc_err_str names it) and ssl_fc_err is the OpenSSL error code.", layNetwork, sevNotice}

	dConnect = diag{"A connection was accepted by this frontend. The proxy has no option httplog or tcplog (nor a log-format), so HAProxy logs only the connection, not the request or its outcome: add option httplog (HTTP) or option tcplog (TCP) to get traffic logs.", layTraffic, sevInfo}
)

// connErrDiags maps conn_err_code_str messages (by prefix) to diagnoses.
// Messages added in later versions keep their prefix (2.8+ appends the
// OpenSSL error to "SSL handshake failure").
var connErrDiags = [...]struct {
	prefix string
	d      *diag
}{
	{"Reached configured maxconn value", &dConnMaxconn},
	{"Too many sockets on the process", &dConnProcFD},
	{"Too many sockets on the system", &dConnSysFD},
	{"Out of system buffers", &dConnSysMem},
	{"Protocol or address family not supported", &dConnSockErr},
	{"General socket error", &dConnSockErr},
	{"Source port range exhausted", &dConnSrcPorts},
	{"Can't bind to source address", &dConnSrcPorts},
	{"Out of local source ports on the system", &dConnSrcPorts},
	{"Local source address already in use", &dConnSrcPorts},
	{"Connection closed while waiting for PROXY protocol header", &dConnPrxClosed},
	{"Connection error while waiting for PROXY protocol header", &dConnPrxError},
	{"Timeout while waiting for PROXY protocol header", &dConnPrxTout},
	{"Truncated PROXY protocol header received", &dConnPrxBad},
	{"Received something which does not look like a PROXY protocol header", &dConnPrxBad},
	{"Received an invalid PROXY protocol header", &dConnPrxBad},
	{"Received an unhandled protocol in the PROXY protocol header", &dConnPrxBad},
	{"Connection closed during SSL handshake", &dConnTLSClosed},
	{"Connection error during SSL handshake", &dConnTLSError},
	{"Timeout during SSL handshake", &dConnTLSTout},
	{"Too many SSL connections", &dConnTLSMany},
	{"Out of memory when initializing an SSL connection", &dConnTLSNoMem},
	{"Rejected a client-initiated SSL reneg", &dConnTLSReneg}, // "renegociation" ≤2.0, "renegotiation" 2.2+
	{"SSL client CA chain cannot be verified", &dConnCAChain},
	{"SSL client certificate not trusted", &dConnCertBad},
	{"Server presented an SSL certificate different from the", &dConnMismatch},
	{"SSL handshake failure after heartbeat", &dConnHeartbeat},
	{"Stopped a TLSv1 heartbeat attack", &dConnHeartbeat},
	{"SSL handshake failure", &dConnTLSFail},
	{"Attempt to use SSL on an unknown target", &dConnTLSOther},
	{"Server refused early data", &dConnTLSOther},
	{"SSL fatal error", &dConnTLSOther},
	{"Aborted connection after a TLS 1.3 KeyUpdate flood", &dConnKeyUpdate},
	{"SOCKS4 Proxy", &dConnSOCKS},
	{"Reverse connect failure", &dConnReverse},
	{"Poller reported POLLERR", &dConnOS},
	{"ECONNREFUSED returned by OS", &dConnOS},
	{"ECONNRESET returned by OS", &dConnOS},
	{"ENETUNREACH returned by OS", &dConnOS},
	{"ENOMEM returned by OS", &dConnSysMem},
	{"Success", &dConnSuccess},
}

// fcErrDiags maps the fc_err codes of an error-log-format line: the values
// of HAProxy's CO_ER_* enum (include/haproxy/connection-t.h, 2.x), whose
// order the conn_err_code_str list of haproxy-events.md §9 follows; the
// corpus pairs fc_err 34 (CO_ER_SSL_HANDSHAKE) with "SSL handshake failure"
// on the same connection attempt. Codes past the SSL ones moved between
// versions, so they get the generic diagnosis.
var fcErrDiags = [...]*diag{
	1:  &dConnMaxconn,
	2:  &dConnProcFD,
	3:  &dConnSysFD,
	4:  &dConnSysMem,
	5:  &dConnSockErr,
	6:  &dConnSockErr,
	7:  &dConnSrcPorts,
	8:  &dConnSrcPorts,
	9:  &dConnSrcPorts,
	10: &dConnSrcPorts,
	11: &dConnPrxClosed,
	12: &dConnPrxError,
	13: &dConnPrxTout,
	14: &dConnPrxBad,
	15: &dConnPrxBad,
	16: &dConnPrxBad,
	17: &dConnPrxBad,
	18: &dConnCIP, 19: &dConnCIP, 20: &dConnCIP, 21: &dConnCIP, 22: &dConnCIP, 23: &dConnCIP,
	24: &dConnTLSClosed,
	25: &dConnTLSError,
	26: &dConnTLSTout,
	27: &dConnTLSMany,
	28: &dConnTLSNoMem,
	29: &dConnTLSReneg,
	30: &dConnCAChain,
	31: &dConnCertBad,
	32: &dConnMismatch,
	33: &dConnMismatch,
	34: &dConnTLSFail,
}

// diagnoseConnError explains an embryonic connection error line, from its
// message, or from fc_err for an error-log-format line.
func diagnoseConnError(e *Entry) {
	if msg := e.ConnError; len(msg) > 0 {
		for i := range connErrDiags {
			p := connErrDiags[i].prefix
			if msg[0] == p[0] && hasPrefix(msg, p) {
				e.note(*connErrDiags[i].d)
				return
			}
		}
		if index(msg, "NetScaler") >= 0 {
			e.note(dConnCIP)
		} else {
			e.note(dConnUnknown)
		}
		return
	}
	if c := e.TLSConnErr; c > 0 && c < len(fcErrDiags) && fcErrDiags[c] != nil {
		e.note(*fcErrDiags[c])
		return
	}
	e.note(dErrLogFmt)
	if e.TLSConnErr == Unset {
		e.Severity = sevInfo
	}
}

// diagnoseConnect explains the default format's "Connect from" line.
func diagnoseConnect(e *Entry) {
	e.note(dConnect)
}
