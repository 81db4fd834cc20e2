// Package flowmon is ns-3's FlowMonitor for netgym: it classifies the
// IPv4 packets nodes send into flows by their 5-tuple and measures each
// flow end to end: packets and bytes sent and received, lost packets,
// delay (sum, mean, minimum, maximum), jitter, times forwarded, and the
// delay, jitter, packet-size and flow-interruption histograms, with ns-3
// 3.37's definitions and defaults (src/flow-monitor/model/flow-monitor.cc,
// ipv4-flow-probe.cc, ipv4-flow-classifier.cc).
//
// A Monitor attaches an inet.IPv4Probe to every node it is installed on
// (InstallAll for every node of an inet.Network, Install for chosen ones),
// whatever their devices: point-to-point links, 802.11, tunnels, NR and
// the EPC's nodes. As ns-3's Ipv4FlowProbe:
//
//   - A packet is counted as sent when a monitored node originates it
//     (SendOutgoing, before ARP), if it is unicast UDP (TCP once netgym
//     has it); it is tagged with its flow, so that other monitored nodes
//     recognise it. A packet that already carries the tag (a tunnel
//     re-sending it inside another header) is not counted again; so an
//     application that answers with a copy of the packet it received
//     (p.Copy keeps tags) must send a new packet instead, as ns-3's
//     UdpEchoServer strips the tags (apps.UDPEchoServer does).
//   - It is counted as forwarded by every monitored router, and as
//     received by the monitored node it is delivered to (LocalDeliver,
//     before the socket lookup), if its IPv4 source and destination are
//     still those of its flow (so the outer header of a tunnel is not
//     mistaken for it). Its delay is the time from sent to received.
//   - Jitter is ns-3's: the absolute difference between the delays of
//     consecutive received packets, summed (JitterSum) and binned.
//   - A packet is lost when IPv4 drops it for a reason ns-3's probe hears
//     (no route, TTL expired, forwarding refused, interface down; netgym
//     adds MTU exceeded, as it does not fragment), with the reason code of
//     ns-3's Ipv4FlowProbe::DropReason, or when it is not seen again
//     within MaxPerHopDelay (10 s) of the last node that saw it. ns-3
//     checks the latter once a second from the monitor's creation and when
//     asked (CheckForLostPackets); netgym computes the same outcome
//     without scheduling an event, so installing a monitor changes no
//     event of the simulation. Drops that ns-3's probe does not hear (ARP,
//     a full device queue, which ns-3's traffic-control layer drops
//     without a trace the probe connects to; 802.11 retry limits) are lost
//     by the 10 s rule, as in ns-3.
//
// The figures are ns-3's for the same run: flowmon's tests compare them
// with ns-3 3.37's FlowMonitor on a point-to-point topology
// (bench/ns3/flowmon-p2p.cc). Differences: packet ids are the packets'
// netgym uids rather than a per-flow counter (they are not reported); the
// per-probe statistics and DSCP counts of ns-3's XML are not kept; MinDelay
// and MaxDelay are netgym's additions.
//
// Results come out as Flows (Go values), JSON (WriteJSON, with the
// histograms), CSV (WriteCSV) and a printout (WriteSummary). The hot path
// allocates nothing per packet: flows are found by a map lookup (one
// allocation per new flow), in-flight packets sit in a per-flow ring, and
// the tag is the flow itself.
package flowmon

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// Config configures a Monitor; the defaults are ns-3 3.37's FlowMonitor
// attributes.
type Config struct {
	// MaxPerHopDelay: a packet not seen again within this time of the
	// last node that saw it is lost. ns-3: 10 s.
	MaxPerHopDelay sim.Time
	// DelayBinWidth and JitterBinWidth are the bin widths of the delay
	// and jitter histograms, in seconds. ns-3: 0.001.
	DelayBinWidth, JitterBinWidth float64
	// PacketSizeBinWidth is the bin width of the packet-size histogram,
	// in bytes. ns-3: 20.
	PacketSizeBinWidth float64
	// FlowInterruptionsBinWidth is the bin width, in seconds, of the
	// histogram of inter-arrival times longer than
	// FlowInterruptionsMinTime. ns-3: 0.25 and 0.5 s.
	FlowInterruptionsBinWidth float64
	FlowInterruptionsMinTime  sim.Time
}

