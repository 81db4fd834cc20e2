package epc

import (
	"fmt"

	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// Well-known ports.
const (
	// GTPUPort is GTP-U's UDP port (TS 29.281), on S1-U and S5-U.
	GTPUPort uint16 = 2152
	// GTPCPort is GTPv2-C's UDP port (TS 29.274), on S11 and S5-C.
	GTPCPort uint16 = 2123
	// S1APPort is the port ns3-mmwave's S1-AP uses over UDP (36412, the
	// SCTP port of TS 36.412).
	S1APPort uint16 = 36412
)

// Sizes of the user-plane tunnel.
const (
	// GTPUHeaderSize is the GTP-U header ns-3 puts on every user packet:
	// the 8 mandatory bytes and the 4 optional ones (sequence number,
	// N-PDU number, next extension type), which ns-3 always writes.
	GTPUHeaderSize = 12
	// TunnelOverhead is what a GTP-U tunnel adds to a user IPv4 packet on
	// S1-U and S5-U: outer IPv4 (20), UDP (8) and GTP-U (12).
	TunnelOverhead = inet.IPv4HeaderSize + inet.UDPHeaderSize + GTPUHeaderSize
)

// GTPUMessageGPDU is the message type of a G-PDU, a GTP-U packet carrying
// a user packet (TS 29.281 table 6.1-1).
const GTPUMessageGPDU = 255

// GTPUHeader is the GTP-U v1 header (TS 29.281 5.1) as ns-3.45's
// GtpuHeader writes it: version 1, protocol type 1 (GTP), the sequence
// number and N-PDU number flags set (so the header is 12 bytes), message
// type 255 and the tunnel endpoint id. Length counts the bytes after the
// first 8: the user packet plus the 4 optional bytes.
//
// The core draws these headers from free lists and gives them back when
// the packet is done with, so that tunnelling allocates nothing.
type GTPUHeader struct {
	Version            uint8 // 1
	ProtocolType       bool  // true: GTP (false: GTP')
	ExtensionHeader    bool  // E flag; ns-3: false
	SequenceNumberFlag bool  // S flag; ns-3: true
	NPDUNumberFlag     bool  // PN flag; ns-3: true
	MessageType        uint8 // 255 for a G-PDU
	// Length is the number of bytes after the mandatory 8-byte part.
	Length uint16
	// TEID is the tunnel endpoint identifier of the receiving end.
	TEID              uint32
	SequenceNumber    uint16 // ns-3: 0
	NPDUNumber        uint8  // ns-3: 0
	NextExtensionType uint8  // ns-3: 0 (no extension header)

	list   *packet.FreeList[GTPUHeader]
	inList bool
}

// NewGTPUHeader returns ns-3's G-PDU header for a user packet of
// innerSize bytes on tunnel teid (GtpuHeader defaults; length as the
// senders set it: innerSize + 12 - 8).
func NewGTPUHeader(teid uint32, innerSize int) *GTPUHeader {
	h := &GTPUHeader{}
	h.set(teid, innerSize)
	return h
}

func (h *GTPUHeader) set(teid uint32, innerSize int) {
	list := h.list
	*h = GTPUHeader{
		Version: 1, ProtocolType: true, SequenceNumberFlag: true, NPDUNumberFlag: true,
		MessageType: GTPUMessageGPDU, Length: uint16(innerSize + GTPUHeaderSize - 8), TEID: teid,
		list: list,
	}
}

// Size returns 12.
func (h *GTPUHeader) Size() int { return GTPUHeaderSize }

// String describes the header.
func (h *GTPUHeader) String() string {
	return fmt.Sprintf("GTP-U v%d type=%d len=%d teid=%d", h.Version, h.MessageType, h.Length, h.TEID)
}

// FirstByte returns the header's first octet as ns-3 serialises it:
// version, PT, a spare bit set, E, S and PN flags.
func (h *GTPUHeader) FirstByte() byte {
	b := h.Version<<5 | 1<<3
	if h.ProtocolType {
		b |= 1 << 4
	}
	if h.ExtensionHeader {
		b |= 1 << 2
	}
	if h.SequenceNumberFlag {
		b |= 1 << 1
	}
	if h.NPDUNumberFlag {
		b |= 1
	}
	return b
}

// Clone returns a copy drawn from the same free list.
func (h *GTPUHeader) Clone() packet.Header {
	var c *GTPUHeader
	if h.list != nil {
		c = h.list.Get()
	} else {
		c = new(GTPUHeader)
	}
	*c = *h
	c.inList = false
	return c
}

// Release gives the header back to its free list, if any; releasing twice
// does nothing.
func (h *GTPUHeader) Release() {
	if h.list == nil || h.inList {
		return
	}
	h.inList = true
	h.list.Put(h)
}

// gtpuHeaders is a free list of GTP-U headers (one per tunnel end).
type gtpuHeaders struct {
	list packet.FreeList[GTPUHeader]
}

func (l *gtpuHeaders) get(teid uint32, innerSize int) *GTPUHeader {
	h := l.list.Get()
	h.list = &l.list
	h.set(teid, innerSize)
	return h
}
