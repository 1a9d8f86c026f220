package trace

import (
	"testing"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/keymap"
)

// Config.Span selects a span, unfolding what hides it, once the tree is
// ready: the example span an analysis row opens.
func TestGivenSpanIsSelectedDeepInATree(t *testing.T) {
	tr := chainTrace(t)
	ids := analysis.BuildTree(tr).SpanIDs
	want := len(ids) - 1 // the deepest span
	m := New(Config{Keys: keymap.DefaultTrace(), Span: ids[want], CollapseDepth: 1, BigTrace: 1}, tr)
	m, _ = m.Update(m.Init()())
	if got := m.Selected(); got != want {
		t.Fatalf("selected %d, want %d", got, want)
	}
	// An ID the trace does not have leaves the first span selected.
	m = New(Config{Keys: keymap.DefaultTrace(), Span: backend.SpanID("nope")}, tr)
	m, _ = m.Update(m.Init()())
	if got := m.Selected(); got != 0 {
		t.Fatalf("selected %d for an unknown span", got)
	}
}

func chainTrace(t *testing.T) *backend.Trace {
	t.Helper()
	tr := &backend.Trace{ID: "00000000000000000000000000000abc"}
	parent := backend.SpanID("")
	for i := range 6 {
		id := backend.SpanID(string(rune('a'+i)) + "000000000000000")
		tr.Spans = append(tr.Spans, backend.Span{
			TraceID: tr.ID, SpanID: id, ParentID: parent, Service: "svc", Operation: "op",
			Start: int64(i) * 1000, Duration: int64(10000 - i*1000),
		})
		parent = id
	}
	return tr
}
