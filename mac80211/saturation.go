package mac80211

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// SaturationConfig describes the saturation scenario of
// scenarios/wifi-saturation: n stations all sending to one receiver.
type SaturationConfig struct {
	N        int      // stations (10)
	RateMbps int      // data rate (54); control responses follow ControlResponseMode
	Duration sim.Time // traffic window (10 s)
	Warmup   sim.Time // before traffic (1 s)
	Payload  int      // bytes per MSDU or datagram (1500)
	// Raw hands MSDUs (payload + LLC/SNAP) straight to the MAC, with no
	// retry or queue limit, as ns-3's wifi-bianchi validation, from a 1 m
	// ring (every collision destroys both frames at the receiver).
	// Otherwise UDP/IPv4 CBR at OfferedMbps per station from a 5 m ring.
	// The channel is ns-3's default in both modes.
	Raw bool
	// Radius overrides the ring radius in metres (0: 1 m raw, 5 m udp).
	Radius      float64
	OfferedMbps float64 // per-station CBR in udp mode (60)
	// Infra makes the receiver an AP that the stations associate with
	// during the warm-up (passive scanning).
	Infra bool
	// StaticARP pre-fills every neighbour table, so no ARP traffic is sent.
	// With dynamic ARP (the default, as in any ns-3 script) the stations'
	// broadcast ARP requests leave on whole-millisecond jitter boundaries
	// and collide: with many stations some senders, sometimes all, never
	// resolve the receiver, in ns-3 3.37 as here (see bench/ns3).
	StaticARP bool
	Seed      uint64 // (1)
	// Run is the run number (1), ns-3's RngRun: runs of one seed are
	// independent replications. 0 means 1.
	Run uint64
}

// DefaultSaturationConfig returns the defaults of scenarios/wifi-saturation.
func DefaultSaturationConfig() SaturationConfig {
	return SaturationConfig{N: 10, RateMbps: 54, Duration: 10 * sim.Second, Warmup: sim.Second,
		Payload: 1500, OfferedMbps: 60, Seed: 1, Run: 1}
}

// Validate reports the first invalid setting.
func (c *SaturationConfig) Validate() error {
	if c.N < 1 {
		return fmt.Errorf("saturation: need at least one station, got %d", c.N)
	}
	if _, err := ModeFromRate(c.RateMbps); err != nil {
		return err
	}
	switch {
	case c.Duration <= 0:
		return errors.New("saturation: duration must be positive")
	case c.Warmup < 0:
		return errors.New("saturation: negative warm-up")
	case c.Payload < 1:
		return fmt.Errorf("saturation: payload %d must be at least 1 byte", c.Payload)
	case !c.Raw && c.Payload > MTU-inet.IPv4HeaderSize-inet.UDPHeaderSize:
		return fmt.Errorf("saturation: payload %d does not fit one frame (max %d)", c.Payload, MTU-inet.IPv4HeaderSize-inet.UDPHeaderSize)
	case c.Raw && c.Payload > MTU-LLCSNAPSize:
		return fmt.Errorf("saturation: payload %d does not fit one frame (max %d)", c.Payload, MTU-LLCSNAPSize)
	case c.Radius < 0 || math.IsNaN(c.Radius) || math.IsInf(c.Radius, 0):
		return fmt.Errorf("saturation: ring radius %v must be a non-negative number", c.Radius)
	case !c.Raw && !(c.OfferedMbps > 0):
		return errors.New("saturation: offered load must be positive")
	}
	return nil
}

// SaturationResult is what a saturation run measured.
type SaturationResult struct {
	N              int       `json:"n"`
	RateMbps       int       `json:"rate_mbps"`
	DurationS      float64   `json:"duration_s"`
	PayloadBytes   int       `json:"payload_bytes"`
	MPDUBytes      int       `json:"mpdu_bytes"`
	ThroughputMbps float64   `json:"throughput_mbps"`
	Events         uint64    `json:"events"`
	AssocMs        []float64 `json:"assoc_ms,omitempty"`
}

