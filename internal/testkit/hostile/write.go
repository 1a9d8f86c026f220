package hostile

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
	"github.com/tracetui/tracetui/backend/zipkin"
)

// Packing is how a format lays its documents out in a file.
type Packing string

const (
	// Plain is one JSON document.
	Plain Packing = ""
	// Lines is JSON Lines: the trace cut into batches, one compact document
	// per line, as the OpenTelemetry collector's file exporter writes. A
	// reader must merge the batches back into one trace.
	Lines Packing = "lines"
	// Gzip is a gzip-compressed copy of one JSON document.
	Gzip Packing = "gzip"
)

// Format is a trace file format the corpus is written in.
type Format struct {
	// Name is "jaeger" (Jaeger UI JSON), "zipkin" (Zipkin v2 JSON) or
	// "otlp" (OTLP JSON), with "-lines" or "-gzip" after it for the other
	// packings.
	Name string
	// Base is the document format: "jaeger", "zipkin" or "otlp".
	Base    string
	Packing Packing
	// Ext ends the file's name: "jaeger.json", "otlp.jsonl", "jaeger.json.gz".
	Ext    string
	Encode func(w io.Writer, t *backend.Trace) error
}

// Formats returns every format with an encoder: each document format plain
// and as JSON Lines, and one gzip-compressed (gzip reading does not depend
// on what is inside, so one is enough).
func Formats() []Format {
	jaeger := func(w io.Writer, t *backend.Trace) error { return jaegerjson.Encode(w, []*backend.Trace{t}) }
	otlpEnc := func(w io.Writer, t *backend.Trace) error { return otlp.Encode(w, []*backend.Trace{t}) }
	return []Format{
		{"jaeger", "jaeger", Plain, "jaeger.json", jaeger},
		{"zipkin", "zipkin", Plain, "zipkin.json", zipkin.Encode},
		{"otlp", "otlp", Plain, "otlp.json", otlpEnc},
		{"jaeger-lines", "jaeger", Lines, "jaeger.jsonl", lines(jaeger)},
		{"zipkin-lines", "zipkin", Lines, "zipkin.jsonl", lines(zipkin.Encode)},
		{"otlp-lines", "otlp", Lines, "otlp.jsonl", lines(otlpEnc)},
		{"jaeger-gzip", "jaeger", Gzip, "jaeger.json.gz", gzipped(jaeger)},
	}
}

// linesPerTrace is how many batches a trace is cut into: more than one, so
// that readers have to merge spans of one trace across documents, and few,
// so that a 100,000-span case stays a few large lines as a collector's
// batches would be.
const linesPerTrace = 3

// lines writes t as up to linesPerTrace documents of consecutive spans, each
// compacted onto one line. A trace without spans is one document.
func lines(enc func(io.Writer, *backend.Trace) error) func(io.Writer, *backend.Trace) error {
	return func(w io.Writer, t *backend.Trace) error {
		size := max(1, (len(t.Spans)+linesPerTrace-1)/linesPerTrace)
		var doc, line bytes.Buffer
		for lo := 0; lo == 0 || lo < len(t.Spans); lo += size {
			part := *t
			part.Spans = t.Spans[lo:min(lo+size, len(t.Spans))]
			doc.Reset()
			line.Reset()
			if err := enc(&doc, &part); err != nil {
				return err
			}
			// Compact keeps string contents byte for byte, raw invalid
			// UTF-8 included, and takes out the newlines between values.
			if err := json.Compact(&line, doc.Bytes()); err != nil {
				return err
			}
			line.WriteByte('\n')
			if _, err := w.Write(line.Bytes()); err != nil {
				return err
			}
		}
		return nil
	}
}

// gzipped compresses what enc writes. The header carries no name or time,
// so the bytes depend only on the trace.
func gzipped(enc func(io.Writer, *backend.Trace) error) func(io.Writer, *backend.Trace) error {
	return func(w io.Writer, t *backend.Trace) error {
		zw := gzip.NewWriter(w)
		if err := enc(zw, t); err != nil {
			return err
		}
		return zw.Close()
	}
}

// File is one case written in one format.
type File struct {
	Case, Format, Path string
}

// WriteCorpus writes each case in each format to dir as <case>.<ext> and
// returns the files in case order.
func WriteCorpus(dir string, cases []Case) ([]File, error) {
	var files []File
	for _, c := range cases {
		for _, f := range Formats() {
			path := filepath.Join(dir, c.Name+"."+f.Ext)
			if err := writeFile(path, c.Trace, f.Encode); err != nil {
				return files, fmt.Errorf("hostile: writing %s: %w", path, err)
			}
			files = append(files, File{Case: c.Name, Format: f.Name, Path: path})
		}
	}
	return files, nil
}

func writeFile(path string, t *backend.Trace, enc func(io.Writer, *backend.Trace) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriter(f)
	if err := enc(w, t); err != nil {
		return err
	}
	return w.Flush()
}

// Corpus writes the corpus under a temporary directory of t and returns its
// files; the Big cases are included unless withBig is false or -short is set.
func Corpus(t testing.TB, withBig bool) []File {
	t.Helper()
	cases := Small()
	if withBig && !testing.Short() {
		cases = Traces()
	}
	files, err := WriteCorpus(t.TempDir(), cases)
	if err != nil {
		t.Fatal(err)
	}
	return files
}
