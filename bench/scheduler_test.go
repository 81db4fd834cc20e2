package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/netgym/netgym/sim"
)

// holdModel is the classic hold benchmark for event queues: every executed
// event schedules exactly one new event at now + Exp(mean), so the queue
// population stays constant.
type holdModel struct {
	s      *sim.Simulator
	rng    *rand.Rand
	meanNs float64
	left   int
	fire   func(any)
}

func newHoldModel(pop int, seed uint64) *holdModel {
	h := &holdModel{s: sim.New(seed, 1), meanNs: float64(pop) * 1e3}
	h.rng = h.s.Stream("hold")
	h.fire = h.onEvent
	for range pop {
		h.s.ScheduleWith(h.draw(), h.fire, h)
	}
	return h
}

func (h *holdModel) draw() sim.Time {
	return sim.Time(math.Round(h.rng.ExpFloat64() * h.meanNs))
}

func (h *holdModel) onEvent(any) {
	h.left--
	if h.left == 0 {
		h.s.Stop()
	}
	h.s.ScheduleWith(h.draw(), h.fire, h)
}

// BenchmarkSchedulerHold measures the event queue with the hold model: the
// queue is filled with pop events at Exp(mean = pop us) offsets; one op is
// one executed event, which schedules one new event at now + Exp(mean = pop
// us). Compare with bench/ns3/hold.cc on ns-3's schedulers.
func BenchmarkSchedulerHold(b *testing.B) {
	for _, pop := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("pop=%d", pop), func(b *testing.B) {
			h := newHoldModel(pop, 1)
			// Warm the queue up (bucket width adaptation, slice capacities)
			// before timing, as a long-running simulation would be.
			h.left = 4 * pop
			h.s.Run()
			h.left = b.N
			b.ReportAllocs()
			b.ResetTimer()
			h.s.Run()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			if h.s.Pending() != pop {
				b.Fatalf("population drifted: %d pending, want %d", h.s.Pending(), pop)
			}
		})
	}
}
