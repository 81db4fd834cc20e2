package nr5g

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/netgym/netgym/apps"
	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/flowmon"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum/threegpp"
)

// CellPort is the UDP port of the UEs' sinks in a Cell.
const CellPort = 1234

// CellConfig is the multi-UE reference cell of issue 15, measured with
// 5G-LENA nr-4.1 on ns-3.45 (bench/ns3/nr-cell.cc): one gNB at
// (0, 0, GnbHeight), UEs on a ring of radius Distance at 1.5 m, downlink
// UDP constant bit rate (ns-3's OnOff) from a remote host through the
// EPC to each UE, from Warmup to Warmup + Duration. Radio is everything
// else; DefaultCellRadio is the reference's.
type CellConfig struct {
	// UEs is the number of UEs (default 10).
	UEs int
	// Numerology, BandwidthHz and FrequencyHz are the band's (2, 50 MHz,
	// 28 GHz): they override Radio.Gnb.Phy's.
	Numerology  Numerology
	BandwidthHz float64
	FrequencyHz float64
	// Distance is the ring's radius in metres (100).
	Distance float64
	// RateBps is each UE's downlink rate in bit/s (10e6).
	RateBps float64
	// PacketSize is the UDP payload in bytes (1200).
	PacketSize int
	// Warmup is when the traffic starts (0.4 s) and Duration how long it
	// lasts (1 s); the run ends at Warmup + Duration.
	Warmup, Duration sim.Time
	// GnbHeight is the gNB's height in metres (25).
	GnbHeight float64
	// Seed and Run select the random streams (1, 1).
	Seed, Run uint64
	// Radio configures the RAN, channel and core (DefaultCellRadio).
	Radio NetworkConfig
	// FlowMonitor installs a flowmon.Monitor on every node, for the
	// end-to-end delay of each flow (CellResult.Flows).
	FlowMonitor bool
}

// DefaultCellRadio returns the reference cell's radio: 5G-LENA's defaults
// (TDMA RR, RLC UM, ideal RRC, gNB 4 dBm and UE 2 dBm) with 4x8 gNB and
// 2x4 UE arrays of isotropic elements, direct-path beams, the TR 38.901 UMa
// channel with its condition model and fast fading, shadowing off.
func DefaultCellRadio() NetworkConfig {
	c := DefaultNetworkConfig()
	c.Gnb.Array = ArrayConfig{Rows: 4, Columns: 8}
	c.Ue.Array = ArrayConfig{Rows: 2, Columns: 4}
	c.Scenario = propagation.UMa
	c.Shadowing = false
	c.Channel = ChannelThreeGPP
	c.FastFading = true
	c.Beamforming.Method = threegpp.DirectPath
	return c
}

// DefaultCellConfig returns the reference cell.
func DefaultCellConfig() CellConfig {
	return CellConfig{UEs: 10, Numerology: 2, BandwidthHz: 50e6, FrequencyHz: 28e9, Distance: 100, RateBps: 10e6,
		PacketSize: 1200, Warmup: 400 * sim.Millisecond, Duration: sim.Second, GnbHeight: 25, Seed: 1, Run: 1,
		Radio: DefaultCellRadio()}
}

// MaxCellPacket is the largest UDP payload of a Cell: the remote host's
// 2500-byte MTU is not the limit, the S1-U and S5 links' 2000 bytes with
// the 40-byte GTP-U tunnel and the 28 bytes of IPv4 and UDP headers are
// (netgym does not fragment).
const MaxCellPacket = 2000 - epc.TunnelOverhead - inet.IPv4HeaderSize - inet.UDPHeaderSize

