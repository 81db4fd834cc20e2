package sim_test

import (
	"fmt"

	"github.com/netgym/netgym/sim"
)

// A simulation is a clock and a queue of events. RunUntil executes the
// half-open window [Now, t) and can be called again to continue: this is how
// an RL environment steps a network.
func Example() {
	s := sim.New(1, 1) // seed 1, run 1, as ns-3's defaults
	for i := 1; i <= 3; i++ {
		s.Schedule(sim.Time(i)*sim.Millisecond, func() {
			fmt.Println("tick at", s.Now())
		})
	}
	s.RunUntil(2 * sim.Millisecond)
	fmt.Println("paused at", s.Now(), "with", s.Pending(), "events pending")
	s.Run()
	// Output:
	// tick at 1ms
	// paused at 2ms with 2 events pending
	// tick at 2ms
	// tick at 3ms
}

// Stop inside an event pauses the simulation at that event's time, e.g. while
// an agent decides; the next Run continues from there.
func ExampleSimulator_Stop() {
	s := sim.New(1, 1)
	s.Schedule(5*sim.Microsecond, func() { s.Stop() })
	s.Schedule(7*sim.Microsecond, func() { fmt.Println("resumed at", s.Now()) })
	s.Run()
	fmt.Println("stopped at", s.Now())
	s.Run()
	// Output:
	// stopped at 5µs
	// resumed at 7µs
}
