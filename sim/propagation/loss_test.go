package propagation

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
)

// The values marked "ns-3" below were printed by ns-3 3.37 (Debian's
// libns3-dev) from CalcRxPower and GetDelay with default attributes, a at
// the origin and b at (d, 0, 0).

const tx = 16.0206 // dBm (40 mW), ns-3's default Wi-Fi tx power

func at(d float64) (mobility.Vector, mobility.Vector) {
	return mobility.Vector{}, mobility.Vector{X: d}
}

func TestLogDistance(t *testing.T) {
	m := DefaultLogDistance()
	require.NoError(t, m.Validate())
	tests := []struct {
		d, want float64
	}{
		{0, 16.0206 - 46.6777},   // within d0: the reference loss, not tx
		{0.5, 16.0206 - 46.6777}, // ditto
		{1, 16.0206 - 46.6777},
		{10, 16.0206 - 46.6777 - 30},
		{46, -80.539834950447215}, // ns-3; = -30.6571 - 30·log10(46)
		{100, 16.0206 - 46.6777 - 60},
		{1000, -120.65710000000001}, // ns-3
	}
	for _, tt := range tests {
		a, b := at(tt.d)
		assert.InDelta(t, tt.want, m.RxPower(tx, a, b), 1e-12, "d=%g", tt.d)
	}
	// 3-D distance: (3, 4, 12) is 13 m.
	assert.InDelta(t, tx-46.6777-30*math.Log10(13), m.RxPower(tx, mobility.Vector{X: 1, Y: 1, Z: 1}, mobility.Vector{X: 4, Y: 5, Z: 13}), 1e-12)

	custom := &LogDistance{Exponent: 2, ReferenceDistance: 10, ReferenceLoss: 60}
	a, b := at(1000)
	assert.InDelta(t, 0-60-40, custom.RxPower(0, a, b), 1e-12)
}

func TestFriis(t *testing.T) {
	m := DefaultFriis()
	require.NoError(t, m.Validate())
	assert.InDelta(t, 0.058212127766990, m.Wavelength(), 1e-15)
	// Loss = 20·log10(4π·d/λ) = 20·log10(d) + 46.683927802707187 dB at 5.15 GHz.
	tests := []struct {
		name    string
		m       *Friis
		d, want float64
	}{
		{"zero distance gives tx - MinLoss", m, 0, tx},
		{"near field", m, 0.5, -24.642727889427576}, // ns-3
		{"1 m", m, 1, -30.663327802707187},          // ns-3
		{"10 m", m, 10, -50.663327802707187},        // ns-3
		{"100 m", m, 100, -70.663327802707201},      // ns-3
		{"500 m", m, 500, -84.642727889427576},      // ns-3
		{"MinLoss clamps", &Friis{Frequency: 5.15e9, SystemLoss: 1, MinLoss: 70}, 10, tx - 70},
		{"MinLoss at zero", &Friis{Frequency: 5.15e9, SystemLoss: 1, MinLoss: 70}, 0, tx - 70},
		{"MinLoss inactive", &Friis{Frequency: 5.15e9, SystemLoss: 1, MinLoss: 70}, 100, -70.663327802707201},
		{"default MinLoss 0 clamps the near-field gain", m, 0.001, tx},
		{"near-field gain below λ/4π", &Friis{Frequency: 5.15e9, SystemLoss: 1, MinLoss: -100}, 0.001, tx - 46.683927802707187 + 60},
		{"system loss 2 (3.0103 dB)", &Friis{Frequency: 5.15e9, SystemLoss: 2}, 10, -50.663327802707187 - 10*math.Log10(2)},
		{"2.4 GHz at 100 m", &Friis{Frequency: 2.4e9, SystemLoss: 1}, 100, tx - 20*math.Log10(4*math.Pi*100*2.4e9/SpeedOfLight)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := at(tt.d)
			assert.InDelta(t, tt.want, tt.m.RxPower(tx, a, b), 1e-12)
		})
	}
}

func TestThreeLogDistance(t *testing.T) {
	m := DefaultThreeLogDistance()
	require.NoError(t, m.Validate())
	l200 := 46.6777 + 19*math.Log10(200)
	l500 := l200 + 38*math.Log10(2.5)
	tests := []struct {
		d, want float64
	}{
		{0, tx},   // ns-3: no loss at all below Distance0
		{0.5, tx}, // ns-3
		{1, tx - 46.6777},
		{10, -49.6571},                // ns-3
		{199.99, -74.376257327542987}, // ns-3
		{200, -74.376669917615644},    // ns-3
		{350, -83.612115767694831},    // ns-3
		{500, -89.498390247153068},    // ns-3
		{1000, -100.93753008238436},   // ns-3
		{300, tx - l200 - 38*math.Log10(1.5)},
		{2000, tx - l500 - 38*math.Log10(4)},
	}
	for _, tt := range tests {
		a, b := at(tt.d)
		assert.InDelta(t, tt.want, m.RxPower(tx, a, b), 1e-12, "d=%g", tt.d)
	}
}