// DefaultConfig returns ns-3's defaults.
func DefaultConfig() Config {
	return Config{
		MaxPerHopDelay:            10 * sim.Second,
		DelayBinWidth:             0.001,
		JitterBinWidth:            0.001,
		PacketSizeBinWidth:        20,
		FlowInterruptionsBinWidth: 0.25,
		FlowInterruptionsMinTime:  500 * sim.Millisecond,
	}
}

// Validate reports a configuration the monitor cannot use.
func (c Config) Validate() error {
	if c.MaxPerHopDelay <= 0 || c.MaxPerHopDelay > sim.MaxTime/4 {
		return fmt.Errorf("flowmon: MaxPerHopDelay %v must be positive (ns-3: 10s)", c.MaxPerHopDelay)
	}
	if c.FlowInterruptionsMinTime < 0 {
		return fmt.Errorf("flowmon: FlowInterruptionsMinTime %v is negative", c.FlowInterruptionsMinTime)
	}
	for _, w := range []struct {
		name string
		v    float64
	}{{"DelayBinWidth", c.DelayBinWidth}, {"JitterBinWidth", c.JitterBinWidth},
		{"PacketSizeBinWidth", c.PacketSizeBinWidth}, {"FlowInterruptionsBinWidth", c.FlowInterruptionsBinWidth}} {
		if !(w.v > 0) || math.IsInf(w.v, 1) {
			return fmt.Errorf("flowmon: %s %g must be positive and finite", w.name, w.v)
		}
	}
	return nil
}

// FlowID numbers flows from 1 in the order they are first seen, as ns-3.
type FlowID uint32

// FiveTuple identifies a flow: ns-3's Ipv4FlowClassifier::FiveTuple.
type FiveTuple struct {
	Src, Dst         inet.IPv4Addr
	Protocol         uint8
	SrcPort, DstPort uint16
}

// String formats the tuple as "10.1.1.1:49153 > 10.1.2.2:9 UDP".
func (t FiveTuple) String() string {
	proto := fmt.Sprintf("proto %d", t.Protocol)
	switch t.Protocol {
	case inet.ProtoUDP:
		proto = "UDP"
	case inet.ProtoTCP:
		proto = "TCP"
	}
	return fmt.Sprintf("%v:%d > %v:%d %s", t.Src, t.SrcPort, t.Dst, t.DstPort, proto)
}

// DropReason is ns-3's Ipv4FlowProbe::DropReason: the index of a flow's
// PacketsDropped and BytesDropped.
type DropReason uint32

// Drop reasons, ns-3's codes first.
const (
	DropNoRoute         DropReason = iota // no route to the destination
	DropTTLExpire                         // TTL reached zero while forwarding
	DropBadChecksum                       // never in netgym (checksums are not modelled)
	DropQueue                             // a device queue (ns-3: only without traffic control)
	DropQueueDisc                         // a queue disc (netgym has none)
	DropInterfaceDown                     // the device refused the packet (link down, ...)
	DropRouteError                        // forwarding refused (forwarding disabled)
	DropFragmentTimeout                   // never in netgym (no fragmentation)
	DropInvalidReason                     // ns-3's fallback code
	DropMTUExceeded                       // netgym: larger than the link MTU (no fragmentation)
)

var dropReasonNames = [...]string{"NoRoute", "TtlExpire", "BadChecksum", "Queue", "QueueDisc",
	"InterfaceDown", "RouteError", "FragmentTimeout", "InvalidReason", "MTUExceeded"}

// String returns the reason's name, e.g. "NoRoute".
func (r DropReason) String() string {
	if int(r) < len(dropReasonNames) {
		return dropReasonNames[r]
	}
	return fmt.Sprintf("DropReason(%d)", uint32(r))
}

// dropReason maps an inet drop to ns-3's flow-probe code; ok is false for
// the drops ns-3's probe does not hear.
func dropReason(r inet.DropReason) (DropReason, bool) {
	switch r {
	case inet.DropNoRoute:
		return DropNoRoute, true
	case inet.DropTTLExpired:
		return DropTTLExpire, true
	case inet.DropNotForwarding:
		return DropRouteError, true
	case inet.DropDeviceError:
		return DropInterfaceDown, true
	case inet.DropMTUExceeded:
		return DropMTUExceeded, true
	}
	return 0, false
}

