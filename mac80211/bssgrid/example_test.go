package bssgrid_test

import (
	"context"
	"fmt"

	"github.com/netgym/netgym/mac80211/bssgrid"
	"github.com/netgym/netgym/sim"
)

// Example runs a small grid: 4 BSSs of an AP and 9 stations, CBR traffic
// for half a simulated second.
func Example() {
	cfg := bssgrid.DefaultConfig()
	cfg.BSSs = 4
	cfg.Poisson = false
	cfg.Duration = 500 * sim.Millisecond
	res, err := bssgrid.Run(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d nodes, %d of %d packets delivered\n", res.Nodes, res.Received, res.Sent)
	// Output:
	// 40 nodes, 180 of 180 packets delivered
}
