package antenna

import (
	"fmt"
	"math"
)

// Element is the radiation pattern of one antenna element, ns-3's
// AntennaModel: the gain (dBi) in a direction of the element's local
// coordinate system (azimuth in [-π, π], inclination in [0, π], radians;
// boresight at azimuth 0, inclination π/2). Implementations must be pure
// functions of the angles and never panic.
type Element interface {
	GainDb(azimuth, inclination float64) float64
}

// Isotropic is an element with the same gain in every direction, ns-3's
// IsotropicAntennaModel (src/antenna/model/isotropic-antenna-model.cc),
// whose Gain attribute defaults to 0 dB. It is the element of ns-3's and
// 5G-LENA's phased arrays unless one is set.
type Isotropic struct {
	// Gain is the gain in every direction (dBi, default 0).
	Gain float64
}

// GainDb returns the constant gain.
func (e Isotropic) GainDb(_, _ float64) float64 { return e.Gain }

// ThreeGPPElement is the TR 38.901 Table 7.3-1 element pattern, ns-3's
// ThreeGppAntennaModel (src/antenna/model/three-gpp-antenna-model.cc):
//
//	A_V(θ) = -min(12·((θ-90°)/θ3dB)², SLA_V)
//	A_H(φ) = -min(12·(φ/φ3dB)², A_max)
//	A(θ, φ) = G_max - min(-(A_V + A_H), A_max)
//
// Use DefaultThreeGPPElement (outdoor: 65° beamwidths, 30 dB front-back
// ratio and side-lobe level, 8 dBi) or IndoorThreeGPPElement (ns-3's
// INDOOR pattern: 90°, 25 dB, 5 dBi).
type ThreeGPPElement struct {
	// VerticalBeamwidthDeg is θ3dB, the vertical half-power beamwidth.
	VerticalBeamwidthDeg float64
	// HorizontalBeamwidthDeg is φ3dB, the horizontal half-power beamwidth.
	HorizontalBeamwidthDeg float64
	// MaxAttenuationDb is A_max, the front-back ratio.
	MaxAttenuationDb float64
	// SideLobeDb is SLA_V, the vertical side-lobe attenuation.
	SideLobeDb float64
	// MaxGainDbi is G_max, the gain at boresight.
	MaxGainDbi float64
}

// DefaultThreeGPPElement returns ns-3's default (OUTDOOR) 3GPP element:
// 65° half-power beamwidths, 30 dB front-back ratio and vertical side-lobe
// attenuation, 8 dBi maximum gain (TR 38.901 Table 7.3-1).
func DefaultThreeGPPElement() ThreeGPPElement {
	return ThreeGPPElement{VerticalBeamwidthDeg: 65, HorizontalBeamwidthDeg: 65, MaxAttenuationDb: 30, SideLobeDb: 30, MaxGainDbi: 8}
}

// IndoorThreeGPPElement returns ns-3's INDOOR 3GPP element
// (ThreeGppAntennaModel::SetIndoorAntennaPattern): 90° beamwidths, 25 dB,
// 5 dBi.
func IndoorThreeGPPElement() ThreeGPPElement {
	return ThreeGPPElement{VerticalBeamwidthDeg: 90, HorizontalBeamwidthDeg: 90, MaxAttenuationDb: 25, SideLobeDb: 25, MaxGainDbi: 5}
}

// Validate reports beamwidths that are not positive and finite, or
// attenuations and gain that are not finite (attenuations also negative).
func (e ThreeGPPElement) Validate() error {
	for _, f := range [...]struct {
		name string
		v    float64
	}{{"VerticalBeamwidthDeg", e.VerticalBeamwidthDeg}, {"HorizontalBeamwidthDeg", e.HorizontalBeamwidthDeg}} {
		if !(f.v > 0 && f.v <= 360) {
			return fmt.Errorf("antenna: ThreeGPPElement.%s %g must be in (0, 360]", f.name, f.v)
		}
	}
	for _, f := range [...]struct {
		name string
		v    float64
	}{{"MaxAttenuationDb", e.MaxAttenuationDb}, {"SideLobeDb", e.SideLobeDb}} {
		if !(f.v >= 0 && f.v <= math.MaxFloat64) {
			return fmt.Errorf("antenna: ThreeGPPElement.%s %g must be >= 0 and finite", f.name, f.v)
		}
	}
	if math.IsNaN(e.MaxGainDbi) || math.IsInf(e.MaxGainDbi, 0) {
		return fmt.Errorf("antenna: ThreeGPPElement.MaxGainDbi %g must be finite", e.MaxGainDbi)
	}
	return nil
}

// GainDb returns the Table 7.3-1 gain (dBi) at the angles (radians), as
// ThreeGppAntennaModel::GetGainDb.
func (e ThreeGPPElement) GainDb(azimuth, inclination float64) float64 {
	phiDeg := azimuth * RadToDeg
	thetaDeg := inclination * RadToDeg
	v := (thetaDeg - 90) / e.VerticalBeamwidthDeg
	h := phiDeg / e.HorizontalBeamwidthDeg
	vert := -math.Min(e.SideLobeDb, 12*v*v)
	horiz := -math.Min(e.MaxAttenuationDb, 12*h*h)
	return e.MaxGainDbi - math.Min(e.MaxAttenuationDb, -(vert+horiz))
}
