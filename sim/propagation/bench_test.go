package propagation

import (
	"testing"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
)

var (
	sinkDbm  float64
	sinkTime sim.Time
)

func lossModels() []struct {
	name string
	m    LossModel
} {
	mx := DefaultMatrix()
	_ = mx.SetLoss(mobility.Vector{}, mobility.Vector{X: 1}, 60, true)
	return []struct {
		name string
		m    LossModel
	}{
		{"LogDistance", DefaultLogDistance()},
		{"Friis", DefaultFriis()},
		{"ThreeLogDistance", DefaultThreeLogDistance()},
		{"Range", DefaultRange()},
		{"FixedRss", DefaultFixedRss()},
		{"Matrix", mx},
		{"Chain", NewChain(DefaultLogDistance(), DefaultRange())},
	}
}

func BenchmarkRxPower(b *testing.B) {
	a, c := mobility.Vector{X: 1, Y: 2}, mobility.Vector{X: 40, Y: -7, Z: 1.5}
	for _, bm := range lossModels() {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkDbm = bm.m.RxPower(tx, a, c)
			}
		})
	}
}

func BenchmarkDelay(b *testing.B) {
	var m DelayModel = DefaultConstantSpeed()
	a, c := mobility.Vector{X: 1, Y: 2}, mobility.Vector{X: 40, Y: -7, Z: 1.5}
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = m.Delay(a, c)
	}
}

func TestPerFrameCallsDoNotAllocate(t *testing.T) {
	a, c := mobility.Vector{X: 1, Y: 2}, mobility.Vector{X: 40, Y: -7, Z: 1.5}
	for _, lm := range lossModels() {
		if n := testing.AllocsPerRun(1000, func() { sinkDbm = lm.m.RxPower(tx, a, c) }); n != 0 {
			t.Errorf("%s.RxPower: %v allocations", lm.name, n)
		}
	}
	var d DelayModel = DefaultConstantSpeed()
	if n := testing.AllocsPerRun(1000, func() { sinkTime = d.Delay(a, c) }); n != 0 {
		t.Errorf("ConstantSpeed.Delay: %v allocations", n)
	}
}
