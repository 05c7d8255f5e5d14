package main

import (
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// Lines decoded on several workers reach the ordered stage in input order,
// each once, and every worker's count sees each line once in all.
func TestDecodeInOrder(t *testing.T) {
	const n = 10_000 // many blocks, more than are in flight at once
	var in strings.Builder
	for i := range n {
		in.WriteString("line " + strconv.Itoa(i) + strings.Repeat("x", i%300) + "\n")
	}
	var counted atomic.Int64
	count := make([]func(*decode.Entry), 3)
	for i := range count {
		count[i] = func(*decode.Entry) { counted.Add(1) }
	}
	next := 0
	var dec decode.Decoder
	status := decodeInOrder(nil, strings.NewReader(in.String()), io.Discard, &dec, count, func(es []decode.Entry, _ time.Time) {
		for i := range es {
			want := "line " + strconv.Itoa(next) + strings.Repeat("x", next%300)
			if string(es[i].Message) != want {
				t.Fatalf("line %d: got %.20q", next, es[i].Message)
			}
			next++
		}
	})
	if status != 0 || next != n || counted.Load() != n {
		t.Errorf("status %d, %d lines in order, %d counted, want %d", status, next, counted.Load(), n)
	}
}
