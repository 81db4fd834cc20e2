// Package mmwave is NetRL's ns3-mmwave program (ns3_mmwave_sim) as a
// builder on channelif's generic backend: one UE sends its observations
// uplink through an ns3-mmwave eNB and the EPC to a remote host, with
// NetRL's settings on ns3-mmwave v7.0's defaults. NewChannel returns the
// single-UE CommChannel; its Backend serves NetRL's line protocol
// (scenarios/mmwave-sim).
//
// The episode it builds (Build) is NetRL's BuildTopology: an SGW/PGW with
// a remote host behind a 100 Gb/s, 1 us, MTU 1500 link (1.0.0.0/8), the
// eNB at (0, 0, 3 m) and the UE at (distance, 0, 1.5 m), the default
// bearer only, and ns3-mmwave configured as NetRL's Config::SetDefault
// calls do: HARQ on or off in the helper and the scheduler alike (--harq),
// RLC UM or AM (--rlc-am) with a 100 us ReportBufferStatusTimer for the
// eNB's UM LowLat and AM (the UE's LteRlcUm keeps its 10 ms), a
// 200 us TB decode latency, the ideal RRC, S1-AP delay 0, the TR 38.901
// channel frozen (UpdatePeriod 1e6 ms, blockage off) with the --scenario's
// fast-fading parameters and UMa pathloss. The warm-up is max(500 ms,
// 2*step), extended step by step until the UE is attached and its NAS
// active (never needed with these settings: the attach takes about 20 ms).
package mmwave

import (
	"fmt"
	"strings"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/epc"
	mmw "github.com/netgym/netgym/mmwave"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/propagation"
)

// Facts of NetRL's ns3_mmwave_sim.
const (
	// Port is the UDP port the remote host listens on.
	Port = 9
	// MinWarmup is the program's shortest warm-up.
	MinWarmup = 500 * sim.Millisecond
	// MaxWarmup bounds the warm-up's extension while the UE attaches.
	MaxWarmup = 10 * sim.Second
	// MaxPacketSize is the largest payload: the remote host's link has an
	// MTU of 1500 bytes, less IPv4 and UDP headers (netgym does not
	// fragment).
	MaxPacketSize = 1500 - inet.IPv4HeaderSize - inet.UDPHeaderSize
	// MinStepMs is the shortest step, one nanosecond.
	MinStepMs = 1e-6
	// DefaultMaxAdvanceS is the default MaxAdvanceS (channelif's 600 s).
	DefaultMaxAdvanceS = float64(channelif.DefaultMaxAdvance / sim.Second)
	// MaxDistance is the largest UE-eNB distance in metres.
	MaxDistance = mobility.MaxCoordinate
)

// Config configures NetRL's mmWave program, with the defaults of its
// flags (DefaultConfig).
type Config struct {
	StepMs        float64 // --step-ms: simulated milliseconds per step (1.0)
	Distance      float64 // --distance: UE-eNB distance on the ground in metres (50)
	FreqHz        float64 // --freq: carrier frequency in Hz (28e9)
	BandwidthHz   float64 // --bandwidth: carrier bandwidth in Hz (200e6)
	TxPowerDbm    float64 // --tx-power: UE transmit power (23)
	EnbTxPowerDbm float64 // --enb-tx-power: eNB transmit power (30)
	NoiseFigDb    float64 // --noise-fig: UE noise figure (9)
	EnbNoiseFigDb float64 // --enb-noise-fig: eNB noise figure (5)
	// Scenario (--scenario) is the TR 38.901 fast-fading scenario: "RMa",
	// "UMa" (default), "UMi-StreetCanyon", "InH-OfficeMixed" or
	// "InH-OfficeOpen". The pathloss stays UMa's (MmWaveHelper's default,
	// which NetRL does not change).
	Scenario   string
	Harq       bool   // --harq: HARQ on (1, default) or off (0)
	RlcAm      bool   // --rlc-am: RLC AM (1) instead of UM LowLat (0, default)
	PacketSize int    // --pkt-size: default payload bytes (64)
	Seed, Run  uint64 // --seed, --run (1, 1)
	// Scheduler (--scheduler, netgym's, not NetRL's) is the MAC
	// scheduler: "rr" (MmWaveFlexTtiMacScheduler, ns3-mmwave's default
	// and NetRL's; "" means it too), "pf" or "maxrate"
	// (mmwave.ParseSchedulerKind). --harq
	// switches HARQ in whichever it is (NetRL's program sets the
	// round-robin class's HarqEnabled only; ns3-mmwave's PF and MaxRate
	// classes default it to false).
	Scheduler string
	// MaxAdvanceS (--max-advance-s) is the most simulated seconds one
	// FLUSH or STEP may advance (default DefaultMaxAdvanceS, 600).
	MaxAdvanceS float64
}

