package trace

// layout splits the view: header lines, then the axis row and the waterfall
// rows (with a pane beside them when wide, below them when narrow), then one
// footer line. Tiny terminals drop the header first.
type layout struct {
	headerH, axisH, footerH int
	wfW                     int // waterfall width
	rowsH                   int
	side                    bool // pane beside the waterfall
	paneW, paneH            int  // 0 when no pane
}

func (s *state) layout() layout {
	w, h := s.w, s.h
	var l layout
	switch {
	case h >= 8:
		l.headerH = 2
	case h >= 5:
		l.headerH = 1
	}
	if h >= 3 {
		l.footerH = 1
	}
	if h >= 4 {
		l.axisH = 1
	}
	mainH := max(h-l.headerH-l.footerH, 0)
	l.wfW = w
	l.rowsH = max(mainH-l.axisH, 0)
	if s.pane.kind == paneNone {
		return l
	}
	if w >= s.cfg.SidePaneWidth {
		l.side = true
		l.paneW = max(36, min(w*2/5, 80))
		l.wfW = w - l.paneW - 1
		l.paneH = mainH
		return l
	}
	l.paneW = w
	l.paneH = mainH / 2
	if mainH >= 6 {
		l.paneH = max(l.paneH, 3)
	}
	l.rowsH = max(mainH-l.axisH-l.paneH, 0)
	return l
}
