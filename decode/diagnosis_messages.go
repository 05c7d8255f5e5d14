package decode

// Diagnoses of the messages known by their shape alone.

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
