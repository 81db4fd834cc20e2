// Package wifirelay is a netgym simulation that carries values both ways
// across an 802.11a link, stepped from outside as an agentlink.Stepper: a
// co-simulation puts it between a physics engine and a controller engine
// (NRP-core style) so that observations and actions arrive late, or not
// at all, as the radio decides.
//
// Node 0 (the plant side) and node 1 (the controller side) stand Distance
// metres apart in ad-hoc 802.11a with ns-3's defaults and the shadowing of
// netgym's rl-wifi example. Setting "uplink/in" sends the value from node 0
// to node 1 in one UDP packet of the value's encoded size (spaces.Encode);
// when it arrives, "uplink/out" holds it. "downlink/in" and "downlink/out"
// go the other way. As in channelif, only sizes and packet ids travel
// through the simulation; the values wait on the Go side, keyed by packet
// id.
package wifirelay

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/propagation"
	"github.com/netgym/netgym/spaces"
)

// Config configures the relay.
type Config struct {
	Distance float64 // metres between the two nodes (10)
	// ShadowingSigma is the standard deviation (dB) of a normal loss drawn
	// for every frame on top of LogDistance, as in rl-wifi (4).
	ShadowingSigma float64
	TxPowerDbm     float64 // transmit power (ns-3's 16.0206 dBm)
	Retries        int     // most transmissions of a frame (ns-3's 7)
	Seed           uint64  // simulation seed (1)
	// UplinkSize and DownlinkSize are the numbers of float64 elements of
	// the values each way (4 and 1: a CartPole state and an action).
	UplinkSize, DownlinkSize int
	// End ends the episode (0: never).
	End sim.Time
}

// DefaultConfig returns 10 m, 4 dB shadowing, ns-3's power and retry
// limit, 4 elements up and 1 down, no end.
func DefaultConfig() Config {
	return Config{Distance: 10, ShadowingSigma: 4, TxPowerDbm: 16.0206, Retries: 7, Seed: 1,
		UplinkSize: 4, DownlinkSize: 1}
}

// maxElems keeps a value in one 802.11 frame (8 bytes per element).
const maxElems = 250

// Validate reports the first unusable setting.
func (c Config) Validate() error {
	switch {
	case !(c.Distance >= 0) || math.IsInf(c.Distance, 0):
		return fmt.Errorf("wifirelay: Distance %v must be a non-negative number of metres", c.Distance)
	case !(c.ShadowingSigma >= 0) || math.IsInf(c.ShadowingSigma, 0):
		return fmt.Errorf("wifirelay: ShadowingSigma %v must be a non-negative number of dB", c.ShadowingSigma)
	case math.IsNaN(c.TxPowerDbm) || math.IsInf(c.TxPowerDbm, 0):
		return fmt.Errorf("wifirelay: TxPowerDbm %v is not a number", c.TxPowerDbm)
	case c.Retries < 1:
		return fmt.Errorf("wifirelay: Retries %d must be at least 1", c.Retries)
	case c.UplinkSize < 1 || c.UplinkSize > maxElems:
		return fmt.Errorf("wifirelay: UplinkSize %d must lie in [1, %d]", c.UplinkSize, maxElems)
	case c.DownlinkSize < 1 || c.DownlinkSize > maxElems:
		return fmt.Errorf("wifirelay: DownlinkSize %d must lie in [1, %d]", c.DownlinkSize, maxElems)
	case c.End < 0:
		return fmt.Errorf("wifirelay: End %v must not be negative", c.End)
	}
	return nil
}

// Directions of the relay, and the fields of each: "<direction>/<field>".
const (
	Uplink   = "uplink"   // node 0 to node 1
	Downlink = "downlink" // node 1 to node 0

	FieldIn       = "in"        // settable: sending a value
	FieldOut      = "out"       // the value that arrived last (nil before the first)
	FieldSent     = "sent"      // values sent in the episode (Box of one uint32)
	FieldReceived = "received"  // values arrived
	FieldLatency  = "latency_s" // latency of the value that arrived last, seconds
)

const (
	uplinkPort   = 9
	downlinkPort = 10
	// pendingLimit bounds the values kept for packets in flight: lost
	// packets leave theirs behind, the oldest go first.
	pendingLimit = 1024
)

