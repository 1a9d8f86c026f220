package cli

import (
	"github.com/spf13/cobra"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/paste"
	"github.com/tracetui/tracetui/internal/config"
	"github.com/tracetui/tracetui/internal/crash"
	"github.com/tracetui/tracetui/internal/report"
	"github.com/tracetui/tracetui/internal/safeio"
)

type diffFlags struct {
	output string
	width  int
	color  string
}

func newDiff(env Env, g *globals) *cobra.Command {
	df := &diffFlags{}
	cmd := &cobra.Command{
		Use:   "diff [flags] A B",
		Short: "Compare two traces: what B spends more time on than A, by calling context",
		Long: `Compare trace A with trace B: both are merged into one tree by the path of (service,
operation) from the root, with each side's span count, duration, self time, critical-path time
and errors per node. A and B are looked up as show looks up its argument.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usagef("diff compares two traces: give A and B (each a trace ID, a pasted header or URL, or a correlation ID), not %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd, env, g, df, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&df.output, "output", "o", "text", "text or json")
	f.IntVar(&df.width, "width", 0, "width of the text output (default: the terminal's, else 120)")
	f.StringVar(&df.color, "color", "auto", "auto, always or never (NO_COLOR is respected)")
	return cmd
}

func runDiff(cmd *cobra.Command, env Env, g *globals, df *diffFlags, args []string) error {
	if df.output != "text" && df.output != "json" {
		return usagef("--output must be text or json, not %q", df.output)
	}
	if df.color != "auto" && df.color != "always" && df.color != "never" {
		return usagef("--color must be auto, always or never, not %q", df.color)
	}
	if df.width < 0 || df.width > maxWidth {
		return usagef("--width must be between 1 and %d", maxWidth)
	}
	r, _, err := setup(cmd, env, g)
	if err != nil {
		return err
	}
	if r.Kind == config.KindFile {
		defer limitMemory(env, r.Files)()
	}
	b, err := openBackend(cmd.Context(), env, r)
	if err != nil {
		return err
	}
	// Each argument is read as show reads it (a trace ID, a pasted header,
	// URL or log line, or a correlation ID) before anything is fetched, so
	// that a bad second argument fails at once.
	var pasted [2]paste.Result
	for k := range 2 {
		if pasted[k], err = readArg(env, r, args[k]); err != nil {
			return err
		}
	}
	// Both fetched at once, under one --timeout.
	ctx, cancel := backend.ActionContext(cmd.Context(), b)
	defer cancel()
	var traces [2]*backend.Trace
	var errs [2]error
	done := make(chan int, 2)
	var pc crash.Catcher // a decoder's panic is raised again here
	for k := range 2 {
		go func() {
			defer func() { done <- k }()
			defer pc.Catch()
			traces[k], errs[k] = findTrace(ctx, env, b, r, pasted[k], correlationLookback)
		}()
	}
	<-done
	<-done
	pc.Rethrow()
	for k := range 2 {
		if errs[k] != nil {
			return errs[k]
		}
	}
	c := analysis.Compare(analysis.Analyze(traces[0]), analysis.Analyze(traces[1]))
	if df.output == "json" {
		return report.DiffJSON(safeio.Writer(cmd.Context(), env.Stdout), c)
	}
	width := df.width
	if width == 0 {
		width = terminalWidth(env)
	}
	return report.DiffText(safeio.Writer(cmd.Context(), env.Stdout), c, report.TextOptions{Width: width, Color: useColor(df.color, env)})
}
