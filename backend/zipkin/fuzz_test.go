package zipkin

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

func FuzzDecode(f *testing.F) {
	matches, _ := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`[[{"traceId":"1","id":"2","kind":"CLIENT"},{"traceId":"1","id":"2","kind":"SERVER","shared":true,"parentId":"2"}]]`))
	f.Add([]byte(`[{"traceId":"a","id":"1","parentId":"2"},{"traceId":"a","id":"2","parentId":"1"}]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		traces, err := Decode(bytes.NewReader(in))
		if err != nil {
			var be *backend.Error
			if !errors.As(err, &be) || be.Kind != backend.DecodeError || be.Offset < 0 || be.Offset > int64(len(in)) {
				t.Fatalf("error %v is not a DecodeError with an offset in the input", err)
			}
			return
		}
		for _, tr := range traces {
			if len(tr.Spans) == 0 {
				t.Fatal("empty trace")
			}
			for i := range tr.Spans {
				s := &tr.Spans[i]
				if s.Duration < 0 || s.End() < s.Start {
					t.Fatalf("span %q: start %d duration %d", s.SpanID, s.Start, s.Duration)
				}
				if s.TraceID != tr.ID || s.Process == nil {
					t.Fatalf("span %q: trace %q in %q, process %v", s.SpanID, s.TraceID, tr.ID, s.Process)
				}
				if s.ParentID != "" && s.ParentID == s.SpanID {
					t.Fatalf("span %q is its own parent", s.SpanID)
				}
			}
			var buf bytes.Buffer
			if err := Encode(&buf, tr); err != nil {
				t.Fatal(err)
			}
			if _, err := Decode(&buf); err != nil {
				t.Fatalf("re-decoding our own output: %v", err)
			}
		}
	})
}