// Validate reports the first setting out of range, naming it as the
// scenario's flag.
func (c CellConfig) Validate() error {
	switch {
	case c.UEs < 1 || c.UEs > 1000:
		return fmt.Errorf("nr cell: n %d out of range [1, 1000]", c.UEs)
	case !(c.Distance >= 1 && c.Distance <= 100e3):
		return fmt.Errorf("nr cell: distance %v out of range [1, 1e5] m", c.Distance)
	case !(c.RateBps > 0 && c.RateBps <= 1e11):
		return fmt.Errorf("nr cell: rate %v out of range (0, 1e11] b/s", c.RateBps)
	case c.PacketSize < 1 || c.PacketSize > MaxCellPacket:
		return fmt.Errorf("nr cell: packet %d out of range [1, %d] bytes", c.PacketSize, MaxCellPacket)
	case c.Warmup < 0 || c.Warmup > 3600*sim.Second:
		return fmt.Errorf("nr cell: warmup %v out of range [0, 1h]", c.Warmup)
	case c.Duration <= 0 || c.Duration > 3600*sim.Second:
		return fmt.Errorf("nr cell: duration %v out of range (0, 1h]", c.Duration)
	case !(c.GnbHeight >= 1.5 && c.GnbHeight <= 150):
		return fmt.Errorf("nr cell: gnb-height %v out of range [1.5, 150] m", c.GnbHeight)
	case c.Numerology > MaxNumerology:
		return fmt.Errorf("nr cell: mu %d out of range [0, %d]", c.Numerology, MaxNumerology)
	case !(c.FrequencyHz >= 0.5e9 && c.FrequencyHz <= 100e9):
		return fmt.Errorf("nr cell: freq %v out of range [0.5e9, 100e9] Hz", c.FrequencyHz)
	}
	if _, err := RbCount(c.BandwidthHz, c.Numerology, c.Radio.Gnb.Phy.RbOverhead); err != nil {
		return fmt.Errorf("nr cell: bandwidth %v at mu %d: %w", c.BandwidthHz, c.Numerology, err)
	}
	if gap := float64(c.PacketSize*8) / c.RateBps; gap < 1e-9 {
		return fmt.Errorf("nr cell: rate %v b/s sends %d-byte packets less than 1 ns apart", c.RateBps, c.PacketSize)
	}
	return c.radio().Validate()
}

func (c CellConfig) radio() NetworkConfig {
	r := c.Radio
	r.Gnb.Phy.Numerology = c.Numerology
	r.Gnb.Phy.BandwidthHz = c.BandwidthHz
	r.Gnb.Phy.CentralFrequencyHz = c.FrequencyHz
	return r
}

// CellUE is what a Cell measured of one UE.
type CellUE struct {
	// Mbps is the UDP payload received over the traffic window, in Mb/s.
	Mbps float64 `json:"mbps"`
	// Los is the channel condition of the gNB-UE link ("LOS", "NLOS").
	Los string `json:"los"`
	// RNTI is the UE's C-RNTI and AttachedAt the time its RRC connection
	// was set up (0 if it never was).
	RNTI       uint16   `json:"rnti"`
	AttachedAt sim.Time `json:"attached_ns"`
	// DlTbs and DlCorrupted count the DL transport blocks received (first
	// transmissions and retransmissions) and those lost.
	DlTbs       uint64 `json:"dl_tbs"`
	DlCorrupted uint64 `json:"dl_corrupted"`
	// McsMean and SinrDb are the mean MCS and the mean SINR (dB of the
	// linear mean) of the DL blocks.
	McsMean float64 `json:"mcs_mean"`
	SinrDb  float64 `json:"sinr_db"`
	// RlcDrops counts the downlink packets the gNB's RLC dropped (its
	// transmission buffer was full).
	RlcDrops uint64 `json:"rlc_drops"`
	// DelayMs is the mean end-to-end delay of the UE's flow (with
	// FlowMonitor; 0 otherwise).
	DelayMs float64 `json:"delay_ms,omitempty"`
}

