package es

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// bulkItem is one entry of a _bulk response's items (inside its action key).
type bulkItem struct {
	Status int             `json:"status"`
	Error  json.RawMessage `json:"error"`
}

type itemError struct {
	Type     string `json:"type"`
	Reason   string `json:"reason"`
	CausedBy struct {
		Type   string `json:"type"`
		Reason string `json:"reason"`
	} `json:"caused_by"`
}

// hasNoErrors is the fast path: the response says "errors":false near its
// start (first key with filter_path, after "took" without it).
func hasNoErrors(resp []byte) bool {
	head := resp
	if len(head) > 256 {
		head = head[:256]
	}
	i := bytes.Index(head, []byte(`"errors"`))
	if i < 0 {
		return false
	}
	rest := bytes.TrimLeft(head[i+len(`"errors"`):], " \t\r\n")
	if len(rest) == 0 || rest[0] != ':' {
		return false
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	return bytes.HasPrefix(rest, []byte("false"))
}

// parseItems streams the items of a _bulk response, calling fn for each in
// order, and returns how many it read. A truncated response yields the items
// before the cut and an error.
func parseItems(resp []byte, fn func(k int, it *bulkItem)) (int, error) {
	dec := json.NewDecoder(bytes.NewReader(resp))
	n := 0
	if err := expectDelim(dec, '{'); err != nil {
		return 0, err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return n, err
		}
		key, _ := tok.(string)
		if key != "items" {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return n, err
			}
			continue
		}
		if err := expectDelim(dec, '['); err != nil {
			return n, err
		}
		for dec.More() {
			var wrap map[string]*bulkItem
			if err := dec.Decode(&wrap); err != nil {
				return n, err
			}
			var it *bulkItem
			for _, v := range wrap {
				it = v
			}
			if it == nil {
				it = &bulkItem{}
			}
			fn(n, it)
			n++
		}
		if err := expectDelim(dec, ']'); err != nil {
			return n, err
		}
	}
	return n, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, tok)
	}
	return nil
}
