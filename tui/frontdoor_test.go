package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/backend/paste"
	"github.com/tracetui/tracetui/tui/trace"
)

// selectedSpan is the span selected in the trace view on top, or "".
func (d *driver) selectedSpan() backend.SpanID {
	d.t.Helper()
	s, ok := d.m.top().(*traceScreen)
	if !ok || s.phase != ready {
		return ""
	}
	i := s.m.Selected()
	if i < 0 {
		return ""
	}
	return s.m.Trace().Spans[i].SpanID
}

// demoSpan picks a span in the middle of a demo trace, not its root.
func demoSpan(t *testing.T, b backend.Backend) (backend.TraceID, backend.SpanID) {
	t.Helper()
	ctx := context.Background()
	sums, err := b.Search(ctx, backend.Query{Limit: 1})
	if err != nil || len(sums) == 0 {
		t.Fatalf("demo search: %v", err)
	}
	tr, err := b.Trace(ctx, sums[0].TraceID, backend.TraceOptions{})
	if err != nil || len(tr.Spans) < 4 {
		t.Fatalf("demo trace: %v", err)
	}
	return tr.ID, tr.Spans[len(tr.Spans)/2].SpanID
}

// The flow: a traceparent header line pasted into the lookup box
// on the demo at 80x24 opens its trace with the span selected and its
// detail shown; what was recognised is shown while typing and after.
func TestPasteTraceparentLandsOnTheSpan(t *testing.T) {
	b := demo.New(testNow)
	tid, sid := demoSpan(t, b)
	d := newDriver(t, Options{Backend: b, BackendLabel: "demo", Demo: true}, 80, 24)
	d.press(":")
	if !d.m.lookup.open {
		t.Fatal(": on the empty Service field did not open the lookup box")
	}
	d.send(tea.PasteMsg{Content: "traceparent: 00-" + string(tid) + "-" + string(sid) + "-01\n"})
	// Live, in the status area (wrapped at 80 columns rather than cut).
	want := "traceparent → trace " + string(tid) + ", span " + string(sid)
	if v := d.view(); d.m.lookup.summary != want || !strings.Contains(v, "traceparent → trace "+string(tid)) ||
		!strings.Contains(v, string(sid)) {
		t.Fatalf("live summary %q, want %q:\n%s", d.m.lookup.summary, want, v)
	}
	d.press("enter")
	if d.screen() != "trace view" || d.selectedSpan() != sid {
		t.Fatalf("screen %s, selected %q, want %q", d.screen(), d.selectedSpan(), sid)
	}
	v := d.view()
	if !strings.Contains(v, "Span detail") || !strings.Contains(v, "Trace "+string(tid)) {
		t.Fatalf("trace view:\n%s", v)
	}
}

// A Jaeger UI URL with uiFind names the span to select.
func TestPasteJaegerURLSelectsTheSpan(t *testing.T) {
	b := demo.New(testNow)
	tid, sid := demoSpan(t, b)
	d := newDriver(t, Options{Backend: b, Demo: true}, 80, 24)
	d.press("ctrl+t")
	d.send(tea.PasteMsg{Content: "http://localhost:16686/trace/" + string(tid) + "?uiFind=" + string(sid)})
	d.press("enter")
	if d.screen() != "trace view" || d.selectedSpan() != sid {
		t.Fatalf("screen %s, selected %q, want %q", d.screen(), d.selectedSpan(), sid)
	}
}

