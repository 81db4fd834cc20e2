// Package nr holds the builder of NetRL's 5G-LENA program (ns3_lena_sim)
// on channelif's generic backend: NewChannel simulates NetRL's scenario
// with netgym's 5G NR stack (package nr5g) and EPC (package epc), and
// scenarios/lena-sim serves it over NetRL's line protocol.
//
// The scenario is NetRL's: one gNB at (0, 0, 3 m) with a 4x8 array and
// one UE at (d, 0, 1.5 m) with a 2x4 array, isotropic elements, ideal
// direct-path beams; TR 38.901 pathloss, channel condition and shadowing
// (per --shadowing) at --freq over --bandwidth (one band, one bandwidth
// part) at --numerology; gNB and UE transmit powers per flag, 5 dB noise
// figures; 5G-LENA's defaults everywhere else (TDMA round-robin
// scheduler, HARQ, RLC UM, ideal RRC). The core is 5G-LENA's
// NrPointToPointEpcHelper with a remote host on a 100 Gb/s, MTU 2500, 0 s
// link; a dedicated non-GBR low-latency eMBB bearer (5QI 80) carries the
// UE's packets to the remote host's UDP port 9 (its TFT matches remote
// port 9). Each step's packet, of max(size, 4) payload bytes, goes uplink
// UE -> gNB -> SGW -> PGW -> remote host, sent 1% into its step. The
// warm-up is max(500 ms, 2 steps), the UE attached before step 0.
//
// The step clock, in-flight ids, RESET with the next run number and the
// line protocol are channelif's (channelif.SimBackend), as for the Wi-Fi
// programs.
package nr

import (
	"fmt"
	"math"
	"strings"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/nr5g"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/sim/spectrum/threegpp"
)

// Port is the remote host's UDP port the UE sends to, and the remote port
// the dedicated bearer's TFT matches (NetRL's RECV_PORT).
const Port = 9

// Geometry of NetRL's program.
const (
	GnbHeight = 3.0 // m
	UeHeight  = 1.5 // m
)

// Ranges Validate accepts.
const (
	// MinStepMs is the shortest step, one nanosecond.
	MinStepMs = 1e-6
	// DefaultMaxAdvanceS is channelif's DefaultMaxAdvance in seconds.
	DefaultMaxAdvanceS = float64(channelif.DefaultMaxAdvance / sim.Second)
	// MaxDistance is the largest UE distance in metres.
	MaxDistance = 100e3
	// MaxPacketSize is the largest payload that crosses the core: the
	// 2000-byte S1-U MTU less the GTP-U tunnel (40) and the user's IPv4
	// and UDP headers (28); netgym does not fragment.
	MaxPacketSize = 2000 - epc.TunnelOverhead - inet.IPv4HeaderSize - inet.UDPHeaderSize
)

// Config configures NetRL's 5G-LENA program, with its defaults
// (DefaultConfig): the flags of ns3_lena_sim, plus --seed and --run.
type Config struct {
	StepMs       float64 // --step-ms: simulated milliseconds per step (1.0)
	Distance     float64 // --distance: metres between gNB and UE on the ground (50)
	FreqHz       float64 // --freq: carrier frequency (28e9)
	BandwidthHz  float64 // --bandwidth: channel bandwidth (100e6)
	UeTxPowerDbm float64 // --ue-tx-power (23)
	GnbTxPowerDb float64 // --gnb-tx-power (30)
	Scenario     string  // --scenario: UMa, UMi (or UMi-StreetCanyon), RMa, InH-OfficeMixed, InH-OfficeOpen
	Numerology   int     // --numerology (3)
	Shadowing    bool    // --shadowing (0)
	PacketSize   int     // --pkt-size: default payload bytes (64)
	Seed, Run    uint64  // --seed, --run (1, 1)
	// MaxAdvanceS (--max-advance-s) is the most simulated seconds one
	// FLUSH or STEP may advance (channelif.Spec.MaxAdvance).
	MaxAdvanceS float64
}

// DefaultConfig returns NetRL's NS3LenaConfig defaults.
func DefaultConfig() Config {
	return Config{StepMs: 1, Distance: 50, FreqHz: 28e9, BandwidthHz: 100e6, UeTxPowerDbm: 23, GnbTxPowerDb: 30,
		Scenario: "UMa", Numerology: 3, PacketSize: channelif.DefaultPacketSize, Seed: 1, Run: 1,
		MaxAdvanceS: DefaultMaxAdvanceS}
}

// ParseScenario maps NetRL's and 5G-LENA's scenario names to TR 38.901
// scenarios: "UMa", "UMi" and "UMi-StreetCanyon" (which NetRL's validator
// lets through and 5G-LENA rejects: taken as UMi), "RMa",
// "InH-OfficeMixed", "InH-OfficeOpen".
func ParseScenario(s string) (propagation.Scenario, error) {
	switch s {
	case "UMa":
		return propagation.UMa, nil
	case "UMi", "UMi-StreetCanyon":
		return propagation.UMiStreetCanyon, nil
	case "RMa":
		return propagation.RMa, nil
	case "InH-OfficeMixed":
		return propagation.InHOfficeMixed, nil
	case "InH-OfficeOpen":
		return propagation.InHOfficeOpen, nil
	}
	return 0, fmt.Errorf("scenario %q unknown (want %s)", s,
		strings.Join([]string{"UMa", "UMi", "UMi-StreetCanyon", "RMa", "InH-OfficeMixed", "InH-OfficeOpen"}, ", "))
}

