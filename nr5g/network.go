package nr5g

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum/rb"
	"github.com/netgym/netgym/sim/spectrum/threegpp"
)

// ChannelModel selects the channel a Network builds.
type ChannelModel uint8

// The channel models.
const (
	// ChannelThreeGPP is ThreeGPPChannel: TR 38.901 pathloss, LOS
	// condition, shadowing and (with FastFading) the 7.5 fast-fading
	// channel through the arrays' ideal beams; 5G-LENA's channel.
	ChannelThreeGPP ChannelModel = iota
	// ChannelPathloss is PathlossChannel: TR 38.901 pathloss, LOS
	// condition and shadowing with the full gain of matched beams, no fast
	// fading, no medium: the cheapest.
	ChannelPathloss
)

// String names the model.
func (m ChannelModel) String() string {
	switch m {
	case ChannelThreeGPP:
		return "ThreeGPP"
	case ChannelPathloss:
		return "Pathloss"
	}
	return fmt.Sprintf("ChannelModel(%d)", uint8(m))
}

// NetworkConfig configures a Network: the band and the defaults of its
// gNBs and UEs, the channel and the core. The defaults (DefaultNetworkConfig)
// are 5G-LENA nr-4.1's with its NrPointToPointEpcHelper.
type NetworkConfig struct {
	// Gnb is the configuration of every gNB (Phy holds the band: centre
	// frequency, bandwidth, numerology; one bandwidth part).
	Gnb GnbConfig
	// Ue is the configuration of every UE.
	Ue UeConfig
	// Scenario is the TR 38.901 scenario of the channel (default UMa).
	Scenario propagation.Scenario
	// Shadowing enables TR 38.901 shadowing (ns-3's ShadowingEnabled,
	// default true; NetRL's --shadowing 0 turns it off).
	Shadowing bool
	// Channel selects the channel model (default ChannelThreeGPP).
	Channel ChannelModel
	// FastFading turns ChannelThreeGPP's TR 38.901 7.5 fast fading on
	// (default true; false: threegpp's cheap model, the direct path's
	// beamforming gain).
	FastFading bool
	// UpdatePeriod is the fast-fading channel's UpdatePeriod (default 0:
	// drawn once per link).
	UpdatePeriod sim.Time
	// Beamforming configures ChannelThreeGPP's ideal beamforming (default
	// 5G-LENA's: cell scan every 100 ms).
	Beamforming threegpp.BeamformingConfig
	// EPC configures the core (default 5G-LENA's VariantNR).
	EPC epc.Config
}

// DefaultNetworkConfig returns 5G-LENA's defaults: one 400 MHz bandwidth
// part at 28 GHz, numerology 0, UMa with shadowing, fast fading drawn once
// per link, cell-scan beamforming, the default gNB and UE.
func DefaultNetworkConfig() NetworkConfig {
	return NetworkConfig{Gnb: DefaultGnbConfig(), Ue: DefaultUeConfig(), Scenario: propagation.UMa,
		Shadowing: true, Channel: ChannelThreeGPP, FastFading: true, Beamforming: threegpp.DefaultBeamformingConfig(),
		EPC: epc.DefaultConfig(epc.VariantNR)}
}

// Validate reports the first field out of range.
func (c NetworkConfig) Validate() error {
	if err := c.Gnb.Validate(); err != nil {
		return err
	}
	if err := c.Ue.Validate(); err != nil {
		return err
	}
	if c.Channel != ChannelPathloss && c.Channel != ChannelThreeGPP {
		return fmt.Errorf("nr5g: NetworkConfig.Channel %v unknown", c.Channel)
	}
	if c.Channel == ChannelThreeGPP {
		if err := c.Beamforming.Validate(); err != nil {
			return fmt.Errorf("nr5g: NetworkConfig.Beamforming: %w", err)
		}
		if c.UpdatePeriod < 0 {
			return fmt.Errorf("nr5g: NetworkConfig.UpdatePeriod %v must be >= 0", c.UpdatePeriod)
		}
	}
	if c.Gnb.Phy.N0Delay != 0 {
		return fmt.Errorf("nr5g: NetworkConfig.Gnb.Phy.N0Delay %d: 5G-LENA's timing uses K0 = 0", c.Gnb.Phy.N0Delay)
	}
	return c.EPC.Validate()
}

