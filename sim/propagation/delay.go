package propagation

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/netgym/netgym/internal/ns3time"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
)

// MaxDelay is the longest propagation delay a DelayModel of this package
// returns: 10^6 s (11.6 days), about 10^5 times the delay between any two
// positions mobility.ValidatePosition accepts at the speed of light. Longer
// delays (a distance or a speed outside any physical range) saturate at
// MaxDelay, so that now + delay never overflows sim.Time in a simulation
// that stays within half of it. A medium that takes delays from other
// models should clamp them to [0, MaxDelay] too.
const MaxDelay = 1_000_000 * sim.Second

// DelayModel computes how long a signal takes from a to b: ns-3's
// PropagationDelayModel. Implementations return a delay in [0, MaxDelay].
type DelayModel interface {
	Delay(a, b mobility.Vector) sim.Time
}

// ClampDelay returns d limited to [0, MaxDelay].
func ClampDelay(d sim.Time) sim.Time { return min(max(d, 0), MaxDelay) }

// ConstantSpeed is ns-3's ConstantSpeedPropagationDelayModel: the delay is
// distance/Speed seconds, converted to nanoseconds exactly as ns-3's
// Seconds(double) does (see NS3Seconds).
type ConstantSpeed struct {
	// Speed is the propagation speed in m/s (ns-3 default 299792458, the
	// speed of light in vacuum).
	Speed float64
}

// DefaultConstantSpeed returns ns-3 3.37's default: the speed of light.
func DefaultConstantSpeed() *ConstantSpeed { return &ConstantSpeed{Speed: SpeedOfLight} }

// Validate reports a speed that is not positive and finite.
func (m *ConstantSpeed) Validate() error {
	if !(m.Speed > 0) || math.IsInf(m.Speed, 0) {
		return fmt.Errorf("propagation: ConstantSpeed speed %g m/s must be positive and finite", m.Speed)
	}
	return nil
}

// Delay returns the propagation delay between a and b, saturated at
// MaxDelay (positions that are not finite give MaxDelay too).
func (m *ConstantSpeed) Delay(a, b mobility.Vector) sim.Time {
	return m.DelayAtDistance(a.Distance(b))
}

// DelayAtDistance returns the delay over distance d (mobility.Vector.
// Distance's result): Delay of two positions d apart, bit for bit.
func (m *ConstantSpeed) DelayAtDistance(d float64) sim.Time {
	s := d / m.Speed
	if s != s {
		return MaxDelay
	}
	return ClampDelay(NS3Seconds(s))
}

// RandomDelay is ns-3's RandomPropagationDelayModel: every call draws a
// fresh delay in seconds from Seconds, whatever the positions. ns-3's
// default variable is Uniform[0, 1) s, e.g.
//
//	&propagation.RandomDelay{Seconds: distuv.Uniform{Min: 0, Max: 1, Src: s.Stream("delay")}}
//
// Negative draws give a zero delay (ns-3 would abort scheduling in the
// past); draws beyond MaxDelay give MaxDelay.
type RandomDelay struct {
	// Seconds is the distribution of the delay in seconds.
	Seconds distuv.Rander
}

// Validate reports a missing distribution.
func (m *RandomDelay) Validate() error {
	if m.Seconds == nil {
		return errNilRander
	}
	return nil
}

// Delay returns a fresh draw of Seconds, converted as NS3Seconds does.
func (m *RandomDelay) Delay(_, _ mobility.Vector) sim.Time {
	return ClampDelay(NS3Seconds(m.Seconds.Rand()))
}

// NS3Seconds converts seconds to sim.Time exactly as ns-3 3.37's
// Seconds(double) does at its default nanosecond resolution
// (src/core/model/nstime.h, int64x64-128.h): the double is first converted to
// a Q64.64 fixed-point number, its fraction rounded to the nearest 2^-64
// (ties up), then multiplied exactly by 10^9, and the product rounded to the
// nearest integer with ties away from zero (int64x64_t::Round). This differs
// from math.Round(s*1e9) only when the exact product lies within about
// 3e-11 ns of a half nanosecond, but then it matches ns-3's event times bit
// for bit. NaN gives 0; results beyond the range of sim.Time saturate.
func NS3Seconds(s float64) sim.Time { return ns3time.FromSeconds(s) }
