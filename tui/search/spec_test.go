package search

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tracetui/tracetui/backend"
)

func TestParseTags(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []backend.Tag
		wantErr string
	}{
		{"", nil, ""},
		{"   ", nil, ""},
		{"error=true http.status_code=500", []backend.Tag{{Key: "error", Value: "true"}, {Key: "http.status_code", Value: "500"}}, ""},
		{`http.url="/a b" x=y`, []backend.Tag{{Key: "http.url", Value: "/a b"}, {Key: "x", Value: "y"}}, ""},
		{`k=""`, nil, `tag "k" has no value`},
		{`k=`, nil, `tag "k" has no value`},
		{`k="a \"q\""`, []backend.Tag{{Key: "k", Value: `a "q"`}}, ""},
		{"error", nil, `tag "error" has no value`},
		{"a=1 b", nil, `tag "b" has no value`},
		{`k="unterminated`, nil, "at column"},
		{"=v", nil, "at column"},
		{"a=1\nb=2", nil, "one line"},
	} {
		got, err := ParseTags(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseTags(%q) error = %v, want %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseTags(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func FuzzParseTags(f *testing.F) {
	for _, s := range []string{"error=true", `a="b c" d=e`, "x", `"`, "=", "a=\x1b[2J"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tags, err := ParseTags(s)
		if err == nil {
			for _, tag := range tags {
				if tag.Key == "" {
					t.Errorf("ParseTags(%q) gave an empty key", s)
				}
			}
		}
	})
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 0, "250ms": 250 * time.Millisecond, " 1.5s ": 1500 * time.Millisecond, "2m": 2 * time.Minute} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"10", "abc", "-1s", "1x"} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) accepted", in)
		}
	}
}

func TestParseRange(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, time.UTC) }
	for _, tc := range []struct {
		in         string
		lookback   time.Duration
		start, end time.Time
	}{
		{"90m", 90 * time.Minute, time.Time{}, time.Time{}},
		{"3d", 72 * time.Hour, time.Time{}, time.Time{}},
		{"1d12h", 36 * time.Hour, time.Time{}, time.Time{}},
		{"10:00 .. 10:30", 0, at(25, 10, 0), at(25, 10, 30)},
		{"10:00..10:30", 0, at(25, 10, 0), at(25, 10, 30)},
		{"2026-11-24 10:00 to 2026-11-24 11:00", 0, at(24, 10, 0), at(24, 11, 0)},
		{"2026-11-24", 0, at(24, 0, 0), now},
		{"2026-11-24T08:00:00Z..now", 0, at(24, 8, 0), now},
		{"2026-11-24 10:00 ..", 0, at(24, 10, 0), now},
	} {
		lb, s, e, err := ParseRange(tc.in, now)
		if err != nil || lb != tc.lookback || !s.Equal(tc.start) || !e.Equal(tc.end) {
			t.Errorf("ParseRange(%q) = %v %v %v %v; want %v %v %v", tc.in, lb, s, e, err, tc.lookback, tc.start, tc.end)
		}
	}
	for _, in := range []string{"", "yesterday", "10:30..10:00", "0m", "-5m", "2026-13-01", "99999d"} {
		if _, _, _, err := ParseRange(in, now); err == nil {
			t.Errorf("ParseRange(%q) accepted", in)
		}
	}
}

func TestParseLimit(t *testing.T) {
	if n, err := ParseLimit(""); n != 0 || err != nil {
		t.Errorf("empty limit: %d %v", n, err)
	}
	if n, err := ParseLimit("50"); n != 50 || err != nil {
		t.Errorf("50: %d %v", n, err)
	}
	for _, in := range []string{"0", "-1", "x", "1001"} {
		if _, err := ParseLimit(in); err == nil {
			t.Errorf("ParseLimit(%q) accepted", in)
		}
	}
}

func TestSpecQuery(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	s := Spec{Service: "orders", Lookback: time.Hour, Limit: 5, MinDuration: time.Second}
	q := s.Query(now)
	if !q.Start.Equal(now.Add(-time.Hour)) || !q.End.Equal(now) || q.Service != "orders" || q.Limit != 5 || q.MinDuration != time.Second {
		t.Errorf("query %+v", q)
	}
	// A refresh later slides the window.
	if q2 := s.Query(now.Add(time.Minute)); !q2.End.Equal(now.Add(time.Minute)) {
		t.Errorf("window did not slide: %v", q2.End)
	}
	fixed := Spec{Start: now.Add(-2 * time.Hour), End: now.Add(-time.Hour)}
	if q := fixed.Query(now.Add(time.Hour)); !q.End.Equal(now.Add(-time.Hour)) {
		t.Errorf("fixed window moved: %v", q.End)
	}
	if got := s.Describe(); got != "service=orders · last 1h · ≥1s" {
		t.Errorf("Describe = %q", got)
	}
}

func TestLookbackLabel(t *testing.T) {
	var got []string
	for _, d := range Lookbacks() {
		got = append(got, LookbackLabel(d))
	}
	if strings.Join(got, " ") != "5m 15m 30m 1h 2h 6h 12h 24h 2d 7d" {
		t.Errorf("labels %v", got)
	}
}
