package channelif

import (
	"fmt"
	"math"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/propagation"
)

// WifiConfig configures a WifiChannel, with the defaults of NetRL's Wi-Fi
// ad-hoc backend (flags of its ns-3 program).
type WifiConfig struct {
	StepMs       float64 // --step-ms: simulated milliseconds per step (1.0)
	Distance     float64 // --distance: metres between sender and receiver (10)
	TxPowerDbm   float64 // --tx-power (20)
	LossExponent float64 // --loss-exp: LogDistance exponent (3; 46.6777 dB at 1 m)
	Retries      int     // --retries: most transmissions of a frame (7)
	PacketSize   int     // --pkt-size: default payload bytes (64)
	Seed, Run    uint64  // --seed, --run (1, 1)
}

// DefaultWifiConfig returns NetRL's defaults.
func DefaultWifiConfig() WifiConfig {
	return WifiConfig{StepMs: 1, Distance: 10, TxPowerDbm: 20, LossExponent: 3, Retries: 7,
		PacketSize: DefaultPacketSize, Seed: 1, Run: 1}
}

// WifiMaxPacketSize is the largest payload one frame carries: the 2296-byte
// 802.11 MTU less IPv4 and UDP headers. netgym does not fragment.
const WifiMaxPacketSize = mac80211.MTU - inet.IPv4HeaderSize - inet.UDPHeaderSize

// Validate reports the first invalid setting.
func (c WifiConfig) Validate() error {
	switch {
	case !(c.StepMs > 0) || math.IsInf(c.StepMs, 0):
		return fmt.Errorf("wifi channel: step-ms %v must be a positive number", c.StepMs)
	case !(c.Distance >= 0) || math.IsInf(c.Distance, 0):
		return fmt.Errorf("wifi channel: distance %v must be a non-negative number", c.Distance)
	case math.IsNaN(c.TxPowerDbm) || math.IsInf(c.TxPowerDbm, 0):
		return fmt.Errorf("wifi channel: tx-power %v is not a number", c.TxPowerDbm)
	case !(c.LossExponent > 0) || math.IsInf(c.LossExponent, 0):
		return fmt.Errorf("wifi channel: loss-exp %v must be positive", c.LossExponent)
	case c.Retries < 1:
		return fmt.Errorf("wifi channel: retries %d must be at least 1", c.Retries)
	case c.PacketSize < 0 || c.PacketSize > WifiMaxPacketSize:
		return fmt.Errorf("wifi channel: pkt-size %d out of range [0,%d]", c.PacketSize, WifiMaxPacketSize)
	}
	return nil
}

// WifiChannel is NetRL's Wi-Fi ad-hoc channel simulated by netgym: two nodes
// at a distance, 802.11a ad-hoc, constant rate 54 Mb/s data and 6 Mb/s
// control, LogDistance loss, UDP/IPv4 with ARP to port 9. Step t occupies
// [start + t*step, start + (t+1)*step) after a warm-up of max(310 ms,
// 2*step); its packet is sent 1% into the step. All simulation state
// (backoff, queues, ARP) persists between calls; Reset rebuilds the
// scenario with the next run number.
type WifiChannel struct {
	cfg      WifiConfig
	run      uint64
	s        *sim.Simulator
	clock    StepClock
	pool     *packet.Pool
	tx       *inet.UDPSocket
	inFlight inFlight[uint32] // packet uid -> step id
	arrivals []uint32
	sendFn   func(any)
	free     []*pendingSend // recycled send records
}

type pendingSend struct {
	step uint32
	size int
}

