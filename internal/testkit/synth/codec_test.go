package synth

import (
	"errors"
	"fmt"
	"testing"

	"github.com/tracetui/tracetui/backend"
)

// recorder counts Errorf calls instead of failing the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestWantDecodeError(t *testing.T) {
	in := "0123456789"
	for _, c := range []struct {
		name string
		err  error
		fail bool
	}{
		{"inside", &backend.Error{Kind: backend.DecodeError, Offset: 4}, false},
		{"at end", &backend.Error{Kind: backend.DecodeError, Offset: 10}, false},
		{"nil", nil, true},
		{"untyped", errors.New("x"), true},
		{"other kind", &backend.Error{Kind: backend.NotFound, Offset: 1}, true},
		{"negative", &backend.Error{Kind: backend.DecodeError, Offset: -1}, true},
		{"past end", &backend.Error{Kind: backend.DecodeError, Offset: 11}, true},
	} {
		r := &recorder{TB: t}
		WantDecodeError(r, c.name, in, c.err)
		if failed := len(r.errs) > 0; failed != c.fail {
			t.Errorf("%s: failed %v (%q), want %v", c.name, failed, r.errs, c.fail)
		}
	}
}
