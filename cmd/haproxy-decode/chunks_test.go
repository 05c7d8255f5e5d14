package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll is what the report's workers get from chunks: the lines of every
// block in turn, the messages and the status.
func readAll(t *testing.T, files []string, stdin io.Reader) (lines []string, stderr string, status int) {
	var errs bytes.Buffer
	c := newChunks(files, stdin, &errs)
	b := &block{}
	for c.next(b) {
		if len(b.buf) == 0 {
			t.Fatal("an empty block")
		}
		b.split()
		for i := range b.ends {
			lines = append(lines, string(b.line(i)))
		}
	}
	return lines, errs.String(), c.status
}

// lineReaderAll is the same through lineReader and eachInput, which the
// decoding command uses.
func lineReaderAll(files []string, stdin io.Reader) (lines []string, stderr string, status int) {
	var errs bytes.Buffer
	lr := lineReader{stderr: &errs}
	status, _ = eachInput(files, stdin, &errs, func(r io.Reader, label string) (error, error) {
		return lr.each(r, label, func(line []byte) error {
			lines = append(lines, string(line))
			return nil
		})
	})
	return lines, errs.String(), status
}

// errAfter returns the bytes of r, then err.
type errAfter struct {
	r   io.Reader
	err error
}

func (e *errAfter) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err == io.EOF {
		err = e.err
	}
	return n, err
}

// The report's reader gives the same lines (bytes for bytes, newlines
// included), the same warnings and the same status as the decoding
// command's, however the reads are cut, around MaxLine and on errors.
func TestChunksAsLineReader(t *testing.T) {
	long := func(n int, end string) string { return strings.Repeat("L", n) + end }
	inputs := map[string]string{
		"empty":       "",
		"newline":     "\n",
		"blank lines": "\n\n\na\n\n",
		"no final":    "a\nb",
		"crlf":        "a\r\nb\r\n",
		"short":       "one\ntwo\nthree\n",
		"max-1":       long(MaxLine-1, "\n") + "after\n",
		"max":         long(MaxLine, "\n") + "after\n",
		"max+1":       long(MaxLine+1, "\n") + "after\n",
		// After a short line, MaxLine falls inside a read.
		"x, max-1":       "x\n" + long(MaxLine-1, "\n") + "after\n",
		"x, max":         "x\n" + long(MaxLine, "\n") + "after\n",
		"x, max+1":       "x\n" + long(MaxLine+1, "\n") + "after\n",
		"max, last":      long(MaxLine, ""),
		"max+1, last":    long(MaxLine+1, ""),
		"much longer":    "before\n" + long(3*MaxLine+12345, "\n") + "a\nb\n" + long(MaxLine+2, "\n"),
		"long, no end":   "before\n" + long(2*MaxLine, ""),
		"two long":       long(MaxLine+70000, "\n") + long(MaxLine+5, "\n") + "c",
		"chunk boundary": long(chunkBytes-1, "\n") + long(chunkBytes, "\n") + long(chunkBytes+1, "\n") + "z\n",
	}
	readers := map[string]func(string) io.Reader{
		"whole":    func(s string) io.Reader { return strings.NewReader(s) },
		"half":     func(s string) io.Reader { return iotest.HalfReader(strings.NewReader(s)) },
		"data+EOF": func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) },
		"error":    func(s string) io.Reader { return &errAfter{strings.NewReader(s), errors.New("disk on fire")} },
	}
	for name, in := range inputs {
		for rname, reader := range readers {
			t.Run(name+"/"+rname, func(t *testing.T) {
				got, gotErr, gotStatus := readAll(t, nil, reader(in))
				want, wantErr, wantStatus := lineReaderAll(nil, reader(in))
				if !equalLines(got, want) || gotErr != wantErr || gotStatus != wantStatus {
					t.Errorf("got %s, %q, status %d\nwant %s, %q, status %d",
						describe(got), gotErr, gotStatus, describe(want), wantErr, wantStatus)
				}
			})
		}
	}
	// One byte at a time: the short inputs only (a read per byte).
	for _, name := range []string{"blank lines", "no final", "crlf", "short"} {
		got, _, _ := readAll(t, nil, iotest.OneByteReader(strings.NewReader(inputs[name])))
		want, _, _ := lineReaderAll(nil, strings.NewReader(inputs[name]))
		if !equalLines(got, want) {
			t.Errorf("%s, a byte at a time: got %s, want %s", name, describe(got), describe(want))
		}
	}
}

// Files are read in turn, standard input for "-", and one that cannot be
// opened is reported and skipped, as the decoding command does.
func TestChunksFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.log"), filepath.Join(dir, "b.log")
	os.WriteFile(a, []byte("a1\na2"), 0o644) // no final newline: a line of its own
	os.WriteFile(b, []byte(strings.Repeat("b", MaxLine+3)+"\nb2\n"), 0o644)
	files := []string{a, filepath.Join(dir, "missing.log"), "-", b, "-"}
	got, gotErr, gotStatus := readAll(t, files, strings.NewReader("s1\ns2\n"))
	want, wantErr, wantStatus := lineReaderAll(files, strings.NewReader("s1\ns2\n"))
	if !equalLines(got, want) || gotErr != wantErr || gotStatus != wantStatus || gotStatus != 1 {
		t.Errorf("got %s, %q, status %d\nwant %s, %q, status 1", describe(got), gotErr, gotStatus, describe(want), wantErr)
	}
	if len(got) != 6 || !strings.Contains(gotErr, "missing.log") || !strings.Contains(gotErr, "b.log:1: line longer") {
		t.Errorf("got %s and %q: want 6 lines, the missing file and b.log's long line", describe(got), gotErr)
	}
}

func equalLines(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// describe shows lines short: long ones by their length.
func describe(lines []string) string {
	var s []string
	for _, l := range lines {
		if len(l) > 40 {
			l = fmt.Sprintf("<%d bytes, ends %q>", len(l), l[len(l)-2:])
		}
		s = append(s, fmt.Sprintf("%q", l))
	}
	return fmt.Sprintf("%d lines [%s]", len(lines), strings.Join(s, " "))
}