// NewWifiChannel builds the scenario and runs its warm-up.
func NewWifiChannel(cfg WifiConfig) (*WifiChannel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &WifiChannel{cfg: cfg, run: cfg.Run}
	c.sendFn = c.send
	if err := c.build(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *WifiChannel) build() error {
	cfg := c.cfg
	s := sim.New(cfg.Seed, c.run)
	nc := mac80211.DefaultNetworkConfig()
	nc.Phy.TxPowerDbm = cfg.TxPowerDbm
	loss := propagation.DefaultLogDistance()
	loss.Exponent = cfg.LossExponent
	nc.Medium.Loss = loss
	nc.Mac.RetryLimit = cfg.Retries
	nc.Mac.LongRetryLimit = cfg.Retries
	nc.Mac.Rate = mac80211.NewConstantRate(mac80211.OfdmRate54Mbps, mac80211.OfdmRate6Mbps)
	w, err := mac80211.NewNetwork(s, nc, []mobility.Vector{{}, {X: cfg.Distance}})
	if err != nil {
		return err
	}
	step := sim.Milliseconds(cfg.StepMs)
	if step <= 0 {
		return fmt.Errorf("wifi channel: step-ms %v is below one nanosecond", cfg.StepMs)
	}
	warm := WarmupWifiAdHoc(step)
	clock, err := NewStepClock(warm, step, SingleUESendOffset)
	if err != nil {
		return err
	}
	rx := w.Nodes[1].NewUDPSocket()
	if err := rx.Bind(9); err != nil {
		return err
	}
	rx.SetRecvCallback(c.receive)
	tx := w.Nodes[0].NewUDPSocket()
	if err := tx.Connect(w.Addr(1), 9); err != nil {
		return err
	}
	c.s, c.clock, c.pool, c.tx = s, clock, w.Inet.Pool(), tx
	c.inFlight.reset()
	s.RunUntil(warm)
	return nil
}

func (c *WifiChannel) receive(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
	if step, ok := c.inFlight.take(p.UID()); ok {
		c.arrivals = append(c.arrivals, step)
	}
}

// send fires at a packet's send time.
func (c *WifiChannel) send(arg any) {
	ps := arg.(*pendingSend)
	p := c.pool.New(max(ps.size, IDFieldSize))
	c.inFlight.add(p.UID(), ps.step, c.s.Now())
	c.free = append(c.free, ps)
	if err := c.tx.SendPacket(p); err != nil {
		c.inFlight.forget(p.UID())
		p.Release()
	}
}

// Transmit schedules the packet of step at its send time (1 ns from now if
// that time has passed). size below 4 bytes still sends the 4-byte id.
func (c *WifiChannel) Transmit(step uint32, size int) error {
	if size < 0 || size > WifiMaxPacketSize {
		return fmt.Errorf("wifi channel: size %d out of range [0,%d]", size, WifiMaxPacketSize)
	}
	at, err := c.clock.SendTime(step, c.s.Now())
	if err != nil {
		return err
	}
	var ps *pendingSend
	if n := len(c.free); n > 0 {
		ps = c.free[n-1]
		c.free = c.free[:n-1]
	} else {
		ps = new(pendingSend)
	}
	*ps = pendingSend{step: step, size: size}
	if _, err := c.s.ScheduleAtWith(at, c.sendFn, ps); err != nil {
		c.free = append(c.free, ps)
		return err
	}
	return nil
}

// Flush runs the simulation to the end of step's window (if that is later
// than now) and returns the step ids whose packets arrived meanwhile, in
// arrival order. The slice is reused by the next call.
func (c *WifiChannel) Flush(step uint32) ([]uint32, error) {
	end, err := c.clock.FlushEnd(step)
	if err != nil {
		return nil, err
	}
	c.arrivals = c.arrivals[:0]
	c.s.RunUntil(end)
	c.inFlight.prune(c.s.Now())
	return c.arrivals, nil
}

// Reset rebuilds the scenario from scratch, warm-up included, with the next
// run number, so episodes differ while a session replays identically.
func (c *WifiChannel) Reset() error {
	c.run++
	c.arrivals = c.arrivals[:0]
	return c.build()
}

// Now returns the channel's simulated time.
func (c *WifiChannel) Now() sim.Time { return c.s.Now() }
