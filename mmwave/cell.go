package mmwave

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// CellConfig is the reference mmWave cell of issue 16, measured with
// ns3-mmwave v7.0: one eNB, UEs on a ring, downlink UDP constant bit rate
// from a remote host through the EPC, ns3-mmwave's defaults otherwise
// (ideal RRC, S1-AP delay 0, UpdatePeriod 1e6 ms).
type CellConfig struct {
	// UEs is the number of UEs (-n, default 10), on a ring of radius
	// Distance around the eNB at 1.5 m.
	UEs int
	// BandwidthHz and FrequencyHz are the carrier's (200 MHz, 28 GHz).
	BandwidthHz, FrequencyHz float64
	// Distance is the ring's radius in metres (100).
	Distance float64
	// Distances, when set, puts UE i at Distances[i] metres from the
	// eNB's axis (on the ring's bearing of UE i) instead of Distance: a
	// cell of near and far UEs, as a scheduler comparison wants. It must
	// hold one distance per UE; nil keeps the ring.
	Distances []float64
	// RateBps is each UE's downlink CBR in bit/s (20e6).
	RateBps float64
	// PacketSize is the UDP payload in bytes (1200).
	PacketSize int
	// Warmup is when the traffic starts (0.4 s) and Duration how long it
	// lasts (1 s).
	Warmup, Duration sim.Time
	// EnbHeight is the eNB's height in metres (25).
	EnbHeight float64
	// Seed and Run select the random streams (1, 1).
	Seed, Run uint64
	// Radio is the mmWave configuration (DefaultCellRadio).
	Radio Config
	// Uplink sends the CBR traffic from the UEs to the remote host
	// instead of downlink.
	Uplink bool
}

// DefaultCellRadio is ns3-mmwave's default configuration as the reference
// cell runs it: ideal RRC, channel frozen (UpdatePeriod 1e6 ms).
func DefaultCellRadio() Config {
	c := DefaultConfig()
	c.Channel.UpdatePeriod = 1e6 * sim.Millisecond
	return c
}

// DefaultCellConfig returns the reference cell.
func DefaultCellConfig() CellConfig {
	return CellConfig{UEs: 10, BandwidthHz: 200e6, FrequencyHz: 28e9, Distance: 100, RateBps: 20e6,
		PacketSize: 1200, Warmup: 400 * sim.Millisecond, Duration: sim.Second, EnbHeight: 25,
		Seed: 1, Run: 1, Radio: DefaultCellRadio()}
}

// Validate reports the first setting out of range, naming it.
func (c CellConfig) Validate() error {
	switch {
	case c.UEs < 1 || c.UEs > 1000:
		return fmt.Errorf("mmwave cell: n %d out of range [1, 1000]", c.UEs)
	case !(c.Distance >= 1 && c.Distance <= 100e3):
		return fmt.Errorf("mmwave cell: distance %g out of range [1, 1e5] m", c.Distance)
	case !(c.RateBps > 0 && c.RateBps <= 1e11):
		return fmt.Errorf("mmwave cell: rate %g out of range (0, 1e11] b/s", c.RateBps)
	case c.PacketSize < 1 || c.PacketSize > 1472:
		return fmt.Errorf("mmwave cell: packet %d out of range [1, 1472] bytes (MTU 1500)", c.PacketSize)
	case c.Warmup < 0 || c.Warmup > 3600*sim.Second:
		return fmt.Errorf("mmwave cell: warmup %v out of range [0, 1h]", c.Warmup)
	case c.Duration <= 0 || c.Duration > 3600*sim.Second:
		return fmt.Errorf("mmwave cell: duration %v out of range (0, 1h]", c.Duration)
	case !(c.EnbHeight >= 1.5 && c.EnbHeight <= 150):
		return fmt.Errorf("mmwave cell: enb-height %g out of range [1.5, 150] m", c.EnbHeight)
	case c.Distances != nil && len(c.Distances) != c.UEs:
		return fmt.Errorf("mmwave cell: %d distances for %d UEs", len(c.Distances), c.UEs)
	}
	for i, d := range c.Distances {
		if !(d >= 1 && d <= 100e3) {
			return fmt.Errorf("mmwave cell: distance of UE %d %g out of range [1, 1e5] m", i, d)
		}
	}
	r := c.radio()
	return r.Validate()
}

func (c CellConfig) radio() Config {
	r := c.Radio
	r.PhyMac.BandwidthHz = c.BandwidthHz
	r.PhyMac.CenterFrequencyHz = c.FrequencyHz
	return r
}

// CellResult is what RunCell measured.
type CellResult struct {
	// GoodputMbps is the UDP payload the UEs received during the traffic
	// window, in Mb/s over its duration.
	GoodputMbps float64 `json:"goodput_mbps"`
	// PerUEMbps is each UE's share.
	PerUEMbps []float64 `json:"per_ue_mbps"`
	// Events is the number of simulator events of the run (warm-up and
	// traffic).
	Events uint64 `json:"events"`
	// WallS is the wall time of the run, construction excluded.
	WallS float64 `json:"wall_s"`
	// Stats are the RAN's counters.
	Stats Stats `json:"-"`
}