// DefaultConfig returns NetRL's defaults.
func DefaultConfig() Config {
	return Config{StepMs: 1, Distance: 50, FreqHz: 28e9, BandwidthHz: 200e6, TxPowerDbm: 23, EnbTxPowerDbm: 30,
		NoiseFigDb: 9, EnbNoiseFigDb: 5, Scenario: "UMa", Harq: true, PacketSize: channelif.DefaultPacketSize,
		Seed: 1, Run: 1, MaxAdvanceS: DefaultMaxAdvanceS, Scheduler: "rr"}
}

// scenarios are NetRL's scenario names (ThreeGppChannelModel::Scenario).
var scenarios = map[string]propagation.Scenario{
	"RMa": propagation.RMa, "UMa": propagation.UMa, "UMi-StreetCanyon": propagation.UMiStreetCanyon,
	"InH-OfficeMixed": propagation.InHOfficeMixed, "InH-OfficeOpen": propagation.InHOfficeOpen,
}

// ParseScenario returns the TR 38.901 scenario of one of NetRL's names.
func ParseScenario(s string) (propagation.Scenario, error) {
	if sc, ok := scenarios[s]; ok {
		return sc, nil
	}
	return 0, fmt.Errorf("mmwave channel: scenario %q not one of RMa, UMa, UMi-StreetCanyon, InH-OfficeMixed, InH-OfficeOpen", s)
}

// Validate reports the first setting out of range, naming its flag.
func (c Config) Validate() error {
	const name = "mmwave channel"
	if !(c.MaxAdvanceS >= MinStepMs/1e3 && c.MaxAdvanceS <= channelif.MaxSimTime.Seconds()) {
		return fmt.Errorf("%s: max-advance-s %v out of range [%g, %.4g]", name, c.MaxAdvanceS, MinStepMs/1e3, channelif.MaxSimTime.Seconds())
	}
	maxStepMs := c.MaxAdvanceS * 1e3
	if !(c.StepMs >= MinStepMs && c.StepMs <= maxStepMs) {
		return fmt.Errorf("%s: step-ms %v out of range [%g, %g] (at most max-advance-s)", name, c.StepMs, MinStepMs, maxStepMs)
	}
	if _, err := sim.FromFloat(c.StepMs, sim.Millisecond); err != nil {
		return fmt.Errorf("%s: step-ms: %w", name, err)
	}
	switch {
	case !(c.Distance > 0 && c.Distance <= MaxDistance):
		return fmt.Errorf("%s: distance %v out of range (0, %g] m", name, c.Distance, float64(MaxDistance))
	case !(c.FreqHz >= 0.5e9 && c.FreqHz <= 100e9):
		return fmt.Errorf("%s: freq %v out of range [5e8, 1e11] Hz", name, c.FreqHz)
	case !(c.TxPowerDbm >= -100 && c.TxPowerDbm <= 100):
		return fmt.Errorf("%s: tx-power %v out of range [-100, 100] dBm", name, c.TxPowerDbm)
	case !(c.EnbTxPowerDbm >= -100 && c.EnbTxPowerDbm <= 100):
		return fmt.Errorf("%s: enb-tx-power %v out of range [-100, 100] dBm", name, c.EnbTxPowerDbm)
	case !(c.NoiseFigDb >= 0 && c.NoiseFigDb <= 100):
		return fmt.Errorf("%s: noise-fig %v out of range [0, 100] dB", name, c.NoiseFigDb)
	case !(c.EnbNoiseFigDb >= 0 && c.EnbNoiseFigDb <= 100):
		return fmt.Errorf("%s: enb-noise-fig %v out of range [0, 100] dB", name, c.EnbNoiseFigDb)
	case c.PacketSize < 0 || c.PacketSize > MaxPacketSize:
		return fmt.Errorf("%s: pkt-size %d out of range [0,%d]", name, c.PacketSize, MaxPacketSize)
	}
	if _, err := ParseScenario(c.Scenario); err != nil {
		return err
	}
	if _, err := c.schedulerKind(); err != nil {
		return fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "mmwave: "))
	}
	rc, _ := c.Radio()
	if err := rc.Validate(); err != nil {
		return fmt.Errorf("%s: bandwidth %v: %s", name, c.BandwidthHz, strings.TrimPrefix(err.Error(), "mmwave: "))
	}
	return nil
}

// Radio returns the ns3-mmwave configuration NetRL's program sets up.
func (c Config) Radio() (mmw.Config, error) {
	r := mmw.DefaultConfig()
	r.PhyMac.CenterFrequencyHz = c.FreqHz
	r.PhyMac.BandwidthHz = c.BandwidthHz
	r.PhyMac.TbDecodeLatency = 200 * sim.Microsecond
	r.EnbTxPowerDbm, r.UeTxPowerDbm = c.EnbTxPowerDbm, c.TxPowerDbm
	r.EnbNoiseFigureDb, r.UeNoiseFigureDb = c.EnbNoiseFigDb, c.NoiseFigDb
	r.HarqEnabled = c.Harq
	r.Scheduler.HarqEnabled = c.Harq
	r.RlcAm = c.RlcAm
	r.RlcUm.ReportBufferStatusTimer = 100 * sim.Microsecond
	r.RlcAmConfig.ReportBufferStatusTimer = 100 * sim.Microsecond
	r.Channel.UpdatePeriod = 1e6 * sim.Millisecond
	sc, err := ParseScenario(c.Scenario)
	if err != nil {
		return r, err
	}
	r.Channel.Scenario = sc
	k, err := c.schedulerKind()
	if err != nil {
		return r, err
	}
	r.Scheduler.Kind = k
	return r, nil
}

