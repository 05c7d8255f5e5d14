package decode

import "strings"

// varKind is one of HAProxy's log-format variables (logformat_tags[] in
// src/log.c), or a sample fetch.
type varKind uint8

const (
	varNone varKind = iota
	varGlobal
	varClientIP
	varClientPort
	varFrontendIP
	varFrontendPort
	varBackendIP
	varBackendPort
	varServerIP
	varServerPort
	varFrontendXprt
	varFrontend
	varBackend
	varServer
	varDate
	varDateReq
	varDateGMT
	varDateReqGMT
	varDateLocal
	varDateReqLocal
	varTs
	varMs
	varTR
	varTw
	varTc
	varTr
	varTa
	varTh
	varTi
	varTq
	varTt
	varTu
	varTd
	varStatus
	varBytes
	varBytesUp
	varCookieReq
	varCookieResp
	varTermState
	varTermStateCk
	varActConn
	varFeConn
	varBeConn
	varSrvConn
	varRetries
	varSrvQueue
	varBeQueue
	varHdrReq
	varHdrResp
	varHdrReqList
	varHdrRespList
	varRequest
	varMethod
	varURI
	varPath
	varPathOnly
	varQuery
	varVersion
	varUniqueID
	varHostname
	varPID
	varReqCounter
	varLogCounter
	varSSLCipher
	varSSLVersion
	varOrigin
	varSample
	varCount
)

// shape is how far a variable's value reaches in a line.
type shape uint8

const (
	shapeToken      shape = iota // no space: ends at the next separator or text
	shapeNumber                  // digits, a sign, '+' (logasap, redispatch); hex with +X
	shapeAddr                    // an address: ends at the last ':' before a space when ':' follows
	shapeDateZone                // "dd/Mon/yyyy:hh:mm:ss +zzzz": one space inside
	shapeRequest                 // "METHOD URI HTTP/x.y" (spaces inside when unquoted)
	shapeHeaders                 // "{a|b}" or nothing at all
	shapeHeaderList              // "a" "b" (quoted, space-separated) or nothing
	shapeFree                    // anything up to what follows (samples, ids)
)

type varInfo struct {
	name  string // without '%'
	shape shape
	text  bool // honours +Q (written by lf_text and friends)
	http  bool // HTTP-only: a format with one is an HTTP format
}

var varTable = [varCount]varInfo{
	varClientIP:     {"ci", shapeAddr, true, false},
	varClientPort:   {"cp", shapeNumber, false, false},
	varFrontendIP:   {"fi", shapeAddr, true, false},
	varFrontendPort: {"fp", shapeNumber, false, false},
	varBackendIP:    {"bi", shapeAddr, true, false},
	varBackendPort:  {"bp", shapeNumber, false, false},
	varServerIP:     {"si", shapeAddr, true, false},
	varServerPort:   {"sp", shapeNumber, false, false},
	varFrontendXprt: {"ft", shapeToken, true, false},
	varFrontend:     {"f", shapeToken, true, false},
	varBackend:      {"b", shapeToken, true, false},
	varServer:       {"s", shapeToken, true, false},
	varDate:         {"t", shapeToken, false, false},
	varDateReq:      {"tr", shapeToken, false, true},
	varDateGMT:      {"T", shapeDateZone, false, false},
	varDateReqGMT:   {"trg", shapeDateZone, false, true},
	varDateLocal:    {"Tl", shapeDateZone, false, false},
	varDateReqLocal: {"trl", shapeDateZone, false, true},
	varTs:           {"Ts", shapeNumber, false, false},
	varMs:           {"ms", shapeNumber, false, false},
	varTR:           {"TR", shapeNumber, false, true},
	varTw:           {"Tw", shapeNumber, false, false},
	varTc:           {"Tc", shapeNumber, false, false},
	varTr:           {"Tr", shapeNumber, false, true},
	varTa:           {"Ta", shapeNumber, false, true},
	varTh:           {"Th", shapeNumber, false, false},
	varTi:           {"Ti", shapeNumber, false, true},
	varTq:           {"Tq", shapeNumber, false, true},
	varTt:           {"Tt", shapeNumber, false, false},
	varTu:           {"Tu", shapeNumber, false, false},
	varTd:           {"Td", shapeNumber, false, false},
	varStatus:       {"ST", shapeNumber, false, false},
	varBytes:        {"B", shapeNumber, false, false},
	varBytesUp:      {"U", shapeNumber, false, false},
	varCookieReq:    {"CC", shapeToken, true, true},
	varCookieResp:   {"CS", shapeToken, true, true},
	varTermState:    {"ts", shapeToken, false, false},
	varTermStateCk:  {"tsc", shapeToken, false, false},
	varActConn:      {"ac", shapeNumber, false, false},
	varFeConn:       {"fc", shapeNumber, false, false},
	varBeConn:       {"bc", shapeNumber, false, false},
	varSrvConn:      {"sc", shapeNumber, false, false},
	varRetries:      {"rc", shapeNumber, false, false},
	varSrvQueue:     {"sq", shapeNumber, false, false},
	varBeQueue:      {"bq", shapeNumber, false, false},
	varHdrReq:       {"hr", shapeHeaders, true, false},
	varHdrResp:      {"hs", shapeHeaders, true, false},
	varHdrReqList:   {"hrl", shapeHeaderList, true, false},
	varHdrRespList:  {"hsl", shapeHeaderList, true, false},
	varRequest:      {"r", shapeRequest, true, true},
	varMethod:       {"HM", shapeToken, true, true},
	varURI:          {"HU", shapeToken, true, true},
	varPath:         {"HP", shapeToken, true, true},
	varPathOnly:     {"HPO", shapeToken, true, true},
	varQuery:        {"HQ", shapeToken, true, true},
	varVersion:      {"HV", shapeToken, true, true},
	varUniqueID:     {"ID", shapeFree, true, false},
	varHostname:     {"H", shapeToken, true, false},
	varPID:          {"pid", shapeNumber, false, false},
	varReqCounter:   {"rt", shapeNumber, false, false},
	varLogCounter:   {"lc", shapeNumber, false, false},
	varSSLCipher:    {"sslc", shapeToken, true, false},
	varSSLVersion:   {"sslv", shapeToken, true, false},
	varOrigin:       {"OG", shapeToken, true, false},
	varSample:       {"", shapeFree, true, false},
}

