package nr_test

import (
	"fmt"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/nr"
)

// NewChannel steps NetRL's 5G-LENA scenario in process with NetRL's
// defaults (50 m, 28 GHz, 100 MHz, numerology 3, 1 ms steps): each step
// sends one 64-byte packet 1% into the step and flushes to the step's end.
// The first packet waits for the UL MCS to settle (grants at MCS 0 until
// the first PUSCH CQI) and arrives with the second; from then on every
// packet arrives one step later (SR, grant, PUSCH: 1.2 ms).
func ExampleNewChannel() {
	cfg := nr.DefaultConfig()
	ch, err := nr.NewChannel(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("step 0 starts at", ch.Now())
	delivered, late1 := 0, 0
	for step := uint32(0); step < 1000; step++ {
		if err := ch.Transmit(step, cfg.PacketSize); err != nil {
			fmt.Println(err)
			return
		}
		ids, err := ch.Flush(step)
		if err != nil {
			fmt.Println(err)
			return
		}
		if step < 4 {
			fmt.Println("step", step, "received", ids)
		}
		for _, id := range ids {
			delivered++
			if id+1 == step {
				late1++
			}
		}
	}
	fmt.Println("delivered", delivered, "of 1000;", late1, "one step later")
	// Output:
	// step 0 starts at 500ms
	// step 0 received []
	// step 1 received [0 1]
	// step 2 received []
	// step 3 received [2]
	// delivered 999 of 1000; 998 one step later
}

// A CentralNode collects the observations of two sensors, each behind its
// own 5G-LENA channel (50 m and 150 m from their gNBs); node i's channel is
// seeded with Seed+i, as NetRL's CentralNode seeds its channels. Near, each
// observation arrives one step after it was sent: the newest is step 98's
// and the window is full; far, the link is weak and observations arrive
// in bursts every other step, so every other slot of the window (one per
// step) stays empty, the newest one included.
func ExampleNewChannel_centralNode() {
	factory := func(seed int64) (channelif.CommChannel, error) {
		cfg := nr.DefaultConfig()
		cfg.Seed = uint64(seed)
		if seed%2 == 1 {
			cfg.Distance = 150
		}
		return nr.NewChannel(cfg)
	}
	cfg := channelif.DefaultCentralNodeConfig() // seed 42, buffer of 10 steps
	node, err := channelif.NewCentralNode[[]float64]([]string{"near", "far"}, cfg, factory)
	if err != nil {
		fmt.Println(err)
		return
	}
	for step := uint32(0); step < 100; step++ {
		obs := [][]float64{{float64(step), 0}, {float64(step), 1}}
		if err := node.Step(step, obs); err != nil {
			fmt.Println(err)
			return
		}
	}
	for i, id := range node.NodeIDs() {
		values, mask := node.Padded(i)
		fmt.Println(id, "newest:", values[len(values)-1], "window received:", mask)
	}
	// Output:
	// near newest: [98 0] window received: [true true true true true true true true true true]
	// far newest: [] window received: [true false true false true false true false true false]
}
