package spectrum

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// Receivers placed where the received power (gain included) crosses the
// floor or the deferral threshold, a few ulps of distance either side:
// deferring keeps exactly the deliveries, delays and (resolved) powers of
// computing every power, for exponents 2, 3 and 3.5, gains of either sign
// and a reference distance of 10 m.
func TestDeferPowerAtBoundaries(t *testing.T) {
	for _, ld := range []*propagation.LogDistance{
		propagation.DefaultLogDistance(),
		{Exponent: 2, ReferenceDistance: 1, ReferenceLoss: 40},
		{Exponent: 3.5, ReferenceDistance: 10, ReferenceLoss: 60},
	} {
		const tx, floor, thr = 16.0206, -101.0, -82.000001
		gains := []float64{0, 1.5, -2.25}
		build := func() *Medium[NoLink] {
			cfg := DefaultConfig()
			cfg.Loss = ld
			cfg.FloorDbm = floor
			m, err := New(sim.New(1, 1), cfg, LinkModel[NoLink]{})
			require.NoError(t, err)
			return m
		}
		plain, deferred := build(), build()
		// Distance at which the power is p dBm (before gain).
		dist := func(p float64) float64 {
			return ld.ReferenceDistance * math.Pow(10, (tx-ld.ReferenceLoss-p)/(10*ld.Exponent))
		}
		var xs []float64
		for _, g := range gains {
			for _, edge := range []float64{floor - g, thr - g} {
				d := dist(edge)
				for k := -40; k <= 40; k++ {
					xs = append(xs, d+float64(k)*d*1e-15)
				}
				for _, off := range []float64{1e-7, 1e-6, 1e-5, 1e-4, 1e-3} { // in dB
					xs = append(xs, dist(edge+off), dist(edge-off))
				}
			}
		}
		require.Greater(t, len(xs), 520) // beyond the pair cache
		for _, m := range []*Medium[NoLink]{plain, deferred} {
			_, err := m.Attach(Attachment{Mobility: mobility.NewConstantPosition(mobility.Vector{}), TxPowerDbm: tx})
			require.NoError(t, err)
			for i, x := range xs {
				g := gains[i/(len(xs)/len(gains))]
				// Spread them around the sender (the exact distance is
				// what matters, not the direction).
				a := float64(i) * 0.7
				_, err := m.Attach(Attachment{Mobility: mobility.NewConstantPosition(mobility.Vector{X: x * math.Cos(a), Y: x * math.Sin(a)}),
					TxPowerDbm: tx, RxGainDb: g})
				require.NoError(t, err)
			}
		}
		for id := 1; id <= len(xs); id++ {
			require.NoError(t, deferred.DeferPower(id, thr))
		}
		want, err := plain.Transmit(0)
		require.NoError(t, err)
		got, err := deferred.Transmit(0)
		require.NoError(t, err)
		snd := deferred.LastSender()
		require.Len(t, got, len(want))
		var nd int
		for i, d := range got {
			w := want[i]
			require.Equal(t, w.Rx, d.Rx)
			require.Equal(t, w.Delay, d.Delay)
			if d.PowerDeferred() {
				nd++
				require.Equal(t, math.Float64bits(w.RxDbm), math.Float64bits(snd.ExactDbm(d.Dist)))
				require.Less(t, w.RxDbm+deferred.RxGain(d.Rx), thr)
				continue
			}
			require.Equal(t, math.Float64bits(w.RxDbm), math.Float64bits(d.RxDbm))
		}
		require.Positive(t, nd)
		t.Logf("%+v: %d deliveries of %d radios, %d deferred", *ld, len(got), len(xs), nd)
	}
}

// Sender.WattsAtMost bounds the exact watts from above, within 1e-8, for
// exponents 2, 3 and 4, transmit powers and receive gains of either sign,
// distances from below the reference distance to kilometres; other
// exponents have no such bound.
func TestSenderWattsAtMost(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		ld *propagation.LogDistance
		ok bool
	}{
		{&propagation.LogDistance{Exponent: 2, ReferenceDistance: 1, ReferenceLoss: 46.6777}, true},
		{propagation.DefaultLogDistance(), true},
		{&propagation.LogDistance{Exponent: 4, ReferenceDistance: 10, ReferenceLoss: 60}, true},
		{&propagation.LogDistance{Exponent: 3.5, ReferenceDistance: 1, ReferenceLoss: 46.6777}, false},
	} {
		for range 20000 {
			tx := -10 + 40*r.Float64()
			g := -5 + 10*r.Float64()
			d := math.Exp(math.Log(0.5) + r.Float64()*math.Log(4000)) // 0.5 m to 2 km
			s := newSender(tx, *tc.ld)
			w, ok := s.WattsAtMost(d, math.Pow(10, g/10))
			require.Equal(t, tc.ok, ok, "exponent %v", tc.ld.Exponent)
			if !ok {
				continue
			}
			exact := DbmToW(s.ExactDbm(d) + g)
			require.GreaterOrEqual(t, w, exact, "n=%v tx=%v g=%v d=%v", tc.ld.Exponent, tx, g, d)
			require.Less(t, w, exact*(1+1e-8), "n=%v tx=%v g=%v d=%v", tc.ld.Exponent, tx, g, d)
		}
	}
	var zero Sender
	_, ok := zero.WattsAtMost(100, 1)
	require.False(t, ok, "the zero Sender defers nothing")
	s := newSender(16, *propagation.DefaultLogDistance())
	_, ok = s.WattsAtMost(0, 1)
	require.False(t, ok, "no distance")
}
