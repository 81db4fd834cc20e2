package nr5g

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum"
	"github.com/netgym/netgym/sim/spectrum/rb"
	"github.com/netgym/netgym/sim/spectrum/threegpp"
)

// ThreeGPPChannelConfig configures a ThreeGPPChannel: 5G-LENA's
// NrChannelHelper::ConfigureFactories(scenario, "Default", "ThreeGpp") with
// an IdealBeamformingHelper.
type ThreeGPPChannelConfig struct {
	// Grid is the bandwidth part.
	Grid Grid
	// Pathloss is the TR 38.901 pathloss, LOS condition and shadowing
	// (ns-3.45's ThreeGppPropagationLossModel); its FrequencyHz is taken
	// from Grid.CenterHz, and the fast-fading channel shares its condition
	// model.
	Pathloss propagation.ThreeGPPConfig
	// FastFading selects the TR 38.901 7.5 cluster channel (true, the
	// default) or threegpp's cheap model: the beamforming and element
	// gains along the direct path, flat over the band.
	FastFading bool
	// UpdatePeriod is ThreeGppChannelModel's UpdatePeriod (default 0: each
	// link's channel is drawn once, as NetRL runs 5G-LENA).
	UpdatePeriod sim.Time
	// Beamforming configures the ideal beamforming (5G-LENA's default:
	// cell scan every 100 ms; NetRL uses direct path).
	Beamforming threegpp.BeamformingConfig
	// Compat switches ns-3.38's channel computations (ns3-mmwave); the
	// zero value is ns-3.45's.
	Compat threegpp.Compat
}

// DefaultThreeGPPChannelConfig returns 5G-LENA's defaults for scenario s on
// grid g: ns-3.45's pathloss with shadowing, fast fading drawn once per
// link, cell-scan beamforming every 100 ms.
func DefaultThreeGPPChannelConfig(s propagation.Scenario, g Grid) ThreeGPPChannelConfig {
	pl := propagation.DefaultThreeGPPConfig(s)
	pl.FrequencyHz = g.CenterHz
	return ThreeGPPChannelConfig{Grid: g, Pathloss: pl, FastFading: true, Beamforming: threegpp.DefaultBeamformingConfig()}
}

// tgRadio is a radio of a ThreeGPPChannel.
type tgRadio struct {
	ep    propagation.Endpoint
	arr   *antenna.Array
	noise float64 // W per RB
}

// tgPair holds the beams of a gNB-UE pair.
type tgPair struct {
	gnbBeam, ueBeam *antenna.Beam
}

// tgLink caches the per-RB gains of a directed link while nothing they
// depend on changes: both endpoints static and at the same positions, the
// same beams with the same generations, a channel drawn once
// (UpdatePeriod 0), and at least two computations done (ns-3 computes the
// pathloss at every transmission, and ns-3.45's shadowing changes once,
// at the second).
type tgLink struct {
	gains          []float64
	computed       int
	txPos, rxPos   mobility.Vector
	txBeam, rxBeam *antenna.Beam
	txGen, rxGen   uint64
}

// ThreeGPPChannel is the default channel: TR 38.901 pathloss, LOS
// condition and shadowing (sim/propagation), the 7.5 fast-fading cluster
// channel through both arrays' beams (sim/spectrum/threegpp, as ns-3.45's
// ThreeGppChannelModel and ThreeGppSpectrumPropagationLossModel compute
// it) on a sim/spectrum Medium, 5G-LENA's ideal beamforming
// (threegpp.Beamformer: cell scan, direct path or SVD, every period), the
// transmit power spread over the used RBs and thermal noise with the
// receiver's noise figure (sim/spectrum/rb's formulas). It is a
// BeamChannel: the gains of a link with other beams than the pair's serve
// OFDMA receptions and interference between cells. The per-RB gains are
// computed once per link, channel draw and pair of beams, never per slot;
// before each transmission the beams are installed on both arrays, as
// 5G-LENA's BeamManager does.
type ThreeGPPChannel struct {
	s      *sim.Simulator
	cfg    ThreeGPPChannelConfig
	grid   rb.Grid
	pl     *propagation.ThreeGPP
	ch     *threegpp.Channel
	med    *spectrum.Medium[threegpp.Link]
	bf     *threegpp.Beamformer
	radios []tgRadio
	pairs  map[[2]int]tgPair
	links  map[[2]int]*tgLink
	blinks map[[4]int]*tgLink
	keys   map[*antenna.Beam]beamKey
	gain   []float64
}

// beamKey caches a beam's key for one generation of its weights.
type beamKey struct {
	gen uint64
	key uint64
}

