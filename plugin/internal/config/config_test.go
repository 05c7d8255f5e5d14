package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// settings is a struct with one field per kind of option.
type settings struct {
	on      bool
	name    string
	n       int
	mode    string
	wait    time.Duration
	size    int64
	file    string
	list    []string
	key     Accessor
	pass    string
	zone    string
	checked string
}

func table(s *settings) []Option {
	return []Option{
		Bool(&s.on, "Flag", true),
		String(&s.name, "Name", "haproxy"),
		Int(&s.n, "Count", 3, 1, 10),
		Enum(&s.mode, "Mode", "fast", Choice[string]{Name: "fast", Value: "fast"}, Choice[string]{Name: "safe", Value: "safe"},
			Choice[string]{Name: "quick", Value: "fast", Alias: true}),
		Duration(&s.wait, "Wait", "30s"),
		Size(&s.size, "Limit", "512k", true),
		Path(&s.file, "Out", NewFile),
		List(&s.list, "Items", func(v string) string {
			if v == "" {
				return "want names separated by commas"
			}
			return ""
		}),
		AccessorOpt(&s.key, "Key"),
		String(&s.pass, "Pass", "").Secret(),
		Func("Zone", func() { s.zone = "Local" }, func(v string) string {
			if v != "UTC" {
				return "want UTC"
			}
			s.zone = v
			return ""
		}, func() string { return s.zone }),
		String(&s.checked, "Checked", "").Check(func(v string) string {
			if strings.ToLower(v) != v {
				return "want lower case"
			}
			return ""
		}),
	}
}

func getter(kv map[string]string) Getter {
	return func(k string) string {
		for key, v := range kv {
			if strings.EqualFold(key, k) {
				return v
			}
		}
		return ""
	}
}

func read(kv map[string]string) (settings, error) {
	var s settings
	var errs Errors
	Read(getter(kv), table(&s), &errs)
	return s, errs.Err()
}

