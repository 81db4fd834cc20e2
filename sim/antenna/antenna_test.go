package antenna

import (
	"math"
	"math/cmplx"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim/mobility"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		in, pi, twoPi float64
	}{
		{0, 0, 0},
		{math.Pi / 2, math.Pi / 2, math.Pi / 2},
		{-math.Pi / 2, -math.Pi / 2, 3 * math.Pi / 2},
		{3 * math.Pi, -math.Pi, math.Pi},
		{-3 * math.Pi, -math.Pi, math.Pi},
		{7, 7 - 2*math.Pi, 7 - 2*math.Pi},
	}
	for _, tc := range tests {
		require.InDelta(t, tc.pi, WrapToPi(tc.in), 1e-9, "WrapToPi(%g)", tc.in)
		require.InDelta(t, tc.twoPi, WrapTo2Pi(tc.in), 1e-9, "WrapTo2Pi(%g)", tc.in)
	}
}

func TestDirection(t *testing.T) {
	tests := []struct {
		name        string
		from, to    mobility.Vector
		az, inclDeg float64
	}{
		{"east", mobility.Vector{}, mobility.Vector{X: 10}, 0, 90},
		{"north", mobility.Vector{}, mobility.Vector{Y: 10}, math.Pi / 2, 90},
		{"west wraps to -pi", mobility.Vector{}, mobility.Vector{X: -10}, -math.Pi, 90},
		{"up", mobility.Vector{}, mobility.Vector{Z: 3}, 0, 0},
		// gNB at 25 m to a UE 100 m away at 1.5 m: 103.2° from the zenith.
		{"down to a UE", mobility.Vector{Z: 25}, mobility.Vector{X: 100, Z: 1.5}, 0, 90 + math.Atan(23.5/100)*RadToDeg},
		{"zero vector (ns-3's 1 mm convention)", mobility.Vector{X: 1}, mobility.Vector{X: 1}, 0, 90},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := DirectionTo(tc.from, tc.to)
			require.InDelta(t, tc.az, d.Azimuth, 1e-9)
			require.InDelta(t, tc.inclDeg, d.Inclination*RadToDeg, 1e-9)
		})
	}
}

func TestThreeGPPElement(t *testing.T) {
	e := DefaultThreeGPPElement()
	require.NoError(t, e.Validate())
	deg := func(az, incl float64) float64 { return e.GainDb(az*DegToRad, incl*DegToRad) }
	tests := []struct {
		name     string
		az, incl float64
		want     float64
	}{
		{"boresight: 8 dBi", 0, 90, 8},
		{"half the horizontal beamwidth: -3 dB", 32.5, 90, 5},
		{"half the vertical beamwidth: -3 dB", 0, 90 + 32.5, 5},
		{"back: front-back ratio 30 dB", 180, 90, -22},
		{"zenith: 12·(90/65)² dB down", 0, 0, 8 - 12*(90.0/65)*(90.0/65)},
		{"both cuts add", 60, 150, 8 - 24*(60.0/65)*(60.0/65)},
		{"both cuts add, capped at 30 dB", 90, 150, -22},
	}
	for _, tc := range tests {
		require.InDelta(t, tc.want, deg(tc.az, tc.incl), 1e-12, tc.name)
	}
	in := IndoorThreeGPPElement()
	require.InDelta(t, 5.0, in.GainDb(0, math.Pi/2), 1e-12)
	require.InDelta(t, 2.0, in.GainDb(45*DegToRad, math.Pi/2), 1e-12)
	require.InDelta(t, -20.0, in.GainDb(math.Pi, math.Pi/2), 1e-12)
}

func TestUPAConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*UPAConfig)
		err  string
	}{
		{"default", func(*UPAConfig) {}, ""},
		{"no rows", func(c *UPAConfig) { c.Rows = 0 }, "Rows 0"},
		{"too many", func(c *UPAConfig) { c.Rows, c.Columns = 1024, 1024 }, "at most 65536"},
		{"spacing", func(c *UPAConfig) { c.HorizontalSpacing = 0 }, "HorizontalSpacing 0"},
		{"vertical spacing NaN", func(c *UPAConfig) { c.VerticalSpacing = math.NaN() }, "VerticalSpacing NaN"},
		{"bearing", func(c *UPAConfig) { c.Bearing = 4 }, "Bearing 4"},
		{"downtilt", func(c *UPAConfig) { c.Downtilt = -4 }, "Downtilt -4"},
		{"slant", func(c *UPAConfig) { c.PolSlant = math.Inf(1) }, "PolSlant +Inf"},
		{"element", func(c *UPAConfig) { c.Element = nil }, "Element is nil"},
		{"3gpp element", func(c *UPAConfig) { c.Element = ThreeGPPElement{} }, "VerticalBeamwidthDeg 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultUPAConfig()
			tc.mod(&c)
			_, err := NewUPA(c)
			if tc.err == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.err)
		})
	}
}