func TestRangeFixedRssMatrix(t *testing.T) {
	r := DefaultRange()
	require.NoError(t, r.Validate())
	fixed := DefaultFixedRss()
	require.NoError(t, fixed.Validate())
	mx := DefaultMatrix()
	require.NoError(t, mx.Validate())
	p1, p2, p3 := mobility.Vector{X: 1}, mobility.Vector{X: 2}, mobility.Vector{Y: 7}
	require.NoError(t, mx.SetLoss(p1, p2, 50, true))
	require.NoError(t, mx.SetLoss(p1, p3, 70, false))
	require.Error(t, mx.SetLoss(p1, p3, math.NaN(), false))
	require.Error(t, mx.SetLoss(p1, mobility.Vector{Z: math.NaN()}, 3, false))

	tests := []struct {
		name string
		m    LossModel
		a, b mobility.Vector
		want float64
	}{
		{"in range", r, mobility.Vector{}, mobility.Vector{X: 250}, tx},
		{"out of range", r, mobility.Vector{}, mobility.Vector{X: 250.0001}, -1000},
		{"fixed", fixed, p1, p2, -150},
		{"matrix a-b", mx, p1, p2, tx - 50},
		{"matrix b-a (symmetric)", mx, p2, p1, tx - 50},
		{"matrix a-c", mx, p1, p3, tx - 70},
		{"matrix c-a default", mx, p3, p1, tx - math.MaxFloat64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.m.RxPower(tx, tt.a, tt.b))
		})
	}
	assert.Equal(t, 70.0, mx.Loss(p1, p3))
}

func TestChainSumsLosses(t *testing.T) {
	ld, fr := DefaultLogDistance(), DefaultFriis()
	c := NewChain(ld, fr)
	require.NoError(t, c.Validate())
	for _, d := range []float64{0, 0.5, 1, 10, 46, 100, 1234.5} {
		a, b := at(d)
		lossLd := tx - ld.RxPower(tx, a, b)
		lossFr := tx - fr.RxPower(tx, a, b)
		assert.InDelta(t, tx-lossLd-lossFr, c.RxPower(tx, a, b), 1e-9, "d=%g", d)
	}
	a, b := at(10)
	assert.InDelta(t, -60.6571-66.683927802707187, c.RxPower(tx, a, b), 1e-9)

	// Range after a path loss model cuts reception off; FixedRss overrides.
	cut := NewChain(ld, &Range{Distance: 100})
	a, b = at(100)
	assert.InDelta(t, -90.6571, cut.RxPower(tx, a, b), 1e-12)
	a, b = at(101)
	assert.Equal(t, -1000.0, cut.RxPower(tx, a, b))
	assert.Equal(t, -42.0, NewChain(ld, &FixedRss{Rss: -42}).RxPower(tx, a, b))
	assert.Equal(t, tx, Chain(nil).RxPower(tx, a, b))
}

func TestValidate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name string
		v    interface{ Validate() error }
	}{
		{"Friis zero frequency", &Friis{Frequency: 0, SystemLoss: 1}},
		{"Friis negative system loss", &Friis{Frequency: 1e9, SystemLoss: -1}},
		{"Friis NaN min loss", &Friis{Frequency: 1e9, SystemLoss: 1, MinLoss: nan}},
		{"LogDistance zero reference distance", &LogDistance{Exponent: 3}},
		{"LogDistance infinite exponent", &LogDistance{Exponent: inf, ReferenceDistance: 1}},
		{"ThreeLog unordered distances", &ThreeLogDistance{Distance0: 1, Distance1: 500, Distance2: 200}},
		{"ThreeLog zero d0", &ThreeLogDistance{Distance1: 1, Distance2: 2}},
		{"ThreeLog NaN exponent", &ThreeLogDistance{Distance0: 1, Distance1: 2, Distance2: 3, Exponent1: nan}},
		{"Range negative", &Range{Distance: -1}},
		{"Range NaN", &Range{Distance: nan}},
		{"FixedRss NaN", &FixedRss{Rss: nan}},
		{"Matrix NaN", &Matrix{DefaultLoss: nan}},
		{"Random nil", &Random{}},
		{"Chain nil model", NewChain(DefaultFriis(), nil)},
		{"Chain bad model", NewChain(DefaultFriis(), &Range{Distance: -3})},
		{"ConstantSpeed zero", &ConstantSpeed{}},
		{"ConstantSpeed infinite", &ConstantSpeed{Speed: inf}},
		{"RandomDelay nil", &RandomDelay{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Error(t, tt.v.Validate()) })
	}
	for _, v := range []interface{ Validate() error }{
		DefaultFriis(), DefaultLogDistance(), DefaultThreeLogDistance(), DefaultRange(),
		DefaultFixedRss(), DefaultMatrix(), DefaultConstantSpeed(), &Range{Distance: inf},
		NewChain(DefaultLogDistance(), DefaultRange()),
	} {
		assert.NoError(t, v.Validate(), "%T", v)
	}
}

// constant is a distribution that always returns its value.
type constant float64

func (c constant) Rand() float64 { return float64(c) }

func TestRandom(t *testing.T) {
	a, b := at(10)
	// ns-3's default variable: the constant 1 dB.
	assert.InDelta(t, tx-1, (&Random{Loss: constant(1)}).RxPower(tx, a, b), 1e-12)

	draw := func(name string) []float64 {
		m := &Random{Loss: distuv.Normal{Mu: 5, Sigma: 4, Src: sim.NewStream(1, 1, name)}}
		var ps []float64
		for range 5 {
			ps = append(ps, m.RxPower(tx, a, b))
		}
		return ps
	}
	assert.Equal(t, draw("shadowing"), draw("shadowing"))
	assert.NotEqual(t, draw("shadowing"), draw("other"))
}
