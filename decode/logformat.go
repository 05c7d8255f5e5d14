package decode

import (
	"fmt"
	"strconv"
	"strings"
)

// A LogFormat is an HAProxy log-format string (configuration.txt §8.2.6,
// 2.6 to 3.x) compiled into a scanner: literal text, separators, %var,
// %{flags}var, %(name)var, %[sample,converter...] and %%. Decoding a line
// with it allocates nothing. It is immutable once compiled and safe for
// concurrent use.
type LogFormat struct {
	src      string
	nodes    []lfNode
	ops      []lfOp  // what scan walks: the nodes, a text and its variable as one
	typ      LogType // LogHTTP or LogTCP, or the built-in format the string is
	samples  int     // %[...] nodes that land in Custom.Samples
	frontend bool    // the format writes %f or %ft
	json     bool    // %{+json}o: the line is a JSON object of named nodes
	// status: the format writes %ST. HAProxy writes the HTTP status there,
	// or 0 for a TCP stream: a line with a status is HTTP.
	status bool
	// untimed: the phase timers (absentTR...) the format does not write.
	// Their Unset is "not known", not "never reached".
	untimed uint8
}

// String is the format as given.
func (f *LogFormat) String() string { return f.src }

// Type is the log type lines decoded with f get: LogHTTP when the format
// writes an HTTP-only variable, else LogTCP; the built-in strings (option
// httpslog, httplog clf ...) keep their own type.
func (f *LogFormat) Type() LogType { return f.typ }

// FormatError says why and where a log-format string cannot be read.
type FormatError struct {
	Column int    // 1-based byte offset in the string
	Reason string // what is wrong there
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("log-format: column %d: %s", e.Column, e.Reason)
}

// nodeKind is what one node of a compiled format matches.
type nodeKind uint8

const (
	nodeText nodeKind = iota // literal text
	nodeSep                  // a run of spaces: one space, unless the last thing written was one
	nodeVar                  // a variable or a sample fetch
)

// Flags (HAProxy's LOG_OPT_*), set with %{+X} and cleared with %{-X};
// %{...}o sets the defaults of the nodes after it.
const (
	flagQuote     uint8 = 1 << iota // Q: the value is written in double quotes
	flagHex                         // X: numbers and addresses in hexadecimal
	flagEsc                         // E: '"', '\' and ']' escaped with '\'
	flagMandatory                   // M (3.x): kept for completeness, changes nothing written
	flagJSON                        // json (3.x, on %o): the line is a JSON object
	flagCBOR                        // cbor (3.x): binary, cannot be read as text
	flagBin                         // bin (3.x): binary, cannot be read as text
)

var flagNames = map[string]uint8{
	"Q": flagQuote, "X": flagHex, "E": flagEsc, "M": flagMandatory,
	"json": flagJSON, "cbor": flagCBOR, "bin": flagBin,
}

type lfNode struct {
	// What scan reads for every line comes first (one cache line).
	kind  nodeKind
	v     varKind // nodeVar
	flags uint8
	field sampleField // the ECS field of a sample, if it has one
	// What ends an unquoted value (see setStop), and its first byte.
	stopByte          byte
	stopSep, stopLast bool
	// decimal: a number written in decimal, read by scan's fast path;
	// token: a value without space that ends at stopByte (or a space),
	// found by scan's other fast path.
	decimal, token bool
	// inQuotes: the format itself puts the value between '"' (JSON and
	// key="value" formats): it may hold spaces, up to the text after it.
	inQuotes bool
	// toTa: %Tt is the total time (Ta) in a format without %Ta, as in tcplog.
	toTa     bool
	text     string // nodeText
	stopText string
	sample   string // a sample's key under haproxy.sample

	// For messages and JSON lines.
	col  int    // 1-based column of the node in the format
	name string // %(name), the key of a JSON-encoded line
	expr string // a sample's expression
}

