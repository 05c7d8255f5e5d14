package decode

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A generated variable: its token in the format, the text HAProxy writes
// for a random value, and the entry field that must read it back.
type propVar struct {
	token string
	gen   func(r *rand.Rand) (text, field, want string)
}

func propWord(r *rand.Rand) string {
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789_-."
	n := 1 + r.Intn(12)
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.Intn(len(chars))]
	}
	if b[0] == '-' || b[0] == '.' {
		b[0] = 'a' // "-" is what HAProxy writes for no value
	}
	return string(b)
}

func propIP(r *rand.Rand) string {
	if r.Intn(4) == 0 {
		return fmt.Sprintf("2001:db8::%x", r.Intn(65536))
	}
	return fmt.Sprintf("%d.%d.%d.%d", r.Intn(256), r.Intn(256), r.Intn(256), r.Intn(256))
}

// timerVar is a timer: -1 (never reached) now and then.
func timerVar(token, field string) propVar {
	return propVar{"%" + token, func(r *rand.Rand) (string, string, string) {
		if r.Intn(5) == 0 {
			return "-1", field, "-1"
		}
		v := strconv.Itoa(r.Intn(100000))
		return v, field, v
	}}
}

func intVar(token, field string) propVar {
	return propVar{"%" + token, func(r *rand.Rand) (string, string, string) {
		v := strconv.Itoa(r.Intn(1 << 20))
		return v, field, v
	}}
}

func portVar(token, field string) propVar {
	return propVar{"%" + token, func(r *rand.Rand) (string, string, string) {
		v := strconv.Itoa(r.Intn(65536))
		return v, field, v
	}}
}

func textVar(token, field string, gen func(*rand.Rand) string) propVar {
	return propVar{"%" + token, func(r *rand.Rand) (string, string, string) {
		v := gen(r)
		return v, field, v
	}}
}

var propVars = []propVar{
	textVar("ci", "ClientIP", propIP),
	portVar("cp", "ClientPort"),
	textVar("fi", "DestIP", propIP),
	textVar("bi", "BackendSrcIP", propIP),
	portVar("bp", "BackendSrcPort"),
	textVar("si", "ServerIP", propIP),
	portVar("sp", "ServerPort"),
	textVar("f", "Frontend", propWord),
	textVar("b", "Backend", propWord),
	textVar("s", "Server", propWord),
	{"%tr", func(r *rand.Rand) (string, string, string) {
		t := time.Date(2020+r.Intn(10), time.Month(1+r.Intn(12)), 1+r.Intn(28), r.Intn(24), r.Intn(60), r.Intn(60), r.Intn(1000)*1e6, time.UTC)
		return t.Format("02/Jan/2006:15:04:05.000"), "RequestDate", t.Format(time.RFC3339Nano)
	}},
	timerVar("TR", "TR"), timerVar("Tw", "Tw"), timerVar("Tc", "Tc"), timerVar("Tr", "Tr"),
	timerVar("Th", "Th"), timerVar("Ti", "Ti"), timerVar("Tq", "Tq"), timerVar("Td", "Td"),
	{"%Ta", func(r *rand.Rand) (string, string, string) {
		v := strconv.Itoa(r.Intn(100000))
		if r.Intn(3) == 0 {
			return "+" + v, "Ta", v // logasap
		}
		return v, "Ta", v
	}},
	{"%ST", func(r *rand.Rand) (string, string, string) {
		v := strconv.Itoa(100 + r.Intn(500))
		return v, "Status", v
	}},
	{"%B", func(r *rand.Rand) (string, string, string) {
		v := strconv.FormatInt(r.Int63n(1<<40), 10)
		return v, "BytesRead", v
	}},
	intVar("U", "BytesUploaded"),
	textVar("CC", "ReqCookie", propWord),
	{"%tsc", func(r *rand.Rand) (string, string, string) {
		v := string([]byte{"CSPLRIDUKcs-"[r.Intn(12)], "RQCHDLT-"[r.Intn(8)], "NIDVEOU-"[r.Intn(8)], "NIUPRD-"[r.Intn(7)]})
		return v, "TermState", v
	}},
	intVar("ac", "ActConn"), intVar("fc", "FeConn"), intVar("bc", "BeConn"), intVar("sc", "SrvConn"),
	{"%rc", func(r *rand.Rand) (string, string, string) {
		v := strconv.Itoa(r.Intn(4))
		if r.Intn(3) == 0 {
			return "+" + v, "Redispatched", "true"
		}
		return v, "Retries", v
	}},
	intVar("sq", "SrvQueue"), intVar("bq", "BackendQueue"),
	{"%hr", func(r *rand.Rand) (string, string, string) {
		a, b := propWord(r), propWord(r)+" "+propWord(r)
		return "{" + a + "|" + b + "}", "ReqHeaders", a + "|" + b
	}},
	{"%{+Q}r", func(r *rand.Rand) (string, string, string) {
		path := "/" + propWord(r)
		return `"GET ` + path + ` HTTP/1.1"`, "URLPath", path
	}},
	// The request line between literal quotes, as most hand-written
	// formats put it ("%r"): HAProxy writes '"' inside it as #22.
	{`"%r"`, func(r *rand.Rand) (string, string, string) {
		path := "/" + propWord(r) + "#22" + propWord(r)
		return `"POST ` + path + ` HTTP/1.0"`, "URLPath", strings.Replace(path, "#22", `"`, 1)
	}},
	textVar("ID", "UniqueID", propWord),
	intVar("pid", "PID"),
	intVar("rt", "ReqCounter"),
	textVar("sslv", "TLSVersion", func(r *rand.Rand) string { return []string{"TLSv1.2", "TLSv1.3"}[r.Intn(2)] }),
	textVar("[ssl_fc_sni]", "TLSSNI", propWord),
	{"%{+Q}[req.hdr(user-agent)]", func(r *rand.Rand) (string, string, string) {
		v := propWord(r) + " " + propWord(r)
		return `"` + v + `"`, "Samples", "req_hdr_user_agent=" + v
	}},
}

