package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/config"
	"github.com/tracetui/tracetui/internal/report"
	"github.com/tracetui/tracetui/internal/safeio"
	"github.com/tracetui/tracetui/internal/textsafe"
)

type searchFlags struct {
	service, operation string
	tags               []string
	correlationID      string
	lookback           time.Duration
	minDuration        time.Duration
	maxDuration        time.Duration
	limit              int
	output             string
}

func newSearch(env Env, g *globals) *cobra.Command {
	sf := &searchFlags{}
	cmd := &cobra.Command{
		Use:   "search [flags]",
		Short: "Print summaries of the traces that match",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSearch(cmd, env, g, sf)
		},
	}
	sf.define(cmd.Flags(), backend.DefaultLimit, "find traces carrying this correlation ID in any service")
	return cmd
}

// define adds the flags of a search, which search and analyze share;
// limit is the default --limit.
func (sf *searchFlags) define(f *pflag.FlagSet, limit int, correlationHelp string) {
	f.StringVar(&sf.service, "service", "", "service name")
	f.StringVar(&sf.operation, "operation", "", "operation (span) name")
	f.StringArrayVar(&sf.tags, "tag", nil, "key=value; repeatable (all must match one span)")
	f.StringVar(&sf.correlationID, "correlation-id", "", correlationHelp)
	f.DurationVar(&sf.lookback, "lookback", time.Hour, "how far back to search")
	f.DurationVar(&sf.minDuration, "min-duration", 0, "shortest span duration, e.g. 100ms")
	f.DurationVar(&sf.maxDuration, "max-duration", 0, "longest span duration")
	f.IntVar(&sf.limit, "limit", limit, "largest number of traces")
	f.StringVarP(&sf.output, "output", "o", "text", "text or json")
}

// check reports a search flag out of its range as a usage error and
// returns the parsed --tag values.
func (sf *searchFlags) check() ([]backend.Tag, error) {
	if sf.output != "text" && sf.output != "json" {
		return nil, usagef("--output must be text or json, not %q", sf.output)
	}
	if sf.limit <= 0 {
		return nil, usagef("--limit must be positive")
	}
	if sf.lookback <= 0 {
		return nil, usagef("--lookback must be positive")
	}
	if sf.minDuration < 0 || sf.maxDuration < 0 || (sf.maxDuration > 0 && sf.maxDuration < sf.minDuration) {
		return nil, usagef("--max-duration must not be below --min-duration")
	}
	return parseTags(sf.tags)
}

// query is the search the flags ask for, over the look-back up to now.
func (sf *searchFlags) query(cmd *cobra.Command, r *config.Resolved, tags []backend.Tag, now time.Time) backend.Query {
	q := backend.Query{
		Service: sf.service, Operation: sf.operation, Tags: tags,
		Start: now.Add(-sf.lookback), End: now,
		MinDuration: sf.minDuration, MaxDuration: sf.maxDuration, Limit: sf.limit,
	}
	if r.Kind == config.KindFile && !cmd.Flags().Changed("lookback") {
		// Files are usually older than any look-back: search all of them
		// unless the user asked for a window.
		q.Start, q.End = time.Time{}, time.Time{}
	}
	return q
}

func runSearch(cmd *cobra.Command, env Env, g *globals, sf *searchFlags) error {
	tags, err := sf.check()
	if err != nil {
		return err
	}
	r, _, err := setup(cmd, env, g)
	if err != nil {
		return err
	}
	b, err := openBackend(cmd.Context(), env, r)
	if err != nil {
		return err
	}
	now := env.Now()
	q := sf.query(cmd, r, tags, now)
	// --timeout bounds the whole wait, a correlation lookup's fan-out of
	// searches included.
	ctx, cancel := backend.ActionContext(cmd.Context(), b)
	defer cancel()
	var res backend.SearchResult
	if sf.correlationID != "" {
		var traces []backend.TraceSummary
		traces, err = lookUpCorrelation(ctx, env, b, r.CorrelationKeys, sf.correlationID, q)
		res = backend.SearchResult{Traces: traces, Limit: q.EffectiveLimit(), LimitReached: len(traces) >= q.EffectiveLimit()}
	} else {
		// Find, not Search: it searches each service when the server needs
		// one, and says what it checked itself and whether the limit cut.
		res, err = backend.Find(ctx, b, q)
	}
	if err != nil {
		// Backends answer an empty search with no traces; a NotFound here
		// is a URL that misses the server, which must not read as "none".
		return err
	}
	// A summary's impossible numbers (a span count of "NaN") are shown as
	// unknown; say why.
	for _, s := range res.Traces {
		for _, w := range s.Warnings {
			fmt.Fprintln(env.Stderr, "tracetui: warning: "+oneLine(w))
		}
	}
	for _, n := range res.Notes() {
		fmt.Fprintf(env.Stderr, "tracetui: note: %s\n", textsafe.Clean(n))
	}
	if res.FirstError != nil {
		fmt.Fprintf(env.Stderr, "tracetui: warning: the first failed search: %s\n", oneLine(res.FirstError.Error()))
	}
	out := safeio.Writer(cmd.Context(), env.Stdout)
	if sf.output == "json" {
		return report.SearchJSON(out, res)
	}
	return report.SearchText(out, res, now)
}

func parseTags(in []string) ([]backend.Tag, error) {
	var out []backend.Tag
	for _, s := range in {
		k, v, ok := strings.Cut(s, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, usagef("--tag wants key=value, not %q", s)
		}
		out = append(out, backend.Tag{Key: k, Value: v})
	}
	return out, nil
}
