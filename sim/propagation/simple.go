package propagation

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/netgym/netgym/sim/mobility"
)

// OutOfRangeDbm is the power ns-3's RangePropagationLossModel returns beyond
// its range: low enough that no receiver hears it.
const OutOfRangeDbm = -1000.0

// Range is ns-3's RangePropagationLossModel: within Distance (inclusive) the
// power passes unchanged, beyond it the received power is OutOfRangeDbm
// (-1000 dBm). Chain it after a path loss model to cut reception off at a
// fixed distance.
type Range struct {
	// Distance is the transmission range in metres (ns-3's MaxRange
	// attribute, default 250 m).
	Distance float64
}

// DefaultRange returns ns-3 3.37's default: a 250 m range.
func DefaultRange() *Range { return &Range{Distance: 250} }

// Validate reports a range that is negative or NaN. An infinite range is
// allowed.
func (m *Range) Validate() error {
	if !(m.Distance >= 0) {
		return fmt.Errorf("propagation: Range distance %g m must be non-negative", m.Distance)
	}
	return nil
}

// RxPower returns txPowerDbm within range and OutOfRangeDbm beyond.
func (m *Range) RxPower(txPowerDbm float64, a, b mobility.Vector) float64 {
	if a.Distance(b) <= m.Distance {
		return txPowerDbm
	}
	return OutOfRangeDbm
}

// Monotone reports true. (Strictly, the model is non-increasing in distance
// only for input powers above OutOfRangeDbm, which covers every practical
// floor.)
func (m *Range) Monotone() bool { return true }

// MaxRange returns Distance, 0 if txPowerDbm is already below the floor,
// and +Inf if the floor is at or below OutOfRangeDbm.
func (m *Range) MaxRange(txPowerDbm, floorDbm float64) float64 {
	switch {
	case !(txPowerDbm >= floorDbm):
		return 0
	case OutOfRangeDbm >= floorDbm:
		return math.Inf(1)
	}
	return m.Distance
}

// FixedRss is ns-3's FixedRssLossModel: every receiver gets Rss dBm,
// whatever the transmit power and distance.
type FixedRss struct {
	// Rss is the received power in dBm (ns-3 default -150 dBm).
	Rss float64
}

// DefaultFixedRss returns ns-3 3.37's default: -150 dBm.
func DefaultFixedRss() *FixedRss { return &FixedRss{Rss: -150} }

// Validate reports a NaN power (infinities are allowed: -Inf is silence).
func (m *FixedRss) Validate() error {
	if math.IsNaN(m.Rss) {
		return fmt.Errorf("propagation: FixedRss power is NaN")
	}
	return nil
}

// RxPower returns Rss.
func (m *FixedRss) RxPower(float64, mobility.Vector, mobility.Vector) float64 { return m.Rss }

// Monotone reports true: the power is constant.
func (m *FixedRss) Monotone() bool { return true }

// MaxRange returns 0 if Rss is below the floor, +Inf otherwise.
func (m *FixedRss) MaxRange(_, floorDbm float64) float64 {
	if m.Rss < floorDbm {
		return 0
	}
	return math.Inf(1)
}

type positionPair struct{ a, b mobility.Vector }

// Matrix is ns-3's MatrixPropagationLossModel: a loss in dB set per ordered
// pair of endpoints, and a default loss for every other pair.
//
// ns-3 keys the matrix by mobility model; netgym's loss models see positions,
// so Matrix is keyed by the pair of positions, compared exactly. It suits
// nodes that do not move (ConstantPosition), which is how ns-3's matrix model
// is used: set losses with the nodes' positions, and place no two nodes at
// the same position. Lookups do not allocate.
type Matrix struct {
	// DefaultLoss is the loss in dB of pairs without an entry (ns-3 default
	// math.MaxFloat64, i.e. no reception).
	DefaultLoss float64

	loss map[positionPair]float64
}

// DefaultMatrix returns an empty matrix with ns-3's default loss,
// math.MaxFloat64 dB.
func DefaultMatrix() *Matrix { return &Matrix{DefaultLoss: math.MaxFloat64} }

// Validate reports a NaN default loss.
func (m *Matrix) Validate() error {
	if math.IsNaN(m.DefaultLoss) {
		return fmt.Errorf("propagation: Matrix default loss is NaN")
	}
	return nil
}

// SetLoss sets the loss in dB from a to b and, if symmetric, from b to a, as
// ns-3's MatrixPropagationLossModel::SetLoss. It reports a NaN loss or
// position.
func (m *Matrix) SetLoss(a, b mobility.Vector, lossDb float64, symmetric bool) error {
	if math.IsNaN(lossDb) {
		return fmt.Errorf("propagation: Matrix loss from %v to %v is NaN", a, b)
	}
	for _, c := range [...]float64{a.X, a.Y, a.Z, b.X, b.Y, b.Z} {
		if math.IsNaN(c) {
			return fmt.Errorf("propagation: Matrix position %v or %v has a NaN coordinate", a, b)
		}
	}
	if m.loss == nil {
		m.loss = make(map[positionPair]float64)
	}
	m.loss[positionPair{a, b}] = lossDb
	if symmetric {
		m.loss[positionPair{b, a}] = lossDb
	}
	return nil
}

// Loss returns the loss in dB from a to b: the entry set for the pair, or
// DefaultLoss.
func (m *Matrix) Loss(a, b mobility.Vector) float64 {
	if l, ok := m.loss[positionPair{a, b}]; ok {
		return l
	}
	return m.DefaultLoss
}

// RxPower returns txPowerDbm minus the pair's loss.
func (m *Matrix) RxPower(txPowerDbm float64, a, b mobility.Vector) float64 {
	return txPowerDbm - m.Loss(a, b)
}

// MaxRange returns 0 if even the smallest loss of the matrix puts the power
// below the floor, +Inf otherwise (the loss does not depend on distance).
func (m *Matrix) MaxRange(txPowerDbm, floorDbm float64) float64 {
	minLoss := m.DefaultLoss
	for _, l := range m.loss {
		minLoss = math.Min(minLoss, l)
	}
	if txPowerDbm-minLoss < floorDbm {
		return 0
	}
	return math.Inf(1)
}

// Random is ns-3's RandomPropagationLossModel: every call draws a fresh loss
// in dB from Loss, rx = tx - Loss.Rand(). ns-3's default variable is the
// constant 1 dB. Any gonum distuv distribution drawing from a simulation
// stream fits, e.g.
//
//	&propagation.Random{Loss: distuv.Normal{Mu: 0, Sigma: 4, Src: s.Stream("shadowing")}}
//
// Random is not monotone, so MaxRange never culls through it.
type Random struct {
	// Loss is the distribution of the loss in dB.
	Loss distuv.Rander
}

// Validate reports a missing distribution.
func (m *Random) Validate() error {
	if m.Loss == nil {
		return errNilRander
	}
	return nil
}

// RxPower returns txPowerDbm minus a fresh draw of Loss.
func (m *Random) RxPower(txPowerDbm float64, _, _ mobility.Vector) float64 {
	return txPowerDbm + -m.Loss.Rand()
}
