// Package propagation computes how a signal fades and how long it takes to
// arrive between two positions: loss models (received power from transmit
// power) and delay models, following ns-3 3.37's propagation module
// (src/propagation/model/propagation-loss-model.cc and
// propagation-delay-model.cc).
//
// Positional models (LossModel) take positions, not nodes, so a radio medium
// asks them with the sender's and receiver's mobility.Model positions at the
// current time. Every deterministic model here computes RxPower and Delay
// without allocating.
//
// MaxRange tells a medium how far a transmission can reach above a power
// floor, so that it can skip receivers beyond that distance (spatial
// culling).
//
// # Link-aware models
//
// Models that need more than two positions implement LinkLossModel: they
// see a Link (both endpoints' ids, positions and mobility, the frequency,
// the time), keep per-link state in LinkStates keyed by the unordered pair
// of ids, and draw it from per-link random streams (LinkStream), so that a
// link's values never depend on the order in which links are computed.
// ForLink adapts a positional model; LinkChain chains link-aware ones.
//
// ThreeGPP implements 3GPP TR 38.901 (V16/17) 7.4.1 pathloss and 7.4.2 LOS
// probability for UMa, UMi street canyon, RMa and the indoor office (mixed
// and open), with the breakpoint distances, NLOS = max(LOS, NLOS),
// spatially correlated log-normal shadowing (Table 7.4.1-1 σSF, Table 7.5-6
// decorrelation distances) and the O2I building penetration loss of
// 7.4.3.1, exactly as ns-3.45 codes them in
// src/propagation/model/three-gpp-propagation-loss-model.cc and
// channel-condition-model.cc (ThreeGpp*PropagationLossModel,
// ThreeGpp*ChannelConditionModel, AlwaysLos/NeverLosChannelConditionModel),
// defaults included: 500 MHz, shadowing on, c = 3e8 m/s in the breakpoints,
// conditions drawn once per link. Where ns-3.45 departs from the standard
// or from later ns-3 the configuration says so and offers the alternative
// (ThreeGPPConfig.SpeedOfLight, O2ILowLossSigma/O2IHighLossSigma,
// ShadowingRecordFirstPosition). Inputs outside the standard's ranges are
// computed as ns-3 computes them and counted in the model's Warnings
// (optionally traced through Warnings.OnWarning), never printed. The LOS
// condition comes from a ConditionModel (ThreeGPPCondition, AlwaysLOS,
// NeverLOS, or any ConditionFunc) that other models of the same links, such
// as a fast-fading model, share with the pathloss model.
package propagation

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/sim/mobility"
)

// LossModel computes received power: ns-3's PropagationLossModel. RxPower
// returns the power (dBm) received at b when a transmits txPowerDbm, the
// semantics of ns-3's DoCalcRxPower for one model.
type LossModel interface {
	RxPower(txPowerDbm float64, a, b mobility.Vector) float64
}

// Chain applies loss models in order, each to the power the previous one
// returned, as ns-3 chains models with PropagationLossModel::SetNext
// (CalcRxPower calls DoCalcRxPower, then the next model's CalcRxPower on the
// result). A Chain is itself a LossModel; an empty Chain returns the transmit
// power unchanged.
type Chain []LossModel

// NewChain returns a chain of the given models.
func NewChain(models ...LossModel) Chain { return Chain(models) }

// RxPower returns the power after every model of the chain.
func (c Chain) RxPower(txPowerDbm float64, a, b mobility.Vector) float64 {
	p := txPowerDbm
	for _, m := range c {
		p = m.RxPower(p, a, b)
	}
	return p
}

// Validate validates every model of the chain that has a Validate method,
// and reports nil models.
func (c Chain) Validate() error {
	for i, m := range c {
		if m == nil {
			return fmt.Errorf("propagation: chain model %d is nil", i)
		}
		if v, ok := m.(interface{ Validate() error }); ok {
			if err := v.Validate(); err != nil {
				return fmt.Errorf("propagation: chain model %d: %w", i, err)
			}
		}
	}
	return nil
}

