package propagation

import (
	"fmt"
	"math"

	"github.com/netgym/netgym/internal/fastlog"
	"github.com/netgym/netgym/sim/mobility"
)

// LogDistance is the log-distance path loss model, ns-3's
// LogDistancePropagationLossModel:
//
//	rx = tx - L0 - 10·n·log10(d/d0)   for d > d0
//	rx = tx - L0                      for d <= d0
//
// Note the second line: at or within the reference distance ns-3 3.37
// applies the reference loss L0 (it does not return tx unchanged), so the
// model is continuous at d0. Construct it with DefaultLogDistance.
type LogDistance struct {
	// Exponent is the path loss exponent n (ns-3 default 3).
	Exponent float64
	// ReferenceDistance is d0 in metres (default 1 m).
	ReferenceDistance float64
	// ReferenceLoss is L0, the loss at d0 in dB (default 46.6777 dB: Friis
	// at 1 m and 5.15 GHz).
	ReferenceLoss float64
}

// DefaultLogDistance returns ns-3 3.37's defaults: exponent 3, reference
// distance 1 m, reference loss 46.6777 dB.
func DefaultLogDistance() *LogDistance {
	return &LogDistance{Exponent: 3, ReferenceDistance: 1, ReferenceLoss: 46.6777}
}

// Validate reports non-finite parameters or a reference distance that is
// not positive.
func (m *LogDistance) Validate() error {
	if err := checkFinite("LogDistance", []string{"Exponent", "ReferenceDistance", "ReferenceLoss"},
		m.Exponent, m.ReferenceDistance, m.ReferenceLoss); err != nil {
		return err
	}
	if m.ReferenceDistance <= 0 {
		return fmt.Errorf("propagation: LogDistance reference distance %g m must be positive", m.ReferenceDistance)
	}
	return nil
}

// RxPower returns the received power in dBm, computed in the same order of
// operations as ns-3's LogDistancePropagationLossModel::DoCalcRxPower.
func (m *LogDistance) RxPower(txPowerDbm float64, a, b mobility.Vector) float64 {
	return m.RxPowerAtDistance(txPowerDbm, a.Distance(b))
}

// RxPowerAtDistance returns the received power in dBm at distance d
// (mobility.Vector.Distance's result): RxPower of two positions d apart,
// bit for bit.
func (m *LogDistance) RxPowerAtDistance(txPowerDbm, d float64) float64 {
	if d <= m.ReferenceDistance {
		return txPowerDbm - m.ReferenceLoss
	}
	pathLossDb := 10 * m.Exponent * math.Log10(d/m.ReferenceDistance)
	rxc := -m.ReferenceLoss - pathLossDb
	return txPowerDbm + rxc
}

// Bounder returns what bounds RxPower(txPowerDbm, a, b) by the squared
// distance of a and b, for a medium that decides on most receivers by a
// bound and computes the exact power of a few later
// (spectrum.Medium.DeferPower): the model's parameters and the transmit
// power are folded into it once per transmission. The parameters are
// read now: a Bounder does not follow later changes.
func (m *LogDistance) Bounder(txPowerDbm float64) PowerBounder {
	r0 := m.ReferenceDistance
	// 10·n·log10(d/d0) = 5·n·log10(2)·log2(d²/d0²).
	c := 5 * m.Exponent * math.Log10E * math.Ln2
	b := PowerBounder{base: txPowerDbm - m.ReferenceLoss, c: c, inv: 1 / (r0 * r0)}
	b.ok = math.Abs(b.base) < 1e4 && math.Abs(c) < 1e3 && b.inv > 0 && b.inv < math.MaxFloat64
	// fastlog.Log2 is within 3e-10, d2·inv within 2 ulps of d2/d0²; the
	// rest covers the rounding of both computations (relative 1e-15 of
	// values below |base| + |c|·1100 dB, log2 of a float64 being below
	// 1100).
	b.margin = 1e-6 + math.Abs(c)*1e-8 + 1e-12*(math.Abs(b.base)+math.Abs(c)*1100)
	return b
}

// PowerBounder bounds LogDistance.RxPower for one transmit power (see
// LogDistance.Bounder). The zero PowerBounder bounds nothing.
type PowerBounder struct {
	base, c, inv, margin float64
	ok                   bool
}

