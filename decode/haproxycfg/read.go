package haproxycfg

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ReadFile reads a configuration file, or every *.cfg file of a directory in
// alphabetical order as HAProxy does with "-f DIR". Environment variables
// come from the process (os.LookupEnv), as HAProxy's do.
func ReadFile(path string) (*Config, error) {
	return ReadFiles([]string{path}, os.LookupEnv)
}

// ReadFiles reads several files as one configuration, the way HAProxy reads
// several -f options: defaults sections carry over from one file to the
// next, and every file starts outside any section. env finds environment
// variables (nil: none is set).
func ReadFiles(paths []string, env func(string) (string, bool)) (*Config, error) {
	r := newReader(env)
	for _, p := range paths {
		files, err := expandDir(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			fh, err := os.Open(f)
			if err != nil {
				return nil, err // *os.PathError: names the path
			}
			err = r.read(f, fh)
			fh.Close()
			if err != nil {
				return nil, err
			}
		}
	}
	return r.finish()
}

// Parse reads one configuration from src; name is the file name used in
// places and errors.
func Parse(name string, src io.Reader, env func(string) (string, bool)) (*Config, error) {
	r := newReader(env)
	if err := r.read(name, src); err != nil {
		return nil, err
	}
	return r.finish()
}

// expandDir returns path, or the *.cfg files in it when it is a directory.
func expandDir(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".cfg") {
			files = append(files, filepath.Join(path, e.Name()))
		}
	}
	sort.Strings(files)
	return files, nil
}

// maxLineBytes bounds one configuration line: far above any real one, and
// it keeps a binary file from being read as one huge line.
const maxLineBytes = 1 << 20

// read reads one file, line by line.
func (r *reader) read(name string, src io.Reader) error {
	r.file = name
	r.cfg.Files = append(r.cfg.Files, name)
	r.section = sectionNone
	r.cur = nil
	r.conds = r.conds[:0]
	sc := bufio.NewScanner(src)
	sc.Buffer(make([]byte, 0, 4096), maxLineBytes)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Bytes()
		if line == 1 {
			text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
		}
		if err := r.line(line, text); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return &Error{File: name, Line: line + 1, Reason: "line longer than 1 MiB"}
		}
		return &Error{File: name, Line: line, Reason: err.Error()}
	}
	if len(r.conds) > 0 {
		return &Error{File: name, Line: r.conds[len(r.conds)-1].line, Keyword: ".if",
			Reason: "block not closed by .endif before the end of the file"}
	}
	return nil
}

// line reads one line: words, conditional blocks, then the directive.
func (r *reader) line(n int, text []byte) error {
	r.lineNo = n
	if i := bytes.IndexByte(text, 0); i >= 0 {
		return r.errAt(i+1, "", "NUL byte in the line")
	}
	s := string(text)
	lead := 0
	for lead < len(s) && isSpace(s[lead]) {
		lead++
	}
	words, werr := splitWords(s[lead:], r.env, lineState{file: r.file, line: n, section: r.sectionName()})
	if werr != nil {
		return r.errAt(lead+werr.column, plainKeyword(s[lead:]), werr.reason)
	}
	if len(words) == 0 {
		return nil
	}
	if strings.HasPrefix(words[0], ".") {
		if handled, err := r.condLine(words); handled || err != nil {
			return err
		}
	}
	if !r.active() {
		return nil
	}
	return r.directive(words)
}

func (r *reader) errAt(col int, kw, reason string) error {
	return &Error{File: r.file, Line: r.lineNo, Column: col, Keyword: kw, Reason: reason}
}

func (r *reader) err(kw, reason string) error {
	return &Error{File: r.file, Line: r.lineNo, Keyword: kw, Reason: reason}
}

func (r *reader) here() Place { return Place{File: r.file, Line: r.lineNo} }

func (r *reader) warn(text string) {
	r.cfg.Warnings = append(r.cfg.Warnings, Warning{At: r.here(), Text: text})
}

// plainKeyword is the first word of a line that the tokenizer refused, when
// that word is plain text (to name the directive in the error).
func plainKeyword(s string) string {
	end := 0
	for end < len(s) && !isSpace(s[end]) {
		end++
	}
	if strings.ContainsAny(s[:end], "\"'\\#$") {
		return ""
	}
	return s[:end]
}
