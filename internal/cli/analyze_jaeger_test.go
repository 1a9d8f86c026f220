package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
	"github.com/tracetui/tracetui/backend/otlp"
	"github.com/tracetui/tracetui/internal/report"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
	"github.com/tracetui/tracetui/internal/testkit/jaegertest"
)

// loadDemo sends the demo catalogue (the 12,000-span import aside), placed
// in the last hour, to the real Jaeger through OTLP/HTTP, and waits until
// every trace reads back whole.
func loadDemo(t *testing.T, j *jaegertest.Jaeger) []*backend.Trace {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	d := demo.New(time.Now())
	sums, err := d.Search(ctx, backend.Query{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var traces []*backend.Trace
	for _, s := range sums {
		if s.TraceID == demo.BigTraceID {
			continue
		}
		tr, err := d.Trace(ctx, s.TraceID, backend.TraceOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := otlp.Encode(&buf, []*backend.Trace{tr}); err != nil {
			t.Fatal(err)
		}
		if err := j.PostOTLP(ctx, buf.Bytes()); err != nil {
			t.Fatal(err)
		}
		traces = append(traces, tr)
	}
	// The receiver answers before the storage has written every span.
	for _, tr := range traces {
		for {
			r := live(t, "", append(isolate(t), "show", "--jaeger", j.BaseURL, string(tr.ID), "-o", "json")...)
			if r.code == 0 && decodeShow(t, r.stdout).SpanCount == len(tr.Spans) {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("trace %s not whole in Jaeger: %+v", tr.ID, r)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return traces
}

// TestJaegerAnalyzeAndDiff runs analyze and diff against the real Jaeger of
// the integration tests on the demo's shop traffic, with its declined
// payments, lock timeouts and retries, and checks their numbers against
// show's for every trace.
func TestJaegerAnalyzeAndDiff(t *testing.T) {
	j := jaegertest.Shared(t)
	traces := loadDemo(t, j)
	want, withErrors := 0, 0
	for _, tr := range traces {
		gateway, failed := false, false
		for i := range tr.Spans {
			gateway = gateway || tr.Spans[i].Service == "api-gateway"
			failed = failed || tr.Spans[i].Error
		}
		if gateway {
			want++
			if failed {
				withErrors++
			}
		}
	}
	showJaeger := func(id string) result {
		return live(t, "", append(isolate(t), "show", "--jaeger", j.BaseURL, id, "-o", "json")...)
	}

	r := live(t, "", append(isolate(t), "analyze", "--jaeger", j.BaseURL, "--service", "api-gateway", "--select", "errors", "-o", "json")...)
	if r.code != 0 {
		t.Fatalf("analyze: exit %d: %s", r.code, r.stderr)
	}
	a := decodeAnalyze(t, r.stdout)
	if a.Traces != want || len(a.TraceIDs.Selected) != withErrors || a.ErrorTraces.Baseline != 0 || a.Failed != 0 {
		t.Fatalf("%d traces (want %d), %d selected (want %d with errors), %+v", a.Traces, want, len(a.TraceIDs.Selected), withErrors, a.ErrorTraces)
	}
	checkAgainstShow(t, a, showJaeger)
	var declined bool
	for _, o := range a.ErrorOrigins {
		if o.Service == "payment-service" && o.Operation == "POST /v1/charges" {
			declined = o.Traces == 3 && strings.Contains(o.Message, "402") && o.ExampleTraceID != ""
			// The example opens: its span is in its trace.
			st := decodeShow(t, showJaeger(o.ExampleTraceID).stdout)
			if !strings.Contains(strings.Join(st.ErrorSpanIDs, " "), o.ExampleSpanID) {
				t.Errorf("example span %s is not an error span of %s", o.ExampleSpanID, o.ExampleTraceID)
			}
		}
	}
	if !declined {
		t.Fatalf("no declined-payment origin in %+v", a.ErrorOrigins)
	}

	// The default selection, as text that fits.
	r = live(t, "", append(isolate(t), "analyze", "--jaeger", j.BaseURL, "--service", "api-gateway", "--width", "100")...)
	if r.code != 0 || !strings.Contains(r.stdout, "Where the time goes") {
		t.Fatalf("analyze text: %+v", r)
	}
	hostile.AssertWidth(t, r.stdout, 100)

	// diff: the checkout and its retried twin, through Jaeger.
	ida, idb := string(demo.CheckoutTraceID), string(demo.RetryTraceID)
	r = live(t, "", append(isolate(t), "diff", "--jaeger", j.BaseURL, ida, idb, "-o", "json")...)
	if r.code != 0 {
		t.Fatalf("diff: exit %d: %s", r.code, r.stderr)
	}
	d := decodeDiff(t, r.stdout)
	var counts [2]int
	var crit [2]int64
	retried := false
	for _, n := range d.Nodes {
		counts[0], counts[1] = counts[0]+n.CountA, counts[1]+n.CountB
		crit[0], crit[1] = crit[0]+n.CriticalMicrosA, crit[1]+n.CriticalMicrosB
		if n.Service == "inventory-service" && n.Operation == "inventory.Reserve" {
			retried = n.CountA == 1 && n.CountB == 2 && n.ErrorsB == 1 && n.Change == "slower"
		}
	}
	if !retried {
		t.Fatal("the retried reservation is not one more call, failed, slower")
	}
	for side, id := range []string{ida, idb} {
		st := decodeShow(t, showJaeger(id).stdout)
		var path int64
		for _, s := range st.CriticalPath {
			path += s.EndMicros - s.StartMicros
		}
		if counts[side] != st.SpanCount || absI(crit[side]-path) > int64(len(d.Nodes)+len(st.CriticalPath)) {
			t.Fatalf("side %d: %d spans, critical %d µs; show: %d spans, %d µs", side, counts[side], crit[side], st.SpanCount, path)
		}
	}
}

func absI(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// TestHotRODAnalyze analyses real HotROD traffic in the real Jaeger: the
// requests queue on HotROD's MySQL lock, so the slowest tenth spend more
// of their critical path in mysql than the rest, and failing redis calls
// are error origins.
func TestHotRODAnalyze(t *testing.T) {
	j, run := jaegertest.SharedHotROD(t)
	showJaeger := func(id string) result {
		return live(t, "", append(isolate(t), "show", "--jaeger", j.BaseURL, id, "-o", "json")...)
	}
	r := live(t, "", append(isolate(t), "analyze", "--jaeger", j.BaseURL, "--service", jaegertest.HotRODService, "--limit", "500", "-o", "json")...)
	if r.code != 0 {
		t.Fatalf("analyze: exit %d: %s", r.code, r.stderr)
	}
	a := decodeAnalyze(t, r.stdout)
	want := len(run.TraceIDs)
	if a.Traces != want || a.Failed != 0 || len(a.TraceIDs.Selected) != (want+9)/10 {
		t.Fatalf("%d traces of %d, %d failed, %d selected", a.Traces, want, a.Failed, len(a.TraceIDs.Selected))
	}
	checkAgainstShow(t, a, showJaeger)
	var mysql *report.CriticalRowJSON
	for k := range a.CriticalPath {
		if a.CriticalPath[k].Service == "mysql" {
			mysql = &a.CriticalPath[k]
		}
	}
	// Every HotROD dispatch queries mysql on its critical path, so the row
	// is in every trace of both groups. Which group spends more in it
	// depends on the traffic's timing on a loaded machine (it once came
	// out 62.8 against 64.2 ms), so that is no assertion; the sums are
	// checked against show above.
	if mysql == nil || mysql.SelectedAvgMicros <= 0 || mysql.BaselineAvgMicros <= 0 ||
		mysql.SelectedTraces != len(a.TraceIDs.Selected) || mysql.BaselineTraces != len(a.TraceIDs.Baseline) {
		t.Fatalf("mysql row %+v", mysql)
	}
	redis := false
	for _, o := range a.ErrorOrigins {
		redis = redis || (o.Service == "redis" && o.Traces > 0 && o.Message != "")
	}
	if !redis {
		t.Fatalf("no redis error origin: %+v", a.ErrorOrigins)
	}
	// Every trace carries an error in most runs; selecting them still
	// splits the whole result between the groups.
	r = live(t, "", append(isolate(t), "analyze", "--jaeger", j.BaseURL, "--service", jaegertest.HotRODService, "--limit", "500",
		"--select", "errors", "-o", "json")...)
	if e := decodeAnalyze(t, r.stdout); r.code != 0 || e.ErrorTraces.Selected != len(e.TraceIDs.Selected) || e.ErrorTraces.Baseline != 0 ||
		len(e.TraceIDs.Selected)+len(e.TraceIDs.Baseline) != want {
		t.Fatalf("errors: %+v", e.ErrorTraces)
	}
	if testing.Verbose() {
		r = live(t, "", append(isolate(t), "analyze", "--jaeger", j.BaseURL, "--service", jaegertest.HotRODService, "--limit", "500", "--width", "100")...)
		t.Logf("analyze on HotROD traffic:\n%s", r.stdout)
	}
}
