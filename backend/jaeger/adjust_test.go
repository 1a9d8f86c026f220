package jaeger

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/jaegerjson"
)

// shape is what Jaeger's ID adjuster changes: who is who, and who is whose child.
func shape(tr *backend.Trace) []string {
	var out []string
	for _, s := range tr.Spans {
		var refs []string
		for _, r := range s.References {
			refs = append(refs, r.Type.String()+":"+string(r.SpanID))
		}
		out = append(out, fmt.Sprintf("%s parent=%s %s %s/%s refs=%v", s.SpanID, s.ParentID, s.Kind, s.Service, s.Operation, refs))
	}
	slices.Sort(out)
	return out
}

func decodeOne(t *testing.T, b []byte) *backend.Trace {
	t.Helper()
	traces, err := jaegerjson.Decode(bytes.NewReader(b))
	if err != nil || len(traces) != 1 {
		t.Fatalf("decode: %d traces, %v", len(traces), err)
	}
	return traces[0]
}

// A raw answer adjusted here has the shape of the answer Jaeger's own
// adjusters give for the same trace (captured from v1.76.0).
func TestAdjustRawMatchesJaeger(t *testing.T) {
	raw := decodeOne(t, captured(t, "v1.76.0", "trace_skew_1e223ff1f80f1c69_raw.json"))
	want := shape(decodeOne(t, captured(t, "v1.76.0", "trace_skew_1e223ff1f80f1c69.json")))
	if dups(raw) != 1 {
		t.Fatalf("the raw capture should hold one shared ID, has %d", dups(raw))
	}
	adjustRaw(raw)
	if got := shape(raw); !slices.Equal(got, want) {
		t.Errorf("adjusted raw:\n%v\nJaeger's adjusters:\n%v", got, want)
	}
	again := shape(raw)
	adjustRaw(raw)
	if got := shape(raw); !slices.Equal(got, again) {
		t.Errorf("a second pass changed the trace:\n%v\nwas\n%v", got, again)
	}
}

func span(id, parent string, kind backend.SpanKind, op string) backend.Span {
	s := backend.Span{TraceID: "0000000000000000000000000000000a", SpanID: backend.SpanID(id), Kind: kind,
		Service: "svc", Operation: op, Start: 1000, Duration: 10}
	if parent != "" {
		s.References = []backend.Ref{{Type: backend.RefChildOf, TraceID: s.TraceID, SpanID: backend.SpanID(parent)}}
	}
	s.Finish()
	return s
}