// CompileLogFormat compiles a log-format string as HAProxy holds it once
// haproxy.cfg is parsed (surrounding quotes removed, "\ " unescaped). A
// string it cannot read returns a *FormatError.
func CompileLogFormat(s string) (*LogFormat, error) {
	p := lfParser{src: s}
	if err := p.parse(); err != nil {
		return nil, err
	}
	f := &LogFormat{src: s, nodes: p.nodes, typ: LogTCP}
	if err := f.finish(p.defaults); err != nil {
		return nil, err
	}
	return f, nil
}

// finish checks the nodes as a whole and works out the format's type.
func (f *LogFormat) finish(defaults uint8) error {
	if defaults&(flagCBOR|flagBin) != 0 {
		return &FormatError{Column: 1, Reason: "binary encodings (+bin, +cbor) cannot be read as text lines"}
	}
	f.json = defaults&flagJSON != 0
	hasTa := false
	f.untimed = absentTR | absentTw | absentTc | absentTr
	vars := 0
	keys := map[string]int{} // sample keys: a JSON object must not repeat one
	for i := range f.nodes {
		n := &f.nodes[i]
		if n.kind != nodeVar {
			continue
		}
		vars++
		if n.flags&(flagCBOR|flagBin) != 0 {
			return &FormatError{Column: n.col, Reason: "binary encodings (+bin, +cbor) cannot be read as text lines"}
		}
		info := &varTable[n.v]
		if info.http {
			f.typ = LogHTTP
		}
		switch n.v {
		case varTR:
			f.untimed &^= absentTR
		case varTw:
			f.untimed &^= absentTw
		case varTc:
			f.untimed &^= absentTc
		case varTr:
			f.untimed &^= absentTr
		case varTa:
			hasTa = true
		case varFrontend, varFrontendXprt:
			f.frontend = true
		case varStatus:
			f.status = true
		case varSample:
			if n.field == sampleNone || n.field == sampleJSON {
				f.samples++
				if keys[n.sample]++; keys[n.sample] > 1 {
					n.sample += "_" + strconv.Itoa(keys[n.sample])
				}
			}
		}
		if f.json && n.name == "" {
			n.name = info.name
			if n.v == varSample {
				n.name = n.expr
			}
		}
	}
	if vars == 0 {
		return &FormatError{Column: 1, Reason: "no variable: every line would be the same text"}
	}
	f.nodes = mergeText(f.nodes)
	for i := range f.nodes {
		n := &f.nodes[i]
		if n.kind != nodeVar {
			continue
		}
		n.inQuotes = i > 0 && i+1 < len(f.nodes) &&
			f.nodes[i-1].kind == nodeText && strings.HasSuffix(f.nodes[i-1].text, `"`) &&
			f.nodes[i+1].kind == nodeText && strings.HasPrefix(f.nodes[i+1].text, `"`)
		f.setStop(i)
		if n.stopText != "" {
			n.stopByte = n.stopText[0]
		} else if n.stopSep {
			n.stopByte = ' '
		}
		n.decimal = varTable[n.v].shape == shapeNumber && n.flags&flagHex == 0 && (n.stopByte != 0 || n.stopLast)
		n.token = varTable[n.v].shape == shapeToken && n.v != varTermState && n.v != varTermStateCk &&
			n.flags&(flagQuote|flagEsc) == 0 &&
			(n.stopByte == ' ' || len(n.stopText) == 1 || n.stopLast || !canHold(n.v, n.stopByte))
		n.toTa = n.v == varTt && !hasTa
	}
	if t, ok := builtinType(f.src); ok {
		f.typ = t
	}
	f.compileOps()
	return nil
}

// canHold reports whether a value of v may hold c. Proxy and server names
// are letters, digits and "_-.:" (HAProxy refuses others; %ft adds '~'),
// dates digits, month names and "/:.". When the text after such a value
// starts with a byte it cannot hold, the value ends at that byte's first
// place: scan's token path finds it, not the loop that looks for the
// whole text ("] fe=" after %tr: 461 to 439 ns the custom benchmark line).
func canHold(v varKind, c byte) bool {
	alnum := c-'0' <= 9 || (c|0x20)-'a' <= 'z'-'a'
	switch v {
	case varFrontendXprt, varFrontend, varBackend, varServer:
		return alnum || c == '_' || c == '-' || c == '.' || c == ':' || c == '~'
	case varDate, varDateReq:
		return alnum || c == '/' || c == ':' || c == '.'
	}
	return true
}

