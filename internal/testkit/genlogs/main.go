// Command genlogs writes application log lines for the spans of the traces
// in a trace file (or of a generated demo-sized file of many traces), in
// JSON Lines, logfmt or every spelling mixed, for trying `--logs` on a
// fixture:
//
//	go run ./internal/testkit/genlogs -trace testdata/fixtures/zipkin/yelp.json -noise 200 > app.log
//	go run ./internal/testkit/genlogs -trace trace.json -format logfmt -gzip -o app.log.gz
//	go run ./internal/testkit/genlogs -size 1GB -o big.log     # many traces, for benchmarks
//	tracetui show --file testdata/fixtures/zipkin/yelp.json --logs app.log
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/file"
	"github.com/tracetui/tracetui/internal/testkit/logsynth"
)

func main() {
	var traces multi
	flag.Var(&traces, "trace", "trace file (Jaeger, Zipkin or OTLP JSON) whose spans get log lines; repeatable")
	format := flag.String("format", "mixed", "json, logfmt or mixed (every spelling of the trace ID)")
	perSpan := flag.Int("per-span", 2, "lines per span")
	noise := flag.Int("noise", 100, "lines of other traces mixed in")
	garbage := flag.Int("garbage", 5, "lines of neither format mixed in")
	size := flag.String("size", "", "instead of -trace: write about this much (e.g. 500MB, 2GB) of lines of many traces")
	seed := flag.Uint64("seed", 1, "generator seed")
	out := flag.String("o", "-", "output file, - for stdout")
	gz := flag.Bool("gzip", false, "gzip the output")
	flag.Parse()
	if err := run(traces, *format, *perSpan, *noise, *garbage, *size, *seed, *out, *gz); err != nil {
		fmt.Fprintln(os.Stderr, "genlogs:", err)
		os.Exit(1)
	}
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func run(traces []string, format string, perSpan, noise, garbage int, size string, seed uint64, out string, gz bool) (err error) {
	if (len(traces) == 0) == (size == "") {
		return fmt.Errorf("give -trace FILE or -size N")
	}
	var w io.Writer = os.Stdout
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	w = bw
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(bw)
		w = zw
	}
	if size != "" {
		n, err := parseSize(size)
		if err != nil {
			return err
		}
		id, lines, err := logsynth.Big(w, n, format, seed)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "genlogs: trace %s has %d lines\n", id, lines)
	} else {
		b, err := file.Open(traces, os.Stdin)
		if err != nil {
			return err
		}
		c, err := logsynth.ForTraces(w, b.Traces(), logsynth.Options{Format: format, PerSpan: perSpan, Noise: noise, Garbage: garbage, Seed: seed})
		if err != nil {
			return err
		}
		ids := make([]backend.TraceID, 0, len(c.Lines))
		for id := range c.Lines {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		for _, id := range ids {
			fmt.Fprintf(os.Stderr, "genlogs: trace %s: %d lines, %d errors\n", id, c.Lines[id], c.Errors[id])
		}
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// parseSize reads 500MB, 2GB, 64KB or a byte count.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	u := strings.ToUpper(s)
	for _, suf := range []struct {
		s string
		m int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}} {
		if strings.HasSuffix(u, suf.s) {
			u, mult = strings.TrimSuffix(u, suf.s), suf.m
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(u), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: want e.g. 500MB", s)
	}
	return n * mult, nil
}
