package main

import (
	"os"
	"strings"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/decode/haproxycfg"
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
	f, err := haproxycfg.PastedLogFormat(v, os.LookupEnv)
	if err != nil {
		return err
	}
	*l = append(*l, f)
	return nil
}
