package channelif

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/spaces"
)

var _ ChannelInterface = (*SocketChannelInterface)(nil)

// SocketProtocol is the transport of a SocketChannelInterface.
type SocketProtocol uint8

// Transports. Only UDP is simulated so far.
const (
	SocketUDP SocketProtocol = iota // UDP (the default)
	SocketTCP                       // TCP: refused with ErrTCPNotSupported until netgym has TCP
)

// String returns "UDP" or "TCP".
func (p SocketProtocol) String() string {
	switch p {
	case SocketUDP:
		return "UDP"
	case SocketTCP:
		return "TCP"
	}
	return fmt.Sprintf("SocketProtocol(%d)", uint8(p))
}

// DefaultMessageLifetime is how long, by default, a socket interface waits
// for a sent message to arrive before forgetting it (see
// SocketConfig.MessageLifetime).
const DefaultMessageLifetime = 60 * sim.Second

// SocketConfig configures a SocketChannelInterface. The zero value is
// usable and means the defaults.
type SocketConfig struct {
	// Protocol is the transport: SocketUDP (default). SocketTCP gets
	// ErrTCPNotSupported.
	Protocol SocketProtocol
	// Address is the address partners send to. The zero address (default)
	// means the node's first interface address, looked up at Connect.
	Address inet.IPv4Addr
	// Port is the local UDP port. 0 (default) takes the node's next
	// ephemeral port (49153, 49154, ...), as DEFIANCE binds port 0.
	Port uint16
	// MessageLifetime is how long a sent message's value is kept waiting
	// for its datagram; a datagram lost in the network leaves its value
	// behind, and values older than this are forgotten (and counted as
	// Expired). 0 means DefaultMessageLifetime (60 s).
	MessageLifetime sim.Time
	// Sizer gives a message's UDP payload size; nil means
	// spaces.EncodedSize.
	Sizer MessageSizer
}

// DefaultSocketConfig returns the defaults: UDP, the node's first address,
// an ephemeral port, a 60 s message lifetime and spaces.EncodedSize.
func DefaultSocketConfig() SocketConfig {
	return SocketConfig{Protocol: SocketUDP, MessageLifetime: DefaultMessageLifetime}
}

// Validate reports the first unusable setting.
func (c SocketConfig) Validate() error {
	switch {
	case c.Protocol == SocketTCP:
		return ErrTCPNotSupported
	case c.Protocol != SocketUDP:
		return fmt.Errorf("channelif: unknown socket protocol %v", c.Protocol)
	case c.MessageLifetime < 0:
		return fmt.Errorf("channelif: socket message lifetime %v is negative", c.MessageLifetime)
	}
	return nil
}

// SocketChannelInterface is a channel interface over a UDP socket of a
// simulated node (DEFIANCE's SocketChannelInterface with UDP): each message
// is one datagram whose payload size is the message's size, sent through
// IPv4 and whatever devices lie between the nodes, with their delays,
// queues and losses. The message value does not travel in the packet: the
// sender keeps it, keyed by the packet's uid, and the receiver takes it
// from there when the datagram arrives (the packet carries a tag naming
// the sender). A datagram lost on the way leaves nothing behind for long
// (SocketConfig.MessageLifetime).
//
// Connect pairs two socket interfaces, each sending to the other's address
// and port; ConnectTo sends to any address and port (a one-sided
// connection, e.g. many observation applications sending to one agent's
// interface). As with UDP, an interface receives every message addressed to
// its port, whether or not it is connected, until Close.
//
// Deviations from DEFIANCE: messages larger than the path MTU allows (1500
// bytes less 28 on a point-to-point link) are refused with an error, since
// netgym does not fragment; Disconnect keeps the socket bound (DEFIANCE
// opens a new one on the same address); messages in flight when their
// connection ends are dropped.
type SocketChannelInterface struct {
	endpoint
	node     *inet.Node
	pool     *packet.Pool
	sock     *inet.UDPSocket
	cfg      SocketConfig
	lifetime sim.Time
	closed   bool

	partner  *SocketChannelInterface // set by Connect, nil after ConnectTo
	peer     inet.IPv4Addr
	peerPort uint16

	tag     *socketTag
	pending map[uint64]pendingMessage // packet uid -> message in flight
	sweepAt int
}

type pendingMessage struct {
	msg  spaces.Value
	size int
	sent sim.Time
}

// socketTag marks a packet as a message of a socket interface; the
// receiver finds the message in the sender's pending map.
type socketTag struct{ from *SocketChannelInterface }

// String describes the tag for packet traces.
func (t *socketTag) String() string { return "channelif message" }

