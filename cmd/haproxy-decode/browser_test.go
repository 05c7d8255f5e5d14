package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/internal/corpus"
)

// The HTML page opened in a real browser, Debian's chromium, headless: its
// DOM has both charts with their marks, and its screenshot shows them (the
// charts' shaded plot areas are found by their colour, and hold pixels of
// the series and outage colours).

func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("REQUIRE_INTEGRATION") == "1" {
		t.Fatal("REQUIRE_INTEGRATION=1 but chromium is not on PATH (Debian: apt-get install chromium)")
	}
	t.Skip("chromium is not on PATH (apt-get install chromium)")
	return ""
}

// chromium runs a headless chromium on page with args; no network: the
// page is a file, and chromium's own background traffic is switched off.
func chromium(t *testing.T, bin, page string, args ...string) []byte {
	t.Helper()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--hide-scrollbars", "--run-all-compositor-stages-before-draw", // or the lower part may be blank
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.Command(bin, append(append(base, args...), "file://"+page)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
		}
	case <-time.After(90 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("chromium %v: no answer in 90 s\n%s", args, stderr.String())
	}
	return stdout.Bytes()
}

func TestReportHTMLInBrowser(t *testing.T) {
	bin := chromiumPath(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	args := append([]string{"report", "-html", page}, syslogFiles(t)...)
	if code, _, errs := runCmd(t, "", args...); code != 0 {
		t.Fatalf("report -html: exit %d: %s", code, errs)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	// Self-contained: nothing to fetch when it is viewed.
	if m := regexp.MustCompile(`(?i)<script|<link|<img|<iframe|@import|url\(|(src|href)\s*=`).Find(html); m != nil {
		t.Errorf("the page refers to something outside it: %q", m)
	}

	dom := string(chromium(t, bin, page, "--dump-dom"))
	for _, want := range []string{`<svg id="latency"`, `<svg id="outages"`, `class="series"`, `class="outage`} {
		if !strings.Contains(dom, want) {
			t.Errorf("no %s in the browser's DOM", want)
		}
	}
	if n := strings.Count(dom, `<polyline class="series"`); n < 3 {
		t.Errorf("%d latency lines in the DOM", n)
	}

	shot := filepath.Join(dir, "report.png")
	chromium(t, bin, page, "--screenshot="+shot, "--window-size=1100,1400")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	latency := regionOf(img, 0xf5, 0xf8, 0xfc)
	outages := regionOf(img, 0xfd, 0xf6, 0xef)
	if latency.Empty() || outages.Empty() {
		t.Fatalf("chart areas not in the screenshot: latency %v, outages %v", latency, outages)
	}
	if latency.Dx() < 500 || latency.Dy() < 150 {
		t.Errorf("the latency chart is %v", latency)
	}
	series := [][3]uint8{{0x1f, 0x77, 0xb4}, {0xd6, 0x27, 0x28}, {0x2c, 0xa0, 0x2c}, {0xff, 0x7f, 0x0e}}
	if n := countNear(img, latency, series); n < 200 {
		t.Errorf("%d pixels of the series colours in the latency chart %v", n, latency)
	}
	if n := countNear(img, outages, [][3]uint8{{0xd6, 0x27, 0x28}, {0xff, 0x7f, 0x0e}}); n < 100 {
		t.Errorf("%d pixels of outage bars in the timeline %v", n, outages)
	}
}

// regionOf is the bounding box of the pixels of exactly one colour.
func regionOf(img image.Image, r, g, b uint8) image.Rectangle {
	var box image.Rectangle
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			if near(img, x, y, [3]uint8{r, g, b}, 0) {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return box
}

func countNear(img image.Image, box image.Rectangle, colours [][3]uint8) int {
	n := 0
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			for _, c := range colours {
				if near(img, x, y, c, 6) {
					n++
					break
				}
			}
		}
	}
	return n
}

func near(img image.Image, x, y int, c [3]uint8, tol int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	d := func(v uint32, w uint8) bool { return abs(int(v>>8)-int(w)) <= tol }
	return d(r, c[0]) && d(g, c[1]) && d(b, c[2])
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// syslogFiles are the corpus's files in HAProxy's RFC 3164 framing, whose
// lines carry their times (the raw framing's operational lines have none).
func syslogFiles(t *testing.T) []string {
	var files []string
	for _, f := range corpus.Files(t, "*.log") {
		if !strings.HasSuffix(f, ".raw.log") && !strings.HasSuffix(f, ".rfc5424.log") && !strings.HasSuffix(f, ".stderr.log") {
			files = append(files, f)
		}
	}
	return files
}
