package jaeger

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// TestImpossibleSummaryNumbers: a summary's numbers that cannot be are
// reported as unknown with a warning, not printed as values (spanCount "NaN"
// was -9223372036854775808, errorSpanCount -5 was -5, a start of 1e30 the
// year 1677).
func TestImpossibleSummaryNumbers(t *testing.T) {
	f, srv := newFake(t)
	f.handle("/api/v3/trace-summaries", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(hostile.ImpossibleSummaries))
	})
	c := newClient(t, srv.URL, APIAuto)
	res, err := c.Search(context.Background(), backend.Query{Service: "s", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	byRoot := map[string]backend.TraceSummary{}
	for _, s := range res {
		byRoot[s.RootService] = s
		if s.SpanCount < 0 || s.ErrorCount < 0 || s.Start < 0 || s.Duration < 0 || s.ErrorCount > s.SpanCount && !s.Unknown.Has(backend.SummarySpanCount) {
			t.Errorf("%s: impossible value kept: %+v", s.RootService, s)
		}
		for _, sc := range s.Services {
			if sc.SpanCount < 0 || sc.ErrorCount < 0 {
				t.Errorf("%s: service %+v", s.RootService, sc)
			}
		}
	}
	want := map[string]struct {
		unknown  backend.SummaryFields
		warnings []string
	}{
		"sane": {0, nil},
		"nan": {backend.SummarySpanCount | backend.SummaryErrorCount,
			[]string{`spanCount "NaN" is not a count`, `errorSpanCount "-5" is not a count`,
				`service spanCount "Infinity" is not a count`, `service errorSpanCount "-1" is not a count`}},
		"far": {backend.SummaryStart | backend.SummaryDuration | backend.SummarySpanCount,
			[]string{`minStartTimeUnixNano "1e30" is not a time`, `maxEndTimeUnixNano "2e30" is not a time`, `spanCount "2.5" is not a count`}},
		"backwards":    {backend.SummaryDuration | backend.SummaryErrorCount, []string{"errorSpanCount 9 is more than spanCount 4", "ends before it starts"}},
		"before-epoch": {backend.SummaryStart | backend.SummaryDuration | backend.SummarySpanCount | backend.SummaryErrorCount, []string{`"-5" is not a time`, `"99999999999999999999" is not a time`, `"1e400" is not a count`, `"0x10" is not a count`}},
	}
	for root, w := range want {
		s, ok := byRoot[root]
		if !ok {
			t.Errorf("%s: missing from %v", root, res)
			continue
		}
		if s.Unknown != w.unknown {
			t.Errorf("%s: unknown %04b, want %04b", root, s.Unknown, w.unknown)
		}
		if len(s.Warnings) != len(w.warnings) {
			t.Errorf("%s: warnings %q, want %d", root, s.Warnings, len(w.warnings))
		}
		all := strings.Join(s.Warnings, "\n")
		for _, part := range w.warnings {
			if !strings.Contains(all, part) {
				t.Errorf("%s: no %q in %q", root, part, all)
			}
		}
	}
	if s := byRoot["sane"]; s.SpanCount != 3 || s.ErrorCount != 1 || s.Start != 1700000000000000000 || s.Duration != 1e9 {
		t.Errorf("the sane summary changed: %+v", s)
	}
}
