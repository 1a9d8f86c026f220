package file

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

// endlessSpans is a Jaeger document whose span list never ends.
type endlessSpans struct {
	head   *strings.Reader
	reads  int
	cancel func()
}

func (e *endlessSpans) Read(p []byte) (int, error) {
	if e.head.Len() > 0 {
		return e.head.Read(p)
	}
	e.reads++
	if e.reads == 5 {
		e.cancel() // a signal, halfway through decoding
	}
	span := `{"traceID":"1","spanID":"2","operationName":"op","startTime":1,"duration":1,"processID":"p1"},`
	n := 0
	for n+len(span) <= len(p) {
		n += copy(p[n:], span)
	}
	return n, nil
}

// TestOpenContextStopsDecoding: an input that never ends stops being read,
// and decoded, once the context ends.
func TestOpenContextStopsDecoding(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	in := &endlessSpans{head: strings.NewReader(`{"data":[{"traceID":"1","processes":{"p1":{"serviceName":"s"}},"spans":[`), cancel: cancel}
	_, err := OpenContext(ctx, []string{"-"}, in)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the context's end", err)
	}
	if in.reads > 10 {
		t.Errorf("%d reads after the context ended at read 5", in.reads-5)
	}
}

// TestOpenCountsProgress: a Progress in the context counts every byte read,
// of the files' total size; stdin's size is unknown.
func TestOpenCountsProgress(t *testing.T) {
	paths := []string{fixtures + "jaeger/ui_01.json", fixtures + "tempo/trace.json"}
	var want int64
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want += fi.Size()
	}
	var p backend.Progress
	if _, err := OpenContext(backend.WithProgress(context.Background(), &p), paths, nil); err != nil {
		t.Fatal(err)
	}
	if p.Bytes() != want || p.Total() != want {
		t.Errorf("progress %d of %d, want %d of %d", p.Bytes(), p.Total(), want, want)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	var q backend.Progress
	if _, err := OpenContext(backend.WithProgress(context.Background(), &q), []string{"-"}, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if q.Bytes() != int64(len(data)) || q.Total() != 0 {
		t.Errorf("stdin progress %d of %d, want %d of unknown", q.Bytes(), q.Total(), len(data))
	}
}

// TestCheck: a missing path is a NotFound error naming it; stdin and
// readable files pass.
func TestCheck(t *testing.T) {
	if err := Check([]string{"-", fixtures + "jaeger/ui_01.json"}); err != nil {
		t.Errorf("readable inputs: %v", err)
	}
	err := Check([]string{fixtures + "jaeger/ui_01.json", "testdata/nope.json"})
	if !errors.Is(err, backend.ErrNotFound) || !strings.Contains(err.Error(), "testdata/nope.json") {
		t.Errorf("missing file: %v", err)
	}
	if Check(nil) == nil {
		t.Error("no paths passed")
	}
}