// Bounds returns lo <= RxPower(txPowerDbm, a, b) <= hi for positions a
// and b whose squared distance (mobility.Vector.Len2 of b.Sub(a)) is d2, at
// most 2e-5 dB apart for an exponent up to 10, in a few multiplications
// instead of a square root and a logarithm. ok is false, with no bounds,
// for d2 within 2% of the reference distance squared (where the model
// switches to the reference loss), a d2 that is not finite, or a Bounder
// of parameters or a power out of range (an exponent beyond about 660 in
// magnitude, a transmit power less the reference loss beyond 1e4 dB in
// magnitude, a reference distance whose inverse square is not a positive finite
// number).
// TestLogDistanceBounds holds it to RxPower.
func (b *PowerBounder) Bounds(d2 float64) (lo, hi float64, ok bool) {
	x := d2 * b.inv
	if !b.ok || !(x > 1.02 && x < math.MaxFloat64) {
		return 0, 0, false
	}
	rx := b.base - b.c*fastlog.Log2(x)
	return rx - b.margin, rx + b.margin, true
}

// SquaredDistanceBelow returns the least squared distance d2 (with a
// relative margin of 1e-6) beyond which RxPower(txPowerDbm, a, b) is
// surely below dbm, and the greatest (with the same margin) within which
// it is surely at least floorDbm: a medium decides on the receivers
// between the two by their squared distance alone, without a logarithm
// (spectrum.Medium.DeferPower). ok is false when the model does not allow
// it (an exponent below 0.5) or the powers are out of range; below is 0
// when every distance gives a power below dbm, atLeast 0 when none gives
// floorDbm. The margin is far above the rounding of RxPower: 1e-6 in d2
// is 2.5e-6·n dB. TestLogDistanceSquaredDistanceBelow holds them to
// RxPowerAtDistance.
func (m *LogDistance) SquaredDistanceBelow(txPowerDbm, dbm, floorDbm float64) (below, atLeast float64, ok bool) {
	const margin = 1e-6
	if !(m.Exponent >= 0.5) || !(m.ReferenceDistance > 0) {
		return 0, 0, false
	}
	// d2At returns the squared distance where the loss beyond L0 is
	// budget dB, times scale: 0 for a negative budget (the power at d0 is
	// below it already), false for a budget that is not a number below
	// 1e4 dB or a result that is not finite.
	d2At := func(budget, scale float64) (float64, bool) {
		if !(budget < 1e4) {
			return 0, false
		}
		if budget < 0 {
			return 0, true
		}
		d := m.ReferenceDistance * math.Pow(10, budget/(10*m.Exponent))
		d2 := d * d * scale
		return d2, !math.IsInf(d2, 0)
	}
	base := txPowerDbm - m.ReferenceLoss // the power at and within d0
	below, okB := d2At(base-dbm, 1+margin)
	atLeast, okA := d2At(base-floorDbm, 1-margin)
	if !okB || !okA {
		return 0, 0, false
	}
	return below, atLeast, true
}

// Monotone reports whether the exponent is non-negative.
func (m *LogDistance) Monotone() bool { return m.Exponent >= 0 }

// MaxRange returns d0·10^((tx - floor - L0)/(10n)), 0 if the power is below
// the floor even at d0, and +Inf if the exponent is not positive.
func (m *LogDistance) MaxRange(txPowerDbm, floorDbm float64) float64 {
	budget := txPowerDbm - floorDbm - m.ReferenceLoss
	if !(budget >= 0) {
		return 0
	}
	if m.Exponent <= 0 {
		return math.Inf(1)
	}
	return roundUp(m.ReferenceDistance * math.Pow(10, budget/(10*m.Exponent)))
}

// ThreeLogDistance is ns-3's ThreeLogDistancePropagationLossModel: a
// log-distance model with three fields of distance, each with its own
// exponent:
//
//	L = 0                                                  d < d0
//	L = L0 + 10·n0·log10(d/d0)                             d0 <= d < d1
//	L = L0 + 10·n0·log10(d1/d0) + 10·n1·log10(d/d1)        d1 <= d < d2
//	L = L0 + 10·n0·log10(d1/d0) + 10·n1·log10(d2/d1)
//	       + 10·n2·log10(d/d2)                             d >= d2
//
// and rx = tx - L. Unlike LogDistance, ns-3 applies no loss at all below d0:
// the received power jumps down by L0 at d0. Construct it with
// DefaultThreeLogDistance.
type ThreeLogDistance struct {
	// Distance0, Distance1 and Distance2 are where the near, middle and far
	// fields begin, in metres (ns-3 defaults 1, 200 and 500 m).
	Distance0, Distance1, Distance2 float64
	// Exponent0, Exponent1 and Exponent2 are the path loss exponents of the
	// three fields (defaults 1.9, 3.8 and 3.8).
	Exponent0, Exponent1, Exponent2 float64
	// ReferenceLoss is L0, the loss at Distance0 in dB (default 46.6777).
	ReferenceLoss float64
}

