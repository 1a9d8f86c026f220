package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/report"
	"github.com/tracetui/tracetui/internal/safeio"
	"github.com/tracetui/tracetui/internal/textsafe"
)

// analyzeLimit is analyze's default --limit: enough traces that the
// slowest 10% are more than one or two.
const analyzeLimit = 100

// fetchWorkers is how many traces analyze fetches at once.
const fetchWorkers = backend.FetchWorkers

// maxFetchWarnings is how many failed fetches are named one by one.
const maxFetchWarnings = 5

type analyzeFlags struct {
	search searchFlags
	sel    string
	width  int
	color  string
}

func newAnalyze(env Env, g *globals) *cobra.Command {
	af := &analyzeFlags{}
	cmd := &cobra.Command{
		Use:   "analyze [flags]",
		Short: "Analyse the traces a search returns: where the slow ones spend their time, what they share, where errors start",
		Long: `Search, fetch every trace found, and compare a selection of them (the slowest 10% unless
--select says otherwise) with the rest: latency distribution, critical-path time by operation,
service and calling context, the attributes that set the selection apart, error origins and
bottlenecks. Ctrl+C stops it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAnalyze(cmd, env, g, af)
		},
	}
	f := cmd.Flags()
	af.search.define(f, analyzeLimit, "analyse the traces carrying this correlation ID")
	f.StringVar(&af.sel, "select", analysis.DefaultSelection().String(), "the selection: slowest:N%, over:DURATION, errors or range:FROM-TO")
	f.IntVar(&af.width, "width", 0, "width of the text output (default: the terminal's, else 120)")
	f.StringVar(&af.color, "color", "auto", "auto, always or never (NO_COLOR is respected)")
	return cmd
}

func runAnalyze(cmd *cobra.Command, env Env, g *globals, af *analyzeFlags) error {
	sf := &af.search
	tags, err := sf.check()
	if err != nil {
		return err
	}
	if af.color != "auto" && af.color != "always" && af.color != "never" {
		return usagef("--color must be auto, always or never, not %q", af.color)
	}
	if af.width < 0 || af.width > maxWidth {
		return usagef("--width must be between 1 and %d", maxWidth)
	}
	sel, err := analysis.ParseSelection(af.sel)
	if err != nil {
		return usagef("--select: %v", err)
	}
	r, _, err := setup(cmd, env, g)
	if err != nil {
		return err
	}
	b, err := openBackend(cmd.Context(), env, r)
	if err != nil {
		return err
	}
	q := sf.query(cmd, r, tags, env.Now())
	ctx := cmd.Context()
	// The search has one --timeout; each trace fetched after it has its own.
	sctx, cancel := backend.ActionContext(ctx, b)
	var found []backend.TraceSummary
	if sf.correlationID != "" {
		found, err = lookUpCorrelation(sctx, env, b, r.CorrelationKeys, sf.correlationID, q)
	} else {
		// Find, as search does: error=true works where the server cannot
		// filter on it, and a search cut at its limit says so.
		var res backend.SearchResult
		res, err = backend.Find(sctx, b, q)
		found = res.Traces
		for _, n := range res.Notes() {
			fmt.Fprintf(env.Stderr, "tracetui: note: %s\n", textsafe.Clean(n))
		}
	}
	cancel()
	if err != nil {
		return err
	}

	var progress io.Writer
	if sf.output == "text" && stderrIsTerminal(env) {
		progress = env.Stderr
	}
	x := analysis.NewAcross()
	info, err := fetchAndAdd(ctx, b, found, x, progress)
	if err != nil {
		return err
	}
	res := x.Result(sel)
	if sf.output == "json" {
		return report.AnalyzeJSON(safeio.Writer(ctx, env.Stdout), res, info)
	}
	width := af.width
	if width == 0 {
		width = terminalWidth(env)
	}
	return report.AnalyzeText(safeio.Writer(ctx, env.Stdout), res, info, report.TextOptions{Width: width, Color: useColor(af.color, env)})
}

// fetchAndAdd fetches the traces found, a few at a time, and adds each to
// the analysis as it arrives. A trace that cannot be fetched (gone since
// the search, say) is left out and counted; Ctrl+C (ctx) ends it all.
// progress, when not nil, gets a line rewritten after every trace.
func fetchAndAdd(ctx context.Context, b backend.Backend, found []backend.TraceSummary, x *analysis.Across, progress io.Writer) (report.AnalyzeInfo, error) {
	info := report.AnalyzeInfo{Warnings: []string{}}
	if len(found) == 0 {
		return info, nil
	}
	ids := make([]backend.TraceID, len(found))
	for i, s := range found {
		ids[i] = s.TraceID
	}
	var firstErr error
	done := 0
	err := backend.FetchTraces(ctx, b, ids, fetchWorkers, func(id backend.TraceID, t *backend.Trace, err error) {
		done++
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			info.Failed++
			if info.Failed <= maxFetchWarnings {
				info.Warnings = append(info.Warnings, fmt.Sprintf("trace %s: %s", id, oneLine(err.Error())))
			}
		} else {
			x.Add(t)
		}
		if progress != nil {
			fmt.Fprintf(progress, "\r\x1b[Kanalysing: %d of %d traces", done, len(found))
		}
	})
	if progress != nil {
		fmt.Fprint(progress, "\r\x1b[K")
	}
	if err != nil {
		return info, fmt.Errorf("interrupted after %d of %d traces", x.Len(), len(found))
	}
	if info.Failed > maxFetchWarnings {
		info.Warnings = append(info.Warnings, fmt.Sprintf("and %d more traces that could not be fetched", info.Failed-maxFetchWarnings))
	}
	if x.Len() == 0 && firstErr != nil {
		return info, fmt.Errorf("none of the %d traces found could be fetched: %w", len(found), firstErr)
	}
	return info, nil
}

// stderrIsTerminal decides whether analyze draws its progress line.
func stderrIsTerminal(env Env) bool {
	f, ok := env.Stderr.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
