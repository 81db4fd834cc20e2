package antenna

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"

	"github.com/netgym/netgym/sim/mobility"
)

// UPAConfig configures a uniform planar array. The defaults are ns-3.45's
// UniformPlanarArray attributes (src/antenna/model/uniform-planar-array.cc).
// Dual polarisation (IsDualPolarized) and antenna ports other than one
// (NumVerticalPorts, NumHorizontalPorts) are not modelled: every array has
// one polarisation and one port, the single-layer configuration 5G-LENA
// uses by default and ns3-mmwave always.
type UPAConfig struct {
	// Rows and Columns are the numbers of elements vertically and
	// horizontally (ns-3's NumRows and NumColumns, default 4 and 4).
	Rows, Columns int
	// HorizontalSpacing and VerticalSpacing are the element spacings in
	// wavelengths (ns-3's AntennaHorizontalSpacing and
	// AntennaVerticalSpacing, default 0.5).
	HorizontalSpacing, VerticalSpacing float64
	// Bearing is the array's bearing angle α in radians, in [-π, π]
	// (ns-3's BearingAngle, default 0: the array faces the +x axis).
	Bearing float64
	// Downtilt is the array's downtilt angle β in radians, in [-π, π]
	// (ns-3's DowntiltAngle, default 0).
	Downtilt float64
	// PolSlant is the polarisation slant angle ζ in radians, in [-π, π]
	// (ns-3's PolSlantAngle, default 0: vertical polarisation).
	PolSlant float64
	// Element is the radiation pattern of every element (ns-3's
	// AntennaElement, default Isotropic{}).
	Element Element
}

// DefaultUPAConfig returns ns-3.45's UniformPlanarArray defaults: 4 x 4
// isotropic elements spaced half a wavelength apart, no bearing, downtilt
// or polarisation slant.
func DefaultUPAConfig() UPAConfig {
	return UPAConfig{Rows: 4, Columns: 4, HorizontalSpacing: 0.5, VerticalSpacing: 0.5, Element: Isotropic{}}
}

// maxElements bounds an array (ns-3 indexes elements with 16-bit port
// arithmetic; a 256 x 256 array is far beyond any 3GPP configuration).
const maxElements = 1 << 16

