package analysis

import (
	"strconv"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time. The benchmark machine is
// shared, so wall time per op is noisy; CPU time per op (reported as
// cpu-ns/op, GC work included) is the number to compare with the budget.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkAnalyze measures what the budget covers: tree, self time,
// critical path and statistics together.
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{1000, 10_000, 100_000} {
		tr := genRealistic(n, 42)
		b.Run("spans="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			c := cpuTime()
			for b.Loop() {
				tree := BuildTree(tr)
				self := SelfTimes(tree)
				_ = ComputeCriticalPath(tree)
				_ = ComputeStats(tree, self)
			}
			reportCPU(b, c)
		})
	}
}

// BenchmarkAnalyzeAll adds error origins and skew detection (Analyze).
func BenchmarkAnalyzeAll(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		tr := genRealistic(n, 42)
		b.Run("spans="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			c := cpuTime()
			for b.Loop() {
				_ = Analyze(tr)
			}
			reportCPU(b, c)
		})
	}
}

// BenchmarkStages splits the 100,000-span cost by function.
func BenchmarkStages(b *testing.B) {
	tr := genRealistic(100_000, 42)
	tree := BuildTree(tr)
	self := SelfTimes(tree)
	stages := []struct {
		name string
		f    func()
	}{
		{"BuildTree", func() { BuildTree(tr) }},
		{"SelfTimes", func() { SelfTimes(tree) }},
		{"CriticalPath", func() { ComputeCriticalPath(tree) }},
		{"Stats", func() { ComputeStats(tree, self) }},
		{"ErrorOrigins", func() { FindErrorOrigins(tree) }},
		{"DetectSkew", func() { DetectSkew(tree) }},
		{"Search", func() { Search(tree, "items/99 boom -component") }},
	}
	for _, s := range stages {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			c := cpuTime()
			for b.Loop() {
				s.f()
			}
			reportCPU(b, c)
		})
	}
}

// BenchmarkBuildTree is the span tree alone, what stands between a decoded
// trace and its first waterfall frame, up to a million spans.
func BenchmarkBuildTree(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		tr := genRealistic(n, 42)
		b.Run("spans="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			c := cpuTime()
			for b.Loop() {
				BuildTree(tr)
			}
			reportCPU(b, c)
		})
	}
}

// BenchmarkAnalyzeSkewed is a trace where half the spans are skewed (a
// parent on one host, 50,000 children on another starting before it, each
// with a same-host child): the warnings must cost a summary, not a string
// per span.
func BenchmarkAnalyzeSkewed(b *testing.B) {
	tr := skewedFan(50_000)
	b.ReportAllocs()
	c := cpuTime()
	for b.Loop() {
		Analyze(tr)
	}
	reportCPU(b, c)
}