// Cell is a built reference cell, ready to Run.
type Cell struct {
	cfg   CellConfig
	s     *sim.Simulator
	h     *Helper
	rh    *epc.RemoteHost
	ues   []*Ue
	bytes []uint64
	send  []*inet.UDPSocket
	start sim.Time
	stop  sim.Time
	gap   sim.Time
	sendF func(any)
}

// NewCell builds the cell: EPC (ns3-mmwave's variant, S1-AP delay 0), a
// remote host on its own link (100 Gb/s, MTU 1500, 1 us), the eNB at
// (0, 0, EnbHeight), the UEs on the ring, attached at time 0, and one
// UDP sink per UE with a CBR source at the remote host from Warmup to
// Warmup + Duration.
func NewCell(cfg CellConfig) (*Cell, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := sim.New(cfg.Seed, cfg.Run)
	net := inet.NewNetwork(s)
	ec := epc.DefaultConfig(epc.VariantMmWave)
	ec.S1AP.Delay = 0
	core, err := epc.New(net, ec)
	if err != nil {
		return nil, err
	}
	rc := epc.DefaultRemoteHostConfig()
	rc.Link.MTU = 1500
	rc.Link.Delay = sim.Microsecond
	rh, err := core.SetupRemoteHost(rc)
	if err != nil {
		return nil, err
	}
	h, err := NewHelper(core, cfg.radio())
	if err != nil {
		return nil, err
	}
	en, err := net.NewNode()
	if err != nil {
		return nil, err
	}
	enb, err := h.InstallEnb(en, mobility.NewConstantPosition(mobility.Vector{Z: cfg.EnbHeight}))
	if err != nil {
		return nil, err
	}
	c := &Cell{cfg: cfg, s: s, h: h, rh: rh, bytes: make([]uint64, cfg.UEs)}
	c.start = cfg.Warmup
	c.stop = cfg.Warmup + cfg.Duration
	// ns-3's OnOffApplication sends a packet every PacketSize*8/rate.
	c.gap = sim.Seconds(float64(cfg.PacketSize*8) / cfg.RateBps)
	if c.gap <= 0 {
		return nil, errors.New("mmwave cell: rate too high for one packet per nanosecond")
	}
	for i, p := range mobility.Ring(mobility.Vector{Z: 1.5}, cfg.Distance, cfg.UEs) {
		if cfg.Distances != nil {
			f := cfg.Distances[i] / cfg.Distance
			p.X, p.Y = p.X*f, p.Y*f
		}
		un, err := net.NewNode()
		if err != nil {
			return nil, err
		}
		u, err := h.InstallUe(un, mobility.NewConstantPosition(p))
		if err != nil {
			return nil, err
		}
		if err := h.Attach(u, enb); err != nil {
			return nil, err
		}
		sinkNode, srcNode, dst := un, rh.Node, u.EPC().Address()
		port := uint16(1234)
		if cfg.Uplink {
			sinkNode, srcNode, dst = rh.Node, un, rh.Address
			port = uint16(2000 + i)
		}
		sink := sinkNode.NewUDPSocket()
		if err := sink.Bind(port); err != nil {
			return nil, err
		}
		idx := i
		sink.SetRecvCallback(func(_ *inet.UDPSocket, pk *packet.Packet, _ inet.RecvInfo) {
			if now := s.Now(); now >= c.start {
				c.bytes[idx] += uint64(pk.PayloadSize())
			}
		})
		src := srcNode.NewUDPSocket()
		if err := src.Connect(dst, port); err != nil {
			return nil, err
		}
		c.ues = append(c.ues, u)
		c.send = append(c.send, src)
	}
	c.sendF = c.sendNext
	for i := range c.send {
		s.ScheduleWith(c.start+c.gap, c.sendF, i)
	}
	return c, nil
}

// sendNext sends UE i's next packet and schedules the one after.
func (c *Cell) sendNext(arg any) {
	i := arg.(int)
	_ = c.send[i].Send(c.cfg.PacketSize)
	if c.s.Now()+c.gap < c.stop {
		c.s.ScheduleWith(c.gap, c.sendF, i)
	}
}

// Helper returns the cell's mmWave helper.
func (c *Cell) Helper() *Helper { return c.h }

// Sim returns the cell's simulator.
func (c *Cell) Sim() *sim.Simulator { return c.s }

// Run runs warm-up and traffic and returns the measurements.
func (c *Cell) Run() CellResult {
	t0 := time.Now()
	c.s.RunUntil(c.stop)
	wall := time.Since(t0).Seconds()
	res := CellResult{Events: c.s.EventCount(), WallS: wall, Stats: c.h.Stats()}
	dur := c.cfg.Duration.Seconds()
	for _, b := range c.bytes {
		mbps := float64(b) * 8 / dur / 1e6
		res.PerUEMbps = append(res.PerUEMbps, math.Round(mbps*1000)/1000)
		res.GoodputMbps += mbps
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
