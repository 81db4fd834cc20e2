package propagation

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Scenario is a 3GPP TR 38.901 deployment scenario.
type Scenario uint8

const (
	// UMa is Urban Macro (BS at 25 m; ns-3's ThreeGppUma* models).
	UMa Scenario = iota + 1
	// UMiStreetCanyon is Urban Micro, street canyon (BS at 10 m;
	// ns-3's ThreeGppUmiStreetCanyon* models).
	UMiStreetCanyon
	// RMa is Rural Macro (BS at 10 to 150 m; ns-3's ThreeGppRma* models).
	RMa
	// InHOfficeMixed is Indoor Hotspot, mixed office: ns-3's
	// ThreeGppIndoorOfficePropagationLossModel with the
	// ThreeGppIndoorMixedOfficeChannelConditionModel.
	InHOfficeMixed
	// InHOfficeOpen is Indoor Hotspot, open office: ns-3's
	// ThreeGppIndoorOfficePropagationLossModel with its default
	// ThreeGppIndoorOpenOfficeChannelConditionModel.
	InHOfficeOpen
)

// String returns the scenario's short name ("uma", "umi-street-canyon",
// "rma", "inh-office-mixed", "inh-office-open"), used in stream names.
func (s Scenario) String() string {
	switch s {
	case UMa:
		return "uma"
	case UMiStreetCanyon:
		return "umi-street-canyon"
	case RMa:
		return "rma"
	case InHOfficeMixed:
		return "inh-office-mixed"
	case InHOfficeOpen:
		return "inh-office-open"
	}
	return fmt.Sprintf("scenario(%d)", uint8(s))
}

func (s Scenario) valid() bool { return s >= UMa && s <= InHOfficeOpen }

// NS345SpeedOfLight is the speed of light ns-3.45 uses in the breakpoint
// distances of the 3GPP models (M_C in three-gpp-propagation-loss-model.cc).
// ns-3-dev changed it to 299792458 m/s (SpeedOfLight) after ns-3.45 (issue
// #1092, June 2026).
const NS345SpeedOfLight = 3.0e8

// ThreeGPPConfig configures a ThreeGPP loss model. The defaults are
// ns-3.45's ThreeGppPropagationLossModel attributes.
type ThreeGPPConfig struct {
	// Scenario selects the pathloss formulas, the shadowing parameters and
	// the default condition model.
	Scenario Scenario
	// FrequencyHz is the carrier frequency (ns-3's Frequency, default
	// 500 MHz), used when the Link does not carry a positive frequency.
	// TR 38.901 covers 0.5 to 100 GHz (RMa up to 30 GHz); other values are
	// computed and counted as WarnFrequency.
	FrequencyHz float64
	// ShadowingEnabled adds log-normal shadowing, spatially correlated per
	// link (ns-3's ShadowingEnabled, default true).
	ShadowingEnabled bool
	// BuildingPenetrationLossesEnabled adds TR 38.901 7.4.3.1's building
	// penetration loss on links whose condition is O2I (ns-3's
	// BuildingPenetrationLossesEnabled, default true; the default condition
	// models make no O2I link, so it has no effect unless their
	// O2IThreshold is raised).
	BuildingPenetrationLossesEnabled bool
	// AvgBuildingHeight is RMa's average building height h in metres
	// (ns-3's AvgBuildingHeight, default 5, range 5 to 50).
	AvgBuildingHeight float64
	// AvgStreetWidth is RMa's average street width W in metres (ns-3's
	// AvgStreetWidth, default 20, range 5 to 50).
	AvgStreetWidth float64
	// SpeedOfLight is the c of the breakpoint distances (default
	// NS345SpeedOfLight, 3e8 m/s, as ns-3.45; set SpeedOfLight, 299792458,
	// for later ns-3 and the exact TR 38.901 value).
	SpeedOfLight float64
	// O2ILowLossSigma and O2IHighLossSigma are the standard deviations (dB)
	// of the low- and high-loss building penetration models. ns-3.45 sets
	// TR 38.901 Table 7.4.3-2's σP (4.4 and 6.5 dB) as the variances of its
	// normal variables, so the defaults are sqrt(4.4) and sqrt(6.5); set
	// 4.4 and 6.5 for the table's values (as ns-3-dev does since Oct 2025).
	O2ILowLossSigma, O2IHighLossSigma float64
	// ShadowingRecordFirstPosition changes one detail of ns-3's shadowing
	// update. ns-3.45 (ThreeGppPropagationLossModel::GetShadowing) stores
	// the zero vector as the link's relative position when it draws the
	// first value, so the second computation of a link decorrelates it as
	// if the endpoints had moved by their whole horizontal separation
	// (R = exp(-d2D/dCorr)); a static link keeps its value from the second
	// computation on. False (the default) does as ns-3.45; true stores the
	// real relative position at the first draw, so a static link keeps its
	// first value.
	ShadowingRecordFirstPosition bool
	// Condition decides each link's LOS condition. nil (the default) makes
	// a ThreeGPPCondition of the scenario with ns-3's defaults, drawing
	// from the streams "<StreamName>/condition/<lo>-<hi>"; share one
	// ConditionModel with other users (fast fading) by setting it here and
	// there, or read it back with ThreeGPP.ConditionModel.
	Condition ConditionModel
	// StreamName is the prefix of the model's per-link random streams
	// "<StreamName>/<lo>-<hi>" (shadowing, UMa's hE, O2I losses); default
	// "propagation/3gpp/<scenario>".
	StreamName string
}