type message struct {
	v    spaces.Value
	sent sim.Time
}

// link is one direction.
type link struct {
	name      string
	space     *spaces.Box
	tx        *inet.UDPSocket
	pool      *packet.Pool
	pending   map[uint64]message
	order     []uint64
	out       spaces.Value
	sentN     uint64
	receivedN uint64
	latency   sim.Time
	s         *sim.Simulator
}

func (l *link) send(v spaces.Value) error {
	size, err := spaces.EncodedSize(v)
	if err != nil {
		return err
	}
	p := l.pool.New(size)
	uid := p.UID()
	if err := l.tx.SendPacket(p); err != nil {
		p.Release()
		return fmt.Errorf("wifirelay: sending on %s: %w", l.name, err)
	}
	l.sentN++
	l.pending[uid] = message{v: spaces.Clone(v), sent: l.s.Now()}
	l.order = append(l.order, uid)
	if len(l.order) > pendingLimit {
		delete(l.pending, l.order[0])
		l.order = l.order[1:]
	}
	return nil
}

func (l *link) receive(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
	m, ok := l.pending[p.UID()]
	if !ok {
		return
	}
	delete(l.pending, p.UID())
	l.out = m.v
	l.receivedN++
	l.latency = l.s.Now() - m.sent
}

// Relay is the relay as an agentlink.Stepper.
type Relay struct {
	cfg     Config
	s       *sim.Simulator
	net     *mac80211.Network
	links   [2]*link
	data    []agentlink.DataSpec
	counter *spaces.Box
	seconds *spaces.Box
}

var _ agentlink.Stepper = (*Relay)(nil)

// New returns the relay's first episode, built with cfg.Seed and run.
func New(cfg Config, run uint64) (*Relay, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := &Relay{cfg: cfg}
	var err error
	if r.counter, err = spaces.NewBox(0, math.MaxUint32, []int{1}, spaces.Uint); err != nil {
		return nil, err
	}
	if r.seconds, err = spaces.NewBox(0, math.Inf(1), []int{1}, spaces.Double); err != nil {
		return nil, err
	}
	up, err := spaces.NewBox(math.Inf(-1), math.Inf(1), []int{cfg.UplinkSize}, spaces.Double)
	if err != nil {
		return nil, err
	}
	down, err := spaces.NewBox(math.Inf(-1), math.Inf(1), []int{cfg.DownlinkSize}, spaces.Double)
	if err != nil {
		return nil, err
	}
	for _, d := range []struct {
		name  string
		space *spaces.Box
	}{{Uplink, up}, {Downlink, down}} {
		r.data = append(r.data,
			agentlink.DataSpec{Name: d.name + "/" + FieldIn, Space: d.space, Settable: true},
			agentlink.DataSpec{Name: d.name + "/" + FieldOut, Space: d.space},
			agentlink.DataSpec{Name: d.name + "/" + FieldSent, Space: r.counter},
			agentlink.DataSpec{Name: d.name + "/" + FieldReceived, Space: r.counter},
			agentlink.DataSpec{Name: d.name + "/" + FieldLatency, Space: r.seconds},
		)
	}
	r.links[0] = &link{name: Uplink, space: up}
	r.links[1] = &link{name: Downlink, space: down}
	if err := r.Reset(cfg.Seed, run); err != nil {
		return nil, err
	}
	return r, nil
}

