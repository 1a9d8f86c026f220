package keymap

import (
	"strings"
)

// MarkdownTable renders every default binding as the README's key table,
// with the name the config file uses to rebind it, so that a test can keep
// the README in step with the code.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| keys | action | config name |\n|---|---|---|\n")
	screen := ""
	for _, kb := range DefaultKeyMap().Bindings() {
		s, _, _ := strings.Cut(kb.Name, ".")
		if s != screen {
			screen = s
			b.WriteString("| **" + screenTitle(s) + "** | | |\n")
		}
		keys := kb.Help.Key
		if keys == "" {
			keys = strings.Join(kb.Keys, "/")
		}
		b.WriteString("| `" + strings.ReplaceAll(keys, "|", "\\|") + "` | " + kb.Help.Desc + " | `" + kb.Name + "` |\n")
	}
	return b.String()
}

func screenTitle(s string) string {
	switch s {
	case "global":
		return "everywhere"
	case "search":
		return "search form"
	case "list":
		return "trace list"
	case "lookup":
		return "trace ID box"
	case "help":
		return "help overlay"
	case "trace":
		return "trace view"
	case "compare":
		return "comparison"
	case "across":
		return "analysis across traces"
	}
	return s
}
