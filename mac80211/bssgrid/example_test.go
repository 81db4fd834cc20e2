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

// Example_startJitter runs the grid in infrastructure mode with the
// stations powering on over 100 ms: each associates one passive scan (120
// ms) and an exchange after its own power-on, so the association times
// spread over the jitter while the delays do not.
func Example_startJitter() {
	cfg := bssgrid.DefaultConfig()
	cfg.BSSs = 4
	cfg.Infrastructure = true
	cfg.Install.Sta.StartJitter = 100 * sim.Millisecond
	cfg.Warmup = 400 * sim.Millisecond
	cfg.Duration = 100 * sim.Millisecond
	res, err := bssgrid.Run(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d stations associated\n", res.Associated)
	fmt.Printf("first and last association: %.0f and %.0f ms\n",
		res.AssociationQuantileMs(0), res.AssociationQuantileMs(1))
	fmt.Printf("delay after power-on: %.1f to %.1f ms\n",
		res.AssociationDelayQuantileMs(0), res.AssociationDelayQuantileMs(1))
	// Output:
	// 36 stations associated
	// first and last association: 122 and 215 ms
	// delay after power-on: 120.3 to 120.9 ms
}
