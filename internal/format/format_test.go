package format

import (
	"math"
	"testing"
	"time"
	"unicode/utf8"
)

func TestDuration(t *testing.T) {
	for ns, want := range map[int64]string{
		0:                  "0",
		850:                "850ns",
		1_000:              "1µs",
		12_340:             "12.3µs",
		999_999:            "1ms",
		456_000_000:        "456ms",
		1_234_000_000:      "1.23s",
		10_500_000_000:     "10.5s",
		125_000_000_000:    "2m05s",
		11_040_000_000_000: "3h04m",
		-2_000_000:         "-2ms",
		math.MaxInt64:      "106751d",
		math.MinInt64:      "-∞",
	} {
		if got := Duration(ns); got != want {
			t.Errorf("Duration(%d) = %q, want %q", ns, got, want)
		}
	}
}

func TestAgo(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		0:                "just now",
		42 * time.Second: "42s ago",
		5 * time.Minute:  "5m ago",
		3 * time.Hour:    "3h ago",
		72 * time.Hour:   "3d ago",
		-5 * time.Minute: "in 5m",
		13 * day:         "13d ago",
		21 * day:         "3w ago",
		59 * day:         "8w ago",
		245 * day:        "8mo ago",
		364 * day:        "12mo ago",
		3766 * day:       "10y ago",
		-400 * day:       "in 1y",
	} {
		if got := Ago(now.Add(-d), now); got != want {
			t.Errorf("Ago(-%v) = %q, want %q", d, got, want)
		}
	}
}

const day = 24 * time.Hour

// The trace list gives Ago eight cells: every age, up to the widest a
// time.Duration holds, fits in them.
func TestAgoFitsEightCells(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for d := time.Duration(1); d > 0 && d < math.MaxInt64/2; d = d*3/2 + 1 {
		for _, sign := range []time.Duration{1, -1} {
			if got := Ago(now.Add(-sign*d), now); utf8.RuneCountInString(got) > 8 {
				t.Errorf("Ago(%v) = %q: wider than 8", sign*d, got)
			}
		}
	}
	if got := Ago(now.Add(-math.MaxInt64), now); utf8.RuneCountInString(got) > 8 {
		t.Errorf("Ago(max) = %q: wider than 8", got)
	}
}

func TestTimestamp(t *testing.T) {
	ns := time.Date(2026, 11, 25, 10, 0, 1, 123_456_789, time.UTC).UnixNano()
	if got := Timestamp(ns, time.UTC); got != "2026-11-25 10:00:01.123 UTC" {
		t.Fatal(got)
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{
		0: "0", 999: "999", 1000: "1,000", 12345: "12,345", 1_000_000: "1,000,000", -1234: "-1,234",
		math.MaxInt64: "9,223,372,036,854,775,807", math.MinInt64: "-9,223,372,036,854,775,808",
	} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCompact(t *testing.T) {
	for n, want := range map[int]string{
		0: "0", 999: "999", 1000: "1.0k", 1999: "1.9k", 12_345: "12k", 200_001: "200k", 999_999: "999k",
		1_000_000: "1.0M", 12_900_000: "12M", 1_000_000_000: "1.0G", -1500: "-1.5k",
		math.MaxInt64: "9.2E", math.MinInt64: "-9.2E",
	} {
		if got := Compact(n); got != want {
			t.Errorf("Compact(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestCountFit: a count is whole or compact, never cut (issue 14: a
// million spans showed as "1,000," and 200,001 as "2000…").
func TestCountFit(t *testing.T) {
	for _, c := range []struct {
		n, w int
		want string
	}{
		{1_000_000, 6, "1.0M"}, {1_000_000, 9, "1,000,000"}, {200_001, 5, "200k"}, {200_001, 6, "200001"}, {12_000, 5, "12000"}, {12_000, 4, "12k"},
		{12_000, 6, "12,000"}, {5, 1, "5"}, {123_456, 3, "123,456"},
	} {
		if got := CountFit(c.n, c.w); got != c.want {
			t.Errorf("CountFit(%d, %d) = %q, want %q", c.n, c.w, got, c.want)
		}
	}
}
