// Package mobility gives nodes positions: a 3-D Vector type, mobility models
// that say where a node is at a given simulated time, and position allocators
// that lay nodes out for scenario helpers.
//
// Models follow ns-3 3.37's mobility module (src/mobility/model) but are
// evaluated lazily from the time argument: a model answers Position(now) by
// arithmetic on its current segment of motion rather than by events, so
// querying it is cheap, allocation-free and deterministic. A model reports a
// change of course (a new waypoint leg, SetPosition, SetVelocity) to
// subscribers registered with OnCourseChange, as ns-3's CourseChange trace
// source does; a radio medium uses this to keep a spatial index up to date.
//
// Randomness (RandomWaypoint, RandomBoxAllocator) comes only from a
// *rand.Rand stream passed in by the caller, typically
// s.Stream("mobility/node-3"), so adding a node never changes another node's
// trajectory.
package mobility

import (
	"fmt"
	"math"
)

// MaxCoordinate is the largest absolute coordinate, in metres, of a
// position that netgym's helpers accept (ValidatePosition): 1e9 m, beyond
// the Moon's orbit (3.84e8 m). Any two such positions are at most 3.5e9 m
// apart, 11.6 s at the speed of light, so that distances, losses and
// propagation delays stay finite and far inside sim.Time.
const MaxCoordinate = 1e9

// MaxSpeed is the largest speed, in m/s, a mobility model accepts: the
// speed of light in vacuum.
const MaxSpeed = 299792458

// ValidatePosition reports a position whose coordinates are not finite
// numbers within [-MaxCoordinate, MaxCoordinate] metres, naming the axis.
func ValidatePosition(p Vector) error {
	for _, c := range [...]struct {
		axis string
		v    float64
	}{{"x", p.X}, {"y", p.Y}, {"z", p.Z}} {
		if !(c.v >= -MaxCoordinate && c.v <= MaxCoordinate) {
			return fmt.Errorf("mobility: position %v: %s=%g out of range [-%g, %g] m", p, c.axis, c.v, float64(MaxCoordinate), float64(MaxCoordinate))
		}
	}
	return nil
}

// Vector is a point or a displacement in 3-D space, in metres (or metres per
// second for velocities), as ns-3's Vector3D.
type Vector struct {
	X, Y, Z float64
}

// Add returns v + o.
func (v Vector) Add(o Vector) Vector { return Vector{v.X + o.X, v.Y + o.Y, v.Z + o.Z} }

// Sub returns v - o.
func (v Vector) Sub(o Vector) Vector { return Vector{v.X - o.X, v.Y - o.Y, v.Z - o.Z} }

// Scale returns k·v.
func (v Vector) Scale(k float64) Vector { return Vector{k * v.X, k * v.Y, k * v.Z} }

// Len returns the Euclidean length of v, computed as ns-3's
// Vector3D::GetLength (src/core/model/vector.cc): sqrt(x*x + y*y + z*z),
// without fused multiply-adds, so distances match ns-3 bit for bit.
func (v Vector) Len() float64 { return math.Sqrt(v.Len2()) }

// Len2 returns the squared length of v, summed as Len sums it (no fused
// multiply-add): math.Sqrt(v.Len2()) is v.Len(), bit for bit.
func (v Vector) Len2() float64 { return float64(v.X*v.X) + float64(v.Y*v.Y) + float64(v.Z*v.Z) }

// Distance returns the Euclidean distance between v and o, as ns-3's
// CalculateDistance ((o - v).GetLength()).
func (v Vector) Distance(o Vector) float64 { return o.Sub(v).Len() }

// String formats v as "(x, y, z)".
func (v Vector) String() string { return fmt.Sprintf("(%g, %g, %g)", v.X, v.Y, v.Z) }

// Box is an axis-aligned box with corners Min and Max (inclusive), like
// ns-3's Box. A box with Min.Z == Max.Z is a rectangle at height Min.Z.
type Box struct {
	Min, Max Vector
}

// Validate reports a box whose coordinates are not finite, lie beyond
// MaxCoordinate, or whose Min exceeds Max on some axis.
func (b Box) Validate() error {
	for _, c := range [...]struct {
		name     string
		min, max float64
	}{{"X", b.Min.X, b.Max.X}, {"Y", b.Min.Y, b.Max.Y}, {"Z", b.Min.Z, b.Max.Z}} {
		if !finite(c.min) || !finite(c.max) {
			return fmt.Errorf("mobility: box %s bounds [%g, %g] must be finite", c.name, c.min, c.max)
		}
		if c.min > c.max {
			return fmt.Errorf("mobility: box %s bounds [%g, %g]: min exceeds max", c.name, c.min, c.max)
		}
		if c.min < -MaxCoordinate || c.max > MaxCoordinate {
			return fmt.Errorf("mobility: box %s bounds [%g, %g] out of range [-%g, %g] m", c.name, c.min, c.max, float64(MaxCoordinate), float64(MaxCoordinate))
		}
	}
	return nil
}

// Contains reports whether p lies inside b, boundary included.
func (b Box) Contains(p Vector) bool {
	return p.X >= b.Min.X && p.X <= b.Max.X &&
		p.Y >= b.Min.Y && p.Y <= b.Max.Y &&
		p.Z >= b.Min.Z && p.Z <= b.Max.Z
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