// DefaultThreeGPPConfig returns ns-3.45's defaults for the scenario:
// 500 MHz, shadowing on, building penetration losses on (for O2I links),
// RMa's h = 5 m and W = 20 m, c = 3e8 m/s, the scenario's 3GPP condition
// model.
func DefaultThreeGPPConfig(s Scenario) ThreeGPPConfig {
	return ThreeGPPConfig{
		Scenario:                         s,
		FrequencyHz:                      500e6,
		ShadowingEnabled:                 true,
		BuildingPenetrationLossesEnabled: true,
		AvgBuildingHeight:                5,
		AvgStreetWidth:                   20,
		SpeedOfLight:                     NS345SpeedOfLight,
		O2ILowLossSigma:                  math.Sqrt(4.4),
		O2IHighLossSigma:                 math.Sqrt(6.5),
		StreamName:                       "propagation/3gpp/" + s.String(),
	}
}

// Validate reports an unknown scenario, a frequency or speed of light that
// is not positive and finite, RMa building heights or street widths outside
// ns-3's 5 to 50 m, negative or non-finite O2I deviations, or an empty
// stream name.
func (c ThreeGPPConfig) Validate() error {
	if !c.Scenario.valid() {
		return fmt.Errorf("propagation: ThreeGPPConfig.Scenario %d is not one of UMa, UMiStreetCanyon, RMa, InHOfficeMixed, InHOfficeOpen", c.Scenario)
	}
	if !(c.FrequencyHz > 0 && c.FrequencyHz <= math.MaxFloat64) {
		return fmt.Errorf("propagation: ThreeGPPConfig.FrequencyHz %g must be positive and finite (TR 38.901: 0.5e9 to 100e9)", c.FrequencyHz)
	}
	if !(c.SpeedOfLight > 0 && c.SpeedOfLight <= math.MaxFloat64) {
		return fmt.Errorf("propagation: ThreeGPPConfig.SpeedOfLight %g must be positive and finite", c.SpeedOfLight)
	}
	if c.Scenario == RMa {
		if !(c.AvgBuildingHeight >= 5 && c.AvgBuildingHeight <= 50) {
			return fmt.Errorf("propagation: ThreeGPPConfig.AvgBuildingHeight %g m must be in [5, 50] for RMa", c.AvgBuildingHeight)
		}
		if !(c.AvgStreetWidth >= 5 && c.AvgStreetWidth <= 50) {
			return fmt.Errorf("propagation: ThreeGPPConfig.AvgStreetWidth %g m must be in [5, 50] for RMa", c.AvgStreetWidth)
		}
	}
	if !(c.O2ILowLossSigma >= 0 && c.O2ILowLossSigma <= math.MaxFloat64) {
		return fmt.Errorf("propagation: ThreeGPPConfig.O2ILowLossSigma %g dB must be >= 0 and finite", c.O2ILowLossSigma)
	}
	if !(c.O2IHighLossSigma >= 0 && c.O2IHighLossSigma <= math.MaxFloat64) {
		return fmt.Errorf("propagation: ThreeGPPConfig.O2IHighLossSigma %g dB must be >= 0 and finite", c.O2IHighLossSigma)
	}
	if c.StreamName == "" {
		return errors.New("propagation: ThreeGPPConfig.StreamName must not be empty")
	}
	return nil
}

