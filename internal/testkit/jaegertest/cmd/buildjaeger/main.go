// Command buildjaeger builds the Jaeger binary the integration tests run
// (internal/testkit/jaegertest), unless it is already there, and prints its path.
//
//	go run ./internal/testkit/jaegertest/cmd/buildjaeger
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/tracetui/tracetui/internal/testkit/jaegertest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	p, err := jaegertest.Build(ctx, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "buildjaeger:", err)
		os.Exit(1)
	}
	fmt.Println(p)
}