// Monotone reports whether every model of the chain is Monotone: then so is
// the chain, since each stage is non-increasing in distance and
// non-decreasing in its input power.
func (c Chain) Monotone() bool {
	for _, m := range c {
		if mm, ok := m.(Monotone); !ok || !mm.Monotone() {
			return false
		}
	}
	return true
}

// MaxRange returns the reach of the chain: a single model's own MaxRange, or
// for longer monotone chains the distance found by bisection (see the
// package function MaxRange); +Inf if some model is not monotone.
func (c Chain) MaxRange(txPowerDbm, floorDbm float64) float64 {
	if len(c) == 1 {
		return MaxRange(c[0], txPowerDbm, floorDbm)
	}
	if !c.Monotone() {
		return math.Inf(1)
	}
	return bisectRange(c, txPowerDbm, floorDbm)
}

// Monotone is implemented by loss models that may declare themselves
// distance-monotone: deterministic, depending on positions only through the
// distance, non-increasing in distance and non-decreasing in transmit power.
// MaxRange bisects over chains of such models.
type Monotone interface {
	LossModel
	// Monotone reports whether the model, as configured, is
	// distance-monotone.
	Monotone() bool
}

// Reacher is implemented by loss models that know their reach.
type Reacher interface {
	LossModel
	// MaxRange returns a distance d such that RxPower(txPowerDbm, a, b) <
	// floorDbm whenever a.Distance(b) > d, or +Inf if there is none (or it
	// is not known).
	MaxRange(txPowerDbm, floorDbm float64) float64
}

// MaxRange returns a distance beyond which m delivers less than floorDbm
// when transmitting txPowerDbm: a medium need not compute the received power
// of (or deliver to) receivers farther away. The result is
//
//   - the model's own answer if it implements Reacher (closed form for
//     LogDistance, Friis, ThreeLogDistance, Range, FixedRss and Matrix; a
//     bisection for a Chain);
//   - for other Monotone models, a bisection on the distance: the smallest
//     distance found (to a relative 1e-12) at which the power is below the
//     floor;
//   - +Inf otherwise: random, non-monotone or unknown models are never
//     culled.
//
// Closed forms are rounded up by a relative 1e-9, so that floating-point
// rounding never culls a receiver that RxPower would put at the floor. A
// medium should recompute the range when a model's parameters change.
func MaxRange(m LossModel, txPowerDbm, floorDbm float64) float64 {
	switch mm := m.(type) {
	case Reacher:
		return mm.MaxRange(txPowerDbm, floorDbm)
	case Monotone:
		if mm.Monotone() {
			return bisectRange(mm, txPowerDbm, floorDbm)
		}
	}
	return math.Inf(1)
}

// roundUp adds the safety margin of closed-form ranges.
func roundUp(d float64) float64 { return d * (1 + 1e-9) }

// maxBisectDistance is the largest distance bisectRange searches (about
// 10^12 m, well beyond any terrestrial or satellite link).
const maxBisectDistance = 1 << 40

// bisectRange finds, for a distance-monotone model, a distance beyond which
// its power is below floor.
func bisectRange(m LossModel, tx, floor float64) float64 {
	at := func(d float64) float64 { return m.RxPower(tx, mobility.Vector{}, mobility.Vector{X: d}) }
	if !(at(0) >= floor) {
		return 0
	}
	lo, hi := 0.0, 1.0
	for at(hi) >= floor {
		lo = hi
		hi *= 2
		if hi > maxBisectDistance {
			return math.Inf(1)
		}
	}
	// Invariant: power at lo >= floor, power at hi < floor.
	for range 200 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi || hi-lo <= 1e-12*hi {
			break
		}
		if at(mid) >= floor {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// checkFinite returns an error naming the first non-finite value.
func checkFinite(model string, names []string, values ...float64) error {
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("propagation: %s %s must be finite, got %g", model, names[i], v)
		}
	}
	return nil
}

var errNilRander = errors.New("propagation: random model needs a random variable")
