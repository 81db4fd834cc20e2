package inet

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// ARPConfig configures the ARP cache of an interface. The defaults are ns-3
// 3.37's ArpCache and ArpL3Protocol attributes.
type ARPConfig struct {
	// AliveTimeout is how long a resolved entry stays valid; a packet sent
	// after it expires is queued and the address is resolved again. IPv4
	// packets received from the neighbour refresh it. ns-3: 120 s.
	AliveTimeout sim.Time
	// DeadTimeout is how long an entry that could not be resolved stays
	// dead: packets to it are dropped (DropARPDeadEntry) until it expires.
	// ns-3: 100 s.
	DeadTimeout sim.Time
	// WaitReplyTimeout is the period of the cache's retransmission timer.
	// As in ns-3 there is one timer per cache, started when an entry starts
	// waiting and not already running; at each expiry every waiting entry
	// either retransmits its request or, after MaxRetries retransmissions,
	// is marked dead and its pending packets are dropped. ns-3: 1 s.
	WaitReplyTimeout sim.Time
	// MaxRetries is the number of retransmissions after the first request:
	// an unanswered resolution sends 1+MaxRetries requests. ns-3: 3.
	MaxRetries int
	// PendingQueueSize is how many packets may wait for a resolution; the
	// packet that starts the resolution is always queued, and packets
	// beyond the limit are dropped (DropARPQueueFull). ns-3: 3.
	PendingQueueSize int
	// RequestJitter is the upper bound of the delay before a first request
	// (not before retransmissions). As ns-3 (RequestJitter
	// Uniform[0,10] ms converted with MilliSeconds(), which truncates), the
	// delay is a uniform draw in [0, RequestJitter) truncated to whole
	// milliseconds: 0..9 ms by default. Zero disables it. ns-3: 10 ms.
	RequestJitter sim.Time
}

// DefaultARPConfig returns ns-3 3.37's defaults.
func DefaultARPConfig() ARPConfig {
	return ARPConfig{
		AliveTimeout:     120 * sim.Second,
		DeadTimeout:      100 * sim.Second,
		WaitReplyTimeout: sim.Second,
		MaxRetries:       3,
		PendingQueueSize: 3,
		RequestJitter:    10 * sim.Millisecond,
	}
}

// Validate reports whether the configuration is usable.
func (c ARPConfig) Validate() error {
	switch {
	case c.AliveTimeout < 0:
		return fmt.Errorf("inet: ARP AliveTimeout %v is negative", c.AliveTimeout)
	case c.DeadTimeout < 0:
		return fmt.Errorf("inet: ARP DeadTimeout %v is negative", c.DeadTimeout)
	case c.WaitReplyTimeout <= 0:
		return fmt.Errorf("inet: ARP WaitReplyTimeout %v must be positive", c.WaitReplyTimeout)
	case c.MaxRetries < 0:
		return fmt.Errorf("inet: ARP MaxRetries %d is negative", c.MaxRetries)
	case c.PendingQueueSize < 0:
		return fmt.Errorf("inet: ARP PendingQueueSize %d is negative", c.PendingQueueSize)
	case c.RequestJitter < 0:
		return fmt.Errorf("inet: ARP RequestJitter %v is negative", c.RequestJitter)
	case c.WaitReplyTimeout > maxDelay || c.RequestJitter > maxDelay:
		return fmt.Errorf("inet: ARP WaitReplyTimeout and RequestJitter must be below %v", maxDelay)
	}
	return nil
}

// NeighborState is the state of an ARP cache entry.
type NeighborState uint8

// ARP entry states (ns-3 ArpCache::Entry).
const (
	// NeighborAlive: resolved, valid until AliveTimeout after last seen.
	NeighborAlive NeighborState = iota + 1
	// NeighborWaitReply: a request is outstanding; packets are queued.
	NeighborWaitReply
	// NeighborDead: resolution failed; packets are dropped until
	// DeadTimeout has passed.
	NeighborDead
	// NeighborPermanent: a static entry that never expires.
	NeighborPermanent
)

// String returns the state's name.
func (s NeighborState) String() string {
	switch s {
	case NeighborAlive:
		return "Alive"
	case NeighborWaitReply:
		return "WaitReply"
	case NeighborDead:
		return "Dead"
	case NeighborPermanent:
		return "Permanent"
	}
	return fmt.Sprintf("NeighborState(%d)", uint8(s))
}

// Neighbor is a snapshot of an ARP cache entry.
type Neighbor struct {
	IP       IPv4Addr      // the neighbour's IPv4 address
	MAC      packet.Mac48  // its link-layer address, once resolved
	State    NeighborState // the entry's state
	Retries  int           // retransmissions so far while waiting
	Pending  int           // packets waiting for the resolution
	LastSeen sim.Time      // when the entry last changed state or was refreshed
}

type arpEntry struct {
	ip       IPv4Addr
	mac      packet.Mac48
	state    NeighborState
	retries  int
	lastSeen sim.Time
	pending  []*packet.Packet
}

