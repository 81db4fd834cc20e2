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

// UDPRecvCallback receives a datagram: p holds the payload only (headers
// removed) and is borrowed: the callback must not keep or Release it after
// returning; it calls p.Copy to keep it. Sending p back with SendPacket or
// SendPacketTo from a socket of the same node (an echo server) is allowed:
// the socket sends a copy.
type UDPRecvCallback func(sock *UDPSocket, p *packet.Packet, from IPv4Addr, fromPort uint16)

// UDPSocket is a UDP socket on a node, bound to a port on every address of
// the node (ns-3's UdpSocketImpl bound with Bind()). Datagrams are handed
// to the receive callback as they arrive, with no receive buffer.
//
// Send errors are those ns-3 returns synchronously (plus
// ErrMessageTooLarge for datagrams that would need fragmentation); a
// datagram accepted by Send may still be dropped further down, which the
// node reports through OnDrop and Drops.
type UDPSocket struct {
	// OnTx, when set, is called for every datagram the socket sends (UDP
	// header on), before IPv4.
	OnTx func(sock *UDPSocket, p *packet.Packet)

	node           *Node
	port           uint16
	bound          bool
	closed         bool
	allowBroadcast bool
	connected      bool
	peer           IPv4Addr
	peerPort       uint16
	recv           UDPRecvCallback
	stats          UDPStats
}

// NewUDPSocket returns an unbound UDP socket on the node.
func (n *Node) NewUDPSocket() *UDPSocket { return &UDPSocket{node: n} }

// Node returns the socket's node.
func (s *UDPSocket) Node() *Node { return s.node }

// LocalPort returns the bound port, or 0 if the socket is not bound.
func (s *UDPSocket) LocalPort() uint16 { return s.port }

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

// Bind binds the socket to port on all of the node's addresses; port 0
// picks the next free ephemeral port (49153, 49154, ... as ns-3).
func (s *UDPSocket) Bind(port uint16) error {
	if s.closed {
		return ErrClosed
	}
	if s.bound {
		return ErrAlreadyBound
	}
	n := s.node
	if port == 0 {
		p, ok := n.allocateEphemeral()
		if !ok {
			return ErrNoPorts
		}
		port = p
	} else if _, used := n.sockets[port]; used {
		return fmt.Errorf("%w: node %d port %d", ErrPortInUse, n.id, port)
	}
	n.sockets[port] = s
	s.port = port
	s.bound = true
	return nil
}

func (n *Node) allocateEphemeral() (uint16, bool) {
	port := n.ephemeral
	for count := ephemeralLast - ephemeralFirst; count >= 0; count-- {
		port++
		if port < ephemeralFirst {
			port = ephemeralFirst
		}
		if _, used := n.sockets[port]; !used {
			n.ephemeral = port
			return port, true
		}
	}
	return 0, false
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
	if s.bound && s.node.sockets[s.port] == s {
		delete(s.node.sockets, s.port)
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
	if p == s.node.delivering {
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
		// Limited broadcast: one copy out of every interface.
		if !s.allowBroadcast {
			return ErrBroadcastNotAllowed
		}
		if len(n.ifaces) == 0 {
			return ErrNoRoute
		}
		for _, ifc := range n.ifaces {
			if ipSize > ifc.dev.MTU() {
				return s.tooLarge(ipSize, ifc)
			}
		}
		p = s.packet(p, size, payload)
		last := len(n.ifaces) - 1
		for i, ifc := range n.ifaces {
			q := p
			if i < last {
				q = p.Copy()
			}
			s.transmit(q, size, ifc, dst, dst, port)
		}
		return nil
	}
	ifc := n.interfaceFor(dst)
	nextHop := dst
	if ifc == nil {
		var ok bool
		ifc, nextHop, ok = n.routeOutput(dst)
		if !ok {
			return fmt.Errorf("%w: node %d to %v", ErrNoRoute, n.id, dst)
		}
	}
	if !s.allowBroadcast && dst == ifc.Broadcast() {
		return ErrBroadcastNotAllowed
	}
	if ipSize > ifc.dev.MTU() {
		return s.tooLarge(ipSize, ifc)
	}
	s.transmit(s.packet(p, size, payload), size, ifc, dst, nextHop, port)
	return nil
}

func (s *UDPSocket) tooLarge(ipSize int, ifc *Interface) error {
	return fmt.Errorf("%w: %d-byte IPv4 packet exceeds MTU %d of %v (netgym does not fragment)",
		ErrMessageTooLarge, ipSize, ifc.dev.MTU(), ifc)
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
func (s *UDPSocket) transmit(p *packet.Packet, size int, ifc *Interface, dst, nextHop IPv4Addr, port uint16) {
	n := s.node
	u := n.udpHdrs.Get()
	*u = UDPHeader{SrcPort: s.port, DstPort: port, Length: uint16(size + UDPHeaderSize), list: &n.udpHdrs}
	p.Push(u)
	s.stats.TxPackets++
	s.stats.TxBytes += uint64(size)
	if s.OnTx != nil {
		s.OnTx(s, p)
	}
	n.sendIPv4(p, ifc.addr, dst, ProtoUDP, ifc, nextHop)
}

// receiveUDP is ns-3's UdpL4Protocol::Receive for a socket bound to any
// address.
func (n *Node) receiveUDP(ifc *Interface, p *packet.Packet, h *IPv4Header) {
	u, ok := p.HeaderAt(1).(*UDPHeader)
	if !ok {
		n.drop(p, DropMalformed, ifc)
		return
	}
	sock := n.sockets[u.DstPort]
	if sock == nil {
		n.drop(p, DropNoSocket, ifc)
		return
	}
	p.Pop()
	p.Pop()
	from, fromPort := h.Src, u.SrcPort
	h.Release()
	u.Release()
	n.stats.Delivered++
	sock.stats.RxPackets++
	sock.stats.RxBytes += uint64(p.Size())
	if sock.recv != nil {
		n.delivering = p
		sock.recv(sock, p, from, fromPort)
		n.delivering = nil
	}
	p.Release()
}
