package file

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"github.com/tracetui/tracetui/backend"
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