func TestDefaults(t *testing.T) {
	s, err := read(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := settings{on: true, name: "haproxy", n: 3, mode: "fast", wait: 30 * time.Second, size: 512 << 10, zone: "Local"}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
}

func TestValues(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.log")
	s, err := read(map[string]string{
		"flag": " Off ", "NAME": "x y", "count": "10", "mode": "QUICK", "wait": "2", "limit": "False",
		"out": out, "items": "a, b ,c", "key": "$k8s['ns'][2]", "pass": " secret ", "zone": "UTC", "checked": "ok",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := settings{on: false, name: "x y", n: 10, mode: "fast", wait: 2 * time.Second, size: 0, file: out,
		list: []string{"a", "b", "c"}, pass: " secret ", zone: "UTC", checked: "ok",
		key: Accessor{Raw: "$k8s['ns'][2]", Steps: []Step{{Key: "k8s"}, {Key: "ns"}, {Index: 2, IsIndex: true}}}}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
	for v, d := range map[string]time.Duration{"1m30s": 90 * time.Second, "500ms": 500 * time.Millisecond, "2d": 48 * time.Hour, "45": 45 * time.Second} {
		if s, err := read(map[string]string{"wait": v}); err != nil || s.wait != d {
			t.Errorf("Wait %q: %v %v", v, s.wait, err)
		}
	}
	for v, n := range map[string]int64{"512": 512, "4k": 4096, "4KB": 4096, "1m": 1 << 20, "2G": 2 << 30, "off": 0, "unlimited": 0} {
		if s, err := read(map[string]string{"limit": v}); err != nil || s.size != n {
			t.Errorf("Limit %q: %v %v", v, s.size, err)
		}
	}
	for _, v := range []string{"on", "off", "true", "false", "yes", "no", "1", "0", "ON", "No", "TRUE"} {
		if _, err := read(map[string]string{"flag": v}); err != nil {
			t.Errorf("Flag %q: %v", v, err)
		}
	}
}

// One row per bad value: the message names the key, the value and what is
// allowed.
func TestErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		key, value, want string
	}{
		{"Flag", "maybe", `haproxy: Flag "maybe" is not valid: want on, off, true, false, yes, no, 1 or 0`},
		{"Count", "0", `haproxy: Count "0" is not valid: want a whole number from 1 to 10`},
		{"Count", "x", `Count "x"`},
		{"Mode", "slow", `haproxy: Mode "slow" is not valid: want fast or safe`},
		{"Wait", "soon", `haproxy: Wait "soon" is not valid: want a positive duration such as 30s or 2m (a bare number is seconds)`},
		{"Wait", "-3s", `Wait "-3s"`},
		{"Wait", "0", `Wait "0"`},
		{"Limit", "lots", `haproxy: Limit "lots" is not valid: want a size such as 512KB, 4M or 1G, or False for no limit`},
		{"Limit", "5T", `Limit "5T"`},
		{"Limit", "0", `Limit "0"`},
		{"Out", filepath.Join(dir, "no", "x.log"), `is not valid: want a path in an existing directory (` + filepath.Join(dir, "no") + ` does not exist)`},
		{"Out", dir, `is not valid: want a file path, not a directory`},
		{"Items", "a,,b", `haproxy: Items "a,,b" is not valid: want names separated by commas`},
		{"Key", "$a['b'", `haproxy: Key "$a['b'" is not valid: ` + AccessorWant},
		{"Pass", "x", ""}, // any value is valid
		{"Zone", "Mars", `haproxy: Zone "Mars" is not valid: want UTC`},
		{"Checked", "AB", `haproxy: Checked "AB" is not valid: want lower case`},
	}
	for _, c := range cases {
		_, err := read(map[string]string{c.key: c.value})
		if c.want == "" {
			if err != nil {
				t.Errorf("%s %q: %v", c.key, c.value, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %q: got %v, want %q", c.key, c.value, err, c.want)
		}
	}
}

func TestErrorsJoined(t *testing.T) {
	s, err := read(map[string]string{"flag": "x", "count": "y", "mode": "z", "name": "kept"})
	var list interface{ Unwrap() []error }
	if !errors.As(err, &list) || len(list.Unwrap()) != 3 {
		t.Fatalf("want 3 errors: %v", err)
	}
	var ce *Error
	if !errors.As(list.Unwrap()[1], &ce) || ce.Key != "Count" || ce.Value != "y" {
		t.Errorf("second error: %#v", list.Unwrap()[1])
	}
	if !s.on || s.n != 3 || s.name != "kept" {
		t.Errorf("an invalid value must leave the default, a valid one be read: %+v", s)
	}
	var errs Errors
	errs.Invalid("A", "1", "no")
	if !errs.Has("A") || errs.Has("B") {
		t.Error("Has")
	}
}

func TestSecretNeverShown(t *testing.T) {
	var s struct{ pass string }
	opts := []Option{String(&s.pass, "Pass", "").Secret().Check(func(string) string { return "want more" })}
	var errs Errors
	Read(getter(map[string]string{"pass": "hunter2"}), opts, &errs)
	if err := errs.Err(); err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), `Pass "(hidden)"`) {
		t.Errorf("error %v", err)
	}
	s.pass = "hunter2"
	if got := Summary(opts); got != "Pass=***" {
		t.Errorf("summary %q", got)
	}
}

func TestSummary(t *testing.T) {
	var s settings
	var errs Errors
	opts := table(&s)
	Read(getter(map[string]string{"name": "a b", "items": "x,y", "limit": "4M"}), opts, &errs)
	opts[2] = opts[2].ShowIf(func() bool { return false })
	got := Summary(opts)
	want := `Flag=on Name="a b" Mode=fast Wait=30s Limit=4M Items=x,y Zone=Local`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestMarkdown(t *testing.T) {
	var on bool
	var wait time.Duration
	got := Markdown([]Option{
		Bool(&on, "Flag", true).Doc("a flag").ES("yes"),
		Duration(&wait, "Wait", "30s").Doc("how long").ES("ours"),
		Func("Zone", nil, nil, nil).DefaultText("the machine's").Doc("zone"),
	})
	want := "| option | default | meaning | es |\n|---|---|---|---|\n" +
		"| `Flag` | `on` | a flag | yes |\n" +
		"| `Wait` | `30s` | how long | ours |\n" +
		"| `Zone` | the machine's | zone |  |\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestParseAccessor(t *testing.T) {
	good := map[string][]Step{
		"log_id":                        {{Key: "log_id"}},
		"$log_id":                       {{Key: "log_id"}},
		"a.b":                           {{Key: "a.b"}},
		"$kubernetes['namespace_name']": {{Key: "kubernetes"}, {Key: "namespace_name"}},
		`$labels["project"]['env']`:     {{Key: "labels"}, {Key: "project"}, {Key: "env"}},
		"$items[0]":                     {{Key: "items"}, {Index: 0, IsIndex: true}},
		"$a['b c'][12]['d']":            {{Key: "a"}, {Key: "b c"}, {Index: 12, IsIndex: true}, {Key: "d"}},
	}
	for in, steps := range good {
		a, ok := ParseAccessor(in)
		if !ok || !reflect.DeepEqual(a.Steps, steps) || a.String() != in {
			t.Errorf("%q: %v %+v", in, ok, a)
		}
	}
	for _, in := range []string{"$", "", "$['a']", "$a[", "$a['b'", "$a[b]", "$a[-1]", "$a[+1]", "$a['']", "$a x", "$a]", "$a['b']c", "$a['b\"]", "$$a"} {
		if a, ok := ParseAccessor(in); ok {
			t.Errorf("%q accepted: %+v", in, a)
		}
	}
}

func TestCheckPath(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	if err := os.WriteFile(f, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := CheckPath(f, ExistingFile); r != "" {
		t.Error(r)
	}
	if r := CheckPath(filepath.Join(dir, "missing"), ExistingFile); !strings.HasPrefix(r, "want an existing file") {
		t.Error(r)
	}
	if r := CheckPath(filepath.Join(dir, "new"), NewFile); r != "" {
		t.Error(r)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "unlimited", 512: "512", 512 << 10: "512k", 5 << 20: "5M", 1 << 30: "1G", 1536: "1536"} {
		if got := FormatSize(n); got != want {
			t.Errorf("%d: %s", n, got)
		}
	}
}
