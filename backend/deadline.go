package backend

import (
	"context"
	"time"
)

// TimeoutBackend is a Backend whose waits are bounded: the HTTP clients,
// whose Timeout is --timeout. Each of their operations bounds itself;
// ActionContext bounds several.
type TimeoutBackend interface {
	Backend
	Timeout() time.Duration
}

// ActionContext gives ctx the deadline of b's timeout from now, when b has
// one and ctx does not end sooner, so that everything one command or one
// user action waits for (a correlation lookup's fan-out of searches, then
// the trace) shares one deadline instead of a fresh one per request. For a
// backend without a timeout (files, the demo) it only adds a cancel.
func ActionContext(ctx context.Context, b Backend) (context.Context, context.CancelFunc) {
	if tb, ok := b.(TimeoutBackend); ok && tb.Timeout() > 0 {
		return context.WithTimeout(ctx, tb.Timeout())
	}
	return context.WithCancel(ctx)
}
