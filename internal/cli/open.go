package cli

import (
	"context"
	"fmt"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/backend/file"
	"github.com/tracetui/tracetui/backend/jaeger"
	"github.com/tracetui/tracetui/backend/zipkin"
	"github.com/tracetui/tracetui/internal/config"
)

// openBackend builds the backend the resolved configuration names. Files
// are read, and decoded, until ctx ends.
func openBackend(ctx context.Context, env Env, r *config.Resolved) (backend.Backend, error) {
	switch r.Kind {
	case config.KindJaeger:
		c, err := jaeger.New(r.HTTP)
		if err != nil {
			return nil, fmt.Errorf("jaeger: %w", err)
		}
		return c, nil
	case config.KindZipkin:
		c, err := zipkin.New(r.HTTP)
		if err != nil {
			return nil, fmt.Errorf("zipkin: %w", err)
		}
		return c, nil
	case config.KindFile:
		return file.OpenContext(ctx, r.Files, env.Stdin)
	default:
		return demo.New(env.Now()), nil
	}
}
