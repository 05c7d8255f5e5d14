package decode

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// evF lists expected field values by Entry field name. []byte fields are
// compared as strings; a nil value means the field must be empty.
type evF map[string]any

type eventCase struct {
	line  string
	kind  EventKind
	layer string
	sev   string
	f     evF
}

var eventCases = []eventCase{
	// §3 health and agent checks.
	{`Health check for server be_app/app1 failed, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms, status: 2/3 UP.`,
		EventHealthCheck, "network", "warning", evF{"Backend": "be_app", "Server": "app1", "CheckKind": "Health", "CheckResult": "failed",
			"CheckStatus": "L4CON", "CheckReason": "Layer4 connection problem", "CheckInfo": "Connection refused", "CheckDuration": 0,
			"CheckHealth": 2, "CheckThreshold": 3, "CheckState": "UP", "CheckCode": Unset, "ServerBackup": false}},
	{`Health check for server be_app/app1 failed, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: 3ms, status: 0/2 DOWN.`,
		EventHealthCheck, "application", "alert", evF{"CheckStatus": "L7STS", "CheckCode": 503, "CheckInfo": "Service Unavailable", "CheckDuration": 3, "CheckHealth": 0, "CheckThreshold": 2, "CheckState": "DOWN"}},
	{`Health check for backup server be_app/bk1 succeeded, reason: Layer7 check passed, code: 200, info: "OK", check duration: 1ms, status: 1/2 DOWN.`,
		EventHealthCheck, "application", "notice", evF{"ServerBackup": true, "Server": "bk1", "CheckResult": "succeeded", "CheckStatus": "L7OK", "CheckCode": 200, "CheckInfo": "OK", "CheckHealth": 1, "CheckState": "DOWN", "DiagSummary": sOKDown}},
	{`Health check for server be_app/app1 conditionally succeeded, reason: Layer7 check conditionally passed, code: 404, info: "Not Found", check duration: 1ms, status: 3/3 UP.`,
		EventHealthCheck, "application", "warning", evF{"CheckResult": "conditionally succeeded", "CheckStatus": "L7OKC", "CheckCode": 404, "CheckInfo": "Not Found", "CheckHealth": 3, "CheckThreshold": 3}},
	{`Health check for server be_app/app1 failed, reason: Layer4 timeout, check duration: 2001ms, status: 0/2 DOWN.`,
		EventHealthCheck, "network", "alert", evF{"CheckStatus": "L4TOUT", "CheckDuration": 2001, "CheckInfo": nil, "DiagSummary": sL4Tout}},
	{`Health check for server be_app/app1 failed, reason: Health analyze, info: "Detected 10 consecutive errors, last one was: L4 unsuccessful connection", status: 0/2 DOWN.`,
		EventHealthCheck, "traffic", "alert", evF{"CheckStatus": "HANA", "CheckDuration": Unset, "CheckInfo": "Detected 10 consecutive errors, last one was: L4 unsuccessful connection"}},
	{`Agent check for server be_app/app1 failed, reason: Layer7 wrong status, code: 0, info: "via agent : down (maintenance window)", check duration: 1ms, status: 0/1 DOWN.`,
		EventAgentCheck, "agent", "alert", evF{"CheckKind": "Agent", "CheckStatus": "L7STS", "CheckCode": 0, "CheckInfo": "via agent : down (maintenance window)", "CheckThreshold": 1}},
	{`Health check for server be_tcp/db1 failed, reason: Layer4 connection problem, info: "Connection refused at initial connection step of tcp-check", check duration: 0ms, status: 0/2 DOWN.`,
		EventHealthCheck, "network", "alert", evF{"Backend": "be_tcp", "Server": "db1", "CheckStatus": "L4CON", "DiagSummary": sL4Ref}},
	{`Health check for server be/s1 failed, reason: Layer4 connection problem, info: "No route to host", check duration: 3ms, status: 0/2 DOWN.`,
		EventHealthCheck, "network", "alert", evF{"DiagSummary": sL4Rte}},
	{`Health check for server be/s1 failed, reason: Layer4 connection problem, info: "Network is unreachable", check duration: 3ms, status: 0/2 DOWN.`,
		EventHealthCheck, "network", "alert", evF{"DiagSummary": sL4Rte}},
	{`Health check for server be/s1 failed, reason: Layer6 invalid response, info: "SSL handshake failure", check duration: 0ms, status: 0/2 DOWN.`,
		EventHealthCheck, "tls", "alert", evF{"CheckStatus": "L6RSP"}},
	{`Health check for server be/s1 failed, reason: Layer6 timeout, check duration: 1000ms, status: 0/2 DOWN.`,
		EventHealthCheck, "tls", "alert", evF{"CheckStatus": "L6TOUT"}},
	{`Health check for server be/s1 succeeded, reason: Layer6 check passed, check duration: 2ms, status: 2/2 UP.`,
		EventHealthCheck, "tls", "notice", evF{"CheckStatus": "L6OK", "DiagSummary": sOKUp}},
	{`Health check for server be/s1 failed, reason: Layer7 timeout, info: " at step 2 of tcp-check (expect string 'PONG')", check duration: 403ms, status: 0/2 DOWN.`,
		EventHealthCheck, "application", "alert", evF{"CheckStatus": "L7TOUT", "CheckInfo": " at step 2 of tcp-check (expect string 'PONG')"}},
	{`Health check for server be/s1 failed, reason: Layer7 invalid response, info: "TCPCHK did not match content <22>PONG<22> at step 2 <3C>x<3E>", check duration: 1ms, status: 0/2 DOWN.`,
		EventHealthCheck, "application", "alert", evF{"CheckStatus": "L7RSP", "CheckInfo": `TCPCHK did not match content "PONG" at step 2 <x>`}},
	{`Health check for server be/s1 failed, reason: External check error, code: 2, check duration: 12ms, status: 0/2 DOWN.`,
		EventHealthCheck, "application", "alert", evF{"CheckStatus": "PROCERR", "CheckCode": 2}},
	{`Health check for server be/s1 failed, reason: External check timeout, code: -1, check duration: 2000ms, status: 1/2 UP.`,
		EventHealthCheck, "application", "warning", evF{"CheckStatus": "PROCTOUT", "CheckCode": -1}},
	{`Health check for server be/s1 succeeded, reason: External check passed, code: 0, check duration: 5ms, status: 2/2 UP.`,
		EventHealthCheck, "application", "notice", evF{"CheckStatus": "PROCOK", "CheckCode": 0}},
	{`Health check for server be/s1 failed, reason: Socket error, info: "Too many sockets on the process", check duration: 0ms, status: 0/2 DOWN.`,
		EventHealthCheck, "resource", "alert", evF{"CheckStatus": "SOCKERR"}},
	{`Health check for server be/s1 succeeded, reason: Layer4 check passed, check duration: 0ms, status: 3/3 DRAIN.`,
		EventHealthCheck, "network", "notice", evF{"CheckState": "DRAIN", "CheckStatus": "L4OK"}},
	{`Agent check for server be/s1 succeeded, reason: Layer7 check passed, code: 0, info: "via agent : up", check duration: 0ms, status: 1/1 UP.`,
		EventAgentCheck, "agent", "notice", evF{"CheckStatus": "L7OK", "CheckInfo": "via agent : up"}},
	{`Agent check for server be/s1 failed, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms, status: 1/1 UP.`,
		EventAgentCheck, "agent", "warning", evF{"CheckStatus": "L4CON"}},

	// §4 server UP / DOWN / stopping.
	{`Server be_app/app1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerDown, "network", "alert", evF{"ServerState": "DOWN", "CheckStatus": "L4CON", "CheckInfo": "Connection refused", "CheckDuration": 0,
			"ActiveServers": 1, "BackupServers": 0, "SessActive": 0, "SessRequeued": 0, "SessQueued": 0, "Outage": false, "DiagSummary": sL4Ref}},
	{`Server be_app/app1 is DOWN, reason: Layer7 wrong status, code: 500, info: "Internal Server Error", check duration: 4ms. 0 active and 1 backup servers left. Running on backup. 3 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerDown, "application", "alert", evF{"CheckStatus": "L7STS", "CheckCode": 500, "ActiveServers": 0, "BackupServers": 1, "RunningOnBackup": true, "SessActive": 3, "Outage": false, "DiagSummary": pBackup + sL7Sts}},
	{`Server be_app/app1 is UP, reason: Layer7 check passed, code: 200, info: "OK", check duration: 2ms. 2 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`,
		EventServerUp, "application", "notice", evF{"ServerState": "UP", "CheckStatus": "L7OK", "CheckCode": 200, "ActiveServers": 2, "SessRequeued": 0, "SessQueued": 0, "SessActive": Unset, "DiagSummary": sUp}},
	{`Server be_app/app1 is UP, reason: Layer4 check passed, check duration: 0ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`,
		EventServerUp, "network", "notice", evF{"CheckStatus": "L4OK", "ActiveServers": 1}},
	{`Server be_app/app1 is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerDown, "proxy", "critical", evF{"Outage": true, "ActiveServers": 0, "BackupServers": 0, "CheckStatus": "", "DiagSummary": pOutage + sDownChk}},
	{`Server be_mirror/app1 is DOWN via be_app/app1. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerDown, "proxy", "critical", evF{"Backend": "be_mirror", "ViaBackend": "be_app", "ViaServer": "app1", "Outage": true, "DiagSummary": pOutage + sDownVia}},
	{`Server be_mirror/app1 is DOWN via be_app/app1.v2. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerDown, "proxy", "alert", evF{"ViaServer": "app1.v2", "Outage": false, "DiagSummary": sDownVia}},
	{`Server be_app/app1 is stopping, reason: Layer7 check conditionally passed, code: 404, info: "Not Found", check duration: 1ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`,
		EventServerStopping, "application", "warning", evF{"ServerState": "stopping", "CheckStatus": "L7OKC", "CheckCode": 404}},
	{`Server be_app/app1 is UP, changed from CLI. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`,
		EventServerUp, "admin", "notice", evF{"Cause": "changed from CLI", "ActiveServers": 1}},
	{`Server be_app/app1 is DOWN, changed from Lua script. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerDown, "admin", "alert", evF{"Cause": "changed from Lua script", "DiagSummary": sDownLua}},
	{`Server be_app/app1 is DOWN, changed from Web interface. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerDown, "admin", "critical", evF{"Cause": "changed from Web interface", "Outage": true, "DiagSummary": pOutage + sDownWeb}},
	{`Server be_app/app1 is DOWN, changed from server-state after a reload. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerDown, "admin", "alert", evF{"Cause": "changed from server-state after a reload", "DiagSummary": sDownState}},
	{`Server be_app/app1 is DOWN, changed from CLI via be_app/app2. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerDown, "admin", "alert", evF{"Cause": "changed from CLI", "ViaBackend": "be_app", "ViaServer": "app2"}},
	{`Backup Server be_app/bk1 is DOWN, reason: Layer4 timeout, check duration: 2001ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerDown, "network", "critical", evF{"ServerBackup": true, "Server": "bk1", "CheckStatus": "L4TOUT", "CheckDuration": 2001, "Outage": true, "DiagSummary": pOutage + sL4Tout}},
	{`Backup Server be_app/bk1 is DOWN, reason: Layer4 timeout, check duration: 2001ms. 2 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerDown, "network", "warning", evF{"ServerBackup": true, "Outage": false}},
	{`Backup Server be_app/bk1 is UP. 0 active and 1 backup servers online. Running on backup. 0 sessions requeued, 0 total in queue.`,
		EventServerUp, "proxy", "warning", evF{"ServerBackup": true, "RunningOnBackup": true, "BackupServers": 1, "DiagSummary": sUpBackup}},
	{`Server be_app/app1 is UP, . 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`, // 1.6–1.7 quirk
		EventServerUp, "proxy", "notice", evF{"ServerState": "UP", "ActiveServers": 1, "Cause": nil}},
	{`Server be_app/app1 is UP via be_app/app2. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`,
		EventServerUp, "proxy", "notice", evF{"ViaServer": "app2", "DiagSummary": sUpVia}},
	{`Server be_app/app1 is DOWN, reason: Health analyze, info: "Detected 3 consecutive errors, last one was: Wrong http response". 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerDown, "traffic", "alert", evF{"CheckStatus": "HANA", "CheckDuration": Unset}},

	// §5 maintenance, drain, DNS.
	{`Server be_app/app1 is going DOWN for maintenance. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerMaintenance, "admin", "notice", evF{"ServerState": "MAINT", "ServerAdmin": "MAINT", "ActiveServers": 1, "Outage": false, "DiagSummary": sMaint}},
	{`Server be_app/app1 is going DOWN for maintenance (DNS NX status). 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerMaintenance, "dns", "critical", evF{"Cause": "DNS NX status", "Outage": true, "DiagSummary": pOutage + sMaintDNS}},
	{`Server be_app/app1 is going DOWN for maintenance (No IP for server ). 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerMaintenance, "dns", "critical", evF{"Cause": "No IP for server ", "Outage": true}},
	{`Server be_app/srv3 is going DOWN for maintenance (entry removed from SRV record). 2 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerMaintenance, "dns", "notice", evF{"Cause": "entry removed from SRV record", "ActiveServers": 2, "DiagSummary": sMaintSRV}},
	{`Server be_mirror/app1 is going DOWN for maintenance via be_app/app1. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerMaintenance, "proxy", "critical", evF{"ViaBackend": "be_app", "ViaServer": "app1", "Outage": true}},
	{`Backup Server be_app/bk1 is going DOWN for maintenance ('disable' on stats page). 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		EventServerMaintenance, "admin", "notice", evF{"ServerBackup": true, "Cause": "'disable' on stats page"}},
	{`Server be_app/app1 was DOWN and now enters maintenance ('disable' on stats page).`,
		EventServerMaintenance, "admin", "notice", evF{"Cause": "'disable' on stats page", "ActiveServers": Unset, "Outage": false}},
	{`Server be_app/app1 was DOWN and now enters maintenance.`,
		EventServerMaintenance, "admin", "notice", evF{"ServerState": "MAINT"}},
	{`Server be_app/app1 was DOWN and now enters maintenance (DNS timeout status).`,
		EventServerMaintenance, "dns", "warning", evF{"Cause": "DNS timeout status"}},
	{`Server be_app/app1 enters drain state. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`,
		EventServerDrain, "admin", "notice", evF{"ServerState": "DRAIN", "ServerAdmin": "DRAIN", "ActiveServers": 1, "DiagSummary": sDrain}},
	{`Server be_app/app1 enters drain state via be_app/app2. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`,
		EventServerDrain, "admin", "notice", evF{"ViaServer": "app2"}},
	{`Server be_app/app1 is UP/READY (leaving forced maintenance).`,
		EventServerUp, "admin", "notice", evF{"ServerState": "UP", "ServerAdmin": "READY", "Cause": "leaving forced maintenance", "DiagSummary": sLeaveMaint}},
	{`Server be_app/app1 is DOWN/READY (leaving forced maintenance).`,
		EventServerReady, "admin", "notice", evF{"ServerState": "DOWN", "ServerAdmin": "READY", "Cause": "leaving forced maintenance", "DiagSummary": sLeaveDown}},
	{`Server be_app/app1 is UP/DRAIN (leaving maintenance).`,
		EventServerUp, "admin", "notice", evF{"ServerAdmin": "DRAIN", "Cause": "leaving maintenance", "DiagSummary": sUpDrain}},
	{`Server be_app/app1 is UP/READY (leaving maintenance) via be_app/app2. 2 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`, // 1.5–1.7
		EventServerUp, "admin", "notice", evF{"Cause": "leaving maintenance", "ViaServer": "app2", "ActiveServers": 2}},
	{`Server be_app/app1 ('app1.example.com') is UP/READY (resolves again).`,
		EventServerUp, "dns", "notice", evF{"ServerFQDN": "app1.example.com", "Cause": "resolves again", "ServerAdmin": "READY"}},
	{`Server be_app/app1 ('app1.example.com') is DOWN/READY (resolves again).`,
		EventServerReady, "dns", "notice", evF{"ServerFQDN": "app1.example.com", "ServerState": "DOWN", "DiagSummary": sResolves}},
	{`Server be_app/app1 is leaving forced maintenance but remains in maintenance via be_app/app2.`,
		EventServerMaintenance, "admin", "notice", evF{"Cause": "leaving forced maintenance", "ViaServer": "app2", "DiagSummary": sRemains}},
	{`Server be_app/app1 ('app1.example.com') resolves again but remains in maintenance.`,
		EventServerMaintenance, "dns", "notice", evF{"ServerFQDN": "app1.example.com", "Cause": "resolves again"}},
	{`Server be_app/app1 remains in forced maintenance.`,
		EventServerMaintenance, "admin", "notice", evF{"ServerAdmin": "MAINT", "DiagSummary": sRemains}},
	{`Server be_app/app1 is UP (leaving forced drain).`,
		EventServerUp, "admin", "notice", evF{"ServerState": "UP", "ServerAdmin": "READY", "Cause": "leaving forced drain", "DiagSummary": sLeaveDrain}},
	{`Server be_app/app1 is DOWN (leaving drain) via be_app/app2.`,
		EventServerReady, "admin", "notice", evF{"ServerState": "DOWN", "Cause": "leaving drain", "ViaServer": "app2"}},
	{`Server be_app/app1 is leaving forced drain but remains in drain mode.`,
		EventServerDrain, "admin", "notice", evF{"Cause": "leaving forced drain", "DiagSummary": sDrainStays}},
	{`Server be_app/app1 remains in drain mode via be_app/app2.`,
		EventServerDrain, "admin", "notice", evF{"ViaServer": "app2", "ServerAdmin": "DRAIN"}},
	{`Server be_app/app1 remains in forced drain mode.`,
		EventServerDrain, "admin", "notice", evF{"ServerState": "DRAIN"}},
	{`Server be_app/app1 administratively READY thanks to valid DNS answer.`,
		EventServerReady, "dns", "notice", evF{"ServerAdmin": "READY", "Cause": "valid DNS answer", "DiagSummary": sDNSReady}},

	// §6 addresses and resolvers.
	{`be_app/app1 changed its IP from 10.0.0.1 to 10.0.0.7 by mydns/ns1.`,
		EventAddressChange, "dns", "notice", evF{"Backend": "be_app", "Server": "app1", "OldAddr": "10.0.0.1", "NewAddr": "10.0.0.7", "Updater": "mydns/ns1", "OldPort": Unset}},
	{`be_app/app1 changed its IP from (none) to 10.0.0.7 by DNS cache.`,
		EventAddressChange, "dns", "notice", evF{"OldAddr": "(none)", "Updater": "DNS cache"}},
	{`be_app/app1: IP changed from '10.0.0.1' to '10.0.0.7' by 'mydns/ns1'.`,
		EventAddressChange, "dns", "notice", evF{"Server": "app1", "OldAddr": "10.0.0.1", "NewAddr": "10.0.0.7", "Updater": "mydns/ns1"}},
	{`be_app/srv2: IP changed from '(none)' to '10.0.0.9', port changed from '0' to '8080' by 'DNS additional record'.`,
		EventAddressChange, "dns", "notice", evF{"OldAddr": "(none)", "NewAddr": "10.0.0.9", "OldPort": 0, "NewPort": 8080, "Updater": "DNS additional record"}},
	{`be_app/srv2: port changed from '+80' to '+8080' by 'DNS cache'.`,
		EventAddressChange, "dns", "notice", evF{"OldAddr": nil, "OldPort": 80, "NewPort": 8080, "Updater": "DNS cache"}},
	{`be_app/srv2 changed its FQDN from (null) to app2.svc.local by 'SRV record'`,
		EventAddressChange, "dns", "notice", evF{"Server": "srv2", "OldAddr": "(null)", "NewAddr": "app2.svc.local", "ServerFQDN": "app2.svc.local", "Updater": "SRV record"}},
	{`could not generate a query id for be_app/app1, in resolvers mydns.`,
		EventOther, "dns", "warning", evF{"Backend": "be_app", "Server": "app1"}},
	{"could not generate a query id for \x03app\x07example\x03com, in resolvers mydns.", EventOther, "dns", "warning", evF{"Backend": nil}},
	{"can not build the query message for \x03app\x03com, in resolvers mydns.", EventOther, "dns", "warning", nil},
	{`DNS : resolvers 'mydns': can't create socket for nameserver 'ns1'.`, EventOther, "dns", "warning", nil},
	{`DNS : section 'mydns': can't connect socket for nameserver 'ns1'.`, EventOther, "dns", "warning", nil},

	// §7 proxies.
	{`Proxy fe_http started.`, EventProxyStarted, "proxy", "info", evF{"ProxyName": "fe_http"}},
	{`Stopping frontend fe_http in 0 ms.`, EventProxyStopping, "proxy", "info", evF{"ProxyType": "frontend", "ProxyName": "fe_http", "GraceMs": 0}},
	{`Stopping backend be_app in 5000 ms.`, EventProxyStopping, "proxy", "info", evF{"ProxyType": "backend", "GraceMs": 5000}},
	{`Proxy fe_http stopped (FE: 1234 conns, BE: 0 conns).`, EventProxyStopped, "proxy", "info", evF{"ProxyName": "fe_http", "FeTotal": int64(1234), "BeTotal": int64(0)}},
	{`Proxy be_app stopped (cumulated conns: FE: 0, BE: 5678).`, EventProxyStopped, "proxy", "info", evF{"ProxyName": "be_app", "FeTotal": int64(0), "BeTotal": int64(5678), "DiagSummary": messageDiags[msgProxyStopped].summary}},
	{`Proxy <HTTPCLIENT> stopped (cumulated conns: FE: 0, BE: 0).`, EventProxyStopped, "proxy", "info", evF{"ProxyName": "<HTTPCLIENT>"}},
	{`Proxy fe_life hard-stopped (1 remaining conns will be closed).`, EventProxyHardStopped, "proxy", "warning", evF{"ProxyName": "fe_life", "Remaining": 1}},
	{`soft-stop running for too long, performing a hard-stop.`, EventHardStop, "proxy", "warning", nil},
	{`Some tasks resisted to hard-stop, exiting now.`, EventHardStop, "proxy", "warning", nil},
	{`Scheduling a soft-stop in 30000 ms.`, EventSoftStop, "proxy", "info", evF{"GraceMs": 30000}},
	{`Grace period expired, proceeding with soft-stop now.`, EventSoftStop, "proxy", "info", nil},
	{`Paused frontend fe_http.`, EventProxyPaused, "proxy", "warning", evF{"ProxyType": "frontend", "ProxyName": "fe_http"}},
	{`Pausing proxy px_listen.`, EventProxyPaused, "proxy", "warning", evF{"ProxyType": "proxy", "ProxyName": "px_listen"}},
	{`Resumed frontend fe_rt_extra.`, EventProxyResumed, "proxy", "notice", evF{"ProxyType": "frontend", "ProxyName": "fe_rt_extra"}},
	{`Enabling backend be_app.`, EventProxyResumed, "proxy", "notice", evF{"ProxyType": "backend", "ProxyName": "be_app"}},
	{`frontend fe_http failed to enter pause mode.`, EventOther, "proxy", "warning", evF{"ProxyType": "frontend", "ProxyName": "fe_http"}},
	{`Port 443 busy while trying to enable frontend fe_https.`, EventOther, "proxy", "alert", evF{"ProxyName": "fe_https", "ProxyType": "frontend"}},
	{`Bind on socket 3 busy while trying to enable proxy px.`, EventOther, "proxy", "alert", evF{"ProxyName": "px"}},
	{`Some proxies refused to pause, performing soft stop now.`, EventOther, "proxy", "warning", nil},
	{`Some proxies refused to resume, a restart is probably needed to resume safe operations.`, EventOther, "proxy", "alert", nil},
	{`Some proxies refused to resume, probably due to a conflict on a listening port. You may want to try again after the conflicting application is stopped, otherwise a restart might be needed to resume safe operations.`, EventOther, "proxy", "alert", nil},

	// §7.1 no server available.
	{`backend be_app has no server available!`, EventBackendNoServer, "proxy", "critical", evF{"ProxyType": "backend", "Backend": "be_app", "ProxyName": "be_app", "Outage": true}},
	{`proxy px has no server available!`, EventBackendNoServer, "proxy", "critical", evF{"ProxyType": "proxy", "Backend": "px", "Outage": true}},
	{`backend 'be_app' has no server available!`, EventBackendNoServer, "proxy", "critical", evF{"Backend": "be_app", "Outage": true}},
	{`peers section 'mypeers' has no server available!`, EventBackendNoServer, "proxy", "critical", evF{"ProxyType": "peers section", "Backend": "mypeers"}},

	// §7.2 SIGHUP dump.
	{`SIGHUP received, dumping servers states for proxy be_app.`, EventOther, "proxy", "info", evF{"ProxyName": "be_app"}},
	{`SIGHUP received, dumping servers states.`, EventOther, "proxy", "info", nil},
	{`SIGHUP: Server be_app/app1 is UP. Conn: 3 act, 1 pend, 1234 tot.`, EventOther, "proxy", "info", evF{"Backend": "be_app", "Server": "app1", "ServerState": "UP", "SessActive": 3, "SessQueued": 1}},
	{`SIGHUP: Proxy be_app has 2 active servers and 1 backup servers available. Conn: act(FE+BE): 0+4, 0 pend (0 unass), tot(FE+BE): 0+789.`,
		EventOther, "proxy", "info", evF{"Backend": "be_app", "ActiveServers": 2, "BackupServers": 1, "FeConn": 0, "BeConn": 4, "BeTotal": int64(789)}},
	{`SIGHUP: Proxy be_app has no server available ! Conn: act(FE+BE): 0+0, 0 pend (0 unass), tot(FE+BE): 0+12.`, EventOther, "proxy", "alert", evF{"Outage": true}},
	{`SIGHUP: Proxy be_app is running on backup servers ! Conn: act(FE+BE): 0+0, 0 pend (0 unass), tot(FE+BE): 0+12.`, EventOther, "proxy", "warning", evF{"RunningOnBackup": true}},
	{`SIGHUP: Proxy fe_http has no servers. Conn: act(FE+BE): 5+0, 0 pend (0 unass), tot(FE+BE): 99+0.`, EventOther, "proxy", "info", evF{"FeConn": 5, "FeTotal": int64(99)}},

	// §7.3 resources.
	{`Proxy fe_http reached system FD limit at 4096. Please check system tunables.`, EventResourceLimit, "resource", "critical", evF{"ProxyName": "fe_http"}},
	{`Proxy fe_http reached process FD limit (maxsock=4096). Please check 'ulimit-n' and restart.`, EventResourceLimit, "resource", "critical", evF{"ProxyName": "fe_http"}},
	{`Proxy fe_http reached system memory limit at 2000 sockets. Please check system tunables.`, EventResourceLimit, "resource", "critical", nil},
	{`Proxy fe_http reached system FD limit (actconn=812). Please check system tunables.`, EventResourceLimit, "resource", "critical", evF{"ActConn": 812}},
	{`Proxy fe_http reached the configured maximum connection limit. Please check the global 'maxconn' value.`, EventResourceLimit, "resource", "alert", evF{"ProxyName": "fe_http"}},
	{`Connect() failed for backend be_app: no free ports.`, EventResourceLimit, "resource", "alert", evF{"Backend": "be_app", "ProxyName": "be_app", "ConnError": "no free ports"}},
	{`Connect() failed for backend be_app: local address already in use.`, EventResourceLimit, "resource", "alert", evF{"ConnError": "local address already in use"}},
	{`Cannot bind to source address before connect() for backend be_app.`, EventResourceLimit, "resource", "alert", evF{"Backend": "be_app"}},
	{`Cannot bind to tproxy source address before connect() for backend be_app.`, EventResourceLimit, "resource", "alert", evF{"Backend": "be_app"}},
	{`socket(): not enough free sockets. Raise -n argument. Giving up.`, EventResourceLimit, "resource", "critical", nil},
	{`Proxy be_app cannot create a server socket: Too many open files`, EventResourceLimit, "resource", "critical", evF{"ProxyName": "be_app"}},
	{`Proxy be_app has insufficient permissions to open server socket.`, EventOther, "process", "alert", evF{"ProxyName": "be_app"}},
	{`Permission error on QUIC socket binding for proxy fe_quic. Consider using setcap cap_net_bind_service (Linux only) or running as root.`, EventOther, "process", "alert", evF{"ProxyName": "fe_quic"}},

	// §8 master-worker.
	{`New worker #1 (1234) forked`, EventWorker, "process", "info", evF{"WorkerPID": 1234}},
	{`New worker (8) forked`, EventWorker, "process", "info", evF{"WorkerPID": 8}},
	{`Initializing new worker (8)`, EventWorker, "process", "info", evF{"WorkerPID": 8}},
	{`Loading success.`, EventWorker, "process", "info", nil},
	{`Loading failure!`, EventWorker, "process", "alert", nil},
	{`Failed to load worker!`, EventWorker, "process", "alert", nil},
	{`Failed to load worker (42) exited with code 1 (Exit)`, EventWorker, "process", "alert", evF{"WorkerPID": 42, "ExitCode": 1, "ExitReason": "Exit"}},
	{`Current worker (8) exited with code 143 (Terminated)`, EventWorker, "process", "info", evF{"WorkerPID": 8, "ExitCode": 143, "ExitReason": "Terminated"}},
	{`Current worker #1 (8) exited with code 137 (Killed)`, EventWorker, "process", "critical", evF{"WorkerPID": 8, "ExitCode": 137, "ExitReason": "Killed", "DiagSummary": messageDiags[msgExitKilled].summary}},
	{`Current worker (8) exited with code 139 (Segmentation fault)`, EventWorker, "process", "critical", evF{"ExitCode": 139, "DiagSummary": messageDiags[msgExitCrash].summary}},
	{`Current worker (8) exited with code 130 (Interrupt)`, EventWorker, "process", "info", evF{"ExitCode": 130}},
	{`Former worker (8) exited with code 0 (Exit)`, EventWorker, "process", "info", evF{"WorkerPID": 8, "ExitCode": 0, "ExitReason": "Exit"}},
	{`Former worker #2 (9) exited with code 137 (Killed)`, EventWorker, "process", "warning", evF{"WorkerPID": 9}},
	{`Former worker (8) exited with code 0 (Exit), as it exceeds max reloads (50)`, EventWorker, "process", "warning", evF{"WorkerPID": 8, "DiagSummary": messageDiags[msgMaxReloads].summary}},
	{`Worker 8 left with exit code 0`, EventWorker, "process", "info", evF{"WorkerPID": 8, "ExitCode": 0}},
	{`Current worker 8 left with exit code 1`, EventWorker, "process", "alert", evF{"WorkerPID": 8, "ExitCode": 1}},
	{`Former worker 8 left with exit code 0`, EventWorker, "process", "info", evF{"WorkerPID": 8}},
	{`Worker 8 exited with code 1 (Exit)`, EventWorker, "process", "alert", evF{"ExitCode": 1}},
	{`Process 77 exited with code 0 (Exit)`, EventWorker, "process", "info", evF{"WorkerPID": 77}},
	{`All workers are left. Leaving... (0)`, EventWorker, "process", "warning", evF{"ExitCode": 0}},
	{`All workers exited. Exiting... (0)`, EventWorker, "process", "warning", evF{"ExitCode": 0}},
	{`All workers exited. Exiting... (1)`, EventWorker, "process", "critical", evF{"ExitCode": 1}},
	{`Current program 'dataplane' (55) exited with code 1 (Exit)`, EventWorker, "process", "alert", evF{"WorkerPID": 55, "ExitCode": 1}},
	{`Former program 'dataplane' (55) exited with code 0 (Exit)`, EventWorker, "process", "info", evF{"WorkerPID": 55}},
	{`New program 'dataplane' (56) forked`, EventWorker, "process", "info", evF{"WorkerPID": 56}},
	{`exit-on-failure: killing every workers with SIGTERM`, EventWorker, "process", "critical", nil},
	{`exit-on-failure: killing every processes with SIGTERM`, EventWorker, "process", "critical", nil},
	{`A worker process unexpectedly died and this can only be explained by a bug in haproxy or its dependencies.`, EventWorker, "process", "critical", nil},
	{`Exiting Master process...`, EventWorker, "process", "warning", nil},
	{`Failed to reexecute the master process [1]: No such file or directory`, EventWorker, "process", "alert", nil},
	{`Reexecuting Master process`, EventWorker, "process", "info", nil},
	{`Reexecuting Master process in waitpid mode`, EventWorker, "process", "info", nil},
	{`Reloading HAProxy`, EventWorker, "process", "info", nil},
	{`Reloading HAProxy (hard-reload)`, EventWorker, "process", "info", nil},
	{`haproxy version is 2.6.12-1+deb12u1`, EventWorker, "process", "info", nil},
	{`path to executable is /usr/sbin/haproxy`, EventWorker, "process", "info", nil},

	// §9 and others.
	{`Blocking cacheable cookie in response from instance be_app, server app1.`, EventOther, "application", "alert", evF{"Backend": "be_app", "Server": "app1"}},
	{`Lua function 'hello': execution timeout.`, EventOther, "proxy", "warning", nil},
	{`Lua applet http '<lua.x>': runtime error: boom.`, EventOther, "proxy", "warning", nil},
	{`SPOE: [agent] <EVENT:on-frontend-http-request> sid=12 st=0 0/0/0/0/0 1/1 0/0 10/20`, EventOther, "application", "notice", nil},
	{`SPOE: [agent] <GROUP:g1> sid=12 st=3 15 0/2`, EventOther, "application", "warning", nil},
	{`<OCSP-UPDATE> /etc/ssl/site.pem 1 "Update successful" 0 1`, EventOther, "tls", "notice", evF{"ProxyName": "<OCSP-UPDATE>"}},
	{`acme: site.pem: Successful update of the certificate.`, EventOther, "tls", "notice", nil},
	{`acme: site.pem: couldn't get a nonce Aborting. (3/3)`, EventOther, "tls", "alert", nil},
	{`haproxy: openssl returns too many async fds. It seems a bug. Process may crash`, EventResourceLimit, "resource", "critical", nil},
	{`stick table: internal error while setting gpt0.`, EventOther, "proxy", "warning", nil},
	{`Vars: internal error while execute action store.`, EventOther, "proxy", "warning", nil},
	{`Internal error: yield not allowed with tcp-request connection actions.`, EventOther, "proxy", "warning", nil},
	{`can't find server 's9' in backend 'be_app'`, EventOther, "admin", "warning", evF{"Server": "s9", "Backend": "be_app"}},
	{`backend name mismatch: from server state file: 'old', from running config 'new'`, EventOther, "admin", "warning", nil},
	{`'server be_rt/s3' : New server registered.`, EventOther, "admin", "notice", evF{"Backend": "be_rt", "Server": "s3"}},
	{`Server deleted.`, EventOther, "admin", "notice", nil},

	// stderr contexts (2.4+).
	{`CLI : Server be_rt/s3 is UP/READY (leaving forced maintenance).`, EventServerUp, "admin", "notice", evF{"Server": "s3"}},
	{`parsing [/etc/haproxy/haproxy.cfg:12] : 'option httplog' not usable with proxy 'fe' (needs 'mode http').`, EventOther, "process", "warning", nil},
}