// NewSocketChannelInterface binds a UDP socket on node and returns a
// disconnected interface around it.
func NewSocketChannelInterface(node *inet.Node, cfg SocketConfig) (*SocketChannelInterface, error) {
	if node == nil {
		return nil, fmt.Errorf("channelif: NewSocketChannelInterface needs a node")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sock := node.NewUDPSocket()
	if err := sock.Bind(cfg.Port); err != nil {
		return nil, fmt.Errorf("channelif: socket channel interface on node %d: %w", node.ID(), err)
	}
	c := &SocketChannelInterface{
		endpoint: endpoint{sizer: cfg.Sizer},
		node:     node,
		pool:     node.Pool(),
		sock:     sock,
		cfg:      cfg,
		lifetime: cfg.MessageLifetime,
		pending:  make(map[uint64]pendingMessage),
		sweepAt:  64,
	}
	if c.lifetime == 0 {
		c.lifetime = DefaultMessageLifetime
	}
	c.tag = &socketTag{from: c}
	sock.SetRecvCallback(c.receive)
	return c, nil
}

// Node returns the interface's node.
func (c *SocketChannelInterface) Node() *inet.Node { return c.node }

// LocalAddress returns the address and port partners send to. The address
// is the configured one, or the node's first interface address (0.0.0.0 if
// the node has none yet).
func (c *SocketChannelInterface) LocalAddress() (inet.IPv4Addr, uint16) {
	addr := c.cfg.Address
	if addr == inet.IPv4Any {
		addr = c.node.Address()
	}
	return addr, c.sock.LocalPort()
}

// Peer returns the address and port messages are sent to, and whether the
// interface is connected.
func (c *SocketChannelInterface) Peer() (inet.IPv4Addr, uint16, bool) {
	return c.peer, c.peerPort, c.status == StatusConnected
}

// Partner returns the interface connected by Connect, or nil (also after
// ConnectTo).
func (c *SocketChannelInterface) Partner() *SocketChannelInterface { return c.partner }

// Pending returns the number of sent messages whose datagrams have neither
// arrived nor expired.
func (c *SocketChannelInterface) Pending() int { return len(c.pending) }

// Connect connects c and other (a *SocketChannelInterface of the same
// simulation) both ways: each sends to the other's LocalAddress. As
// DEFIANCE, it refuses if either is already connected (keeping the existing
// connections) and refuses to connect an interface to itself. Two
// interfaces on the same node talk through the node's loopback.
func (c *SocketChannelInterface) Connect(other ChannelInterface) error {
	o, ok := other.(*SocketChannelInterface)
	switch {
	case !ok || o == nil:
		return fmt.Errorf("%w: a *SocketChannelInterface connects only to another, not to %T", ErrIncompatibleInterface, other)
	case o == c:
		return fmt.Errorf("%w: an interface cannot connect to itself", ErrIncompatibleInterface)
	case c.closed || o.closed:
		return ErrInterfaceClosed
	case o.node.Sim() != c.node.Sim():
		return fmt.Errorf("%w: the interfaces belong to different simulations", ErrIncompatibleInterface)
	case o.cfg.Protocol != c.cfg.Protocol:
		return fmt.Errorf("%w: %v and %v", ErrIncompatibleInterface, c.cfg.Protocol, o.cfg.Protocol)
	case c.status == StatusConnected:
		return fmt.Errorf("%w: this interface is connected to %v:%d", ErrAlreadyConnected, c.peer, c.peerPort)
	case o.status == StatusConnected:
		return fmt.Errorf("%w: the other interface is connected to %v:%d", ErrAlreadyConnected, o.peer, o.peerPort)
	}
	myAddr, myPort := c.LocalAddress()
	oAddr, oPort := o.LocalAddress()
	if myAddr == inet.IPv4Any {
		return fmt.Errorf("channelif: node %d has no IPv4 address to connect from", c.node.ID())
	}
	if oAddr == inet.IPv4Any {
		return fmt.Errorf("channelif: node %d has no IPv4 address to connect to", o.node.ID())
	}
	c.link(o, oAddr, oPort)
	o.link(c, myAddr, myPort)
	return nil
}

// ConnectTo connects c alone to addr:port, where another socket interface
// (or several interfaces' messages) is expected to listen. Only c becomes
// connected; Disconnect on c ends it.
func (c *SocketChannelInterface) ConnectTo(addr inet.IPv4Addr, port uint16) error {
	switch {
	case c.closed:
		return ErrInterfaceClosed
	case c.status == StatusConnected:
		return fmt.Errorf("%w: this interface is connected to %v:%d", ErrAlreadyConnected, c.peer, c.peerPort)
	case addr == inet.IPv4Any || port == 0:
		return fmt.Errorf("channelif: cannot connect to %v:%d", addr, port)
	case addr.IsBroadcast() || addr.IsMulticast():
		return fmt.Errorf("channelif: cannot connect to broadcast or multicast address %v", addr)
	}
	c.link(nil, addr, port)
	return nil
}

func (c *SocketChannelInterface) link(partner *SocketChannelInterface, addr inet.IPv4Addr, port uint16) {
	c.partner, c.peer, c.peerPort = partner, addr, port
	c.status = StatusConnected
}

// unlink disconnects c and forgets its messages in flight, which are then
// dropped on arrival.
func (c *SocketChannelInterface) unlink() {
	c.partner, c.peer, c.peerPort = nil, 0, 0
	c.status = StatusDisconnected
	clear(c.pending)
}

// Disconnect ends the connection, on both sides if it was made by Connect.
// Messages in flight on it are dropped on arrival. The socket stays bound.
func (c *SocketChannelInterface) Disconnect() error {
	if c.status != StatusConnected {
		return ErrNotConnected
	}
	p := c.partner
	c.unlink()
	if p != nil && p.partner == c {
		p.unlink()
	}
	return nil
}

// Close disconnects the interface and releases its port. A closed
// interface neither sends nor receives.
func (c *SocketChannelInterface) Close() error {
	if c.closed {
		return ErrInterfaceClosed
	}
	if c.status == StatusConnected {
		_ = c.Disconnect()
	}
	c.closed = true
	return c.sock.Close()
}

// Send sends msg as one datagram of its size (SocketConfig.Sizer).
func (c *SocketChannelInterface) Send(msg spaces.Value) error {
	if err := c.canSend(); err != nil {
		return err
	}
	size, err := c.messageSize(msg)
	if err != nil {
		return err
	}
	return c.SendSized(msg, size)
}

func (c *SocketChannelInterface) canSend() error {
	if c.closed {
		return ErrInterfaceClosed
	}
	if c.status != StatusConnected {
		return ErrNotConnected
	}
	return nil
}

// SendSized sends msg as one datagram of size payload bytes. Errors of the
// UDP socket (no route, message too large for the MTU, ...) are returned
// wrapped; a datagram accepted may still be lost further down.
func (c *SocketChannelInterface) SendSized(msg spaces.Value, size int) error {
	if err := c.canSend(); err != nil {
		return err
	}
	if msg == nil {
		return ErrNilMessage
	}
	if size < 0 || size > inet.MaxUDPPayload {
		return fmt.Errorf("channelif: message size %d outside 0..%d", size, inet.MaxUDPPayload)
	}
	p := c.pool.New(size)
	p.AddTag(c.tag)
	uid := p.UID()
	now := c.node.Sim().Now()
	c.pending[uid] = pendingMessage{msg: msg, size: size, sent: now}
	if err := c.sock.SendPacketTo(p, c.peer, c.peerPort); err != nil {
		delete(c.pending, uid)
		p.Release()
		return fmt.Errorf("channelif: socket channel interface send to %v:%d: %w", c.peer, c.peerPort, err)
	}
	c.sent(size)
	if len(c.pending) >= c.sweepAt {
		c.sweep(now)
	}
	return nil
}

// sweep forgets messages older than the lifetime. It runs when the pending
// map has doubled since the last sweep, so its cost is amortised O(1) per
// message.
func (c *SocketChannelInterface) sweep(now sim.Time) {
	for uid, m := range c.pending {
		if now-m.sent > c.lifetime {
			delete(c.pending, uid)
			c.stats.Expired++
		}
	}
	c.sweepAt = max(64, 2*len(c.pending))
}

// receive is the socket's receive callback.
func (c *SocketChannelInterface) receive(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
	tag, ok := packet.FindTag[*socketTag](p)
	if !ok {
		return // a datagram not sent by a channel interface
	}
	from := tag.from
	m, ok := from.pending[p.UID()]
	if !ok {
		c.stats.Dropped++ // its connection ended, or a duplicate
		return
	}
	delete(from.pending, p.UID())
	c.deliver(m.msg, m.size)
}

// AddRecvCallback adds a callback for arriving messages.
func (c *SocketChannelInterface) AddRecvCallback(cb RecvCallback) RecvCallbackID {
	return c.addRecvCallback(cb)
}

// RemoveRecvCallback removes a callback and reports whether it was there.
func (c *SocketChannelInterface) RemoveRecvCallback(id RecvCallbackID) bool {
	return c.removeRecvCallback(id)
}

// Status returns the connection status.
func (c *SocketChannelInterface) Status() ConnectionStatus { return c.status }

// Connected reports whether the interface is connected.
func (c *SocketChannelInterface) Connected() bool { return c.status == StatusConnected }

// Stats returns the interface's counters.
func (c *SocketChannelInterface) Stats() InterfaceStats { return c.stats }