// ThreeGPP is the 3GPP TR 38.901 (V16/17) pathloss model of 7.4.1 with the
// LOS condition of 7.4.2, correlated shadowing and O2I building penetration
// loss, as ns-3.45 codes it (src/propagation/model/
// three-gpp-propagation-loss-model.cc): ns-3's ThreeGppRma, ThreeGppUma,
// ThreeGppUmiStreetCanyon and ThreeGppIndoorOffice PropagationLossModels.
// For each computation it
//
//  1. asks the ConditionModel for the link's condition;
//  2. computes the scenario's LOS or NLOS pathloss (Table 7.4.1-1) from the
//     2D and 3D distances, the frequency and the endpoints' heights (z),
//     with NLOS = max(LOS, NLOS) as the table says;
//  3. subtracts the link's shadowing if enabled, and the building
//     penetration loss if the condition is O2I and that is enabled.
//
// Base station and user terminal are told apart by height as ns-3 does:
// for UMa and RMa the higher endpoint is the BS; for UMi the transmitter is
// the BS if it is exactly 10 m high, otherwise the receiver is (ns-3's
// GetBsUtHeightsUmiStreetCanyon); the indoor formulas use no heights.
// Inputs outside the standard's ranges are computed as ns-3 computes them
// and counted in Warnings (ns-3 logs them; it stops only where noted at
// WarnFrequency, in debug builds, and at WarnBreakpoint and WarnCondition).
//
// ThreeGPP is link-only: it is a LinkLossModel, not a LossModel, since it
// keeps state per link (use LinkChain to combine it with positional
// models). It has no reach (MaxRange): shadowing is unbounded, so a medium
// must not cull its receivers by distance. Per-link state (the shadowing
// value, where it was drawn, the O2I loss and the link's random stream) is
// created at a link's first computation; later computations allocate
// nothing. Construct it with NewThreeGPP.
type ThreeGPP struct {
	cfg    ThreeGPPConfig
	src    StreamSource
	cond   ConditionModel
	states LinkStates[threeGPPLink]
	// Warnings counts the inputs computed outside TR 38.901's ranges.
	Warnings Warnings
}

// threeGPPLink is the per-link state of a ThreeGPP model: ns-3's
// ShadowingMapItem and O2iLossMapItem, and the link's random stream.
type threeGPPLink struct {
	rng *rand.Rand
	// shadowCond is the condition of the last shadowing draw (0: none).
	shadowCond LosCondition
	shadow     float64
	// relX, relY is the horizontal relative position (higher id minus
	// lower id) at the last shadowing draw.
	relX, relY float64
	// o2iCond is the condition of the last O2I draw (0: none).
	o2iCond LosCondition
	o2i     float64
}

// NewThreeGPP returns a TR 38.901 loss model drawing its random parts from
// per-link streams of src (a *sim.Simulator is a StreamSource).
func NewThreeGPP(cfg ThreeGPPConfig, src StreamSource) (*ThreeGPP, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if src == nil {
		return nil, errors.New("propagation: NewThreeGPP needs a StreamSource (e.g. the *sim.Simulator)")
	}
	m := &ThreeGPP{cfg: cfg, src: src, cond: cfg.Condition}
	if m.cond == nil {
		cc := DefaultThreeGPPConditionConfig(cfg.Scenario)
		cc.StreamName = cfg.StreamName + "/condition"
		c, err := NewThreeGPPCondition(cc, src)
		if err != nil {
			return nil, err
		}
		m.cond = c
	}
	return m, nil
}

// Config returns the model's configuration (Condition as given, nil for the
// default).
func (m *ThreeGPP) Config() ThreeGPPConfig { return m.cfg }

// ConditionModel returns the condition model the loss model asks, so that
// other models of the same links can share its conditions.
func (m *ThreeGPP) ConditionModel() ConditionModel { return m.cond }

// LinkRxPower returns txPowerDbm minus the link's pathloss, shadowing and
// building penetration loss, in the order of ns-3's
// ThreeGppPropagationLossModel::DoCalcRxPower.
func (m *ThreeGPP) LinkRxPower(txPowerDbm float64, l *Link) float64 {
	k := l.Key()
	st, ok := m.states.Get(k)
	if !ok {
		st = m.states.GetOrInit(k, nil)
		st.rng = LinkStream(m.src, m.cfg.StreamName, k)
	}
	c := m.cond.Condition(l)
	los := c.Los
	if los != LOS && los != NLOS {
		m.Warnings.warn(WarnCondition, m.cfg.Scenario, k, float64(los))
		los = NLOS
	}
	f := m.frequency(l)
	rx := txPowerDbm
	rx -= m.pathloss(l, los, f, st, k)
	if m.cfg.ShadowingEnabled {
		rx -= m.shadowing(l, los, f, st)
	}
	if m.cfg.BuildingPenetrationLossesEnabled && c.O2I {
		rx -= m.o2iLoss(los, c.HighLoss, f, st)
	}
	return rx
}

