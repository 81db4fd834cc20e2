package nr5g

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// ThermalNoiseDbmHz is the thermal noise density 5G-LENA uses, kT at 290 K
// (NrSpectrumValueHelper::CreateNoisePowerSpectralDensity: -174 dBm/Hz).
const ThermalNoiseDbmHz = -174.0

// ArrayConfig is a radio's antenna array: a uniform planar array of
// Rows x Columns elements, half a wavelength apart, facing +x (ns-3's
// UniformPlanarArray; NetRL uses IsotropicAntennaModel elements).
type ArrayConfig struct {
	Rows, Columns int // vertical and horizontal element counts
	// Element is the element pattern (nil: isotropic, ns-3's
	// IsotropicAntennaModel; antenna.ThreeGPPElement is TR 38.901's).
	Element antenna.Element
}

// Elements returns Rows * Columns.
func (a ArrayConfig) Elements() int { return a.Rows * a.Columns }

// Validate reports a dimension out of [1, 64].
func (a ArrayConfig) Validate() error {
	if a.Rows < 1 || a.Rows > 64 || a.Columns < 1 || a.Columns > 64 {
		return fmt.Errorf("nr5g: ArrayConfig %dx%d out of range [1, 64] x [1, 64]", a.Rows, a.Columns)
	}
	return nil
}

// Radio is what a Channel needs to know of a PHY.
type Radio struct {
	// Mobility gives the radio's position (the antenna height is z).
	Mobility mobility.Model
	// Array is the radio's antenna array.
	Array ArrayConfig
	// NoiseFigureDb is the receiver's noise figure (5G-LENA's NrPhy
	// NoiseFigure, 5 dB by default for gNB and UE).
	NoiseFigureDb float64
}

// Channel is where the PHYs get the SINR of each resource block of a
// transmission: the model chain from pathloss to SINR per RB (see the
// package documentation) behind one small interface. A Channel serves one
// bandwidth part (its resource-block grid). Implementations:
// PathlossChannel (TR 38.901 pathloss, LOS condition and shadowing with a
// fixed beamforming gain, no fast fading) and StaticChannel (a fixed SINR
// per link, for tests).
type Channel interface {
	// AddRadio registers a PHY and returns its id.
	AddRadio(r Radio) (int, error)
	// Connect tells the channel that gNB radio gnb serves UE radio ue:
	// from now on both steer their beams at each other for their
	// transmissions (5G-LENA's ideal beamforming of the pair).
	Connect(gnb, ue int) error
	// NumRBs returns the number of resource blocks of the grid.
	NumRBs() int
	// SINR fills sinr[0:NumRBs()] with the linear SINR at radio rx of a
	// transmission by radio tx of txPowerDbm spread uniformly over the RBs
	// in used (5G-LENA's UNIFORM_POWER_ALLOCATION_USED, the default of its
	// PHYs); RBs outside used get 0. It returns sinr, grown if needed.
	SINR(sinr []float64, tx, rx int, txPowerDbm float64, used RbgMask, now sim.Time) ([]float64, error)
}

// BeamChannel is a Channel whose gains depend on where the arrays point:
// the PHYs use it when a transmission is not simply a connected pair
// facing each other (OFDMA, where concurrent blocks share the first
// block's gNB beam, as 5G-LENA's gNB PHY installs one beam per symbol;
// and interference between cells, received through the interferer's beam
// for its own UE and the receiver's beam for its own peer).
// ThreeGPPChannel implements it.
type BeamChannel interface {
	Channel
	// BeamGains returns the linear gain per RB of tx -> rx (pathloss,
	// shadowing, fast fading and both arrays' beams) with tx's array
	// steered as for its connected peer txFor and rx's as for rxFor (a
	// radio without a beam for that peer keeps the beam it has). The slice
	// belongs to the channel until the next call with the same radios.
	BeamGains(tx, txFor, rx, rxFor int, now sim.Time) ([]float64, error)
	// NoiseW returns the thermal noise per RB (W) at radio rx, its noise
	// figure included.
	NoiseW(rx int) float64
	// BeamKey identifies the beam gNB radio gnb serves UE radio ue with,
	// as 5G-LENA's BeamId does for its schedulers: equal keys share a beam
	// (direct-path beams all have 5G-LENA's empty BeamId, so one key; cell
	// scan beams are keyed by their codebook weights).
	BeamKey(gnb, ue int) uint64
}

