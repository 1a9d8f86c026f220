package report

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// callsTrace: gateway calls users twice and orders once; orders calls a
// payment service with a hostile, very long name twice, one call failing.
func callsTrace() *backend.Trace {
	payment := "pay\x1b[31mment\u202e-" + strings.Repeat("x", 200)
	tr := &backend.Trace{ID: "00000000000000000000000000000ca1"}
	add := func(id, parent, svc string, start int64, failed bool) {
		tr.Spans = append(tr.Spans, backend.Span{
			TraceID: tr.ID, SpanID: backend.SpanID(id), ParentID: backend.SpanID(parent),
			Service: svc, Operation: "op", Start: start * 1000, Duration: 1000, Error: failed,
		})
	}
	add("1", "", "gateway", 0, false)
	tr.Spans[0].Duration = 100_000
	add("2", "1", "users", 1, false)
	add("3", "1", "users", 3, false)
	add("4", "1", "orders", 5, false)
	tr.Spans[3].Duration = 50_000
	add("5", "4", payment, 6, true)
	add("6", "4", payment, 8, false)
	add("7", "4", "orders", 9, false) // same service: not a call
	return tr
}

// callRows returns the rows of the calls section.
func callRows(out string) []string {
	return tableAfter(strings.Split(out, "\n"), "Calls (caller")
}

// TestShowTextCalls: the calls section lists each service-to-service edge
// once with its counts, failing hops first, then the busiest; names are
// sanitized and the lines fit every width down to MinWidth.
func TestShowTextCalls(t *testing.T) {
	a := analysis.Analyze(callsTrace())
	for _, w := range []int{MinWidth, 57, 80, 200} {
		var buf bytes.Buffer
		if err := ShowText(&buf, a, TextOptions{Width: w}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		hostile.AssertSafe(t, out)
		hostile.AssertWidth(t, out, w)
		rows := callRows(out)
		if len(rows) != 3 {
			t.Fatalf("width %d: %d call rows, want 3\n%s", w, len(rows), out)
		}
		type row struct {
			from, to      string
			calls, errors int
		}
		want := []row{{"orders", "pay", 2, 1}, {"gateway", "users", 2, 0}, {"gateway", "orders", 1, 0}}
		for k, l := range rows {
			f := strings.Fields(l)
			calls, _ := strconv.Atoi(f[len(f)-2])
			errs, _ := strconv.Atoi(f[len(f)-1])
			name := strings.Join(f[:len(f)-2], " ")
			from, to, ok := strings.Cut(name, " → ")
			wr := want[k]
			if !ok || from != wr.from || !strings.HasPrefix(to, wr.to) || calls != wr.calls || errs != wr.errors {
				t.Errorf("width %d row %d = %q, want %v", w, k, l, wr)
			}
		}
	}
}

// TestShowTextCallsCapped: a trace with more edges than maxCalls prints
// maxCalls of them and says how many more there are.
func TestShowTextCallsCapped(t *testing.T) {
	tr := &backend.Trace{ID: "00000000000000000000000000000ca2"}
	tr.Spans = append(tr.Spans, backend.Span{TraceID: tr.ID, SpanID: "1", Service: "root", Operation: "op", Duration: 1000})
	n := maxCalls + 5
	for i := 0; i < n; i++ {
		tr.Spans = append(tr.Spans, backend.Span{
			TraceID: tr.ID, SpanID: backend.SpanID(strconv.Itoa(100 + i)), ParentID: "1",
			Service: "s" + strconv.Itoa(i), Operation: "op", Start: int64(i), Duration: 1,
		})
	}
	var buf bytes.Buffer
	if err := ShowText(&buf, analysis.Analyze(tr), TextOptions{Width: 80}); err != nil {
		t.Fatal(err)
	}
	rows := callRows(buf.String())
	if len(rows) != maxCalls+1 || rows[maxCalls] != "… and 5 more" {
		t.Fatalf("%d rows, last %q", len(rows), rows[len(rows)-1])
	}
}

// TestCallName: a cut name fills the width exactly and keeps both sides.
func TestCallName(t *testing.T) {
	for _, c := range []struct {
		from, to string
		width    int
		want     string
	}{
		{"a", "b", 20, "a → b"},
		{"gateway", "a-very-long-callee-name", 20, "gateway → a-very-lo…"},
		{"a-very-long-caller-name", "db", 20, "a-very-long-ca… → db"},
		{"a-very-long-caller-name", "a-very-long-callee-name", 20, "a-very-… → a-very-l…"},
	} {
		got := callName(c.from, c.to, c.width)
		if got != c.want {
			t.Errorf("callName(%q, %q, %d) = %q, want %q", c.from, c.to, c.width, got, c.want)
		}
	}
}
