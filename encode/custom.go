package encode

import "github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"

// The fields only a custom log-format writes (decode.Custom), under
// haproxy; the rest of a custom line is written like a built-in one.

// appendCustomTimers appends Th, Ti, Tq, Td, Tu and Tt inside
// haproxy.timers.
func appendCustomTimers(b []byte, e *decode.Entry) []byte {
	b = addInt(b, `"handshake_ms":`, e.Th)
	b = addInt(b, `"idle_ms":`, e.Ti)
	b = addInt(b, `"request_total_ms":`, e.Tq)
	b = addInt(b, `"data_ms":`, e.Td)
	b = addInt(b, `"user_ms":`, e.Tu)
	return addInt(b, `"session_ms":`, e.Tt)
}

// appendCustom appends %U, %bi/%bp, %si/%sp, %rt, %lc, %OG and the sample
// fetches (haproxy.sample.<name>).
func appendCustom(b []byte, e *decode.Entry) []byte {
	b = addInt64(b, `"bytes_uploaded":`, e.BytesUploaded)
	if len(e.BackendSrcIP) != 0 || e.BackendSrcPort != unset {
		p := len(b)
		b = append(b, `"backend_source":{`...)
		b = addBytes(b, `"ip":"`, e.BackendSrcIP)
		b = addInt(b, `"port":`, e.BackendSrcPort)
		b = closeObj(b, p)
	}
	// haproxy.server is also the object of server events, which have no
	// ServerIP: the two never meet in one line.
	if len(e.ServerIP) != 0 || e.ServerPort != unset {
		p := len(b)
		b = append(b, `"server":{`...)
		b = addBytes(b, `"ip":"`, e.ServerIP)
		b = addInt(b, `"port":`, e.ServerPort)
		b = closeObj(b, p)
	}
	b = addInt64(b, `"request_counter":`, e.ReqCounter)
	b = addInt64(b, `"log_counter":`, e.LogCounter)
	b = addBytes(b, `"log_origin":"`, e.LogOrigin)
	if len(e.Samples) != 0 {
		b = append(b, `"sample":{`...)
		for i := range e.Samples {
			s := &e.Samples[i]
			b = append(b, '"')
			b = append(b, s.Name...) // [a-z0-9_]: nothing to escape
			b = append(b, `":`...)
			b = appendString(b, b2s(s.Value))
			b = append(b, ',')
		}
		b = closeObj(b, -1)
	}
	return b
}
