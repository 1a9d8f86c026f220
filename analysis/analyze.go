package analysis

import "github.com/tracetui/tracetui/backend"

// Analyze runs every analysis on a trace in its raw (unadjusted) times.
func Analyze(t *backend.Trace) *Analysis {
	return AnalyzeRest(BuildTree(t))
}

// AnalyzeRest completes the analysis of a tree built by BuildTree, so that a
// view can draw the tree first and fill in the rest when it is ready.
func AnalyzeRest(tree *Tree) *Analysis {
	a := &Analysis{Tree: tree}
	a.Self = SelfTimes(tree)
	a.Critical = ComputeCriticalPath(tree)
	a.Coverage = PathCoverage(tree, a.Critical)
	a.Stats = ComputeStats(tree, a.Self)
	a.Origins = FindErrorOrigins(tree)
	a.Skews = DetectSkew(tree)
	a.Warnings = append([]string{}, tree.Warnings...)
	a.Warnings = append(a.Warnings, SkewWarnings(tree, a.Skews)...)
	return a
}
