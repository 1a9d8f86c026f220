package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// TestSpanTextGolden pins the span detail of messaging-kafka.json's error
// origin at 80 columns, and checks that its waterfall row is marked.
func TestSpanTextGolden(t *testing.T) {
	a := analyseFixture(t, "messaging-kafka.json")
	if len(a.Origins) == 0 {
		t.Fatal("the fixture has no error origin")
	}
	i := a.Origins[0].Span
	o := TextOptions{Width: 80, Skew: "raw", Span: a.Tree.SpanIDs[i]}
	// The waterfall marks the span's row (the golden file holds only the
	// detail, which is this file's own).
	var wf bytes.Buffer
	if err := ShowText(&wf, a, o); err != nil {
		t.Fatal(err)
	}
	var marked []string
	for _, l := range strings.Split(wf.String(), "\n") {
		if strings.Contains(l, spanMarker) {
			marked = append(marked, l)
		}
	}
	if len(marked) != 1 || !strings.Contains(marked[0], "serviceb on-message") {
		t.Errorf("marked rows: %q", marked)
	}
	hostile.AssertWidth(t, wf.String(), 80)

	var buf bytes.Buffer
	if err := SpanText(&buf, a, i, o); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	hostile.AssertSafe(t, out)
	hostile.AssertWidth(t, out, 80)
	golden.RequireEqual(t, buf.Bytes())
}

// TestSpanTextHostile: every span of every hostile trace prints safely
// within the width, coloured or not.
func TestSpanTextHostile(t *testing.T) {
	for _, c := range hostile.Small() {
		a := analysis.Analyze(c.Trace)
		for i := range min(len(c.Trace.Spans), 20) {
			for _, color := range []bool{false, true} {
				var buf bytes.Buffer
				o := TextOptions{Width: 60, Color: color, Span: a.Tree.SpanIDs[i]}
				if err := SpanText(&buf, a, int32(i), o); err != nil {
					t.Fatalf("%s span %d: %v", c.Name, i, err)
				}
				if color {
					hostile.AssertSafeStyled(t, buf.String())
				} else {
					hostile.AssertSafe(t, buf.String())
				}
				hostile.AssertWidth(t, buf.String(), 60)
			}
		}
	}
}

// TestFindSpan: the unique ID the analysis gives a duplicate, or the ID as
// the trace has it (its first span).
func TestFindSpan(t *testing.T) {
	tr := &backend.Trace{ID: "00000000000000000000000000000001", Spans: []backend.Span{
		{SpanID: "000000000000000a", Service: "a", Start: 1, Duration: 10},
		{SpanID: "000000000000000b", ParentID: "000000000000000a", Service: "b", Start: 2, Duration: 1},
		{SpanID: "000000000000000b", ParentID: "000000000000000a", Service: "c", Start: 3, Duration: 1},
	}}
	for i := range tr.Spans {
		tr.Spans[i].TraceID = tr.ID
	}
	a := analysis.Analyze(tr)
	if a.Tree.SpanIDs[1] == a.Tree.SpanIDs[2] {
		t.Fatalf("duplicates not renamed: %v", a.Tree.SpanIDs)
	}
	for id, want := range map[backend.SpanID]int32{"000000000000000a": 0, a.Tree.SpanIDs[2]: 2, "ffffffffffffffff": -1, "": -1} {
		if got := FindSpan(a, id); got != want {
			t.Errorf("FindSpan(%q) = %d, want %d", id, got, want)
		}
	}
	if got := FindSpan(a, "000000000000000b"); got != 1 && got != 2 {
		t.Errorf("the duplicated ID finds neither span: %d", got)
	}

	var buf bytes.Buffer
	if err := ShowJSONSpan(&buf, a, 2); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil || got["spanID"] != string(a.Tree.SpanIDs[2]) {
		t.Errorf("spanID: %v %v", got["spanID"], err)
	}
	buf.Reset()
	if err := ShowJSONSpan(&buf, a, -1); err != nil || strings.Contains(buf.String(), `"spanID": null`) {
		t.Errorf("no span: %v\n%s", err, buf.String())
	}
}
