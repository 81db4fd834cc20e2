package propagation

import (
	"testing"

	"github.com/netgym/netgym/sim"
)

// BenchmarkThreeGPPLinkRxPower measures one computation of a known link
// (condition lookup, UMa pathloss, correlated shadowing update) on 1000
// links with moving receivers.
func BenchmarkThreeGPPLinkRxPower(b *testing.B) {
	cfg := DefaultThreeGPPConfig(UMa)
	cfg.FrequencyHz = 28e9
	m, err := NewThreeGPP(cfg, sim.New(1, 1))
	if err != nil {
		b.Fatal(err)
	}
	links := make([]*Link, 1000)
	for i := range links {
		links[i] = link3(0, 25, i+1, 1.5, 20+float64(i))
		m.LinkRxPower(30, links[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		l := links[i%len(links)]
		l.Rx.Position.Y += 0.01
		m.LinkRxPower(30, l)
	}
}
