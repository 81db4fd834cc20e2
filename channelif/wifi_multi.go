package channelif

import (
	"errors"
	"fmt"
	"math"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/propagation"
)

// Facts of NetRL's multi-UE Wi-Fi program (ns3_wifi_multi_ue_sim.cc).
const (
	// WifiMultiUESSID is the SSID of the access point and its stations.
	WifiMultiUESSID = "netrl-bss"
	// WifiMultiUEPort is the UDP port the AP receives on (every STA sends
	// from an ephemeral port to the AP's address 10.1.1.1, port 9).
	WifiMultiUEPort = 9
	// WifiMultiUEMaxUEs is the most UEs the 10.1.1.0/24 subnet numbers: the
	// AP takes 10.1.1.1, STA i takes 10.1.1.(i+2), .255 is the broadcast.
	WifiMultiUEMaxUEs = 253
)

// WifiMultiUEConfig configures a WifiMultiUEBackend, with the defaults of
// NetRL's multi-UE Wi-Fi backend (flags of its ns-3 program).
type WifiMultiUEConfig struct {
	StepMs float64 // --step-ms: simulated milliseconds per step (1.0)
	NUEs   int     // --n-ues: number of UEs, i.e. stations (2)
	// Distances (--distances) are the metres from each UE's station to the
	// AP: UE i gets Distances[i], the last value repeats for the remaining
	// UEs and values beyond NUEs are ignored ({10}).
	Distances    []float64
	TxPowerDbm   float64 // --tx-power, of every node (20)
	LossExponent float64 // --loss-exp: LogDistance exponent (3; 46.6777 dB at 1 m)
	Retries      int     // --retries: most transmissions of a frame (7)
	PacketSize   int     // --pkt-size: default payload bytes (64)
	Seed, Run    uint64  // --seed, --run (1, 1)
}

// DefaultWifiMultiUEConfig returns NetRL's defaults: 2 UEs at 10 m, 1 ms
// steps, 20 dBm, exponent 3, 7 transmissions, 64-byte payloads, seed 1,
// run 1.
func DefaultWifiMultiUEConfig() WifiMultiUEConfig {
	return WifiMultiUEConfig{StepMs: 1, NUEs: 2, Distances: []float64{10}, TxPowerDbm: 20,
		LossExponent: 3, Retries: 7, PacketSize: DefaultPacketSize, Seed: 1, Run: 1}
}

// Validate reports the first invalid setting.
func (c WifiMultiUEConfig) Validate() error {
	switch {
	case !(c.StepMs > 0) || math.IsInf(c.StepMs, 0):
		return fmt.Errorf("wifi multi-UE: step-ms %v must be a positive number", c.StepMs)
	case c.NUEs < 1 || c.NUEs > WifiMultiUEMaxUEs:
		return fmt.Errorf("wifi multi-UE: n-ues %d out of range [1,%d]", c.NUEs, WifiMultiUEMaxUEs)
	case len(c.Distances) == 0:
		return errors.New("wifi multi-UE: no distances")
	case math.IsNaN(c.TxPowerDbm) || math.IsInf(c.TxPowerDbm, 0):
		return fmt.Errorf("wifi multi-UE: tx-power %v is not a number", c.TxPowerDbm)
	case !(c.LossExponent > 0) || math.IsInf(c.LossExponent, 0):
		return fmt.Errorf("wifi multi-UE: loss-exp %v must be positive", c.LossExponent)
	case c.Retries < 1:
		return fmt.Errorf("wifi multi-UE: retries %d must be at least 1", c.Retries)
	case c.PacketSize < 0 || c.PacketSize > WifiMaxPacketSize:
		return fmt.Errorf("wifi multi-UE: pkt-size %d out of range [0,%d]", c.PacketSize, WifiMaxPacketSize)
	}
	for i, d := range c.Distances {
		if i >= c.NUEs {
			break
		}
		if !(d > 0) || math.IsInf(d, 0) {
			return fmt.Errorf("wifi multi-UE: distance %v of UE %d must be a positive number", d, i)
		}
	}
	return nil
}

