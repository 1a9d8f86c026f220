package analysis_test

import (
	"fmt"
	"time"

	"github.com/tracetui/tracetui/analysis"
	"github.com/tracetui/tracetui/backend/demo"
)

// A view adds traces as they arrive (off its UI loop) and asks for a result
// whenever it wants to redraw; changing the selection is another Result.
func ExampleAcross() {
	x := analysis.NewAcross()
	for seed := int64(1); seed <= 20; seed++ {
		x.Add(demo.Generate(200, seed, time.Unix(1_800_000_000, 0)))
	}
	r := x.Result(analysis.DefaultSelection())
	fmt.Println(r.Traces, "traces,", len(r.Selected), "selected")
	top := r.Operations[0]
	fmt.Println("largest increase:", top.Service, top.Operation, top.Avg[analysis.SideA] > top.Avg[analysis.SideB])
	errs := x.Result(analysis.Selection{Kind: analysis.SelectErrors})
	fmt.Println(len(errs.Selected)+len(errs.Baseline) == errs.Traces)
	// Output:
	// 20 traces, 2 selected
	// largest increase: order-service order.Import true
	// true
}

// Two traces on one calling-context tree, the largest critical-path
// increase first.
func ExampleCompare() {
	a := analysis.Analyze(demo.Generate(500, 1, time.Unix(1_800_000_000, 0)))
	c := analysis.Compare(a, a)
	n := c.ByCriticalIncrease()[0]
	fmt.Println(len(c.Tree.Nodes) > 0, c.Change(n), c.CriticalDelta(n))
	// Output:
	// true same 0
}
