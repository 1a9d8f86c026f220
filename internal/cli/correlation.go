package cli

import (
	"context"
	"fmt"

	"github.com/tracetui/tracetui/backend"
)

// lookUpCorrelation runs a correlation lookup and warns on stderr when some
// of its searches failed: the trace asked for may be among the missing, and
// "not found" alone would send the user looking elsewhere.
func lookUpCorrelation(ctx context.Context, env Env, b backend.Backend, keys []string, value string, q backend.Query) ([]backend.TraceSummary, error) {
	r, err := backend.LookUpCorrelation(ctx, b, keys, value, q)
	if warn := r.Incomplete(); err == nil && warn != "" {
		fmt.Fprintf(env.Stderr, "tracetui: warning: %s; the first: %s\n", warn, oneLine(r.FirstError.Error()))
	}
	return r.Traces, err
}