// The texts between variables: none of them occurs in a value.
var propSeps = []string{" ", " ", " k=", " | ", ";", ` "x":`, ","}

// TestLogFormatProperty: random entries rendered through random formats,
// as HAProxy writes them, decode back to the same fields.
func TestLogFormatProperty(t *testing.T) {
	seed := time.Now().UnixNano()
	r := rand.New(rand.NewSource(seed))
	t.Logf("seed %d", seed)
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for round := 0; round < 2000; round++ {
		var format, line strings.Builder
		var checks [][2]string
		used := map[string]bool{}
		for _, i := range r.Perm(len(propVars))[:1+r.Intn(12)] {
			v := propVars[i]
			text, field, want := v.gen(r)
			if used[field] {
				continue // "%{+Q}r" and "%r" fill the same fields
			}
			used[field] = true
			if format.Len() > 0 {
				sep := propSeps[r.Intn(len(propSeps))]
				format.WriteString(sep)
				line.WriteString(sep)
			}
			// Literal quotes around a variable ("%H", host="%[req.hdr(host)]")
			// as operators write key="value" and JSON formats.
			if !strings.HasPrefix(v.token, `%{+Q}`) && !strings.HasPrefix(v.token, `"`) && r.Intn(3) == 0 {
				format.WriteString(`"` + v.token + `"`)
				line.WriteString(`"` + text + `"`)
			} else {
				format.WriteString(v.token)
				line.WriteString(text)
			}
			checks = append(checks, [2]string{field, want})
		}
		f, err := CompileLogFormat(format.String())
		if err != nil {
			t.Fatalf("%q: %v", format.String(), err)
		}
		d := Decoder{Location: time.UTC}
		d.AddLogFormat("", f)
		var e Entry
		d.Decode(&e, []byte(line.String()), now)
		if e.lastFormat.set == nil {
			t.Errorf("format %q\nline   %q\nnot read: %s", format.String(), line.String(), e.ParseError)
			continue
		}
		for _, c := range checks {
			if got := entryField(&e, c[0]); got != c[1] {
				t.Errorf("format %q\nline   %q\n%s = %q, want %q", format.String(), line.String(), c[0], got, c[1])
			}
		}
	}
}
