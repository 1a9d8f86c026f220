package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/paste"
	"github.com/tracetui/tracetui/internal/config"
)

// readArg reads the TRACE_ID argument with the paste parser, which also
// takes a traceparent, a trace UI's URL or a log line, and says on stderr
// what it recognised when that is more than the ID as typed. A value that
// names nothing is a usage error.
func readArg(env Env, r *config.Resolved, arg string) (paste.Result, error) {
	res, err := paste.Parse(arg, paste.Options{CorrelationKeys: r.CorrelationKeys})
	if err != nil {
		return res, usagef("%s", err.Error())
	}
	if saysMore(res) {
		fmt.Fprintln(env.Stderr, "tracetui: "+res.Summary())
	}
	return res, nil
}

// saysMore reports whether the summary tells the user something the
// argument did not: not for a plain trace ID or a plain correlation ID.
func saysMore(r paste.Result) bool {
	plain := r.Source == paste.SourceTraceID || r.Source == paste.SourceText
	return !plain || len(r.Notes) > 0
}

// findTrace looks the argument up (each trace ID, then the correlation
// value; backend.LookUp) and fetches the newest trace carrying the
// correlation value. What was not found on the way is said on stderr when
// something was found; a failure says it in its one line.
func findTrace(ctx context.Context, env Env, b backend.Backend, r *config.Resolved, res paste.Result, lookback time.Duration) (*backend.Trace, error) {
	now := env.Now()
	window, where := backend.Query{Start: now.Add(-lookback), End: now}, "last "+shortDuration(lookback)
	if r.Kind == config.KindFile {
		// A file's traces are searched whatever their age.
		window, where = backend.Query{}, "all time"
	}
	var tried []string
	for _, id := range res.TraceIDs() {
		tried = append(tried, id.Short())
	}
	lr, err := backend.LookUp(ctx, b, backend.Lookup{
		TraceIDs: res.TraceIDs(), Correlation: res.Correlation, Keys: r.CorrelationKeys, Window: window,
	})
	if err != nil {
		if lr.Searched && len(tried) > 0 {
			return nil, fmt.Errorf("no trace %s, and the lookup as a correlation ID failed: %w", strings.Join(tried, " or "), err)
		}
		return nil, err
	}
	if lr.Trace != nil {
		printNotes(env, lr.Notes)
		return lr.Trace, nil
	}
	cr := lr.Correlation
	if warn := cr.Incomplete(); warn != "" {
		fmt.Fprintf(env.Stderr, "tracetui: warning: %s; the first: %s\n", warn, oneLine(cr.FirstError.Error()))
	}
	found := cr.Traces
	if len(found) == 0 {
		op := fmt.Sprintf("correlation ID %q (keys %s, %s)", clip(res.Correlation), strings.Join(r.CorrelationKeys, ", "), where)
		if len(tried) > 0 {
			op = "trace " + strings.Join(tried, " or ") + ", or " + op
		}
		return nil, &backend.Error{Kind: backend.NotFound, Offset: -1, Op: op}
	}
	printNotes(env, lr.Notes)
	if len(found) > 1 {
		fmt.Fprintf(env.Stderr, "tracetui: %d traces carry correlation ID %q; showing the newest, %s\n", len(found), clip(res.Correlation), found[0].TraceID)
	}
	return b.Trace(ctx, found[0].TraceID, backend.TraceOptions{})
}

func printNotes(env Env, notes []string) {
	for _, n := range notes {
		fmt.Fprintln(env.Stderr, "tracetui: "+n)
	}
}

// shortDuration drops a duration's zero minutes and seconds: "24h", not
// "24h0m0s".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