// Distance returns UE ue's distance to the AP: Distances[ue], or the last
// value for a UE beyond the list (0 if the list is empty).
func (c WifiMultiUEConfig) Distance(ue int) float64 {
	if len(c.Distances) == 0 || ue < 0 {
		return 0
	}
	return c.Distances[min(ue, len(c.Distances)-1)]
}

// WifiMultiUEBackend is NetRL's multi-UE Wi-Fi scenario simulated by netgym:
// an 802.11a infrastructure BSS with the AP (node 0, 10.1.1.1, SSID
// "netrl-bss") at the origin and UE i's station (node i+1, 10.1.1.(i+2)) at
// (d_i, 0, 0), as NetRL places them; constant rate 54 Mb/s data and 6 Mb/s
// control, LogDistance loss, stations with active probing that associate
// during a 500 ms warm-up. Data flows uplink: each UE's packet goes over
// UDP/IPv4 (with ARP) from its station to port 9 of the AP, where the
// receive callback reports it.
//
// Step t occupies [start + t*step, start + (t+1)*step) with start = 500 ms;
// the packets of step t are sent at the start of the step (NetRL's multi-UE
// offset 0), hence 1 ns after the previous Flush ended. A packet carries
// max(size, 8) payload bytes: NetRL's 8-byte (ue id, step id) field,
// zero-padded; the ids themselves stay on the Go side, keyed by the
// packet's uid, so no payload bytes are built or copied.
//
// The backend implements Backend for Serve and hands out per-UE
// CommChannel views (UE, Views, Factory) for CentralNode, as NetRL's Python
// does. All simulation state persists between calls; Reset rebuilds the
// scenario with the next run number. Not safe for concurrent use.
type WifiMultiUEBackend struct {
	cfg      WifiMultiUEConfig // Distances expanded to NUEs values
	run      uint64
	s        *sim.Simulator
	net      *mac80211.Network
	pos      []mobility.Vector // pos[0]: the AP; pos[1+ue]: UE ue's station
	clock    StepClock
	pool     *packet.Pool
	tx       []*inet.UDPSocket // tx[ue]: UE ue's socket, connected to the AP
	inFlight inFlight[Arrival]
	arrivals []Arrival
	sendFn   func(any)
	sends    packet.FreeList[multiUESend]

	// Per-UE views (NetRL's NS3WifiUEChannel) and their coordination.
	views       []*WifiUEChannel
	lastFlushed int64 // step of the cached flush, -1 for none
	resetMarks  int   // views that asked for a reset since the last one
}

// multiUESend is a scheduled send, recycled through a free list.
type multiUESend struct {
	ue   int
	step uint32
	size int
}

// NewWifiMultiUEBackend validates cfg, builds the scenario and runs its
// 500 ms warm-up.
func NewWifiMultiUEBackend(cfg WifiMultiUEConfig) (*WifiMultiUEBackend, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ds := make([]float64, cfg.NUEs)
	for i := range ds {
		ds[i] = cfg.Distance(i)
	}
	cfg.Distances = ds
	b := &WifiMultiUEBackend{cfg: cfg, run: cfg.Run, lastFlushed: -1}
	b.inFlight.reset()
	b.sendFn = b.send
	b.views = make([]*WifiUEChannel, cfg.NUEs)
	for i := range b.views {
		b.views[i] = &WifiUEChannel{b: b, ue: i}
	}
	if err := b.build(); err != nil {
		return nil, err
	}
	return b, nil
}

