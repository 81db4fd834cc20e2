package catalog_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/netgym/netgym/sweep"
	"github.com/netgym/netgym/sweep/catalog"
)

// ExampleNew sweeps NetRL's Gilbert-Elliott channel over its loss in the
// GOOD state (the channel never leaves GOOD here) with three seeds, and
// prints the mean delivery per point.
func ExampleNew() {
	reg, err := catalog.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, _ := sweep.ParseSpec([]byte("scenario: channel-sim\ngrid:\n  loss_good: [0, 0.5]\n  p_gb: 0\n  steps: 4000\nseeds: 3\n"))
	plan, err := reg.Plan(spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "catalog-example")
	defer os.RemoveAll(dir)
	if _, err := sweep.Run(context.Background(), plan, sweep.Options{Dir: dir}); err != nil {
		fmt.Println(err)
		return
	}
	rows, _ := sweep.ReadRows(filepath.Join(dir, "results.jsonl"))
	sums, _ := sweep.Summarize(rows)
	for _, s := range sums {
		loss, _ := s.Param("loss_good")
		d, _ := s.Stat("delivery")
		fmt.Printf("loss_good=%v: delivery %.2f over %d runs\n", loss, d.Mean, d.N)
	}
	// Output:
	// loss_good=0: delivery 1.00 over 3 runs
	// loss_good=0.5: delivery 0.50 over 3 runs
}
