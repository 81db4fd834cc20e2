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

// A model can stand in for an event it has not scheduled: it reserves the
// event's sequence number now, and later either accounts for the event
// itself (if Happened says it would have run) or schedules it in the place
// it would have had among events at the same time.
func ExampleSimulator_ReserveSeq() {
	s := sim.New(1, 1)
	show := func(name string) func(any) { return func(any) { fmt.Println(s.Now(), name) } }
	reserved := s.ReserveSeq() // an event at 10 us, not scheduled yet
	s.ScheduleAtWith(10*sim.Microsecond, show("scheduled after the reservation"), nil)
	s.ScheduleAtWith(5*sim.Microsecond, func(any) {
		fmt.Println("at 5us, would it have run?", s.Happened(10*sim.Microsecond, reserved))
		s.ScheduleReserved(10*sim.Microsecond, reserved, show("reserved"), nil)
	}, nil)
	s.Run()
	// Output:
	// at 5us, would it have run? false
	// 10µs reserved
	// 10µs scheduled after the reservation
}
