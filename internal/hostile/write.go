package hostile

import (
	"bufio"
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

// Format is a trace file format the corpus is written in.
type Format struct {
	// Name is "jaeger" (Jaeger UI JSON), "zipkin" (Zipkin v2 JSON) or
	// "otlp" (OTLP JSON).
	Name   string
	Encode func(w io.Writer, t *backend.Trace) error
}

// Formats returns every format with an encoder.
func Formats() []Format {
	return []Format{
		{"jaeger", func(w io.Writer, t *backend.Trace) error { return jaegerjson.Encode(w, []*backend.Trace{t}) }},
		{"zipkin", zipkin.Encode},
		{"otlp", func(w io.Writer, t *backend.Trace) error { return otlp.Encode(w, []*backend.Trace{t}) }},
	}
}

// File is one case written in one format.
type File struct {
	Case, Format, Path string
}

// WriteCorpus writes each case in each format to dir as
// <case>.<format>.json and returns the files in case order.
func WriteCorpus(dir string, cases []Case) ([]File, error) {
	var files []File
	for _, c := range cases {
		for _, f := range Formats() {
			path := filepath.Join(dir, c.Name+"."+f.Name+".json")
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
