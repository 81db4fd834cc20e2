package wifi_test

import (
	"fmt"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/wifi"
)

// NewChannel steps NetRL's Wi-Fi ad-hoc scenario in process: each step
// sends one packet 1% into the step and flushes to the step's end. The
// first packets wait for ARP (its request is jittered by up to 10 ms): the
// pending queue holds the datagrams of steps 0-2, step 3's overflows it, and
// from then on every packet arrives within its own 1 ms step.
func ExampleNewChannel() {
	cfg := wifi.DefaultConfig() // 10 m, 1 ms steps, 54 Mb/s
	ch, err := wifi.NewChannel(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("step 0 starts at", ch.Now())
	delivered, onTime := 0, 0
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
			if id == step {
				onTime++
			}
		}
	}
	fmt.Println("delivered", delivered, "of 1000;", onTime, "in their own step")
	fmt.Println("now", ch.Now())
	// Output:
	// step 0 starts at 310ms
	// step 0 received []
	// step 1 received []
	// step 2 received []
	// step 3 received [0 1 2]
	// delivered 999 of 1000; 996 in their own step
	// now 1.31s
}

// A CentralNode collects the observations of two sensors, each behind its
// own Wi-Fi channel; node i's channel is seeded with Seed+i (42 and 43), as
// NetRL's CentralNode seeds its channels. The factory turns the seed into
// the channel's --seed.
func ExampleNewChannel_centralNode() {
	sensor := wifi.DefaultConfig()
	sensor.Distance = 30
	factory := func(seed int64) (channelif.CommChannel, error) {
		cfg := sensor
		cfg.Seed = uint64(seed)
		return wifi.NewChannel(cfg)
	}
	cfg := channelif.DefaultCentralNodeConfig() // seed 42, buffer of 10 steps
	node, err := channelif.NewCentralNode[[]float64]([]string{"left", "right"}, cfg, factory)
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
	// left newest: [99 0] window received: [true true true true true true true true true true]
	// right newest: [99 1] window received: [true true true true true true true true true true]
}

// A MultiUEBackend simulates NetRL's multi-UE scenario: stations at
// 10 m and 30 m send uplink to one AP; both associated during the 500 ms
// warm-up. Each step every UE transmits, then one Flush reports the
// (UE, step) pairs the AP received.
func ExampleNewMultiUEBackend() {
	cfg := wifi.DefaultMultiUEConfig()
	cfg.Distances = []float64{10, 30}
	b, err := wifi.NewMultiUEBackend(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("step 0 starts at", b.Now(), "associated:", b.IsAssociated(0), b.IsAssociated(1))
	perUE := make([]int, b.NumUEs())
	for step := uint32(0); step < 1000; step++ {
		for ue := range b.NumUEs() {
			if err := b.Transmit(ue, step, cfg.PacketSize); err != nil {
				fmt.Println(err)
				return
			}
		}
		arrivals, err := b.Flush(step)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, a := range arrivals {
			perUE[a.UE]++
		}
	}
	fmt.Println("delivered per UE:", perUE)
	// Output:
	// step 0 starts at 500ms associated: true true
	// delivered per UE: [1000 1000]
}

// The per-UE views of a MultiUEBackend are CommChannels sharing one
// simulation, so a CentralNode can hold one node per UE, as NetRL's
// make_multi_ue_wifi_factory does: the first node's Flush advances the
// simulation, the others read the cached arrivals, and one CentralNode
// Reset resets the backend once.
func ExampleMultiUEBackend_views() {
	b, err := wifi.NewMultiUEBackend(wifi.DefaultMultiUEConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	node, err := channelif.NewCentralNode[float64]([]string{"ue_0", "ue_1"}, channelif.DefaultCentralNodeConfig(), b.Factory())
	if err != nil {
		fmt.Println(err)
		return
	}
	for step := uint32(0); step < 50; step++ {
		if err := node.Step(step, []float64{float64(step), -float64(step)}); err != nil {
			fmt.Println(err)
			return
		}
	}
	for i, id := range node.NodeIDs() {
		v, ok := node.LastArrival(i)
		fmt.Println(id, "last arrival:", v, ok)
	}
	fmt.Println("simulated:", b.Now(), "run:", b.Run())
	if err := node.Reset(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("after reset:", b.Now(), "run:", b.Run())
	// Output:
	// ue_0 last arrival: 49 true
	// ue_1 last arrival: -49 true
	// simulated: 550ms run: 1
	// after reset: 500ms run: 2
}
