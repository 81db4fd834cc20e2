package channelif_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/sim"
)

// A PerfectChannel delivers every packet in the step it was sent.
func ExamplePerfectChannel() {
	ch := channelif.NewPerfectChannel()
	for step := uint32(0); step < 3; step++ {
		_ = ch.Transmit(step, 64)
		ids, _ := ch.Flush(step)
		fmt.Println(step, ids)
	}
	// Output:
	// 0 [0]
	// 1 [1]
	// 2 [2]
}

// A Gilbert-Elliott channel with NetRL's defaults and a fixed delay of two
// steps: surviving packets arrive two steps after they were sent.
func ExampleGEChannel() {
	cfg := channelif.DefaultGEConfig()
	cfg.DelaySteps = 2
	ch, err := channelif.NewGEChannel(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	arrived := 0
	for step := uint32(0); step < 10_000; step++ {
		_ = ch.Transmit(step, 64)
		ids, _ := ch.Flush(step)
		for _, id := range ids {
			if id != step-2 {
				fmt.Println("unexpected delay")
			}
		}
		arrived += len(ids)
	}
	fmt.Printf("expected loss %.4f, state %v at start\n", cfg.MeanLoss(), channelif.GEGood)
	fmt.Println("about 94% arrive:", arrived > 9300 && arrived < 9550)
	// Output:
	// expected loss 0.0575, state GOOD at start
	// about 94% arrive: true
}

// An ObservationBuffer keeps one slot per step; Padded returns the window
// and which slots were received.
func ExampleObservationBuffer() {
	buf, _ := channelif.NewObservationBuffer[float64](4)
	buf.Add(0, 0.5)
	buf.AddMissing(1)
	buf.Add(2, 2.5)
	values, mask := buf.Padded()
	fmt.Println(values, mask)
	buf.Add(3, 3.5)
	buf.Add(4, 4.5)
	values, mask = buf.Padded()
	fmt.Println(values, mask)
	// Output:
	// [0.5 0 2.5 0] [true false true false]
	// [0 2.5 3.5 4.5] [false true true true]
}

// A CentralNode collects the observations of two sensors, each sending
// through its own Gilbert-Elliott channel (seeded 42 and 43) with a delay of
// one step. The value of a step comes back into its own slot one step
// later, so the newest slot is always still in flight.
func ExampleCentralNode() {
	ge := channelif.DefaultGEConfig()
	ge.DelaySteps = 1
	cfg := channelif.DefaultCentralNodeConfig()
	cfg.BufferSize = 4
	cfg.DelaySteps = 1
	node, err := channelif.NewCentralNode[[]float64]([]string{"left", "right"}, cfg, ge.Factory())
	if err != nil {
		fmt.Println(err)
		return
	}
	for step := uint32(0); step < 6; step++ {
		obs := [][]float64{{float64(step), 0}, {float64(step), 1}}
		if err := node.Step(step, obs); err != nil {
			fmt.Println(err)
			return
		}
	}
	for i, id := range node.NodeIDs() {
		_, mask := node.Padded(i)
		fmt.Println(id, "newest slot received:", mask[3])
	}
	// Output:
	// left newest slot received: false
	// right newest slot received: false
}

// ParseCommand reads one line of NetRL's protocol.
func ExampleParseCommand() {
	for _, line := range []string{"TRANSMIT 7 64", "STEP 8 0", "FLUSH -1", "HELLO"} {
		cmd, err := channelif.ParseCommand(line)
		if err != nil {
			fmt.Println("ERROR", err)
			continue
		}
		fmt.Println(cmd.Op, cmd.Args)
	}
	// Output:
	// TRANSMIT [7 64]
	// STEP [8 0]
	// ERROR FLUSH: step_id -1 is negative
	// ERROR unknown command: HELLO
}

// Serve speaks NetRL's line protocol for any channel: here a PerfectChannel,
// so that NetRL's Python client could drive it as a subprocess.
func ExampleServe() {
	backend, _ := channelif.NewChannelBackend(channelif.NewPerfectChannel(), channelif.DefaultChannelBackendConfig())
	input := strings.NewReader("TRANSMIT 0 64\nFLUSH 0\nSTEP 1\nSTEP 2 0\nTRANSMIT 1 2 64\nBOGUS\nRESET\nQUIT\n")
	err := channelif.Serve(input, os.Stdout, backend, channelif.ServeOptions{Ready: true})
	fmt.Println("err:", err)
	// Output:
	// READY
	// OK
	// RECV 0
	// RECV 1
	// RECV
	// ERROR TRANSMIT takes <step_id> [pkt_size] on a single-UE backend, got 3 arguments
	// ERROR unknown command: BOGUS
	// OK
	// err: <nil>
}

// A StepClock gives the send and flush times of NetRL's Wi-Fi program in
// exact nanoseconds, here with 0.3 ms steps.
func ExampleStepClock() {
	step := sim.Milliseconds(0.3)
	clock, _ := channelif.NewStepClock(channelif.WarmupAtLeast(310*sim.Millisecond, step), step, channelif.SingleUESendOffset)
	send, _ := clock.SendTime(10, clock.Start())
	end, _ := clock.FlushEnd(10)
	fmt.Println(send, end)
	late, _ := clock.SendTime(2, end)
	fmt.Println(late - end)
	// Output:
	// 313.003ms 313.3ms
	// 1ns
}