// build makes the scenario for run b.run and warms it up; on error b keeps
// its previous scenario.
func (b *WifiMultiUEBackend) build() error {
	cfg := b.cfg
	step := sim.Milliseconds(cfg.StepMs)
	if step <= 0 {
		return fmt.Errorf("wifi multi-UE: step-ms %v is below one nanosecond", cfg.StepMs)
	}
	warm := WarmupWifiMultiUE(step)
	clock, err := NewStepClock(warm, step, MultiUESendOffset)
	if err != nil {
		return err
	}
	s := sim.New(cfg.Seed, b.run)
	nc := mac80211.DefaultNetworkConfig()
	nc.Infrastructure = true
	nc.Ap.SSID = WifiMultiUESSID
	nc.Sta.SSID = WifiMultiUESSID
	nc.Sta.ActiveProbing = true
	nc.Phy.TxPowerDbm = cfg.TxPowerDbm
	loss := propagation.DefaultLogDistance()
	loss.Exponent = cfg.LossExponent
	nc.Medium.Loss = loss
	nc.Mac.RetryLimit = cfg.Retries
	nc.Mac.LongRetryLimit = cfg.Retries
	nc.Mac.Rate = mac80211.NewConstantRate(mac80211.OfdmRate54Mbps, mac80211.OfdmRate6Mbps)
	pos := make([]mobility.Vector, 1+cfg.NUEs) // AP at the origin
	for i, d := range cfg.Distances {
		pos[1+i] = mobility.Vector{X: d}
	}
	w, err := mac80211.NewNetwork(s, nc, pos)
	if err != nil {
		return err
	}
	rx := w.Nodes[0].NewUDPSocket()
	if err := rx.Bind(WifiMultiUEPort); err != nil {
		return err
	}
	rx.SetRecvCallback(b.receive)
	tx := make([]*inet.UDPSocket, cfg.NUEs)
	for i := range tx {
		tx[i] = w.Nodes[1+i].NewUDPSocket()
		if err := tx[i].Connect(w.Addr(0), WifiMultiUEPort); err != nil {
			return err
		}
	}
	b.s, b.net, b.pos, b.clock, b.pool, b.tx = s, w, pos, clock, w.Inet.Pool(), tx
	b.inFlight.reset()
	b.arrivals = b.arrivals[:0]
	s.RunUntil(warm)
	return nil
}

// receive is the AP socket's callback.
func (b *WifiMultiUEBackend) receive(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
	if id, ok := b.inFlight.take(p.UID()); ok {
		b.arrivals = append(b.arrivals, id)
	}
}

// send fires at a packet's send time.
func (b *WifiMultiUEBackend) send(arg any) {
	ms := arg.(*multiUESend)
	ue, step, size := ms.ue, ms.step, ms.size
	b.sends.Put(ms)
	p := b.pool.New(max(size, MultiUEIDFieldSize))
	uid := p.UID()
	b.inFlight.add(uid, Arrival{UE: ue, Step: step}, b.s.Now())
	if err := b.tx[ue].SendPacket(p); err != nil {
		b.inFlight.forget(uid)
		p.Release()
	}
}

// NumUEs returns the number of UEs.
func (b *WifiMultiUEBackend) NumUEs() int { return b.cfg.NUEs }

// MaxPacketSize returns WifiMaxPacketSize: netgym does not fragment.
func (b *WifiMultiUEBackend) MaxPacketSize() int { return WifiMaxPacketSize }

// DefaultPacketSize returns the configured PacketSize (--pkt-size).
func (b *WifiMultiUEBackend) DefaultPacketSize() int { return b.cfg.PacketSize }

// Config returns the configuration, with Distances expanded to one value
// per UE.
func (b *WifiMultiUEBackend) Config() WifiMultiUEConfig {
	c := b.cfg
	c.Distances = append([]float64(nil), b.cfg.Distances...)
	return c
}

// Run returns the run number of the current episode: cfg.Run, plus one
// for every Reset.
func (b *WifiMultiUEBackend) Run() uint64 { return b.run }