// arpCache is one interface's ARP cache and the ARP protocol logic for it
// (ns-3 splits them into ArpCache and ArpL3Protocol).
type arpCache struct {
	ifc *Interface
	cfg ARPConfig
	// entries is sorted by address, so that the timeout handler visits
	// entries in the order of ns-3's std::map.
	entries []*arpEntry
	scratch []*arpEntry
	timer   sim.EventID
	timerFn func(any)
}

func newARPCache(ifc *Interface, cfg ARPConfig) *arpCache {
	c := &arpCache{ifc: ifc, cfg: cfg}
	c.timerFn = c.onWaitReplyTimeout
	return c
}

// search returns the index of the first entry whose address is >= ip.
func (c *arpCache) search(ip IPv4Addr) int {
	lo, hi := 0, len(c.entries)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if c.entries[mid].ip < ip {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

func (c *arpCache) find(ip IPv4Addr) *arpEntry {
	i := c.search(ip)
	if i < len(c.entries) && c.entries[i].ip == ip {
		return c.entries[i]
	}
	return nil
}

func (c *arpCache) add(ip IPv4Addr) *arpEntry {
	i := c.search(ip)
	e := &arpEntry{ip: ip, state: NeighborAlive}
	c.entries = append(c.entries, nil)
	copy(c.entries[i+1:], c.entries[i:])
	c.entries[i] = e
	return e
}

func (c *arpCache) timeout(e *arpEntry) sim.Time {
	switch e.state {
	case NeighborAlive:
		return c.cfg.AliveTimeout
	case NeighborDead:
		return c.cfg.DeadTimeout
	case NeighborWaitReply:
		return c.cfg.WaitReplyTimeout
	}
	return sim.MaxTime
}

func (c *arpCache) expired(e *arpEntry) bool {
	return c.ifc.node.sim.Now()-e.lastSeen > c.timeout(e)
}

// resolve is ns-3's ArpL3Protocol::Lookup: it returns the hardware address
// of ip, or queues or drops p (an IPv4 packet, header on) and returns false.
func (c *arpCache) resolve(p *packet.Packet, ip IPv4Addr) (packet.Mac48, bool) {
	n := c.ifc.node
	e := c.find(ip)
	if e == nil {
		e = c.add(ip)
		c.startWaiting(e, p)
		return packet.Mac48{}, false
	}
	switch e.state {
	case NeighborPermanent:
		return e.mac, true
	case NeighborWaitReply:
		if len(e.pending) >= c.cfg.PendingQueueSize {
			n.drop(p, DropARPQueueFull, c.ifc)
			return packet.Mac48{}, false
		}
		e.pending = append(e.pending, p)
		return packet.Mac48{}, false
	case NeighborAlive:
		if !c.expired(e) {
			return e.mac, true
		}
		c.startWaiting(e, p)
	case NeighborDead:
		if !c.expired(e) {
			n.drop(p, DropARPDeadEntry, c.ifc)
			return packet.Mac48{}, false
		}
		c.startWaiting(e, p)
	}
	return packet.Mac48{}, false
}

// startWaiting is ns-3's MarkWaitReply followed by the jittered request.
func (c *arpCache) startWaiting(e *arpEntry, p *packet.Packet) {
	s := c.ifc.node.sim
	e.state = NeighborWaitReply
	e.pending = append(e.pending[:0], p)
	e.lastSeen = s.Now()
	if !s.IsPending(c.timer) {
		c.timer = s.ScheduleWith(c.cfg.WaitReplyTimeout, c.timerFn, nil)
	}
	ip := e.ip
	s.Schedule(c.drawJitter(), func() { c.sendRequest(ip) })
}

func (c *arpCache) drawJitter() sim.Time {
	if c.cfg.RequestJitter <= 0 {
		return 0
	}
	maxMs := float64(c.cfg.RequestJitter) / float64(sim.Millisecond)
	return sim.Time(uint64(c.ifc.node.jitter.Float64()*maxMs)) * sim.Millisecond
}

// onWaitReplyTimeout is ns-3's ArpCache::HandleWaitReplyTimeout.
func (c *arpCache) onWaitReplyTimeout(any) {
	n := c.ifc.node
	now := n.sim.Now()
	restart := false
	c.scratch = append(c.scratch[:0], c.entries...)
	for i, e := range c.scratch {
		c.scratch[i] = nil
		if e.state != NeighborWaitReply {
			continue
		}
		if e.retries < c.cfg.MaxRetries {
			c.sendRequest(e.ip)
			restart = true
			e.retries++
			e.lastSeen = now
			continue
		}
		e.state = NeighborDead
		e.retries = 0
		e.lastSeen = now
		pending := e.pending
		e.pending = nil
		for j, p := range pending {
			pending[j] = nil
			n.drop(p, DropARPRetriesExhausted, c.ifc)
		}
	}
	if restart {
		c.timer = n.sim.ScheduleWith(c.cfg.WaitReplyTimeout, c.timerFn, nil)
	}
}

func (c *arpCache) sendRequest(ip IPv4Addr) {
	n := c.ifc.node
	dev := c.ifc.dev
	p := n.pool.New(0)
	// The sender address is ns-3's SelectSourceAddress for the device.
	p.Push(&ARPHeader{Op: ARPRequest, SrcMAC: dev.Address(), SrcIP: c.ifc.selectSource(ip), DstMAC: dev.Broadcast(), DstIP: ip})
	n.stats.ARPRequests++
	if err := dev.Send(p, dev.Broadcast(), EtherTypeARP); err != nil {
		n.drop(p, deviceDropReason(err), c.ifc)
	}
}

// sendReply answers a request for our address self.
func (c *arpCache) sendReply(self IPv4Addr, toMAC packet.Mac48, toIP IPv4Addr) {
	n := c.ifc.node
	dev := c.ifc.dev
	p := n.pool.New(0)
	p.Push(&ARPHeader{Op: ARPReply, SrcMAC: dev.Address(), SrcIP: self, DstMAC: toMAC, DstIP: toIP})
	n.stats.ARPReplies++
	if err := dev.Send(p, toMAC, EtherTypeARP); err != nil {
		n.drop(p, deviceDropReason(err), c.ifc)
	}
}

// receive is ns-3's ArpL3Protocol::Receive: a request or reply for any of
// the interface's addresses is handled. As ns-3 (bug 107), a request does
// not create or update an entry for its sender.
func (c *arpCache) receive(p *packet.Packet) {
	n := c.ifc.node
	h, ok := p.Peek().(*ARPHeader)
	if !ok {
		n.drop(p, DropMalformed, c.ifc)
		return
	}
	if c.ifc.HasAddress(h.DstIP) {
		switch {
		case h.Op == ARPRequest:
			c.sendReply(h.DstIP, h.SrcMAC, h.SrcIP)
		case h.Op == ARPReply && h.DstMAC == c.ifc.dev.Address():
			e := c.find(h.SrcIP)
			if e == nil || e.state != NeighborWaitReply {
				n.drop(p, DropARPUnexpectedReply, c.ifc)
				return
			}
			c.resolved(e, h.SrcMAC, NeighborAlive)
		}
	}
	p.Release()
}

// resolved marks e with mac and state and sends its pending packets.
func (c *arpCache) resolved(e *arpEntry, mac packet.Mac48, state NeighborState) {
	e.mac = mac
	e.state = state
	e.retries = 0
	e.lastSeen = c.ifc.node.sim.Now()
	pending := e.pending
	e.pending = nil
	for i, q := range pending {
		pending[i] = nil
		c.ifc.node.transmit(c.ifc, q, mac)
	}
}

// refresh is the ARP part of ns-3's Ipv4L3Protocol::Receive: a valid IPv4
// packet from src (or, for a router, from its hardware address) keeps its
// alive entry fresh.
func (c *arpCache) refresh(src IPv4Addr, mac packet.Mac48) {
	if e := c.find(src); e != nil {
		if e.state == NeighborAlive {
			e.lastSeen = c.ifc.node.sim.Now()
		}
		return
	}
	for _, e := range c.entries {
		if e.mac == mac && e.state == NeighborAlive {
			e.lastSeen = c.ifc.node.sim.Now()
		}
	}
}

func deviceDropReason(err error) DropReason {
	if errors.Is(err, ErrQueueFull) {
		return DropDeviceQueueFull
	}
	return DropDeviceError
}

// AddStaticNeighbor adds a permanent ARP entry on iface: ip is at mac,
// without resolution, for ever. Packets already waiting for ip are sent.
// It is an error on an interface whose device does not need ARP.
func (n *Node) AddStaticNeighbor(iface *Interface, ip IPv4Addr, mac packet.Mac48) error {
	if iface == nil || iface.node != n {
		return fmt.Errorf("inet: node %d: AddStaticNeighbor on an interface of another node", n.id)
	}
	if iface.arp == nil {
		return fmt.Errorf("inet: node %d: interface %d does not use ARP", n.id, iface.index)
	}
	e := iface.arp.find(ip)
	if e == nil {
		e = iface.arp.add(ip)
	}
	iface.arp.resolved(e, mac, NeighborPermanent)
	return nil
}

// Neighbor returns the ARP cache entry for ip on the interface, if any.
func (i *Interface) Neighbor(ip IPv4Addr) (Neighbor, bool) {
	if i.arp == nil {
		return Neighbor{}, false
	}
	e := i.arp.find(ip)
	if e == nil {
		return Neighbor{}, false
	}
	return e.snapshot(), true
}

// Neighbors returns the interface's ARP cache entries sorted by address
// (nil for an interface without ARP).
func (i *Interface) Neighbors() []Neighbor {
	if i.arp == nil {
		return nil
	}
	out := make([]Neighbor, len(i.arp.entries))
	for j, e := range i.arp.entries {
		out[j] = e.snapshot()
	}
	return out
}

func (e *arpEntry) snapshot() Neighbor {
	return Neighbor{IP: e.ip, MAC: e.mac, State: e.state, Retries: e.retries, Pending: len(e.pending), LastSeen: e.lastSeen}
}