// frequency returns the link's frequency if it carries a positive finite
// one, else the configured one.
func (m *ThreeGPP) frequency(l *Link) float64 {
	if f := l.FrequencyHz; f > 0 && f <= math.MaxFloat64 {
		return f
	}
	return m.cfg.FrequencyHz
}

// maxStd is C++'s std::max(a, b), which ns-3 uses: b if a < b, else a (so
// a NaN b yields a, unlike math.Max).
func maxStd(a, b float64) float64 {
	if a < b {
		return b
	}
	return a
}

// minStd is C++'s std::min(a, b): b if b < a, else a.
func minStd(a, b float64) float64 {
	if b < a {
		return b
	}
	return a
}

// pathloss returns the scenario's Table 7.4.1-1 pathloss (dB) of the link in
// condition los at frequency f, counting out-of-range inputs.
func (m *ThreeGPP) pathloss(l *Link, los LosCondition, f float64, st *threeGPPLink, k LinkKey) float64 {
	s := m.cfg.Scenario
	// ThreeGppPropagationLossModel::SetFrequency asserts 0.5 to 100 GHz;
	// the RMa GetLossLos/GetLossNlos assert at most 30 GHz.
	if f < 0.5e9 || f > 100e9 || (s == RMa && f > 30e9) {
		m.Warnings.warn(WarnFrequency, s, k, f)
	}
	nlos := los == NLOS
	switch s {
	case UMa:
		return m.umaLoss(l, nlos, f, st, k)
	case UMiStreetCanyon:
		return m.umiLoss(l, nlos, f, k)
	case RMa:
		return m.rmaLoss(l, nlos, f, k)
	default:
		return m.indoorLoss(l, nlos, f, k)
	}
}

// umaLoss is ThreeGppUmaPropagationLossModel::GetLossLos and GetLossNlos:
//
//	PL1 = 28 + 22·log10(d3D) + 20·log10(fc)                     d2D <= d'BP
//	PL2 = 28 + 40·log10(d3D) + 20·log10(fc) - 9·log10(d'BP² + (hBS-hUT)²)
//	NLOS = max(LOS, 13.54 + 39.08·log10(d3D) + 20·log10(fc) - 0.6·(hUT-1.5))
//
// with fc in GHz and d'BP from umaBreakpoint.
func (m *ThreeGPP) umaLoss(l *Link, nlos bool, f float64, st *threeGPPLink, k LinkKey) float64 {
	za, zb := l.Tx.Position.Z, l.Rx.Position.Z
	hBS, hUT := maxStd(za, zb), minStd(za, zb)
	d2D, d3D := l.Distance2D(), l.Distance3D()
	if hUT < 1.5 || hUT > 22.5 {
		m.Warnings.warn(WarnUTHeight, UMa, k, hUT)
	}
	if hBS != 25 {
		m.Warnings.warn(WarnBSHeight, UMa, k, hBS)
	}
	if d2D < 10 || d2D > 5e3 {
		m.Warnings.warn(WarnDistance, UMa, k, d2D)
	}
	dBP := umaBreakpoint(f, m.cfg.SpeedOfLight, hBS, hUT, d2D, st.rng)
	var loss float64
	if d2D <= dBP {
		loss = 28 + 22*math.Log10(d3D) + 20*math.Log10(f/1e9)
	} else {
		loss = 28 + 40*math.Log10(d3D) + 20*math.Log10(f/1e9) -
			9*math.Log10(dBP*dBP+(hBS-hUT)*(hBS-hUT))
	}
	if !nlos {
		return loss
	}
	plNlos := 13.54 + 39.08*math.Log10(d3D) + 20*math.Log10(f/1e9) - 0.6*(hUT-1.5)
	return maxStd(loss, plNlos)
}

// maxHE bounds the hE draw of a (nonsensically) high UT.
const maxHE = 1 << 30