// A value that reads as a trace ID but names none is looked up as a
// correlation ID, and the status says so; several matches are listed.
func TestLookupFallsBackToCorrelation(t *testing.T) {
	b := shop()
	tag := backend.String("request_id", "beef")
	b.Traces[1].Spans[0].Tags = append(b.Traces[1].Spans[0].Tags, tag)
	d := newDriver(t, Options{Backend: b}, 80, 24)
	d.press("ctrl+t")
	d.typeText("beef")
	d.press("enter")
	if d.screen() != "trace view" || !strings.Contains(d.view(), "Trace 00000000000000a1") {
		t.Fatalf("one correlated trace: screen %s\n%s", d.screen(), d.view())
	}
	if st := d.m.status.Text(); st != `no trace 000000000000beef; looking up "beef" as a correlation ID; found trace 00000000000000a1 by correlation ID` {
		t.Fatalf("status %q", st)
	}
	if v := d.view(); !strings.Contains(v, `no trace 000000000000beef; looking up "beef"`) || !strings.Contains(v, "00000000000000a1 by correlation ID") {
		t.Fatalf("the status is not shown whole:\n%s", v)
	}

	b.Traces[2].Spans[0].Tags = append(b.Traces[2].Spans[0].Tags, tag)
	d = newDriver(t, Options{Backend: b}, 80, 24)
	d.press("ctrl+t")
	d.typeText("beef")
	d.press("enter")
	v := d.view()
	if d.screen() != "trace list" || !strings.Contains(v, "2 traces") || !strings.Contains(v, `correlation ID "beef"`) {
		t.Fatalf("two correlated traces: screen %s\n%s", d.screen(), v)
	}
	if st := d.m.status.Text(); !strings.Contains(st, `looking up "beef" as a correlation ID`) {
		t.Fatalf("status %q", st)
	}
	// Refresh searches again rather than replaying the first answer.
	n := len(b.Queries())
	d.press("r")
	if len(b.Queries()) == n || !strings.Contains(d.view(), "2 traces") {
		t.Fatalf("refresh: %d queries, view:\n%s", len(b.Queries())-n, d.view())
	}
}

// Text that names nothing is an error that says why, and the box's live
// summary says it before enter.
func TestLookupOfNothing(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 80, 24)
	d.press("ctrl+t")
	d.typeText("traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01")
	if st := d.m.lookup.summary; !strings.Contains(st, "zero") || !strings.Contains(d.view(), st) {
		t.Fatalf("live summary %q:\n%s", st, d.view())
	}
	d.press("enter")
	if d.screen() != "search" || !strings.HasPrefix(statusText(d.view()), "✗ cannot look up") {
		t.Fatalf("screen %s, status %q", d.screen(), statusText(d.view()))
	}
}

// The command line's argument, parsed: its span is selected.
func TestInitialPasteSelectsSpan(t *testing.T) {
	res, err := paste.Parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000003-01", paste.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Backend: shop(), Initial: &res, InitialTraceID: string(res.Trace)}, 80, 24)
	if d.screen() != "trace view" || d.selectedSpan() != "0000000000000003" {
		t.Fatalf("screen %s, selected %q", d.screen(), d.selectedSpan())
	}
}

// A --file's single trace opens without a fetch.
func TestInitialTraceOpensWithoutFetch(t *testing.T) {
	b := shop()
	tr := b.Traces[0]
	d := newDriver(t, Options{Backend: b, InitialTrace: tr, InitialTraceID: string(tr.ID)}, 80, 24)
	if d.screen() != "trace view" || !strings.Contains(d.view(), "GET /checkout") {
		t.Fatalf("screen %s\n%s", d.screen(), d.view())
	}
	if slices.ContainsFunc(b.Calls(), func(c string) bool { return strings.HasPrefix(c, "trace") }) {
		t.Fatalf("fetched: %q", b.Calls())
	}
}