// Validate reports sizes below 1 or above 65536 elements, spacings that
// are not positive and finite, angles outside [-π, π], a nil element, or
// an invalid ThreeGPPElement.
func (c UPAConfig) Validate() error {
	if c.Rows < 1 || c.Columns < 1 || c.Rows*c.Columns > maxElements || c.Rows > maxElements || c.Columns > maxElements {
		return fmt.Errorf("antenna: UPAConfig.Rows %d and Columns %d must be >= 1 with at most %d elements", c.Rows, c.Columns, maxElements)
	}
	if !(c.HorizontalSpacing > 0 && c.HorizontalSpacing <= math.MaxFloat64) {
		return fmt.Errorf("antenna: UPAConfig.HorizontalSpacing %g wavelengths must be positive and finite", c.HorizontalSpacing)
	}
	if !(c.VerticalSpacing > 0 && c.VerticalSpacing <= math.MaxFloat64) {
		return fmt.Errorf("antenna: UPAConfig.VerticalSpacing %g wavelengths must be positive and finite", c.VerticalSpacing)
	}
	for _, f := range [...]struct {
		name string
		v    float64
	}{{"Bearing", c.Bearing}, {"Downtilt", c.Downtilt}, {"PolSlant", c.PolSlant}} {
		if !(f.v >= -math.Pi && f.v <= math.Pi) {
			return fmt.Errorf("antenna: UPAConfig.%s %g rad must be in [-π, π]", f.name, f.v)
		}
	}
	if c.Element == nil {
		return errors.New("antenna: UPAConfig.Element is nil (use Isotropic{} or DefaultThreeGPPElement())")
	}
	if v, ok := c.Element.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Array is a uniform planar array of identical, single-polarised elements,
// ns-3.45's UniformPlanarArray: element locations, element field patterns
// in the global coordinate system, steering vectors, and the beam (the
// weights) it currently uses. Construct it with NewUPA.
//
// The elements lie in the array's y'-z' plane, element i in column i mod
// Columns and row i / Columns, counted from the bottom-left corner, and the
// plane is rotated by the bearing and downtilt (TR 38.901 7.1-4). Locations
// are in wavelengths, as the channel model's phase terms expect.
type Array struct {
	cfg            UPAConfig
	loc            []mobility.Vector
	cosA, sinA     float64
	cosB, sinB     float64
	cosPol, sinPol float64
	beam           *Beam
	// isoAmp is the field amplitude of an isotropic element on an array
	// without bearing, downtilt or slant, whose field pattern is then
	// (0, isoAmp) in every direction; 0 otherwise.
	isoAmp float64
}

// NewUPA returns the array configured by cfg. Its beam is 5G-LENA's
// quasi-omni beam (QuasiOmniWeights), which BeamManager installs before
// the first beamforming run.
func NewUPA(cfg UPAConfig) (*Array, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	a := &Array{
		cfg:  cfg,
		cosA: math.Cos(cfg.Bearing), sinA: math.Sin(cfg.Bearing),
		cosB: math.Cos(cfg.Downtilt), sinB: math.Sin(cfg.Downtilt),
		cosPol: math.Cos(cfg.PolSlant), sinPol: math.Sin(cfg.PolSlant),
	}
	n := cfg.Rows * cfg.Columns
	a.loc = make([]mobility.Vector, n)
	for i := range n {
		// UniformPlanarArray::GetElementLocation: LCS (0, dH·col, dV·row)
		// rotated to the GCS by TR 38.901 eq. 7.1-4.
		yp := cfg.HorizontalSpacing * float64(i%cfg.Columns)
		zp := cfg.VerticalSpacing * float64(i/cfg.Columns)
		a.loc[i] = mobility.Vector{
			X: -a.sinA*yp + a.cosA*a.sinB*zp,
			Y: a.cosA*yp + a.sinA*a.sinB*zp,
			Z: a.cosB * zp,
		}
	}
	a.beam = NewBeam(a.QuasiOmniWeights(nil))
	if iso, ok := cfg.Element.(Isotropic); ok && cfg.Bearing == 0 && cfg.Downtilt == 0 && cfg.PolSlant == 0 {
		a.isoAmp = math.Pow(10, iso.Gain/20)
	}
	return a, nil
}

// Lattice returns the displacement (in wavelengths, global coordinates)
// from an element to its neighbour in the next column and in the next row:
// element i is at (i mod Columns)·col + (i / Columns)·row. It lets a
// channel model compute the phases of a plane wave at every element from
// one complex exponential per column and per row.
func (a *Array) Lattice() (col, row mobility.Vector) {
	dH, dV := a.cfg.HorizontalSpacing, a.cfg.VerticalSpacing
	return mobility.Vector{X: -a.sinA * dH, Y: a.cosA * dH},
		mobility.Vector{X: a.cosA * a.sinB * dV, Y: a.sinA * a.sinB * dV, Z: a.cosB * dV}
}

// Config returns the array's configuration.
func (a *Array) Config() UPAConfig { return a.cfg }

// NumElems returns the number of elements (Rows x Columns).
func (a *Array) NumElems() int { return len(a.loc) }

// Location returns element i's position relative to the array's corner,
// in wavelengths, in the global coordinate system. It returns the zero
// vector for an index out of range.
func (a *Array) Location(i int) mobility.Vector {
	if i < 0 || i >= len(a.loc) {
		return mobility.Vector{}
	}
	return a.loc[i]
}

// FieldPattern returns the element field pattern (F_φ, F_θ) in the
// direction dir of the global coordinate system, as
// UniformPlanarArray::GetElementFieldPattern: the direction is converted
// to the array's local system (TR 38.901 eq. 7.1-7, 7.1-8), the element's
// power gain A' gives the local field sqrt(A')·(cos ζ, sin ζ) for the
// polarisation slant ζ (eq. 7.3-4, 7.3-5), and the rotation ψ of eq.
// 7.1-15 turns it back to the global system (eq. 7.1-11).
func (a *Array) FieldPattern(dir Angles) (phi, theta float64) {
	if a.isoAmp != 0 {
		// No rotation (ψ = 0) and no slant: the vertical field only, as
		// the general formula gives.
		return 0, a.isoAmp
	}
	cosIncl, sinIncl := math.Cos(dir.Inclination), math.Sin(dir.Inclination)
	cosAz, sinAz := math.Cos(dir.Azimuth-a.cfg.Bearing), math.Sin(dir.Azimuth-a.cfg.Bearing)
	thetaP := math.Acos(a.cosB*cosIncl + a.sinB*cosAz*sinIncl)
	phiP := math.Atan2(sinAz*sinIncl, a.cosB*sinIncl*cosAz-a.sinB*cosIncl)
	local := NewAngles(phiP, thetaP)
	amp := math.Pow(10, a.cfg.Element.GainDb(local.Azimuth, local.Inclination)/20)
	fThetaP := amp * a.cosPol
	fPhiP := amp * a.sinPol
	psi := math.Atan2(a.sinB*sinAz, a.cosB*sinIncl-a.sinB*cosIncl*cosAz)
	cosPsi, sinPsi := math.Cos(psi), math.Sin(psi)
	return sinPsi*fThetaP + cosPsi*fPhiP, cosPsi*fThetaP - sinPsi*fPhiP
}

// GainDb returns the element's power gain (dBi) in direction dir of the
// global coordinate system: 10·log10(F_φ² + F_θ²).
func (a *Array) GainDb(dir Angles) float64 {
	p, t := a.FieldPattern(dir)
	return 10 * math.Log10(p*p+t*t)
}

// phase returns 2π·(r̂·loc) for the unit vector of dir and element i.
func (a *Array) phase(sinIncl, cosIncl, sinAz, cosAz float64, i int) float64 {
	l := a.loc[i]
	return 2 * math.Pi * (sinIncl*cosAz*l.X + sinIncl*sinAz*l.Y + cosIncl*l.Z)
}

// resize returns dst with length n, reusing its memory when it can.
func resize(dst []complex128, n int) []complex128 {
	if cap(dst) >= n {
		return dst[:n]
	}
	return make([]complex128, n)
}

// SteeringVector stores in dst (resized to NumElems, reusing its memory)
// and returns ns-3's PhasedArrayModel::GetSteeringVector in direction dir:
// element i's entry is exp(-j·2π·r̂·loc_i), of unit modulus.
func (a *Array) SteeringVector(dst []complex128, dir Angles) []complex128 {
	return a.steer(dst, dir.Azimuth, dir.Inclination, 1)
}

// steer fills dst with exp(-j·2π·r̂·loc)·scale.
func (a *Array) steer(dst []complex128, az, incl, scale float64) []complex128 {
	dst = resize(dst, len(a.loc))
	sinI, cosI := math.Sincos(incl)
	sinA, cosA := math.Sincos(az)
	for i := range dst {
		s, c := math.Sincos(-a.phase(sinI, cosI, sinA, cosA, i))
		dst[i] = complex(c*scale, s*scale)
	}
	return dst
}

// DirectPathWeights stores in dst and returns 5G-LENA's direct-path beam
// of this array at from towards to (beamforming-vector.cc,
// CreateDirectPathBfv): the steering vector in the geometric direction
// DirectionTo(from, to), scaled by 1/sqrt(NumElems) so that the beam has
// unit power. With these weights at both ends, a line-of-sight ray gains
// NumElems at each array.
func (a *Array) DirectPathWeights(dst []complex128, from, to mobility.Vector) []complex128 {
	d := DirectionTo(from, to)
	return a.steer(dst, d.Azimuth, d.Inclination, 1/math.Sqrt(float64(len(a.loc))))
}

// DirectionalWeights stores in dst and returns 5G-LENA's sector beam
// (beamforming-vector.cc, CreateDirectionalBfv), the codebook of its
// cell-scan beamforming: the steering vector towards azimuth
// π·sector/Columns - π/2 and inclination elevationDeg (degrees), scaled by
// 1/sqrt(NumElems).
func (a *Array) DirectionalWeights(dst []complex128, sector, elevationDeg float64) []complex128 {
	az := math.Pi*(sector/float64(a.cfg.Columns)) - 0.5*math.Pi
	incl := elevationDeg * math.Pi / 180
	return a.steer(dst, az, incl, 1/math.Sqrt(float64(len(a.loc))))
}

// QuasiOmniWeights stores in dst and returns 5G-LENA's quasi-omni beam
// (beamforming-vector.cc, CreateQuasiOmniBfv): Zadoff-Chu-like phases
// exp(jπ·r²/Rows)·exp(jπ·c²/Columns) (r(r+1) and c(c+1) for odd sizes)
// scaled by 1/sqrt(NumElems). A 1 x 1 array's quasi-omni weight is 1.
func (a *Array) QuasiOmniWeights(dst []complex128) []complex128 {
	dst = resize(dst, len(a.loc))
	rows, cols := a.cfg.Rows, a.cfg.Columns
	power := 1 / math.Sqrt(float64(len(a.loc)))
	k := 0
	for r := range rows {
		var c complex128
		if rows%2 == 0 {
			c = cmplx.Exp(complex(0, math.Pi*float64(r*r)/float64(rows)))
		} else {
			c = cmplx.Exp(complex(0, math.Pi*float64(r*(r+1))/float64(rows)))
		}
		for col := range cols {
			var d complex128
			if cols%2 == 0 {
				d = cmplx.Exp(complex(0, math.Pi*float64(col*col)/float64(cols)))
			} else {
				d = cmplx.Exp(complex(0, math.Pi*float64(col*(col+1))/float64(cols)))
			}
			dst[k] = c * d * complex(power, 0)
			k++
		}
	}
	return dst
}

// ArrayFactor returns Σ_i w_i·exp(j·2π·r̂·loc_i), the complex gain of
// weights w (one per element) for a plane wave in direction dir, without
// the element pattern. It returns 0 if len(w) differs from NumElems.
// |ArrayFactor|² of a direct-path beam in its own direction is NumElems.
func (a *Array) ArrayFactor(w []complex128, dir Angles) complex128 {
	if len(w) != len(a.loc) {
		return 0
	}
	sinI, cosI := math.Sincos(dir.Inclination)
	sinA, cosA := math.Sincos(dir.Azimuth)
	var sum complex128
	for i, wi := range w {
		s, c := math.Sincos(a.phase(sinI, cosI, sinA, cosA, i))
		sum += wi * complex(c, s)
	}
	return sum
}

// Beam returns the beam the array currently uses.
func (a *Array) Beam() *Beam { return a.beam }

// SetBeam makes the array use b (shared, not copied: a later b.Set is seen
// by the array). It reports a beam whose length is not NumElems.
func (a *Array) SetBeam(b *Beam) error {
	if b == nil || len(b.w) != len(a.loc) {
		n := -1
		if b != nil {
			n = len(b.w)
		}
		return fmt.Errorf("antenna: beam of %d weights for an array of %d elements", n, len(a.loc))
	}
	a.beam = b
	return nil
}
