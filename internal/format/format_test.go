package format

import (
	"math"
	"testing"
	"time"
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
	} {
		if got := Ago(now.Add(-d), now); got != want {
			t.Errorf("Ago(-%v) = %q, want %q", d, got, want)
		}
	}
}

func TestTimestamp(t *testing.T) {
	ns := time.Date(2026, 11, 25, 10, 0, 1, 123_456_789, time.UTC).UnixNano()
	if got := Timestamp(ns, time.UTC); got != "2026-11-25 10:00:01.123 UTC" {
		t.Fatal(got)
	}
}