// gnbSideDrawer is a Channel whose random per-link state depends on which
// end of a gNB-UE pair transmits first (ThreeGPPChannel: TR 38.901's
// large-scale parameters and angles are drawn in the direction of the
// link that first asks for them). The gNBs call DrawFromGnb for every UE
// at their first slot and at each frame start (the MIB's slot), so every
// pair, serving or interfering, is drawn from the gNB's side before any UE
// transmits, as 5G-LENA's gNBs do with the DL control that carries their
// MIB (see Gnb.drawPairs).
type gnbSideDrawer interface {
	DrawFromGnb(gnb, ue int) error
}

// Grid is a bandwidth part's resource-block grid as a Channel sees it.
type Grid struct {
	CenterHz            float64 // centre frequency
	NumRBs              int     // resource blocks in the bandwidth part
	SubcarrierSpacingHz float64 // 15 kHz * 2^mu
}

// GridOf returns the grid of a PHY configuration.
func GridOf(c PhyConfig) (Grid, error) {
	n, err := c.RbCount()
	if err != nil {
		return Grid{}, err
	}
	return Grid{CenterHz: c.CentralFrequencyHz, NumRBs: n, SubcarrierSpacingHz: float64(c.Numerology.SubcarrierSpacing())}, nil
}

// Validate reports a grid that is not usable.
func (g Grid) Validate() error {
	if !(g.CenterHz > 0) || g.NumRBs < 1 || !(g.SubcarrierSpacingHz > 0) {
		return fmt.Errorf("nr5g: Grid %+v needs a positive centre frequency, RB count and subcarrier spacing", g)
	}
	return nil
}

// RBBandwidthHz returns 12 subcarriers.
func (g Grid) RBBandwidthHz() float64 { return SubcarriersPerRb * g.SubcarrierSpacingHz }

// noiseW returns the noise power of one RB with noise figure nf (dB).
func (g Grid) noiseW(nf float64) float64 {
	return math.Pow(10, (ThermalNoiseDbmHz-30)/10) * math.Pow(10, nf/10) * g.RBBandwidthHz()
}

// fillSINR writes the SINR of gain (linear, per RB or one value for all
// when len(gain) == 1) for txPowerDbm spread over used.
func fillSINR(sinr []float64, n int, txPowerDbm, noiseW float64, used RbgMask, gain []float64) []float64 {
	if cap(sinr) < n {
		sinr = make([]float64, n)
	}
	sinr = sinr[:n]
	nUsed := 0
	for rb := 0; rb < n; rb++ {
		if used.Has(rb) {
			nUsed++
		}
	}
	if nUsed == 0 {
		clear(sinr)
		return sinr
	}
	perRb := math.Pow(10, (txPowerDbm-30)/10) / float64(nUsed) / noiseW
	for rb := 0; rb < n; rb++ {
		if !used.Has(rb) {
			sinr[rb] = 0
			continue
		}
		g := gain[0]
		if len(gain) > 1 {
			g = gain[rb]
		}
		sinr[rb] = perRb * g
	}
	return sinr
}

// PathlossChannelConfig configures a PathlossChannel.
type PathlossChannelConfig struct {
	// Grid is the bandwidth part.
	Grid Grid
	// Pathloss is the TR 38.901 pathloss model (scenario, shadowing,
	// condition model); its FrequencyHz is taken from Grid.CenterHz.
	Pathloss propagation.ThreeGPPConfig
}

// DefaultPathlossChannelConfig returns ns-3.45's ThreeGppPropagationLossModel
// defaults for the scenario on grid g.
func DefaultPathlossChannelConfig(s propagation.Scenario, g Grid) PathlossChannelConfig {
	pl := propagation.DefaultThreeGPPConfig(s)
	pl.FrequencyHz = g.CenterHz
	return PathlossChannelConfig{Grid: g, Pathloss: pl}
}

