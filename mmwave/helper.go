package mmwave

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum"
	"github.com/netgym/netgym/sim/spectrum/rb"
	"github.com/netgym/netgym/sim/spectrum/threegpp"
)

// Stats counts what a Helper's RAN did.
type Stats struct {
	// DlTBs and UlTBs count transport blocks sent (first transmissions
	// and retransmissions); DlCorrupted and UlCorrupted those the error
	// model corrupted.
	DlTBs, UlTBs             uint64
	DlCorrupted, UlCorrupted uint64
	// DlRetx and UlRetx count HARQ retransmissions.
	DlRetx, UlRetx uint64
	// DlBytes and UlBytes count the bytes of correctly received transport
	// blocks (their TB size).
	DlBytes, UlBytes uint64
	// Slots counts the slots the eNBs ran.
	Slots uint64
	// RlcDrops counts SDUs an RLC transmission buffer had no room for.
	RlcDrops uint64
}

// TBTrace describes one received transport block (ns3-mmwave's
// RxPacketTraceParams).
type TBTrace struct {
	Time      sim.Time
	CellID    uint16
	RNTI      uint16
	Dir       Direction
	Slot      int64
	SymStart  int
	NumSym    int
	TbSize    uint32
	Mcs       int
	Rv        int
	SinrAvgDb float64 // average linear SINR over the RBs, in dB
	Tbler     float64
	Corrupted bool
}

// Helper builds and holds an ns3-mmwave radio access network on an EPC
// core, as MmWaveHelper does: the shared channel (TR 38.901 pathloss,
// fast fading, arrays, ideal beamforming on a sim/spectrum medium), the
// eNBs (InstallEnb), the UEs (InstallUe) and their attachment (Attach).
// One Helper belongs to one simulation. Construct it with NewHelper.
type Helper struct {
	s    *sim.Simulator
	cfg  Config
	core *epc.EPC
	net  *inet.Network
	pool pduPool

	grid     rb.Grid
	pathloss *propagation.ThreeGPP
	ch       *threegpp.Channel
	med      *spectrum.Medium[threegpp.Link]
	bf       *threegpp.Beamformer
	amc      *Amc
	nRB      int
	sym      sim.Time
	slot     sim.Time

	enbs       []*Enb
	ues        []*Ue
	deliveries packet.FreeList[delivery]
	nextImsi   uint64
	nextCell   uint16
	stats      Stats

	// OnTB, when set, is called for every received transport block.
	OnTB func(TBTrace)
}

