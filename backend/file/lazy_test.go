package file

import (
	"context"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/synth"
)

// The search index is built by whichever call needs it first; calls racing
// for it (a TUI's service list and first search) must all see the same,
// whole index. Run with -race.
func TestIndexBuiltOnceUnderConcurrentUse(t *testing.T) {
	ctx := context.Background()
	paths := []string{fixtures + "captured/jaeger-v1.76.0/trace_skew_1e223ff1f80f1c69.json",
		fixtures + "captured/jaeger-v1.76.0/trace_yelp_a03ee8fff1dcd9b9.json"}
	ref := open(t, paths...)
	wantSvc, _ := ref.Services(ctx)
	wantOps, _ := ref.Operations(ctx, "serviceb")
	wantRes, _ := ref.Search(ctx, backend.Query{})
	if len(wantSvc) == 0 || len(wantOps) == 0 || len(wantRes) != 2 {
		t.Fatalf("reference index: %v %v %d results", wantSvc, wantOps, len(wantRes))
	}

	b := open(t, paths...)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			switch i % 3 {
			case 0:
				if got, err := b.Services(ctx); err != nil || !reflect.DeepEqual(got, wantSvc) {
					t.Errorf("Services: %v %v, want %v", got, err, wantSvc)
				}
			case 1:
				if got, err := b.Operations(ctx, "serviceb"); err != nil || !reflect.DeepEqual(got, wantOps) {
					t.Errorf("Operations: %v %v, want %v", got, err, wantOps)
				}
			default:
				if got, err := b.Search(ctx, backend.Query{}); err != nil || !reflect.DeepEqual(got, wantRes) {
					t.Errorf("Search: %v %v, want %v", got, err, wantRes)
				}
			}
		}(i)
	}
	wg.Wait()
}

// Opening a trace by ID, and the services and operations a search form
// lists, need no summary of every trace: at a million spans that costs a
// set of every span ID. Only a search builds it.
func TestNoSearchIndexUntilSearched(t *testing.T) {
	ctx := context.Background()
	b := open(t, fixtures+"captured/jaeger-v1.76.0/trace_skew_1e223ff1f80f1c69.json",
		fixtures+"captured/jaeger-v1.76.0/trace_yelp_a03ee8fff1dcd9b9.json")
	if _, err := b.Trace(ctx, "00000000000000001e223ff1f80f1c69", backend.TraceOptions{}); err != nil {
		t.Fatal(err)
	}
	svc, err := b.Services(ctx)
	if err != nil || len(svc) == 0 {
		t.Fatalf("services %v, %v", svc, err)
	}
	if ops, err := b.Operations(ctx, svc[0]); err != nil || len(ops) == 0 {
		t.Fatalf("operations %v, %v", ops, err)
	}
	if b.summaries != nil {
		t.Fatal("the search index was built without a search")
	}
	if res, err := b.Search(ctx, backend.Query{}); err != nil || len(res) != 2 || b.summaries == nil {
		t.Fatalf("search: %d results, %v", len(res), err)
	}
}

// The catalog's shortcut for neighbouring spans must list what a plain
// pass lists: every service, and every (operation, kind) of each once.
func TestCatalogMatchesEverySpan(t *testing.T) {
	ctx := context.Background()
	tr := synth.Trace(3000, 5)
	// Runs of equal neighbours, and the same operation under two kinds.
	for i := range tr.Spans {
		if i%7 < 3 && i > 0 {
			tr.Spans[i].Service, tr.Spans[i].Operation, tr.Spans[i].Kind = tr.Spans[i-1].Service, tr.Spans[i-1].Operation, tr.Spans[i-1].Kind
		}
	}
	tr.Spans[10].Kind, tr.Spans[11].Kind = backend.KindServer, backend.KindClient
	tr.Spans[11].Service, tr.Spans[11].Operation = tr.Spans[10].Service, tr.Spans[10].Operation
	b := &Backend{byID: map[backend.TraceID]int{}}
	b.add([]*backend.Trace{tr})
	wantOps := map[string]map[backend.Operation]bool{}
	for _, sp := range tr.Spans {
		if wantOps[sp.Service] == nil {
			wantOps[sp.Service] = map[backend.Operation]bool{}
		}
		wantOps[sp.Service][backend.Operation{Name: sp.Operation, Kind: sp.Kind.String()}] = true
	}
	svc, _ := b.Services(ctx)
	if len(svc) != len(wantOps) || !slices.IsSorted(svc) {
		t.Fatalf("services %q, want the %d of the spans, sorted", svc, len(wantOps))
	}
	for _, s := range svc {
		ops, _ := b.Operations(ctx, s)
		if len(ops) != len(wantOps[s]) {
			t.Errorf("%s: %d operations, want %d", s, len(ops), len(wantOps[s]))
		}
		for _, o := range ops {
			if !wantOps[s][o] {
				t.Errorf("%s: operation %+v not in the trace", s, o)
			}
		}
	}
}
