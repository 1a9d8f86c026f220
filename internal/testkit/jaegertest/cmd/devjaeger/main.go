// Command devjaeger runs the tests' real Jaeger by hand, for trying
// tracetui on it in a terminal: the fixtures loaded as the tests load them
// and, with -hotrod N, N requests of real HotROD traffic. It prints the
// query URL and runs until interrupted.
//
//	go run ./internal/testkit/jaegertest/cmd/devjaeger -hotrod 100
//	tracetui --jaeger http://127.0.0.1:PORT
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tracetui/tracetui/internal/testkit/jaegertest"
)

func main() {
	hotrod := flag.Int("hotrod", 0, "HotROD requests to send (0: none)")
	seed := flag.Int64("seed", 1, "seed of the HotROD traffic")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	j, err := jaegertest.Start(start)
	if err != nil {
		fmt.Fprintln(os.Stderr, "devjaeger:", err)
		os.Exit(1)
	}
	defer j.Stop()
	if *hotrod > 0 {
		run, err := j.RunHotROD(start, jaegertest.HotRODOptions{Requests: *hotrod, Seed: *seed})
		if err != nil {
			fmt.Fprintln(os.Stderr, "devjaeger:", err)
			return
		}
		fmt.Fprintf(os.Stderr, "hotrod: %s; %d traces, %d spans\n", run.Output, len(run.TraceIDs), run.Spans)
	}
	fmt.Println(j.BaseURL)
	<-ctx.Done()
}
