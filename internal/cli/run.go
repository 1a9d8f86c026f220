package cli

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/file"
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
	if r.Kind == config.KindFile {
		// The TUI reads the files on its loading screen (progress, esc
		// cancels): a 600 MB file took seconds of blank terminal before.
		// A path that cannot be opened still fails here, in one line.
		if err := file.Check(r.Files); err != nil {
			return err
		}
		opts, err := tuiOptions(env, r, nil, args)
		if err != nil {
			return err
		}
		opts.Load = func(ctx context.Context) (backend.Backend, error) {
			return openBackend(ctx, env, r)
		}
		opts.LoadLabel = loadLabel(r.Files)
		return tui.Run(cmd.Context(), opts)
	}
	b, err := openBackend(cmd.Context(), env, r)
	if err != nil {
		return err
	}
	opts, err := tuiOptions(env, r, b, args)
	if err != nil {
		return err
	}
	return tui.Run(cmd.Context(), opts)
}

// loadLabel names the files for the loading screen: "big.json",
// "a.json, b.json", stdin for "-".
func loadLabel(paths []string) string {
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = p
		if p == "-" {
			names[i] = "stdin"
		}
	}
	return strings.Join(names, ", ")
}

// tuiOptions builds the program's options: the TRACE_ID argument read by
// the paste parser (stderr says what it recognised), or, with no argument,
// the single trace of a --file, opened at once. A nil b is a backend the
// TUI loads itself (Options.Load), which opens a single trace then.
func tuiOptions(env Env, r *config.Resolved, b backend.Backend, args []string) (tui.Options, error) {
	opts := tui.Options{
		Backend:         b,
		Profile:         r.Profile,
		Demo:            r.Kind == config.KindDemo,
		InsecureTLS:     r.HTTP.InsecureSkipVerify,
		AllTime:         r.Kind == config.KindFile,
		CorrelationKeys: r.CorrelationKeys,
		KeyOverrides:    r.Keys,
		Warnings:        r.Warnings,
		Links:           r.LinkTemplates(),
		Hyperlinks:      hyperlinks(env),
	}
	if b != nil {
		opts.BackendLabel = b.Name()
	}
	set, err := openLogs(env, r)
	if err != nil {
		return opts, err
	}
	if set != nil {
		opts.Logs = set
	}
	if len(args) == 1 {
		res, err := readArg(env, r, args[0])
		if err != nil {
			return opts, err
		}
		opts.Initial = &res
		opts.InitialTraceID = string(res.Trace)
		if res.Trace == "" {
			opts.InitialTraceID = res.Correlation
		}
		return opts, nil
	}
	if fb, ok := b.(*file.Backend); ok && len(fb.Traces()) == 1 {
		t := fb.Traces()[0]
		opts.InitialTrace, opts.InitialTraceID = t, string(t.ID)
	}
	return opts, nil
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