// mergeText folds a separator into the text after it when the separator
// always writes its space: after text, or after a variable that always
// writes something. " srv=" is then matched at once.
func mergeText(nodes []lfNode) []lfNode {
	out := nodes[:0:0]
	for i := 0; i < len(nodes); i++ {
		n := nodes[i]
		if n.kind == nodeSep && len(out) > 0 && i+1 < len(nodes) && nodes[i+1].kind == nodeText && alwaysWrites(&out[len(out)-1]) {
			n = lfNode{kind: nodeText, text: " " + nodes[i+1].text, col: n.col}
			i++
		}
		if k := len(out) - 1; n.kind == nodeText && k >= 0 && out[k].kind == nodeText {
			out[k].text += n.text
			continue
		}
		out = append(out, n)
	}
	return out
}

// alwaysWrites reports whether n writes at least one character that is
// not a space (a header capture may write nothing).
func alwaysWrites(n *lfNode) bool {
	switch n.kind {
	case nodeText:
		return true
	case nodeVar:
		s := varTable[n.v].shape
		return s != shapeHeaders && s != shapeHeaderList
	}
	return false
}

// lfParser reads a format string into nodes, as HAProxy's
// lf_expr_compile() does.
type lfParser struct {
	src      string
	i        int
	nodes    []lfNode
	defaults uint8 // flags set by %o so far
}

func (p *lfParser) fail(at int, format string, args ...any) *FormatError {
	return &FormatError{Column: at + 1, Reason: fmt.Sprintf(format, args...)}
}

func (p *lfParser) parse() error {
	s := p.src
	if len(s) == 0 {
		return p.fail(0, "the format is empty")
	}
	for p.i < len(s) {
		switch c := s[p.i]; c {
		case ' ':
			start := p.i
			for p.i < len(s) && s[p.i] == ' ' {
				p.i++
			}
			p.nodes = append(p.nodes, lfNode{kind: nodeSep, col: start + 1})
		case '%':
			if err := p.percent(); err != nil {
				return err
			}
		default:
			start := p.i
			for p.i < len(s) && s[p.i] != ' ' && s[p.i] != '%' {
				p.i++
			}
			p.addText(s[start:p.i], start)
		}
	}
	return nil
}

// addText appends literal text, merged with the text before it.
func (p *lfParser) addText(t string, at int) {
	if n := len(p.nodes); n > 0 && p.nodes[n-1].kind == nodeText {
		p.nodes[n-1].text += t
		return
	}
	p.nodes = append(p.nodes, lfNode{kind: nodeText, text: t, col: at + 1})
}

// percent reads what follows a '%' at p.i.
func (p *lfParser) percent() error {
	s, start := p.src, p.i
	p.i++
	if p.i == len(s) {
		return p.fail(start, `"%%" ends the format: write "%%%%" for a literal %%`)
	}
	if s[p.i] == '%' {
		p.i++
		p.addText("%", start)
		return nil
	}
	n := lfNode{kind: nodeVar, col: start + 1, flags: p.defaults}
	if s[p.i] == '(' {
		end := strings.IndexByte(s[p.i:], ')')
		if end < 0 {
			return p.fail(start, `"%%(" is not closed`)
		}
		name := s[p.i+1 : p.i+end]
		if colon := strings.IndexByte(name, ':'); colon >= 0 {
			switch name[colon+1:] {
			case "str", "sint", "bool":
			default:
				return p.fail(p.i+1+colon+1, "unknown output type %q (str, sint or bool)", name[colon+1:])
			}
			name = name[:colon]
		}
		for k := 0; k < len(name); k++ {
			if c := name[k]; !isAlnum(c) && c != '_' && c != '-' {
				return p.fail(p.i+1+k, "invalid character %q in the name %q", c, name)
			}
		}
		n.name = name
		p.i += end + 1
	}
	hasFlags := false
	if p.i < len(s) && s[p.i] == '{' {
		end := strings.IndexByte(s[p.i:], '}')
		if end < 0 {
			return p.fail(start, `"%%{" is not closed`)
		}
		n.flags = applyFlags(n.flags, s[p.i+1:p.i+end])
		p.i += end + 1
		hasFlags = true
	}
	switch {
	case p.i < len(s) && s[p.i] == '[':
		return p.sample(n, start)
	case p.i < len(s) && isAlpha(s[p.i]):
		j := p.i
		for j < len(s) && isAlnum(s[j]) {
			j++
		}
		name := s[p.i:j]
		v, ok := varNames[name]
		if !ok {
			return p.fail(start, `unknown variable "%%%s": write "%%%%" for a literal %%`, name)
		}
		p.i = j
		if v == varGlobal {
			p.defaults = n.flags
			return nil
		}
		n.v = v
		p.nodes = append(p.nodes, n)
		return nil
	case hasFlags:
		return p.fail(p.i, "flags %q are not followed by a variable or a sample", s[start:p.i])
	}
	return p.fail(start, `"%%" must be followed by a variable, "{", "[" or "%%" (write "%%%%" for a literal %%)`)
}

