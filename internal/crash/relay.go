package crash

import (
	"fmt"
	"runtime/debug"
	"sync/atomic"
)

// Relayed is a panic caught in one goroutine (a fetch or search worker, one
// side of a diff) and raised again in the goroutine that waits for it, with
// the stack where it happened: a recover sees panics of its own goroutine
// only, and one in another goroutine ends the process with Go's raw stack
// and no crash report. Write takes the stack from it.
type Relayed struct {
	Value any
	Stack []byte
}

func (p *Relayed) String() string {
	return fmt.Sprintf("%v\n\npanicked in a worker goroutine:\n%s", p.Value, p.Stack)
}

// Catcher keeps the first panic of a group of goroutines for Rethrow.
type Catcher struct {
	first atomic.Pointer[Relayed]
	// OnPanic, when set, runs after a panic is caught (cancelling the
	// work, so that the goroutines still running do not wait for the one
	// that died).
	OnPanic func()
}

// Catch is deferred at the top of each goroutine; it must be the deferred
// function itself for recover to see the panic.
func (c *Catcher) Catch() {
	v := recover()
	if v == nil {
		return
	}
	c.first.CompareAndSwap(nil, &Relayed{Value: v, Stack: debug.Stack()})
	if c.OnPanic != nil {
		c.OnPanic()
	}
}

// Caught reports whether a panic was caught.
func (c *Catcher) Caught() bool { return c.first.Load() != nil }

// Rethrow raises the caught panic, if any, in the caller's goroutine, once
// the goroutines are done.
func (c *Catcher) Rethrow() {
	if p := c.first.Load(); p != nil {
		panic(p)
	}
}