// Reset implements agentlink.Stepper: a fresh network, nothing in flight.
func (r *Relay) Reset(seed, run uint64) error {
	s := sim.New(seed, run)
	nc := mac80211.DefaultNetworkConfig()
	nc.Phy.TxPowerDbm = r.cfg.TxPowerDbm
	nc.Mac.RetryLimit, nc.Mac.LongRetryLimit = r.cfg.Retries, r.cfg.Retries
	nc.StaticARP = true // the first value is not held up by ARP
	if r.cfg.ShadowingSigma > 0 {
		nc.Medium.Loss = propagation.NewChain(propagation.DefaultLogDistance(),
			&propagation.Random{Loss: distuv.Normal{Mu: 0, Sigma: r.cfg.ShadowingSigma, Src: s.Stream("wifirelay/shadowing")}})
	}
	w, err := mac80211.NewNetwork(s, nc, []mobility.Vector{{}, {X: r.cfg.Distance}})
	if err != nil {
		return fmt.Errorf("wifirelay: %w", err)
	}
	for i, l := range r.links {
		from, to, port := 0, 1, uint16(uplinkPort)
		if i == 1 {
			from, to, port = 1, 0, downlinkPort
		}
		rx := w.Nodes[to].NewUDPSocket()
		if err := rx.Bind(port); err != nil {
			return fmt.Errorf("wifirelay: %w", err)
		}
		rx.SetRecvCallback(l.receive)
		tx := w.Nodes[from].NewUDPSocket()
		if err := tx.Connect(w.Addr(to), port); err != nil {
			return fmt.Errorf("wifirelay: %w", err)
		}
		*l = link{name: l.name, space: l.space, tx: tx, pool: w.Inet.Pool(), pending: map[uint64]message{}, s: s}
	}
	r.s, r.net = s, w
	return nil
}

// Network returns the current episode's 802.11a network.
func (r *Relay) Network() *mac80211.Network { return r.net }

// Advance implements agentlink.Stepper.
func (r *Relay) Advance(dt sim.Time) error {
	if dt < 0 {
		return fmt.Errorf("wifirelay: Advance by %v: dt must not be negative", dt)
	}
	if r.Done() {
		return rl.ErrEpisodeDone
	}
	target := r.s.Now() + dt
	if target < r.s.Now() {
		target = sim.MaxTime
	}
	if r.cfg.End > 0 && target > r.cfg.End {
		target = r.cfg.End
	}
	for r.s.Now() < target {
		r.s.RunUntil(target)
	}
	return nil
}

// Now implements agentlink.Stepper.
func (r *Relay) Now() sim.Time { return r.s.Now() }

// Done implements agentlink.Stepper: the end time is reached (never
// without one).
func (r *Relay) Done() bool { return r.cfg.End > 0 && r.s.Now() >= r.cfg.End }

// Data implements agentlink.Stepper: for the uplink then the downlink, in,
// out, sent, received and latency_s.
func (r *Relay) Data() []agentlink.DataSpec { return slices.Clone(r.data) }

func (r *Relay) lookup(name string) (*link, string, error) {
	dir, field, ok := strings.Cut(name, "/")
	var l *link
	switch dir {
	case Uplink:
		l = r.links[0]
	case Downlink:
		l = r.links[1]
	}
	if !ok || l == nil {
		return nil, "", r.unknown(name)
	}
	return l, field, nil
}

func (r *Relay) unknown(name string) error {
	names := make([]string, len(r.data))
	for i, d := range r.data {
		names[i] = d.Name
	}
	return fmt.Errorf("wifirelay: no datum %q (data: %s)", name, strings.Join(names, ", "))
}

// Get implements agentlink.Stepper; "in" reads as nil.
func (r *Relay) Get(name string) (spaces.Value, error) {
	l, field, err := r.lookup(name)
	if err != nil {
		return nil, err
	}
	switch field {
	case FieldIn:
		return nil, nil
	case FieldOut:
		return l.out, nil
	case FieldSent:
		return spaces.UintBox(uint32(min(l.sentN, math.MaxUint32))), nil
	case FieldReceived:
		return spaces.UintBox(uint32(min(l.receivedN, math.MaxUint32))), nil
	case FieldLatency:
		return spaces.DoubleBox(l.latency.Seconds()), nil
	}
	return nil, r.unknown(name)
}

// Set implements agentlink.Stepper: setting "in" sends the value now (nil
// sends nothing).
func (r *Relay) Set(name string, v spaces.Value) error {
	l, field, err := r.lookup(name)
	if err != nil {
		return err
	}
	if field != FieldIn {
		if field == FieldOut || field == FieldSent || field == FieldReceived || field == FieldLatency {
			return fmt.Errorf("wifirelay: datum %q is read-only", name)
		}
		return r.unknown(name)
	}
	if v == nil {
		return nil
	}
	if err := l.space.Contains(v); err != nil {
		return fmt.Errorf("wifirelay: datum %q: %w", name, err)
	}
	return l.send(v)
}
