package otlp

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

// FuzzOTLP: any input decodes or fails with a typed error positioned inside
// the input; what decodes survives an encode/decode trip with the same spans.
func FuzzOTLP(f *testing.F) {
	for _, d := range []string{"jaeger", "jaeger/api_v3", "jaeger-ui", "otel-proto", "tempo", "captured/jaeger-v1.42.0", "captured/jaeger-v1.76.0"} {
		files, _ := filepath.Glob(fixtures + d + "/*.json")
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"AA==","spanId":"1","attributes":[{"key":"k","value":{"kvlistValue":{"values":[{"key":"a","value":{"arrayValue":{"values":[{"doubleValue":"Infinity"}]}}}]}}}]}]}]}]}`))
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
		n, m := 0, 0
		for _, tr := range traces {
			n += len(tr.Spans)
		}
		for _, tr := range again {
			m += len(tr.Spans)
		}
		if n != m {
			t.Fatalf("%d spans became %d", n, m)
		}
	})
}