// ranPools are the free lists every gNB and UE of a Network shares.
type ranPools struct {
	pdus rlcPdus
	tbs  macTbs
	jobs packet.FreeList[rxJob]
}

// Network is an NR radio access network on an EPC: the helper that builds
// gNBs, UEs, the channel and the core in a few calls, Go-style (5G-LENA's
// NrHelper, NrPointToPointEpcHelper, NrChannelHelper and
// IdealBeamformingHelper in one):
//
//	s := sim.New(1, 1)
//	nr, _ := nr5g.NewNetwork(s, cfg)
//	gnb, _ := nr.AddGnb(mobility.Vector{Z: 3})
//	ue, _ := nr.AddUE(mobility.Vector{X: 50, Z: 1.5})
//	_ = nr.Attach(ue, gnb)
//
// Every UE gets the default bearer; EPC().ActivateDedicatedBearer adds
// others. A Network belongs to one simulation and one goroutine.
type Network struct {
	sim   *sim.Simulator
	inet  *inet.Network
	epc   *epc.EPC
	cfg   NetworkConfig
	ch    Channel
	pools ranPools
	gnbs  []*Gnb
	ues   []*UeDevice
	phy   PhyConfig
	grid  Grid
	// For receptions that need beams or interference (phy_rx.go).
	beams   BeamChannel
	sigs    []rb.Signal
	sigBufs [][]float64
	calcs   []noiseCalc
	traces  Traces
	// preambleCtr is 5G-LENA's g_raPreambleId.
	preambleCtr uint8
}

// NewNetwork builds the core (with its own inet.Network) and the channel of
// cfg on s.
func NewNetwork(s *sim.Simulator, cfg NetworkConfig) (*Network, error) {
	if s == nil {
		return nil, errors.New("nr5g: NewNetwork needs a simulator")
	}
	return NewNetworkOn(inet.NewNetwork(s), cfg)
}

// NewNetworkOn is NewNetwork on an existing inet.Network (to share nodes
// and addresses with other technologies).
func NewNetworkOn(in *inet.Network, cfg NetworkConfig) (*Network, error) {
	return NewNetworkWith(in, cfg, nil)
}