// An ID pasted into the Service field is offered as a lookup and looked up
// on enter, not searched as a service name; a name is searched.
func TestServiceFieldOffersLookup(t *testing.T) {
	b := shop()
	d := newDriver(t, Options{Backend: b}, 80, 24)
	d.send(tea.PasteMsg{Content: "4bf92f3577b34da6a3ce929d0e0e4736"})
	if v := d.view(); !strings.Contains(v, "looks like a trace ID:") || !strings.Contains(v, "enter looks it up") {
		t.Fatalf("no offer:\n%s", v)
	}
	d.press("enter")
	if d.screen() != "trace view" || !strings.Contains(d.view(), "GET /checkout") {
		t.Fatalf("screen %s", d.screen())
	}
	// A service named like hex ("cafe") is not a trace ID for sure.
	d = newDriver(t, Options{Backend: b}, 80, 24)
	d.typeText("cafe")
	if strings.Contains(d.view(), "looks like") {
		t.Fatal("cafe offered as a trace ID")
	}
	d.press("enter")
	if d.screen() != "trace list" {
		t.Fatalf("cafe: screen %s", d.screen())
	}
}

// ":" opens the box on an empty field of the form, and types a colon once
// the field has text (a tag value may be a URL).
func TestColonOnTheForm(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 80, 24)
	d.press("tab", "tab") // Tags
	d.typeText("http.url=http")
	d.typeText(":")
	if d.m.lookup.open {
		t.Fatal(": after text opened the box")
	}
	ss := d.m.top().(*searchScreen)
	if spec, err := ss.m.Spec(); err != nil || len(spec.Tags) != 1 || spec.Tags[0].Value != "http:" {
		t.Fatalf("tags %+v %v", spec.Tags, err)
	}
	d.press("esc")
	d.press("tab")
	d.typeText(":")
	if !d.m.lookup.open {
		t.Fatal(": on an empty field did not open the box")
	}
}

// The command line's warnings (a config file others can read) are printed
// before the screen is taken: the status bar shows them too.
func TestWarningsInStatusBar(t *testing.T) {
	d := newDriver(t, Options{Backend: shop(), Warnings: []string{"config file /home/u/.config/tracetui/config.yaml holds a token and others can read it\x1b[31m"}}, 80, 24)
	v := d.view()
	if !strings.Contains(v, "warning: config file") || !strings.Contains(v, "others can read it") {
		t.Fatalf("warning not shown:\n%s", v)
	}
	d.press("tab")
	if strings.Contains(d.view(), "warning: config file") {
		t.Fatal("the warning outlived the next key")
	}
}

// A file's searches have no window: a lookup says "all time", not "the
// last all time".
func TestAllTimeWording(t *testing.T) {
	d := newDriver(t, Options{Backend: shop(), AllTime: true}, 80, 24)
	d.press("ctrl+t")
	d.typeText("no-such-request")
	d.press("enter")
	v := d.view()
	if strings.Contains(v, "last all time") || !strings.Contains(v, "in all time") {
		t.Fatalf("window wording:\n%s", v)
	}
}

// A response of unknown size (Total 0: no Content-Length, or an absurd
// one) shows the bytes loaded alone: no "of 0 B", no percentage, no bar.
func TestLoadingWithUnknownTotal(t *testing.T) {
	b := shop()
	b.Progress = func(method string, p *backend.Progress) {
		if method == "trace" {
			p.SetTotal(0)
			p.Add(5 << 10)
		}
	}
	d := newDriver(t, Options{Backend: b}, 80, 24)
	b.Block = make(chan struct{})
	b.Started = make(chan string, 1)
	openBlocked(t, d, "4bf92f3577b34da6a3ce929d0e0e4736")
	<-b.Started
	s := d.m.top().(*traceScreen)
	model, _ := d.m.Update(loadTickMsg{screen: s})
	d.m = model.(Model)
	v := d.view()
	if !strings.Contains(v, "5.0 KiB · ") || strings.Contains(v, " of ") || strings.Contains(v, "%") || strings.Contains(v, "░") {
		t.Fatalf("loading view:\n%s", v)
	}
	close(b.Block)
}

