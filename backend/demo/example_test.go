package demo_test

import (
	"context"
	"fmt"
	"time"

	"github.com/tracetui/tracetui/backend"
	"github.com/tracetui/tracetui/backend/demo"
)

func ExampleNew() {
	b := demo.New(time.Now())
	ctx := context.Background()
	res, _ := backend.FindByCorrelation(ctx, b, nil, demo.ErrorCorrelationID, backend.Query{})
	for _, s := range res {
		fmt.Println(s.TraceID, s.RootOperation, s.ErrorCount, "errors")
	}
	t, _ := b.Trace(ctx, demo.BigTraceID, backend.TraceOptions{})
	fmt.Println(len(t.Spans), "spans")
	// Output:
	// fa743c1b7bcbdfa101c1954446e05900 POST /api/checkout 6 errors
	// 12000 spans
}

func ExampleGenerate() {
	t := demo.Generate(100000, 1, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	fmt.Println(len(t.Spans), t.ID.Valid())
	// Output: 100000 true
}
