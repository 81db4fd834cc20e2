package mobility_test

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
)

// A node driving east at 10 m/s turns north after 3 s; a subscriber hears
// of the change of course.
func Example() {
	car := mobility.NewConstantVelocity(mobility.Vector{}, mobility.Vector{X: 10}, 0)
	car.OnCourseChange(func(m mobility.Model) {
		fmt.Println("course change, velocity now", m.Velocity(3*sim.Second))
	})
	fmt.Println(car.Position(2 * sim.Second))
	car.SetVelocity(3*sim.Second, mobility.Vector{Y: 10})
	fmt.Println(car.Position(5 * sim.Second))
	// Output:
	// (20, 0, 0)
	// course change, velocity now (0, 10, 0)
	// (30, 20, 0)
}

// Nodes wander in a 100 m × 100 m square, each drawing from its own named
// stream, so adding a node never changes another's path.
func ExampleRandomWaypoint() {
	s := sim.New(1, 1)
	cfg := mobility.DefaultRandomWaypoint()
	cfg.Bounds = mobility.Box{Max: mobility.Vector{X: 100, Y: 100}}
	cfg.MinSpeed, cfg.MaxSpeed = 1, 5

	start := mobility.Ring(mobility.Vector{X: 50, Y: 50}, 20, 3)
	for i, p := range start {
		m, err := mobility.NewRandomWaypoint(cfg, p, s.Now(), s.Stream(fmt.Sprintf("mobility/node-%d", i)))
		if err != nil {
			fmt.Println(err)
			return
		}
		// Still resting during the initial 2 s pause.
		fmt.Println(i, m.Position(sim.Second) == p, cfg.Bounds.Contains(m.Position(60*sim.Second)))
	}
	// Output:
	// 0 true true
	// 1 true true
	// 2 true true
}

// ns-3's GridPositionAllocator with its defaults: rows of 10, starting at
// x = 1.
func ExampleGridAllocator() {
	g := mobility.DefaultGridAllocator()
	g.GridWidth = 3
	for _, p := range mobility.Take(g, 5) {
		fmt.Println(p)
	}
	// Output:
	// (1, 0, 0)
	// (2, 0, 0)
	// (3, 0, 0)
	// (1, 1, 0)
	// (2, 1, 0)
}
