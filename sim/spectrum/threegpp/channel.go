package threegpp

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum"
	"github.com/netgym/netgym/sim/spectrum/rb"
)

// Compat switches the points where ns-3.38's ThreeGppChannelModel (the
// base of ns3-mmwave v7.0) computes differently from ns-3.45's, which is
// the default. The zero value is ns-3.45.
type Compat struct {
	// RaySinCosBug takes cos instead of sin of the ray azimuths (AoA and
	// AoD) in the y term of the element phases of the non-LOS rays, as
	// ns-3.38 alone does (GetNewChannel: sinRayAoa = cos(rayAoa),
	// introduced with the Eigen support of ns-3.38, fixed in ns-3.39, issue
	// #919). It changes which directions the clusters seem to come from at
	// an array: with direct-path beams of a 4 x 8 and a 2 x 4 array in UMa
	// NLOS the mean gain falls from 14.5 to -2.6 dB.
	RaySinCosBug bool
	// ReverseShuffle couples the rays with ns-3.38's
	// ThreeGppChannelModel::Shuffle (Fisher-Yates from the last element)
	// instead of ns-3.45's ns3::Shuffle (from the first). Both are uniform
	// permutations: only the draws differ.
	ReverseShuffle bool
}

// NS338Compat returns the switches that reproduce ns-3.38's channel model.
func NS338Compat() Compat { return Compat{RaySinCosBug: true, ReverseShuffle: true} }

// Config configures a Channel. The defaults are ns-3.45's
// ThreeGppChannelModel attributes (Scenario UMa, UpdatePeriod 0, Blockage
// off, vScatt 0) with 5G-LENA's wiring: the carrier is the bandwidth
// part's (NrChannelHelper sets Frequency to its central frequency) and the
// condition model is the pathloss model's.
type Config struct {
	// Scenario selects the TR 38.901 Table 7.5-6 parameters (ns-3's
	// Scenario; UMa, UMiStreetCanyon, RMa, InHOfficeMixed, InHOfficeOpen).
	Scenario propagation.Scenario
	// Grid is the carrier: its centre frequency is the channel's frequency
	// (ns-3's Frequency, 0.5 to 100 GHz) and the per-RB gains are computed
	// at its resource blocks' centre frequencies.
	Grid rb.Grid
	// UpdatePeriod is the channel's coherence time (ns-3's UpdatePeriod,
	// default 0: a link's channel is drawn once and kept, as NetRL runs
	// 5G-LENA). A link's parameters are drawn again when a computation
	// finds them older than UpdatePeriod, or when its LOS or O2I condition
	// changed.
	UpdatePeriod sim.Time
	// FastFading selects the TR 38.901 7.5 cluster channel (true, the
	// default). False selects the cheap model for large sweeps: no small-
	// scale fading, a flat gain per link made only of the two arrays'
	// beamforming and element gains along the geometric direct path (see
	// the package documentation).
	FastFading bool
	// Condition decides each link's LOS and O2I condition. Share the
	// pathloss model's (propagation.ThreeGPP.ConditionModel) so that
	// pathloss and fast fading agree on LOS, as 5G-LENA's NrChannelHelper
	// gives both the same ChannelConditionModel. nil makes a
	// ThreeGPPCondition of the scenario with ns-3's defaults on the streams
	// "propagation/3gpp/<scenario>/condition", the ones a default
	// propagation.ThreeGPP draws from, so that the two agree as long as
	// both keep their defaults.
	Condition propagation.ConditionModel
	// StreamName is the prefix of the per-link random streams
	// "<StreamName>/<lo>-<hi>" (default "spectrum/threegpp/<scenario>").
	StreamName string
	// Compat switches ns-3.38's behaviour (NS338Compat) for the mmWave
	// module; the zero value is ns-3.45's.
	Compat Compat
}

// DefaultConfig returns ns-3.45's defaults for the scenario on carrier g:
// fast fading on, UpdatePeriod 0 (fixed channel per link), the default
// condition model, ns-3.45's computations.
func DefaultConfig(s propagation.Scenario, g rb.Grid) Config {
	return Config{Scenario: s, Grid: g, FastFading: true, StreamName: "spectrum/threegpp/" + s.String()}
}

// Validate reports an unknown scenario, an invalid grid or a carrier
// outside ns-3's 0.5 to 100 GHz, a negative update period or an empty
// stream name.
func (c Config) Validate() error {
	switch c.Scenario {
	case propagation.UMa, propagation.UMiStreetCanyon, propagation.RMa, propagation.InHOfficeMixed, propagation.InHOfficeOpen:
	default:
		return fmt.Errorf("threegpp: Config.Scenario %d is not one of UMa, UMiStreetCanyon, RMa, InHOfficeMixed, InHOfficeOpen", c.Scenario)
	}
	if err := c.Grid.Validate(); err != nil {
		return fmt.Errorf("threegpp: Config.Grid: %w", err)
	}
	if c.Grid.CenterHz > 100e9 {
		return fmt.Errorf("threegpp: Config.Grid.CenterHz %g must be in [0.5e9, 100e9] (TR 38.901)", c.Grid.CenterHz)
	}
	if c.UpdatePeriod < 0 {
		return fmt.Errorf("threegpp: Config.UpdatePeriod %v must be >= 0", c.UpdatePeriod)
	}
	if c.StreamName == "" {
		return errors.New("threegpp: Config.StreamName must not be empty")
	}
	return nil
}

