package mmwave

import (
	"github.com/netgym/netgym/nr5g"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/packet"
)

// Byte counts of the headers ns3-mmwave puts on user data.
const (
	// pdcpHeaderSize is LtePdcpHeader's serialized size (D/C bit and a
	// 12-bit SN), the same as 5G-LENA's NrPdcpHeader.
	pdcpHeaderSize = nr5g.PdcpHeaderSize
	// rlcFixedHeader is the fixed part of an RLC UM/AM data PDU header
	// (LteRlcHeader and LteRlcAmHeader: 2 bytes).
	rlcFixedHeader = 2
)

// macSubheaderSize is MacSubheader::GetSize: 3 bytes for a length above
// 127, else 2.
func macSubheaderSize(size int) int {
	if size > 127 {
		return 3
	}
	return 2
}

// macHeaderBytes is MmWaveMacPduHeader's size for one subheader
// (AddSubheader: 4 bytes above 16383, 3 above 127, else 2).
func macHeaderBytes(size int) int {
	switch {
	case size > 0x3fff:
		return 4
	case size > 0x7f:
		return 3
	}
	return 2
}

// sdu is a PDCP PDU in an RLC: the user's IPv4 packet and the bytes it
// occupies with the PDCP header. Segments of RLC PDUs reference it; it is
// recycled when the last reference goes. The packet is handed to the
// receiving side's upper layer once, when the SDU is reassembled there
// (take), and released here only if that never happens.
type sdu struct {
	p       *packet.Packet
	size    int      // PDCP PDU bytes
	arrival sim.Time // when the RLC got it (RlcTag)
	refs    int
}

// segment is a piece of an SDU in an RLC PDU: its bytes and whether it
// holds the SDU's first and last byte (LteRlcSduStatusTag).
type segment struct {
	s           *sdu
	bytes       int
	first, last bool
	// offset is the segment's first byte in the SDU (RLC AM's segment
	// offset bookkeeping).
	offset int
}

// rlcPDU is an RLC data PDU (or an AM status PDU) as it travels in a MAC
// PDU: its LC, sequence number, segments and byte count.
type rlcPDU struct {
	lcid uint8
	sn   uint16
	segs []segment
	size int // header + data bytes
	refs int
	// RLC AM fields
	am     amPduInfo
	status *amStatus // a status PDU when non-nil
	// orig is, for an RLC AM PDU segment (a resegmented retransmission),
	// the whole PDU it is a part of (a reference).
	orig   *rlcPDU
	pooled bool
}

// pduPool recycles SDUs and RLC PDUs of one network. Not safe for
// concurrent use (one simulation).
type pduPool struct {
	sdus packet.FreeList[sdu]
	pdus packet.FreeList[rlcPDU]
}

func (pp *pduPool) newSdu(p *packet.Packet, size int, now sim.Time) *sdu {
	s := pp.sdus.Get()
	*s = sdu{p: p, size: size, arrival: now, refs: 1}
	return s
}

// release drops one reference of s; the last one releases its packet if
// the receiving side never took it.
func (pp *pduPool) releaseSdu(s *sdu) {
	s.refs--
	if s.refs > 0 {
		return
	}
	if s.p != nil {
		s.p.Release()
		s.p = nil
	}
	pp.sdus.Put(s)
}

func (pp *pduPool) newPdu(lcid uint8) *rlcPDU {
	p := pp.pdus.Get()
	segs := p.segs[:0]
	*p = rlcPDU{lcid: lcid, segs: segs, refs: 1, pooled: true}
	return p
}

// addSegment appends a segment referencing s.
func (p *rlcPDU) addSegment(s *sdu, bytes, offset int, first, last bool) {
	s.refs++
	p.segs = append(p.segs, segment{s: s, bytes: bytes, first: first, last: last, offset: offset})
}

// ref adds a reference to p.
func (p *rlcPDU) ref() *rlcPDU {
	p.refs++
	return p
}

// releasePdu drops one reference of p; the last one releases its
// segments' SDUs.
func (pp *pduPool) releasePdu(p *rlcPDU) {
	p.refs--
	if p.refs > 0 {
		return
	}
	for i := range p.segs {
		pp.releaseSdu(p.segs[i].s)
		p.segs[i] = segment{}
	}
	p.segs = p.segs[:0]
	p.status = nil
	if p.orig != nil {
		pp.releasePdu(p.orig)
		p.orig = nil
	}
	if p.pooled {
		pp.pdus.Put(p)
	}
}

// macPDU is the content of a transport block: the RLC PDUs of one UE's
// logical channels (a MAC PDU with its subheaders), or an empty PDU.
type macPDU struct {
	rnti uint16
	pdus []*rlcPDU
	size int // MAC header + RLC PDUs
}

// clear releases the RLC PDUs of m and empties it.
func (m *macPDU) clear(pp *pduPool) {
	for i, p := range m.pdus {
		pp.releasePdu(p)
		m.pdus[i] = nil
	}
	m.pdus = m.pdus[:0]
	m.size = 0
}

// add appends p (m takes the reference given).
func (m *macPDU) add(p *rlcPDU) {
	m.pdus = append(m.pdus, p)
	m.size += p.size + macHeaderBytes(p.size)
}

// copyFrom makes m reference the PDUs of o (a HARQ retransmission sends
// the stored PDU again).
func (m *macPDU) copyFrom(pp *pduPool, o *macPDU) {
	m.clear(pp)
	m.rnti = o.rnti
	for _, p := range o.pdus {
		m.pdus = append(m.pdus, p.ref())
	}
	m.size = o.size
}

// take hands the SDU's packet to the receiving side (once).
func (s *sdu) take() *packet.Packet {
	p := s.p
	s.p = nil
	return p
}