// Validate reports the first setting out of range, naming the flag.
func (c Config) Validate() error {
	const name = "lena channel"
	if !(c.MaxAdvanceS >= MinStepMs/1e3 && c.MaxAdvanceS <= channelif.MaxSimTime.Seconds()) {
		return fmt.Errorf("%s: max-advance-s %v out of range [%g, %.4g]", name, c.MaxAdvanceS, MinStepMs/1e3, channelif.MaxSimTime.Seconds())
	}
	if maxStep := c.MaxAdvanceS * 1e3; !(c.StepMs >= MinStepMs && c.StepMs <= maxStep) {
		return fmt.Errorf("%s: step-ms %v out of range [%g, %g] (at most max-advance-s)", name, c.StepMs, MinStepMs, maxStep)
	}
	if _, err := sim.FromFloat(c.StepMs, sim.Millisecond); err != nil {
		return fmt.Errorf("%s: step-ms: %w", name, err)
	}
	switch {
	case !(c.Distance >= 0 && c.Distance <= MaxDistance):
		return fmt.Errorf("%s: distance %v out of range [0, %g] m", name, c.Distance, float64(MaxDistance))
	case !(c.FreqHz >= 0.5e9 && c.FreqHz <= 100e9):
		return fmt.Errorf("%s: freq %v out of range [0.5e9, 100e9] Hz (TR 38.901)", name, c.FreqHz)
	case c.Numerology < 0 || c.Numerology > int(nr5g.MaxNumerology):
		return fmt.Errorf("%s: numerology %d out of range [0, %d]", name, c.Numerology, nr5g.MaxNumerology)
	case math.IsNaN(c.UeTxPowerDbm) || c.UeTxPowerDbm < -100 || c.UeTxPowerDbm > 80:
		return fmt.Errorf("%s: ue-tx-power %v out of range [-100, 80] dBm", name, c.UeTxPowerDbm)
	case math.IsNaN(c.GnbTxPowerDb) || c.GnbTxPowerDb < -100 || c.GnbTxPowerDb > 80:
		return fmt.Errorf("%s: gnb-tx-power %v out of range [-100, 80] dBm", name, c.GnbTxPowerDb)
	case c.PacketSize < 0 || c.PacketSize > MaxPacketSize:
		return fmt.Errorf("%s: pkt-size %d out of range [0, %d]", name, c.PacketSize, MaxPacketSize)
	}
	if _, err := ParseScenario(c.Scenario); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if _, err := nr5g.RbCount(c.BandwidthHz, nr5g.Numerology(c.Numerology), nr5g.DefaultRbOverhead); err != nil {
		return fmt.Errorf("%s: bandwidth %v at numerology %d: %w", name, c.BandwidthHz, c.Numerology, err)
	}
	return nil
}

// NetworkConfig returns the nr5g configuration of the scenario: 5G-LENA's
// defaults with NetRL's band, powers, arrays, scenario and shadowing.
func (c Config) NetworkConfig() (nr5g.NetworkConfig, error) {
	sc, err := ParseScenario(c.Scenario)
	if err != nil {
		return nr5g.NetworkConfig{}, err
	}
	cfg := nr5g.DefaultNetworkConfig()
	cfg.Gnb.Phy.Numerology = nr5g.Numerology(c.Numerology)
	cfg.Gnb.Phy.BandwidthHz = c.BandwidthHz
	cfg.Gnb.Phy.CentralFrequencyHz = c.FreqHz
	cfg.Gnb.TxPowerDbm = c.GnbTxPowerDb
	cfg.Gnb.Array = nr5g.ArrayConfig{Rows: 4, Columns: 8}
	cfg.Ue.TxPowerDbm = c.UeTxPowerDbm
	cfg.Ue.Array = nr5g.ArrayConfig{Rows: 2, Columns: 4}
	cfg.Scenario = sc
	cfg.Shadowing = c.Shadowing
	cfg.Channel = nr5g.ChannelThreeGPP
	cfg.FastFading = true
	cfg.Beamforming.Method = threegpp.DirectPath
	return cfg, cfg.Validate()
}

// Warmup returns the program's warm-up, max(500 ms, 2 steps).
func Warmup(stepDuration sim.Time) sim.Time { return channelif.WarmupCellular(stepDuration) }

// NewChannel returns NetRL's 5G-LENA channel simulated by netgym, after
// its warm-up. Step t occupies [start + t*step, start + (t+1)*step) after
// a warm-up of max(500 ms, 2*step); its packet is sent 1% into the step.
// All simulation state (HARQ processes, RLC buffers, scheduler, CQI,
// timers) persists between calls; Reset rebuilds the scenario with the
// next run number. Serve it with its Backend.
func NewChannel(cfg Config) (*channelif.SimChannel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return channelif.NewSimChannel(Builder(cfg), cfg.Seed, cfg.Run)
}

