// Package present is the presentation layer that `show` (internal/report)
// and the TUI both paint: the marks and glyphs of a waterfall, one palette
// index per service name, the bars of spans on a time axis, the rows of the
// critical path (in time order and by span) and of the service and
// operation tables, and the arithmetic they share (shares, saturated sums).
// It decides what is shown; its callers decide how it looks (styles live in
// internal/style) and cut it to their width.
//
// Pure Go: no I/O, no Bubble Tea, no styles. Everything here is a function
// of its arguments; rows are plain values (value semantics throughout).
package present

import (
	"hash/fnv"
	"math"
	"strconv"
)

// Marks and glyphs, the same in `show` and the TUI. Critical parts of a bar
// use a different glyph, not only a different colour, so that they show
// with NO_COLOR too.
const (
	// ErrorMark marks a span with an error.
	ErrorMark = "✗"
	// SkewMark marks a span whose clock is skewed against its parent's.
	SkewMark = "~"
	// LogMark marks a span that has application log lines (--logs): three
	// lines of text, unlike the error cross and the skew tilde.
	LogMark = "≡"
	// BarGlyph draws a span's time off the critical path, CriticalGlyph its
	// time on it.
	BarGlyph      = "▒"
	CriticalGlyph = "█"
	// BeforeGlyph and AfterGlyph stand for a span outside the axis, to the
	// left or to the right (a zoomed view).
	BeforeGlyph = "◂"
	AfterGlyph  = "▸"
	// FoldedMark, OpenMark, LeafMark and RootLeafMark precede a tree row:
	// folded, unfolded, no children, a root without children.
	FoldedMark   = "▸"
	OpenMark     = "▾"
	LeafMark     = "─"
	RootLeafMark = "•"
)

// Tree guides, two cells each: a vertical line, a blank, and the branch to
// a child that has siblings below it or is the last.
const (
	GuideLine   = "│ "
	GuideBlank  = "  "
	GuideBranch = "├─"
	GuideLast   = "└─"
)

// Hue is a hash of a service's name: its colour follows the name across
// traces, sessions and commands, whatever else is in the trace.
func Hue(service string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(service))
	return h.Sum32()
}

// PaletteIndex is the palette entry of a hue in a palette of n colours (0
// when n is 0): one index per service name, in `show` and in the TUI.
func PaletteIndex(hue uint32, n int) int {
	if n <= 0 {
		return 0
	}
	return int(hue % uint32(n))
}

// Percent writes part as a share of whole with one decimal, "12.3%", or
// "-" when whole is not positive (there is nothing to be a share of).
func Percent(part, whole int64) string {
	if whole <= 0 {
		return "-"
	}
	return strconv.FormatFloat(100*float64(part)/float64(whole), 'f', 1, 64) + "%"
}

// Add is a + b saturated at the int64 limits: hostile traces put times at
// both ends of the range, where plain sums wrap around.
func Add(a, b int64) int64 {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		if b > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return s
}

// Sub is a - b saturated at the int64 limits.
func Sub(a, b int64) int64 {
	d := a - b
	if (b < 0 && d < a) || (b > 0 && d > a) {
		if b < 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return d
}

// SpanEnd is start + duration saturated, a negative duration counting as
// zero: the end a bar is drawn to.
func SpanEnd(start, duration int64) int64 { return Add(start, max(duration, 0)) }
