package decode

import "time"

// parseTraffic reads a traffic log (httplog, httpslog, tcplog, clf) or a
// connection error line. It returns "" on success, errNotTraffic when the
// line does not start like one, or a message saying where it stopped.
func parseTraffic(e *Entry, b []byte, loc *time.Location) string {
	return errNotTraffic
}
