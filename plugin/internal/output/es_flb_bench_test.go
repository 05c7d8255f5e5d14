package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/grok"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/tailchunk"
)

// benchFluentBitES stands in for Fluent Bit's own es output fed by its regex
// parser (Fluent Bit itself cannot be installed here), on the same lines,
// chunks and node as benchES:
//
//   - the parser: Logstash's %{HAPROXYHTTP} (internal/grok) as in_tail's
//     Parser would apply it: each named capture that matched becomes a
//     string field (no Types); a line it does not match (TCP lines, events)
//     stays {"log": line}; the record keeps in_tail's time;
//   - the documents as out_es (plugins/out_es/es.c, elasticsearch_format)
//     writes them with its defaults: "@timestamp" first, Time_Key_Format
//     %Y-%m-%dT%H:%M:%S plus milliseconds and Z, then the record's fields;
//     the action {"create":{"_index":...,"_type":"_doc"}} (Write_Operation
//     create, Type _doc; no _type on OpenSearch, which refuses it: a user
//     sets Suppress_Type_Name On there); no _id (Generate_ID off);
//   - one POST /_bulk per chunk, Content-Type application/x-ndjson, from
//     workers goroutines (1: one chunk after the other, as ours is run;
//     out_es's own default is 2), and the response's "errors":false
//     checked as out_es does.
//
// The bodies are parsed and built before the timer: only the delivery is
// timed, the most favourable reading for Fluent Bit (its C parser and
// encoder cost it something too; ours are inside our figure). The index is
// its own ("fluent-bit-bench-..." rather than the default "fluent-bit",
// which a later run would find full), deleted after.
func benchFluentBitES(b *testing.B, base string, lines []string, chunkRecords []int, workers int) {
	suppressType := isOpenSearch(b, base)
	index := fmt.Sprintf("fluent-bit-bench-%d", time.Now().UnixNano())
	bodies, docBytes := flbBulkBodies(grok.HAProxyHTTP(), lines, chunkRecords, index, suppressType)
	b.Cleanup(func() { deleteIndex(base, index) })
	client := &http.Client{Timeout: 5 * time.Minute}
	resp := make([][]byte, len(bodies)) // each chunk's response buffer, reused
	cpu := startCPU(b, base)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		if err := eachChunk(workers, len(bodies), func(i int) error {
			var err error
			if resp[i], err = flbPost(client, base+"/_bulk", bodies[i], resp[i][:0]); err != nil {
				return fmt.Errorf("chunk %d: %v", i, err)
			}
			return nil
		}); err != nil {
			b.Fatalf("iteration %d: %v", n, err)
		}
	}
	b.StopTimer()
	cpu.report(b)
	b.ReportMetric(float64(len(lines))*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(len(lines))/float64(len(bodies)), "records/chunk")
	b.ReportMetric(float64(docBytes)/float64(len(lines)), "doc-bytes")
	if got, want := benchCount(b, base, index), len(lines)*b.N; got != want {
		b.Fatalf("the node holds %d documents, want %d", got, want)
	}
}

// flbBulkBodies builds one _bulk body per chunk (chunkRecords[i] lines
// each, timed as tailchunk times them) and says how many bytes of
// documents (without action lines) they hold.
func flbBulkBodies(re *regexp.Regexp, lines []string, chunkRecords []int, index string, suppressType bool) ([][]byte, int) {
	action := `{"create":{"_index":` + string(encode.AppendString(nil, []byte(index)))
	if !suppressType {
		action += `,"_type":"_doc"`
	}
	action += "}}\n"
	names := re.SubexpNames()
	var bodies [][]byte
	docBytes, k := 0, 0
	for _, n := range chunkRecords {
		var body []byte
		for ; n > 0; n, k = n-1, k+1 {
			body = append(body, action...)
			start := len(body)
			body = appendFlbDoc(body, re, names, lines[k], tailchunk.Start.Add(time.Duration(k)*time.Millisecond))
			docBytes += len(body) - start
			body = append(body, '\n')
		}
		bodies = append(bodies, body)
	}
	return bodies, docBytes
}

// appendFlbDoc appends the document out_es writes for the record the regex
// parser makes of line.
func appendFlbDoc(dst []byte, re *regexp.Regexp, names []string, line string, t time.Time) []byte {
	dst = append(dst, `{"@timestamp":"`...)
	dst = t.UTC().AppendFormat(dst, "2006-01-02T15:04:05.000Z")
	dst = append(dst, '"')
	m := re.FindStringSubmatchIndex(line)
	if m == nil {
		dst = append(dst, `,"log":`...)
		dst = encode.AppendString(dst, []byte(line))
		return append(dst, '}')
	}
	seen := map[string]bool{}
	for g, name := range names {
		if name == "" || m[2*g] < 0 || seen[name] {
			continue
		}
		seen[name] = true
		dst = append(dst, ',')
		dst = encode.AppendString(dst, []byte(name))
		dst = append(dst, ':')
		dst = encode.AppendString(dst, []byte(line[m[2*g]:m[2*g+1]]))
	}
	return append(dst, '}')
}

// flbPost sends one _bulk body as out_es does and checks the answer as
// it does: HTTP 200 and "errors":false. resp is reused for the body.
func flbPost(client *http.Client, url string, body, resp []byte) ([]byte, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return resp, err
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("User-Agent", "Fluent-Bit")
	res, err := client.Do(req)
	if err != nil {
		return resp, err
	}
	defer res.Body.Close()
	w := bytes.NewBuffer(resp)
	if _, err := io.Copy(w, res.Body); err != nil {
		return w.Bytes(), err
	}
	resp = w.Bytes()
	if res.StatusCode != http.StatusOK {
		return resp, fmt.Errorf("HTTP %d: %.300s", res.StatusCode, resp)
	}
	head := resp[:min(len(resp), 64)]
	if !bytes.Contains(head, []byte(`"errors":false`)) {
		return resp, fmt.Errorf("the node reports errors: %.600s", resp)
	}
	return resp, nil
}

// isOpenSearch asks the node's GET / for its distribution.
func isOpenSearch(b *testing.B, base string) bool {
	b.Helper()
	res, err := http.Get(base + "/")
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var info struct {
		Version struct {
			Distribution string `json:"distribution"`
		} `json:"version"`
	}
	if err := json.NewDecoder(res.Body).Decode(&info); err != nil {
		b.Fatal(err)
	}
	return info.Version.Distribution == "opensearch"
}

// deleteIndex deletes base/index (an index, or another path such as
// _index_template/NAME).
func deleteIndex(base, index string) {
	if req, err := http.NewRequest(http.MethodDelete, base+"/"+index, nil); err == nil {
		if res, err := http.DefaultClient.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}
}
