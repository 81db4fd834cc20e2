package propagation

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim/mobility"
)

// requireReach checks that d is where m's power crosses the floor: at or
// above it just inside, below it just outside.
func requireReach(t *testing.T, m LossModel, floor, d float64, msg string) {
	t.Helper()
	require.False(t, math.IsInf(d, 0), msg)
	a, b := at(d * (1 - 1e-6))
	assert.GreaterOrEqual(t, m.RxPower(tx, a, b), floor, "%s: just inside %g m", msg, d)
	a, b = at(d * (1 + 1e-6))
	assert.Less(t, m.RxPower(tx, a, b), floor, "%s: just outside %g m", msg, d)
	a, b = at(d * 2)
	assert.Less(t, m.RxPower(tx, a, b), floor, "%s: far outside", msg)
}

// opaque hides a model's MaxRange, leaving only Monotone, to exercise the
// bisection.
type opaque struct{ m interface{ Monotone } }

func (o opaque) RxPower(p float64, a, b mobility.Vector) float64 { return o.m.RxPower(p, a, b) }
func (o opaque) Monotone() bool                                  { return o.m.Monotone() }

func TestMaxRangeLogDistance(t *testing.T) {
	m := DefaultLogDistance()
	// d = 10^((16.0206 + 82 - 46.6777)/30) = 10^1.711430 = 51.455 m.
	d := MaxRange(m, tx, -82)
	assert.InDelta(t, math.Pow(10, (tx+82-46.6777)/30), d, 1e-6)
	assert.InDelta(t, 51.4553, d, 1e-4)
	requireReach(t, m, -82, d, "closed form")

	bis := MaxRange(opaque{m}, tx, -82)
	assert.InEpsilon(t, d, bis, 1e-9, "bisection agrees with the closed form")

	// A floor above tx - L0: nothing is received anywhere.
	assert.Equal(t, 0.0, MaxRange(m, tx, -30))
	assert.Equal(t, 0.0, MaxRange(opaque{m}, tx, -30))
	// No decay: reach is unbounded.
	assert.True(t, math.IsInf(MaxRange(&LogDistance{Exponent: 0, ReferenceDistance: 1, ReferenceLoss: 40}, tx, -82), 1))
	assert.True(t, math.IsInf(MaxRange(opaque{&LogDistance{Exponent: -1, ReferenceDistance: 1}}, tx, -82), 1))
}

func TestMaxRangeClosedForms(t *testing.T) {
	tests := []struct {
		name  string
		m     LossModel
		floor float64
		want  float64 // 0 or +Inf for the exact answers; -1: check by requireReach
	}{
		{"Friis", DefaultFriis(), -82, -1},
		{"Friis system loss", &Friis{Frequency: 2.4e9, SystemLoss: 3}, -95, -1},
		{"Friis below MinLoss", &Friis{Frequency: 5.15e9, SystemLoss: 1, MinLoss: 120}, -82, 0},
		{"ThreeLog near field", DefaultThreeLogDistance(), -40, -1},
		{"ThreeLog middle field", DefaultThreeLogDistance(), -80, -1},
		{"ThreeLog far field", DefaultThreeLogDistance(), -95, -1},
		{"ThreeLog very far", DefaultThreeLogDistance(), -130, -1},
		{"ThreeLog floor above tx", DefaultThreeLogDistance(), 20, 0},
		{"LogDistance bigger d0", &LogDistance{Exponent: 2.5, ReferenceDistance: 5, ReferenceLoss: 50}, -90, -1},
		{"Range", DefaultRange(), -82, 250},
		{"Range at -1000 floor", DefaultRange(), -1000, math.Inf(1)},
		{"Range floor above tx", DefaultRange(), 20, 0},
		{"FixedRss above floor", DefaultFixedRss(), -160, math.Inf(1)},
		{"FixedRss below floor", DefaultFixedRss(), -82, 0},
		{"Matrix default no reception", DefaultMatrix(), -82, 0},
		{"Random never culls", &Random{Loss: constant(1)}, -82, math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := MaxRange(tt.m, tx, tt.floor)
			if tt.want >= 0 {
				assert.Equal(t, tt.want, d)
				return
			}
			requireReach(t, tt.m, tt.floor, d, tt.name)
			if mm, ok := tt.m.(Monotone); ok {
				assert.InEpsilon(t, d, MaxRange(opaque{mm}, tx, tt.floor), 1e-8, "bisection")
			}
		})
	}
}

func TestMaxRangeThreeLogBelowReferenceLoss(t *testing.T) {
	// The reference loss alone puts the power below the floor: only
	// receivers closer than Distance0 (no loss at all) hear it.
	m := DefaultThreeLogDistance()
	assert.Equal(t, 1.0, MaxRange(m, tx, -25))
	a, b := at(1)
	assert.Less(t, m.RxPower(tx, a, b), -25.0)
}

func TestMaxRangeMatrix(t *testing.T) {
	m := DefaultMatrix()
	require.NoError(t, m.SetLoss(mobility.Vector{}, mobility.Vector{X: 1}, 80, true))
	assert.True(t, math.IsInf(MaxRange(m, tx, -82), 1))
	assert.Equal(t, 0.0, MaxRange(m, tx, -60))
}

func TestMaxRangeChains(t *testing.T) {
	ld := DefaultLogDistance()
	tests := []struct {
		name  string
		c     Chain
		floor float64
		want  float64 // -1: check by requireReach
	}{
		{"single model uses its closed form", NewChain(ld), -82, MaxRange(ld, tx, -82)},
		{"log distance + friis", NewChain(ld, DefaultFriis()), -150, -1},
		{"range cuts log distance short", NewChain(ld, &Range{Distance: 40}), -82, 40},
		{"log distance reaches less than range", NewChain(ld, &Range{Distance: 400}), -82, MaxRange(ld, tx, -82)},
		{"random is never culled", NewChain(ld, &Random{Loss: constant(0)}), -82, math.Inf(1)},
		{"fixed rss above floor", NewChain(ld, DefaultFixedRss()), -160, math.Inf(1)},
		{"fixed rss below floor", NewChain(ld, DefaultFixedRss()), -82, 0},
		{"non-monotone", NewChain(ld, &LogDistance{Exponent: -4, ReferenceDistance: 1}), -82, math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := MaxRange(tt.c, tx, tt.floor)
			if tt.want < 0 {
				requireReach(t, tt.c, tt.floor, d, tt.name)
				return
			}
			if math.IsInf(tt.want, 0) || tt.want == 0 {
				assert.Equal(t, tt.want, d)
				return
			}
			assert.InEpsilon(t, tt.want, d, 1e-8)
			assert.GreaterOrEqual(t, d, tt.want*(1-1e-9))
		})
	}
}
