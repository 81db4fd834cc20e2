package wifi

import (
	"fmt"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/propagation"
)

// Config configures NetRL's single Wi-Fi program (NewChannel), with the
// defaults of NetRL's Wi-Fi ad-hoc backend (flags of its ns-3 program).
type Config struct {
	StepMs       float64 // --step-ms: simulated milliseconds per step (1.0), in [MinStepMs, 1000*MaxAdvanceS]
	Distance     float64 // --distance: metres between sender and receiver (10), in [0, MaxDistance]
	TxPowerDbm   float64 // --tx-power (20)
	LossExponent float64 // --loss-exp: LogDistance exponent (3; 46.6777 dB at 1 m)
	Retries      int     // --retries: most transmissions of a frame (7)
	PacketSize   int     // --pkt-size: default payload bytes (64)
	Seed, Run    uint64  // --seed, --run (1, 1)
	// MaxAdvanceS (--max-advance-s) is the most simulated seconds one
	// FLUSH or STEP may advance: a request beyond it gets ERROR
	// (channelif.Spec.MaxAdvance; default DefaultMaxAdvanceS, 600).
	MaxAdvanceS float64
}

// DefaultConfig returns NetRL's defaults.
func DefaultConfig() Config {
	return Config{StepMs: 1, Distance: 10, TxPowerDbm: 20, LossExponent: 3, Retries: 7,
		PacketSize: channelif.DefaultPacketSize, Seed: 1, Run: 1, MaxAdvanceS: DefaultMaxAdvanceS}
}

// MaxPacketSize is the largest payload one frame carries: the 2296-byte
// 802.11 MTU less IPv4 and UDP headers. netgym does not fragment.
const MaxPacketSize = mac80211.MTU - inet.IPv4HeaderSize - inet.UDPHeaderSize

// Port is the UDP port the receiver listens on, in both of NetRL's Wi-Fi
// programs.
const Port = 9

// AdHocWarmup returns the single Wi-Fi program's warm-up, max(310 ms,
// 2*stepDuration): the time simulated before READY, where step 0 starts.
func AdHocWarmup(stepDuration sim.Time) sim.Time {
	return channelif.WarmupAtLeast(310*sim.Millisecond, stepDuration)
}

// Validate reports the first invalid setting, naming the flag and its
// range: max-advance-s in (0, channelif.MaxSimTime], step-ms in
// [MinStepMs, 1000*max-advance-s], distance in [0, MaxDistance], tx-power
// in [mac80211.MinTxPowerDbm, MaxTxPowerDbm], loss-exp in
// (0, MaxLossExponent], retries in [1, mac80211.MaxRetryLimit], pkt-size in
// [0, MaxPacketSize].
func (c Config) Validate() error {
	if !(c.Distance >= 0 && c.Distance <= MaxDistance) {
		return fmt.Errorf("wifi channel: distance %v out of range [0, %g] m", c.Distance, float64(MaxDistance))
	}
	return commonChecks("wifi channel", c.StepMs, c.MaxAdvanceS, c.TxPowerDbm, c.LossExponent, c.Retries, c.PacketSize)
}

// NewChannel returns NetRL's Wi-Fi ad-hoc channel simulated by netgym, after
// its warm-up: two nodes at a distance, 802.11a ad-hoc, constant rate
// 54 Mb/s data and 6 Mb/s control, LogDistance loss, UDP/IPv4 with ARP from
// node 0 to port 9 of node 1. Step t occupies [start + t*step,
// start + (t+1)*step) after a warm-up of max(310 ms, 2*step); its packet is
// sent 1% into the step. All simulation state (backoff, queues, ARP)
// persists between calls; Reset rebuilds the scenario with the next run
// number. Serve it with its Backend.
func NewChannel(cfg Config) (*channelif.SimChannel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return channelif.NewSimChannel(adHoc{cfg: cfg}, cfg.Seed, cfg.Run)
}