// Now returns the simulated time.
func (b *WifiMultiUEBackend) Now() sim.Time { return b.s.Now() }

// Clock returns the step clock of the current episode.
func (b *WifiMultiUEBackend) Clock() StepClock { return b.clock }

// IsAssociated reports whether UE ue's station is associated with the AP
// (false for a UE out of range).
func (b *WifiMultiUEBackend) IsAssociated(ue int) bool {
	if ue < 0 || ue >= b.cfg.NUEs {
		return false
	}
	return b.net.Devices[1+ue].Mac().IsAssociated()
}

// AssociationTimes returns the simulated times at which UE ue's station
// associated in the current episode, oldest first (nil for a UE out of
// range).
func (b *WifiMultiUEBackend) AssociationTimes(ue int) []sim.Time {
	if ue < 0 || ue >= b.cfg.NUEs {
		return nil
	}
	return b.net.Devices[1+ue].Mac().AssociationTimes()
}

// InFlight returns the number of packets sent and neither received nor
// forgotten yet (forgotten: sent more than 10 s of simulated time ago, when
// no layer can still deliver them).
func (b *WifiMultiUEBackend) InFlight() int { return b.inFlight.len() }

// Transmit schedules UE ue's packet of step at the step's send time (1 ns
// from now if that time has passed) with a payload of max(size, 8) bytes.
func (b *WifiMultiUEBackend) Transmit(ue int, step uint32, size int) error {
	if ue < 0 || ue >= b.cfg.NUEs {
		return fmt.Errorf("ue_id %d out of range [0,%d)", ue, b.cfg.NUEs)
	}
	if size < 0 || size > WifiMaxPacketSize {
		return fmt.Errorf("wifi multi-UE: size %d out of range [0,%d]", size, WifiMaxPacketSize)
	}
	at, err := b.clock.SendTime(step, b.s.Now())
	if err != nil {
		return err
	}
	ms := b.sends.Get()
	*ms = multiUESend{ue: ue, step: step, size: size}
	if _, err := b.s.ScheduleAtWith(at, b.sendFn, ms); err != nil {
		b.sends.Put(ms)
		return err
	}
	return nil
}

// Flush runs the simulation to the end of step's window (if that is later
// than now) and returns the packets the AP received meanwhile, in receive
// order. The slice is reused by the next call.
func (b *WifiMultiUEBackend) Flush(step uint32) ([]Arrival, error) {
	end, err := b.clock.FlushEnd(step)
	if err != nil {
		return nil, err
	}
	b.arrivals = b.arrivals[:0]
	b.s.RunUntil(end)
	b.inFlight.prune(b.s.Now())
	return b.arrivals, nil
}

// Reset rebuilds the scenario from scratch, warm-up included, with the next
// run number, so episodes differ while a session replays identically. It
// also clears the views' flush cache and pending reset requests.
func (b *WifiMultiUEBackend) Reset() error {
	b.run++
	if err := b.build(); err != nil {
		b.run--
		return err
	}
	b.lastFlushed = -1
	b.resetMarks = 0
	for _, v := range b.views {
		v.ids = v.ids[:0]
		v.resetAsked = false
	}
	return nil
}

// UE returns the CommChannel view of UE ue.
func (b *WifiMultiUEBackend) UE(ue int) (*WifiUEChannel, error) {
	if ue < 0 || ue >= len(b.views) {
		return nil, fmt.Errorf("ue_id %d out of range [0,%d)", ue, len(b.views))
	}
	return b.views[ue], nil
}

// Views returns the CommChannel views of every UE, UE i at index i (a new
// slice of the backend's views: each UE has exactly one view).
func (b *WifiMultiUEBackend) Views() []*WifiUEChannel {
	return append([]*WifiUEChannel(nil), b.views...)
}

