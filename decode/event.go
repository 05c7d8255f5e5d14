package decode

import "time"

// parseEvent reads an operational message. It returns "" on success or a
// message saying why the line is not one we know.
func parseEvent(e *Entry, b []byte, loc *time.Location) string {
	return "not an HAProxy log line"
}
