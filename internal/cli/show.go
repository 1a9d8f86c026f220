package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/file"
	"github.com/tracetui/tracetui/internal/config"
	"github.com/tracetui/tracetui/internal/report"
)

// correlationLookback is how far back a correlation ID is looked for when
// the user gives no --lookback: a log line at 3 a.m. may be hours old.
const correlationLookback = 24 * time.Hour

type showFlags struct {
	output   string
	width    int
	color    string
	skew     string
	lookback time.Duration
}

func newShow(env Env, g *globals) *cobra.Command {
	sf := &showFlags{}
	cmd := &cobra.Command{
		Use:   "show [flags] [TRACE_ID | CORRELATION_ID]",
		Short: "Print one trace: waterfall, critical path and per-service time, or JSON",
		Long: `Print one trace. TRACE_ID is 1-32 hex digits (or base64); anything else is looked up as a
correlation ID in the configured tag keys. With --file and no ID, the file's first trace.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runShow(cmd, env, g, sf, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&sf.output, "output", "o", "text", "text or json")
	f.IntVar(&sf.width, "width", 0, "width of the text output (default: the terminal's, else 120)")
	f.StringVar(&sf.color, "color", "auto", "auto, always or never (NO_COLOR is respected)")
	f.StringVar(&sf.skew, "skew", "raw", "raw, or adjusted to correct clock skew between hosts")
	f.DurationVar(&sf.lookback, "lookback", correlationLookback, "how far back to look for a correlation ID")
	return cmd
}

func runShow(cmd *cobra.Command, env Env, g *globals, sf *showFlags, args []string) error {
	if sf.output != "text" && sf.output != "json" {
		return usagef("--output must be text or json, not %q", sf.output)
	}
	if sf.color != "auto" && sf.color != "always" && sf.color != "never" {
		return usagef("--color must be auto, always or never, not %q", sf.color)
	}
	if sf.skew != "raw" && sf.skew != "adjusted" {
		return usagef("--skew must be raw or adjusted, not %q", sf.skew)
	}
	if sf.width < 0 {
		return usagef("--width must be positive")
	}
	r, _, err := setup(cmd, env, g)
	if err != nil {
		return err
	}
	if len(args) == 0 && r.Kind != config.KindFile {
		return usagef("show needs a trace ID or correlation ID (or --file)")
	}
	if r.Kind == config.KindFile {
		defer limitMemory(env, r.Files)()
	}
	b, err := openBackend(env, r)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	var t *backend.Trace
	if len(args) == 0 {
		fb, ok := b.(*file.Backend)
		if !ok || len(fb.Traces()) == 0 {
			return errors.New("the file holds no trace")
		}
		t = fb.Traces()[0]
	} else {
		t, err = fetchTrace(ctx, env, b, r, strings.TrimSpace(args[0]), sf.lookback)
		if err != nil {
			return err
		}
	}

	logRes, err := lookUpLogs(ctx, env, r, t)
	if err != nil {
		return err
	}
	an := analysis.Analyze(t)
	if sf.skew == "adjusted" {
		// The adjusted copy carries its own warnings saying what shifted.
		an = analysis.Analyze(analysis.AdjustedTrace(an.Tree, an.Skews))
	}
	if sf.output == "json" {
		if logRes != nil {
			return report.ShowJSONWithLogs(env.Stdout, an, logRes)
		}
		return report.ShowJSON(env.Stdout, an)
	}
	width := sf.width
	if width == 0 {
		width = terminalWidth(env)
	}
	opts := report.TextOptions{
		Width: width,
		Color: useColor(sf.color, env),
		Skew:  sf.skew,
	}
	if err := report.ShowText(env.Stdout, an, opts); err != nil {
		return err
	}
	if logRes != nil {
		if err := report.LogsText(env.Stdout, an, logRes, opts); err != nil {
			return err
		}
	}
	return report.LinksText(env.Stdout, report.TraceLinks(an, r.LinkTemplates()), opts)
}

// fetchTrace gets a trace by ID, or by correlation ID when the input is not
// a trace ID (backend.LooksLikeTraceID).
func fetchTrace(ctx context.Context, env Env, b backend.Backend, r *config.Resolved, input string, lookback time.Duration) (*backend.Trace, error) {
	if backend.LooksLikeTraceID(input) {
		id, err := backend.ParseTraceID(input)
		if err != nil {
			return nil, usagef("%q is not a trace ID", input)
		}
		return b.Trace(ctx, id, backend.TraceOptions{})
	}
	now := env.Now()
	q := backend.Query{Start: now.Add(-lookback), End: now}
	if r.Kind == config.KindFile {
		q = backend.Query{} // a file's traces are searched whatever their age
	}
	found, err := lookUpCorrelation(ctx, env, b, r.CorrelationKeys, input, q)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, &backend.Error{Kind: backend.NotFound, Op: fmt.Sprintf("correlation ID %q (keys %s, last %s)", clip(input), strings.Join(r.CorrelationKeys, ", "), lookback)}
	}
	if len(found) > 1 {
		fmt.Fprintf(env.Stderr, "tracetui: %d traces carry correlation ID %q; showing the newest, %s\n", len(found), clip(input), found[0].TraceID)
	}
	return b.Trace(ctx, found[0].TraceID, backend.TraceOptions{})
}

func clip(s string) string { return backend.Excerpt([]byte(s), 80) }
