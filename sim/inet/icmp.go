package inet

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/sim/packet"
)

// ICMPv4 message types (RFC 792) that netgym handles or names.
const (
	ICMPv4TypeEchoReply    uint8 = 0
	ICMPv4TypeDestUnreach  uint8 = 3
	ICMPv4TypeEcho         uint8 = 8
	ICMPv4TypeTimeExceeded uint8 = 11
)

// ICMPv4 header sizes in bytes (ns-3 Icmpv4Header and Icmpv4Echo without
// its data).
const (
	ICMPv4HeaderSize     = 4 // type, code, checksum
	ICMPv4EchoHeaderSize = 4 // identifier, sequence number
)

// ICMPv4Header is the 4-byte ICMP header: type, code and checksum. The
// checksum is not modelled (its two bytes are counted). Nodes draw these
// headers from a free list.
type ICMPv4Header struct {
	Type uint8 // e.g. ICMPv4TypeEcho
	Code uint8

	list   *packet.FreeList[ICMPv4Header]
	inList bool
}

// Size returns 4.
func (h *ICMPv4Header) Size() int { return ICMPv4HeaderSize }

// String describes the header.
func (h *ICMPv4Header) String() string {
	return fmt.Sprintf("ICMPv4 type=%d code=%d", h.Type, h.Code)
}

// Clone returns a copy of h, drawn from the same free list.
func (h *ICMPv4Header) Clone() packet.Header {
	var c *ICMPv4Header
	if h.list != nil {
		c = h.list.Get()
	} else {
		c = new(ICMPv4Header)
	}
	*c = *h
	c.inList = false
	return c
}

// Release returns h to the free list it came from, if any. Releasing twice
// does nothing.
func (h *ICMPv4Header) Release() {
	if h.list == nil || h.inList {
		return
	}
	h.inList = true
	h.list.Put(h)
}

// ICMPv4Echo is the body of an echo request or reply after the ICMP header
// (ns-3's Icmpv4Echo): identifier and sequence number, 4 bytes; the echo
// data is the packet's payload.
type ICMPv4Echo struct {
	Identifier uint16
	Sequence   uint16

	list   *packet.FreeList[ICMPv4Echo]
	inList bool
}

// Size returns 4.
func (h *ICMPv4Echo) Size() int { return ICMPv4EchoHeaderSize }

// String describes the header.
func (h *ICMPv4Echo) String() string {
	return fmt.Sprintf("ICMPv4 echo id=%d seq=%d", h.Identifier, h.Sequence)
}

// Clone returns a copy of h, drawn from the same free list.
func (h *ICMPv4Echo) Clone() packet.Header {
	var c *ICMPv4Echo
	if h.list != nil {
		c = h.list.Get()
	} else {
		c = new(ICMPv4Echo)
	}
	*c = *h
	c.inList = false
	return c
}

// Release returns h to the free list it came from, if any. Releasing twice
// does nothing.
func (h *ICMPv4Echo) Release() {
	if h.list == nil || h.inList {
		return
	}
	h.inList = true
	h.list.Put(h)
}

// ICMPv4Stats counts a node's ICMP messages.
type ICMPv4Stats struct {
	EchoRequestsTx uint64 // echo requests sent (SendEchoRequest, Ping)
	EchoRequestsRx uint64 // echo requests received
	EchoRepliesTx  uint64 // echo replies sent
	EchoRepliesRx  uint64 // echo replies received
	OtherRx        uint64 // other ICMP messages received and ignored
}

// echoListener receives echo replies with its identifier (a Ping).
type echoListener interface {
	echoReply(p *packet.Packet, h *IPv4Header, echo *ICMPv4Echo)
}

// ICMPv4 is a node's ICMP protocol (ns-3's Icmpv4L4Protocol) for echo:
// it answers every echo request addressed to the node with an echo reply
// carrying the same identifier, sequence number and data, and hands echo
// replies to the Ping that sent the request (matched by identifier).
//
// It sends no error messages: a datagram for a closed port, a packet with
// no route or an expired TTL is dropped silently (the node counts it under
// DropNoSocket, DropNoRoute, DropTTLExpired), where ns-3 would send
// destination-unreachable or time-exceeded; received error messages are
// counted and ignored.
type ICMPv4 struct {
	node      *Node
	hdrs      packet.FreeList[ICMPv4Header]
	echos     packet.FreeList[ICMPv4Echo]
	listeners map[uint16]echoListener
	nextID    uint16
	stats     ICMPv4Stats
}

// firstEchoID is the identifier ns-3's Ping puts on its requests
// (PING_ID); netgym gives each Ping on a node its own identifier from
// there on, instead of ns-3's 8-byte signature in the data.
const firstEchoID = 0xbeef

func newICMPv4(n *Node) *ICMPv4 {
	return &ICMPv4{node: n, nextID: firstEchoID}
}

