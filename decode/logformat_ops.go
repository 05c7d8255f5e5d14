package decode

import (
	"encoding/binary"
	"math/bits"
)

// scan does not walk the nodes but ops: a variable with the text written
// right before it is one op, so that " srv=%s" costs one step, not two,
// and text of up to 8 bytes is compared as one word, not by memequal.
// On the custom benchmark format (23 texts, 27 variables) this took the
// line from 578 to 495 ns (Xeon, -cpu 1, quiet).

// opKind is what one step of scan reads.
type opKind uint8

const (
	opVar     opKind = iota // a variable read by extent and set
	opDecimal               // a decimal number, read by decimalAt (the fast path)
	opToken                 // a value without space up to stopByte or a space
	opSep                   // a separator
	opText                  // text that no variable follows (before a separator, or last)
	opRun                   // a run of numbers httplog writes, e.g. %TR/%Tw/%Tc/%Tr/%Ta (see runs)
	opFixed                 // a value of a fixed width (a termination state)
	opFree                  // a value that may hold anything, up to the text after it (samples, %ID)
)

// An lfOp is one step of scan.
type lfOp struct {
	pre      string // the text before the value (opText: the text itself)
	preWord  uint64 // pre's bytes, little-endian, when it has 1 to 8
	preMask  uint64 // the bytes of preWord that count
	node     int32  // the node of the value (opText: of the text)
	kind     opKind
	stop     string // opFree: the text after the value
	stopByte byte
	stopLast bool
	width    uint8  // opFixed
	run      numRun // opRun: which run; the ops after it read the same nodes one by one
	toTa     bool   // opRun of tcplog's timers: %Tt is Ta (see lfNode.toTa)
}

// compileOps builds f.ops from f.nodes (after finish has set the stops).
func (f *LogFormat) compileOps() {
	f.ops = f.ops[:0]
	for i := 0; i < len(f.nodes); i++ {
		n := &f.nodes[i]
		op := lfOp{node: int32(i)}
		if n.kind == nodeText {
			op.pre = n.text
			if i+1 < len(f.nodes) && f.nodes[i+1].kind == nodeVar {
				i++
				n = &f.nodes[i]
				op.node = int32(i)
			}
		}
		switch {
		case n.kind == nodeText:
			op.kind = opText
		case n.kind == nodeSep:
			op.kind = opSep
		case n.decimal:
			op.kind = opDecimal
		case n.token:
			op.kind = opToken
		case n.v == varTermState || n.v == varTermStateCk:
			op.kind, op.width = opFixed, 2
			if n.v == varTermStateCk {
				op.width = 4
			}
		case varTable[n.v].shape == shapeFree && !(varTable[n.v].text && n.flags&flagQuote != 0) &&
			n.stopText != "" && !n.stopLast:
			op.kind, op.stop = opFree, n.stopText
		default:
			op.kind = opVar
		}
		op.stopByte, op.stopLast = n.stopByte, n.stopLast
		if k := len(op.pre); k > 0 && k <= 8 {
			var w [8]byte
			copy(w[:], op.pre)
			op.preWord = binary.LittleEndian.Uint64(w[:])
			op.preMask = ^uint64(0) >> (64 - 8*k)
		}
		if r, last := f.runAt(i); r != runNone {
			// The run, then op and the others of its nodes (read when the run does not).
			run, ln := op, &f.nodes[last]
			run.kind, run.run, run.stopByte, run.stopLast, run.toTa = opRun, r, ln.stopByte, ln.stopLast, ln.toTa
			f.ops = append(f.ops, run)
		}
		f.ops = append(f.ops, op)
	}
}

// matchPre reports whether b[pos:] starts with op.pre.
func (op *lfOp) matchPre(b []byte, pos int) bool {
	if op.preMask != 0 && pos+8 <= len(b) {
		return binary.LittleEndian.Uint64(b[pos:])&op.preMask == op.preWord
	}
	return hasPrefix(b[pos:], op.pre)
}

// textNode is the node of op's text.
func (op *lfOp) textNode() int {
	if op.kind == opText {
		return int(op.node)
	}
	return int(op.node) - 1
}

// tokenEnd is the first i at or after pos where b holds stop or a space,
// or len(b). It reads 8 bytes at a time, as cutByte does (zeroBytes):
// names and dates are 4 to 24 bytes, and the byte loop cost 10
// instructions a byte.
func tokenEnd(b []byte, pos int, stop byte) int {
	s, spaces := uint64(stop)*swarOnes, uint64(' ')*swarOnes
	i := pos
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if m := zeroBytes(w^s) | zeroBytes(w^spaces); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for i < len(b) && b[i] != stop && b[i] != ' ' {
		i++
	}
	return i
}
