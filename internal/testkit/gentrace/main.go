// Command gentrace writes a generated demo trace of any size as Jaeger JSON,
// OTLP JSON or Zipkin JSON, for the big-trace benchmark script and for
// trying tracetui on large inputs.
//
//	go run ./internal/testkit/gentrace -spans 100000 -format jaeger > big.json
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
	"github.com/tracetui/tracetui/backend/zipkin"
)

func main() {
	spans := flag.Int("spans", 100000, "number of spans")
	seed := flag.Int64("seed", 1, "generator seed")
	formatName := flag.String("format", "jaeger", "jaeger, otlp or zipkin")
	unique := flag.Bool("unique-tags", false, "give every span a distinct tag list (a span.seq tag), so that decoders cannot share equal lists: the worst case for memory")
	flag.Parse()
	start := time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC)
	t := demo.Generate(*spans, *seed, start)
	if *unique {
		uniqueTags(t)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	var err error
	switch *formatName {
	case "jaeger":
		err = jaegerjson.Encode(w, []*backend.Trace{t})
	case "otlp":
		err = otlp.Encode(w, []*backend.Trace{t})
	case "zipkin":
		err = zipkin.Encode(w, t)
	default:
		err = fmt.Errorf("unknown format %q", *formatName)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gentrace:", err)
		os.Exit(1)
	}
}

// uniqueTags appends a tag that differs on every span.
func uniqueTags(t *backend.Trace) {
	for i := range t.Spans {
		sp := &t.Spans[i]
		sp.Tags = append(sp.Tags[:len(sp.Tags):len(sp.Tags)], backend.Int64("span.seq", int64(i)))
	}
}