var _ BeamChannel = (*ThreeGPPChannel)(nil)

// NewThreeGPPChannel returns a ThreeGPPChannel drawing its per-link random
// streams from s; its beamformer runs every Beamforming.Period on s.
func NewThreeGPPChannel(s *sim.Simulator, cfg ThreeGPPChannelConfig) (*ThreeGPPChannel, error) {
	if s == nil {
		return nil, errors.New("nr5g: NewThreeGPPChannel needs a simulator")
	}
	if err := cfg.Grid.Validate(); err != nil {
		return nil, err
	}
	g := rb.Grid{CenterHz: cfg.Grid.CenterHz, NumRBs: cfg.Grid.NumRBs, SubcarrierSpacingHz: cfg.Grid.SubcarrierSpacingHz}
	if err := g.Validate(); err != nil {
		return nil, fmt.Errorf("nr5g: ThreeGPPChannelConfig.Grid: %w", err)
	}
	cfg.Pathloss.FrequencyHz = cfg.Grid.CenterHz
	pl, err := propagation.NewThreeGPP(cfg.Pathloss, s)
	if err != nil {
		return nil, err
	}
	tc := threegpp.DefaultConfig(cfg.Pathloss.Scenario, g)
	tc.Condition = pl.ConditionModel()
	tc.FastFading = cfg.FastFading
	tc.UpdatePeriod = cfg.UpdatePeriod
	tc.Compat = cfg.Compat
	ch, err := threegpp.New(tc, s)
	if err != nil {
		return nil, err
	}
	mc := spectrum.DefaultConfig()
	mc.LinkLoss = pl
	mc.FrequencyHz = cfg.Grid.CenterHz
	med, err := spectrum.New(s, mc, ch.LinkModel())
	if err != nil {
		return nil, err
	}
	bf, err := threegpp.NewBeamformer(ch, cfg.Beamforming)
	if err != nil {
		return nil, err
	}
	bf.Start(s)
	return &ThreeGPPChannel{s: s, cfg: cfg, grid: g, pl: pl, ch: ch, med: med, bf: bf, pairs: make(map[[2]int]tgPair),
		links: make(map[[2]int]*tgLink), blinks: make(map[[4]int]*tgLink), keys: make(map[*antenna.Beam]beamKey)}, nil
}

// Pathloss returns the pathloss model (its condition model included).
func (c *ThreeGPPChannel) Pathloss() *propagation.ThreeGPP { return c.pl }

// FastFading returns the TR 38.901 channel.
func (c *ThreeGPPChannel) FastFading() *threegpp.Channel { return c.ch }

// Medium returns the medium the radios are attached to.
func (c *ThreeGPPChannel) Medium() *spectrum.Medium[threegpp.Link] { return c.med }

// NumRBs returns the grid's RB count.
func (c *ThreeGPPChannel) NumRBs() int { return c.grid.NumRBs }

// AddRadio attaches a radio to the medium with its array (its transmit
// power there is 0 dBm: the PHYs give theirs per transmission).
func (c *ThreeGPPChannel) AddRadio(r Radio) (int, error) {
	if r.Mobility == nil {
		return 0, errors.New("nr5g: ThreeGPPChannel.AddRadio needs a mobility model")
	}
	if err := r.Array.Validate(); err != nil {
		return 0, err
	}
	if math.IsNaN(r.NoiseFigureDb) || r.NoiseFigureDb < 0 || r.NoiseFigureDb > 50 {
		return 0, fmt.Errorf("nr5g: Radio.NoiseFigureDb %v out of range [0, 50]", r.NoiseFigureDb)
	}
	uc := antenna.DefaultUPAConfig()
	uc.Rows, uc.Columns = r.Array.Rows, r.Array.Columns
	if r.Array.Element != nil {
		uc.Element = r.Array.Element
	}
	arr, err := antenna.NewUPA(uc)
	if err != nil {
		return 0, err
	}
	id, err := c.med.Attach(spectrum.Attachment{Mobility: r.Mobility, FrequencyHz: c.cfg.Grid.CenterHz})
	if err != nil {
		return 0, err
	}
	if err := c.ch.SetArray(id, arr); err != nil {
		return 0, err
	}
	for len(c.radios) <= id {
		c.radios = append(c.radios, tgRadio{})
	}
	c.radios[id] = tgRadio{ep: propagation.Endpoint{ID: id, Mobility: r.Mobility}, arr: arr, noise: c.grid.NoisePerRB(r.NoiseFigureDb)}
	return id, nil
}

