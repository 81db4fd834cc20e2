package epc

import (
	"fmt"

	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// RAN is the radio side of a RAN node (an eNB or gNB): what the core calls
// on it. It is the RAN-facing half of ns-3's EpcEnbS1SapUser (bearer and
// context set-up) plus the socket the eNB application hands downlink
// packets to. A RAN implements it and calls the RANNode the core gives it
// for the other direction. The core calls these methods from inside its
// own event handlers: a RAN that needs time to act schedules its own
// events.
type RAN interface {
	// SetupBearer asks the RAN to set up the data radio bearer of EPS
	// bearer erab.BearerID for UE rnti (ns-3's DataRadioBearerSetupRequest,
	// carried by S1-AP's Initial Context Setup and E-RAB Setup Requests).
	SetupBearer(rnti uint16, erab ERAB)
	// InitialContextSetup tells the RAN that the UE's initial context is
	// complete, every bearer of the attach set up (ns-3's
	// InitialContextSetupRequest to the RRC): a RAN typically finishes its
	// connection procedure and calls the UE's NAS.NotifyConnectionSuccessful.
	InitialContextSetup(rnti uint16)
	// ReleaseBearer asks the RAN to release the data radio bearer of EPS
	// bearer bearerID of UE rnti (EPC.ReleaseBearer; the RAN node then
	// reports the release to the MME itself).
	ReleaseBearer(rnti uint16, bearerID uint8)
	// DeliverDownlink hands the RAN a downlink packet (an IPv4 packet,
	// header outermost) for UE rnti on EPS bearer bearerID. The RAN owns
	// p.
	DeliverDownlink(p *packet.Packet, rnti uint16, bearerID uint8)
}

// RANNode is the core's application on a RAN node (ns-3's
// EpcEnbApplication / NrEpcGnbApplication): the GTP-U tunnel end of every
// bearer of the cell's UEs on S1-U and the S1-AP end towards the MME. The
// RAN calls it: InitialUEMessage when a UE connects, SendUplink for every
// uplink packet, ReleaseIndication and UEContextRelease.
type RANNode struct {
	e        *EPC
	cellID   uint16
	node     *inet.Node
	ran      RAN
	s1uLink  *inet.PointToPointLink
	s1apLink *inet.PointToPointLink

	s1uAddr, sgwS1UAddr   inet.IPv4Addr
	s1apAddr, mmeS1APAddr inet.IPv4Addr
	s1u, s1ap             *inet.UDPSocket
	hdrs                  gtpuHeaders

	// ctx holds the cell's UEs by RNTI; dl maps a TEID to its UE and
	// bearer (ns-3's m_teidRbidMap).
	ctx map[uint16]*ranUE
	dl  map[uint32]ranBearer
}

// ranUE is a UE of the cell: its IMSI and the TEID of each bearer, indexed
// by bearer id (ns-3's m_rbidTeidMap).
type ranUE struct {
	imsi  uint64
	rnti  uint16
	teids [MaxBearers + 1]uint32
}

type ranBearer struct {
	ue *ranUE
	id uint8
}

// CellID returns the cell id.
func (r *RANNode) CellID() uint16 { return r.cellID }

// Node returns the RAN node's node.
func (r *RANNode) Node() *inet.Node { return r.node }

// S1ULink returns the RAN node's S1-U link; its first device and
// interface are the RAN node's.
func (r *RANNode) S1ULink() *inet.PointToPointLink { return r.s1uLink }

// S1APLink returns the RAN node's S1-AP link (VariantMmWave; nil
// otherwise); its first device and interface are the RAN node's.
func (r *RANNode) S1APLink() *inet.PointToPointLink { return r.s1apLink }

// S1UAddress returns the RAN node's S1-U address.
func (r *RANNode) S1UAddress() inet.IPv4Addr { return r.s1uAddr }

// SGWAddress returns the SGW's address on the RAN node's S1-U link.
func (r *RANNode) SGWAddress() inet.IPv4Addr { return r.sgwS1UAddr }

// InitialUEMessage reports that UE imsi connected to the cell with RNTI
// rnti (the RRC connection is set up): the core starts the attach, as
// ns-3's DoInitialUeMessage. It is an error for an IMSI that AddUE did not
// register or an RNTI of 0.
func (r *RANNode) InitialUEMessage(imsi uint64, rnti uint16) error {
	u := r.e.ues[imsi]
	if u == nil {
		return fmt.Errorf("epc: cell %d: InitialUEMessage for unknown IMSI %d (AddUE first)", r.cellID, imsi)
	}
	if rnti == 0 {
		return fmt.Errorf("epc: cell %d: InitialUEMessage for IMSI %d with RNTI 0", r.cellID, imsi)
	}
	if old := r.ctx[rnti]; old != nil && old.imsi != imsi {
		return fmt.Errorf("epc: cell %d: RNTI %d already belongs to IMSI %d", r.cellID, rnti, old.imsi)
	}
	// A UE the cell knows under another RNTI starts afresh.
	for _, c := range r.ctx {
		if c.imsi == imsi && c.rnti != rnti {
			r.removeUE(c)
			break
		}
	}
	if r.ctx[rnti] == nil {
		r.ctx[rnti] = &ranUE{imsi: imsi, rnti: rnti}
	}
	r.e.sendS1AP(r, false, &S1APMessage{Procedure: S1APInitialUEMessage, MMEUEID: imsi, ENBUEID: rnti, CellID: r.cellID})
	return nil
}

// SendUplink sends p, an uplink IPv4 packet of UE rnti on EPS bearer
// bearerID, into the bearer's GTP-U tunnel towards the SGW (ns-3's
// RecvFromNrSocket and SendToS1uSocket). On nil error the core owns p.
// When the RAN node has no tunnel for the UE's bearer, or the packet
// cannot be sent, it counts the drop, reports it to EPC.OnDrop and returns
// an error, and p stays with the caller.
func (r *RANNode) SendUplink(p *packet.Packet, rnti uint16, bearerID uint8) error {
	if p == nil {
		return fmt.Errorf("epc: cell %d: SendUplink needs a packet", r.cellID)
	}
	c := r.ctx[rnti]
	var teid uint32
	if c != nil && bearerID >= 1 && bearerID <= MaxBearers {
		teid = c.teids[bearerID]
	}
	if teid == 0 {
		r.e.drop(p, DropNoContext, EntityRANNode)
		return fmt.Errorf("epc: cell %d: no tunnel for RNTI %d bearer %d", r.cellID, rnti, bearerID)
	}
	size := p.Size()
	h := r.hdrs.get(teid, size)
	p.Push(h)
	if err := r.s1u.SendPacketTo(p, r.sgwS1UAddr, GTPUPort); err != nil {
		p.Pop()
		h.Release()
		r.e.drop(p, DropSendFailed, EntityRANNode)
		return fmt.Errorf("epc: cell %d: S1-U: %w", r.cellID, err)
	}
	r.e.stats.S1UUplink.add(size + TunnelOverhead)
	return nil
}

// recvS1U is the S1-U socket's callback (ns-3's RecvFromS1uSocket): the
// packet's GTP-U TEID selects the UE and bearer the RAN gets it for.
func (r *RANNode) recvS1U(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
	h, ok := p.Peek().(*GTPUHeader)
	if !ok {
		r.e.drop(p, DropMalformed, EntityRANNode)
		return
	}
	b, ok := r.dl[h.TEID]
	if !ok {
		r.e.drop(p, DropUnknownTEID, EntityRANNode)
		return
	}
	q := p.Copy()
	if g, ok := q.Pop().(*GTPUHeader); ok {
		g.Release()
	}
	r.ran.DeliverDownlink(q, b.ue.rnti, b.id)
}

// ReleaseIndication reports that the RAN released the radio bearer of EPS
// bearer bearerID of UE imsi (RNTI rnti): the RAN node removes the
// bearer's tunnel and sends the MME an E-RAB Release Indication, which
// releases the bearer in the core (ns-3's DoReleaseIndication). It is an
// error for a UE or bearer the RAN node does not hold.
func (r *RANNode) ReleaseIndication(imsi uint64, rnti uint16, bearerID uint8) error {
	c := r.ctx[rnti]
	switch {
	case c == nil || c.imsi != imsi:
		return fmt.Errorf("epc: cell %d: ReleaseIndication: no UE with IMSI %d and RNTI %d", r.cellID, imsi, rnti)
	case bearerID < 1 || bearerID > MaxBearers || c.teids[bearerID] == 0:
		return fmt.Errorf("epc: cell %d: ReleaseIndication: IMSI %d has no bearer %d here", r.cellID, imsi, bearerID)
	}
	delete(r.dl, c.teids[bearerID])
	c.teids[bearerID] = 0
	if u := r.e.ues[imsi]; u != nil {
		u.nas.unregister(bearerID)
	}
	r.e.mme.markReleasing(imsi, bearerID)
	r.e.sendS1AP(r, false, &S1APMessage{Procedure: S1APERABReleaseIndication, MMEUEID: imsi, ENBUEID: rnti,
		CellID: r.cellID, ERABs: []ERAB{{BearerID: bearerID}}})
	return nil
}

// UEContextRelease forgets UE rnti and its tunnels at this RAN node
// (ns-3's DoUeContextRelease, after a handover or a connection release);
// the core keeps the UE's bearers, so a later InitialUEMessage attaches it
// again.
func (r *RANNode) UEContextRelease(rnti uint16) {
	if c := r.ctx[rnti]; c != nil {
		r.removeUE(c)
		if ctx := r.e.mme.ues[c.imsi]; ctx != nil && ctx.cell == r && ctx.rnti == rnti {
			ctx.session, ctx.attached = false, false
		}
	}
}

func (r *RANNode) removeUE(c *ranUE) {
	for id, teid := range c.teids {
		if teid != 0 {
			delete(r.dl, teid)
			c.teids[id] = 0
		}
	}
	delete(r.ctx, c.rnti)
}

// setupERABs installs the tunnels of erabs for UE rnti and asks the RAN to
// set up their radio bearers.
func (r *RANNode) setupERABs(c *ranUE, erabs []ERAB) {
	for _, erab := range erabs {
		if old := c.teids[erab.BearerID]; old != 0 {
			delete(r.dl, old)
		}
		c.teids[erab.BearerID] = erab.TEID
		r.dl[erab.TEID] = ranBearer{ue: c, id: erab.BearerID}
		r.ran.SetupBearer(c.rnti, erab)
	}
}

// onS1AP handles an S1-AP message from the MME.
func (r *RANNode) onS1AP(m *S1APMessage) {
	c := r.ctx[m.ENBUEID]
	if c == nil || c.imsi != m.MMEUEID {
		return // the UE left the cell meanwhile
	}
	u := r.e.ues[c.imsi]
	switch m.Procedure {
	case S1APInitialContextSetupReq:
		r.setupERABs(c, m.ERABs)
		r.e.mme.ues[c.imsi].attached = true
		r.ran.InitialContextSetup(c.rnti)
		r.e.emit(ControlEvent{Stage: StageAttached, IMSI: c.imsi, CellID: r.cellID, BearerIDs: erabIDs(m.ERABs)})
	case S1APERABSetupRequest:
		r.setupERABs(c, m.ERABs)
		resp := &S1APMessage{Procedure: S1APERABSetupResponse, MMEUEID: c.imsi, ENBUEID: c.rnti, CellID: r.cellID}
		for _, erab := range m.ERABs {
			u.nas.activate(erab.BearerID)
			resp.ERABs = append(resp.ERABs, ERAB{BearerID: erab.BearerID, TEID: erab.TEID})
		}
		r.e.sendS1AP(r, false, resp)
	}
}

// recvS1AP is the S1-AP socket's callback (VariantMmWave).
func (r *RANNode) recvS1AP(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
	m, ok := p.Peek().(*S1APMessage)
	if !ok {
		return
	}
	r.e.receivedS1AP(r, true, m, m.Size())
}

func erabIDs(erabs []ERAB) []uint8 {
	out := make([]uint8, len(erabs))
	for i, e := range erabs {
		out[i] = e.BearerID
	}
	return out
}