// NewHelper returns a Helper for cfg on core, whose network and simulator
// it uses. The core should be of epc.VariantMmWave (ns3-mmwave's
// MmWavePointToPointEpcHelper); the RAN works with either variant.
func NewHelper(core *epc.EPC, cfg Config) (*Helper, error) {
	if core == nil {
		return nil, errors.New("mmwave: NewHelper needs an EPC core")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := core.Sim()
	h := &Helper{s: s, cfg: cfg, core: core, net: core.Network(), nextCell: 1}
	pm := cfg.PhyMac
	h.nRB = pm.NumRBs()
	h.sym = pm.SymbolPeriod()
	h.slot = pm.SlotPeriod()
	h.grid = rb.Grid{CenterHz: pm.CenterFrequencyHz, NumRBs: h.nRB, SubcarrierSpacingHz: pm.SubcarrierSpacingHz()}
	if err := h.grid.Validate(); err != nil {
		return nil, fmt.Errorf("mmwave: %w", err)
	}
	pc := propagation.DefaultThreeGPPConfig(cfg.Channel.PathlossScenario)
	pc.FrequencyHz = pm.CenterFrequencyHz
	pc.ShadowingEnabled = cfg.Channel.Shadowing
	pl, err := propagation.NewThreeGPP(pc, s)
	if err != nil {
		return nil, fmt.Errorf("mmwave: pathloss: %w", err)
	}
	h.pathloss = pl
	cc := threegpp.DefaultConfig(cfg.Channel.Scenario, h.grid)
	cc.Condition = pl.ConditionModel()
	cc.FastFading = cfg.Channel.FastFading
	cc.UpdatePeriod = cfg.Channel.UpdatePeriod
	cc.Compat = cfg.Channel.Compat
	ch, err := threegpp.New(cc, s)
	if err != nil {
		return nil, fmt.Errorf("mmwave: channel: %w", err)
	}
	h.ch = ch
	mc := spectrum.DefaultConfig()
	mc.Loss = nil
	mc.LinkLoss = pl
	mc.FrequencyHz = pm.CenterFrequencyHz
	med, err := spectrum.New(s, mc, ch.LinkModel())
	if err != nil {
		return nil, fmt.Errorf("mmwave: medium: %w", err)
	}
	h.med = med
	bc := threegpp.DefaultBeamformingConfig()
	bc.Method = cfg.Channel.Beamforming
	bc.SVDConjugatedCorrelation = cfg.Channel.SvdConjugatedCorrelation
	if cfg.Channel.UpdatePeriod > 0 {
		// MmWaveSvdBeamforming recomputes the vectors whenever the channel
		// matrix changes; running every update period follows it.
		bc.Period = cfg.Channel.UpdatePeriod
	} else {
		bc.Period = sim.MaxTime / 4
	}
	bf, err := threegpp.NewBeamformer(ch, bc)
	if err != nil {
		return nil, fmt.Errorf("mmwave: beamforming: %w", err)
	}
	h.bf = bf
	if cfg.Channel.UpdatePeriod > 0 {
		bf.Start(s)
	}
	amc, err := NewAmc(cfg.ErrorModel, cfg.Amc, cfg.AmcBer, h.nRB)
	if err != nil {
		return nil, err
	}
	h.amc = amc
	return h, nil
}

// Config returns the Helper's configuration.
func (h *Helper) Config() Config { return h.cfg }

// Stats returns the RAN's counters.
func (h *Helper) Stats() Stats { return h.stats }

// Core returns the EPC core.
func (h *Helper) Core() *epc.EPC { return h.core }

// Medium returns the radio medium the PHYs attach to.
func (h *Helper) Medium() *spectrum.Medium[threegpp.Link] { return h.med }

// Channel returns the TR 38.901 fast-fading channel.
func (h *Helper) Channel() *threegpp.Channel { return h.ch }

// Pathloss returns the TR 38.901 pathloss model.
func (h *Helper) Pathloss() *propagation.ThreeGPP { return h.pathloss }

// Amc returns the AMC of the carrier.
func (h *Helper) Amc() *Amc { return h.amc }

// NumRBs returns the carrier's resource blocks.
func (h *Helper) NumRBs() int { return h.nRB }

// Enbs returns the eNBs in installation order.
func (h *Helper) Enbs() []*Enb { return append([]*Enb(nil), h.enbs...) }

// Ues returns the UEs in installation order.
func (h *Helper) Ues() []*Ue { return append([]*Ue(nil), h.ues...) }

// newArray builds a uniform planar array of isotropic elements.
func newArray(rows, cols int) (*antenna.Array, error) {
	ac := antenna.DefaultUPAConfig()
	ac.Rows, ac.Columns = rows, cols
	return antenna.NewUPA(ac)
}

// attach puts a radio on the medium with its array.
func (h *Helper) attach(mob mobility.Model, txDbm float64, rows, cols int) (int, *antenna.Array, error) {
	id, err := h.med.Attach(spectrum.Attachment{Mobility: mob, TxPowerDbm: txDbm})
	if err != nil {
		return 0, nil, fmt.Errorf("mmwave: %w", err)
	}
	arr, err := newArray(rows, cols)
	if err != nil {
		return 0, nil, fmt.Errorf("mmwave: %w", err)
	}
	if err := h.ch.SetArray(id, arr); err != nil {
		return 0, nil, fmt.Errorf("mmwave: %w", err)
	}
	return id, arr, nil
}

// InstallEnb installs an eNB on node at the position mob gives
// (MmWaveHelper::InstallEnbDevice): its PHY on the medium with an
// EnbRows x EnbColumns array, MAC, scheduler and RRC, and its RAN node in
// the core (S1-U, and S1-AP for the mmWave variant). Cell ids are 1, 2, ...
// in installation order. The eNB's slots start at the current time.
func (h *Helper) InstallEnb(node *inet.Node, mob mobility.Model) (*Enb, error) {
	if node == nil || mob == nil {
		return nil, errors.New("mmwave: InstallEnb needs a node and a mobility model")
	}
	id, arr, err := h.attach(mob, h.cfg.EnbTxPowerDbm, h.cfg.Channel.EnbRows, h.cfg.Channel.EnbColumns)
	if err != nil {
		return nil, err
	}
	e := newEnb(h, h.nextCell, node, mob, id, arr)
	r, err := h.core.AddRANNode(node, h.nextCell, e)
	if err != nil {
		_ = h.med.Detach(id)
		return nil, fmt.Errorf("mmwave: %w", err)
	}
	e.ran = r
	h.nextCell++
	h.enbs = append(h.enbs, e)
	e.start()
	return e, nil
}

// InstallUe installs a UE on node at the position mob gives
// (MmWaveHelper::InstallUeDevice): its PHY on the medium with a UeRows x
// UeColumns array, its device (an inet.NetDevice for IPv4) and its
// registration with the core (IMSI 1, 2, ... in installation order, an
// address from the UE pool, the default bearer). Attach it to an eNB
// next.
func (h *Helper) InstallUe(node *inet.Node, mob mobility.Model) (*Ue, error) {
	if node == nil || mob == nil {
		return nil, errors.New("mmwave: InstallUe needs a node and a mobility model")
	}
	id, arr, err := h.attach(mob, h.cfg.UeTxPowerDbm, h.cfg.Channel.UeRows, h.cfg.Channel.UeColumns)
	if err != nil {
		return nil, err
	}
	u := newUe(h, node, mob, id, arr)
	imsi := h.nextImsi + 1
	eu, err := h.core.AddUE(node, u.dev, imsi)
	if err != nil {
		_ = h.med.Detach(id)
		return nil, fmt.Errorf("mmwave: %w", err)
	}
	h.nextImsi = imsi
	u.imsi = imsi
	u.rng = h.s.Stream(fmt.Sprintf("mmwave/ue/%d/phy", imsi))
	u.epcUE = eu
	u.nas = eu.NAS()
	u.nas.SetAccess(u.dev)
	h.ues = append(h.ues, u)
	return u, nil
}

// Attach connects u to e (MmWaveHelper::AttachToEnbWithIndex): the UE
// synchronises with the cell, camps on it after its MIB and SIB1, waits
// for the SIB2, then runs the random access and the RRC connection (ideal
// RRC messages), after which the core sets up its default bearer. The
// beams of the pair are computed now.
func (h *Helper) Attach(u *Ue, e *Enb) error {
	if u == nil || e == nil || u.h != h || e.h != h {
		return errors.New("mmwave: Attach needs a UE and an eNB of this Helper")
	}
	if u.enb != nil {
		return fmt.Errorf("mmwave: UE with IMSI %d is already attached to cell %d", u.imsi, u.enb.cellID)
	}
	now := h.s.Now()
	// ns3-mmwave's UE PHY asks for the channel first (RegisterOtherEnb
	// configures its beamforming at attachment), so ThreeGppChannelModel
	// draws the link's parameters with the UE at the departure end: its
	// angular spreads are TR 38.901's departure ones, the eNB's the
	// arrival ones. Draw the link from the UE's side now, as it does.
	if _, _, err := h.med.Pair(u.medID, e.medID); err != nil {
		return fmt.Errorf("mmwave: %w", err)
	}
	gb, ub, err := h.bf.Add(propagation.Endpoint{ID: e.medID, Mobility: e.mob, Position: e.mob.Position(now)},
		propagation.Endpoint{ID: u.medID, Mobility: u.mob, Position: u.mob.Position(now)}, now)
	if err != nil {
		return fmt.Errorf("mmwave: beamforming: %w", err)
	}
	if err := u.arr.SetBeam(ub); err != nil {
		return fmt.Errorf("mmwave: %w", err)
	}
	u.enbBeam, u.ueBeam = gb, ub
	// In ns3-mmwave every control symbol reaches every UE through the
	// pathloss model from the first slot on, so the link's shadowing is
	// past its first draw (ThreeGppPropagationLossModel::GetShadowing
	// redraws it, correlated, at the second computation) long before data
	// flows. netgym sends no control signal through the medium: compute
	// the link twice now so that data sees the same steady value.
	_, _, _ = h.med.Pair(e.medID, u.medID)
	u.enb = e
	e.attached = append(e.attached, u)
	u.startAttach()
	return nil
}

// AttachToClosestEnb attaches each UE to the eNB nearest to it
// (MmWaveHelper::AttachToClosestEnb; ties go to the first installed).
func (h *Helper) AttachToClosestEnb(ues ...*Ue) error {
	if len(h.enbs) == 0 {
		return errors.New("mmwave: AttachToClosestEnb: no eNB installed")
	}
	now := h.s.Now()
	for _, u := range ues {
		if u == nil {
			return errors.New("mmwave: AttachToClosestEnb: nil UE")
		}
		p := u.mob.Position(now)
		best, bestD := h.enbs[0], math.Inf(1)
		for _, e := range h.enbs {
			if d := p.Distance(e.mob.Position(now)); d < bestD {
				best, bestD = e, d
			}
		}
		if err := h.Attach(u, best); err != nil {
			return err
		}
	}
	return nil
}

// noisePsd returns kT * NF in W/Hz (MmWaveSpectrumValueHelper::
// CreateNoisePowerSpectralDensity).
func noisePsd(nfDb float64) float64 {
	return math.Pow(10, (rb.ThermalNoiseDbmPerHz-30)/10) * math.Pow(10, nfDb/10)
}

// linkSinr stores in dst the SINR per RB of a transmission from radio tx
// to radio rx over the whole band, with the beams currently installed: the
// transmit PSD is the power spread over the configured bandwidth
// (CreateTxPowerSpectralDensity), times the medium's path gain and the
// channel's per-RB gain, over the receiver's noise PSD. Other cells'
// transmissions are not counted (see the package documentation). It
// reports false when the medium delivers nothing (below its floor).
func (h *Helper) linkSinr(dst []float64, tx, rx int, n0 float64) ([]float64, bool) {
	d, ok, err := h.med.Pair(tx, rx)
	if err != nil || !ok {
		return dst, false
	}
	dst = resizeF(dst, h.nRB)
	gains := d.Link.RBGains(h.s.Now())
	k := d.RxW / h.cfg.PhyMac.BandwidthHz / n0
	for r := range dst {
		g := 1.0
		if r < len(gains) {
			g = gains[r]
		}
		dst[r] = k * g
	}
	return dst, true
}

// resizeF returns s with length n, reusing its memory.
func resizeF(s []float64, n int) []float64 {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]float64, n)
}

// newRlc makes the RLC entity of a data radio bearer: RLC AM when
// RlcAmEnabled, else RLC UM: LowLat at the eNB (LteEnbRrc's
// RLC_UM_LOWLAT_ALWAYS, which MmWaveHelper selects with an EPC), LteRlcUm
// at the UE (what LteUeRrc creates for a UM bearer).
func (h *Helper) newRlc(hk rlcHooks, ue bool) rlcEntity {
	hk.s = h.s
	hk.pool = &h.pool
	hk.dropped = &h.stats.RlcDrops
	if h.cfg.RlcAm {
		return newRlcAm(hk, h.cfg.RlcAmConfig)
	}
	if ue {
		return newRlcUm(hk, h.cfg.UeRlcUm, false)
	}
	return newRlcUm(hk, h.cfg.RlcUm, true)
}