// Connect registers the pair with the beamformer (5G-LENA's
// AddBeamformingTask at attachment) and computes its beams.
func (c *ThreeGPPChannel) Connect(gnb, ue int) error {
	if !c.known(gnb) || !c.known(ue) || gnb == ue {
		return fmt.Errorf("nr5g: ThreeGPPChannel.Connect(%d, %d): unknown radio", gnb, ue)
	}
	if _, ok := c.pairs[[2]int{gnb, ue}]; ok {
		return nil
	}
	gb, ub, err := c.bf.Add(c.radios[gnb].ep, c.radios[ue].ep, c.s.Now())
	if err != nil {
		return err
	}
	c.pairs[[2]int{gnb, ue}] = tgPair{gnbBeam: gb, ueBeam: ub}
	return nil
}

// DrawFromGnb computes the link gnb -> ue once on the medium (pathloss,
// shadowing and the link's TR 38.901 channel), as a gNB's DL control
// reaching the UE does in 5G-LENA, so that a pair not drawn yet has its
// parameters drawn from the gNB's side. ns-3's ThreeGppChannelModel::
// GetChannel (three-gpp-channel-model.cc) keys a pair's parameters by the
// unordered pair of nodes but generates them with the first caller's a
// end as the transmitter: the a end gets TR 38.901's departure angle
// spreads (the base station's, for a gNB) and b the arrival ones. In
// 5G-LENA nr-4.1 every gNB sends a DL control symbol carrying its MIB at
// the first slot of each frame (NrGnbPhy::StartSlot queues the MIB and
// adds a DL CTRL allocation; DlCtrl -> SendCtrlChannels ->
// NrSpectrumPhy::StartTxDlControlFrames), and MultiModelSpectrumChannel::
// StartTx computes that signal at every PHY on the channel, so every
// gNB-UE pair is drawn from the gNB's side before a UE sends anything.
// Without this, a pair's first gains in netgym would be the UE's uplink
// (the DL of NetRL's scenario carries nothing), drawn from the UE's side:
// NLOS links then come out about 1.4 dB weaker than 5G-LENA's (docs/nr.md,
// "Against 5G-LENA itself"). A pair already drawn is not redrawn; a pair
// below the medium's floor is not drawn. The link is computed at the
// simulator's current time.
func (c *ThreeGPPChannel) DrawFromGnb(gnb, ue int) error {
	if !c.known(gnb) || !c.known(ue) || gnb == ue {
		return fmt.Errorf("nr5g: ThreeGPPChannel.DrawFromGnb(%d, %d): unknown radio", gnb, ue)
	}
	_, _, err := c.med.Pair(gnb, ue)
	return err
}

func (c *ThreeGPPChannel) known(id int) bool {
	return id >= 0 && id < len(c.radios) && c.radios[id].arr != nil
}

// Gains returns the linear gain of each RB of the link tx -> rx at now,
// pathloss and shadowing included, with the pair's beams installed. The
// slice belongs to the channel until the link's next call.
func (c *ThreeGPPChannel) Gains(tx, rx int, now sim.Time) ([]float64, error) {
	if !c.known(tx) || !c.known(rx) || tx == rx {
		return nil, fmt.Errorf("nr5g: ThreeGPPChannel: link %d -> %d: unknown radio", tx, rx)
	}
	t, r := &c.radios[tx], &c.radios[rx]
	if p, ok := c.pairs[[2]int{tx, rx}]; ok {
		_ = t.arr.SetBeam(p.gnbBeam)
		_ = r.arr.SetBeam(p.ueBeam)
	} else if p, ok := c.pairs[[2]int{rx, tx}]; ok {
		_ = r.arr.SetBeam(p.gnbBeam)
		_ = t.arr.SetBeam(p.ueBeam)
	}
	key := [2]int{tx, rx}
	l := c.links[key]
	if l == nil {
		l = &tgLink{}
		c.links[key] = l
	}
	return c.linkGains(l, tx, rx, now)
}

// beamFor returns the beam radio id uses for its connected peer, or nil.
func (c *ThreeGPPChannel) beamFor(id, peer int) *antenna.Beam {
	if p, ok := c.pairs[[2]int{id, peer}]; ok {
		return p.gnbBeam
	}
	if p, ok := c.pairs[[2]int{peer, id}]; ok {
		return p.ueBeam
	}
	return nil
}

