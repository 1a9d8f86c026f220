package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/fakebackend"
)

// flakyService fails every search in one service, as a store that times
// out on one service's index would.
type flakyService struct {
	*fakebackend.Backend
	service string
}

func (f flakyService) Search(ctx context.Context, q backend.Query) ([]backend.TraceSummary, error) {
	if q.Service == f.service {
		return nil, &backend.Error{Kind: backend.Timeout, Op: "search", Offset: -1}
	}
	return f.Backend.Search(ctx, q)
}

// A correlation lookup whose searches partly failed lists what it found
// (without opening a single match at once) and warns that a trace may be
// missing.
func TestLookupByCorrelationWarnsWhenSearchesFail(t *testing.T) {
	b := shop()
	services := b.ServiceList
	if len(services) < 2 {
		t.Fatalf("the shop has %d services", len(services))
	}
	d := newDriver(t, Options{Backend: flakyService{b, services[len(services)-1]}, CorrelationKeys: []string{"correlation_id"}}, 100, 24)
	d.press("ctrl+t")
	d.typeText("corr-b2")
	d.press("enter")
	v := d.view()
	if d.screen() != "trace list" || !strings.Contains(v, "correlation searches failed") || !strings.Contains(v, "may be missing") {
		t.Errorf("screen %s:\n%s", d.screen(), v)
	}
}
