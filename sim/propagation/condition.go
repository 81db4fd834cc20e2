package propagation

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netgym/netgym/sim"
)

// LosCondition is the line-of-sight state of a link: ns-3's
// ChannelCondition::LosConditionValue (NLOSv, used by ns-3's vehicular
// models only, is not modelled).
type LosCondition uint8

const (
	// LOS: the link has line of sight.
	LOS LosCondition = iota + 1
	// NLOS: the link has no line of sight.
	NLOS
)

// String returns "LOS", "NLOS" or "undetermined".
func (c LosCondition) String() string {
	switch c {
	case LOS:
		return "LOS"
	case NLOS:
		return "NLOS"
	}
	return "undetermined"
}

// Condition is the channel condition of a link, ns-3's ChannelCondition:
// line of sight, and whether the link enters a building (O2I) and then with
// which building penetration loss model.
type Condition struct {
	// Los is LOS or NLOS.
	Los LosCondition
	// O2I reports an outdoor-to-indoor link (ns-3's O2I; false is ns-3's
	// O2O). The 3GPP loss models then add the building penetration loss of
	// TR 38.901 7.4.3.1 if their BuildingPenetrationLossesEnabled is set.
	O2I bool
	// HighLoss selects the high-loss building model of an O2I link (ns-3's
	// O2iLowHighConditionValue HIGH); false is the low-loss model.
	HighLoss bool
}

// ConditionModel decides the channel condition of a link: ns-3's
// ChannelConditionModel::GetChannelCondition. Models with random
// conditions keep what they drew per link (LinkStates), so that every user
// of one model instance (the pathloss model, a fast-fading model) sees the
// same condition for a link. Condition must not allocate once a link has
// been seen.
type ConditionModel interface {
	Condition(l *Link) Condition
}

// ConditionFunc adapts a function to a ConditionModel.
type ConditionFunc func(l *Link) Condition

// Condition returns f(l).
func (f ConditionFunc) Condition(l *Link) Condition { return f(l) }

// AlwaysLOS puts every link in line of sight, outdoor to outdoor: ns-3's
// AlwaysLosChannelConditionModel.
type AlwaysLOS struct{}

// Condition returns LOS.
func (AlwaysLOS) Condition(*Link) Condition { return Condition{Los: LOS} }

// NeverLOS puts every link out of line of sight, outdoor to outdoor: ns-3's
// NeverLosChannelConditionModel.
type NeverLOS struct{}

// Condition returns NLOS.
func (NeverLOS) Condition(*Link) Condition { return Condition{Los: NLOS} }

// LOSProbability returns the probability that a link of the scenario is in
// line of sight, TR 38.901 Table 7.4.2-1 as ns-3.45 codes it
// (channel-condition-model.cc, the ComputePlos of
// ThreeGpp{Rma,Uma,UmiStreetCanyon,IndoorMixedOffice,IndoorOpenOffice}ChannelConditionModel),
// with d2D the 2D distance in metres and hUT the user terminal's height
// (used by UMa only):
//
//	RMa:          1 for d2D <= 10 m, else exp(-(d2D-10)/1000)
//	UMa:          1 for d2D <= 18 m, else
//	              [18/d2D + exp(-d2D/63)(1-18/d2D)]·[1 + C'(hUT)·5/4·(d2D/100)³·exp(-d2D/150)]
//	              with C'(hUT) = 0 for hUT <= 13 m, else ((hUT-13)/10)^1.5
//	UMi:          1 for d2D <= 18 m, else 18/d2D + exp(-d2D/36)(1-18/d2D)
//	InH (mixed):  1 for d2D <= 1.2 m, exp(-(d2D-1.2)/4.7) below 6.5 m,
//	              else 0.32·exp(-(d2D-6.5)/32.6)
//	InH (open):   1 for d2D <= 5 m, exp(-(d2D-5)/70.8) up to 49 m,
//	              else 0.54·exp(-(d2D-49)/211.7)
//
// An unknown scenario has probability 0.
func LOSProbability(s Scenario, d2D, hUT float64) float64 {
	switch s {
	case RMa:
		if d2D <= 10 {
			return 1
		}
		return math.Exp(-(d2D - 10) / 1000)
	case UMa:
		if d2D <= 18 {
			return 1
		}
		c := 0.0
		if !(hUT <= 13) {
			c = math.Pow((hUT-13)/10, 1.5)
		}
		return (18/d2D + math.Exp(-d2D/63)*(1-18/d2D)) *
			(1 + c*5/4*math.Pow(d2D/100, 3)*math.Exp(-d2D/150))
	case UMiStreetCanyon:
		if d2D <= 18 {
			return 1
		}
		return 18/d2D + math.Exp(-d2D/36)*(1-18/d2D)
	case InHOfficeMixed:
		switch {
		case d2D <= 1.2:
			return 1
		case d2D < 6.5:
			return math.Exp(-(d2D - 1.2) / 4.7)
		default:
			return math.Exp(-(d2D-6.5)/32.6) * 0.32
		}
	case InHOfficeOpen:
		switch {
		case d2D <= 5:
			return 1
		case d2D <= 49:
			return math.Exp(-(d2D - 5) / 70.8)
		default:
			return math.Exp(-(d2D-49)/211.7) * 0.54
		}
	}
	return 0
}

