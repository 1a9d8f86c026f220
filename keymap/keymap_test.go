package keymap

import (
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func TestDefaultsHaveNoConflicts(t *testing.T) {
	for _, c := range DefaultKeyMap().Conflicts() {
		t.Errorf("default key map: %v", c)
	}
}

func TestEveryBindingHasHelpAndKeys(t *testing.T) {
	for _, b := range DefaultKeyMap().Bindings() {
		if len(b.Keys) == 0 || b.Help.Key == "" || b.Help.Desc == "" || !b.Enabled {
			t.Errorf("%s: keys %q help %+v enabled %v", b.Name, b.Keys, b.Help, b.Enabled)
		}
	}
}

// helpSet collects the bindings a help view shows, by their help text.
func helpSet(groups [][]key.Binding) map[key.Help]bool {
	out := map[key.Help]bool{}
	for _, g := range groups {
		for _, b := range g {
			out[b.Help()] = true
		}
	}
	return out
}

// The full help of each screen must list every binding of that screen:
// issue 4 promises `?` shows all of them.
func TestFullHelpListsEveryBinding(t *testing.T) {
	km := DefaultKeyMap()
	full := map[string]map[key.Help]bool{
		"global": helpSet(km.Global.FullHelp()),
		"search": helpSet(km.Search.FullHelp()),
		"list":   helpSet(km.List.FullHelp()),
		"lookup": helpSet(km.Lookup.FullHelp()),
		"help":   helpSet(km.Help.FullHelp()),
		"trace":  helpSet(km.Trace.FullHelp()),

		"compare": helpSet(km.Compare.FullHelp()),
		"across":  helpSet(km.Across.FullHelp()),
	}
	for _, b := range km.Bindings() {
		screen, _, _ := strings.Cut(b.Name, ".")
		if !full[screen][b.Help] {
			t.Errorf("%s (%q) is missing from the %s full help", b.Name, b.Help.Key, screen)
		}
	}
}

func TestBindingNames(t *testing.T) {
	var names []string
	for _, b := range DefaultKeyMap().Bindings() {
		names = append(names, b.Name)
	}
	for _, want := range []string{"global.quit", "global.force_quit", "global.lookup", "list.refresh", "list.sort_back",
		"list.filter_accept", "search.next_field", "lookup.older", "help.close", "trace.critical_pane", "trace.up"} {
		if !slices.Contains(names, want) {
			t.Errorf("binding %q not listed; have %v", want, names)
		}
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"Quit": "quit", "SortBack": "sort_back", "PageUp": "page_up", "ForceQuit": "force_quit",
		"NextCritical": "next_critical", "HTTPCode": "http_code", "Up": "up",
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}

func press(s string) tea.KeyPressMsg {
	switch s {
	case "ctrl+r":
		return tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func TestApplyOverride(t *testing.T) {
	km := DefaultKeyMap()
	if err := km.Apply(map[string][]string{"list.refresh": {"ctrl+r"}, "List.SortBack": {"B"}}); err != nil {
		t.Fatal(err)
	}
	if !key.Matches(press("ctrl+r"), km.List.Refresh) {
		t.Error("ctrl+r does not refresh after the override")
	}
	if key.Matches(press("r"), km.List.Refresh) {
		t.Error("r still refreshes after the override replaced it")
	}
	if got := km.List.Refresh.Help(); got.Key != "ctrl+r" || got.Desc != "refresh" {
		t.Errorf("help after override = %+v", got)
	}
	if !key.Matches(press("B"), km.List.SortBack) {
		t.Error("override by camel-case name not applied")
	}
	// Other bindings keep their defaults.
	if !key.Matches(press("s"), km.List.Sort) {
		t.Error("list.sort lost its default")
	}
}

func TestApplyEmptyDisables(t *testing.T) {
	km := DefaultKeyMap()
	if err := km.Apply(map[string][]string{"list.copy": {}}); err != nil {
		t.Fatal(err)
	}
	if km.List.Copy.Enabled() || key.Matches(press("y"), km.List.Copy) {
		t.Error("an empty key list should turn the binding off")
	}
	for _, b := range km.List.FullHelp() {
		for _, kb := range b {
			if kb.Enabled() && kb.Help().Desc == "copy trace ID" {
				t.Error("a disabled binding should not be shown as enabled in help")
			}
		}
	}
}

func TestApplyErrors(t *testing.T) {
	km := DefaultKeyMap()
	err := km.Apply(map[string][]string{
		"list.refrsh": {"x"},
		"nope":        {"x"},
		"list.open":   {""},
		"list.top":    {"a b"},
		"list.sort":   {"o"},
	})
	if err == nil {
		t.Fatal("no error for unknown names and invalid keys")
	}
	msg := err.Error()
	for _, want := range []string{`"list.refrsh"`, `"nope"`, `list.open: invalid key ""`, `list.top: invalid key "a b"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %s", msg, want)
		}
	}
	if strings.Contains(msg, "list.sort") {
		t.Errorf("valid override reported: %q", msg)
	}
	if !key.Matches(press("o"), km.List.Sort) {
		t.Error("valid override not applied next to invalid ones")
	}
	if !key.Matches(press("enter"), km.List.Open) {
		t.Error("an invalid override must leave the default")
	}
}

func TestConflicts(t *testing.T) {
	for _, tc := range []struct {
		name      string
		overrides map[string][]string
		want      []string // "screen key a b"
	}{
		{"within a screen", map[string][]string{"list.refresh": {"s"}}, []string{"list s list.sort list.refresh"}},
		{"with global", map[string][]string{"list.refresh": {"q"}}, []string{"list q global.quit list.refresh"}},
		{"global reaches every screen", map[string][]string{"global.quit": {"j"}},
			[]string{"list j global.quit list.down", "trace j global.quit trace.down", "compare j global.quit compare.down"}},
		{"trace screen", map[string][]string{"trace.zoom_in": {"c"}}, []string{"trace c trace.zoom_in trace.critical_pane"}},
		{"disabled binding frees its key", map[string][]string{"list.sort": {}, "list.refresh": {"s"}}, nil},
		{"other screens are independent", map[string][]string{"search.reload": {"r"}}, nil},
		{"contextual pair is fine", map[string][]string{"list.filter_accept": {"enter"}}, nil},
		{"contextual pair plus a third is not", map[string][]string{"list.refresh": {"enter"}},
			[]string{"list enter list.open list.refresh list.filter_accept"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			km := DefaultKeyMap()
			if err := km.Apply(tc.overrides); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range km.Conflicts() {
				got = append(got, c.Screen+" "+c.Key+" "+strings.Join(c.Bindings, " "))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("conflicts = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFromConfig(t *testing.T) {
	km, err := FromConfig(nil)
	if err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if !key.Matches(press("q"), km.Global.Quit) {
		t.Error("defaults not loaded")
	}
	_, err = FromConfig(map[string][]string{"list.refresh": {"s"}, "bogus.x": {"y"}})
	if err == nil {
		t.Fatal("want an error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one line per problem, got %q", lines)
	}
	if !strings.Contains(err.Error(), `key "s" is bound to list.sort and list.refresh on the list screen`) {
		t.Errorf("conflict not explained: %q", err)
	}
}
