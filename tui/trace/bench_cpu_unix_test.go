//go:build unix

package trace

import (
	"syscall"
	"time"
)

// cpuTime is the process's user and system CPU time so far: on a shared,
// loaded machine wall time per key says more about the neighbours than
// about the key, so the big-trace benchmarks report CPU time too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
