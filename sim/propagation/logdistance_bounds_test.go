package propagation

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim/mobility"
)

// boundedModels returns the models the bound tests run: ns-3's default,
// other exponents, reference distances and losses, and last a flat and a
// rising one.
func boundedModels() []*LogDistance {
	return []*LogDistance{
		DefaultLogDistance(),
		{Exponent: 2, ReferenceDistance: 1, ReferenceLoss: 40},
		{Exponent: 3.5, ReferenceDistance: 10, ReferenceLoss: 60},
		{Exponent: 0.5, ReferenceDistance: 0.1, ReferenceLoss: 20},
		{Exponent: 10, ReferenceDistance: 1, ReferenceLoss: 46.6777},
		{Exponent: 0, ReferenceDistance: 1, ReferenceLoss: 46.6777},
		{Exponent: -1, ReferenceDistance: 1, ReferenceLoss: 46.6777},
	}
}

// Bounds brackets RxPower within 2e-5 dB, for many exponents,
// reference distances and powers, from 2% beyond the reference distance
// to far away, and declines what it cannot bound.
func TestLogDistanceBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	models := boundedModels()
	var bounded int
	for _, m := range models {
		for range 200_000 {
			a := mobility.Vector{X: r.NormFloat64() * 300, Y: r.NormFloat64() * 300, Z: r.NormFloat64()}
			b := mobility.Vector{X: r.NormFloat64() * 300, Y: r.NormFloat64() * 300, Z: r.NormFloat64()}
			if r.IntN(4) == 0 { // near the reference distance too
				b = a.Add(mobility.Vector{X: m.ReferenceDistance * (1 + 0.1*r.Float64())})
			}
			d2 := b.Sub(a).Len2()
			tx := -30 + 60*r.Float64()
			pb := m.Bounder(tx)
			lo, hi, ok := pb.Bounds(d2)
			if !ok {
				require.LessOrEqual(t, d2, 1.0201*m.ReferenceDistance*m.ReferenceDistance)
				continue
			}
			bounded++
			exact := m.RxPower(tx, a, b)
			if !(lo <= exact && exact <= hi && hi-lo <= 2e-5) {
				require.Failf(t, "bounds", "%+v tx %g d2 %g: %.17g not in [%.17g, %.17g]", *m, tx, d2, exact, lo, hi)
			}
		}
	}
	require.Greater(t, bounded, 1_000_000)
	m := DefaultLogDistance()
	for _, c := range []struct{ tx, d2 float64 }{
		{0, 1}, {0, 1.01}, {math.NaN(), 100}, {math.Inf(1), 100}, {0, math.Inf(1)}, {0, math.NaN()}, {0, -4},
	} {
		pb := m.Bounder(c.tx)
		_, _, ok := pb.Bounds(c.d2)
		require.False(t, ok, "tx %g d2 %g", c.tx, c.d2)
	}
	// Parameters out of the bounded range, and the zero PowerBounder.
	for _, bad := range []*LogDistance{
		{Exponent: 1000, ReferenceDistance: 1, ReferenceLoss: 46.6777},
		{Exponent: 3, ReferenceDistance: 1, ReferenceLoss: 2e4},
		{Exponent: 3, ReferenceDistance: 1e-200, ReferenceLoss: 46.6777},
	} {
		pb := bad.Bounder(0)
		_, _, ok := pb.Bounds(100)
		require.False(t, ok, "%+v", *bad)
	}
	var zero PowerBounder
	_, _, ok := zero.Bounds(100)
	require.False(t, ok)
}

func TestLogDistanceSquaredDistanceBelow(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	models := boundedModels()[:5] // those with an exponent of at least 0.5
	var decided, near int
	for _, m := range models {
		for range 2_000 {
			tx := -30 + 60*r.Float64()
			dbm := -110 + 60*r.Float64()
			floor := dbm - 30*r.Float64()
			below, atLeast, ok := m.SquaredDistanceBelow(tx, dbm, floor)
			require.True(t, ok, "%+v", *m)
			// Tight: the crossings are within 1e-5 of the margins' squared
			// distances (or there is none).
			if below > 0 {
				d := math.Sqrt(below / (1 + 2e-5))
				require.GreaterOrEqual(t, m.RxPowerAtDistance(tx, d), dbm, "%+v tx %g dbm %g: below %g not tight", *m, tx, dbm, below)
			} else {
				require.Less(t, tx-m.ReferenceLoss, dbm)
			}
			if atLeast > 0 {
				d := math.Sqrt(atLeast * (1 + 2e-5))
				require.Less(t, m.RxPowerAtDistance(tx, d), floor, "%+v: atLeast %g not tight", *m, atLeast)
			}
			for range 200 {
				// Around either threshold, and anywhere.
				var d2 float64
				switch r.IntN(3) {
				case 0:
					d2 = below * (1 + 1e-5*(r.Float64()-0.5))
				case 1:
					d2 = atLeast * (1 + 1e-5*(r.Float64()-0.5))
				default:
					d2 = math.Exp(r.Float64()*30 - 8)
				}
				p := m.RxPowerAtDistance(tx, math.Sqrt(d2))
				if d2 > below {
					decided++
					require.Less(t, p, dbm, "%+v tx %g d2 %g (below %g)", *m, tx, d2, below)
				}
				if d2 < atLeast {
					require.GreaterOrEqual(t, p, floor, "%+v tx %g d2 %g (atLeast %g)", *m, tx, d2, atLeast)
				}
				if math.Abs(d2/below-1) < 1e-5 {
					near++
				}
			}
		}
	}
	require.Greater(t, decided, 500_000)
	require.Greater(t, near, 100_000)
	for _, c := range []struct {
		m              *LogDistance
		tx, dbm, floor float64
	}{
		{&LogDistance{Exponent: 0.4, ReferenceDistance: 1, ReferenceLoss: 40}, 0, -80, -100},
		{&LogDistance{Exponent: -1, ReferenceDistance: 1, ReferenceLoss: 40}, 0, -80, -100},
		{DefaultLogDistance(), math.NaN(), -80, -100},
		{DefaultLogDistance(), 0, math.Inf(-1), -100},
		{DefaultLogDistance(), 0, -80, math.Inf(-1)},
		{DefaultLogDistance(), 1e5, -80, -100},
	} {
		_, _, ok := c.m.SquaredDistanceBelow(c.tx, c.dbm, c.floor)
		require.False(t, ok, "%+v %g %g %g", *c.m, c.tx, c.dbm, c.floor)
	}
	// Every distance below, or none at least the floor.
	below, atLeast, ok := DefaultLogDistance().SquaredDistanceBelow(0, 10, 10)
	require.True(t, ok)
	require.Zero(t, below)
	require.Zero(t, atLeast)
}
