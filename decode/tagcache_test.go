package decode

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// An Entry that remembers the previous line's syslog tag decodes every line
// as a fresh Entry does: over the corpus in all its framings, and lines
// built to look like the remembered tag without being it.
func TestTagCacheAsFresh(t *testing.T) {
	var lines []string
	files, _ := filepath.Glob("testdata/corpus/*.log")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(string(b), "\n")...)
	}
	if len(lines) < 1000 {
		t.Fatalf("%d corpus lines", len(lines))
	}
	msg := "backend be has no server available!"
	h := "Nov 21 07:00:00 "
	lines = append(lines,
		h+"lb1 haproxy[1]: "+msg, h+"lb1 haproxy[1]:", h+"lb1 haproxy[1]: ", h+"lb1 haproxy[1]:  "+msg,
		h+"lb1 haproxy[12]: "+msg, h+"lb1 haproxy[1]: "+msg, h+"lb2 haproxy[1]: "+msg, h+"haproxy[1]: "+msg,
		h+"haproxy[1]: lb1 haproxy[1]: "+msg, h+"haproxy[1]:"+msg, h+"haproxy: "+msg, h+"haproxy: "+msg,
		h+"lb1 haproxy: "+msg, h+"lb1 haproxy: lb1 "+msg, h+"lb1 haproxy[x]: "+msg, h+"lb1 haproxy[x]: "+msg,
		h+strings.Repeat("h", 30)+" haproxy[1]: "+msg, h+strings.Repeat("h", 30)+" haproxy[1]: "+msg,
		h+strings.Repeat("h", 20)+" haproxy[1]: "+msg, h+strings.Repeat("h", 20)+" haproxy[1]: "+msg,
		"<134>"+h+"lb1 haproxy[1]: "+msg, "2026-11-21T07:00:00+00:00 lb1 haproxy[1]: "+msg, h+"lb1 haproxy[1]: "+msg)
	dec := Decoder{Location: time.UTC}
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	var warm Entry
	hits := 0
	for i, line := range lines {
		var fresh Entry
		dec.Decode(&fresh, []byte(line), now)
		hit := warm.tags.n > 0 && strings.Contains(line, string(warm.tags.text[:warm.tags.n]))
		dec.Decode(&warm, []byte(line), now)
		if hit {
			hits++
		}
		if a, b := withoutCaches(warm), withoutCaches(fresh); !reflect.DeepEqual(a, b) {
			t.Fatalf("line %d %q: after %q\n got %+v\nwant %+v", i, line, lines[max(i-1, 0)], a.Header, b.Header)
		}
	}
	if hits < 200 {
		t.Errorf("%d of %d lines read with the remembered tag", hits, len(lines))
	}
}

// withoutCaches is e without what an Entry keeps from line to line: its
// caches, and its buffers' storage (an empty list reused is not nil).
func withoutCaches(e Entry) Entry {
	e.times, e.tags, e.lastFormat, e.scratch = timeCache{}, tagCache{}, formatHit{}, nil
	if len(e.ReqHeaders) == 0 {
		e.ReqHeaders = nil
	}
	if len(e.RespHeaders) == 0 {
		e.RespHeaders = nil
	}
	if len(e.Samples) == 0 {
		e.Samples = nil
	}
	if len(e.State.ServersDown) == 0 {
		e.State.ServersDown = nil
	}
	return e
}
