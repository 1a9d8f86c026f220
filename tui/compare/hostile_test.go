package compare

import (
	"testing"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/internal/testkit/hostile"
)

// Every small case of the hostile corpus compared with itself and with
// the demo's checkout: the screen holds no escape sequence but its own
// styles, and every line fits, in tree order and sorted, at 80 and 40
// columns.
func TestHostileTraces(t *testing.T) {
	checkout := demoTrace(t, "5cafc3220cf07b817456bdccb5115d5a")
	for _, c := range hostile.Small() {
		t.Run(c.Name, func(t *testing.T) {
			for _, b := range []*backend.Trace{c.Trace, checkout} {
				for _, w := range []int{80, 40} {
					m := newModel(t, c.Trace, b, w, 20)
					for _, keys := range [][]string{nil, {"s"}, {"]", "G"}} {
						m, _ = press(t, m, keys...)
						v := m.View()
						hostile.AssertSafeStyled(t, v)
						checkFits(t, v, w, 20)
					}
				}
			}
		})
	}
}
