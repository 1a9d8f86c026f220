// Command buildjaeger builds the Jaeger binary the integration tests run
// (internal/testkit/jaegertest) and the HotROD traffic program that fills
// it with real traces (internal/testkit/hotrod), each unless it is already
// there, and prints the Jaeger binary's path.
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
	if _, err := jaegertest.BuildHotROD(ctx, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "buildjaeger:", err)
		os.Exit(1)
	}
	fmt.Println(p)
}
