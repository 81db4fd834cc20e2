package inet

import (
	"fmt"
	"math/rand/v2"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// NodeConfig configures a node's IPv4 stack.
type NodeConfig struct {
	// Pool supplies the node's packets. Give every node of a simulation
	// the same pool so that uids are unique; nil gives the node a pool of
	// its own. (Network does this for you.)
	Pool *packet.Pool
	// DefaultTTL is the TTL of packets the node originates. ns-3: 64.
	DefaultTTL uint8
	// Forwarding enables IPv4 forwarding between the node's interfaces.
	// ns-3's Ipv4 IpForward attribute defaults to true.
	Forwarding bool
	// ARP configures the ARP cache of every interface whose device needs
	// ARP.
	ARP ARPConfig
}

// DefaultNodeConfig returns ns-3's defaults: TTL 64, forwarding on,
// DefaultARPConfig.
func DefaultNodeConfig() NodeConfig {
	return NodeConfig{DefaultTTL: DefaultTTL, Forwarding: true, ARP: DefaultARPConfig()}
}

// Validate reports whether the configuration is usable.
func (c NodeConfig) Validate() error {
	if c.DefaultTTL == 0 {
		return fmt.Errorf("inet: DefaultTTL must be at least 1")
	}
	return c.ARP.Validate()
}

// NodeStats counts a node's IPv4 and ARP activity.
type NodeStats struct {
	IPTx        uint64 // IPv4 packets handed towards a device (originated or forwarded)
	IPRx        uint64 // IPv4 packets received from devices (and loopback)
	Forwarded   uint64 // IPv4 packets forwarded
	Delivered   uint64 // IPv4 packets delivered locally to a protocol
	ARPRequests uint64 // ARP requests sent
	ARPReplies  uint64 // ARP replies sent
}

type ipIDKey struct {
	src, dst IPv4Addr
	proto    uint8
}

// Node is a host or router: a set of interfaces, each a NetDevice with
// one or more IPv4 addresses, a static routing table, and transport
// protocols (UDP and ICMPv4, and any registered with RegisterProtocol).
//
// The trace hooks are nil by default; set them to observe packets. They
// borrow the packet (see package packet's ownership rule).
type Node struct {
	// OnTx is called for every IPv4 packet (header on) the node sends out
	// of an interface, originated or forwarded, before ARP resolution.
	OnTx func(p *packet.Packet, iface *Interface)
	// OnRx is called for every IPv4 packet received from an interface,
	// before routing.
	OnRx func(p *packet.Packet, iface *Interface)
	// OnDrop is called for every packet the node drops; iface is nil when
	// no interface is involved.
	OnDrop func(p *packet.Packet, reason DropReason, iface *Interface)

	sim    *sim.Simulator
	id     int
	cfg    NodeConfig
	pool   *packet.Pool
	ifaces []*Interface
	routes routeTable
	l4     []l4Entry // registered transport protocols, UDP first
	udp    *udpL4
	icmp   *ICMPv4

	ipID      map[ipIDKey]*uint16
	lastIDKey ipIDKey
	lastID    *uint16 // counter of lastIDKey: a flow skips the map lookup
	ipHdrs    packet.FreeList[IPv4Header]
	jitter    *rand.Rand

	stats      NodeStats
	drops      [numDropReasons]uint64
	loopbackFn func(any)
	probes     []IPv4Probe
}

// NewNode returns a node with no interfaces, driven by s. The id names the
// node in traces and in its random stream names ("inet/arp-jitter/node-ID").
func NewNode(s *sim.Simulator, id int, cfg NodeConfig) (*Node, error) {
	if s == nil {
		return nil, fmt.Errorf("inet: NewNode needs a simulator")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	n := &Node{
		sim:  s,
		id:   id,
		cfg:  cfg,
		pool: cfg.Pool,
		ipID: make(map[ipIDKey]*uint16),
	}
	if n.pool == nil {
		n.pool = packet.NewPool()
		n.cfg.Pool = n.pool
	}
	n.loopbackFn = n.onLoopback
	// As ns-3's InternetStackHelper, every node has UDP and ICMP.
	n.udp = newUDPL4(n)
	n.icmp = newICMPv4(n)
	n.l4 = append(n.l4, l4Entry{proto: ProtoUDP, l4: n.udp}, l4Entry{proto: ProtoICMP, l4: n.icmp})
	return n, nil
}

// ID returns the node's id.
func (n *Node) ID() int { return n.id }

// Sim returns the simulator driving the node.
func (n *Node) Sim() *sim.Simulator { return n.sim }

// Pool returns the node's packet pool.
func (n *Node) Pool() *packet.Pool { return n.pool }

// Config returns the node's configuration.
func (n *Node) Config() NodeConfig { return n.cfg }

// Stats returns the node's counters.
func (n *Node) Stats() NodeStats { return n.stats }

// Drops returns how many packets the node dropped for reason r.
func (n *Node) Drops(r DropReason) uint64 {
	if r >= numDropReasons {
		return 0
	}
	return n.drops[r]
}

// SetForwarding enables or disables IPv4 forwarding.
func (n *Node) SetForwarding(on bool) { n.cfg.Forwarding = on }

// Interfaces returns the node's interfaces in the order they were added
// (a new slice).
func (n *Node) Interfaces() []*Interface { return append([]*Interface(nil), n.ifaces...) }

// Interface returns the interface with index i, or nil.
func (n *Node) Interface(i int) *Interface {
	if i < 0 || i >= len(n.ifaces) {
		return nil
	}
	return n.ifaces[i]
}

// Address returns the address of the node's first interface, or 0.0.0.0
// if it has none.
func (n *Node) Address() IPv4Addr {
	if len(n.ifaces) == 0 {
		return IPv4Any
	}
	return n.ifaces[0].Address()
}

// drop counts and traces a dropped packet, then releases it.
func (n *Node) drop(p *packet.Packet, reason DropReason, ifc *Interface) {
	n.drops[reason]++
	if n.OnDrop != nil {
		n.OnDrop(p, reason, ifc)
	}
	if len(n.probes) > 0 {
		h, _ := p.Peek().(*IPv4Header)
		for _, pr := range n.probes {
			pr.Drop(n, p, h, reason, ifc)
		}
	}
	p.Release()
}

// newIPv4Header draws a header from the node's free list and fills it.
func (n *Node) newIPv4Header(src, dst IPv4Addr, proto, tos uint8, payload int) *IPv4Header {
	key := ipIDKey{src: src, dst: dst, proto: proto}
	if n.lastID == nil || key != n.lastIDKey {
		ctr := n.ipID[key]
		if ctr == nil {
			ctr = new(uint16)
			n.ipID[key] = ctr
		}
		n.lastIDKey, n.lastID = key, ctr
	}
	id := *n.lastID
	*n.lastID++
	h := n.ipHdrs.Get()
	*h = IPv4Header{
		Src: src, Dst: dst, Protocol: proto, TTL: n.cfg.DefaultTTL, TOS: tos, ID: id,
		PayloadSize: uint16(payload), list: &n.ipHdrs,
	}
	return h
}

// routeOutput finds the interface, next hop and source address for a
// packet the node originates to dst: one of its own addresses is reached
// through its interface (the packet is looped back) with itself as source;
// otherwise the route decides, with ns-3's source-address selection.
func (n *Node) routeOutput(dst IPv4Addr) (ifc *Interface, nextHop, src IPv4Addr, ok bool) {
	if ifc := n.interfaceFor(dst); ifc != nil {
		return ifc, dst, dst, true
	}
	i, ok := n.routes.lookup(dst)
	if !ok {
		return nil, 0, 0, false
	}
	r := &n.routes.all[i]
	nextHop = dst
	if !r.Gateway.IsAny() {
		nextHop = r.Gateway
	}
	return r.Interface, nextHop, r.Interface.sourceAddress(r.Dest), true
}

// sendIPv4 puts an IPv4 header on p (which holds the transport segment)
// and sends it out of ifc towards nextHop. The node owns p.
func (n *Node) sendIPv4(p *packet.Packet, src, dst IPv4Addr, proto, tos uint8, ifc *Interface, nextHop IPv4Addr) {
	h := n.newIPv4Header(src, dst, proto, tos, p.Size())
	p.Push(h)
	for _, pr := range n.probes {
		pr.SendOutgoing(n, p, h, ifc)
	}
	n.output(ifc, p, h, nextHop)
}

// SendIPv4 sends p, a transport segment (its headers pushed), from the
// node to dst with IP protocol proto and type of service tos, as ns-3's
// Ipv4L3Protocol::Send: it puts the IPv4 header on and routes the packet.
// src 0.0.0.0 lets the node choose the source address (see SourceAddress);
// the limited broadcast 255.255.255.255 leaves through every interface,
// each copy with that interface's primary address as source. On success
// the node owns p; on error (ErrNoRoute, ErrMessageTooLarge,
// ErrInvalidSize) p stays with the caller, unchanged. This is what a
// transport protocol registered with RegisterProtocol sends with.
func (n *Node) SendIPv4(p *packet.Packet, src, dst IPv4Addr, proto, tos uint8) error {
	if p == nil {
		return fmt.Errorf("%w: nil packet", ErrInvalidSize)
	}
	if p.Size() > 65535-IPv4HeaderSize {
		return fmt.Errorf("%w: %d-byte IPv4 payload exceeds %d", ErrMessageTooLarge, p.Size(), 65535-IPv4HeaderSize)
	}
	size := p.Size() + IPv4HeaderSize
	if dst.IsBroadcast() {
		if len(n.ifaces) == 0 {
			return fmt.Errorf("%w: node %d has no interface", ErrNoRoute, n.id)
		}
		for _, ifc := range n.ifaces {
			if size > ifc.dev.MTU() {
				return tooLarge(size, ifc)
			}
		}
		last := len(n.ifaces) - 1
		for i, ifc := range n.ifaces {
			q := p
			if i < last {
				q = p.Copy()
			}
			n.sendIPv4(q, ifc.Address(), dst, proto, tos, ifc, dst)
		}
		return nil
	}
	ifc, nextHop, sel, ok := n.routeOutput(dst)
	if !ok {
		return fmt.Errorf("%w: node %d to %v", ErrNoRoute, n.id, dst)
	}
	if size > ifc.dev.MTU() {
		return tooLarge(size, ifc)
	}
	if src.IsAny() {
		src = sel
	}
	n.sendIPv4(p, src, dst, proto, tos, ifc, nextHop)
	return nil
}

func tooLarge(ipSize int, ifc *Interface) error {
	return fmt.Errorf("%w: %d-byte IPv4 packet exceeds MTU %d of %v (netgym does not fragment)",
		ErrMessageTooLarge, ipSize, ifc.dev.MTU(), ifc)
}

// output is ns-3's SendRealOut plus Ipv4Interface::Send: trace, then
// loopback, broadcast or ARP resolution, then the device.
func (n *Node) output(ifc *Interface, p *packet.Packet, h *IPv4Header, nextHop IPv4Addr) {
	n.stats.IPTx++
	if n.OnTx != nil {
		n.OnTx(p, ifc)
	}
	if ifc.HasAddress(nextHop) {
		n.sim.ScheduleWith(0, n.loopbackFn, p)
		return
	}
	dev := ifc.dev
	mac := dev.Broadcast()
	// Broadcasts (and multicasts, which netgym sends to the broadcast
	// address) need no resolution.
	if ifc.arp != nil && !nextHop.IsBroadcast() && !nextHop.IsMulticast() &&
		!ifc.isSubnetBroadcast(nextHop) {
		var ok bool
		mac, ok = ifc.arp.resolve(p, nextHop)
		if !ok {
			return // queued until resolution, or dropped
		}
	}
	n.transmit(ifc, p, mac)
}

// transmit hands an IPv4 packet to the device.
func (n *Node) transmit(ifc *Interface, p *packet.Packet, mac packet.Mac48) {
	if err := ifc.dev.Send(p, mac, EtherTypeIPv4); err != nil {
		n.drop(p, deviceDropReason(err), ifc)
	}
}

func (n *Node) onLoopback(arg any) {
	p := arg.(*packet.Packet)
	h, ok := p.Peek().(*IPv4Header)
	if !ok {
		n.drop(p, DropMalformed, nil)
		return
	}
	ifc := n.interfaceFor(h.Dst)
	if ifc == nil {
		ifc = n.ifaces[0]
	}
	n.receiveIPv4(ifc, p, ifc.dev.Address())
}

// receive is every interface's device receive callback.
func (i *Interface) receive(_ NetDevice, p *packet.Packet, etherType uint16, src, _ packet.Mac48) {
	switch etherType {
	case EtherTypeIPv4:
		i.node.receiveIPv4(i, p, src)
	case EtherTypeARP:
		if i.arp != nil {
			i.arp.receive(p)
			return
		}
		i.node.drop(p, DropUnknownProtocol, i)
	default:
		i.node.drop(p, DropUnknownProtocol, i)
	}
}

// receiveIPv4 is ns-3's Ipv4L3Protocol::Receive and static RouteInput.
func (n *Node) receiveIPv4(ifc *Interface, p *packet.Packet, srcMAC packet.Mac48) {
	h, ok := p.Peek().(*IPv4Header)
	if !ok {
		n.drop(p, DropMalformed, ifc)
		return
	}
	n.stats.IPRx++
	if n.OnRx != nil {
		n.OnRx(p, ifc)
	}
	if ifc.arp != nil {
		ifc.arp.refresh(h.Src, srcMAC)
	}
	if n.isDestination(h.Dst, ifc) {
		n.localDeliver(ifc, p, h)
		return
	}
	if !n.cfg.Forwarding {
		n.drop(p, DropNotForwarding, ifc)
		return
	}
	r, ok := n.LookupRoute(h.Dst)
	if !ok {
		n.drop(p, DropNoRoute, ifc)
		return
	}
	h.TTL--
	if h.TTL == 0 {
		n.drop(p, DropTTLExpired, ifc)
		return
	}
	out := r.Interface
	if p.Size() > out.dev.MTU() {
		n.drop(p, DropMTUExceeded, out)
		return
	}
	nextHop := h.Dst
	if !r.Gateway.IsAny() {
		nextHop = r.Gateway
	}
	n.stats.Forwarded++
	for _, pr := range n.probes {
		pr.UnicastForward(n, p, h, out)
	}
	n.output(out, p, h, nextHop)
}

// localDeliver hands a packet addressed to the node to the transport
// protocol registered for its protocol number.
func (n *Node) localDeliver(ifc *Interface, p *packet.Packet, h *IPv4Header) {
	for _, pr := range n.probes {
		pr.LocalDeliver(n, p, h, ifc)
	}
	for k := range n.l4 {
		if n.l4[k].proto == h.Protocol {
			if r := n.l4[k].l4.Receive(p, h, ifc); r != 0 {
				n.drop(p, r, ifc)
				return
			}
			n.stats.Delivered++
			return
		}
	}
	n.drop(p, DropUnknownProtocol, ifc)
}
