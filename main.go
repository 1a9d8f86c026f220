// Command tracetui is a terminal UI for distributed traces in Jaeger, Zipkin
// or trace files. Everything but wiring the process lives in internal/cli.
package main

import (
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/tracetui/tracetui/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Env{
		Stdin:            os.Stdin,
		Stdout:           os.Stdout,
		Stderr:           os.Stderr,
		StdoutIsTerminal: term.IsTerminal(os.Stdout.Fd()),
		Exit:             os.Exit,
	}))
}
