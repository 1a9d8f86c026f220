package demo

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
)

func TestGenerateSizes(t *testing.T) {
	start := testNow().Add(-10 * time.Minute)
	for _, n := range []int{1, 2, 3, 4, 10, 17, 1000, 100000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			tr := Generate(n, 42, start)
			if len(tr.Spans) != n {
				t.Fatalf("%d spans, want %d", len(tr.Spans), n)
			}
			checkWellFormed(t, tr, shape{})
			sum := backend.Summarize(tr)
			if sum.Start != start.Truncate(time.Microsecond).UnixNano() {
				t.Errorf("trace starts at %d, want %d", sum.Start, start.UnixNano())
			}
			if n >= 1000 && (len(sum.Services) != len(ServiceNames()) || sum.ErrorCount == 0) {
				t.Errorf("%d spans cover %d services with %d errors", n, len(sum.Services), sum.ErrorCount)
			}
		})
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	start := testNow()
	a, b := Generate(5000, 7, start), Generate(5000, 7, start)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different traces")
	}
	c := Generate(5000, 8, start)
	if c.ID == a.ID || c.Spans[0].SpanID == a.Spans[0].SpanID {
		t.Fatal("different seeds, same IDs")
	}
	if reflect.DeepEqual(a.Spans[100].Duration, c.Spans[100].Duration) && reflect.DeepEqual(a.Spans[200].Duration, c.Spans[200].Duration) {
		t.Error("different seeds, same timings")
	}
	// A prefix of a bigger trace is the smaller trace, so sizes compare fairly.
	small := Generate(300, 7, start)
	for i := range small.Spans {
		if small.Spans[i].SpanID != a.Spans[i].SpanID || small.Spans[i].Operation != a.Spans[i].Operation {
			t.Fatalf("span %d differs between sizes", i)
		}
	}
	if g := Generate(0, 7, start); len(g.Spans) != 0 || !g.ID.Valid() {
		t.Errorf("zero spans: %d spans, ID %q", len(g.Spans), g.ID)
	}
	if g := Generate(-5, 7, start); len(g.Spans) != 0 {
		t.Errorf("negative size: %d spans", len(g.Spans))
	}
}

func TestGenerateSharesStrings(t *testing.T) {
	tr := Generate(2000, 1, testNow())
	// Span IDs are cut from one block and tag keys are constants, so the
	// trace holds no per-span string allocations beyond what varies.
	ops := map[string]int{}
	for i := range tr.Spans {
		ops[tr.Spans[i].Operation]++
	}
	if len(ops) < 10 || len(ops) > 30 {
		t.Errorf("%d distinct operations: %v", len(ops), ops)
	}
	procs := map[*backend.Process]bool{}
	for i := range tr.Spans {
		procs[tr.Spans[i].Process] = true
	}
	if len(procs) > 20 {
		t.Errorf("%d processes for 2000 spans; processes should be shared", len(procs))
	}
}

func BenchmarkGenerate(b *testing.B) {
	start := testNow()
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("spans=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tr := Generate(n, 1, start)
				if len(tr.Spans) != n {
					b.Fatal(len(tr.Spans))
				}
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	now := testNow()
	for b.Loop() {
		New(now)
	}
}