// pathlossLink caches the gain of a directed link while both endpoints
// stay put.
type pathlossLink struct {
	computed int
	txPos    mobility.Vector
	rxPos    mobility.Vector
	gain     float64 // linear: pathloss, shadowing, both arrays' gains
}

// PathlossChannel is the cheap channel: TR 38.901 pathloss, LOS condition
// and shadowing (sim/propagation's ThreeGPP, as ns-3.45), the same on every
// RB, times a fixed beamforming gain equal to the element counts of both
// arrays (matched direct-path beams of isotropic elements: 4x8 and 2x4
// give 24.08 dB), without fast fading. It is not a BeamChannel, so cells
// on it do not interfere.
// A link's gain is computed on its first two uses, as ns-3 computes the
// pathloss at every transmission (so that the second computation's
// shadowing, which ns-3.45 redraws once, is kept), and again when an
// endpoint moves.
type PathlossChannel struct {
	sim    *sim.Simulator
	cfg    PathlossChannelConfig
	pl     *propagation.ThreeGPP
	radios []Radio
	noise  []float64 // per radio, W per RB
	links  map[[2]int]*pathlossLink
	gain   [1]float64
}

var _ Channel = (*PathlossChannel)(nil)

// NewPathlossChannel returns a PathlossChannel drawing its per-link random
// streams from s.
func NewPathlossChannel(s *sim.Simulator, cfg PathlossChannelConfig) (*PathlossChannel, error) {
	if s == nil {
		return nil, errors.New("nr5g: NewPathlossChannel needs a simulator")
	}
	if err := cfg.Grid.Validate(); err != nil {
		return nil, err
	}
	cfg.Pathloss.FrequencyHz = cfg.Grid.CenterHz
	pl, err := propagation.NewThreeGPP(cfg.Pathloss, s)
	if err != nil {
		return nil, err
	}
	return &PathlossChannel{sim: s, cfg: cfg, pl: pl, links: make(map[[2]int]*pathlossLink)}, nil
}

// Pathloss returns the pathloss model (its condition model included).
func (c *PathlossChannel) Pathloss() *propagation.ThreeGPP { return c.pl }

// NumRBs returns the grid's RB count.
func (c *PathlossChannel) NumRBs() int { return c.cfg.Grid.NumRBs }

// AddRadio registers a radio.
func (c *PathlossChannel) AddRadio(r Radio) (int, error) {
	if r.Mobility == nil {
		return 0, errors.New("nr5g: PathlossChannel.AddRadio needs a mobility model")
	}
	if err := r.Array.Validate(); err != nil {
		return 0, err
	}
	if _, iso := r.Array.Element.(antenna.Isotropic); r.Array.Element != nil && !iso {
		return 0, errors.New("nr5g: PathlossChannel supports isotropic elements only (use ThreeGPPChannel)")
	}
	if math.IsNaN(r.NoiseFigureDb) || math.IsInf(r.NoiseFigureDb, 0) || r.NoiseFigureDb < 0 || r.NoiseFigureDb > 50 {
		return 0, fmt.Errorf("nr5g: Radio.NoiseFigureDb %v out of range [0, 50]", r.NoiseFigureDb)
	}
	c.radios = append(c.radios, r)
	c.noise = append(c.noise, c.cfg.Grid.noiseW(r.NoiseFigureDb))
	return len(c.radios) - 1, nil
}

// Connect does nothing: the beams of this channel are always matched.
func (c *PathlossChannel) Connect(gnb, ue int) error {
	if gnb < 0 || gnb >= len(c.radios) || ue < 0 || ue >= len(c.radios) {
		return fmt.Errorf("nr5g: PathlossChannel.Connect(%d, %d): unknown radio", gnb, ue)
	}
	return nil
}