// CellResult is what a Cell's run measured.
type CellResult struct {
	// GoodputMbps is the UDP payload the UEs received during the traffic
	// window, in Mb/s over its duration.
	GoodputMbps float64 `json:"goodput_mbps"`
	// Events is the number of simulator events of the run (warm-up and
	// traffic).
	Events uint64 `json:"events"`
	// WallS is the wall time of the run, construction excluded.
	WallS float64 `json:"wall_s"`
	// PerUEMbps is each UE's goodput.
	PerUEMbps []float64 `json:"per_ue_mbps"`
	// UEs details each UE.
	UEs []CellUE `json:"-"`
	// Flows are the flow monitor's flows (with FlowMonitor).
	Flows []flowmon.Flow `json:"-"`
}

// Cell is a built reference cell, ready to Run.
type Cell struct {
	cfg   CellConfig
	s     *sim.Simulator
	nr    *Network
	gnb   *Gnb
	ues   []*UeDevice
	sinks []*apps.PacketSink
	mon   *flowmon.Monitor
	stats map[uint16]*cellTb // by RNTI
	stop  sim.Time
}

type cellTb struct {
	tbs, corrupted uint64
	mcs, sinr      float64
}

// NewCell builds the cell: the core with a remote host (100 Gb/s, MTU
// 2500, 0 s), the gNB, the UEs on the ring attached to it at time 0, a
// sink per UE on CellPort and an OnOff CBR source per UE at the remote
// host (ns-3's exact start, no jitter).
func NewCell(cfg CellConfig) (*Cell, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := sim.New(cfg.Seed, cfg.Run)
	nr, err := NewNetwork(s, cfg.radio())
	if err != nil {
		return nil, err
	}
	rh, err := nr.EPC().SetupRemoteHost(epc.DefaultRemoteHostConfig())
	if err != nil {
		return nil, err
	}
	g, err := nr.AddGnb(mobility.Vector{Z: cfg.GnbHeight})
	if err != nil {
		return nil, err
	}
	c := &Cell{cfg: cfg, s: s, nr: nr, gnb: g, stop: cfg.Warmup + cfg.Duration}
	rate := inet.DataRate(cfg.RateBps)
	if float64(rate) != cfg.RateBps {
		return nil, errors.New("nr cell: rate must be a whole number of bit/s")
	}
	for i, p := range mobility.Ring(mobility.Vector{Z: 1.5}, cfg.Distance, cfg.UEs) {
		ue, err := nr.AddUE(p)
		if err != nil {
			return nil, err
		}
		if err := nr.Attach(ue, g); err != nil {
			return nil, err
		}
		k, err := apps.NewPacketSink(ue.Node(), apps.PacketSinkConfig{Port: CellPort})
		if err != nil {
			return nil, err
		}
		if err := k.Start(0); err != nil {
			return nil, err
		}
		oc := apps.CBRConfig(ue.UE().Address(), CellPort, rate, cfg.PacketSize)
		oc.StartJitter = 0
		oc.Stream = fmt.Sprintf("nr-cell/onoff/%d", i)
		o, err := apps.NewOnOff(rh.Node, oc)
		if err != nil {
			return nil, err
		}
		if err := o.Start(cfg.Warmup); err != nil {
			return nil, err
		}
		if err := o.Stop(c.stop); err != nil {
			return nil, err
		}
		c.ues = append(c.ues, ue)
		c.sinks = append(c.sinks, k)
	}
	c.stats = make(map[uint16]*cellTb, cfg.UEs)
	prev := g.OnTb
	g.OnTb = func(tr TbTrace) {
		if prev != nil {
			prev(tr)
		}
		if tr.Dir != Downlink {
			return
		}
		st := c.stats[tr.RNTI]
		if st == nil {
			st = &cellTb{}
			c.stats[tr.RNTI] = st
		}
		st.tbs++
		if tr.Corrupted {
			st.corrupted++
		}
		st.mcs += float64(tr.MCS)
		st.sinr += math.Pow(10, tr.SinrDb/10)
	}
	if cfg.FlowMonitor {
		m, err := flowmon.New(s, flowmon.DefaultConfig())
		if err != nil {
			return nil, err
		}
		if err := m.InstallAll(nr.Inet()); err != nil {
			return nil, err
		}
		c.mon = m
	}
	return c, nil
}

