package cli

import (
	"errors"
	"os"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/tracetui/tracetui/internal/config"
	"github.com/tracetui/tracetui/tui"
)

// defaultWidth is the text width when stdout is not a terminal.
const defaultWidth = 120

// runTUI resolves the backend and hands over to the interactive program.
func runTUI(cmd *cobra.Command, env Env, g *globals, args []string) error {
	r, _, err := setup(cmd, env, g)
	if err != nil {
		return err
	}
	if !env.StdoutIsTerminal {
		return errors.New("the interactive view needs a terminal; use 'tracetui show' or 'tracetui search' to print")
	}
	b, err := openBackend(cmd.Context(), env, r)
	if err != nil {
		return err
	}
	opts := tui.Options{
		Backend:         b,
		BackendLabel:    b.Name(),
		Profile:         r.Profile,
		Demo:            r.Kind == config.KindDemo,
		InsecureTLS:     r.HTTP.InsecureSkipVerify,
		AllTime:         r.Kind == config.KindFile,
		CorrelationKeys: r.CorrelationKeys,
		KeyOverrides:    r.Keys,
		Warnings:        r.Warnings,
	}
	if len(args) == 1 {
		opts.InitialTraceID = args[0]
	}
	return tui.Run(cmd.Context(), opts)
}

// maxWidth bounds --width and the terminal's width: the text output grows
// with width times rows, and --width 1e9 wrote 15 GB.
const maxWidth = 1000

func terminalWidth(env Env) int {
	if env.StdoutIsTerminal {
		if w, _, err := term.GetSize(os.Stdout.Fd()); err == nil && w > 0 {
			return min(w, maxWidth)
		}
	}
	return defaultWidth
}

func useColor(mode string, env Env) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	return env.StdoutIsTerminal && env.Getenv("NO_COLOR") == ""
}
