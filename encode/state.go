package encode

import "github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"

// The fields of the stateful reading (decode.StateFields, filled by package
// state) are written in three places: haproxy.outage (with the line's own
// reading, haproxy.outage.detected), haproxy.server (inside the server object
// of an event, see appendEvent) and haproxy.lifecycle.

// appendOutage appends haproxy.outage: detected (the line itself says no
// server is left) and the outage the record belongs to.
func appendOutage(b []byte, e *decode.Entry) []byte {
	st := &e.State
	if !e.Outage && st.Outage == decode.OutageNone {
		return b
	}
	b = append(b, `"outage":{`...)
	if e.Outage {
		b = append(b, `"detected":true,`...)
	}
	if st.Outage != decode.OutageNone {
		b = strF(b, `"state":"`, st.Outage.String())
		if st.OutageID != 0 {
			b = st.OutageID.Append(append(b, `"id":"`...))
			b = append(b, '"', ',')
		}
		b = addTime(b, `"started_at":`, st)
		if st.Outage == decode.OutageEnded {
			if !st.OutageEnd.IsZero() {
				b = append(b, `"ended_at":`...)
				b = TimeFormat{}.Append(b, st.OutageEnd)
				b = append(b, ',')
			}
			b = intV(append(b, `"duration_ms":`...), st.OutageDuration)
			if len(st.ServersDown) > 0 {
				b = append(b, `"servers_down":[`...)
				for i, s := range st.ServersDown {
					if i > 0 {
						b = append(b, ',')
					}
					b = appendString(b, s)
				}
				b = append(b, ']', ',')
			}
		}
	}
	return closeObj(b, -1)
}

// addTime appends the outage's start, when known.
func addTime(b []byte, k string, st *decode.StateFields) []byte {
	if st.OutageStart.IsZero() || st.Outage == decode.OutageOngoing {
		return b
	}
	b = append(b, k...)
	b = TimeFormat{}.Append(b, st.OutageStart)
	return append(b, ',')
}

// serverStateSet reports whether a haproxy.server field of the stateful
// reading is set.
func serverStateSet(st *decode.StateFields) bool {
	return !st.DownSince.IsZero() || st.Flapping
}

// appendServerState appends the stateful fields of haproxy.server (inside
// its object).
func appendServerState(b []byte, st *decode.StateFields) []byte {
	if !st.DownSince.IsZero() {
		b = append(b, `"down_since":`...)
		b = TimeFormat{}.Append(b, st.DownSince)
		b = intV(append(b, `,"downtime_ms":`...), st.Downtime)
	}
	if st.Flapping {
		b = append(b, `"flapping":true,`...)
		b = intV(append(b, `"transitions":`...), int64(st.Transitions))
	}
	return b
}

// appendLifecycle appends haproxy.lifecycle (a reload's lines).
func appendLifecycle(b []byte, st *decode.StateFields) []byte {
	if !st.Reload {
		return b
	}
	b = append(b, `"lifecycle":{"reload":true,`...)
	if st.OldPID > 0 {
		b = intV(append(b, `"old_pid":`...), int64(st.OldPID))
	}
	return closeObj(b, -1)
}
