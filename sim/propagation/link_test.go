package propagation

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
)

func TestLinkGeometryAndKey(t *testing.T) {
	l := Link{Tx: Endpoint{ID: 7, Position: mobility.Vector{Z: 25}},
		Rx: Endpoint{ID: 3, Position: mobility.Vector{X: 30, Y: 40, Z: 1.5}}}
	require.Equal(t, LinkKey{Lo: 3, Hi: 7}, l.Key())
	require.Equal(t, KeyOf(3, 7), KeyOf(7, 3))
	require.Equal(t, "3-7", l.Key().String())
	require.InDelta(t, 50.0, l.Distance2D(), 1e-12)
	require.InDelta(t, math.Sqrt(50*50+23.5*23.5), l.Distance3D(), 1e-12)
}

func TestForLinkMatchesPositionalModels(t *testing.T) {
	ld := DefaultLogDistance()
	fr := DefaultFriis()
	chain := NewChain(ld, DefaultRange())
	tests := []struct {
		name string
		m    LossModel
	}{{"logdistance", ld}, {"friis", fr}, {"chain", chain}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lm := ForLink(tc.m)
			for _, d := range []float64{0.5, 1, 10, 55, 300} {
				a, b := mobility.Vector{X: 1}, mobility.Vector{X: 1 + d}
				l := Link{Tx: Endpoint{ID: 0, Position: a}, Rx: Endpoint{ID: 1, Position: b}}
				require.Equal(t, tc.m.RxPower(16, a, b), lm.LinkRxPower(16, &l), "d=%g", d)
			}
		})
	}
	require.Equal(t, chain, ForLink(chain), "a Chain is itself link-aware")
}

func TestLinkStatesAndStreams(t *testing.T) {
	var st LinkStates[float64]
	s := sim.New(1, 1)
	draw := func(k LinkKey) *float64 {
		return st.GetOrInit(k, func(v *float64) { *v = LinkStream(s, "test/shadow", k).NormFloat64() })
	}
	a := *draw(KeyOf(1, 2))
	b := *draw(KeyOf(3, 4))
	require.Equal(t, a, *draw(KeyOf(2, 1)), "state is kept and direction-free")
	require.Equal(t, 2, st.Len())
	// Drawing in the other order gives the same values: per-link streams.
	var st2 LinkStates[float64]
	s2 := sim.New(1, 1)
	b2 := *st2.GetOrInit(KeyOf(4, 3), func(v *float64) { *v = LinkStream(s2, "test/shadow", KeyOf(4, 3)).NormFloat64() })
	a2 := *st2.GetOrInit(KeyOf(2, 1), func(v *float64) { *v = LinkStream(s2, "test/shadow", KeyOf(2, 1)).NormFloat64() })
	require.Equal(t, a, a2)
	require.Equal(t, b, b2)
	require.NotEqual(t, a, b)
	st.Delete(KeyOf(1, 2))
	_, ok := st.Get(KeyOf(1, 2))
	require.False(t, ok)
	st.Clear()
	require.Zero(t, st.Len())
}