// sample reads "[expression]" at p.i; the expression ends at the first ']'
// outside parentheses.
func (p *lfParser) sample(n lfNode, start int) error {
	s := p.src
	depth, j := 0, p.i+1
	for ; j < len(s); j++ {
		c := s[j]
		if c == '(' {
			depth++
		} else if c == ')' && depth > 0 {
			depth--
		} else if c == ']' && depth == 0 {
			break
		}
	}
	if j == len(s) {
		return p.fail(start, `"%%[" is not closed`)
	}
	expr := strings.TrimSpace(s[p.i+1 : j])
	if expr == "" {
		return p.fail(p.i, "empty sample expression")
	}
	n.v = varSample
	n.expr = expr
	n.field = sampleFieldOf(expr)
	n.sample = sampleKey(expr)
	if n.field == sampleNone && jsonEscaped(expr) {
		n.field = sampleJSON
	}
	p.nodes = append(p.nodes, n)
	p.i = j + 1
	return nil
}

// applyFlags reads "+Q,-X": unknown flags are ignored, as HAProxy does.
func applyFlags(flags uint8, list string) uint8 {
	for _, item := range strings.Split(list, ",") {
		if len(item) < 2 {
			continue
		}
		bit, ok := flagNames[item[1:]]
		if !ok {
			continue
		}
		switch item[0] {
		case '+':
			flags |= bit
		case '-':
			flags &^= bit
		}
	}
	return flags
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }

// The built-in formats, as HAProxy defines them (src/log.c).
const (
	HTTPLogFormat   = `%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r`
	HTTPSLogFormat  = HTTPLogFormat + ` %[fc_err]/%[ssl_fc_err,hex]/%[ssl_c_err]/%[ssl_c_ca_err]/%[ssl_fc_is_resumed] %[ssl_fc_sni]/%sslv/%sslc`
	TCPLogFormat    = `%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq`
	CLFLogFormat    = `%{+Q}o %{-Q}ci - - [%trg] %r %ST %B "" "" %cp %ms %ft %b %s %TR %Tw %Tc %Tr %Ta %tsc %ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl`
	TCPCLFLogFormat = `%{+Q}o %{-Q}ci - - [%T] "TCP " 000 %B "" "" %cp %ms %ft %b %s %Th %Tw %Tc %Tt %U %ts-- %ac %fc %bc %sc %rc %sq %bq "" ""`
	// ErrorLogFormat is the error-log-format the manual suggests.
	ErrorLogFormat = `%ci:%cp [%tr] %ft %ac/%fc %[fc_err]/%[ssl_fc_err,hex]/%[ssl_c_err]/%[ssl_c_ca_err]/%[ssl_fc_is_resumed] %[ssl_fc_sni]/%sslv/%sslc`
)

func builtinType(s string) (LogType, bool) {
	switch s {
	case HTTPLogFormat:
		return LogHTTP, true
	case HTTPSLogFormat:
		return LogHTTPS, true
	case TCPLogFormat:
		return LogTCP, true
	case CLFLogFormat, TCPCLFLogFormat:
		return LogCLF, true
	}
	return 0, false
}