func TestEventCases(t *testing.T) {
	var d Decoder
	var e Entry
	for _, c := range eventCases {
		decodeExplain(&d, &e, []byte(c.line), time.Time{})
		if e.Type != LogEvent || e.Event != c.kind {
			t.Errorf("%s\n  type %v kind %v (%q), want event %v", c.line, e.Type, e.Event, e.ParseError, c.kind)
			continue
		}
		if e.DiagLayer != c.layer || e.Severity != c.sev {
			t.Errorf("%s\n  layer %q severity %q, want %q %q", c.line, e.DiagLayer, e.Severity, c.layer, c.sev)
		}
		if e.DiagSummary == "" {
			t.Errorf("%s\n  no diagnosis", c.line)
		}
		checkEvFields(t, c.line, &e, c.f)
	}
}

func checkEvFields(t *testing.T, line string, e *Entry, f evF) {
	t.Helper()
	v := reflect.ValueOf(e).Elem()
	for name, want := range f {
		fv := v.FieldByName(name)
		if !fv.IsValid() {
			t.Fatalf("no field %s", name)
		}
		got := fv.Interface()
		if b, ok := got.([]byte); ok {
			if want == nil {
				if len(b) != 0 {
					t.Errorf("%s\n  %s = %q, want empty", line, name, b)
				}
				continue
			}
			got = string(b)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s\n  %s = %#v, want %#v", line, name, got, want)
		}
	}
}