// FlowStats is what the monitor measures of one flow: ns-3's
// FlowMonitor::FlowStats, plus MinDelay and MaxDelay. Sizes are IP packet
// sizes (IPv4 header included), as ns-3's.
type FlowStats struct {
	TimeFirstTxPacket sim.Time // when the first packet was sent
	TimeFirstRxPacket sim.Time // when the first packet was received (0: none yet)
	TimeLastTxPacket  sim.Time
	TimeLastRxPacket  sim.Time
	// DelaySum is the sum of the delays of the received packets.
	DelaySum sim.Time
	// JitterSum is the sum of |delay(i) - delay(i-1)| over consecutive
	// received packets.
	JitterSum sim.Time
	// LastDelay is the delay of the last packet received.
	LastDelay sim.Time
	// MinDelay and MaxDelay bound the delays (netgym's; 0 with no packet
	// received).
	MinDelay, MaxDelay   sim.Time
	TxBytes, RxBytes     uint64
	TxPackets, RxPackets uint64
	// LostPackets counts packets dropped (PacketsDropped) or not seen
	// within MaxPerHopDelay.
	LostPackets uint64
	// TimesForwarded sums, over the received packets, how many monitored
	// routers forwarded each.
	TimesForwarded uint64
	// DelayHistogram, JitterHistogram (seconds), PacketSizeHistogram
	// (bytes of the received packets) and FlowInterruptionsHistogram
	// (inter-arrival times above FlowInterruptionsMinTime, seconds).
	DelayHistogram             Histogram
	JitterHistogram            Histogram
	PacketSizeHistogram        Histogram
	FlowInterruptionsHistogram Histogram
	// PacketsDropped and BytesDropped count drops by DropReason, as long
	// as the largest reason seen (ns-3's vectors).
	PacketsDropped, BytesDropped []uint64
}

// MeanDelay returns DelaySum / RxPackets (0 without packets received).
func (s *FlowStats) MeanDelay() sim.Time {
	if s.RxPackets == 0 {
		return 0
	}
	return sim.Time(math.Round(float64(s.DelaySum) / float64(s.RxPackets)))
}

// MeanJitter returns JitterSum / (RxPackets - 1), ns-3's definition (0
// with fewer than two packets received).
func (s *FlowStats) MeanJitter() sim.Time {
	if s.RxPackets < 2 {
		return 0
	}
	return sim.Time(math.Round(float64(s.JitterSum) / float64(s.RxPackets-1)))
}

// Throughput returns the received bits per second from the first packet
// sent to the last received, the figure ns-3's flow-monitor examples
// print: RxBytes x 8 / (TimeLastRxPacket - TimeFirstTxPacket). 0 without
// packets received.
func (s *FlowStats) Throughput() float64 {
	d := s.TimeLastRxPacket - s.TimeFirstTxPacket
	if s.RxPackets == 0 || d <= 0 {
		return 0
	}
	return float64(s.RxBytes) * 8 / d.Seconds()
}

// LossRatio returns LostPackets / TxPackets (0 before any packet).
func (s *FlowStats) LossRatio() float64 {
	if s.TxPackets == 0 {
		return 0
	}
	return float64(s.LostPackets) / float64(s.TxPackets)
}

func (s *FlowStats) clone() FlowStats {
	c := *s
	c.DelayHistogram = s.DelayHistogram.clone()
	c.JitterHistogram = s.JitterHistogram.clone()
	c.PacketSizeHistogram = s.PacketSizeHistogram.clone()
	c.FlowInterruptionsHistogram = s.FlowInterruptionsHistogram.clone()
	c.PacketsDropped = slices.Clone(s.PacketsDropped)
	c.BytesDropped = slices.Clone(s.BytesDropped)
	return c
}

// Flow is one flow's identity and statistics.
type Flow struct {
	ID    FlowID
	Tuple FiveTuple
	Stats FlowStats
}

