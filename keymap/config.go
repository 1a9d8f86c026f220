package keymap

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
)

// Binding is one named binding, for listings (README key table, help, config
// documentation).
type Binding struct {
	// Name is "screen.field", e.g. "list.refresh".
	Name    string
	Keys    []string
	Help    key.Help
	Enabled bool
}

// Bindings lists every binding of the key map in declaration order.
func (km KeyMap) Bindings() []Binding {
	var out []Binding
	km.walk(func(screen, field string, b *key.Binding) {
		out = append(out, Binding{
			Name: screen + "." + field, Keys: slices.Clone(b.Keys()), Help: b.Help(), Enabled: b.Enabled(),
		})
	})
	return out
}

// walk calls fn for every binding of every screen. The pointer lets Apply
// change the binding in place; screen and field names are snake case.
func (km *KeyMap) walk(fn func(screen, field string, b *key.Binding)) {
	bindingType := reflect.TypeFor[key.Binding]()
	root := reflect.ValueOf(km).Elem()
	for i := range root.NumField() {
		group := root.Field(i)
		screen := snake(root.Type().Field(i).Name)
		for j := range group.NumField() {
			f := group.Field(j)
			if f.Type() != bindingType {
				continue
			}
			fn(screen, snake(group.Type().Field(j).Name), f.Addr().Interface().(*key.Binding))
		}
	}
}

// Apply sets the keys of the bindings named in overrides, e.g.
// {"list.refresh": ["ctrl+r"]}. Names match in any case, with or without
// underscores ("list.sort_back", "list.sortBack"). An empty key list turns a
// binding off. The help line shows the new keys. Unknown names and empty key
// names are errors; the other overrides are still applied.
func (km *KeyMap) Apply(overrides map[string][]string) error {
	found := make(map[string]bool, len(overrides))
	byNorm := make(map[string]string, len(overrides))
	var errs []error
	names := slices.Sorted(maps.Keys(overrides))
	for _, name := range names {
		n := normName(name)
		if prev, dup := byNorm[n]; dup {
			errs = append(errs, fmt.Errorf("keymap: %q and %q name the same binding", prev, name))
			continue
		}
		byNorm[n] = name
	}
	km.walk(func(screen, field string, b *key.Binding) {
		name, ok := byNorm[normName(screen+"."+field)]
		if !ok {
			return
		}
		found[name] = true
		keys := overrides[name]
		for _, k := range keys {
			if k != " " && (strings.TrimSpace(k) == "" || strings.ContainsFunc(k, unicode.IsSpace)) {
				errs = append(errs, fmt.Errorf("keymap: %s: invalid key %q", name, k))
				return
			}
		}
		if len(keys) == 0 {
			b.SetEnabled(false)
			return
		}
		keys = slices.Clone(keys)
		for i, k := range keys {
			if k == " " {
				keys[i] = "space"
			}
		}
		b.SetKeys(keys...)
		b.SetEnabled(true)
		b.SetHelp(helpKeys(keys), b.Help().Desc)
	})
	for _, name := range names {
		if !found[name] && byNorm[normName(name)] == name {
			errs = append(errs, fmt.Errorf("keymap: unknown binding %q (names look like %q)", name, "list.refresh"))
		}
	}
	return errors.Join(errs...)
}

// Conflict is one key that two or more bindings of a screen share.
type Conflict struct {
	Screen   string
	Key      string
	Bindings []string
}

func (c Conflict) Error() string {
	return fmt.Sprintf("keymap: key %q is bound to %s on the %s screen", c.Key, strings.Join(c.Bindings, " and "), c.Screen)
}

// sharedOK lists bindings that share a key on purpose because they are never
// live at the same time: the list's filter keys and the trace view's search
// keys act only while the filter or the search is typed, and the trace
// view's Select acts in a pane while Detail acts in the waterfall.
func sharedOK(a, b string) bool {
	pairs := [][2]string{
		{"list.open", "list.filter_accept"},
		{"list.back", "list.filter_cancel"},
		{"trace.detail", "trace.select"},
		{"trace.detail", "trace.search_accept"},
		{"trace.select", "trace.search_accept"},
		{"trace.back", "trace.search_cancel"},
		{"compare.open_a", "compare.submit"},
		{"compare.back", "compare.cancel"},
	}
	for _, p := range pairs {
		if (p[0] == a && p[1] == b) || (p[0] == b && p[1] == a) {
			return true
		}
	}
	return false
}

// allShared reports whether the bindings that share a key may share it:
// every pair of them does so on purpose (sharedOK); one binding alone is
// no conflict.
func allShared(names []string) bool {
	for i := range names {
		for j := i + 1; j < len(names); j++ {
			if !sharedOK(names[i], names[j]) {
				return false
			}
		}
	}
	return true
}

// withGlobal says which screens see the global bindings: the help overlay
// and the lookup box take every key themselves (apart from ctrl+c).
func withGlobal(screen string) bool {
	return screen == "search" || screen == "list" || screen == "trace" || screen == "compare"
}

// Conflicts lists every key bound twice on one screen, counting the global
// bindings on the screens they reach. Disabled bindings do not count.
func (km KeyMap) Conflicts() []Conflict {
	type entry struct{ key, name string }
	byScreen := map[string][]entry{}
	var globals []entry
	var screens []string
	km.walk(func(screen, field string, b *key.Binding) {
		if !slices.Contains(screens, screen) && screen != "global" {
			screens = append(screens, screen)
		}
		if !b.Enabled() {
			return
		}
		for _, k := range b.Keys() {
			e := entry{k, screen + "." + field}
			if screen == "global" {
				globals = append(globals, e)
			} else {
				byScreen[screen] = append(byScreen[screen], e)
			}
		}
	})
	var out []Conflict
	for _, screen := range screens {
		entries := byScreen[screen]
		if withGlobal(screen) {
			entries = append(slices.Clone(globals), entries...)
		}
		names := map[string][]string{}
		var order []string
		for _, e := range entries {
			if !slices.Contains(names[e.key], e.name) {
				if names[e.key] == nil {
					order = append(order, e.key)
				}
				names[e.key] = append(names[e.key], e.name)
			}
		}
		for _, k := range order {
			n := names[k]
			if allShared(n) {
				continue
			}
			out = append(out, Conflict{Screen: screen, Key: k, Bindings: n})
		}
	}
	return out
}

// FromConfig returns the default key map with the overrides applied, or an
// error listing every unknown name, invalid key and conflict (one per line),
// for the caller to print at start-up.
func FromConfig(overrides map[string][]string) (KeyMap, error) {
	km := DefaultKeyMap()
	var errs []error
	if err := km.Apply(overrides); err != nil {
		errs = append(errs, err)
	}
	for _, c := range km.Conflicts() {
		errs = append(errs, c)
	}
	return km, errors.Join(errs...)
}

// snake turns a Go field name into the binding name: "SortBack" → "sort_back".
func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func normName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// helpKeys is the key column of the help for an overridden binding.
func helpKeys(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		switch k {
		case "up":
			k = "↑"
		case "down":
			k = "↓"
		case "left":
			k = "←"
		case "right":
			k = "→"
		case "pgdown":
			k = "pgdn"
		}
		out[i] = k
	}
	return strings.Join(out, "/")
}