// Network returns the cell's network.
func (c *Cell) Network() *Network { return c.nr }

// Gnb returns the cell's gNB.
func (c *Cell) Gnb() *Gnb { return c.gnb }

// UEs returns the UEs in ring order.
func (c *Cell) UEs() []*UeDevice { return append([]*UeDevice(nil), c.ues...) }

// Sim returns the cell's simulator.
func (c *Cell) Sim() *sim.Simulator { return c.s }

// FlowMonitor returns the flow monitor (nil without CellConfig.FlowMonitor).
func (c *Cell) FlowMonitor() *flowmon.Monitor { return c.mon }

// Run runs warm-up and traffic (once) and returns the measurements.
func (c *Cell) Run() CellResult {
	t0 := time.Now()
	c.s.RunUntil(c.stop)
	wall := time.Since(t0).Seconds()
	res := CellResult{Events: c.s.EventCount(), WallS: wall}
	dur := c.cfg.Duration.Seconds()
	for i, k := range c.sinks {
		mbps := float64(k.TotalRx()) * 8 / dur / 1e6
		res.PerUEMbps = append(res.PerUEMbps, math.Round(mbps*1000)/1000)
		res.GoodputMbps += mbps
		ue := c.ues[i]
		cu := CellUE{Mbps: mbps, Los: c.nr.LinkCondition(c.gnb, ue), RNTI: ue.RNTI(), AttachedAt: ue.AttachedAt()}
		if st := c.stats[ue.RNTI()]; st != nil && st.tbs > 0 {
			cu.DlTbs, cu.DlCorrupted = st.tbs, st.corrupted
			cu.McsMean = st.mcs / float64(st.tbs)
			cu.SinrDb = 10 * math.Log10(st.sinr/float64(st.tbs))
		}
		if rs, _, ok := c.gnb.BearerStats(ue.RNTI(), 1); ok {
			cu.RlcDrops = rs.TxDrops
		}
		res.UEs = append(res.UEs, cu)
	}
	if c.mon != nil {
		res.Flows = c.mon.Flows()
		for i, ue := range c.ues {
			for _, f := range res.Flows {
				if f.Tuple.Dst == ue.UE().Address() && f.Tuple.DstPort == CellPort && f.Stats.RxPackets > 0 {
					res.UEs[i].DelayMs = f.Stats.DelaySum.Seconds() * 1e3 / float64(f.Stats.RxPackets)
				}
			}
		}
	}
	return res
}

// RunCell builds and runs the cell.
func RunCell(cfg CellConfig) (CellResult, error) {
	c, err := NewCell(cfg)
	if err != nil {
		return CellResult{}, err
	}
	return c.Run(), nil
}

// LinkCondition returns the channel condition ("LOS", "NLOS") of the
// link between gnb and ue as the channel's condition model holds it, or
// "" when the channel has none.
func (n *Network) LinkCondition(gnb *Gnb, ue *UeDevice) string {
	pc, ok := n.ch.(interface{ Pathloss() *propagation.ThreeGPP })
	if !ok || gnb == nil || ue == nil {
		return ""
	}
	now := n.sim.Now()
	l := propagation.Link{
		Tx:          propagation.Endpoint{ID: gnb.radio, Position: gnb.mob.Position(now), Mobility: gnb.mob},
		Rx:          propagation.Endpoint{ID: ue.radio, Position: ue.mob.Position(now), Mobility: ue.mob},
		FrequencyHz: n.phy.CentralFrequencyHz, Now: now,
	}
	return pc.Pathloss().ConditionModel().Condition(&l).Los.String()
}
