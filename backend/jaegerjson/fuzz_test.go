package jaegerjson

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/iotest"

	"github.com/tracetui/tracetui/backend"
)

func seedFixtures(f *testing.F, dirs ...string) {
	for _, d := range dirs {
		files, _ := filepath.Glob(fixtures + d + "/*.json")
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
}

// FuzzJaegerJSON: any input decodes or fails with a typed error that has a
// position inside the input; what decodes survives an encode/decode trip.
func FuzzJaegerJSON(f *testing.F) {
	seedFixtures(f, "jaeger", "jaeger-ui", "captured/jaeger-v1.42.0", "captured/jaeger-v1.76.0")
	f.Add([]byte(`{"data":[{"traceID":"1","spans":[{"spanID":"2","tags":[{"key":"k","type":"int64","value":"99999999999999999999"}]}]}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		traces, err := Decode(bytes.NewReader(in))
		// A reader that hands out one byte at a time moves every token across
		// window refills: the result must not change.
		slow, slowErr := Decode(iotest.OneByteReader(bytes.NewReader(in)))
		if (err == nil) != (slowErr == nil) || !reflect.DeepEqual(traces, slow) {
			t.Fatalf("one-byte reads differ: %v / %v", err, slowErr)
		}
		if err != nil {
			var be *backend.Error
			if !errors.As(err, &be) {
				t.Fatalf("untyped error %T %v", err, err)
			}
			if be.Kind == backend.DecodeError && (be.Offset < 0 || be.Offset > int64(len(in))) {
				t.Fatalf("offset %d outside input of %d bytes", be.Offset, len(in))
			}
			return
		}
		var buf bytes.Buffer
		if err := Encode(&buf, traces); err != nil {
			t.Fatal(err)
		}
		again, err := Decode(&buf)
		if err != nil {
			t.Fatalf("re-decoding own output: %v\n%s", err, buf.Bytes())
		}
		if len(again) != len(traces) {
			t.Fatalf("%d traces became %d", len(traces), len(again))
		}
		for i := range traces {
			if len(again[i].Spans) != len(traces[i].Spans) {
				t.Fatalf("trace %d: %d spans became %d", i, len(traces[i].Spans), len(again[i].Spans))
			}
		}
	})
}