// umaBreakpoint is ThreeGppUmaPropagationLossModel::GetBpDistance, TR
// 38.901 Table 7.4.1-1 note 1: d'BP = 4·(hBS-hE)·(hUT-hE)·fc/c, where the
// effective environment height hE is 1 m with probability 1/(1+C(d2D,hUT))
// and otherwise drawn uniformly from {12, 15, ..., floor((hUT-1.5)/3)·3}
// (ns-3: an integer uniform in [12, max(12, int(hUT-1.5))] rounded down to a
// multiple of 3), with
//
//	C = ((hUT-13)/10)^1.5 · g(d2D) for hUT >= 13 m, else 0
//	g = 5/4·(d2D/100)³·exp(-d2D/150) for d2D > 18 m, else 0.
//
// ns-3 draws hE again on every call; so does this, from the link's stream.
// When C = 0 (hUT < 13 m or d2D <= 18 m) hE is 1 m and nothing is drawn.
func umaBreakpoint(f, c, hBS, hUT, d2D float64, rng *rand.Rand) float64 {
	g := 0.0
	if d2D > 18 {
		g = 5.0 / 4.0 * math.Pow(d2D/100, 3) * math.Exp(-d2D/150)
	}
	cc := 0.0
	if hUT >= 13 {
		cc = math.Pow((hUT-13)/10, 1.5) * g
	}
	prob := 1 / (1 + cc)
	hE := 1.0
	// A uniform draw in [0, 1) is always below prob >= 1: ns-3 draws it
	// anyway; drawing only when it can matter gives the same hE.
	if !(prob >= 1) && !(rng.Float64() < prob) {
		hi := 12
		if x := hUT - 1.5; x > 12 {
			hi = int(math.Min(x, maxHE))
		}
		r := 12 + rng.IntN(hi-12+1)
		hE = math.Floor(float64(r)/3) * 3
	}
	return 4 * (hBS - hE) * (hUT - hE) * f / c
}

// umiLoss is ThreeGppUmiStreetCanyonPropagationLossModel::GetLossLos and
// GetLossNlos:
//
//	PL1 = 32.4 + 21·log10(d3D) + 20·log10(fc)                   d2D <= d'BP
//	PL2 = 32.4 + 40·log10(d3D) + 20·log10(fc) - 9.5·log10(d'BP² + (hBS-hUT)²)
//	NLOS = max(LOS, 22.4 + 35.3·log10(d3D) + 21.3·log10(fc) - 0.3·(hUT-1.5))
//
// with d'BP = 4·(hBS-1)·(hUT-1)·fc/c (hE = 1 m).
func (m *ThreeGPP) umiLoss(l *Link, nlos bool, f float64, k LinkKey) float64 {
	za, zb := l.Tx.Position.Z, l.Rx.Position.Z
	// GetBsUtHeightsUmiStreetCanyon: the BS is a if it is at 10 m, else b.
	hBS, hUT := zb, za
	if za == 10 {
		hBS, hUT = za, zb
	}
	d2D, d3D := l.Distance2D(), l.Distance3D()
	if hUT < 1.5 || hUT >= 10 {
		m.Warnings.warn(WarnUTHeight, UMiStreetCanyon, k, hUT)
	}
	if hBS != 10 {
		m.Warnings.warn(WarnBSHeight, UMiStreetCanyon, k, hBS)
	}
	if d2D < 10 || d2D > 5e3 {
		m.Warnings.warn(WarnDistance, UMiStreetCanyon, k, d2D)
	}
	dBP := 4 * (hBS - 1) * (hUT - 1) * f / m.cfg.SpeedOfLight
	var loss float64
	if d2D <= dBP {
		loss = 32.4 + 21*math.Log10(d3D) + 20*math.Log10(f/1e9)
	} else {
		loss = 32.4 + 40*math.Log10(d3D) + 20*math.Log10(f/1e9) -
			9.5*math.Log10(dBP*dBP+(hBS-hUT)*(hBS-hUT))
	}
	if !nlos {
		return loss
	}
	plNlos := 22.4 + 35.3*math.Log10(d3D) + 21.3*math.Log10(f/1e9) - 0.3*(hUT-1.5)
	return maxStd(loss, plNlos)
}

