package decode

// EventKind classifies an operational line ("haproxy.event.kind").
type EventKind uint8

const (
	EventNone              EventKind = iota // not an event (traffic or unknown)
	EventServerUp                           // Server b/s is UP ...
	EventServerDown                         // Server b/s is DOWN ...
	EventServerStopping                     // Server b/s is stopping ... (NOLB, disable-on-404)
	EventServerMaintenance                  // going DOWN for maintenance, enters maintenance, remains in maintenance
	EventServerDrain                        // enters drain state, remains in drain mode
	EventServerReady                        // administratively READY, leaving maintenance while still DOWN
	EventHealthCheck                        // Health check for server ... succeeded/failed
	EventAgentCheck                         // Agent check for server ...
	EventBackendNoServer                    // backend X has no server available!
	EventProxyStarted                       // Proxy X started. (≤2.2)
	EventProxyPaused                        // Paused/Pausing frontend X.
	EventProxyResumed                       // Resumed/Enabling frontend X.
	EventProxyStopping                      // Stopping frontend X in N ms. (≤2.4)
	EventProxyStopped                       // Proxy X stopped (...)
	EventProxyHardStopped                   // Proxy X hard-stopped (N remaining conns will be closed).
	EventHardStop                           // soft-stop running for too long, performing a hard-stop.
	EventSoftStop                           // Scheduling a soft-stop in N ms. / Grace period expired ...
	EventAddressChange                      // b/s changed its IP / IP changed from / changed its FQDN
	EventConnect                            // Connect from A to B (fe/MODE)
	EventConnectionError                    // ip:port [date] fe/bind: SSL handshake failure
	EventWorker                             // master-worker lines (stderr)
	EventResourceLimit                      // FD / memory / maxconn / source port limits
	EventOther                              // an HAProxy message we know the shape of but not the meaning
)

var eventKindNames = [...]string{
	"", "server_up", "server_down", "server_stopping", "server_maintenance", "server_drain",
	"server_ready", "health_check", "agent_check", "backend_no_server", "proxy_started",
	"proxy_paused", "proxy_resumed", "proxy_stopping", "proxy_stopped", "proxy_hard_stopped",
	"hard_stop", "soft_stop", "address_change", "connect", "connection_error", "worker",
	"resource_limit", "other",
}

func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return "other"
}
