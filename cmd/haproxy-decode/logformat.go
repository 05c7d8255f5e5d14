package main

import (
	"strings"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
)

// logFormatFlag is -log-format, repeatable: each value is compiled as it is
// read, so that a bad format stops the command with its column.
type logFormatFlag []*decode.LogFormat

func (l *logFormatFlag) String() string {
	var s []string
	for _, f := range *l {
		s = append(s, f.String())
	}
	return strings.Join(s, " | ")
}

func (l *logFormatFlag) Set(v string) error {
	f, err := decode.CompilePastedLogFormat(v)
	if err != nil {
		return err
	}
	*l = append(*l, f)
	return nil
}
