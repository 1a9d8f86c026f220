package keymap

import (
	"strings"

	"charm.land/bubbles/v2/key"
)

// MarkdownTable renders every default binding as the README's key table, so
// that a test can keep the README in step with the code.
func MarkdownTable() string {
	km := DefaultKeyMap()
	groups := []struct {
		screen string
		help   [][]key.Binding
	}{
		{"everywhere", km.Global.FullHelp()},
		{"search form", km.Search.FullHelp()},
		{"trace list", km.List.FullHelp()},
		{"trace ID box", km.Lookup.FullHelp()},
		{"trace view", km.Trace.FullHelp()},
		{"help", km.Help.FullHelp()},
	}
	var b strings.Builder
	b.WriteString("| screen | keys | action |\n|---|---|---|\n")
	for _, g := range groups {
		seen := map[string]bool{}
		for _, col := range g.help {
			for _, kb := range col {
				h := kb.Help()
				if h.Key == "" || seen[h.Key+h.Desc] {
					continue
				}
				seen[h.Key+h.Desc] = true
				b.WriteString("| " + g.screen + " | `" + strings.ReplaceAll(h.Key, "|", "\\|") + "` | " + h.Desc + " |\n")
			}
		}
	}
	return b.String()
}
