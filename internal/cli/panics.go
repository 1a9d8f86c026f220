package cli

import (
	"runtime/debug"
	"sync/atomic"
)

// goroutinePanic carries a panic from a command's goroutine (a fetch
// worker, one side of a diff) to the command's own goroutine, with the
// stack where it happened. Main's recover sees panics of its own goroutine
// only: one in another goroutine ends the process with Go's raw stack on
// stderr and no crash report.
type goroutinePanic struct {
	value any
	stack []byte
}

// panicCatcher keeps the first panic of a command's goroutines.
type panicCatcher struct {
	first atomic.Pointer[goroutinePanic]
	// onPanic, when set, runs after a panic is caught (cancelling the
	// work, so that the goroutines still running do not wait for the one
	// that died).
	onPanic func()
}

// catch is deferred at the top of a goroutine; it must be the deferred
// function itself for recover to see the panic.
func (c *panicCatcher) catch() {
	v := recover()
	if v == nil {
		return
	}
	c.first.CompareAndSwap(nil, &goroutinePanic{value: v, stack: debug.Stack()})
	if c.onPanic != nil {
		c.onPanic()
	}
}

// rethrow raises the caught panic, if any, in the caller's goroutine, once
// the goroutines are done.
func (c *panicCatcher) rethrow() {
	if p := c.first.Load(); p != nil {
		panic(p)
	}
}
