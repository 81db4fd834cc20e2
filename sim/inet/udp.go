package inet

import (
	"fmt"

	"github.com/netgym/netgym/sim/packet"
)

// Ephemeral ports: ns-3's Ipv4EndPointDemux starts its counter at 49152 and
// increments before use, so the first ephemeral port is 49153; after 65535
// it wraps to 49152.
const (
	ephemeralFirst = 49152
	ephemeralLast  = 65535
)

// UDPStats counts a socket's datagrams and payload bytes.
type UDPStats struct {
	TxPackets uint64 // datagrams handed to IPv4
	TxBytes   uint64 // their payload bytes
	RxPackets uint64 // datagrams received
	RxBytes   uint64 // their payload bytes
}

// RecvInfo says where a received datagram came from and how it reached
// the node: what a socket learns from recvfrom with IP_PKTINFO, or ns-3's
// RecvFrom address with an Ipv4PacketInfoTag.
type RecvInfo struct {
	From     IPv4Addr // source address
	FromPort uint16   // source port
	// To is the destination address of the datagram: the local address it
	// was sent to, or a broadcast or multicast address.
	To IPv4Addr
	// Interface is the interface the datagram arrived on (for a datagram
	// the node sent to itself, the interface that owns the address).
	Interface *Interface
	TTL       uint8 // the IPv4 TTL on arrival
	TOS       uint8 // the IPv4 type of service
}

// UDPRecvCallback receives a datagram: p holds the payload only (headers
// removed) and is borrowed: the callback must not keep or Release it after
// returning; it calls p.Copy to keep it. Sending p back with SendPacket or
// SendPacketTo from a socket of the same node (an echo server) is allowed:
// the socket sends a copy. info is passed by value and costs nothing to
// ignore.
type UDPRecvCallback func(sock *UDPSocket, p *packet.Packet, info RecvInfo)

// UDPSocket is a UDP socket on a node (ns-3's UdpSocketImpl), bound to a
// port on every address of the node (Bind) or on one of them (BindAddr).
// Datagrams are handed to the receive callback as they arrive, with no
// receive buffer.
//
// Binding follows ns-3's Ipv4EndPointDemux: two sockets conflict only when
// they have the same local address and port, so one socket bound to
// 0.0.0.0:2152 and others bound to 10.0.0.1:2152 and 10.0.0.5:2152 live
// side by side; a datagram goes to the socket bound to its exact
// destination address if there is one, otherwise to the wildcard socket.
// Connect does not filter incoming datagrams, as in ns-3.
//
// Send errors are those ns-3 returns synchronously (plus ErrNoRoute and
// ErrMessageTooLarge for datagrams without a route or that would need
// fragmentation); a datagram accepted by Send may still be dropped further
// down, which the node reports through OnDrop and Drops.
type UDPSocket struct {
	// OnTx, when set, is called for every datagram the socket sends (UDP
	// header on), before IPv4.
	OnTx func(sock *UDPSocket, p *packet.Packet)

	node           *Node
	local          IPv4Addr
	port           uint16
	bound          bool
	closed         bool
	allowBroadcast bool
	connected      bool
	peer           IPv4Addr
	peerPort       uint16
	tos            uint8
	recv           UDPRecvCallback
	stats          UDPStats
}

// udpPort holds the sockets bound to one port: at most one on the wildcard
// address and at most one per local address.
type udpPort struct {
	any      *UDPSocket
	specific []*UDPSocket
}

// udpL4 is ns-3's UdpL4Protocol with its Ipv4EndPointDemux: the node's UDP
// sockets by port.
type udpL4 struct {
	node      *Node
	ports     map[uint16]*udpPort
	ephemeral uint16
	hdrs      packet.FreeList[UDPHeader]
	// delivering is the packet lent to a socket's receive callback, so that
	// an echo from inside the callback sends a copy.
	delivering *packet.Packet
}

func newUDPL4(n *Node) *udpL4 {
	return &udpL4{node: n, ports: make(map[uint16]*udpPort), ephemeral: ephemeralFirst}
}

// Protocol returns 17.
func (u *udpL4) Protocol() uint8 { return ProtoUDP }

