package file

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func seed(f *testing.F) {
	for _, d := range []string{"jaeger", "jaeger/api_v3", "jaeger-ui", "otel-proto", "tempo", "zipkin", "captured/jaeger-v1.42.0", "captured/jaeger-v1.76.0"} {
		files, _ := filepath.Glob(fixtures + d + "/*.json")
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
}

// FuzzFileDetect: detection never panics, and whatever it says, decoding
// either works or fails with a typed error inside the input.
func FuzzFileDetect(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		Detect(in)
		checkDecode(t, in)
	})
}

// FuzzJSONLines feeds documents joined by newlines (and the pieces one
// byte off), the shape of a collector file export.
func FuzzJSONLines(f *testing.F) {
	f.Add([]byte(`{"resourceSpans":[]}`), []byte(`[{"traceId":"1","id":"2"}]`))
	f.Add([]byte(`{"data":[{"traceID":"1","spans":[]}]}`), []byte(`[[]]`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		in := append(append(append([]byte{}, a...), '\n'), b...)
		checkDecode(t, in)
	})
}

func checkDecode(t *testing.T, in []byte) {
	traces, err := Decode(bytes.NewReader(in))
	if err != nil {
		var be *backend.Error
		if !errors.As(err, &be) {
			t.Fatalf("untyped error %T %v", err, err)
		}
		if be.Kind == backend.DecodeError && be.Offset > int64(len(in)) {
			t.Fatalf("offset %d outside input of %d bytes", be.Offset, len(in))
		}
		return
	}
	for _, tr := range traces {
		for i := range tr.Spans {
			_ = tr.Spans[i].End()
		}
	}
}
