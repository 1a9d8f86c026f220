package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/file"
	"github.com/tracetui/tracetui/backend/paste"
	"github.com/tracetui/tracetui/internal/config"
	"github.com/tracetui/tracetui/internal/report"
	"github.com/tracetui/tracetui/internal/safeio"
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
		Long: `Print one trace. TRACE_ID is 1-32 hex digits (or base64), or whatever was copied that names
a trace: a traceparent, B3, uber-trace-id or X-Amzn-Trace-Id header, a Jaeger UI, Zipkin,
Grafana Explore or Tempo URL, a JSON or logfmt log line (quoted). Anything else, and a
trace ID that is not found, is looked up as a correlation ID in the configured tag keys.
When the input names a span, it is marked in the waterfall and its detail printed.
With --file and no ID, the file's first trace.`,
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

// validate checks show's own flags before anything is opened.
func (sf *showFlags) validate() error {
	if sf.output != "text" && sf.output != "json" {
		return usagef("--output must be text or json, not %q", sf.output)
	}
	if sf.color != "auto" && sf.color != "always" && sf.color != "never" {
		return usagef("--color must be auto, always or never, not %q", sf.color)
	}
	if sf.skew != "raw" && sf.skew != "adjusted" {
		return usagef("--skew must be raw or adjusted, not %q", sf.skew)
	}
	if sf.width < 0 || sf.width > maxWidth {
		return usagef("--width must be between 1 and %d", maxWidth)
	}
	return nil
}

func runShow(cmd *cobra.Command, env Env, g *globals, sf *showFlags, args []string) error {
	if err := sf.validate(); err != nil {
		return err
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
	b, err := openBackend(cmd.Context(), env, r)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	var (
		t   *backend.Trace
		arg paste.Result
	)
	if len(args) == 1 {
		if arg, err = readArg(env, r, args[0]); err != nil {
			return err
		}
	}
	if len(args) == 0 {
		fb, ok := b.(*file.Backend)
		if !ok || len(fb.Traces()) == 0 {
			return errors.New("the file holds no trace")
		}
		t = fb.Traces()[0]
	} else {
		// --timeout bounds the whole wait: a correlation lookup and the
		// trace it found share one deadline.
		actx, cancel := backend.ActionContext(ctx, b)
		t, err = findTrace(actx, env, b, r, arg, sf.lookback)
		cancel()
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
	// Printing a big trace takes a while: a signal stops it at the next
	// write.
	out := safeio.Writer(ctx, env.Stdout)
	span := int32(-1)
	if arg.Span != "" {
		if span = report.FindSpan(an, arg.Span); span < 0 {
			fmt.Fprintf(env.Stderr, "tracetui: warning: span %s is not in trace %s\n", arg.Span, t.ID.Short())
		}
	}
	if sf.output == "json" {
		return report.ShowJSONWithLogs(out, an, span, logRes)
	}
	width := sf.width
	if width == 0 {
		width = terminalWidth(env)
	}
	o := report.TextOptions{
		Width: width,
		Color: useColor(sf.color, env),
		Skew:  sf.skew,
	}
	if span >= 0 {
		o.Span = an.Tree.SpanIDs[span]
	}
	if err := report.ShowText(out, an, o); err != nil {
		return err
	}
	if span >= 0 {
		if err := report.SpanText(out, an, span, o); err != nil {
			return err
		}
	}
	if logRes != nil {
		if err := report.LogsText(out, an, logRes, o); err != nil {
			return err
		}
	}
	return report.LinksText(out, report.TraceLinks(an, r.LinkTemplates()), o)
}

func clip(s string) string { return backend.Excerpt([]byte(s), 80) }
