package cli

import (
	"context"
	"slices"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/logs"
	"github.com/tracetui/tracetui/internal/config"
)

// lookUpLogs reads the --logs files for the lines of trace t. Nothing to
// read is not an error; a file that cannot be opened is.
func lookUpLogs(ctx context.Context, env Env, r *config.Resolved, t *backend.Trace) (*logs.Result, error) {
	if len(r.Logs) == 0 {
		return nil, nil
	}
	if slices.Contains(r.Logs, "-") && slices.Contains(r.Files, "-") {
		return nil, usagef("standard input (-) can be read by --file or --logs, not both")
	}
	set, err := logs.Open(r.Logs, env.Stdin)
	if err != nil {
		return nil, err
	}
	return set.Lookup(ctx, t.ID, logs.Options{Location: time.Local})
}
