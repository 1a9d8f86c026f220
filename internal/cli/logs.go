package cli

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/logs"
	"github.com/tracetui/tracetui/internal/config"
)

// lookUpLogs reads the --logs files for the lines of trace t. Nothing to
// read is not an error; a file that cannot be opened is.
func lookUpLogs(ctx context.Context, env Env, r *config.Resolved, t *backend.Trace) (*logs.Result, error) {
	set, err := openLogs(env, r)
	if set == nil || err != nil {
		return nil, err
	}
	return set.Lookup(ctx, t.ID, logs.Options{Location: time.Local})
}

// openLogs checks the --logs files; nil without any.
func openLogs(env Env, r *config.Resolved) (*logs.Set, error) {
	if len(r.Logs) == 0 {
		return nil, nil
	}
	if slices.Contains(r.Logs, "-") && slices.Contains(r.Files, "-") {
		return nil, usagef("standard input (-) can be read by --file or --logs, not both")
	}
	return logs.Open(r.Logs, env.Stdin)
}

// hyperlinks tells whether the TUI writes links as OSC 8 hyperlinks:
// TRACETUI_HYPERLINKS=0 or 1 decides; else yes, except on the terminals
// known to print the sequence instead of ignoring it (the Linux console,
// dumb terminals). Terminals without OSC 8 that ignore it show the text.
func hyperlinks(env Env) bool {
	if env.Getenv == nil {
		return false
	}
	switch strings.ToLower(env.Getenv("TRACETUI_HYPERLINKS")) {
	case "0", "no", "off", "false", "never":
		return false
	case "1", "yes", "on", "true", "always":
		return true
	}
	switch env.Getenv("TERM") {
	case "", "dumb", "linux":
		return false
	}
	return true
}
