package antenna

import (
	"math"

	"github.com/netgym/netgym/sim/mobility"
)

// DegToRad and RadToDeg convert angles as ns-3 does (src/antenna/model/
// angles.cc: DEG_TO_RAD = π/180, RAD_TO_DEG = 180/π).
const (
	DegToRad = math.Pi / 180
	RadToDeg = 180 / math.Pi
)

// Angles is a direction in spherical coordinates, ns-3's Angles: the
// azimuth φ in the x-y plane from the x axis, in [-π, π), and the
// inclination θ from the z axis, in [0, π], both in radians (TR 38.901's
// global coordinate system: θ = 90° is the horizon, θ = 0 the zenith).
type Angles struct {
	Azimuth, Inclination float64
}

// NewAngles returns the angles with the azimuth wrapped to [-π, π) as
// ns-3's Angles constructor does (WrapToPi).
func NewAngles(azimuth, inclination float64) Angles {
	return Angles{Azimuth: WrapToPi(azimuth), Inclination: inclination}
}

// Direction returns the direction of v as ns-3's Angles(Vector):
// azimuth atan2(y, x), inclination acos(z/|v|). The zero vector, whose
// direction is undefined, gives ns-3's convention: the direction of
// (0.001, 0, 0) (azimuth 0, inclination π/2).
func Direction(v mobility.Vector) Angles {
	if v.X == 0 && v.Y == 0 && v.Z == 0 {
		return NewAngles(math.Atan2(v.Y, 0.001), math.Acos(v.Z/0.001))
	}
	return NewAngles(math.Atan2(v.Y, v.X), math.Acos(v.Z/v.Len()))
}

// DirectionTo returns the direction of to as seen from from: ns-3's
// Angles(to, from), Direction(to - from).
func DirectionTo(from, to mobility.Vector) Angles { return Direction(to.Sub(from)) }

// wrapRange is INT_RANGE of ns-3's WrapTo* functions.
const wrapRange = 100000000000

// WrapToPi wraps an angle to [-π, π) as ns-3's WrapToPi: through an
// integer count of 1e-11 turns, so that results match ns-3's to the last
// bit (the quantisation is about 6e-11 rad).
func WrapToPi(a float64) float64 {
	b := int64(a / (2 * math.Pi) * wrapRange)
	b %= wrapRange
	if b < -wrapRange/2 {
		b += wrapRange
	} else if b >= wrapRange/2 {
		b -= wrapRange
	}
	return float64(b) * (2 * math.Pi) / wrapRange
}

// WrapTo2Pi wraps an angle to [0, 2π) as ns-3's WrapTo2Pi (the same
// integer quantisation as WrapToPi).
func WrapTo2Pi(a float64) float64 {
	b := int64(a / (2 * math.Pi) * wrapRange)
	b %= wrapRange
	if b < 0 {
		b += wrapRange
	}
	return float64(b) * (2 * math.Pi) / wrapRange
}
