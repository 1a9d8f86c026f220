package main

import "testing"

// Screens as tmux captured them from tracetui 120×40 loading a 100,000-span
// trace from Jaeger (trailing blank lines cut).
const (
	testID      = "d3f6681a07168b0b1d7c90d1a983a81e"
	testService = "api-gateway"

	waitingScreen = `Trace d3f6681a07168b0b1d7c90d1a983a81e

  ⠙ Loading trace d3f6681a07168b0b1d7c90d1a983a81e from jaeger http://127.0.0.1:44957
    waiting for the backend · 0.0s

  esc cancels
`
	bytesScreen = `Trace d3f6681a07168b0b1d7c90d1a983a81e

  ⠹ Loading trace d3f6681a07168b0b1d7c90d1a983a81e from jaeger http://127.0.0.1:44957
    16.6 MiB · 5.5s
    ██████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░

  esc cancels
`
	analysingScreen = `Trace d3f6681a07168b0b1d7c90d1a983a81e

  ⠼ Loading trace d3f6681a07168b0b1d7c90d1a983a81e from jaeger http://127.0.0.1:44957
    68.7 MiB loaded · analysing… · 7.4s

  esc cancels
`
	frameScreen = `Trace d3f6681a07168b0b1d7c90d1a983a81e  api-gateway: POST /api/orders/import
2026-11-25 11:10:29.753 UTC (2m ago) · duration 1m03s · 100,000 spans · 676 errors · 6 services · depth 9
   service operation                                0                  20s                40s                        dur
>  ▾ api-gateway POST /api/orders/import            ▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒   1m02s
   └─▾ api-gateway POST /orders/import              ▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒   1m02s
row 1/3 · analysing…
`
	// The header alone, as a frame torn before the rows are drawn.
	headerOnly = `Trace d3f6681a07168b0b1d7c90d1a983a81e  api-gateway: POST /api/orders/import
2026-11-25 11:10:29.753 UTC (2m ago) · duration 1m03s · 100,000 spans · 676 errors · 6 services · depth 9
`
	// Another trace's view must not count.
	otherTrace = `Trace 00000000000000001e223ff1f80f1c69  api-gateway: GET /
>  ▾ api-gateway GET /                              ████████████████████████████████████████   12ms
`
)

func TestFirstFrame(t *testing.T) {
	for name, c := range map[string]struct {
		screen string
		want   bool
	}{
		"waiting":     {waitingScreen, false},
		"bytes":       {bytesScreen, false},
		"analysing":   {analysingScreen, false},
		"frame":       {frameScreen, true},
		"header only": {headerOnly, false},
		"other trace": {otherTrace, false},
		"empty":       {"", false},
	} {
		if got := firstFrame(c.screen, testID, testService); got != c.want {
			t.Errorf("%s: firstFrame = %v, want %v", name, got, c.want)
		}
	}
}

func TestFirstFrameShortID(t *testing.T) {
	// A 64-bit trace is shown by its 16 significant digits.
	screen := "Trace 1e223ff1f80f1c69  frontend: GET /\n>  ▾ frontend GET /   ███████   12ms\n"
	if !firstFrame(screen, "00000000000000001e223ff1f80f1c69", "frontend") {
		t.Error("64-bit trace ID not recognised")
	}
}

func TestProgressShown(t *testing.T) {
	for name, c := range map[string]struct {
		screen string
		want   bool
	}{
		"waiting":   {waitingScreen, false},
		"bytes":     {bytesScreen, true},
		"analysing": {analysingScreen, true},
		"spans":     {"  Loading trace 1e22\n    41,000 of 100,000 spans · 1.2s\n", true},
		"elapsed":   {"  Loading trace 1e22\n    1.2s\n", false},
	} {
		if got := progressShown(c.screen); got != c.want {
			t.Errorf("%s: progressShown = %v, want %v", name, got, c.want)
		}
	}
}