// NewUDPSocket returns an unbound UDP socket on the node.
func (n *Node) NewUDPSocket() *UDPSocket { return &UDPSocket{node: n} }

// Node returns the socket's node.
func (s *UDPSocket) Node() *Node { return s.node }

// LocalPort returns the bound port, or 0 if the socket is not bound.
func (s *UDPSocket) LocalPort() uint16 { return s.port }

// LocalAddress returns the address the socket is bound to: 0.0.0.0 for
// every address of the node (Bind, or not bound yet).
func (s *UDPSocket) LocalAddress() IPv4Addr { return s.local }

// Peer returns the default destination set by Connect.
func (s *UDPSocket) Peer() (IPv4Addr, uint16, bool) { return s.peer, s.peerPort, s.connected }

// Stats returns the socket's counters.
func (s *UDPSocket) Stats() UDPStats { return s.stats }

// SetRecvCallback sets the function that receives the socket's datagrams.
// Without one, datagrams are counted and discarded.
func (s *UDPSocket) SetRecvCallback(cb UDPRecvCallback) { s.recv = cb }

// SetAllowBroadcast allows sending to 255.255.255.255 and to subnet
// broadcast addresses (ns-3 SetAllowBroadcast; off by default).
func (s *UDPSocket) SetAllowBroadcast(on bool) { s.allowBroadcast = on }

// SetTOS sets the IPv4 type of service of the datagrams the socket sends
// (ns-3 Socket::SetIpTos; 0 by default).
func (s *UDPSocket) SetTOS(tos uint8) { s.tos = tos }

// Bind binds the socket to port on all of the node's addresses; port 0
// picks the next free ephemeral port (49153, 49154, ... as ns-3). It
// returns ErrPortInUse when another socket is bound to 0.0.0.0 and the
// same port.
func (s *UDPSocket) Bind(port uint16) error { return s.BindAddr(IPv4Any, port) }

// BindAddr binds the socket to addr and port, as ns-3's
// Bind(InetSocketAddress(addr, port)): the socket receives only datagrams
// sent to addr (it must be one of the node's addresses, or 0.0.0.0 for
// all of them), and the datagrams it sends carry addr as source. Port 0
// picks the next ephemeral port no socket uses. It returns ErrPortInUse
// when another socket is bound to the same address and port, and
// ErrAddressNotAvailable for an address that is not the node's.
func (s *UDPSocket) BindAddr(addr IPv4Addr, port uint16) error {
	if s.closed {
		return ErrClosed
	}
	if s.bound {
		return ErrAlreadyBound
	}
	n := s.node
	u := n.udp
	if !addr.IsAny() && !n.IsLocalAddress(addr) {
		return fmt.Errorf("%w: %v is not an address of node %d", ErrAddressNotAvailable, addr, n.id)
	}
	if port == 0 {
		p, ok := u.allocateEphemeral()
		if !ok {
			return ErrNoPorts
		}
		port = p
	} else if u.bound(addr, port) {
		if addr.IsAny() {
			return fmt.Errorf("%w: node %d port %d", ErrPortInUse, n.id, port)
		}
		return fmt.Errorf("%w: node %d %v:%d", ErrPortInUse, n.id, addr, port)
	}
	b := u.ports[port]
	if b == nil {
		b = &udpPort{}
		u.ports[port] = b
	}
	if addr.IsAny() {
		b.any = s
	} else {
		b.specific = append(b.specific, s)
	}
	s.local, s.port, s.bound = addr, port, true
	return nil
}

// bound is ns-3's Ipv4EndPointDemux::LookupLocal: a socket bound to
// exactly addr and port.
func (u *udpL4) bound(addr IPv4Addr, port uint16) bool {
	b := u.ports[port]
	if b == nil {
		return false
	}
	if addr.IsAny() {
		return b.any != nil
	}
	for _, o := range b.specific {
		if o.local == addr {
			return true
		}
	}
	return false
}

