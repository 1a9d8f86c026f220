package file

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// TestHostileInputs: each hostile file decodes to exactly what it holds.
func TestHostileInputs(t *testing.T) {
	for _, in := range hostile.Inputs() {
		t.Run(in.Name, func(t *testing.T) {
			const n = 3001
			traces, err := Decode(bytes.NewReader(in.Data(n)))
			if err != nil {
				t.Fatalf("%s: %v", in.About, err)
			}
			spans := 0
			for _, tr := range traces {
				spans += len(tr.Spans)
			}
			warnings := 0
			for _, tr := range traces {
				warnings += len(tr.Warnings)
			}
			if len(traces) != in.Traces(n) || spans != in.Spans(n) || warnings != in.Warnings(n) {
				t.Fatalf("%d traces, %d spans, %d warnings; want %d, %d, %d",
					len(traces), spans, warnings, in.Traces(n), in.Spans(n), in.Warnings(n))
			}
			if spans == 0 || warnings > 0 {
				return
			}
			// The one-span documents make one chain: every span but the
			// first has its parent among the others, in document order.
			for i, sp := range traces[0].Spans {
				want := backend.SpanID(fmt.Sprintf("%016x", i))
				if i == 0 {
					want = ""
				}
				if sp.SpanID != backend.SpanID(fmt.Sprintf("%016x", i+1)) || sp.ParentID != want || sp.Service != "svc" {
					t.Fatalf("span %d: id %q parent %q service %q", i, sp.SpanID, sp.ParentID, sp.Service)
				}
			}
		})
	}
}

// allocated is the heap Decode allocates, in bytes and objects, for the
// hostile input of n documents.
func allocated(t *testing.T, in hostile.Input, n int) (bytes, objects float64) {
	t.Helper()
	data := in.Data(n)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	if _, err := Decode(bytesReader(data)); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&m1)
	return float64(m1.TotalAlloc - m0.TotalAlloc), float64(m1.Mallocs - m0.Mallocs)
}

// bytesReader hides the input's length, as a file or pipe does, so that
// the scanner's window is the one real inputs get.
func bytesReader(b []byte) io.Reader { return struct{ io.Reader }{bytes.NewReader(b)} }

// TestPerDocumentCost is issue 14's "per-document set-up near zero", checked
// on the work done (heap allocated) rather than on time: what one more
// document costs must not grow with the number of documents (a reader that
// re-copies or re-merges what it has read grows), and an empty document
// must cost next to nothing (setting up a decoder per line cost 64 KiB of
// window and a map each, and 4.2 million lines took 154 s).
func TestPerDocumentCost(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes 40,000 documents per input")
	}
	for _, in := range hostile.Inputs() {
		t.Run(in.Name, func(t *testing.T) {
			const a, b, c = 4000, 12000, 36000
			ba, oa := allocated(t, in, a)
			bb, ob := allocated(t, in, b)
			bc, oc := allocated(t, in, c)
			// Marginal cost per document over the smaller and the larger range.
			early, late := (bb-ba)/(b-a), (bc-bb)/(c-b)
			earlyObj, lateObj := (ob-oa)/(b-a), (oc-ob)/(c-b)
			t.Logf("per document: %.1f then %.1f bytes, %.2f then %.2f objects", early, late, earlyObj, lateObj)
			if late > 1.5*early+16 || lateObj > 1.5*earlyObj+0.5 {
				t.Errorf("a document costs more the more there are: %.1f then %.1f bytes, %.2f then %.2f objects per document",
					early, late, earlyObj, lateObj)
			}
			if in.Spans(1) == 0 && (late > 16 || lateObj > 0.1) {
				t.Errorf("an empty document costs %.1f bytes in %.2f objects; want next to nothing", late, lateObj)
			}
		})
	}
}

// BenchmarkDecodeTinyDocuments shows the time per document at sizes a
// hundredfold apart: flat when the per-document cost is constant.
func BenchmarkDecodeTinyDocuments(b *testing.B) {
	for _, in := range hostile.Inputs() {
		for _, n := range []int{10_000, 100_000, 1_000_000} {
			b.Run(fmt.Sprintf("%s/docs=%d", in.Name, n), func(b *testing.B) {
				data := in.Data(n)
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Decode(bytesReader(data)); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/doc")
			})
		}
	}
}

// TestDocumentsShareCachesNotState: the decoders keep their caches from one
// document to the next, but nothing a document says (envelope errors, a
// missing service name, its trace IDs) carries over to the next.
func TestDocumentsShareCachesNotState(t *testing.T) {
	lines := []string{
		`{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000001","spanId":"0000000000000001","name":"a","startTimeUnixNano":"1000","endTimeUnixNano":"2000"}]}]}]}`,
		`{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"b"}}]},"scopeSpans":[{"spans":[{"traceId":"00000000000000000000000000000002","spanId":"0000000000000002","name":"b","startTimeUnixNano":"1000","endTimeUnixNano":"2000"}]}]}]}`,
		`{"data":[{"traceID":"3","spans":[{"spanID":"3","operationName":"c","startTime":1,"duration":1,"processID":"p1"}],"processes":{"p1":{"serviceName":"c"}}}],"errors":[{"code":404,"msg":"trace not found","traceID":"9"}]}`,
		`{"data":[{"traceID":"4","spans":[{"spanID":"4","operationName":"d","startTime":1,"duration":1,"processID":"p1"}],"processes":{"p1":{"serviceName":"d"}}}]}`,
		`[{"traceId":"5","id":"5","name":"e","timestamp":1,"duration":1,"localEndpoint":{"serviceName":"e"}}]`,
		`[{"traceId":"6","id":"6","name":"f","timestamp":1,"duration":1,"localEndpoint":{"serviceName":"f"}}]`,
	}
	traces, err := Decode(bytes.NewReader([]byte(joinLines(lines))))
	if err != nil {
		t.Fatal(err)
	}
	if len(traces) != 6 {
		t.Fatalf("%d traces, want 6", len(traces))
	}
	for i, tr := range traces {
		wantWarn := i == 0 || i == 2 // no service.name; the envelope's error
		if (len(tr.Warnings) > 0) != wantWarn {
			t.Errorf("trace %d (%s): warnings %q", i, tr.ID, tr.Warnings)
		}
		if len(tr.Spans) != 1 || tr.Spans[0].TraceID != tr.ID {
			t.Errorf("trace %d: spans %+v", i, tr.Spans)
			continue
		}
		if want := string(rune('a' + i)); tr.Spans[0].Operation != want || (i > 0 && tr.Spans[0].Service != want) {
			t.Errorf("trace %d: span %q of %q", i, tr.Spans[0].Operation, tr.Spans[0].Service)
		}
	}
}

func joinLines(lines []string) string {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}
