package mmwave_test

import (
	"fmt"

	"github.com/netgym/netgym/channelif/mmwave"
)

// NewChannel steps NetRL's mmWave scenario in process: each step sends one
// packet 1% into the step and flushes to the step's end. No packet
// arrives in its own step (the S1-U link takes 1 ms); they arrive in
// pairs, 1.5 steps late on average. At 300 m the UE is NLOS and nothing
// gets through.
func ExampleNewChannel() {
	for _, d := range []float64{50, 300} {
		cfg := mmwave.DefaultConfig() // 1 ms steps, 28 GHz, 200 MHz, UMa
		cfg.Distance = d
		ch, err := mmwave.NewChannel(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		delivered, lag := 0, 0
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
			if d == 50 && step < 5 {
				fmt.Println("step", step, "received", ids)
			}
			for _, id := range ids {
				delivered++
				lag += int(step - id)
			}
		}
		fmt.Printf("%g m: delivered %d of 1000, mean lag %.2f steps\n", d, delivered, float64(lag)/float64(max(delivered, 1)))
	}
	// Output:
	// step 0 received []
	// step 1 received []
	// step 2 received [0 1]
	// step 3 received []
	// step 4 received [2 3]
	// 50 m: delivered 998 of 1000, mean lag 1.50 steps
	// 300 m: delivered 0 of 1000, mean lag 0.00 steps
}
