package apps

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// PacketSinkConfig configures a PacketSink: ns-3's PacketSink attributes
// for UDP (src/applications/model/packet-sink.cc).
type PacketSinkConfig struct {
	// Local and Port are what the socket binds to (ns-3's Local): 0.0.0.0
	// receives on every address of the node. Port is required.
	Local inet.IPv4Addr
	Port  uint16
}

// Validate reports a configuration the sink cannot run with.
func (c PacketSinkConfig) Validate() error {
	if c.Port == 0 {
		return errors.New("apps: PacketSink Port must be set")
	}
	return nil
}

// SinkStats counts what a PacketSink received.
type SinkStats struct {
	RxPackets uint64 // datagrams received
	// RxBytes is the payload bytes received: ns-3's GetTotalRx.
	RxBytes uint64
	// FirstRx and LastRx are the arrival times of the first and the last
	// datagram (0 before any).
	FirstRx, LastRx sim.Time
}

// SourceStats counts what a PacketSink received from one source address
// and port.
type SourceStats struct {
	From     inet.IPv4Addr
	FromPort uint16
	SinkStats
}

// Throughput returns the source's payload bits per second between its
// first and last datagram (0 with fewer than two).
func (s SourceStats) Throughput() float64 { return s.SinkStats.Throughput() }

// Throughput returns payload bits per second between the first and the
// last datagram (0 with fewer than two): the figure ns-3 scripts compute
// from GetTotalRx.
func (s SinkStats) Throughput() float64 {
	if s.RxPackets < 2 || s.LastRx <= s.FirstRx {
		return 0
	}
	return float64(s.RxBytes*8) / (s.LastRx - s.FirstRx).Seconds()
}

type sourceKey struct {
	addr inet.IPv4Addr
	port uint16
}

// PacketSink is ns-3's PacketSink for UDP: it binds a socket at its start
// and counts what arrives, in total and per source (address and port),
// until its stop. A zero-byte datagram is not counted, as in ns-3 (which
// takes it for end of file). It allocates nothing per datagram, except
// once per new source.
type PacketSink struct {
	// OnRx is called for each datagram counted, with the payload
	// (borrowed) and where it came from: ns-3's Rx and RxWithAddresses
	// traces.
	OnRx func(p *packet.Packet, info inet.RecvInfo)

	lifecycle
	cfg     PacketSinkConfig
	sock    *inet.UDPSocket
	stats   SinkStats
	sources map[sourceKey]*SourceStats
	order   []*SourceStats
	lastKey sourceKey
	last    *SourceStats
	err     error
}

// NewPacketSink returns a sink on node n; it binds its socket when it
// starts. A configuration error, or a port that another socket of the
// node already holds, is returned now.
func NewPacketSink(n *inet.Node, cfg PacketSinkConfig) (*PacketSink, error) {
	if n == nil {
		return nil, errors.New("apps: NewPacketSink needs a node")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkPort(n, cfg.Local, cfg.Port); err != nil {
		return nil, err
	}
	k := &PacketSink{cfg: cfg, sources: make(map[sourceKey]*SourceStats)}
	k.lifecycle.init(n, 0, "", k.startApplication, k.stopApplication)
	return k, nil
}

// Start schedules the sink's start (socket bound) at absolute time at; a
// time before now is an error. A sink has no start jitter.
func (k *PacketSink) Start(at sim.Time) error { return k.lifecycle.start(at) }

// Stop schedules its stop (socket closed) at absolute time at.
func (k *PacketSink) Stop(at sim.Time) error { return k.lifecycle.stop(at) }

// Stats returns the totals.
func (k *PacketSink) Stats() SinkStats { return k.stats }

// TotalRx returns the payload bytes received (ns-3's GetTotalRx).
func (k *PacketSink) TotalRx() uint64 { return k.stats.RxBytes }

// Sources returns the counters per source, in order of first arrival (a
// new slice).
func (k *PacketSink) Sources() []SourceStats {
	out := make([]SourceStats, len(k.order))
	for i, s := range k.order {
		out[i] = *s
	}
	return out
}

// Source returns the counters of one source address and port.
func (k *PacketSink) Source(from inet.IPv4Addr, port uint16) (SourceStats, bool) {
	s, ok := k.sources[sourceKey{from, port}]
	if !ok {
		return SourceStats{}, false
	}
	return *s, true
}

// SourcesByAddress returns the counters summed per source address (every
// port), sorted by address.
func (k *PacketSink) SourcesByAddress() []SourceStats {
	var out []SourceStats
	for _, s := range k.order {
		i := slices.IndexFunc(out, func(o SourceStats) bool { return o.From == s.From })
		if i < 0 {
			out = append(out, SourceStats{From: s.From, SinkStats: s.SinkStats})
			continue
		}
		o := &out[i]
		o.RxPackets += s.RxPackets
		o.RxBytes += s.RxBytes
		o.FirstRx = min(o.FirstRx, s.FirstRx)
		o.LastRx = max(o.LastRx, s.LastRx)
	}
	slices.SortFunc(out, func(a, b SourceStats) int { return cmp.Compare(a.From, b.From) })
	return out
}

// Socket returns the sink's socket (nil before it starts).
func (k *PacketSink) Socket() *inet.UDPSocket { return k.sock }

// Err returns why the sink could not start, or nil.
func (k *PacketSink) Err() error { return k.err }

func (k *PacketSink) startApplication() {
	k.startEv = sim.EventID{}
	if k.stopped || k.sock != nil {
		return
	}
	k.started = true
	sock := k.node.NewUDPSocket()
	if err := sock.BindAddr(k.cfg.Local, k.cfg.Port); err != nil {
		k.err = fmt.Errorf("apps: PacketSink on node %d cannot start: %w", k.node.ID(), err)
		k.stopped = true
		return
	}
	sock.SetRecvCallback(k.receive)
	k.sock = sock
}

func (k *PacketSink) stopApplication() {
	k.sim.Cancel(k.startEv)
	if k.sock != nil && !k.stopped {
		_ = k.sock.Close()
	}
	k.stopped = true
}

func (k *PacketSink) receive(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
	n := p.Size()
	if n == 0 {
		return
	}
	now := k.sim.Now()
	count(&k.stats, n, now)
	key := sourceKey{info.From, info.FromPort}
	if k.last == nil || key != k.lastKey {
		s := k.sources[key]
		if s == nil {
			s = &SourceStats{From: info.From, FromPort: info.FromPort}
			k.sources[key] = s
			k.order = append(k.order, s)
		}
		k.last, k.lastKey = s, key
	}
	count(&k.last.SinkStats, n, now)
	if k.OnRx != nil {
		k.OnRx(p, info)
	}
}

func count(s *SinkStats, n int, now sim.Time) {
	if s.RxPackets == 0 {
		s.FirstRx = now
	}
	s.RxPackets++
	s.RxBytes += uint64(n)
	s.LastRx = now
}