// NewNetworkWith is NewNetworkOn with a channel of the caller's (nil: the
// one cfg selects). The channel's grid must be the band's.
func NewNetworkWith(in *inet.Network, cfg NetworkConfig, ch Channel) (*Network, error) {
	if in == nil {
		return nil, errors.New("nr5g: NewNetworkWith needs an inet.Network")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := in.Sim()
	grid, err := GridOf(cfg.Gnb.Phy)
	if err != nil {
		return nil, err
	}
	if ch == nil && cfg.Channel == ChannelPathloss {
		pc := DefaultPathlossChannelConfig(cfg.Scenario, grid)
		pc.Pathloss.ShadowingEnabled = cfg.Shadowing
		if ch, err = NewPathlossChannel(s, pc); err != nil {
			return nil, err
		}
	} else if ch == nil {
		tc := DefaultThreeGPPChannelConfig(cfg.Scenario, grid)
		tc.Pathloss.ShadowingEnabled = cfg.Shadowing
		tc.FastFading = cfg.FastFading
		tc.UpdatePeriod = cfg.UpdatePeriod
		tc.Beamforming = cfg.Beamforming
		if ch, err = NewThreeGPPChannel(s, tc); err != nil {
			return nil, err
		}
	} else if ch.NumRBs() != grid.NumRBs {
		return nil, fmt.Errorf("nr5g: NewNetworkWith: the channel has %d RBs, the band %d", ch.NumRBs(), grid.NumRBs)
	}
	core, err := epc.New(in, cfg.EPC)
	if err != nil {
		return nil, err
	}
	n := &Network{sim: s, inet: in, epc: core, cfg: cfg, ch: ch, phy: cfg.Gnb.Phy, grid: grid}
	if bc, ok := ch.(BeamChannel); ok {
		n.beams = bc
	}
	n.pools.tbs.pdus = &n.pools.pdus
	return n, nil
}

// Sim returns the simulator.
func (n *Network) Sim() *sim.Simulator { return n.sim }

// Inet returns the IP network the RAN and the core live on.
func (n *Network) Inet() *inet.Network { return n.inet }

// EPC returns the core.
func (n *Network) EPC() *epc.EPC { return n.epc }

// Channel returns the channel.
func (n *Network) Channel() Channel { return n.ch }

// Config returns the network's configuration.
func (n *Network) Config() NetworkConfig { return n.cfg }

// Gnbs returns the gNBs in creation order.
func (n *Network) Gnbs() []*Gnb { return append([]*Gnb(nil), n.gnbs...) }

// UEs returns the UEs in creation order.
func (n *Network) UEs() []*UeDevice { return append([]*UeDevice(nil), n.ues...) }

// AddGnb adds a gNB at pos with the network's gNB configuration, cell ids
// 1, 2, ... in creation order. Its slot loop starts at once.
func (n *Network) AddGnb(pos mobility.Vector) (*Gnb, error) {
	return n.AddGnbWith(mobility.NewConstantPosition(pos), n.cfg.Gnb)
}

// AddGnbWith adds a gNB with its own mobility model and configuration (its
// band must be the network's).
func (n *Network) AddGnbWith(mob mobility.Model, cfg GnbConfig) (*Gnb, error) {
	if mob == nil {
		return nil, errors.New("nr5g: AddGnbWith needs a mobility model")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Phy.Numerology != n.phy.Numerology || cfg.Phy.BandwidthHz != n.phy.BandwidthHz ||
		cfg.Phy.CentralFrequencyHz != n.phy.CentralFrequencyHz || cfg.Phy.RbOverhead != n.phy.RbOverhead {
		return nil, errors.New("nr5g: AddGnbWith: the gNB's band differs from the network's channel")
	}
	if len(n.gnbs) >= math.MaxUint16-1 {
		return nil, errors.New("nr5g: too many gNBs")
	}
	cellID := uint16(len(n.gnbs) + 1)
	timings, err := cfg.Phy.Timings()
	if err != nil {
		return nil, err
	}
	numRbs, _ := cfg.Phy.RbCount()
	numRbg, _ := cfg.Phy.RbgCount()
	node, err := n.inet.NewNode()
	if err != nil {
		return nil, err
	}
	radio, err := n.ch.AddRadio(Radio{Mobility: mob, Array: cfg.Array, NoiseFigureDb: cfg.NoiseFigureDb})
	if err != nil {
		return nil, err
	}
	stream := fmt.Sprintf("nr5g/gnb/%d", cellID)
	sched, err := NewScheduler(n.sim, cfg.Phy, cfg.Scheduler, stream+"/srs")
	if err != nil {
		return nil, err
	}
	em, err := NewErrorModel(cfg.Phy.ErrorModel)
	if err != nil {
		return nil, err
	}
	amc, err := NewAmc(cfg.Phy.Amc)
	if err != nil {
		return nil, err
	}
	g := &Gnb{net: n, sim: n.sim, cfg: cfg, cellID: cellID, node: node, mob: mob, radio: radio, sched: sched,
		em: em, amc: amc, timings: timings, slotDur: cfg.Phy.SlotDuration(), symDur: cfg.Phy.SymbolDuration(),
		numRbs: numRbs, numRbg: numRbg, rng: n.sim.Stream(stream + "/phy-rx")}
	g.allRbg = g.allRbg.resize(numRbg)
	g.allRbg.setAll(numRbg)
	g.allRbs = g.allRbs.resize(numRbs)
	g.allRbs.setAll(numRbs)
	g.tickFn, g.dciFn, g.sibFn, g.jobFn, g.rrcTimeoutFn = g.tick, g.dci, g.sib, g.job, g.rrcTimeout
	ran, err := n.epc.AddRANNode(node, cellID, g)
	if err != nil {
		return nil, err
	}
	g.ran = ran
	n.gnbs = append(n.gnbs, g)
	g.start()
	return g, nil
}

// AddUE adds a UE at pos with the network's UE configuration, IMSIs 1, 2,
// ... in creation order, registered with the core (address from the UE
// pool, default route, default bearer).
func (n *Network) AddUE(pos mobility.Vector) (*UeDevice, error) {
	return n.AddUEWith(mobility.NewConstantPosition(pos), n.cfg.Ue)
}

// AddUEWith adds a UE with its own mobility model and configuration.
func (n *Network) AddUEWith(mob mobility.Model, cfg UeConfig) (*UeDevice, error) {
	if mob == nil {
		return nil, errors.New("nr5g: AddUEWith needs a mobility model")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	imsi := uint64(len(n.ues) + 1)
	node, err := n.inet.NewNode()
	if err != nil {
		return nil, err
	}
	radio, err := n.ch.AddRadio(Radio{Mobility: mob, Array: cfg.Array, NoiseFigureDb: cfg.NoiseFigureDb})
	if err != nil {
		return nil, err
	}
	d := &UeDevice{net: n, sim: n.sim, cfg: cfg, node: node, mob: mob, radio: radio, addr: n.inet.MACs().Allocate(),
		imsi: imsi, rng: n.sim.Stream(fmt.Sprintf("nr5g/ue/%d/phy-rx", imsi))}
	d.raWaitFn, d.raTimerFn, d.t300Fn = d.raWaitStart, d.raTimeout, d.t300Expired
	d.sib2Fn = func(any) { d.recvSib2() }
	ue, err := n.epc.AddUE(node, d, imsi)
	if err != nil {
		return nil, err
	}
	d.ue, d.nas = ue, ue.NAS()
	n.ues = append(n.ues, d)
	return d, nil
}

// Attach connects ue to gnb's cell (NrHelper::AttachToGnb): the UE camps
// on the cell, reads the MIB and SIB2, performs random access and the ideal
// RRC connection, and the core attaches it with its bearers.
func (n *Network) Attach(ue *UeDevice, gnb *Gnb) error {
	if ue == nil || gnb == nil || ue.net != n || gnb.net != n {
		return errors.New("nr5g: Attach needs a UE and a gNB of this network")
	}
	return ue.attach(gnb)
}

// AttachToClosest attaches each UE to the closest gNB
// (NrHelper::AttachToClosestGnb).
func (n *Network) AttachToClosest(ues ...*UeDevice) error {
	if len(n.gnbs) == 0 {
		return errors.New("nr5g: AttachToClosest: no gNB")
	}
	now := n.sim.Now()
	for _, u := range ues {
		if u == nil {
			return errors.New("nr5g: AttachToClosest: nil UE")
		}
		best, bestD := n.gnbs[0], math.Inf(1)
		p := u.mob.Position(now)
		for _, g := range n.gnbs {
			if d := g.mob.Position(now).Distance(p); d < bestD {
				best, bestD = g, d
			}
		}
		if err := n.Attach(u, best); err != nil {
			return err
		}
	}
	return nil
}

func log10(x float64) float64 { return math.Log10(x) }

// rlcTrace reports an RLC event to the Rlc hook.
func (n *Network) rlcTrace(atGnb bool, cell, rnti uint16, lcid uint8, mode RlcMode, ev RlcEvent, pdu *rlcPdu, bytes int) {
	if n.traces.Rlc == nil {
		return
	}
	tr := RlcTrace{Time: n.sim.Now(), Event: ev, AtGnb: atGnb, CellID: cell, RNTI: rnti, LCID: lcid, Mode: mode, Bytes: bytes}
	if pdu != nil {
		tr.SN, tr.Status, tr.Retx = pdu.sn, pdu.ctrl, pdu.retx
		if ev == RlcRx {
			tr.Delay = tr.Time - pdu.txTime
		}
	}
	n.traces.Rlc(tr)
}

// pdcpTrace reports a PDCP PDU to the Pdcp hook.
func (n *Network) pdcpTrace(rx, atGnb bool, cell, rnti uint16, lcid uint8, sn uint16, bytes int) {
	if n.traces.Pdcp != nil {
		n.traces.Pdcp(PdcpTrace{Time: n.sim.Now(), Rx: rx, AtGnb: atGnb, CellID: cell, RNTI: rnti, LCID: lcid, SN: sn, Bytes: bytes})
	}
}