// allocateEphemeral is ns-3's AllocateEphemeralPort: the next port no
// socket is bound to, on any address (LookupPortLocal).
func (u *udpL4) allocateEphemeral() (uint16, bool) {
	port := u.ephemeral
	for count := ephemeralLast - ephemeralFirst; count >= 0; count-- {
		port++
		if port < ephemeralFirst {
			port = ephemeralFirst
		}
		if _, used := u.ports[port]; !used {
			u.ephemeral = port
			return port, true
		}
	}
	return 0, false
}

// lookup is ns-3's Ipv4EndPointDemux::Lookup for unconnected endpoints: the
// socket bound to exactly dst, else the one bound to 0.0.0.0. It allocates
// nothing.
func (u *udpL4) lookup(dst IPv4Addr, port uint16) *UDPSocket {
	b := u.ports[port]
	if b == nil {
		return nil
	}
	for _, s := range b.specific {
		if s.local == dst {
			return s
		}
	}
	return b.any
}

// unbind removes s from the demultiplexer.
func (u *udpL4) unbind(s *UDPSocket) {
	b := u.ports[s.port]
	if b == nil {
		return
	}
	if b.any == s {
		b.any = nil
	}
	for i, o := range b.specific {
		if o == s {
			b.specific = append(b.specific[:i], b.specific[i+1:]...)
			break
		}
	}
	if b.any == nil && len(b.specific) == 0 {
		delete(u.ports, s.port)
	}
}

// Connect sets the default destination for Send. As in ns-3 it does not
// filter incoming datagrams. An unbound socket is bound to an ephemeral
// port.
func (s *UDPSocket) Connect(addr IPv4Addr, port uint16) error {
	if s.closed {
		return ErrClosed
	}
	if !s.bound {
		if err := s.Bind(0); err != nil {
			return err
		}
	}
	s.peer, s.peerPort, s.connected = addr, port, true
	return nil
}

// Close unbinds the socket; later calls return ErrClosed.
func (s *UDPSocket) Close() error {
	if s.closed {
		return ErrClosed
	}
	if s.bound {
		s.node.udp.unbind(s)
	}
	s.closed = true
	return nil
}

// Send sends a datagram of size virtual payload bytes to the connected
// peer.
func (s *UDPSocket) Send(size int) error {
	if !s.connected {
		return ErrNotConnected
	}
	return s.sendTo(nil, size, nil, s.peer, s.peerPort)
}

// SendPayload sends b to the connected peer. The packet references b: do
// not modify it afterwards.
func (s *UDPSocket) SendPayload(b []byte) error {
	if !s.connected {
		return ErrNotConnected
	}
	return s.sendTo(nil, len(b), b, s.peer, s.peerPort)
}

// SendTo sends a datagram of size virtual payload bytes to addr:port.
func (s *UDPSocket) SendTo(size int, addr IPv4Addr, port uint16) error {
	return s.sendTo(nil, size, nil, addr, port)
}

// SendPayloadTo sends b to addr:port. The packet references b: do not
// modify it afterwards.
func (s *UDPSocket) SendPayloadTo(b []byte, addr IPv4Addr, port uint16) error {
	return s.sendTo(nil, len(b), b, addr, port)
}

// SendPacket sends p (its payload and any headers the caller pushed, its
// tags) to the connected peer. On success the socket owns p; on error p
// stays with the caller.
func (s *UDPSocket) SendPacket(p *packet.Packet) error {
	if !s.connected {
		return ErrNotConnected
	}
	return s.SendPacketTo(p, s.peer, s.peerPort)
}

// SendPacketTo sends p to addr:port; ownership as SendPacket.
func (s *UDPSocket) SendPacketTo(p *packet.Packet, addr IPv4Addr, port uint16) error {
	if p == nil {
		return ErrInvalidSize
	}
	if p == s.node.udp.delivering {
		q := p.Copy()
		if err := s.sendTo(q, q.Size(), nil, addr, port); err != nil {
			q.Release()
			return err
		}
		return nil
	}
	return s.sendTo(p, p.Size(), nil, addr, port)
}