// rmaLoss is ThreeGppRmaPropagationLossModel::GetLossLos and GetLossNlos:
//
//	PL1(d) = 20·log10(40π·d·fc/3) + min(0.03·h^1.72, 10)·log10(d)
//	         - min(0.044·h^1.72, 14.77) + 0.002·log10(h)·d
//	LOS = PL1(d3D) for d2D <= dBP, else PL1(dBP) + 40·log10(d3D/dBP)
//	NLOS = max(LOS, 161.04 - 7.1·log10(W) + 7.5·log10(h)
//	         - (24.37 - 3.7·(h/hBS)²)·log10(hBS)
//	         + (43.42 - 3.1·log10(hBS))·(log10(d3D) - 3)
//	         + 20·log10(fc) - (3.2·(log10(11.75·hUT))² - 4.97))
//
// with dBP = 2π·hBS·hUT·fc/c (fc in Hz there, GHz elsewhere), h the average
// building height and W the average street width.
func (m *ThreeGPP) rmaLoss(l *Link, nlos bool, f float64, k LinkKey) float64 {
	za, zb := l.Tx.Position.Z, l.Rx.Position.Z
	hBS, hUT := maxStd(za, zb), minStd(za, zb)
	d2D, d3D := l.Distance2D(), l.Distance3D()
	if hUT < 1 || hUT > 10 {
		m.Warnings.warn(WarnUTHeight, RMa, k, hUT)
	}
	if hBS < 10 || hBS > 150 {
		m.Warnings.warn(WarnBSHeight, RMa, k, hBS)
	}
	// LOS is valid to 10 km, NLOS to 5 km (ns-3's NLOS checks both).
	maxD := 10e3
	if nlos {
		maxD = 5e3
	}
	if d2D < 10 || d2D > maxD {
		m.Warnings.warn(WarnDistance, RMa, k, d2D)
	}
	h, w := m.cfg.AvgBuildingHeight, m.cfg.AvgStreetWidth
	var loss float64
	dBP := rmaBreakpoint(f, m.cfg.SpeedOfLight, hBS, hUT)
	switch {
	case !(dBP > 0):
		// ns-3 aborts ("Breakpoint distance is zero"); use PL1.
		m.Warnings.warn(WarnBreakpoint, RMa, k, dBP)
		loss = rmaPL1(f, d3D, h)
	case d2D <= dBP:
		loss = rmaPL1(f, d3D, h)
	default:
		loss = rmaPL1(f, dBP, h) + 40*math.Log10(d3D/dBP)
	}
	if !nlos {
		return loss
	}
	plNlos := 161.04 - 7.1*math.Log10(w) + 7.5*math.Log10(h) -
		(24.37-3.7*math.Pow(h/hBS, 2))*math.Log10(hBS) +
		(43.42-3.1*math.Log10(hBS))*(math.Log10(d3D)-3.0) +
		20.0*math.Log10(f/1e9) - (3.2*math.Pow(math.Log10(11.75*hUT), 2) - 4.97)
	return maxStd(loss, plNlos)
}

// rmaBreakpoint is ThreeGppRmaPropagationLossModel::GetBpDistance:
// 2π·hA·hB·f/c.
func rmaBreakpoint(f, c, hA, hB float64) float64 { return 2 * math.Pi * hA * hB * f / c }

// rmaPL1 is ThreeGppRmaPropagationLossModel::Pl1 at distance d.
func rmaPL1(f, d, h float64) float64 {
	hp := math.Pow(h, 1.72)
	return 20*math.Log10(40*math.Pi*d*f/1e9/3) + math.Min(0.03*hp, 10)*math.Log10(d) -
		math.Min(0.044*hp, 14.77) + 0.002*math.Log10(h)*d
}

// indoorLoss is ThreeGppIndoorOfficePropagationLossModel::GetLossLos and
// GetLossNlos (the same for mixed and open offices):
//
//	LOS = 32.4 + 17.3·log10(d3D) + 20·log10(fc)
//	NLOS = max(LOS, 17.3 + 38.3·log10(d3D) + 24.9·log10(fc))
func (m *ThreeGPP) indoorLoss(l *Link, nlos bool, f float64, k LinkKey) float64 {
	d3D := l.Distance3D()
	if d3D < 1 || d3D > 150 {
		m.Warnings.warn(WarnDistance, m.cfg.Scenario, k, d3D)
	}
	loss := 32.4 + 17.3*math.Log10(d3D) + 20*math.Log10(f/1e9)
	if !nlos {
		return loss
	}
	plNlos := 17.3 + 38.3*math.Log10(d3D) + 24.9*math.Log10(f/1e9)
	return maxStd(loss, plNlos)
}
