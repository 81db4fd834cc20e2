package threegpp

import (
	"testing"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// benchChannel returns a UMa channel at 28 GHz (66 RBs) with NetRL's
// arrays: id 0 a 4 x 8 gNB, ids >= 1 2 x 4 UEs.
func benchChannel(b *testing.B, cond propagation.ConditionModel, ues int) *Channel {
	ch := newChannel(b, propagation.UMa, cond, true, 1)
	if err := ch.SetArray(0, upa(b, 4, 8, antenna.Isotropic{})); err != nil {
		b.Fatal(err)
	}
	ue := upa(b, 2, 4, antenna.Isotropic{})
	for u := 1; u <= ues; u++ {
		if err := ch.SetArray(u, ue); err != nil {
			b.Fatal(err)
		}
	}
	return ch
}

// BenchmarkLinkDraw is the per-link cost of the per-PRB channel: drawing
// a new link's parameters (TR 38.901 steps 4-10), its 8 x 32 x clusters
// coefficients (step 11), the delay phases of 66 RBs, one long term and
// one set of per-RB gains. It is paid once per link and update period.
func BenchmarkLinkDraw(b *testing.B) {
	for _, tc := range []struct {
		name string
		cond propagation.ConditionModel
	}{{"LOS", propagation.AlwaysLOS{}}, {"NLOS", propagation.NeverLOS{}}} {
		b.Run(tc.name, func(b *testing.B) {
			ch := benchChannel(b, tc.cond, 1)
			gnb := endpoint(0, mobility.Vector{Z: 25})
			var obj Link
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				// A new endpoint id each time: a new link to draw.
				l := propagation.Link{Tx: gnb, Rx: endpoint(1, mobility.Vector{X: 100, Z: 1.5}), Now: sim.Time(i)}
				ch.states.Clear()
				ch.Bind(&obj, &l)
				obj.RBGains(l.Now)
			}
		})
	}
}

// BenchmarkRBGainsCached is the per-slot cost for a static link whose
// beams did not change.
func BenchmarkRBGainsCached(b *testing.B) {
	ch := benchChannel(b, propagation.NeverLOS{}, 1)
	l := bind(ch, endpoint(0, mobility.Vector{Z: 25}), endpoint(1, mobility.Vector{X: 100, Z: 1.5}), 0)
	l.RBGains(0)
	b.ReportAllocs()
	for b.Loop() {
		l.RBGains(0)
	}
}

// BenchmarkRBGainsNewBeam is the cost after a beam change: a long term
// (clusters x 8 x 32) and the per-RB gains (66 x clusters).
func BenchmarkRBGainsNewBeam(b *testing.B) {
	ch := benchChannel(b, propagation.NeverLOS{}, 1)
	gnb := mobility.Vector{Z: 25}
	l := bind(ch, endpoint(0, gnb), endpoint(1, mobility.Vector{X: 100, Z: 1.5}), 0)
	arr := ch.Array(0)
	beam := antenna.NewBeam(arr.DirectPathWeights(nil, gnb, mobility.Vector{X: 100, Z: 1.5}))
	_ = arr.SetBeam(beam)
	w := beam.Weights()
	b.ReportAllocs()
	for b.Loop() {
		beam.Set(w)
		l.RBGains(0)
	}
}

// BenchmarkRBGainsMoving is the per-slot cost for a moving UE: Doppler
// rotations and per-RB gains from the cached long term.
func BenchmarkRBGainsMoving(b *testing.B) {
	ch := benchChannel(b, propagation.NeverLOS{}, 1)
	mob := mobility.NewConstantVelocity(mobility.Vector{X: 100, Z: 1.5}, mobility.Vector{X: 3}, 0)
	l := bind(ch, endpoint(0, mobility.Vector{Z: 25}), propagation.Endpoint{ID: 1, Position: mobility.Vector{X: 100, Z: 1.5}, Mobility: mob}, 0)
	b.ReportAllocs()
	t := sim.Time(0)
	for b.Loop() {
		t += 125 * sim.Microsecond
		l.RBGains(t)
	}
}

// BenchmarkCellScan is one CellScan run for a 4 x 8 gNB and a 2 x 4 UE
// (32 x 16 beam pairs over 66 RBs), once per pair and 100 ms.
func BenchmarkCellScan(b *testing.B) {
	ch := benchChannel(b, propagation.NeverLOS{}, 1)
	bf, err := NewBeamformer(ch, DefaultBeamformingConfig())
	if err != nil {
		b.Fatal(err)
	}
	var g, u []complex128
	b.ReportAllocs()
	for b.Loop() {
		g, u, _ = bf.Compute(g, u, endpoint(0, mobility.Vector{Z: 25}), endpoint(1, mobility.Vector{X: 100, Z: 1.5}), 0)
	}
}
