// Command gentemplate writes the index template (es.BuildTemplate of
// encode.Fields) to the file named by its argument: go generate
// ./plugin/internal/es.
package main

import (
	"fmt"
	"os"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/encode"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/es"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gentemplate template.json")
		os.Exit(2)
	}
	b, err := es.BuildTemplate(encode.Fields)
	if err == nil {
		err = os.WriteFile(os.Args[1], b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gentemplate:", err)
		os.Exit(1)
	}
}