// RunSaturation builds and runs the scenario and reports the payload
// throughput delivered to the receiver during the traffic window.
func RunSaturation(cfg SaturationConfig) (SaturationResult, error) {
	if err := cfg.Validate(); err != nil {
		return SaturationResult{}, err
	}
	mode, _ := ModeFromRate(cfg.RateMbps)
	run := cfg.Run
	if run == 0 {
		run = 1
	}
	s := sim.New(cfg.Seed, run)
	nc := DefaultNetworkConfig()
	nc.Mac.Rate = NewConstantRate(mode, OfdmRate6Mbps)
	nc.Infrastructure = cfg.Infra
	nc.StaticARP = cfg.StaticARP
	radius := 5.0
	mpdu := MACHeaderSize + LLCSNAPSize + cfg.Payload + FCSSize
	if cfg.Raw {
		radius = 1
		nc.Mac.RetryLimit = math.MaxInt32
		nc.Mac.MaxQueueSize = 0
		nc.Mac.MaxQueueDelay = 0
	} else {
		mpdu += inet.IPv4HeaderSize + inet.UDPHeaderSize
	}
	if cfg.Radius > 0 {
		radius = cfg.Radius
	}
	positions := append([]mobility.Vector{{}}, mobility.Ring(mobility.Vector{}, radius, cfg.N)...)
	w, err := NewNetwork(s, nc, positions)
	if err != nil {
		return SaturationResult{}, err
	}
	start, end := cfg.Warmup, cfg.Warmup+cfg.Duration
	var received int64
	count := func(size int) {
		if now := s.Now(); now >= start && now < end {
			received += int64(size)
		}
	}
	if cfg.Raw {
		runRawSaturation(w, cfg, count)
	} else if err := runUDPSaturation(w, cfg, count); err != nil {
		return SaturationResult{}, err
	}
	s.RunUntil(end)
	res := SaturationResult{
		N: cfg.N, RateMbps: cfg.RateMbps, DurationS: cfg.Duration.Seconds(), PayloadBytes: cfg.Payload,
		MPDUBytes:      mpdu,
		ThroughputMbps: float64(received*8) / cfg.Duration.Seconds() / 1e6,
		Events:         s.EventCount(),
	}
	if cfg.Infra {
		for _, d := range w.Devices[1:] {
			t := d.Mac().AssociationTimes()
			ms := math.NaN()
			if len(t) > 0 {
				ms = t[0].Milliseconds()
			}
			res.AssocMs = append(res.AssocMs, ms)
		}
	}
	return res, nil
}

// runRawSaturation keeps every station's MAC queue non-empty: two MSDUs at
// the start of traffic, one more whenever one is acknowledged.
func runRawSaturation(w *Network, cfg SaturationConfig, count func(int)) {
	s := w.Sim
	pool := w.Inet.Pool()
	rx := w.Devices[0].Mac()
	rx.SetReceiveCallback(func(msdu *packet.Packet, _, _ packet.Mac48) { count(msdu.PayloadSize()) })
	llc := &LLCSNAPHeader{EtherType: inet.EtherTypeIPv4}
	for _, d := range w.Devices[1:] {
		m := d.Mac()
		send := func() {
			p := pool.New(cfg.Payload)
			p.Push(llc)
			_ = m.Send(p, rx.Address())
		}
		m.OnTxOk = func(*Frame) { send() }
		s.ScheduleAt(cfg.Warmup, func() { send(); send() })
	}
}

// cbrSender sends one datagram every interval from start until end.
type cbrSender struct {
	sock     *inet.UDPSocket
	s        *sim.Simulator
	size     int
	interval sim.Time
	end      sim.Time
	fire     func(any)
}

func (c *cbrSender) onSend(any) {
	_ = c.sock.Send(c.size) // a full queue drops the datagram, as ns-3
	if next := c.s.Now() + c.interval; next < c.end {
		c.s.ScheduleWith(c.interval, c.fire, nil)
	}
}

func runUDPSaturation(w *Network, cfg SaturationConfig, count func(int)) error {
	sink := w.Nodes[0].NewUDPSocket()
	if err := sink.Bind(9); err != nil {
		return err
	}
	sink.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
		count(p.PayloadSize())
	})
	interval := sim.Time(math.Round(float64(cfg.Payload*8) / (cfg.OfferedMbps * 1e6) * 1e9))
	for i := 1; i <= cfg.N; i++ {
		sock := w.Nodes[i].NewUDPSocket()
		if err := sock.Connect(w.Addr(0), 9); err != nil {
			return err
		}
		c := &cbrSender{sock: sock, s: w.Sim, size: cfg.Payload, interval: interval,
			end: cfg.Warmup + cfg.Duration}
		c.fire = c.onSend
		if _, err := w.Sim.ScheduleAtWith(cfg.Warmup, c.fire, nil); err != nil {
			return err
		}
	}
	return nil
}
