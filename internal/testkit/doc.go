// Package testkit holds tooling that exists only for tests, benchmarks and
// scripts, never for the shipped binary (a test in the module root checks
// that the binary imports none of it):
//
//	hostile      the hostile-data corpus and its assertions
//	jaegertest   the real-Jaeger harness (and cmd/buildjaeger, the pinned build)
//	zipkintest   an in-process server that follows the Zipkin v2 API
//	synth        synthetic traces for decoder tests and benchmarks
//	gentrace     a command that writes generated traces of any size
//	logsynth     application log lines for traces' spans, in every trace-ID spelling
//	genlogs      a command that writes them for a trace file (for trying --logs)
//	benchjaeger  the program behind scripts/bench-jaeger
//	benchframe   the TUI's first frame and peak RSS on a file, for scripts/bench-big
//	fakebackend  a scripted backend.Backend for TUI tests
//	keytest      key-press helpers for TUI tests
//	tools        the Go module that pins the Jaeger version the tests run
package testkit