// Monitor is ns-3's FlowMonitor with its Ipv4FlowClassifier and
// Ipv4FlowProbes. It belongs to one simulation and runs on its
// goroutine.
type Monitor struct {
	sim      *sim.Simulator
	cfg      Config
	created  sim.Time
	enabled  bool
	flows    []*flow // by id - 1
	byTuple  map[FiveTuple]*flow
	probes   map[*inet.Node]*probe
	startFn  func()
	stopFn   func()
	startEv  sim.EventID
	stopEv   sim.EventID
	lastFlow *flow
}

// New returns a monitor for s, enabled from now (ns-3's StartTime 0 at
// creation). Install it on nodes to measure their flows.
func New(s *sim.Simulator, cfg Config) (*Monitor, error) {
	if s == nil {
		return nil, errors.New("flowmon: New needs a simulator")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Monitor{sim: s, cfg: cfg, created: s.Now(), enabled: true,
		byTuple: make(map[FiveTuple]*flow), probes: make(map[*inet.Node]*probe)}
	m.startFn = func() { m.enabled = true }
	m.stopFn = func() {
		if m.enabled {
			m.enabled = false
			m.CheckForLostPackets()
		}
	}
	return m, nil
}

// Config returns the monitor's configuration.
func (m *Monitor) Config() Config { return m.cfg }

// Install attaches the monitor's probe to each node (ns-3's
// FlowMonitorHelper::Install). A node of another simulation, or one the
// monitor is already on, is an error.
func (m *Monitor) Install(nodes ...*inet.Node) error {
	for _, n := range nodes {
		if n == nil {
			return errors.New("flowmon: Install of a nil node")
		}
		if n.Sim() != m.sim {
			return fmt.Errorf("flowmon: node %d belongs to another simulation", n.ID())
		}
		if _, ok := m.probes[n]; ok {
			return fmt.Errorf("flowmon: already installed on node %d", n.ID())
		}
		p := &probe{m: m}
		if err := n.AddProbe(p); err != nil {
			return err
		}
		m.probes[n] = p
	}
	return nil
}

// InstallAll installs the monitor on every node of net (ns-3's
// FlowMonitorHelper::InstallAll); nodes it is already on are skipped.
// Nodes created later are not monitored: install them too.
func (m *Monitor) InstallAll(net *inet.Network) error {
	if net == nil {
		return errors.New("flowmon: InstallAll needs a network")
	}
	for _, n := range net.Nodes() {
		if _, ok := m.probes[n]; ok {
			continue
		}
		if err := m.Install(n); err != nil {
			return err
		}
	}
	return nil
}

// Uninstall detaches the monitor from every node; its statistics stay.
func (m *Monitor) Uninstall() {
	for n, p := range m.probes {
		n.RemoveProbe(p)
		delete(m.probes, n)
	}
}

// Start enables the monitor at absolute time at (ns-3's Start); Stop
// disables it at at and checks for lost packets then (ns-3's Stop).
// While disabled, packets are neither counted nor followed. A time before
// now is an error.
func (m *Monitor) Start(at sim.Time) error {
	ev, err := m.sim.ScheduleAt(at, m.startFn)
	if err != nil {
		return fmt.Errorf("flowmon: %w", err)
	}
	m.sim.Cancel(m.startEv)
	m.startEv = ev
	return nil
}

// Stop disables the monitor at absolute time at; see Start.
func (m *Monitor) Stop(at sim.Time) error {
	ev, err := m.sim.ScheduleAt(at, m.stopFn)
	if err != nil {
		return fmt.Errorf("flowmon: %w", err)
	}
	m.sim.Cancel(m.stopEv)
	m.stopEv = ev
	return nil
}

// Disable stops counting now; Enable resumes it now.
func (m *Monitor) Disable() { m.stopFn() }

// Enable resumes counting now.
func (m *Monitor) Enable() { m.enabled = true }

// NumFlows returns the number of flows seen so far.
func (m *Monitor) NumFlows() int { return len(m.flows) }

// Flows returns every flow, by id, with its statistics as of now (copies).
// Packets are counted lost as ns-3's once-a-second check would have by
// now; CheckForLostPackets applies the rule at this instant.
func (m *Monitor) Flows() []Flow {
	now := m.sim.Now()
	out := make([]Flow, len(m.flows))
	for i, f := range m.flows {
		f.expireAll(now)
		out[i] = Flow{ID: f.id, Tuple: f.tuple, Stats: f.stats.clone()}
	}
	return out
}

// Flow returns one flow by id.
func (m *Monitor) Flow(id FlowID) (Flow, bool) {
	if id == 0 || int(id) > len(m.flows) {
		return Flow{}, false
	}
	f := m.flows[id-1]
	f.expireAll(m.sim.Now())
	return Flow{ID: f.id, Tuple: f.tuple, Stats: f.stats.clone()}, true
}

// FindFlow returns the id of the flow with tuple t (ns-3's classifier in
// reverse), if it has been seen.
func (m *Monitor) FindFlow(t FiveTuple) (FlowID, bool) {
	f, ok := m.byTuple[t]
	if !ok {
		return 0, false
	}
	return f.id, true
}

// CheckForLostPackets counts as lost, now, every packet in flight that no
// node has seen for MaxPerHopDelay (ns-3's CheckForLostPackets()). The
// writers call it first, as ns-3's SerializeToXml does.
func (m *Monitor) CheckForLostPackets() { m.CheckForLostPacketsAfter(m.cfg.MaxPerHopDelay) }

// CheckForLostPacketsAfter is CheckForLostPackets with another delay
// (ns-3's CheckForLostPackets(maxDelay)).
func (m *Monitor) CheckForLostPacketsAfter(maxDelay sim.Time) {
	now := m.sim.Now()
	for _, f := range m.flows {
		f.expireAll(now)
		for i := f.head; i < len(f.ring); i++ {
			e := &f.ring[i]
			if !e.done && now-e.last >= maxDelay {
				e.done = true
				f.stats.LostPackets++
			}
		}
		f.compact()
	}
}

// firstCheckAfter returns the time of the first of ns-3's periodic checks
// (one second apart from the monitor's creation) that finds a packet last
// seen at last to be lost.
func (m *Monitor) firstCheckAfter(last sim.Time) sim.Time {
	need := last.Add(m.cfg.MaxPerHopDelay) - m.created
	k := int64(1)
	if need > sim.Second {
		k = int64((need + sim.Second - 1) / sim.Second)
	}
	return m.created.Add(sim.Time(k).Mul(int64(sim.Second)))
}

// lostBy reports whether ns-3's periodic check has declared a packet last
// seen at last lost by now, seen from an event at now: a check due at now
// has run (it was scheduled a second earlier than the event).
func (m *Monitor) lostBy(last, now sim.Time) bool { return m.firstCheckAfter(last) <= now }

// lostBefore is lostBy seen between runs, after RunUntil(now): the events
// at now, a check among them, have not run.
func (m *Monitor) lostBefore(last, now sim.Time) bool { return m.firstCheckAfter(last) < now }

// tracked is a packet in flight: ns-3's TrackedPacket, keyed by the
// packet's uid.
type tracked struct {
	uid         uint64
	first, last sim.Time
	forwarded   uint32
	done        bool
}

// flow is one flow and its packets in flight. It is also the tag the
// monitor puts on its packets.
type flow struct {
	m      *Monitor
	id     FlowID
	tuple  FiveTuple
	stats  FlowStats
	ring   []tracked // in order of first transmission, from head
	head   int
	sorted bool // uids increase along the ring: binary search works
}

// String describes the tag.
func (f *flow) String() string { return fmt.Sprintf("flowmon flow %d", f.id) }

var _ packet.Tag = (*flow)(nil)

// classify returns the flow of tuple t, creating it (ns-3's
// Ipv4FlowClassifier::Classify).
func (m *Monitor) classify(t FiveTuple) *flow {
	if f := m.lastFlow; f != nil && f.tuple == t {
		return f
	}
	f := m.byTuple[t]
	if f == nil {
		f = &flow{m: m, id: FlowID(len(m.flows) + 1), tuple: t, sorted: true}
		s := &f.stats
		s.DelayHistogram.BinWidth = m.cfg.DelayBinWidth
		s.JitterHistogram.BinWidth = m.cfg.JitterBinWidth
		s.PacketSizeHistogram.BinWidth = m.cfg.PacketSizeBinWidth
		s.FlowInterruptionsHistogram.BinWidth = m.cfg.FlowInterruptionsBinWidth
		m.flows = append(m.flows, f)
		m.byTuple[t] = f
	}
	m.lastFlow = f
	return f
}

// find returns the index of the in-flight packet uid, or -1.
func (f *flow) find(uid uint64) int {
	if f.sorted {
		i, ok := slices.BinarySearchFunc(f.ring[f.head:], uid, func(e tracked, u uint64) int {
			switch {
			case e.uid < u:
				return -1
			case e.uid > u:
				return 1
			}
			return 0
		})
		if ok {
			return f.head + i
		}
		return -1
	}
	for i := f.head; i < len(f.ring); i++ {
		if f.ring[i].uid == uid {
			return i
		}
	}
	return -1
}

// expire counts e lost if ns-3's periodic check has erased it by now.
func (f *flow) expire(e *tracked, now sim.Time) bool {
	if e.done {
		return true
	}
	if f.m.lostBy(e.last, now) {
		e.done = true
		f.stats.LostPackets++
		return true
	}
	return false
}

// expireAll applies the periodic checks that have run before now to every
// packet in flight (for reads between runs).
func (f *flow) expireAll(now sim.Time) {
	for i := f.head; i < len(f.ring); i++ {
		if e := &f.ring[i]; !e.done && f.m.lostBefore(e.last, now) {
			e.done = true
			f.stats.LostPackets++
		}
	}
	f.compact()
}

// compact drops resolved packets from the head of the ring and reuses its
// storage once half of it is behind the head.
func (f *flow) compact() {
	for f.head < len(f.ring) && f.ring[f.head].done {
		f.head++
	}
	if f.head == len(f.ring) {
		f.ring, f.head, f.sorted = f.ring[:0], 0, true
		return
	}
	if f.head > 32 && f.head > len(f.ring)/2 {
		n := copy(f.ring, f.ring[f.head:])
		f.ring, f.head = f.ring[:n], 0
	}
}

// reportFirstTx is ns-3's ReportFirstTx.
func (f *flow) reportFirstTx(uid uint64, size int, now sim.Time) {
	// Packets at the head that the periodic check has erased by now.
	for f.head < len(f.ring) && f.expire(&f.ring[f.head], now) {
		f.head++
	}
	f.compact()
	if n := len(f.ring); n > f.head && f.ring[n-1].uid >= uid {
		f.sorted = false
	}
	f.ring = append(f.ring, tracked{uid: uid, first: now, last: now})
	s := &f.stats
	s.TxBytes += uint64(size)
	s.TxPackets++
	if s.TxPackets == 1 {
		s.TimeFirstTxPacket = now
	}
	s.TimeLastTxPacket = now
}

// reportForwarding is ns-3's ReportForwarding.
func (f *flow) reportForwarding(uid uint64, now sim.Time) {
	i := f.find(uid)
	if i < 0 || f.expire(&f.ring[i], now) {
		return
	}
	e := &f.ring[i]
	e.forwarded++
	e.last = now
}

// reportLastRx is ns-3's ReportLastRx.
func (f *flow) reportLastRx(uid uint64, size int, now sim.Time) {
	i := f.find(uid)
	if i < 0 || f.expire(&f.ring[i], now) {
		return
	}
	e := &f.ring[i]
	delay := now - e.first
	s := &f.stats
	s.DelaySum += delay
	s.DelayHistogram.Add(delay.Seconds())
	if s.RxPackets > 0 {
		jitter := s.LastDelay - delay
		if jitter < 0 {
			jitter = -jitter
		}
		s.JitterSum += jitter
		s.JitterHistogram.Add(jitter.Seconds())
		s.MinDelay = min(s.MinDelay, delay)
		s.MaxDelay = max(s.MaxDelay, delay)
	} else {
		s.MinDelay, s.MaxDelay = delay, delay
	}
	s.LastDelay = delay
	s.RxBytes += uint64(size)
	s.PacketSizeHistogram.Add(float64(size))
	s.RxPackets++
	if s.RxPackets == 1 {
		s.TimeFirstRxPacket = now
	} else if gap := now - s.TimeLastRxPacket; gap > f.m.cfg.FlowInterruptionsMinTime {
		s.FlowInterruptionsHistogram.Add(gap.Seconds())
	}
	s.TimeLastRxPacket = now
	s.TimesForwarded += uint64(e.forwarded)
	e.done = true
	f.compact()
}

// reportDrop is ns-3's ReportDrop.
func (f *flow) reportDrop(uid uint64, size int, reason DropReason, now sim.Time) {
	s := &f.stats
	if i := f.find(uid); i >= 0 {
		// A packet the periodic check already erased counts twice, as in
		// ns-3.
		f.expire(&f.ring[i], now)
		f.ring[i].done = true
		defer f.compact()
	}
	s.LostPackets++
	if int(reason) >= len(s.PacketsDropped) {
		s.PacketsDropped = append(s.PacketsDropped, make([]uint64, int(reason)+1-len(s.PacketsDropped))...)
		s.BytesDropped = append(s.BytesDropped, make([]uint64, int(reason)+1-len(s.BytesDropped))...)
	}
	s.PacketsDropped[reason]++
	s.BytesDropped[reason] += uint64(size)
}

// probe is ns-3's Ipv4FlowProbe on one node.
type probe struct{ m *Monitor }

var _ inet.IPv4Probe = (*probe)(nil)

// tag returns the monitor's flow tag on p, or nil.
func (m *Monitor) tag(p *packet.Packet) *flow {
	for i, n := 0, p.NumTags(); i < n; i++ {
		if f, ok := p.TagAt(i).(*flow); ok && f.m == m {
			return f
		}
	}
	return nil
}

// isUnicast is ns-3's Ipv4L3Protocol::IsUnicast for the node's primary
// addresses.
func isUnicast(n *inet.Node, dst inet.IPv4Addr) bool {
	if dst.IsBroadcast() || dst.IsMulticast() {
		return false
	}
	for i := 0; ; i++ {
		ifc := n.Interface(i)
		if ifc == nil {
			return true
		}
		if m := ifc.Mask(); m.PrefixLength() < 32 && dst.IsSubnetDirectedBroadcast(m) {
			return false
		}
	}
}

// SendOutgoing is ns-3's Ipv4FlowProbe::SendOutgoingLogger.
func (pr *probe) SendOutgoing(n *inet.Node, p *packet.Packet, h *inet.IPv4Header, _ *inet.Interface) {
	m := pr.m
	if !m.enabled || !isUnicast(n, h.Dst) || m.tag(p) != nil {
		return
	}
	t := FiveTuple{Src: h.Src, Dst: h.Dst, Protocol: h.Protocol}
	switch h.Protocol {
	case inet.ProtoUDP:
		u, ok := p.HeaderAt(1).(*inet.UDPHeader)
		if !ok {
			return
		}
		t.SrcPort, t.DstPort = u.SrcPort, u.DstPort
	default:
		return // ns-3 classifies UDP and TCP only
	}
	f := m.classify(t)
	f.reportFirstTx(p.UID(), p.Size(), m.sim.Now())
	p.AddTag(f)
}

// UnicastForward is ns-3's Ipv4FlowProbe::ForwardLogger.
func (pr *probe) UnicastForward(_ *inet.Node, p *packet.Packet, h *inet.IPv4Header, _ *inet.Interface) {
	m := pr.m
	if !m.enabled {
		return
	}
	if f := m.tag(p); f != nil && f.tuple.Src == h.Src && f.tuple.Dst == h.Dst {
		f.reportForwarding(p.UID(), m.sim.Now())
	}
}

// LocalDeliver is ns-3's Ipv4FlowProbe::ForwardUpLogger.
func (pr *probe) LocalDeliver(_ *inet.Node, p *packet.Packet, h *inet.IPv4Header, _ *inet.Interface) {
	m := pr.m
	if !m.enabled {
		return
	}
	if f := m.tag(p); f != nil && f.tuple.Src == h.Src && f.tuple.Dst == h.Dst {
		f.reportLastRx(p.UID(), p.Size(), m.sim.Now())
	}
}

// Drop is ns-3's Ipv4FlowProbe::DropLogger.
func (pr *probe) Drop(_ *inet.Node, p *packet.Packet, _ *inet.IPv4Header, reason inet.DropReason, _ *inet.Interface) {
	m := pr.m
	if !m.enabled {
		return
	}
	r, ok := dropReason(reason)
	if !ok {
		return
	}
	if f := m.tag(p); f != nil {
		f.reportDrop(p.UID(), p.Size(), r, m.sim.Now())
	}
}
