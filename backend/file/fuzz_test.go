package file

import (
	"bytes"
	"encoding/json"
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

// fixtureLines returns each trace fixture that decodes compacted onto one
// line, the way a JSON Lines file holds documents, with its span count.
func fixtureLines(tb testing.TB) (lines [][]byte, spans []int) {
	tb.Helper()
	for _, d := range []string{"jaeger", "jaeger/api_v3", "jaeger-ui", "otel-proto", "tempo", "zipkin", "captured/*"} {
		files, err := filepath.Glob(fixtures + d + "/*.json")
		if err != nil {
			tb.Fatal(err)
		}
		for _, p := range files {
			raw, err := os.ReadFile(p)
			if err != nil {
				tb.Fatal(err)
			}
			var line bytes.Buffer
			if err := json.Compact(&line, raw); err != nil {
				tb.Fatalf("%s: %v", p, err)
			}
			traces, err := Decode(bytes.NewReader(line.Bytes()))
			if err != nil {
				continue // not a trace: a service list, an error body
			}
			n := 0
			for _, t := range traces {
				n += len(t.Spans)
			}
			lines = append(lines, line.Bytes())
			spans = append(spans, n)
		}
	}
	if len(lines) < 20 {
		tb.Fatalf("only %d trace fixtures found", len(lines))
	}
	return lines, spans
}

// TestFixturesAsJSONLines: every trace fixture on its own line, Jaeger,
// Zipkin and OTLP mixed, decodes to all their spans, merged by trace ID.
func TestFixturesAsJSONLines(t *testing.T) {
	lines, spans := fixtureLines(t)
	want := 0
	for _, n := range spans {
		want += n
	}
	traces, err := Decode(bytes.NewReader(bytes.Join(lines, []byte("\n"))))
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	ids := map[backend.TraceID]bool{}
	for _, tr := range traces {
		got += len(tr.Spans)
		if ids[tr.ID] {
			t.Errorf("trace %s returned twice, not merged", tr.ID)
		}
		ids[tr.ID] = true
	}
	if got != want {
		t.Errorf("%d spans from %d lines, want %d", got, len(lines), want)
	}
}

// FuzzJSONLines feeds documents joined by newlines (and the pieces one
// byte off), the shape of a collector file export. The seeds are the trace
// fixtures one a line: each with the next (formats mixed), and all of them
// in one input.
func FuzzJSONLines(f *testing.F) {
	f.Add([]byte(`{"resourceSpans":[]}`), []byte(`[{"traceId":"1","id":"2"}]`))
	f.Add([]byte(`{"data":[{"traceID":"1","spans":[]}]}`), []byte(`[[]]`))
	lines, _ := fixtureLines(f)
	for i, l := range lines {
		f.Add(l, lines[(i+1)%len(lines)])
	}
	f.Add(bytes.Join(lines[1:], []byte("\n")), lines[0])
	f.Fuzz(func(t *testing.T, a, b []byte) {
		in := append(append(append([]byte{}, a...), '\n'), b...)
		checkDecode(t, in)
		// Lines are independent: two inputs that decode alone decode
		// joined, to all their spans. Gzip and a byte order mark belong at
		// the start of a file only, so inputs with them do not count.
		if plainText(a) && plainText(b) {
			na, errA := spanCount(a)
			nb, errB := spanCount(b)
			if errA == nil && errB == nil {
				if n, err := spanCount(in); err != nil || n != na+nb {
					t.Fatalf("%d and %d spans alone, %d joined (%v)", na, nb, n, err)
				}
			}
		}
	})
}

func plainText(in []byte) bool {
	return !bytes.HasPrefix(in, []byte{0x1f, 0x8b}) && !bytes.HasPrefix(in, []byte{0xef, 0xbb, 0xbf})
}

func spanCount(in []byte) (int, error) {
	traces, err := Decode(bytes.NewReader(in))
	n := 0
	for _, t := range traces {
		n += len(t.Spans)
	}
	return n, err
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
