package keymap

import (
	"reflect"
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// traceBindings lists every binding of t by field name.
func traceBindings(t Trace) map[string]key.Binding {
	out := map[string]key.Binding{}
	v := reflect.ValueOf(t)
	for i := range v.NumField() {
		out[v.Type().Field(i).Name] = v.Field(i).Interface().(key.Binding)
	}
	return out
}

func TestDefaultTraceBindings(t *testing.T) {
	tr := DefaultTrace()
	all := traceBindings(tr)
	// Keys that mean something else when a pane has focus or while the
	// search is typed may share a key with a waterfall binding; nothing
	// else may.
	paneOnly := map[string]bool{"Select": true, "SortColumn": true, "SearchAccept": true, "SearchCancel": true}
	seen := map[string]string{}
	for name, b := range all {
		if len(b.Keys()) == 0 || b.Help().Key == "" || b.Help().Desc == "" {
			t.Errorf("%s has no keys or help", name)
		}
		if paneOnly[name] {
			continue
		}
		for _, k := range b.Keys() {
			if other, ok := seen[k]; ok {
				t.Errorf("key %q bound to both %s and %s", k, other, name)
			}
			seen[k] = name
		}
	}
	// Every binding is reachable from the full help.
	inHelp := map[string]bool{}
	for _, col := range tr.FullHelp() {
		for _, b := range col {
			inHelp[b.Help().Key+b.Help().Desc] = true
		}
	}
	for name, b := range all {
		if !inHelp[b.Help().Key+b.Help().Desc] {
			t.Errorf("%s is missing from FullHelp", name)
		}
	}
	if len(tr.ShortHelp()) == 0 || len(tr.ShortHelp()) > 10 {
		t.Errorf("short help has %d bindings", len(tr.ShortHelp()))
	}
	// Habits the issue asks for.
	for k, want := range map[string]string{
		"j": "Down", "down": "Down", "k": "Up", "g": "Top", "G": "Bottom", "/": "Search", "n": "NextMatch",
		"N": "PrevMatch", "esc": "Back", "c": "CriticalPane", "s": "ServicePane", "e": "ErrorOrigin",
		"]": "NextCritical", "[": "PrevCritical", "z": "ZoomIn", "Z": "ZoomOut", "a": "Skew", "d": "Detail",
		"enter": "Detail", "y": "Copy", "tab": "FocusPane", "space": "Toggle", "h": "Collapse", "l": "Expand",
		"pgdown": "PageDown", "ctrl+d": "PageDown", "ctrl+u": "PageUp", "R": "Reroot", "3": "Depth",
	} {
		if seen[k] != want {
			t.Errorf("key %q is %q, want %q", k, seen[k], want)
		}
	}
}

// At 80 columns the shell gives the screen's short help about 60 cells
// (the rest holds "? help • q quit"): the keys of the on-call flow must be
// among what shows, with no item cut.
func TestTraceShortHelpFits80(t *testing.T) {
	tr := DefaultTrace()
	h := help.New()
	h.SetWidth(80 - len("? help • q quit") - 3)
	line := ansi.Strip(h.ShortHelpView(tr.ShortHelp()))
	for _, want := range []string{"enter/d detail", "e error origin", "c critical", "s services"} {
		if !strings.Contains(line, want) {
			t.Errorf("short help %q lacks %q", line, want)
		}
	}
	pane := ansi.Strip(h.ShortHelpView(tr.PaneShortHelp()))
	for _, want := range []string{"enter select", "y copy", "tab waterfall", "esc close"} {
		if !strings.Contains(pane, want) {
			t.Errorf("pane short help %q lacks %q", pane, want)
		}
	}
	// The pane help leaves room for the shell's " • : trace ID".
	if w := ansi.StringWidth(pane); w > 62-ansi.StringWidth(" • : trace ID") {
		t.Errorf("pane short help is %d cells: %q", w, pane)
	}
	for _, l := range []string{line, pane} {
		if w := ansi.StringWidth(l); w > 62 {
			t.Errorf("short help is %d cells: %q", w, l)
		}
	}
	// Overrides show in the short help too.
	tr.CriticalPane.SetKeys("P")
	tr.CriticalPane.SetHelp("P", tr.CriticalPane.Help().Desc)
	if got := tr.ShortHelp()[2].Help(); got.Key != "P" || got.Desc != "critical" {
		t.Errorf("overridden critical-path help %+v", got)
	}
}
