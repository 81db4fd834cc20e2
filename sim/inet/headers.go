package inet

import (
	"fmt"

	"github.com/netgym/netgym/sim/packet"
)

// EtherType values: the protocol field a device carries with each frame.
const (
	EtherTypeIPv4 uint16 = 0x0800
	EtherTypeARP  uint16 = 0x0806
	EtherTypeIPv6 uint16 = 0x86dd
)

// IP protocol numbers.
const (
	ProtoICMP uint8 = 1
	ProtoTCP  uint8 = 6
	ProtoUDP  uint8 = 17
)

// Header sizes in bytes.
const (
	IPv4HeaderSize = 20 // without options
	UDPHeaderSize  = 8
	ARPHeaderSize  = 28 // ns-3 ArpHeader with 6-byte hardware addresses: 16 + 2*6
	PPPHeaderSize  = 2  // ns-3 PppHeader: the protocol field only
)

// MaxUDPPayload is the largest UDP payload an IPv4 datagram can carry:
// 65535 - 20 - 8, ns-3's MAX_IPV4_UDP_DATAGRAM_SIZE.
const MaxUDPPayload = 65507

// DefaultTTL is the TTL of packets a node originates (ns-3 Ipv4L3Protocol
// DefaultTtl).
const DefaultTTL = 64

// IPv4Header is an IPv4 header without options (20 bytes). Nodes draw them
// from a free list and release them when the packet is consumed; a header
// built as a literal works the same way and is simply garbage collected.
type IPv4Header struct {
	Src      IPv4Addr // source address
	Dst      IPv4Addr // destination address
	Protocol uint8    // transport protocol, e.g. ProtoUDP
	TTL      uint8    // time to live; routers decrement it
	TOS      uint8    // type of service
	// ID is the identification field. As ns-3, a node counts it per
	// (source, destination, protocol), starting at 0.
	ID uint16
	// PayloadSize is the number of bytes after the header (total length
	// minus 20).
	PayloadSize uint16
	// DontFragment is the DF flag (ns-3 sets it off by default: "may
	// fragment").
	DontFragment bool

	list   *packet.FreeList[IPv4Header]
	inList bool
}

// Size returns 20.
func (h *IPv4Header) Size() int { return IPv4HeaderSize }

// TotalLength returns the IPv4 total length field: header plus payload.
func (h *IPv4Header) TotalLength() int { return IPv4HeaderSize + int(h.PayloadSize) }

// String describes the header.
func (h *IPv4Header) String() string {
	return fmt.Sprintf("IPv4 %v > %v proto=%d ttl=%d id=%d len=%d",
		h.Src, h.Dst, h.Protocol, h.TTL, h.ID, h.TotalLength())
}

// Clone returns a copy of h, drawn from the same free list, so that a
// packet copy owns its own IPv4 header (routers change the TTL in place).
func (h *IPv4Header) Clone() packet.Header {
	var c *IPv4Header
	if h.list != nil {
		c = h.list.Get()
	} else {
		c = new(IPv4Header)
	}
	*c = *h
	c.inList = false
	return c
}

// Release returns h to the free list it came from, if any. Releasing twice
// does nothing.
func (h *IPv4Header) Release() {
	if h.list == nil || h.inList {
		return
	}
	h.inList = true
	h.list.Put(h)
}

// UDPHeader is a UDP header (8 bytes).
type UDPHeader struct {
	SrcPort uint16 // source port
	DstPort uint16 // destination port
	// Length is the UDP length field: header plus payload.
	Length uint16

	list   *packet.FreeList[UDPHeader]
	inList bool
}

// Size returns 8.
func (h *UDPHeader) Size() int { return UDPHeaderSize }

// String describes the header.
func (h *UDPHeader) String() string {
	return fmt.Sprintf("UDP %d > %d len=%d", h.SrcPort, h.DstPort, h.Length)
}

// Clone returns a copy of h, drawn from the same free list.
func (h *UDPHeader) Clone() packet.Header {
	var c *UDPHeader
	if h.list != nil {
		c = h.list.Get()
	} else {
		c = new(UDPHeader)
	}
	*c = *h
	c.inList = false
	return c
}

// Release returns h to the free list it came from, if any. Releasing twice
// does nothing.
func (h *UDPHeader) Release() {
	if h.list == nil || h.inList {
		return
	}
	h.inList = true
	h.list.Put(h)
}

// ARP operation codes.
const (
	ARPRequest uint16 = 1
	ARPReply   uint16 = 2
)

// ARPHeader is an ARP packet for IPv4 over 48-bit hardware addresses
// (28 bytes). It is immutable once pushed: copies of a broadcast request
// share it.
type ARPHeader struct {
	Op     uint16       // ARPRequest or ARPReply
	SrcMAC packet.Mac48 // sender hardware address
	SrcIP  IPv4Addr     // sender protocol address
	DstMAC packet.Mac48 // target hardware address (broadcast in a request, as ns-3)
	DstIP  IPv4Addr     // target protocol address
}

// Size returns 28.
func (h *ARPHeader) Size() int { return ARPHeaderSize }

// String describes the header.
func (h *ARPHeader) String() string {
	switch h.Op {
	case ARPRequest:
		return fmt.Sprintf("ARP request who-has %v tell %v (%v)", h.DstIP, h.SrcIP, h.SrcMAC)
	case ARPReply:
		return fmt.Sprintf("ARP reply %v is-at %v to %v (%v)", h.SrcIP, h.SrcMAC, h.DstIP, h.DstMAC)
	}
	return fmt.Sprintf("ARP op=%d %v (%v) > %v (%v)", h.Op, h.SrcIP, h.SrcMAC, h.DstIP, h.DstMAC)
}

// PPP protocol numbers for the protocols a point-to-point device carries.
const (
	PPPProtoIPv4 uint16 = 0x0021
	PPPProtoIPv6 uint16 = 0x0057
)

// PPPHeader is the 2-byte header ns-3's PointToPointNetDevice puts on every
// frame (the PPP protocol field; no flag, address, control or FCS bytes).
// Devices push one shared, immutable header per protocol.
type PPPHeader struct {
	Protocol uint16 // PPPProtoIPv4 or PPPProtoIPv6
}

// Size returns 2.
func (h *PPPHeader) Size() int { return PPPHeaderSize }

// String describes the header.
func (h *PPPHeader) String() string { return fmt.Sprintf("PPP proto=0x%04x", h.Protocol) }