// Stats counts what a Channel computed.
type Stats struct {
	// Params counts the draws of a link's parameters (TR 38.901 steps 4
	// to 10).
	Params uint64
	// Matrices counts the computations of a link's channel coefficients
	// (step 11): with each parameter draw, and after an array change.
	Matrices uint64
	// LongTerms counts the computations of a link's per-cluster gains
	// through a pair of beams (ns-3's CalcLongTerm).
	LongTerms uint64
	// Gains counts the computations of per-RB gains (ns-3's
	// CalcBeamformingGain): once per long term for static links, once per
	// call for moving ones (Doppler).
	Gains uint64
	// MissingArrays counts the link computations for which an endpoint had
	// no array (SetArray) and used a single isotropic element.
	MissingArrays uint64
}

// linkState is the channel of an unordered pair of endpoints, shared by
// both directions: ns-3's ThreeGppChannelParams and ChannelMatrix of a
// node pair, and the delay phases of GenSpectrumChannelMatrix
// (m_cachedDelaySincos).
type linkState struct {
	rng        *rand.Rand
	p          clusterParams
	drawn      bool
	m          channelMatrix
	arrS, arrU *antenna.Array // arrays of the parameters' a and b ends
	gen        uint64         // matrix generation (0: none yet)
	// delayPh[rb*pages + p] = exp(-j·2π·f_rb·τ_p).
	delayPh []complex128
}

// Channel is the TR 38.901 7.5 fast-fading channel as ns-3.45's
// ThreeGppChannelModel and ThreeGppSpectrumPropagationLossModel compute
// it, for a sim/spectrum Medium: its LinkModel computes each link's
// per-link object, a Link, whose RBGains are the per-resource-block power
// gains of fast fading and beamforming. Pathloss, shadowing and the LOS
// condition stay with the medium's loss model (propagation.ThreeGPP).
// Construct it with New and give every radio its array with SetArray.
type Channel struct {
	cfg    Config
	src    propagation.StreamSource
	cond   propagation.ConditionModel
	arrays map[int]*antenna.Array
	single *antenna.Array
	states propagation.LinkStates[linkState]
	freqs  []float64
	stats  Stats
}

// New returns a channel drawing from per-link streams of src (a
// *sim.Simulator is a StreamSource).
func New(cfg Config, src propagation.StreamSource) (*Channel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if src == nil {
		return nil, errors.New("threegpp: New needs a StreamSource (e.g. the *sim.Simulator)")
	}
	c := &Channel{cfg: cfg, src: src, cond: cfg.Condition, arrays: make(map[int]*antenna.Array)}
	if c.cond == nil {
		cc, err := propagation.NewThreeGPPCondition(propagation.DefaultThreeGPPConditionConfig(cfg.Scenario), src)
		if err != nil {
			return nil, err
		}
		c.cond = cc
	}
	one, err := antenna.NewUPA(antenna.UPAConfig{Rows: 1, Columns: 1, HorizontalSpacing: 0.5, VerticalSpacing: 0.5, Element: antenna.Isotropic{}})
	if err != nil {
		return nil, err
	}
	c.single = one
	c.freqs = cfg.Grid.CenterFrequencies(nil)
	return c, nil
}

// Config returns the channel's configuration (Condition as given).
func (c *Channel) Config() Config { return c.cfg }

// ConditionModel returns the condition model the channel asks.
func (c *Channel) ConditionModel() propagation.ConditionModel { return c.cond }

// Stats returns what the channel has counted so far.
func (c *Channel) Stats() Stats { return c.stats }

// SetArray gives endpoint id (the medium's attachment id) its antenna
// array. An endpoint without one is a single isotropic element. After
// changing an endpoint's array, call the medium's InvalidateLinks(id): the
// channels of its links are recomputed for the new array (ns-3's
// AntennaSetupChanged) at their next use.
func (c *Channel) SetArray(id int, a *antenna.Array) error {
	if a == nil {
		return fmt.Errorf("threegpp: SetArray(%d) needs an array", id)
	}
	c.arrays[id] = a
	return nil
}

// Array returns endpoint id's array (nil if none was set).
func (c *Channel) Array(id int) *antenna.Array { return c.arrays[id] }

