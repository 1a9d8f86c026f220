package style

import (
	"testing"

	"charm.land/lipgloss/v2"
)

// TestPaintsEqualTheirStyles: every precomputed paint writes exactly what
// its style renders, on both backgrounds.
func TestPaintsEqualTheirStyles(t *testing.T) {
	for _, dark := range []bool{true, false} {
		s := New(dark)
		rev := func(st lipgloss.Style) lipgloss.Style { return st.Reverse(true) }
		pairs := map[string]struct {
			p  Paint
			st lipgloss.Style
		}{
			"err": {s.P.Err, s.Error}, "errSel": {s.P.ErrSel, rev(s.Error)}, "warning": {s.P.Warning, s.Warning},
			"skew": {s.P.Skew, s.Skew}, "dim": {s.P.Dim, s.Dim}, "dimSel": {s.P.DimSel, rev(s.Dim)},
			"selected": {s.P.Selected, s.Selected}, "match": {s.P.Match, s.Match},
			"matchSel": {s.P.MatchSel, rev(s.Match)}, "bold": {s.P.Bold, s.Bold},
			"traceTitle": {s.P.TraceTitle, s.TraceTitle}, "paneTitle": {s.P.PaneTitle, s.PaneTitle},
			"paneKey": {s.P.PaneKey, s.PaneKey},
		}
		for k, st := range s.Services {
			pairs["service"+string(rune('0'+k))] = struct {
				p  Paint
				st lipgloss.Style
			}{s.P.Services[k], st}
			pairs["serviceSel"+string(rune('0'+k))] = struct {
				p  Paint
				st lipgloss.Style
			}{s.P.ServicesSel[k], rev(st)}
		}
		for name, c := range pairs {
			texts := []string{"x", "payment-service", "▒▒█"}
			if c.st.GetUnderline() {
				// Lip Gloss underlines rune by rune (so that spaces can be
				// left out); the paint underlines the run at once, which
				// shows the same. Compare on one cell.
				texts = texts[:1]
			}
			for _, text := range texts {
				if got, want := c.p.S(text), c.st.Render(text); got != want {
					t.Errorf("dark %v, %s: paint %q, style %q", dark, name, got, want)
				}
			}
			if c.p.S("") != "" {
				t.Errorf("%s paints empty text", name)
			}
		}
	}
}

// TestPaletteKeepsItsIndex: both backgrounds have as many service colours,
// so that a service's palette index does not depend on the background.
func TestPaletteKeepsItsIndex(t *testing.T) {
	if d, l := len(New(true).Services), len(New(false).Services); d != l || d < 8 {
		t.Errorf("palettes of %d and %d colours", d, l)
	}
}