// varNames maps a variable's name to its kind; "o" sets the flags of the
// variables after it.
var varNames = func() map[string]varKind {
	m := map[string]varKind{"o": varGlobal}
	for k := range varTable {
		if n := varTable[k].name; n != "" {
			m[n] = varKind(k)
		}
	}
	return m
}()

// sampleField is the Entry field a sample fetch fills when ECS (or a
// built-in format) names what it returns.
type sampleField uint8

const (
	sampleNone        sampleField = iota // haproxy.sample.<name>
	sampleJSON                           // the same, its value JSON-escaped (a last json converter)
	sampleSNI                            // ssl_fc_sni → tls.client.server_name
	sampleConnErr                        // fc_err → haproxy.tls.connection_error
	sampleConnErrStr                     // fc_err_str → haproxy.error_message
	sampleSSLErr                         // ssl_fc_err → haproxy.tls.ssl_error
	sampleClientErr                      // ssl_c_err
	sampleClientCAErr                    // ssl_c_ca_err
	sampleResumed                        // ssl_fc_is_resumed → tls.resumed
	sampleProtocol                       // ssl_fc_protocol → tls.version
	sampleCipher                         // ssl_fc_cipher → tls.cipher
	sampleSrc                            // src → source.ip
	sampleSrcPort                        // src_port → source.port
	sampleDst                            // dst → destination.ip
	sampleDstPort                        // dst_port → destination.port
	sampleUniqueID                       // unique-id → http.request.id
)

var sampleFields = map[string]sampleField{
	"ssl_fc_sni":        sampleSNI,
	"fc_err":            sampleConnErr,
	"fc_err_str":        sampleConnErrStr,
	"ssl_fc_err":        sampleSSLErr,
	"ssl_c_err":         sampleClientErr,
	"ssl_c_ca_err":      sampleClientCAErr,
	"ssl_fc_is_resumed": sampleResumed,
	"ssl_fc_protocol":   sampleProtocol,
	"ssl_fc_cipher":     sampleCipher,
	"src":               sampleSrc,
	"src_port":          sampleSrcPort,
	"dst":               sampleDst,
	"dst_port":          sampleDstPort,
	"unique-id":         sampleUniqueID,
}

// sampleFieldOf finds the ECS field of an expression from its fetch (the
// name before any argument or converter). Only "ssl_fc_err,hex" and plain
// fetches are mapped: another converter changes what the value means.
func sampleFieldOf(expr string) sampleField {
	fetch, conv, _ := strings.Cut(expr, ",")
	f, ok := sampleFields[strings.TrimSpace(fetch)]
	if !ok {
		return sampleNone
	}
	switch conv = strings.TrimSpace(conv); {
	case conv == "":
		return f
	case f == sampleSSLErr && conv == "hex":
		return f
	}
	return sampleNone
}

// jsonEscaped reports whether an expression ends with HAProxy's json
// converter ("req.hdr(ua),json(utf8s)"): its value is JSON-escaped, for a
// format that writes JSON by hand (json_query is another converter).
func jsonEscaped(expr string) bool {
	i := strings.LastIndexByte(expr, ',')
	if i < 0 {
		return false
	}
	name, _, _ := strings.Cut(strings.TrimSpace(expr[i+1:]), "(")
	return name == "json"
}

// sampleKey is the expression with every run of characters other than
// ASCII letters and digits written '_', trimmed of '_' and lower-cased:
// "req.hdr(Host)" → "req_hdr_host".
func sampleKey(expr string) string {
	b := make([]byte, 0, len(expr))
	under := false
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		if isAlnum(c) {
			if under && len(b) > 0 {
				b = append(b, '_')
			}
			under = false
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			continue
		}
		under = true
	}
	if len(b) == 0 {
		return "sample"
	}
	return string(b)
}
