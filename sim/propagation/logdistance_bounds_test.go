package propagation

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim/mobility"
)

// Bounds brackets RxPower within 2e-5 dB, for many exponents,
// reference distances and powers, from 2% beyond the reference distance
// to far away, and declines what it cannot bound.
func TestLogDistanceBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	models := []*LogDistance{
		DefaultLogDistance(),
		{Exponent: 2, ReferenceDistance: 1, ReferenceLoss: 40},
		{Exponent: 3.5, ReferenceDistance: 10, ReferenceLoss: 60},
		{Exponent: 0.5, ReferenceDistance: 0.1, ReferenceLoss: 20},
		{Exponent: 10, ReferenceDistance: 1, ReferenceLoss: 46.6777},
		{Exponent: 0, ReferenceDistance: 1, ReferenceLoss: 46.6777},
		{Exponent: -1, ReferenceDistance: 1, ReferenceLoss: 46.6777},
	}
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