// sendTo is ns-3's UdpSocketImpl::DoSendTo. With p nil it makes the packet
// (size virtual bytes, or payload when not nil).
func (s *UDPSocket) sendTo(p *packet.Packet, size int, payload []byte, dst IPv4Addr, port uint16) error {
	if s.closed {
		return ErrClosed
	}
	if size < 0 {
		return ErrInvalidSize
	}
	if size > MaxUDPPayload {
		return fmt.Errorf("%w: %d-byte UDP payload exceeds %d", ErrMessageTooLarge, size, MaxUDPPayload)
	}
	if !s.bound {
		if err := s.Bind(0); err != nil {
			return err
		}
	}
	n := s.node
	ipSize := size + UDPHeaderSize + IPv4HeaderSize
	if dst.IsBroadcast() {
		// Limited broadcast: one copy out of every interface, from its
		// primary address (ns-3 does so whatever the socket is bound to).
		if !s.allowBroadcast {
			return ErrBroadcastNotAllowed
		}
		if len(n.ifaces) == 0 {
			return ErrNoRoute
		}
		for _, ifc := range n.ifaces {
			if ipSize > ifc.dev.MTU() {
				return tooLarge(ipSize, ifc)
			}
		}
		p = s.packet(p, size, payload)
		last := len(n.ifaces) - 1
		for i, ifc := range n.ifaces {
			q := p
			if i < last {
				q = p.Copy()
			}
			s.transmit(q, size, ifc, ifc.Address(), dst, dst, port)
		}
		return nil
	}
	ifc, nextHop, src, ok := n.routeOutput(dst)
	if !ok {
		return fmt.Errorf("%w: node %d to %v", ErrNoRoute, n.id, dst)
	}
	if !s.allowBroadcast && ifc.isSubnetBroadcast(dst) {
		return ErrBroadcastNotAllowed
	}
	if ipSize > ifc.dev.MTU() {
		return tooLarge(ipSize, ifc)
	}
	if !s.local.IsAny() {
		// A socket bound to an address sends from it, whatever the
		// interface (ns-3 DoSendTo with a bound endpoint).
		src = s.local
	}
	s.transmit(s.packet(p, size, payload), size, ifc, src, dst, nextHop, port)
	return nil
}

// packet returns p, or when p is nil a new packet with the payload (or
// size virtual bytes).
func (s *UDPSocket) packet(p *packet.Packet, size int, payload []byte) *packet.Packet {
	switch {
	case p != nil:
		return p
	case payload != nil:
		return s.node.pool.NewWithPayload(payload)
	}
	return s.node.pool.New(size)
}

// transmit sends one datagram out of ifc.
func (s *UDPSocket) transmit(p *packet.Packet, size int, ifc *Interface, src, dst, nextHop IPv4Addr, port uint16) {
	n := s.node
	u := n.udp.hdrs.Get()
	*u = UDPHeader{SrcPort: s.port, DstPort: port, Length: uint16(size + UDPHeaderSize), list: &n.udp.hdrs}
	p.Push(u)
	s.stats.TxPackets++
	s.stats.TxBytes += uint64(size)
	if s.OnTx != nil {
		s.OnTx(s, p)
	}
	n.sendIPv4(p, src, dst, ProtoUDP, s.tos, ifc, nextHop)
}

// Receive is ns-3's UdpL4Protocol::Receive: it finds the socket for the
// destination address and port and lends it the payload.
func (u *udpL4) Receive(p *packet.Packet, h *IPv4Header, in *Interface) DropReason {
	uh, ok := p.HeaderAt(1).(*UDPHeader)
	if !ok {
		return DropMalformed
	}
	sock := u.lookup(h.Dst, uh.DstPort)
	if sock == nil {
		return DropNoSocket
	}
	p.Pop()
	p.Pop()
	info := RecvInfo{From: h.Src, FromPort: uh.SrcPort, To: h.Dst, Interface: in, TTL: h.TTL, TOS: h.TOS}
	h.Release()
	uh.Release()
	sock.stats.RxPackets++
	sock.stats.RxBytes += uint64(p.Size())
	if sock.recv != nil {
		u.delivering = p
		sock.recv(sock, p, info)
		u.delivering = nil
	}
	p.Release()
	return 0
}
