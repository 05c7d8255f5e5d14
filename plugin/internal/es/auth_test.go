package es

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

// HTTP_User without HTTP_Passwd is basic authentication with an empty
// password, as Fluent Bit sends it; with both, both are sent.
func TestBasicAuthEmptyPassword(t *testing.T) {
	for _, tc := range []struct {
		kv   map[string]string
		want string
	}{
		{map[string]string{"HTTP_User": "bob"}, "bob:"},
		{map[string]string{"HTTP_User": "bob", "HTTP_Passwd": "s3cret"}, "bob:s3cret"},
		{map[string]string{"Cloud_Auth": "elastic:pw"}, "elastic:pw"},
	} {
		var mu sync.Mutex
		var got []string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			got = append(got, r.Header.Get("Authorization"))
			mu.Unlock()
			if r.URL.Path == "/" {
				w.Write([]byte(`{"version":{"number":"8.15.0"}}`))
				return
			}
			w.Write([]byte(`{"errors":false,"items":[{"create":{"status":201}}]}`))
		}))
		kv := tc.kv
		kv["ES_Hosts"] = srv.URL
		c, err := ParseConfig(getter(kv))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(c.Summary(), "s3cret") || !strings.Contains(c.Summary(), `auth="basic (user `) {
			t.Errorf("summary %s", c.Summary())
		}
		s, log := newSink(t, kv)
		if res := s.Write(docs(`{"a":1}`)); res.Code != sink.OK {
			t.Fatalf("%v: %+v %s", kv, res, log.all())
		}
		srv.Close()
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte(tc.want))
		mu.Lock()
		for _, h := range got {
			if h != want {
				t.Errorf("%v: Authorization %q, want %q", tc.kv, h, want)
			}
		}
		mu.Unlock()
	}
}
