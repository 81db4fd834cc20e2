package nr5g

import (
	"fmt"

	"github.com/netgym/netgym/sim/packet"
)

// PDCP constants (5G-LENA's NrPdcp and NrPdcpHeader).
const (
	// PdcpHeaderSize is the PDCP data PDU header: D/C bit and a 12-bit
	// sequence number, 2 bytes (NrPdcpHeader::GetSerializedSize).
	PdcpHeaderSize = 2
	// PdcpMaxSn is the largest PDCP sequence number (NrPdcp's m_maxPdcpSn).
	PdcpMaxSn = 4095
)

// PdcpHeader is the PDCP data PDU header 5G-LENA writes: the D/C bit (data)
// and the sequence number. Headers come from a free list per PDCP entity.
type PdcpHeader struct {
	// Data is the D/C bit: true for a data PDU.
	Data bool
	// SN is the PDCP sequence number, 0..PdcpMaxSn.
	SN uint16

	list   *packet.FreeList[PdcpHeader]
	inList bool
}

// Size returns PdcpHeaderSize.
func (h *PdcpHeader) Size() int { return PdcpHeaderSize }

// String describes the header.
func (h *PdcpHeader) String() string { return fmt.Sprintf("PDCP sn=%d", h.SN) }

// Clone returns a copy drawn from the same free list.
func (h *PdcpHeader) Clone() packet.Header {
	var c *PdcpHeader
	if h.list != nil {
		c = h.list.Get()
	} else {
		c = new(PdcpHeader)
	}
	*c = *h
	c.inList = false
	return c
}

// Release gives the header back to its free list; releasing twice does
// nothing.
func (h *PdcpHeader) Release() {
	if h.list == nil || h.inList {
		return
	}
	h.inList = true
	h.list.Put(h)
}

// PdcpStats counts a PDCP entity's PDUs.
type PdcpStats struct {
	TxPdus, RxPdus uint64 // PDUs sent down to RLC, and received from it
}

// pdcp is one PDCP entity (5G-LENA's NrPdcp): a 2-byte header with a
// sequence number on the way down, removed on the way up, no reordering
// (RLC UM delivers in order), no ciphering.
type pdcp struct {
	txSn, rxSn uint16
	hdrs       packet.FreeList[PdcpHeader]
	st         PdcpStats
}

// push adds the header with the next sequence number and returns it.
func (e *pdcp) push(p *packet.Packet) uint16 {
	sn := e.txSn
	h := e.hdrs.Get()
	*h = PdcpHeader{Data: true, SN: e.txSn, list: &e.hdrs}
	e.txSn++
	if e.txSn > PdcpMaxSn {
		e.txSn = 0
	}
	p.Push(h)
	e.st.TxPdus++
	return sn
}

// pop removes the header and returns its sequence number; it reports
// false for a packet without one.
func (e *pdcp) pop(p *packet.Packet) (uint16, bool) {
	h, ok := p.Peek().(*PdcpHeader)
	if !ok {
		return 0, false
	}
	sn := h.SN
	p.Pop()
	e.rxSn = h.SN + 1
	if e.rxSn > PdcpMaxSn {
		e.rxSn = 0
	}
	h.Release()
	e.st.RxPdus++
	return sn, true
}