// ThreeGPPConditionConfig configures a ThreeGPPCondition. The defaults are
// ns-3.45's ThreeGppChannelConditionModel attributes.
type ThreeGPPConditionConfig struct {
	// Scenario selects the LOS probability (LOSProbability).
	Scenario Scenario
	// UpdatePeriod is how long a drawn condition lasts: a link's condition
	// is drawn again when it is asked for more than UpdatePeriod after it
	// was drawn. 0 (ns-3's default) draws it once per link, for ever.
	UpdatePeriod sim.Time
	// O2IThreshold is the probability that a link is outdoor to indoor
	// (ns-3's O2iThreshold, default 0: no O2I link).
	O2IThreshold float64
	// O2ILowLossThreshold is the probability that an O2I link uses the
	// low-loss building model (ns-3's O2iLowLossThreshold, default 1: all
	// low loss).
	O2ILowLossThreshold float64
	// LinkO2IToAntennaHeight makes a link O2O when its lower endpoint is
	// exactly 1.5 m high and O2I otherwise, instead of drawing it with
	// O2IThreshold (ns-3's LinkO2iConditionToAntennaHeight, default false).
	LinkO2IToAntennaHeight bool
	// StreamName is the prefix of the per-link random streams (see
	// LinkStream); default "propagation/3gpp/<scenario>/condition". Give
	// models of the same scenario in one simulation different names if they
	// must draw independently.
	StreamName string
}

// DefaultThreeGPPConditionConfig returns ns-3.45's defaults for the
// scenario: update period 0 (drawn once per link), no O2I links, all O2I
// losses low.
func DefaultThreeGPPConditionConfig(s Scenario) ThreeGPPConditionConfig {
	return ThreeGPPConditionConfig{
		Scenario:            s,
		O2ILowLossThreshold: 1,
		StreamName:          "propagation/3gpp/" + s.String() + "/condition",
	}
}

// Validate reports an unknown scenario, a negative update period,
// thresholds outside [0, 1] or an empty stream name.
func (c ThreeGPPConditionConfig) Validate() error {
	if !c.Scenario.valid() {
		return fmt.Errorf("propagation: ThreeGPPConditionConfig.Scenario %d is not one of UMa, UMiStreetCanyon, RMa, InHOfficeMixed, InHOfficeOpen", c.Scenario)
	}
	if c.UpdatePeriod < 0 {
		return fmt.Errorf("propagation: ThreeGPPConditionConfig.UpdatePeriod %v must be >= 0", c.UpdatePeriod)
	}
	if !(c.O2IThreshold >= 0 && c.O2IThreshold <= 1) {
		return fmt.Errorf("propagation: ThreeGPPConditionConfig.O2IThreshold %g must be in [0, 1]", c.O2IThreshold)
	}
	if !(c.O2ILowLossThreshold >= 0 && c.O2ILowLossThreshold <= 1) {
		return fmt.Errorf("propagation: ThreeGPPConditionConfig.O2ILowLossThreshold %g must be in [0, 1]", c.O2ILowLossThreshold)
	}
	if c.StreamName == "" {
		return errors.New("propagation: ThreeGPPConditionConfig.StreamName must not be empty")
	}
	return nil
}