// schedulerKind parses Scheduler, "" being "rr".
func (c Config) schedulerKind() (mmw.SchedulerKind, error) {
	if c.Scheduler == "" {
		return mmw.FlexTtiRR, nil
	}
	return mmw.ParseSchedulerKind(c.Scheduler)
}

// Warmup returns the program's warm-up, max(500 ms, 2*step).
func Warmup(step sim.Time) sim.Time { return channelif.WarmupCellular(step) }

// NewChannel returns NetRL's mmWave channel simulated by netgym, after its
// warm-up: step t occupies [start + t*step, start + (t+1)*step), its
// packet is sent 1% into the step. Serve it with its Backend.
func NewChannel(cfg Config) (*channelif.SimChannel, error) {
	b, err := NewBuilder(cfg)
	if err != nil {
		return nil, err
	}
	return channelif.NewSimChannel(b, cfg.Seed, cfg.Run)
}

// Builder builds the episodes of NetRL's mmWave program.
type Builder struct{ cfg Config }

// NewBuilder returns the builder of cfg's program.
func NewBuilder(cfg Config) (*Builder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Builder{cfg: cfg}, nil
}

// Spec returns the single-UE timing: 1% send offset, the warm-up.
func (b *Builder) Spec() channelif.Spec {
	step, _ := sim.FromFloat(b.cfg.StepMs, sim.Millisecond)
	step = max(step, 1)
	adv, _ := sim.FromFloat(b.cfg.MaxAdvanceS, sim.Second)
	warm := Warmup(step)
	return channelif.Spec{
		Name:              "mmwave channel",
		StepDuration:      step,
		SendOffset:        channelif.SingleUESendOffset,
		Warmup:            warm,
		MaxWarmup:         max(warm, MaxWarmup),
		MaxPacketSize:     MaxPacketSize,
		DefaultPacketSize: b.cfg.PacketSize,
		MaxAdvance:        max(adv, 1),
	}
}

// Scenario is one episode of NetRL's mmWave program.
type Scenario struct {
	helper *mmw.Helper
	ue     *mmw.Ue
	pool   *packet.Pool
	tx     *inet.UDPSocket
	rx     *inet.UDPSocket
}

// Build makes the episode: core, remote host, eNB, UE, sockets; the UE
// attaches from time 0.
func (b *Builder) Build(ep channelif.Episode) (channelif.Scenario, error) {
	net := inet.NewNetwork(ep.Sim)
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
	radio, err := b.cfg.Radio()
	if err != nil {
		return nil, err
	}
	h, err := mmw.NewHelper(core, radio)
	if err != nil {
		return nil, err
	}
	en, err := net.NewNode()
	if err != nil {
		return nil, err
	}
	enb, err := h.InstallEnb(en, mobility.NewConstantPosition(mobility.Vector{Z: 3}))
	if err != nil {
		return nil, err
	}
	un, err := net.NewNode()
	if err != nil {
		return nil, err
	}
	ue, err := h.InstallUe(un, mobility.NewConstantPosition(mobility.Vector{X: b.cfg.Distance, Z: 1.5}))
	if err != nil {
		return nil, err
	}
	if err := h.Attach(ue, enb); err != nil {
		return nil, err
	}
	rx := rh.Node.NewUDPSocket()
	if err := rx.Bind(Port); err != nil {
		return nil, err
	}
	received := ep.Received
	rx.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) { received(p.UID()) })
	tx := un.NewUDPSocket()
	if err := tx.Connect(rh.Address, Port); err != nil {
		return nil, err
	}
	return &Scenario{helper: h, ue: ue, pool: net.Pool(), tx: tx, rx: rx}, nil
}

// Send sends size payload bytes from the UE to the remote host's port 9.
func (s *Scenario) Send(_, size int) (uint64, error) {
	p := s.pool.New(size)
	uid := p.UID()
	if err := s.tx.SendPacket(p); err != nil {
		p.Release()
		return 0, err
	}
	return uid, nil
}

// Ready reports whether the UE is attached and its NAS active.
func (s *Scenario) Ready() bool { return s.ue.Ready() }

// Helper returns the episode's mmWave helper (stats, traces).
func (s *Scenario) Helper() *mmw.Helper { return s.helper }

// UE returns the episode's UE.
func (s *Scenario) UE() *mmw.Ue { return s.ue }

// Of returns the scenario of ch's current episode (a new one after every
// Reset), or nil if ch was not made by NewChannel.
func Of(ch *channelif.SimChannel) *Scenario {
	if s, ok := ch.Backend().Scenario().(*Scenario); ok {
		return s
	}
	return nil
}
