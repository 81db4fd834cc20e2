package epc

import (
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// This file holds the user plane of the SGW and the PGW (ns-3's
// NrEpcSgwApplication and NrEpcPgwApplication RecvFrom* and SendTo*; in
// VariantMmWave ns3-mmwave's EpcSgwPgwApplication, where S5 is a call
// inside the node). A GTP-U packet keeps its TEID from the RAN node to the
// PGW: ns-3's SGW allocates one TEID per bearer and uses it on S1-U and
// S5-U, so the SGW forwards a tunnel packet with an identical GTP-U
// header. Socket callbacks only borrow their packet, so a forwarded packet
// is a copy (from the pool: no allocation).

// drop counts and reports a dropped user packet; the caller still owns p.
func (e *EPC) drop(p *packet.Packet, r DropReason, where Entity) {
	e.stats.Drops[r]++
	if e.OnDrop != nil {
		e.OnDrop(p, r, where)
	}
}

// recvS1U is the SGW's S1-U socket callback: uplink tunnel packets from
// the RAN nodes (ns-3's RecvFromS1uSocket).
func (s *sgw) recvS1U(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
	h, ok := p.Peek().(*GTPUHeader)
	if !ok {
		s.e.drop(p, DropMalformed, EntitySGW)
		return
	}
	if s.tunnels[h.TEID] == nil {
		s.e.drop(p, DropUnknownTEID, EntitySGW)
		return
	}
	q := p.Copy()
	if s.e.cfg.Variant == VariantMmWave {
		s.e.pgw.fromS5U(q)
		return
	}
	size := q.Size() + inet.UDPHeaderSize + inet.IPv4HeaderSize
	if err := s.s5u.SendPacketTo(q, s.pgwAt, GTPUPort); err != nil {
		s.e.drop(q, DropSendFailed, EntitySGW)
		q.Release()
		return
	}
	s.e.stats.S5UUplink.add(size)
}

// recvS5U is the SGW's S5-U socket callback: downlink tunnel packets from
// the PGW (ns-3's RecvFromS5uSocket).
func (s *sgw) recvS5U(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
	if _, ok := p.Peek().(*GTPUHeader); !ok {
		s.e.drop(p, DropMalformed, EntitySGW)
		return
	}
	s.toS1U(p.Copy())
}

// toS1U sends q, a downlink tunnel packet the SGW owns, to the RAN node of
// its TEID (ns-3's SendToS1uSocket).
func (s *sgw) toS1U(q *packet.Packet) {
	h := q.Peek().(*GTPUHeader)
	t := s.tunnels[h.TEID]
	if t == nil {
		s.e.drop(q, DropUnknownTEID, EntitySGW)
		q.Release()
		return
	}
	size := q.Size() + inet.UDPHeaderSize + inet.IPv4HeaderSize
	if err := s.s1u.SendPacketTo(q, t.cell.s1uAddr, GTPUPort); err != nil {
		s.e.drop(q, DropSendFailed, EntitySGW)
		q.Release()
		return
	}
	s.e.stats.S1UDownlink.add(size)
}

// recvS5U is the PGW's S5-U socket callback: uplink tunnel packets from
// the SGW (ns-3's RecvFromS5uSocket).
func (g *pgw) recvS5U(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
	if _, ok := p.Peek().(*GTPUHeader); !ok {
		g.e.drop(p, DropMalformed, EntityPGW)
		return
	}
	g.fromS5U(p.Copy())
}

// fromS5U takes the GTP-U header off q, an uplink tunnel packet the PGW
// owns, and gives the user packet to the tunnel device, which passes it
// up to the PGW's IPv4 (ns-3's SendToTunDevice).
func (g *pgw) fromS5U(q *packet.Packet) {
	if h, ok := q.Pop().(*GTPUHeader); ok {
		h.Release()
	}
	if _, ok := q.Peek().(*inet.IPv4Header); !ok {
		g.e.drop(q, DropMalformed, EntityPGW)
		q.Release()
		return
	}
	_ = g.tun.Receive(q, inet.EtherTypeIPv4) // fails only for a nil packet
}

// tunSend is the tunnel device's send function: a downlink packet the PGW
// routed to the UE pool (ns-3's RecvFromTunDevice). It finds the UE by
// destination address, classifies the packet onto a bearer with the UE's
// TFTs (downlink, highest TEID first) and sends it into that bearer's
// tunnel. Like ns-3's, it never refuses a packet: one for an unknown UE or
// without a matching bearer is counted, reported and released.
func (g *pgw) tunSend(_ *inet.TunDevice, p *packet.Packet, _ packet.Mac48, _ uint16) error {
	ip, ok := p.Peek().(*inet.IPv4Header)
	if !ok {
		g.e.drop(p, DropMalformed, EntityPGW)
		p.Release()
		return nil
	}
	c := g.byAddr[ip.Dst]
	if c == nil {
		g.e.drop(p, DropUnknownUE, EntityPGW)
		p.Release()
		return nil
	}
	teid := c.classifier.Classify(p, Downlink)
	if teid == 0 {
		g.e.drop(p, DropNoBearer, EntityPGW)
		p.Release()
		return nil
	}
	size := p.Size()
	p.Push(g.hdrs.get(teid, size))
	if g.e.cfg.Variant == VariantMmWave {
		g.e.sgw.toS1U(p)
		return nil
	}
	if err := g.s5u.SendPacketTo(p, c.sgwAddr, GTPUPort); err != nil {
		g.e.drop(p, DropSendFailed, EntityPGW)
		p.Release()
		return nil
	}
	g.e.stats.S5UDownlink.add(size + TunnelOverhead)
	return nil
}