// DefaultThreeLogDistance returns ns-3 3.37's defaults.
func DefaultThreeLogDistance() *ThreeLogDistance {
	return &ThreeLogDistance{
		Distance0: 1, Distance1: 200, Distance2: 500,
		Exponent0: 1.9, Exponent1: 3.8, Exponent2: 3.8,
		ReferenceLoss: 46.6777,
	}
}

// Validate reports non-finite parameters, or distances that are not
// 0 < Distance0 <= Distance1 <= Distance2.
func (m *ThreeLogDistance) Validate() error {
	if err := checkFinite("ThreeLogDistance",
		[]string{"Distance0", "Distance1", "Distance2", "Exponent0", "Exponent1", "Exponent2", "ReferenceLoss"},
		m.Distance0, m.Distance1, m.Distance2, m.Exponent0, m.Exponent1, m.Exponent2, m.ReferenceLoss); err != nil {
		return err
	}
	if !(0 < m.Distance0 && m.Distance0 <= m.Distance1 && m.Distance1 <= m.Distance2) {
		return fmt.Errorf("propagation: ThreeLogDistance distances %g, %g, %g m must satisfy 0 < d0 <= d1 <= d2",
			m.Distance0, m.Distance1, m.Distance2)
	}
	return nil
}

// RxPower returns the received power in dBm, computed as ns-3's
// ThreeLogDistancePropagationLossModel::DoCalcRxPower.
func (m *ThreeLogDistance) RxPower(txPowerDbm float64, a, b mobility.Vector) float64 {
	return txPowerDbm - m.loss(a.Distance(b))
}

func (m *ThreeLogDistance) loss(d float64) float64 {
	switch {
	case d < m.Distance0:
		return 0
	case d < m.Distance1:
		return m.ReferenceLoss + 10*m.Exponent0*math.Log10(d/m.Distance0)
	case d < m.Distance2:
		return m.ReferenceLoss + 10*m.Exponent0*math.Log10(m.Distance1/m.Distance0) +
			10*m.Exponent1*math.Log10(d/m.Distance1)
	default:
		return m.ReferenceLoss + 10*m.Exponent0*math.Log10(m.Distance1/m.Distance0) +
			10*m.Exponent1*math.Log10(m.Distance2/m.Distance1) +
			10*m.Exponent2*math.Log10(d/m.Distance2)
	}
}

// Monotone reports whether the reference loss and all exponents are
// non-negative.
func (m *ThreeLogDistance) Monotone() bool {
	return m.ReferenceLoss >= 0 && m.Exponent0 >= 0 && m.Exponent1 >= 0 && m.Exponent2 >= 0
}

// MaxRange solves the piecewise formula for the distance at which the loss
// reaches tx - floor: 0 if the floor is above tx, Distance0 if the reference
// loss already puts the power below the floor, and +Inf if the model is not
// monotone or the far exponent is not positive.
func (m *ThreeLogDistance) MaxRange(txPowerDbm, floorDbm float64) float64 {
	budget := txPowerDbm - floorDbm
	if !(budget >= 0) {
		return 0
	}
	if !m.Monotone() {
		return math.Inf(1)
	}
	if budget < m.ReferenceLoss {
		return m.Distance0
	}
	l1 := m.loss(m.Distance1)
	if budget < l1 {
		return roundUp(m.Distance0 * math.Pow(10, (budget-m.ReferenceLoss)/(10*m.Exponent0)))
	}
	l2 := m.loss(m.Distance2)
	if budget < l2 {
		return roundUp(m.Distance1 * math.Pow(10, (budget-l1)/(10*m.Exponent1)))
	}
	if m.Exponent2 <= 0 {
		return math.Inf(1)
	}
	return roundUp(m.Distance2 * math.Pow(10, (budget-l2)/(10*m.Exponent2)))
}
