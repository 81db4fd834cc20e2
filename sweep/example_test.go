package sweep_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/netgym/netgym/sweep"
)

// Example registers a scenario, plans a small grid from a YAML spec and
// runs it into a directory (resumable), then summarises the rows.
func Example() {
	reg := sweep.NewRegistry()
	err := reg.Register(sweep.Scenario{
		Name: "square",
		Params: []sweep.Param{
			{Name: "x", Kind: sweep.Float, Default: 1.0, Min: 0, Max: 10, Help: "input"},
		},
		Metrics: []sweep.Metric{{Name: "y", Help: "x squared plus the seed"}},
		Run: func(_ context.Context, p sweep.Values, seed, run uint64) (map[string]float64, error) {
			x := p.Float("x")
			return map[string]float64{"y": x*x + float64(seed)}, nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, _ := sweep.ParseSpec([]byte("scenario: square\ngrid:\n  x: [1, 2]\nseeds: 2\n"))
	plan, err := reg.Plan(spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "sweep-example")
	defer os.RemoveAll(dir)
	rep, err := sweep.Run(context.Background(), plan, sweep.Options{Dir: dir})
	fmt.Println(rep.Done, "runs done:", err)
	rows, _ := sweep.ReadRows(filepath.Join(dir, "results.jsonl"))
	sums, _ := sweep.Summarize(rows)
	for _, s := range sums {
		x, _ := s.Param("x")
		y, _ := s.Stat("y")
		fmt.Printf("x=%v: y = %.2f ± %.2f over %d seeds\n", x, y.Mean, y.CI95, y.N)
	}
	// A second run finds every row and runs nothing.
	rep, _ = sweep.Run(context.Background(), plan, sweep.Options{Dir: dir})
	fmt.Println(rep.Skipped, "runs already there")
	// Output:
	// 4 runs done: <nil>
	// x=1: y = 2.50 ± 6.35 over 2 seeds
	// x=2: y = 5.50 ± 6.35 over 2 seeds
	// 4 runs already there
}