// ICMP returns the node's ICMPv4 protocol.
func (n *Node) ICMP() *ICMPv4 { return n.icmp }

// Protocol returns 1.
func (c *ICMPv4) Protocol() uint8 { return ProtoICMP }

// Stats returns the protocol's counters.
func (c *ICMPv4) Stats() ICMPv4Stats { return c.stats }

// listen registers l for echo replies and returns its identifier.
func (c *ICMPv4) listen(l echoListener) (uint16, error) {
	if c.listeners == nil {
		c.listeners = make(map[uint16]echoListener)
	}
	for range 1 << 16 {
		id := c.nextID
		c.nextID++
		if _, used := c.listeners[id]; !used {
			c.listeners[id] = l
			return id, nil
		}
	}
	return 0, fmt.Errorf("inet: node %d: every ICMP echo identifier is in use", c.node.id)
}

func (c *ICMPv4) unlisten(id uint16) { delete(c.listeners, id) }

// SendEchoRequest sends an echo request with the given identifier,
// sequence number and size data bytes (virtual) to dst, from src (0.0.0.0
// lets the node choose) with type of service tos. On the wire it is
// 20 + 8 + size bytes. Errors are Node.SendIPv4's.
func (c *ICMPv4) SendEchoRequest(src, dst IPv4Addr, id, seq uint16, size int, tos uint8) error {
	if size < 0 || size > 65535-IPv4HeaderSize-ICMPv4HeaderSize-ICMPv4EchoHeaderSize {
		return fmt.Errorf("%w: %d bytes of echo data", ErrInvalidSize, size)
	}
	p := c.newMessage(c.node.pool.New(size), ICMPv4TypeEcho, id, seq)
	if err := c.node.SendIPv4(p, src, dst, ProtoICMP, tos); err != nil {
		p.Release()
		return err
	}
	c.stats.EchoRequestsTx++
	return nil
}

// newMessage pushes the echo body and the ICMP header of the given type on
// p.
func (c *ICMPv4) newMessage(p *packet.Packet, typ uint8, id, seq uint16) *packet.Packet {
	e := c.echos.Get()
	*e = ICMPv4Echo{Identifier: id, Sequence: seq, list: &c.echos}
	p.Push(e)
	h := c.hdrs.Get()
	*h = ICMPv4Header{Type: typ, list: &c.hdrs}
	p.Push(h)
	return p
}

// Receive is ns-3's Icmpv4L4Protocol::Receive for echo requests and
// replies.
func (c *ICMPv4) Receive(p *packet.Packet, h *IPv4Header, in *Interface) DropReason {
	ih, ok := p.HeaderAt(1).(*ICMPv4Header)
	if !ok {
		return DropMalformed
	}
	switch ih.Type {
	case ICMPv4TypeEcho, ICMPv4TypeEchoReply:
		echo, ok := p.HeaderAt(2).(*ICMPv4Echo)
		if !ok {
			return DropMalformed
		}
		if ih.Type == ICMPv4TypeEcho {
			c.stats.EchoRequestsRx++
			c.answer(p, h, echo, in)
		} else {
			c.stats.EchoRepliesRx++
			if l := c.listeners[echo.Identifier]; l != nil {
				l.echoReply(p, h, echo)
			}
		}
	default:
		c.stats.OtherRx++
	}
	p.Release()
	return 0
}

// answer is ns-3's HandleEcho: the reply goes back to the request's source
// from the address the request was sent to; for a request to a broadcast
// address, from the incoming interface's address on the sender's subnet
// (limited broadcast) or whose broadcast address it was (subnet
// broadcast).
func (c *ICMPv4) answer(req *packet.Packet, h *IPv4Header, echo *ICMPv4Echo, in *Interface) {
	n := c.node
	src := h.Dst
	switch {
	case src.IsBroadcast():
		for _, a := range in.addrs {
			if a.Contains(h.Src) {
				src = a.Local
			}
		}
	default:
		for _, a := range in.addrs {
			if src == a.Broadcast() {
				src = a.Local
			}
		}
	}
	if src.IsBroadcast() || src.IsMulticast() {
		src = in.Address()
	}
	var q *packet.Packet
	if b := req.Payload(); b != nil {
		q = n.pool.NewWithPayload(b)
	} else {
		q = n.pool.New(req.PayloadSize())
	}
	c.newMessage(q, ICMPv4TypeEchoReply, echo.Identifier, echo.Sequence)
	if err := n.SendIPv4(q, src, h.Src, ProtoICMP, h.TOS); err != nil {
		reason := DropNoRoute
		if errors.Is(err, ErrMessageTooLarge) {
			reason = DropMTUExceeded
		}
		n.drop(q, reason, in)
		return
	}
	c.stats.EchoRepliesTx++
}
