package encode

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// encodeEntry decodes line, lets fill set the stateful fields, encodes and
// parses the JSON back.
func encodeEntry(t *testing.T, line string, fill func(*decode.StateFields)) map[string]any {
	t.Helper()
	d := decode.Decoder{Location: time.UTC}
	var e decode.Entry
	decodeExplain(&d, &e, []byte(line), testNow)
	fill(&e.State)
	out, _ := defaultEncoder().Append(nil, &e, testNow, nil)
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	return m
}

const (
	downLine = `<129>Nov 21 07:36:02 lb1 haproxy[3615]: Server be_app/s1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`
	upLine   = `<133>Nov 21 07:36:09 lb1 haproxy[3615]: Server be_app/s1 is UP, reason: Layer4 check passed, check duration: 0ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.`
	nosrv    = `<134>Nov 21 07:36:03 lb1 haproxy[3615]: 127.0.0.1:55872 [21/Nov/2026:07:36:03.936] fe be_app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`
)

var (
	t0 = time.Date(2026, 11, 21, 7, 36, 2, 0, time.UTC)
	t1 = time.Date(2026, 11, 21, 7, 36, 9, 0, time.UTC)
)

func TestOutageStarted(t *testing.T) {
	m := encodeEntry(t, downLine, func(s *decode.StateFields) {
		s.Outage, s.OutageID, s.OutageStart = decode.OutageStarted, 0xabc, t0
	})
	want(t, m, "haproxy.outage.detected", true)
	want(t, m, "haproxy.outage.state", "started")
	want(t, m, "haproxy.outage.id", "0000000000000abc")
	want(t, m, "haproxy.outage.started_at", "2026-11-21T07:36:02.000Z")
	absent(t, m, "haproxy.outage.ended_at", "haproxy.outage.duration_ms", "haproxy.outage.servers_down", "haproxy.lifecycle")
}

func TestOutageOngoingTraffic(t *testing.T) {
	m := encodeEntry(t, nosrv, func(s *decode.StateFields) {
		s.Outage, s.OutageID, s.OutageStart = decode.OutageOngoing, 0xabc, t0
	})
	want(t, m, "haproxy.outage.state", "ongoing")
	want(t, m, "haproxy.outage.id", "0000000000000abc")
	absent(t, m, "haproxy.outage.detected", "haproxy.outage.started_at", "haproxy.server")
}

func TestOutageEndedAndDowntime(t *testing.T) {
	m := encodeEntry(t, upLine, func(s *decode.StateFields) {
		s.Outage, s.OutageID, s.OutageStart, s.OutageEnd = decode.OutageEnded, 0xabc, t0, t1
		s.OutageDuration = 7000
		s.ServersDown = []string{"s1", `odd"name`}
		s.DownSince, s.Downtime = t0, 7000
		s.Flapping, s.Transitions = true, 5
	})
	want(t, m, "haproxy.outage.state", "ended")
	want(t, m, "haproxy.outage.started_at", "2026-11-21T07:36:02.000Z")
	want(t, m, "haproxy.outage.ended_at", "2026-11-21T07:36:09.000Z")
	want(t, m, "haproxy.outage.duration_ms", 7000)
	want(t, m, "haproxy.outage.servers_down", []any{"s1", `odd"name`})
	want(t, m, "haproxy.server.down_since", "2026-11-21T07:36:02.000Z")
	want(t, m, "haproxy.server.downtime_ms", 7000)
	want(t, m, "haproxy.server.flapping", true)
	want(t, m, "haproxy.server.transitions", 5)
	want(t, m, "haproxy.server.backup", false) // the decoded fields stay
	absent(t, m, "haproxy.outage.detected")
}

func TestReloadField(t *testing.T) {
	m := encodeEntry(t, `<132>Nov 21 07:36:19 lb1 haproxy[3692]: Proxy fe_life stopped (cumulated conns: FE: 2, BE: 0).`,
		func(s *decode.StateFields) { s.Reload, s.OldPID = true, 3600 })
	want(t, m, "haproxy.lifecycle.reload", true)
	want(t, m, "haproxy.lifecycle.old_pid", 3600)
	absent(t, m, "haproxy.outage")
	m = encodeEntry(t, nosrv, func(s *decode.StateFields) { s.Reload = true })
	want(t, m, "haproxy.lifecycle.reload", true)
	absent(t, m, "haproxy.lifecycle.old_pid")
}

// Without the tracker, nothing stateful is written.
func TestNoStateNoFields(t *testing.T) {
	m := encodeEntry(t, upLine, func(*decode.StateFields) {})
	absent(t, m, "haproxy.outage", "haproxy.lifecycle", "haproxy.server.down_since", "haproxy.server.flapping")
}