// Factory returns a ChannelFactory for CentralNode that hands out the views
// of UE 0, 1, ... in turn, as NetRL's make_multi_ue_wifi_factory: node i
// of a CentralNode with NUEs nodes gets UE i. The seed is ignored (the
// backend's Seed drives the one shared simulation); a call beyond the last
// UE is an error. Give the CentralNode exactly NUEs nodes: the backend
// resets only once every UE's view has reset.
func (b *WifiMultiUEBackend) Factory() ChannelFactory {
	next := 0
	return func(int64) (CommChannel, error) {
		if next >= len(b.views) {
			return nil, fmt.Errorf("wifi multi-UE: factory called for UE %d but the backend has %d UEs (use one node per UE)",
				next, len(b.views))
		}
		v := b.views[next]
		next++
		return v, nil
	}
}

// flushViews is the views' shared flush (NetRL's NS3WifiMultiUEBackend.flush):
// the first call for a step advances the simulation and sorts the arrivals
// into every view's list; later calls for the same step reuse them; a step
// before the cached one returns false (nothing arrives).
func (b *WifiMultiUEBackend) flushViews(step uint32) (bool, error) {
	switch s := int64(step); {
	case s == b.lastFlushed:
		return true, nil
	case s < b.lastFlushed:
		return false, nil
	}
	arr, err := b.Flush(step)
	if err != nil {
		return false, err
	}
	for _, v := range b.views {
		v.ids = v.ids[:0]
	}
	for _, a := range arr {
		if a.UE >= 0 && a.UE < len(b.views) {
			v := b.views[a.UE]
			v.ids = append(v.ids, a.Step)
		}
	}
	b.lastFlushed = int64(step)
	return true, nil
}

// requestReset records view v's reset and resets the backend once every
// view asked (NetRL's request_reset).
func (b *WifiMultiUEBackend) requestReset(v *WifiUEChannel) error {
	if !v.resetAsked {
		v.resetAsked = true
		b.resetMarks++
	}
	if b.resetMarks < len(b.views) {
		return nil
	}
	return b.Reset()
}

// WifiUEChannel is the CommChannel of one UE of a WifiMultiUEBackend
// (NetRL's NS3WifiUEChannel): Transmit sends from its UE; the first Flush
// of a step by any view of the backend advances the shared simulation and
// caches the arrivals of every UE, and each view's Flush returns its own
// UE's step ids from that cache; a Flush of an earlier step than the cached
// one returns nothing; the backend resets once every view has called Reset
// (a view that resets twice counts once). Get views from the backend's UE,
// Views or Factory. Drive a backend either through its views or directly
// (Transmit, Flush, as Serve does), not both: a direct Flush bypasses the
// views' cache.
type WifiUEChannel struct {
	b          *WifiMultiUEBackend
	ue         int
	ids        []uint32 // this UE's ids of the cached flush
	resetAsked bool
}

// UE returns the view's UE index.
func (c *WifiUEChannel) UE() int { return c.ue }

// Backend returns the shared backend.
func (c *WifiUEChannel) Backend() *WifiMultiUEBackend { return c.b }

// Transmit sends the UE's packet of step with a payload of max(size, 8)
// bytes.
func (c *WifiUEChannel) Transmit(step uint32, size int) error {
	return c.b.Transmit(c.ue, step, size)
}

// Flush returns the step ids of this UE's packets that the AP received
// during step's window, in receive order; the first Flush of a step among
// all the backend's views advances the simulation. The slice is reused by
// the next Flush of a later step through any view of the backend, and by
// Reset.
func (c *WifiUEChannel) Flush(step uint32) ([]uint32, error) {
	ok, err := c.b.flushViews(step)
	if err != nil || !ok {
		return nil, err
	}
	return c.ids, nil
}

// Reset asks for a new episode: the backend rebuilds its scenario once
// every UE's view has called Reset since the last rebuild; until then this
// does nothing. It returns the rebuild's error, if any.
func (c *WifiUEChannel) Reset() error { return c.b.requestReset(c) }