// Goldens of the front door: the lookup box with what it read, the Service
// field's offer, and the trace opened on the pasted span, at 80x24 and
// wider, and one in colour.
func TestFrontDoorGolden(t *testing.T) {
	const tp = "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000003-01"
	for _, size := range [][2]int{{80, 24}, {160, 40}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		t.Run("lookup-box-"+name, func(t *testing.T) {
			d := newDriver(t, Options{Backend: shop(), BackendLabel: "jaeger http://localhost:16686"}, size[0], size[1])
			d.press(":")
			d.send(tea.PasteMsg{Content: tp})
			golden.RequireEqual(t, d.view())
		})
		t.Run("service-offer-"+name, func(t *testing.T) {
			d := newDriver(t, Options{Backend: shop(), BackendLabel: "jaeger http://localhost:16686"}, size[0], size[1])
			d.send(tea.PasteMsg{Content: tp})
			golden.RequireEqual(t, d.view())
		})
		t.Run("span-selected-"+name, func(t *testing.T) {
			d := newDriver(t, Options{Backend: shop(), BackendLabel: "jaeger http://localhost:16686"}, size[0], size[1])
			d.press(":")
			d.send(tea.PasteMsg{Content: tp})
			d.press("enter")
			golden.RequireEqual(t, d.view())
		})
	}
	t.Run("span-selected-colour", func(t *testing.T) {
		d := newDriver(t, Options{Backend: shop(), BackendLabel: "jaeger http://localhost:16686"}, 80, 24)
		d.press(":")
		d.send(tea.PasteMsg{Content: tp})
		d.press("enter")
		golden.RequireEqual(t, d.m.View().Content)
	})
}

// esc cancels a lookup while it waits; its late answer changes nothing.
func TestEscCancelsLookup(t *testing.T) {
	b := shop()
	d := newDriver(t, Options{Backend: b}, 80, 24)
	b.Block = make(chan struct{})
	b.Started = make(chan string, 1)
	msgs := openBlocked(t, d, "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000003-01")
	<-b.Started
	if v := d.view(); !strings.Contains(v, "traceparent → trace 4bf92f3577b34da6a3ce929d0e0e4736, span 0000000000000003") ||
		!strings.Contains(v, "esc cancels") {
		t.Fatalf("waiting view:\n%s", v)
	}
	d.press("esc")
	if d.screen() != "search" || !strings.Contains(d.m.status.Text(), "cancelled loading trace") {
		t.Fatalf("esc: screen %s, status %q", d.screen(), d.m.status.Text())
	}
	late := await[lookedUpMsg](t, msgs)
	if late.err == nil {
		t.Error("the lookup was not cancelled")
	}
	d.send(late)
	if d.screen() != "search" || d.m.status.Err() {
		t.Fatalf("a stale answer had an effect: %s %q", d.screen(), d.m.status.Text())
	}
	close(b.Block)
}

// A replacement for a screen that has left the stack is dropped.
func TestReplaceOfAScreenThatLeft(t *testing.T) {
	d := newDriver(t, Options{Backend: shop()}, 80, 24)
	gone := d.m.newTrace("4bf92f3577b34da6a3ce929d0e0e4736")
	d.send(replaceMsg{old: gone, next: func(r *root) screen { return r.newTrace("a1") }})
	if d.screen() != "search" {
		t.Fatalf("screen %s", d.screen())
	}
}

// TestOpenLinkedTrace: the trace view's request to open a linked trace
// pushes that trace with the linked span selected, as a pasted span is.
func TestOpenLinkedTrace(t *testing.T) {
	d := newDriver(t, Options{Backend: demo.New(testNow), BackendLabel: "demo", Demo: true}, 80, 24)
	tr, err := demo.New(testNow).Trace(context.Background(), demo.ErrorTraceID, backend.TraceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := tr.Spans[len(tr.Spans)-1].SpanID
	d.send(trace.OpenTraceMsg{Trace: demo.ErrorTraceID, Span: want})
	if d.screen() != "trace view" || d.selectedSpan() != want {
		t.Fatalf("on %s with span %q, want trace view at %q", d.screen(), d.selectedSpan(), want)
	}
	d.press("esc", "esc")
	if d.screen() == "trace view" {
		t.Fatalf("esc esc should leave the linked trace")
	}
}