// Builder returns the channelif.Builder of the scenario (for
// channelif.NewSimBackend); cfg must be valid.
func Builder(cfg Config) channelif.Builder { return lena{cfg: cfg} }

type lena struct{ cfg Config }

// Spec returns the single-UE timing: 1% send offset, the cellular warm-up,
// extended (a step at a time, up to 60 s) should the UE not be attached
// by then.
func (l lena) Spec() channelif.Spec {
	step, _ := sim.FromFloat(l.cfg.StepMs, sim.Millisecond)
	step = max(step, 1)
	adv, _ := sim.FromFloat(l.cfg.MaxAdvanceS, sim.Second)
	warm := Warmup(step)
	return channelif.Spec{
		Name:              "lena channel",
		StepDuration:      step,
		SendOffset:        channelif.SingleUESendOffset,
		Warmup:            warm,
		MaxWarmup:         max(warm, 60*sim.Second),
		MaxPacketSize:     MaxPacketSize,
		DefaultPacketSize: l.cfg.PacketSize,
		MaxAdvance:        max(adv, 1),
	}
}

// Build makes NetRL's scenario on ep.Sim.
func (l lena) Build(ep channelif.Episode) (channelif.Scenario, error) {
	n, err := BuildNetwork(ep.Sim, l.cfg)
	if err != nil {
		return nil, err
	}
	rx := n.RemoteHost.Node.NewUDPSocket()
	if err := rx.Bind(Port); err != nil {
		return nil, err
	}
	received := ep.Received
	rx.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) { received(p.UID()) })
	tx := n.UE.Node().NewUDPSocket()
	if err := tx.BindAddr(n.UE.UE().Address(), 0); err != nil {
		return nil, err
	}
	if err := tx.Connect(n.RemoteHost.Address, Port); err != nil {
		return nil, err
	}
	return &scenario{n: n, pool: n.NR.Inet().Pool(), tx: tx}, nil
}

// Network is NetRL's 5G-LENA scenario as built: the NR network (with its
// core), the gNB, the UE and the remote host.
type Network struct {
	NR         *nr5g.Network   // the NR network and its core
	Gnb        *nr5g.Gnb       // the gNB at (0, 0, 3 m)
	UE         *nr5g.UeDevice  // the UE at (distance, 0, 1.5 m)
	RemoteHost *epc.RemoteHost // the remote host behind the PGW
	// Bearer is the dedicated bearer's id (2).
	Bearer uint8
}

// BuildNetwork builds NetRL's scenario on s, as its BuildTopology: core and
// remote host, gNB and UE, the dedicated 5QI 80 bearer for remote port 9,
// the UE attached to the gNB. It does not run the simulator.
func BuildNetwork(s *sim.Simulator, cfg Config) (*Network, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	nc, err := cfg.NetworkConfig()
	if err != nil {
		return nil, err
	}
	nr, err := nr5g.NewNetwork(s, nc)
	if err != nil {
		return nil, err
	}
	rh, err := nr.EPC().SetupRemoteHost(epc.DefaultRemoteHostConfig())
	if err != nil {
		return nil, err
	}
	gnb, err := nr.AddGnb(mobility.Vector{Z: GnbHeight})
	if err != nil {
		return nil, err
	}
	ue, err := nr.AddUE(mobility.Vector{X: cfg.Distance, Z: UeHeight})
	if err != nil {
		return nil, err
	}
	if err := nr.AttachToClosest(ue); err != nil {
		return nil, err
	}
	f := epc.DefaultPacketFilter()
	f.RemotePortStart, f.RemotePortEnd = Port, Port
	f.LocalPortStart, f.LocalPortEnd = 0, 65535
	tft, err := epc.NewTFT(f)
	if err != nil {
		return nil, err
	}
	id, err := nr.EPC().ActivateDedicatedBearer(ue.IMSI(), epc.Bearer{QCI: epc.NGBRLowLatEMBB}, tft)
	if err != nil {
		return nil, err
	}
	return &Network{NR: nr, Gnb: gnb, UE: ue, RemoteHost: rh, Bearer: id}, nil
}

// scenario is one episode.
type scenario struct {
	n    *Network
	pool *packet.Pool
	tx   *inet.UDPSocket
}

// Send sends size payload bytes from the UE to the remote host's port 9.
func (s *scenario) Send(_, size int) (uint64, error) {
	p := s.pool.New(size)
	uid := p.UID()
	if err := s.tx.SendPacket(p); err != nil {
		p.Release()
		return 0, err
	}
	return uid, nil
}

// Ready reports whether the UE is attached with its bearers.
func (s *scenario) Ready() bool { return s.n.UE.Ready() }

// Scenario returns the network of the channel's current episode (a new one
// after every Reset), e.g. to read its counters; nil if ch was not made by
// NewChannel.
func Scenario(ch *channelif.SimChannel) *Network {
	if s, ok := ch.Backend().Scenario().(*scenario); ok {
		return s.n
	}
	return nil
}