// BeamGains returns the linear gain of each RB of tx -> rx with tx's beam
// for txFor and rx's for rxFor installed (see BeamChannel), computed once
// per link, pair of beams and channel draw for static radios.
func (c *ThreeGPPChannel) BeamGains(tx, txFor, rx, rxFor int, now sim.Time) ([]float64, error) {
	if !c.known(tx) || !c.known(rx) || tx == rx {
		return nil, fmt.Errorf("nr5g: ThreeGPPChannel: link %d -> %d: unknown radio", tx, rx)
	}
	if b := c.beamFor(tx, txFor); b != nil {
		_ = c.radios[tx].arr.SetBeam(b)
	}
	if b := c.beamFor(rx, rxFor); b != nil {
		_ = c.radios[rx].arr.SetBeam(b)
	}
	key := [4]int{tx, txFor, rx, rxFor}
	l := c.blinks[key]
	if l == nil {
		l = &tgLink{}
		c.blinks[key] = l
	}
	return c.linkGains(l, tx, rx, now)
}

// linkGains returns l's gains for the beams installed now, computing them
// again unless nothing they depend on changed.
func (c *ThreeGPPChannel) linkGains(l *tgLink, tx, rx int, now sim.Time) ([]float64, error) {
	t, r := &c.radios[tx], &c.radios[rx]
	tp, rp := t.ep.Mobility.Position(now), r.ep.Mobility.Position(now)
	tb, rbm := t.arr.Beam(), r.arr.Beam()
	static := c.cfg.UpdatePeriod == 0 && t.ep.Mobility.Velocity(now) == (mobility.Vector{}) &&
		r.ep.Mobility.Velocity(now) == (mobility.Vector{})
	if static && l.computed >= 2 && l.txPos == tp && l.rxPos == rp && l.txBeam == tb && l.rxBeam == rbm &&
		(tb == nil || l.txGen == tb.Generation()) && (rbm == nil || l.rxGen == rbm.Generation()) {
		return l.gains, nil
	}
	ds, err := c.med.Transmit(tx)
	if err != nil {
		return nil, err
	}
	for i := range ds {
		d := &ds[i]
		if d.Rx != rx {
			continue
		}
		pathGain := d.RxW / spectrum.DbmToW(0)
		g := d.Link.RBGains(now)
		if cap(l.gains) < len(g) {
			l.gains = make([]float64, len(g))
		}
		l.gains = l.gains[:len(g)]
		for k, v := range g {
			l.gains[k] = pathGain * v
		}
		if l.txPos == tp && l.rxPos == rp && l.txBeam == tb && l.rxBeam == rbm {
			l.computed++
		} else {
			l.computed = 1
		}
		l.txPos, l.rxPos, l.txBeam, l.rxBeam = tp, rp, tb, rbm
		if tb != nil {
			l.txGen = tb.Generation()
		}
		if rbm != nil {
			l.rxGen = rbm.Generation()
		}
		return l.gains, nil
	}
	return nil, fmt.Errorf("nr5g: ThreeGPPChannel: no delivery from %d to %d", tx, rx)
}

// NoiseW returns the noise power per RB of radio rx (0 for an unknown one).
func (c *ThreeGPPChannel) NoiseW(rx int) float64 {
	if !c.known(rx) {
		return 0
	}
	return c.radios[rx].noise
}

// BeamKey identifies gNB radio gnb's beam for UE radio ue: 0 for every
// method but cell scan (5G-LENA gives direct-path and the other computed
// beams its empty BeamId), and for cell scan a hash of the codebook
// weights, so that UEs in one sector share a key.
func (c *ThreeGPPChannel) BeamKey(gnb, ue int) uint64 {
	if c.cfg.Beamforming.Method != threegpp.CellScan {
		return 0
	}
	b := c.beamFor(gnb, ue)
	if b == nil {
		return 0
	}
	if k, ok := c.keys[b]; ok && k.gen == b.Generation() {
		return k.key
	}
	h := uint64(14695981039346656037) // FNV-1a over the weights' bits
	for _, w := range b.Weights() {
		for _, f := range [2]float64{real(w), imag(w)} {
			x := math.Float64bits(f)
			for i := 0; i < 8; i++ {
				h ^= x & 0xff
				h *= 1099511628211
				x >>= 8
			}
		}
	}
	c.keys[b] = beamKey{gen: b.Generation(), key: h}
	return h
}

// SINR fills sinr for a transmission tx -> rx.
func (c *ThreeGPPChannel) SINR(sinr []float64, tx, rx int, txPowerDbm float64, used RbgMask, now sim.Time) ([]float64, error) {
	g, err := c.Gains(tx, rx, now)
	if err != nil {
		return sinr, err
	}
	return fillSINR(sinr, c.grid.NumRBs, txPowerDbm, c.radios[rx].noise, used, g), nil
}