// Gain returns the linear gain of the link tx -> rx at now: pathloss,
// shadowing and both arrays' beamforming gains.
func (c *PathlossChannel) Gain(tx, rx int, now sim.Time) (float64, error) {
	if tx < 0 || tx >= len(c.radios) || rx < 0 || rx >= len(c.radios) || tx == rx {
		return 0, fmt.Errorf("nr5g: PathlossChannel: link %d -> %d: unknown radio", tx, rx)
	}
	t, r := &c.radios[tx], &c.radios[rx]
	tp, rp := t.Mobility.Position(now), r.Mobility.Position(now)
	key := [2]int{tx, rx}
	l := c.links[key]
	if l == nil {
		l = &pathlossLink{}
		c.links[key] = l
	}
	if l.computed < 2 || l.txPos != tp || l.rxPos != rp {
		link := propagation.Link{
			Tx:          propagation.Endpoint{ID: tx, Position: tp, Mobility: t.Mobility},
			Rx:          propagation.Endpoint{ID: rx, Position: rp, Mobility: r.Mobility},
			FrequencyHz: c.cfg.Grid.CenterHz, Now: now,
		}
		db := c.pl.LinkRxPower(0, &link)
		l.gain = math.Pow(10, db/10) * float64(t.Array.Elements()) * float64(r.Array.Elements())
		if l.txPos == tp && l.rxPos == rp {
			l.computed++
		} else {
			l.computed = 1
		}
		l.txPos, l.rxPos = tp, rp
	}
	return l.gain, nil
}

// SINR fills sinr for a transmission tx -> rx.
func (c *PathlossChannel) SINR(sinr []float64, tx, rx int, txPowerDbm float64, used RbgMask, now sim.Time) ([]float64, error) {
	g, err := c.Gain(tx, rx, now)
	if err != nil {
		return sinr, err
	}
	c.gain[0] = g
	return fillSINR(sinr, c.cfg.Grid.NumRBs, txPowerDbm, c.noise[rx], used, c.gain[:]), nil
}

// StaticChannel gives every link a fixed SINR on every used RB, whatever
// the power and the number of RBs: a test channel for the protocol stack.
type StaticChannel struct {
	numRBs  int
	radios  int
	sinrLin map[[2]int]float64
	def     float64
}

var _ Channel = (*StaticChannel)(nil)

// NewStaticChannel returns a channel of numRBs RBs whose links have
// sinrDb unless set otherwise with SetSINR.
func NewStaticChannel(numRBs int, sinrDb float64) (*StaticChannel, error) {
	if numRBs < 1 {
		return nil, fmt.Errorf("nr5g: NewStaticChannel: %d RBs", numRBs)
	}
	if math.IsNaN(sinrDb) || math.IsInf(sinrDb, 0) {
		return nil, fmt.Errorf("nr5g: NewStaticChannel: SINR %v dB", sinrDb)
	}
	return &StaticChannel{numRBs: numRBs, sinrLin: make(map[[2]int]float64), def: math.Pow(10, sinrDb/10)}, nil
}

// SetSINR sets the SINR of the directed link tx -> rx.
func (c *StaticChannel) SetSINR(tx, rx int, sinrDb float64) {
	c.sinrLin[[2]int{tx, rx}] = math.Pow(10, sinrDb/10)
}

// AddRadio registers a radio.
func (c *StaticChannel) AddRadio(Radio) (int, error) {
	c.radios++
	return c.radios - 1, nil
}

// Connect does nothing.
func (c *StaticChannel) Connect(int, int) error { return nil }

// NumRBs returns the RB count.
func (c *StaticChannel) NumRBs() int { return c.numRBs }

// SINR fills sinr with the link's fixed SINR on the used RBs.
func (c *StaticChannel) SINR(sinr []float64, tx, rx int, _ float64, used RbgMask, _ sim.Time) ([]float64, error) {
	v, ok := c.sinrLin[[2]int{tx, rx}]
	if !ok {
		v = c.def
	}
	if cap(sinr) < c.numRBs {
		sinr = make([]float64, c.numRBs)
	}
	sinr = sinr[:c.numRBs]
	for rb := range sinr {
		if used.Has(rb) {
			sinr[rb] = v
		} else {
			sinr[rb] = 0
		}
	}
	return sinr, nil
}