// ThreeGPPCondition draws the channel condition of each link with the
// scenario's LOS probability: ns-3.45's ThreeGppChannelConditionModel and
// its per-scenario subclasses. A link's condition is drawn the first time
// it is asked for, from the link's own random stream, and kept (redrawn
// after UpdatePeriod if that is set), so that it does not depend on the
// order in which links are asked for. Construct it with
// NewThreeGPPCondition.
type ThreeGPPCondition struct {
	cfg    ThreeGPPConditionConfig
	src    StreamSource
	states LinkStates[conditionLink]
	// Warnings counts the links whose heights are outside those the LOS
	// probability was derived for (ns-3 logs them): UMa's hUT above 23 m or
	// hBS other than 25 m, UMi's BS not at 10 m, the indoor BS not at 3 m.
	Warnings Warnings
}

// conditionLink is the per-link state of a ThreeGPPCondition.
type conditionLink struct {
	rng       *rand.Rand
	cond      Condition
	generated sim.Time
}

// NewThreeGPPCondition returns a condition model drawing from per-link
// streams of src (a *sim.Simulator is a StreamSource).
func NewThreeGPPCondition(cfg ThreeGPPConditionConfig, src StreamSource) (*ThreeGPPCondition, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if src == nil {
		return nil, errors.New("propagation: NewThreeGPPCondition needs a StreamSource (e.g. the *sim.Simulator)")
	}
	return &ThreeGPPCondition{cfg: cfg, src: src}, nil
}

// Config returns the model's configuration.
func (m *ThreeGPPCondition) Config() ThreeGPPConditionConfig { return m.cfg }

// Condition returns the link's condition, drawing it the first time and,
// with a positive UpdatePeriod, when more than UpdatePeriod has passed since
// it was drawn (ns-3's GetChannelCondition: Now - generated > period).
func (m *ThreeGPPCondition) Condition(l *Link) Condition {
	k := l.Key()
	st, ok := m.states.Get(k)
	if !ok {
		st = m.states.GetOrInit(k, nil)
		st.rng = LinkStream(m.src, m.cfg.StreamName, k)
		m.draw(st, l, k)
		return st.cond
	}
	if m.cfg.UpdatePeriod != 0 && l.Now-st.generated > m.cfg.UpdatePeriod {
		m.draw(st, l, k)
	}
	return st.cond
}

// draw computes a new condition for the link, in the order of ns-3's
// ComputeChannelCondition: the LOS draw against the LOS probability, the
// O2I draw (always made), and the low/high loss draw for O2I links.
func (m *ThreeGPPCondition) draw(st *conditionLink, l *Link, k LinkKey) {
	pLos := m.plos(l, k)
	var c Condition
	if st.rng.Float64() <= pLos {
		c.Los = LOS
	} else {
		c.Los = NLOS
	}
	o2iDraw := st.rng.Float64()
	if m.cfg.LinkO2IToAntennaHeight {
		c.O2I = math.Min(l.Tx.Position.Z, l.Rx.Position.Z) != 1.5
	} else {
		c.O2I = o2iDraw < m.cfg.O2IThreshold
	}
	if c.O2I {
		c.HighLoss = !(st.rng.Float64() < m.cfg.O2ILowLossThreshold)
	}
	st.cond = c
	st.generated = l.Now
}

// plos returns the link's LOS probability and counts the height warnings
// of ns-3's ComputePlos.
func (m *ThreeGPPCondition) plos(l *Link, k LinkKey) float64 {
	za, zb := l.Tx.Position.Z, l.Rx.Position.Z
	hUT, hBS := math.Min(za, zb), math.Max(za, zb)
	s := m.cfg.Scenario
	switch s {
	case UMa:
		if hUT > 23 {
			m.Warnings.warn(WarnUTHeight, s, k, hUT)
		}
		if hBS != 25 {
			m.Warnings.warn(WarnBSHeight, s, k, hBS)
		}
	case UMiStreetCanyon:
		if za != 10 && zb != 10 {
			m.Warnings.warn(WarnBSHeight, s, k, hBS)
		}
	case InHOfficeMixed, InHOfficeOpen:
		if hBS != 3 {
			m.Warnings.warn(WarnBSHeight, s, k, hBS)
		}
	}
	return LOSProbability(s, l.Distance2D(), hUT)
}