// TestEventFramed: the same message through syslog and stderr framings.
func TestEventFramed(t *testing.T) {
	lines := []string{
		`<129>Nov 21 07:25:03 haproxy[27581]: Server be/s1 is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		`[WARNING]  (3601) : Server be/s1 is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		`[WARNING] 126/080119 (3115) : Server be/s1 is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
	}
	var d Decoder
	var e Entry
	for _, l := range lines {
		decodeExplain(&d, &e, []byte(l), time.Time{})
		if e.Event != EventServerDown || !e.Outage || string(e.Server) != "s1" || e.Severity != "critical" {
			t.Errorf("%s: kind %v outage %v server %q severity %q", l, e.Event, e.Outage, e.Server, e.Severity)
		}
	}
	decodeExplain(&d, &e, []byte(`[ALERT]    (1) : Current worker (8) exited with code 137 (Killed)`), time.Time{})
	if e.Event != EventWorker || e.WorkerPID != 8 || e.ExitCode != 137 || string(e.ExitReason) != "Killed" {
		t.Errorf("worker line: %v %d %d %q", e.Event, e.WorkerPID, e.ExitCode, e.ExitReason)
	}
}

// TestEventUnknown: lines that only look like events are not events, and
// a failed attempt leaves no event field behind.
func TestEventUnknown(t *testing.T) {
	lines := []string{
		"hello world",
		"Server be/s1 is sleeping.",
		"Server be/s1 is UPSIDE down.",
		"Server nobackend is DOWN.",
		"Health check for server be/s1 failed, reason: Layer4 timeout, status: 0/2 SIDEWAYS.",
		"Health check for server be/s1 maybe, reason: Layer4 timeout, status: 0/2 DOWN.",
		"Proxy fe stopped (cumulated conns: FE: x, BE: 0).",
		"Server be/s1 is DOWN. 0 active and 0 backup servers left. 0 sessions active, 0 requeued",
		"Server be/s1 (') is UP.", // an FQDN quote closing on its own opening once panicked
	}
	var d Decoder
	var e Entry
	for _, l := range lines {
		decodeExplain(&d, &e, []byte(l), time.Time{})
		if e.Type != LogUnknown || e.Err() == nil || e.Event != EventNone {
			t.Errorf("%q: type %v kind %v err %q", l, e.Type, e.Event, e.ParseError)
		}
		if e.Outage || e.DiagSummary != "" || e.ServerState != nil || e.CheckStatus != "" || e.Backend != nil || e.ActiveServers != Unset {
			t.Errorf("%q: leftover fields %+v", l, e)
		}
	}
}

// TestEventAllocs: decoding an event into a warmed-up Entry allocates nothing.
func TestEventAllocs(t *testing.T) {
	lines := []string{
		`Health check for server be_app/app1 failed, reason: Layer7 wrong status, code: 503, info: "Service <22>Unavailable<22>", check duration: 3ms, status: 0/2 DOWN.`,
		`Server be_app/app1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
		`<132>Nov 21 07:25:03 haproxy[27581]: Proxy be_app stopped (cumulated conns: FE: 0, BE: 5678).`,
		`[ALERT]    (1) : Current worker (8) exited with code 137 (Killed)`,
		`Server be_app/app1 ('app1.example.com') is UP/READY (resolves again).`,
	}
	var d Decoder
	var e Entry
	loc := time.UTC
	d.Location = loc
	now := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	for _, l := range lines {
		b := []byte(l)
		decodeExplain(&d, &e, b, now)
		if e.Type != LogEvent {
			t.Fatalf("%s: not an event (%s)", l, e.ParseError)
		}
		if n := testing.AllocsPerRun(200, func() { decodeExplain(&d, &e, b, now) }); n != 0 {
			t.Errorf("%s: %v allocs per decode, want 0", l, n)
		}
	}
}