// array returns endpoint id's array or the single isotropic element.
func (c *Channel) array(id int) *antenna.Array {
	if a, ok := c.arrays[id]; ok {
		return a
	}
	c.stats.MissingArrays++
	return c.single
}

// LinkModel returns the per-link model to give spectrum.New: Update binds
// a Link to the link's channel, drawing or refreshing it; Period is the
// UpdatePeriod. With fast fading the objects are kept when endpoints move
// (KeepOnMove), as ns-3 regenerates a channel only on its update period or
// a condition change; without, they follow every move.
func (c *Channel) LinkModel() spectrum.LinkModel[Link] {
	return spectrum.LinkModel[Link]{Update: c.update, Period: c.cfg.UpdatePeriod, KeepOnMove: c.cfg.FastFading}
}

// Bind computes (or refreshes) the channel of link l into obj, as the
// medium's LinkModel does: for a radio or a test that manages its own
// per-link objects.
func (c *Channel) Bind(obj *Link, l *propagation.Link) { c.update(obj, l) }

// update is the LinkModel's Update.
func (c *Channel) update(obj *Link, l *propagation.Link) {
	obj.ch = c
	obj.txID, obj.rxID = l.Tx.ID, l.Rx.ID
	obj.txMob, obj.rxMob = l.Tx.Mobility, l.Rx.Mobility
	obj.invalidate()
	txArr, rxArr := c.array(l.Tx.ID), c.array(l.Rx.ID)
	if !c.cfg.FastFading {
		obj.st = nil
		obj.txArr, obj.rxArr = txArr, rxArr
		obj.txDir = antenna.DirectionTo(l.Tx.Position, l.Rx.Position)
		obj.rxDir = antenna.DirectionTo(l.Rx.Position, l.Tx.Position)
		rxPhi, rxTheta := rxArr.FieldPattern(obj.rxDir)
		txPhi, txTheta := txArr.FieldPattern(obj.txDir)
		obj.field = rxTheta*txTheta - rxPhi*txPhi
		return
	}
	k := l.Key()
	st, ok := c.states.Get(k)
	if !ok {
		st = c.states.GetOrInit(k, nil)
		st.rng = propagation.LinkStream(c.src, c.cfg.StreamName, k)
	}
	cond := c.cond.Condition(l)
	if !st.drawn || cond.Los != st.p.cond.Los || cond.O2I != st.p.cond.O2I ||
		(c.cfg.UpdatePeriod != 0 && l.Now-st.p.generated > c.cfg.UpdatePeriod) {
		// ns-3's ChannelParamsNeedsUpdate: new parameters, drawn in this
		// link's direction, and a new matrix with them.
		pa, pb := l.Tx.Position, l.Rx.Position
		d2D := math.Hypot(pa.X-pb.X, pa.Y-pb.Y)
		hUT, hBS := math.Min(pa.Z, pb.Z), math.Max(pa.Z, pb.Z)
		t := tableFor(c.cfg.Scenario, cond.Los == propagation.LOS, cond.O2I, c.cfg.Grid.CenterHz, d2D, hUT, hBS)
		st.p.generate(t, cond, l.Tx.ID, l.Rx.ID, pa, pb, l.Now, st.rng, c.cfg.Compat)
		st.drawn = true
		c.stats.Params++
		c.newMatrix(st, txArr, rxArr)
	} else {
		// ns-3's AntennaSetupChanged: the same parameters, a new matrix for
		// the endpoints' current arrays.
		aArr, bArr := txArr, rxArr
		if l.Tx.ID != st.p.aID {
			aArr, bArr = rxArr, txArr
		}
		if aArr != st.arrS || bArr != st.arrU {
			c.newMatrix(st, aArr, bArr)
		}
	}
	obj.st = st
	obj.reverse = l.Tx.ID != st.p.aID
	if obj.reverse {
		obj.txArr, obj.rxArr = st.arrU, st.arrS
	} else {
		obj.txArr, obj.rxArr = st.arrS, st.arrU
	}
}

// newMatrix computes st's coefficients for arrays s (at the parameters'
// a end) and u (at b), and the delay phases of the grid.
func (c *Channel) newMatrix(st *linkState, s, u *antenna.Array) {
	st.m.generate(&st.p, s, u, c.cfg.Grid.CenterHz, c.cfg.Compat)
	st.arrS, st.arrU = s, u
	st.gen++
	c.stats.Matrices++
	pages := st.m.pages
	st.delayPh = resizeC(st.delayPh, len(c.freqs)*pages)
	for r, f := range c.freqs {
		for p := range pages {
			st.delayPh[r*pages+p] = expj(-2 * math.Pi * f * st.p.delay[p])
		}
	}
}

// cmplxAbs2 returns |z|².
func cmplxAbs2(z complex128) float64 { return real(z)*real(z) + imag(z)*imag(z) }
