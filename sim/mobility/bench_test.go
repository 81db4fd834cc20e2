package mobility

import (
	"testing"

	"github.com/netgym/netgym/sim"
)

var sink Vector

func BenchmarkPosition(b *testing.B) {
	rwp, err := NewRandomWaypoint(RandomWaypointConfig{
		MinSpeed: 1, MaxSpeed: 20, Pause: sim.Second, Bounds: Box{Max: Vector{1000, 1000, 0}},
	}, Vector{}, 0, sim.NewStream(1, 1, "bench"))
	if err != nil {
		b.Fatal(err)
	}
	models := []struct {
		name string
		m    Model
	}{
		{"ConstantPosition", NewConstantPosition(Vector{1, 2, 3})},
		{"ConstantVelocity", NewConstantVelocity(Vector{1, 2, 3}, Vector{1, 0, 0}, 0)},
		{"RandomWaypoint", rwp},
	}
	for _, bm := range models {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			now := sim.Time(0)
			for b.Loop() {
				now += sim.Millisecond
				sink = bm.m.Position(now)
			}
		})
	}
}

func TestPositionDoesNotAllocate(t *testing.T) {
	rwp, err := NewRandomWaypoint(DefaultRandomWaypoint(), Vector{}, 0, sim.NewStream(1, 1, "alloc"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []Model{
		NewConstantPosition(Vector{1, 2, 3}),
		NewConstantVelocity(Vector{1, 2, 3}, Vector{1, 0, 0}, 0),
		rwp,
	} {
		now := sim.Time(0)
		if n := testing.AllocsPerRun(1000, func() {
			now += 10 * sim.Millisecond
			sink = m.Position(now)
			sink = m.Velocity(now)
		}); n != 0 {
			t.Errorf("%T: %v allocations per query", m, n)
		}
	}
}