func TestAdjustRawSharedSpans(t *testing.T) {
	const (
		root   = "00000000000000aa"
		shared = "00000000000000bb"
		one    = "0000000000000001" // taken: the new ID must skip it
	)
	link := backend.Ref{Type: backend.RefFollowsFrom, TraceID: "0000000000000000000000000000000a", SpanID: root}
	server := span(shared, root, backend.KindServer, "handle")
	server.References = append(server.References, link)
	tr := &backend.Trace{ID: "0000000000000000000000000000000a", Spans: []backend.Span{
		span(root, "", backend.KindServer, "root"),
		span(shared, root, backend.KindClient, "call"),
		server,
		span("00000000000000cc", shared, backend.KindInternal, "work in the server"),
		span(one, root, backend.KindInternal, "other"),
	}}
	adjustRaw(tr)
	want := []string{
		"0000000000000001 parent=00000000000000aa internal svc/other refs=[CHILD_OF:00000000000000aa]",
		"0000000000000002 parent=00000000000000bb server svc/handle refs=[CHILD_OF:00000000000000bb FOLLOWS_FROM:00000000000000aa]",
		"00000000000000aa parent= server svc/root refs=[]",
		"00000000000000bb parent=00000000000000aa client svc/call refs=[CHILD_OF:00000000000000aa]",
		"00000000000000cc parent=0000000000000002 internal svc/work in the server refs=[CHILD_OF:0000000000000002]",
	}
	if got := shape(tr); !slices.Equal(got, want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
}

func TestAdjustRawDuplicates(t *testing.T) {
	a := span("00000000000000aa", "", backend.KindServer, "root")
	b := span("00000000000000bb", "00000000000000aa", backend.KindInternal, "child")
	other := b
	other.Operation = "same ID, another span"
	tr := &backend.Trace{ID: a.TraceID, Spans: []backend.Span{a, b, b, other, b}}
	adjustRaw(tr)
	// Exact copies (a span stored twice) go, as Jaeger's deduplicating
	// adjuster drops them; a different span under a used ID stays for the
	// tree to make unique with a warning.
	if len(tr.Spans) != 3 || tr.Spans[2].Operation != other.Operation {
		t.Errorf("got %v", shape(tr))
	}
}

// Without shared or repeated IDs nothing changes, and nothing is copied.
func TestAdjustRawNoop(t *testing.T) {
	tr := decodeOne(t, captured(t, "v1.76.0", "trace_yelp_a03ee8fff1dcd9b9.json"))
	before := shape(tr)
	first := &tr.Spans[0]
	adjustRaw(tr)
	if got := shape(tr); !slices.Equal(got, before) || first != &tr.Spans[0] {
		t.Errorf("an adjusted trace changed:\n%v\nwas\n%v", got, before)
	}
}

// A consumer that only FOLLOWS_FROM a shared ID stays where it was: moving it
// under the server half as a CHILD_OF would make it block the critical path.
func TestAdjustRawKeepsFollowsFrom(t *testing.T) {
	const root, shared = "00000000000000aa", "00000000000000bb"
	consumer := span("00000000000000dd", "", backend.KindConsumer, "consume")
	consumer.References = []backend.Ref{{Type: backend.RefFollowsFrom, TraceID: consumer.TraceID, SpanID: shared}}
	consumer.Finish()
	tr := &backend.Trace{ID: consumer.TraceID, Spans: []backend.Span{
		span(root, "", backend.KindServer, "root"),
		span(shared, root, backend.KindClient, "call"),
		span(shared, root, backend.KindServer, "handle"),
		consumer,
	}}
	adjustRaw(tr)
	got := tr.Spans[3]
	if len(got.References) != 1 || got.References[0].Type != backend.RefFollowsFrom || got.References[0].SpanID != shared {
		t.Errorf("consumer refs %v", got.References)
	}
}

// Two server halves under one client ID each get a new ID under the client
// half; the shared ID's children follow the last, as in Jaeger.
func TestAdjustRawTwoServerHalves(t *testing.T) {
	const root, shared = "00000000000000aa", "00000000000000bb"
	tr := &backend.Trace{ID: "0000000000000000000000000000000a", Spans: []backend.Span{
		span(root, "", backend.KindServer, "root"),
		span(shared, root, backend.KindClient, "call"),
		span(shared, root, backend.KindServer, "first try"),
		span(shared, root, backend.KindServer, "second try"),
		span("00000000000000cc", shared, backend.KindInternal, "work"),
	}}
	adjustRaw(tr)
	want := []string{
		"0000000000000001 parent=00000000000000bb server svc/first try refs=[CHILD_OF:00000000000000bb]",
		"0000000000000002 parent=00000000000000bb server svc/second try refs=[CHILD_OF:00000000000000bb]",
		"00000000000000aa parent= server svc/root refs=[]",
		"00000000000000bb parent=00000000000000aa client svc/call refs=[CHILD_OF:00000000000000aa]",
		"00000000000000cc parent=0000000000000002 internal svc/work refs=[CHILD_OF:0000000000000002]",
	}
	if got := shape(tr); !slices.Equal(got, want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
}

// Many distinct spans under one ID (broken instrumentation) are all kept,
// and in linear time: they are grouped by a hash of their content.
func TestAdjustRawManySpansOneID(t *testing.T) {
	const n = 20_000
	tr := &backend.Trace{ID: "0000000000000000000000000000000a"}
	for i := range n {
		s := span("00000000000000aa", "", backend.KindInternal, "op")
		s.Start += int64(i)
		tr.Spans = append(tr.Spans, s)
	}
	tr.Spans = append(tr.Spans, tr.Spans[n/2]) // and one exact copy
	adjustRaw(tr)
	if len(tr.Spans) != n {
		t.Errorf("%d spans kept, want %d", len(tr.Spans), n)
	}
}
