package tui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/jaeger"
	"github.com/tracetui/tracetui/internal/testkit/jaegertest"
)

// The front door on a real Jaeger with HotROD traffic: a traceparent of a
// trace whose redis call failed opens on that span, and e says why it
// failed; error=true with no service finds the failed traces (Jaeger v2
// does not index the error it derives from the OTel status), and the list
// says tracetui looked at them itself.
func TestFrontDoorOnRealHotROD(t *testing.T) {
	j, run := jaegertest.SharedHotROD(t)
	b, err := jaeger.New(backend.HTTPOptions{URL: j.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	var (
		tid backend.TraceID
		sid backend.SpanID
	)
	for _, id := range run.TraceIDs {
		tr, err := b.Trace(ctx, id, backend.TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if k := slices.IndexFunc(tr.Spans, func(s backend.Span) bool { return s.Service == "redis" && s.Error }); k >= 0 {
			tid, sid = id, tr.Spans[k].SpanID
			break
		}
	}
	if tid == "" {
		t.Fatalf("no failed redis span in %d HotROD traces", len(run.TraceIDs))
	}

	d := newDriver(t, Options{Backend: b, BackendLabel: "jaeger " + j.BaseURL}, 80, 24)
	d.press(":")
	d.send(tea.PasteMsg{Content: "traceparent: 00-" + string(tid) + "-" + string(sid) + "-01"})
	d.press("enter")
	if d.screen() != "trace view" || d.selectedSpan() != sid {
		t.Fatalf("screen %s, selected %q, want %q\n%s", d.screen(), d.selectedSpan(), sid, d.view())
	}
	if v := d.view(); !strings.Contains(v, "Span detail") || !strings.Contains(v, "redis") {
		t.Fatalf("trace view:\n%s", v)
	}
	d.press("e")
	if st := d.m.status.Text(); !strings.Contains(st, "redis GetDriver: redis timeout") {
		t.Fatalf("error origin status %q", st)
	}

	// The traffic is real, so the search window is now's.
	d = newDriver(t, Options{Backend: b, BackendLabel: "jaeger " + j.BaseURL, Now: time.Now}, 80, 24)
	d.press("tab", "tab")
	d.typeText("error=true")
	d.press("enter")
	ls, ok := d.m.top().(*listScreen)
	if !ok {
		t.Fatalf("screen %s", d.screen())
	}
	traces := ls.m.Traces()
	if len(traces) == 0 || ls.m.Result() == nil || len(ls.m.Result().Checked) == 0 {
		t.Fatalf("error=true with no service: %d traces, result %+v\n%s", len(traces), ls.m.Result(), d.view())
	}
	for _, s := range traces {
		if s.ErrorCount == 0 {
			t.Errorf("trace %s listed for error=true has no error", s.TraceID)
		}
	}
	if v := d.view(); !strings.Contains(v, "traces looked at for error=true") {
		t.Errorf("the header does not say tracetui checked error=true:\n%s", v)
	}
}
