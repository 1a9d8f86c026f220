package file

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/backend/jaegerjson"
	"github.com/tracetui/tracetui/backend/otlp"
)

// batchSpans is the OpenTelemetry SDK's default export batch size: a
// collector's file exporter without a batch processor writes one line per
// SDK export, so a big trace arrives as many lines that Decode must merge.
const batchSpans = 512

func benchSizes() []int { return []int{1000, 10_000, 100_000} }

// otlpLines is an n-span demo trace as OTLP JSON Lines, batchSpans spans a
// line, the way the collector's file exporter writes it.
func otlpLines(tb testing.TB, n int) []byte {
	tb.Helper()
	tr := demo.Generate(n, 1, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC))
	var out, doc bytes.Buffer
	for lo := 0; lo < len(tr.Spans); lo += batchSpans {
		part := *tr
		part.Spans = tr.Spans[lo:min(lo+batchSpans, len(tr.Spans))]
		doc.Reset()
		if err := otlp.Encode(&doc, []*backend.Trace{&part}); err != nil {
			tb.Fatal(err)
		}
		if err := json.Compact(&out, doc.Bytes()); err != nil {
			tb.Fatal(err)
		}
		out.WriteByte('\n')
	}
	return out.Bytes()
}

// The benchmark's input must be what it claims: one line per batch, each a
// document of its own, merged back into the one trace of n spans.
func TestOTLPLinesInput(t *testing.T) {
	const n = 1300
	in := otlpLines(t, n)
	if got, want := bytes.Count(in, []byte("\n")), 3; got != want {
		t.Fatalf("%d lines, want %d", got, want)
	}
	for line := range bytes.Lines(in) {
		if Detect(line) != OTLPJSON || !json.Valid(line) {
			t.Fatalf("line is not one OTLP document: %.80q", line)
		}
	}
	traces, err := Decode(bytes.NewReader(in))
	if err != nil || len(traces) != 1 || len(traces[0].Spans) != n {
		t.Fatalf("%d traces, %v", len(traces), err)
	}
}

// BenchmarkDecodeJSONLines is issue 2's decoding benchmark for JSON Lines:
// the whole of Decode (detection, one decoder per line, merging), with the
// heap the result keeps per byte of JSON as heap/json, as the other
// formats' BenchmarkDecode report it.
func BenchmarkDecodeJSONLines(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("format=otlp-jsonl/spans=%d", n), func(b *testing.B) {
			data := otlpLines(b, n) // here, so that -bench filters skip building the other sizes
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				traces, err := Decode(bytes.NewReader(data))
				if err != nil || len(traces) != 1 || len(traces[0].Spans) != n {
					b.Fatal(err)
				}
			}
			b.ReportMetric(retained(b, data), "heap/json")
		})
	}
}

// BenchmarkUnmarshalAnyJSONLines is the yardstick beside
// BenchmarkDecodeJSONLines: json.Unmarshal of each line of the same bytes
// into any.
func BenchmarkUnmarshalAnyJSONLines(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("format=otlp-jsonl/spans=%d", n), func(b *testing.B) {
			data := otlpLines(b, n) // here, so that -bench filters skip building the other sizes
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				for line := range bytes.Lines(data) {
					var v any
					if err := json.Unmarshal(line, &v); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// retained is the heap that one decoded copy of data keeps alive, as a
// fraction of len(data); issue 6 wants it below 1.
func retained(b *testing.B, data []byte) float64 {
	b.StopTimer()
	defer b.StartTimer()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	traces, err := Decode(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	runtime.KeepAlive(traces)
	return float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc)) / float64(len(data))
}

// BenchmarkDecodeJaegerFile is the whole of Decode on one Jaeger JSON
// document, as `show --file` and the TUI read a saved trace: detection,
// reading and decoding.
func BenchmarkDecodeJaegerFile(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("format=jaeger/spans=%d", n), func(b *testing.B) {
			tr := demo.Generate(n, 1, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC))
			var buf bytes.Buffer
			if err := jaegerjson.Encode(&buf, []*backend.Trace{tr}); err != nil {
				b.Fatal(err)
			}
			data := buf.Bytes()
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				traces, err := Decode(bytes.NewReader(data))
				if err != nil || len(traces) != 1 || len(traces[0].Spans) != n {
					b.Fatal(err)
				}
			}
		})
	}
}