// adHoc builds NetRL's single Wi-Fi program.
type adHoc struct{ cfg Config }

// Spec returns the single-UE timing: 1% send offset, the ad-hoc warm-up.
func (a adHoc) Spec() channelif.Spec {
	step := stepDuration(a.cfg.StepMs)
	return channelif.Spec{
		MaxAdvance:        maxAdvance(a.cfg.MaxAdvanceS),
		Name:              "wifi channel",
		StepDuration:      step,
		SendOffset:        channelif.SingleUESendOffset,
		Warmup:            AdHocWarmup(step),
		MaxPacketSize:     MaxPacketSize,
		DefaultPacketSize: a.cfg.PacketSize,
	}
}

// Build makes the ad-hoc pair: sender at the origin, receiver at
// (Distance, 0, 0).
func (a adHoc) Build(ep channelif.Episode) (channelif.Scenario, error) {
	nc := networkConfig(a.cfg.TxPowerDbm, a.cfg.LossExponent, a.cfg.Retries)
	w, err := mac80211.NewNetwork(ep.Sim, nc, []mobility.Vector{{}, {X: a.cfg.Distance}})
	if err != nil {
		return nil, err
	}
	rx := w.Nodes[1].NewUDPSocket()
	if err := rx.Bind(Port); err != nil {
		return nil, err
	}
	rx.SetRecvCallback(receiveHook(ep.Received))
	tx := w.Nodes[0].NewUDPSocket()
	if err := tx.Connect(w.Addr(1), Port); err != nil {
		return nil, err
	}
	return &adHocScenario{net: w, pool: w.Inet.Pool(), tx: tx}, nil
}

// adHocScenario is one episode of the ad-hoc pair.
type adHocScenario struct {
	net  *mac80211.Network
	pool *packet.Pool
	tx   *inet.UDPSocket
}

// Send sends size bytes from node 0 to node 1.
func (s *adHocScenario) Send(_, size int) (uint64, error) {
	return sendFrom(s.pool, s.tx, size)
}

// Ready is always true: NetRL's program only waits for the warm-up.
func (s *adHocScenario) Ready() bool { return true }

// Network returns the Wi-Fi network of the channel's current episode (a new
// one after every Reset), e.g. to read its MAC counters; nil if ch was not
// made by NewChannel (nil included).
func Network(ch *channelif.SimChannel) *mac80211.Network {
	if s, ok := ch.Backend().Scenario().(*adHocScenario); ok {
		return s.net
	}
	return nil
}

// networkConfig is what both of NetRL's Wi-Fi programs set on ns-3's
// defaults: the transmit power, LogDistance's exponent, the retry limits
// and constant rates of 54 Mb/s data and 6 Mb/s control.
func networkConfig(txPowerDbm, lossExponent float64, retries int) mac80211.NetworkConfig {
	nc := mac80211.DefaultNetworkConfig()
	nc.Phy.TxPowerDbm = txPowerDbm
	loss := propagation.DefaultLogDistance()
	loss.Exponent = lossExponent
	nc.Medium.Loss = loss
	nc.Mac.RetryLimit = retries
	nc.Mac.LongRetryLimit = retries
	nc.Mac.Rate = mac80211.NewConstantRate(mac80211.OfdmRate54Mbps, mac80211.OfdmRate6Mbps)
	return nc
}

// receiveHook adapts the core's receive hook to a UDP receive callback.
func receiveHook(received func(uid uint64)) inet.UDPRecvCallback {
	return func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) { received(p.UID()) }
}

// sendFrom sends a new packet of size payload bytes from tx and returns its
// uid; on error the packet is released.
func sendFrom(pool *packet.Pool, tx *inet.UDPSocket, size int) (uint64, error) {
	p := pool.New(size)
	uid := p.UID()
	if err := tx.SendPacket(p); err != nil {
		p.Release()
		return 0, err
	}
	return uid, nil
}