func TestLocations(t *testing.T) {
	tests := []struct {
		name          string
		bearing, tilt float64
		want          []mobility.Vector
	}{
		{"y-z plane", 0, 0, []mobility.Vector{{}, {Y: 0.5}, {Y: 1}, {Z: 0.5}, {Y: 0.5, Z: 0.5}, {Y: 1, Z: 0.5}}},
		// A 90° bearing turns the array's y' axis onto -x.
		{"bearing 90°", math.Pi / 2, 0, []mobility.Vector{{}, {X: -0.5}, {X: -1}, {Z: 0.5}, {X: -0.5, Z: 0.5}, {X: -1, Z: 0.5}}},
		// A 90° downtilt lays the array's z' axis onto +x.
		{"downtilt 90°", 0, math.Pi / 2, []mobility.Vector{{}, {Y: 0.5}, {Y: 1}, {X: 0.5}, {X: 0.5, Y: 0.5}, {X: 0.5, Y: 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultUPAConfig()
			c.Rows, c.Columns, c.Bearing, c.Downtilt = 2, 3, tc.bearing, tc.tilt
			a, err := NewUPA(c)
			require.NoError(t, err)
			require.Equal(t, 6, a.NumElems())
			for i, w := range tc.want {
				got := a.Location(i)
				require.InDelta(t, w.X, got.X, 1e-12, "element %d x", i)
				require.InDelta(t, w.Y, got.Y, 1e-12, "element %d y", i)
				require.InDelta(t, w.Z, got.Z, 1e-12, "element %d z", i)
			}
			require.Equal(t, mobility.Vector{}, a.Location(6))
			col, row := a.Lattice()
			for i := range 6 {
				want := col.Scale(float64(i % 3)).Add(row.Scale(float64(i / 3)))
				got := a.Location(i)
				require.InDelta(t, want.X, got.X, 1e-12)
				require.InDelta(t, want.Y, got.Y, 1e-12)
				require.InDelta(t, want.Z, got.Z, 1e-12)
			}
		})
	}
}

func TestFieldPattern(t *testing.T) {
	mk := func(bearing, tilt, slant float64, e Element) *Array {
		c := DefaultUPAConfig()
		c.Bearing, c.Downtilt, c.PolSlant, c.Element = bearing, tilt, slant, e
		a, err := NewUPA(c)
		require.NoError(t, err)
		return a
	}
	iso := mk(0, 0, 0, Isotropic{})
	phi, theta := iso.FieldPattern(NewAngles(1.2, 1.1))
	require.InDelta(t, 0.0, phi, 1e-15)
	require.InDelta(t, 1.0, theta, 1e-15)

	// The isotropic shortcut is what the general computation gives.
	general := mk(0, 0, 0, wrapped{Isotropic{Gain: 2}})
	fast := mk(0, 0, 0, Isotropic{Gain: 2})
	for _, d := range []Angles{NewAngles(0, 0), NewAngles(1, 0.3), NewAngles(-2.5, math.Pi/2), NewAngles(3, math.Pi)} {
		gp, gt := general.FieldPattern(d)
		fp, ft := fast.FieldPattern(d)
		require.Equal(t, gp, fp)
		require.InDelta(t, gt, ft, 1e-15)
	}

	// A slanted polarisation splits the field; the power stays the gain.
	slanted := mk(0, 0, math.Pi/4, Isotropic{Gain: 3})
	phi, theta = slanted.FieldPattern(NewAngles(0, math.Pi/2))
	require.InDelta(t, math.Sqrt(math.Pow(10, 0.3)/2), phi, 1e-12)
	require.InDelta(t, math.Sqrt(math.Pow(10, 0.3)/2), theta, 1e-12)

	tests := []struct {
		name          string
		bearing, tilt float64
		dir           Angles
		want          float64
	}{
		{"boresight", 0, 0, NewAngles(0, math.Pi/2), 8},
		{"bearing 90° looks north", math.Pi / 2, 0, NewAngles(math.Pi/2, math.Pi/2), 8},
		{"bearing 90°, east is at the side", math.Pi / 2, 0, NewAngles(0, math.Pi/2), 8 - 12*(90.0/65)*(90.0/65)},
		{"downtilt 10° looks 10° down", 0, 10 * DegToRad, NewAngles(0, 100*DegToRad), 8},
		{"downtilt 10°, the horizon is 12·(10/65)² dB down", 0, 10 * DegToRad, NewAngles(0, math.Pi/2), 8 - 12*(10.0/65)*(10.0/65)},
	}
	for _, tc := range tests {
		a := mk(tc.bearing, tc.tilt, 0, DefaultThreeGPPElement())
		require.InDelta(t, tc.want, a.GainDb(tc.dir), 1e-9, tc.name)
	}
}

func TestWeights(t *testing.T) {
	c := DefaultUPAConfig()
	c.Rows, c.Columns = 4, 8
	gnb, err := NewUPA(c)
	require.NoError(t, err)
	power := func(w []complex128) float64 {
		s := 0.0
		for _, x := range w {
			s += real(x)*real(x) + imag(x)*imag(x)
		}
		return s
	}
	from, to := mobility.Vector{Z: 25}, mobility.Vector{X: 80, Y: -30, Z: 1.5}
	w := gnb.DirectPathWeights(nil, from, to)
	require.Len(t, w, 32)
	require.InDelta(t, 1.0, power(w), 1e-12)
	// The matched beam gains N in its own direction, less elsewhere.
	dir := DirectionTo(from, to)
	require.InDelta(t, 32.0, cmplx.Abs(gnb.ArrayFactor(w, dir))*cmplx.Abs(gnb.ArrayFactor(w, dir)), 1e-9)
	require.Less(t, cmplx.Abs(gnb.ArrayFactor(w, NewAngles(dir.Azimuth+0.5, dir.Inclination))), 3.0)
	// The steering vector is the beam without its normalisation.
	sv := gnb.SteeringVector(nil, dir)
	for i := range sv {
		require.InDelta(t, 0.0, cmplx.Abs(sv[i]/complex(math.Sqrt(32), 0)-w[i]), 1e-12)
	}
	// Reusing memory: no allocation.
	allocs := testing.AllocsPerRun(20, func() { w = gnb.DirectPathWeights(w, from, to) })
	require.Zero(t, allocs)

	// Sector beams: sector Columns/2 at 90° points along the boresight.
	d := gnb.DirectionalWeights(nil, 4, 90)
	require.InDelta(t, 1.0, power(d), 1e-12)
	require.InDelta(t, 32.0, math.Pow(cmplx.Abs(gnb.ArrayFactor(d, NewAngles(0, math.Pi/2))), 2), 1e-9)
	// Sector 0 points at azimuth -90°.
	d0 := gnb.DirectionalWeights(nil, 0, 90)
	require.InDelta(t, 32.0, math.Pow(cmplx.Abs(gnb.ArrayFactor(d0, NewAngles(-math.Pi/2, math.Pi/2))), 2), 1e-9)

	q := gnb.QuasiOmniWeights(nil)
	require.InDelta(t, 1.0, power(q), 1e-12)
	// 5G-LENA's values: element (r, c) = exp(jπ r²/4)·exp(jπ c²/8)/sqrt(32).
	require.InDelta(t, 0.0, cmplx.Abs(q[8+3]-cmplx.Exp(complex(0, math.Pi/4+math.Pi*9/8))/complex(math.Sqrt(32), 0)), 1e-12)
	one, err := NewUPA(UPAConfig{Rows: 1, Columns: 1, HorizontalSpacing: 0.5, VerticalSpacing: 0.5, Element: Isotropic{}})
	require.NoError(t, err)
	require.Equal(t, []complex128{1}, one.Beam().Weights())
	require.Equal(t, complex128(0), gnb.ArrayFactor(q[:3], dir))
}

func TestBeam(t *testing.T) {
	c := DefaultUPAConfig()
	a, err := NewUPA(c)
	require.NoError(t, err)
	require.Equal(t, 16, a.Beam().Len())
	b := NewBeam(make([]complex128, 16))
	require.Equal(t, uint64(1), b.Generation())
	require.NoError(t, a.SetBeam(b))
	require.Same(t, b, a.Beam())
	w := a.DirectPathWeights(nil, mobility.Vector{}, mobility.Vector{X: 1})
	mem := &b.Weights()[0]
	b.Set(w)
	require.Equal(t, uint64(2), b.Generation())
	require.Same(t, mem, &b.Weights()[0], "Set reuses the beam's memory")
	require.Equal(t, w, a.Beam().Weights())
	require.ErrorContains(t, a.SetBeam(NewBeam(w[:4])), "beam of 4 weights for an array of 16 elements")
	require.ErrorContains(t, a.SetBeam(nil), "beam of -1 weights")
}

// wrapped hides an element's type.
type wrapped struct{ e Element }

func (w wrapped) GainDb(az, incl float64) float64 { return w.e.GainDb(az, incl) }