// TestEventPrefixes: every prefix of every event line of the corpus (and of
// the cases above) decodes without panicking.
func TestEventPrefixes(t *testing.T) {
	var lines []string
	files := append(corpus.Files(t, "*.raw.log"), corpus.Files(t, "*.stderr*.log")...)
	for _, l := range corpus.ReadLines(t, files...) {
		if (l[0] < '0' || l[0] > '9') && !strings.HasPrefix(l, "Connect from") {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		t.Fatal("no event lines in the corpus")
	}
	for _, c := range eventCases {
		lines = append(lines, c.line)
	}
	var d Decoder
	var e Entry
	for _, l := range lines {
		for i := 0; i <= len(l); i++ {
			decodeExplain(&d, &e, []byte(l[:i]), time.Time{})
			decodeExplain(&d, &e, []byte(l[i:]), time.Time{})
		}
	}
}

// TestEventCorpus: every operational line of the corpus is an event.
func TestEventCorpus(t *testing.T) {
	var d Decoder
	var e Entry
	n := 0
	for _, l := range corpus.Lines(t, "*.raw.log") {
		if (l[0] >= '0' && l[0] <= '9') || strings.HasPrefix(l, "Connect from") {
			continue
		}
		n++
		decodeExplain(&d, &e, []byte(l), time.Time{})
		if e.Type != LogEvent || e.Event == EventNone || e.Event == EventOther || e.DiagLayer == "" || e.Severity == "" {
			t.Errorf("%s: type %v kind %v layer %q (%s)", l, e.Type, e.Event, e.DiagLayer, e.ParseError)
		}
	}
	if n < 50 {
		t.Errorf("only %d event lines", n)
	}
}

// FuzzEvent starts from every operational message of the table above (the
// corpus has few of their shapes: FQDNs, via, agents, workers ...), so that
// the fuzzer mutates each grammar.
func FuzzEvent(f *testing.F) {
	for _, c := range eventCases {
		f.Add([]byte(c.line))
	}
	f.Add([]byte("Server be/s1 (') is UP."))
	var d Decoder
	var e Entry
	f.Fuzz(func(t *testing.T, line []byte) {
		decodeExplain(&d, &e, line, time.Time{})
		checkSane(t, &e, line)
	})
}
