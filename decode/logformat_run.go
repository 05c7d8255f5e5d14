package decode

// The runs of numbers httplog and tcplog write are copied as they are by
// most custom formats. scan reads such a run in one op and stores it
// without a switch per number: on the custom benchmark format (three runs,
// 12 numbers) this took the line from 494 to 478 ns. When a run does not read
// (a value that is not a plain decimal, a missing '/'), nothing is stored
// and the ops after it read the same nodes one by one, as if the run op
// were not there: errors and their positions are the same.

// numRun is one of the runs.
type numRun uint8

const (
	runNone    numRun = iota
	runTimers         // %TR/%Tw/%Tc/%Tr/%Ta
	runTCPTime        // %Tw/%Tc/%Tt
	runConns          // %ac/%fc/%bc/%sc/%rc
	runQueues         // %sq/%bq
)

var runVars = [...][]varKind{
	runTimers:  {varTR, varTw, varTc, varTr, varTa},
	runTCPTime: {varTw, varTc, varTt},
	runConns:   {varActConn, varFeConn, varBeConn, varSrvConn, varRetries},
	runQueues:  {varSrvQueue, varBeQueue},
}

// runAt says whether a run starts at node i: its variables, decimal, with
// exactly "/" between them. last is the run's last node.
func (f *LogFormat) runAt(i int) (r numRun, last int) {
	for r := runTimers; r <= runQueues; r++ {
		vars := runVars[r]
		j := i
		for k, v := range vars {
			if j >= len(f.nodes) || f.nodes[j].kind != nodeVar || f.nodes[j].v != v || !f.nodes[j].decimal {
				break
			}
			if k == len(vars)-1 {
				return r, j
			}
			if j+1 >= len(f.nodes) || f.nodes[j+1].kind != nodeText || f.nodes[j+1].text != "/" {
				break
			}
			j += 2
		}
	}
	return runNone, 0
}

// readRun reads op's run at b[pos]; it returns where it ends, or ok false
// with nothing stored.
func (op *lfOp) readRun(e *Entry, b []byte, pos int) (end int, ok bool) {
	var x [5]int64
	var plus [5]bool
	n := len(runVars[op.run])
	for k := 0; k < n; k++ {
		end, v := digitsAt(b, pos) // inlined: a number costs no call
		p := false
		if end == pos || end-pos > 18 {
			var ok bool
			if end, v, p, ok = signedDecimalAt(b, pos); !ok {
				return 0, false
			}
		}
		if k < n-1 {
			if end >= len(b) || b[end] != '/' {
				return 0, false
			}
			end++
		} else if end < len(b) && b[end] != op.stopByte && !(op.stopLast && b[end] == ' ') {
			return 0, false
		}
		x[k], plus[k], pos = v, p, end
	}
	switch op.run {
	case runTimers:
		e.TR, e.Tw, e.Tc, e.Tr, e.Ta = int(x[0]), int(x[1]), int(x[2]), int(x[3]), int(x[4])
		e.Logasap = e.Logasap || plus[4]
	case runTCPTime:
		e.Tw, e.Tc = int(x[0]), int(x[1])
		if op.toTa {
			e.Ta = int(x[2])
		} else {
			e.Tt = int(x[2])
		}
		e.Logasap = e.Logasap || plus[2]
	case runConns:
		e.ActConn, e.FeConn, e.BeConn, e.SrvConn = int(x[0]), int(x[1]), int(x[2]), int(x[3])
		e.Retries, e.Redispatched = int(x[4]), plus[4]
	case runQueues:
		e.SrvQueue, e.BackendQueue = int(x[0]), int(x[1])
	}
	return pos, true
}
