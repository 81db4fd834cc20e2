package epc

import (
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// This file holds the control plane: how GTP-C and S1-AP messages travel
// (over UDP on the core's links, or as direct calls like ns-3's SAPs) and
// the MME's, SGW's and PGW's handling of them, after ns-3.45 and 5G-LENA
// nr-4.1's NrEpcMmeApplication, NrEpcSgwApplication and
// NrEpcPgwApplication (and ns3-mmwave's EpcMmeApplication and
// EpcSgwPgwApplication, which do the same with S11 as a direct call).

// bearerState is a bearer's state at the MME.
type bearerState uint8

const (
	bearerPending   bearerState = iota // registered, not yet requested
	bearerRequested                    // in a Create Session / Create Bearer Request
	bearerActive                       // tunnels set up
	bearerReleasing                    // release under way
)

// String returns the state as BearerInfo.State shows it.
func (s bearerState) String() string {
	switch s {
	case bearerPending:
		return "pending"
	case bearerRequested:
		return "setting up"
	case bearerActive:
		return "active"
	}
	return "releasing"
}

// mmeBearer is a bearer of a UE at the MME (ns-3's BearerInfo).
type mmeBearer struct {
	id     uint8
	bearer Bearer
	tft    *TFT
	state  bearerState
	teid   uint32
}

// mmeUE is the MME's UE context (ns-3's NrUeInfo).
type mmeUE struct {
	imsi uint64
	cell *RANNode
	rnti uint16
	// session: the Create Session Response arrived, the SGW and PGW hold
	// the UE's tunnels; attached: the RAN node holds them too.
	session  bool
	attached bool
	bearers  []*mmeBearer // id order
}

func (c *mmeUE) bearer(id uint8) *mmeBearer {
	for _, b := range c.bearers {
		if b.id == id {
			return b
		}
	}
	return nil
}

// freeBearerID returns the lowest unused bearer id, or 0 when the UE has
// MaxBearers.
func (c *mmeUE) freeBearerID() uint8 {
	for id := uint8(1); id <= MaxBearers; id++ {
		if c.bearer(id) == nil {
			return id
		}
	}
	return 0
}

// defaultID returns the default bearer's id: the lowest.
func (c *mmeUE) defaultID() uint8 {
	if len(c.bearers) == 0 {
		return 0
	}
	return c.bearers[0].id
}

func (c *mmeUE) addBearer(b *mmeBearer) {
	i := 0
	for i < len(c.bearers) && c.bearers[i].id < b.id {
		i++
	}
	c.bearers = append(c.bearers, nil)
	copy(c.bearers[i+1:], c.bearers[i:])
	c.bearers[i] = b
}

func (c *mmeUE) removeBearer(id uint8) {
	for i, b := range c.bearers {
		if b.id == id {
			c.bearers = append(c.bearers[:i], c.bearers[i+1:]...)
			return
		}
	}
}

type mme struct {
	e              *EPC
	s11            *inet.UDPSocket
	s11Addr, sgwAt inet.IPv4Addr
	s1ap           *inet.UDPSocket
	ues            map[uint64]*mmeUE
}

func (m *mme) init(e *EPC) {
	m.e = e
	m.ues = make(map[uint64]*mmeUE)
}

func (m *mme) addUE(u *UE) { m.ues[u.imsi] = &mmeUE{imsi: u.imsi} }

func (m *mme) bindS11(own, sgw inet.IPv4Addr) error {
	s, err := bindUDP(m.e.mmeNode, own, GTPCPort)
	if err != nil {
		return err
	}
	m.s11, m.s11Addr, m.sgwAt = s, own, sgw
	s.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
		if msg, ok := p.Peek().(*GTPCMessage); ok {
			m.e.receivedGTPC(IfaceS11, EntitySGW, EntityMME, msg, msg.Size())
		}
	})
	return nil
}

// recvS1AP is the MME's S1-AP socket callback (VariantMmWave): the sender's
// address tells the cell.
func (m *mme) recvS1AP(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
	msg, ok := p.Peek().(*S1APMessage)
	if !ok {
		return
	}
	if r := m.e.ranNodeByS1AP[info.From]; r != nil {
		m.e.receivedS1AP(r, false, msg, msg.Size())
	}
}

func (m *mme) markReleasing(imsi uint64, id uint8) {
	if ctx := m.ues[imsi]; ctx != nil {
		if b := ctx.bearer(id); b != nil {
			b.state = bearerReleasing
		}
	}
}

// onS1AP handles an S1-AP message from RAN node r.
func (m *mme) onS1AP(r *RANNode, msg *S1APMessage) {
	ctx := m.ues[msg.MMEUEID]
	if ctx == nil {
		return
	}
	switch msg.Procedure {
	case S1APInitialUEMessage:
		// ns-3's DoInitialUeMessage: a Create Session Request with every
		// bearer registered so far.
		ctx.cell, ctx.rnti, ctx.session, ctx.attached = r, msg.ENBUEID, false, false
		req := &GTPCMessage{Type: CreateSessionRequest, IMSI: ctx.imsi, CellID: r.cellID,
			Sender: FTEID{Interface: S11MMEGTPC, TEID: uint32(ctx.imsi), Address: m.s11Addr}}
		for _, b := range ctx.bearers {
			if b.state == bearerReleasing {
				continue
			}
			b.state = bearerRequested
			req.Bearers = append(req.Bearers, BearerContext{BearerID: b.id, Bearer: b.bearer, TFT: b.tft})
		}
		m.e.sendGTPC(IfaceS11, EntityMME, EntitySGW, req)
	case S1APERABSetupResponse:
		// The radio bearers are up: confirm to the SGW and PGW.
		rsp := &GTPCMessage{Type: CreateBearerResponse, TEID: uint32(ctx.imsi), Cause: causeAccept}
		for _, erab := range msg.ERABs {
			if b := ctx.bearer(erab.BearerID); b != nil {
				b.state = bearerActive
			}
			rsp.Bearers = append(rsp.Bearers, BearerContext{BearerID: erab.BearerID,
				FTEID: FTEID{Interface: S1UENBGTPU, TEID: erab.TEID, Address: r.s1uAddr}})
		}
		m.e.sendGTPC(IfaceS11, EntityMME, EntitySGW, rsp)
	case S1APERABReleaseIndication:
		// ns-3's DoErabReleaseIndication: Delete Bearer Command to the SGW.
		cmd := &GTPCMessage{Type: DeleteBearerCommand, TEID: uint32(ctx.imsi)}
		for _, erab := range msg.ERABs {
			cmd.Bearers = append(cmd.Bearers, BearerContext{BearerID: erab.BearerID})
		}
		m.e.sendGTPC(IfaceS11, EntityMME, EntitySGW, cmd)
	}
}

// onGTPC handles a GTP-C message from the SGW.
func (m *mme) onGTPC(msg *GTPCMessage) {
	ctx := m.ues[uint64(msg.TEID)] // the MME's S11 TEID is the IMSI, as in ns-3
	if ctx == nil || ctx.cell == nil {
		return
	}
	switch msg.Type {
	case CreateSessionResponse:
		// ns-3's DoRecvCreateSessionResponse: Initial Context Setup
		// Request to the RAN node.
		ctx.session = true
		req := &S1APMessage{Procedure: S1APInitialContextSetupReq, MMEUEID: ctx.imsi, ENBUEID: ctx.rnti, CellID: ctx.cell.cellID}
		for _, c := range msg.Bearers {
			b := ctx.bearer(c.BearerID)
			if b == nil {
				continue
			}
			b.state, b.teid = bearerActive, c.FTEID.TEID
			req.ERABs = append(req.ERABs, ERAB{BearerID: b.id, Bearer: b.bearer, TFT: b.tft,
				SGWAddress: c.FTEID.Address, TEID: c.FTEID.TEID})
		}
		m.e.sendS1AP(ctx.cell, true, req)
		// Bearers added while the session was being created follow with
		// the dedicated bearer procedure.
		for _, b := range ctx.bearers {
			if b.state == bearerPending {
				m.e.pgw.createBearer(ctx.imsi, b.id)
			}
		}
	case CreateBearerRequest:
		req := &S1APMessage{Procedure: S1APERABSetupRequest, MMEUEID: ctx.imsi, ENBUEID: ctx.rnti, CellID: ctx.cell.cellID}
		for _, c := range msg.Bearers {
			b := ctx.bearer(c.BearerID)
			if b == nil {
				continue
			}
			b.teid = c.FTEID.TEID
			req.ERABs = append(req.ERABs, ERAB{BearerID: b.id, Bearer: b.bearer, TFT: b.tft,
				SGWAddress: c.FTEID.Address, TEID: c.FTEID.TEID})
		}
		m.e.sendS1AP(ctx.cell, true, req)
	case DeleteBearerRequest:
		// ns-3's DoRecvDeleteBearerRequest: answer, forget the bearers.
		rsp := &GTPCMessage{Type: DeleteBearerResponse, TEID: uint32(ctx.imsi), Cause: causeAccept,
			BearerIDs: append([]uint8(nil), msg.BearerIDs...)}
		for _, id := range msg.BearerIDs {
			ctx.removeBearer(id)
		}
		m.e.sendGTPC(IfaceS11, EntityMME, EntitySGW, rsp)
	}
}

// sgwTunnel is a bearer's tunnel at the SGW: where its downlink goes.
type sgwTunnel struct {
	imsi uint64
	id   uint8
	cell *RANNode
}

type sgw struct {
	e              *EPC
	s1u            *inet.UDPSocket // every address, port 2152
	s5u, s5c       *inet.UDPSocket
	s5Addr, pgwAt  inet.IPv4Addr
	s11            *inet.UDPSocket
	s11Addr, mmeAt inet.IPv4Addr
	teidCount      uint32
	tunnels        map[uint32]*sgwTunnel
	cells          map[uint64]*RANNode // UE -> cell of its session
}

func (s *sgw) init(e *EPC) {
	s.e = e
	s.tunnels = make(map[uint32]*sgwTunnel)
	s.cells = make(map[uint64]*RANNode)
}

func (s *sgw) bindS5(own, pgw inet.IPv4Addr) error {
	var err error
	if s.s5u, err = bindUDP(s.e.sgwNode, own, GTPUPort); err != nil {
		return err
	}
	if s.s5c, err = bindUDP(s.e.sgwNode, own, GTPCPort); err != nil {
		return err
	}
	s.s5Addr, s.pgwAt = own, pgw
	s.s5u.SetRecvCallback(s.recvS5U)
	s.s5c.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
		if msg, ok := p.Peek().(*GTPCMessage); ok {
			s.e.receivedGTPC(IfaceS5C, EntityPGW, EntitySGW, msg, msg.Size())
		}
	})
	return nil
}

func (s *sgw) bindS11(own, mme inet.IPv4Addr) error {
	var err error
	if s.s11, err = bindUDP(s.e.sgwNode, own, GTPCPort); err != nil {
		return err
	}
	s.s11Addr, s.mmeAt = own, mme
	s.s11.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
		if msg, ok := p.Peek().(*GTPCMessage); ok {
			s.e.receivedGTPC(IfaceS11, EntityMME, EntitySGW, msg, msg.Size())
		}
	})
	return nil
}

// s5Address is the SGW's address the PGW sees.
func (s *sgw) s5Address() inet.IPv4Addr { return s.s5Addr }

// removeTunnels drops the tunnels of UE imsi (all of them when id is 0).
func (s *sgw) removeTunnels(imsi uint64, id uint8) {
	for teid, t := range s.tunnels {
		if t.imsi == imsi && (id == 0 || t.id == id) {
			delete(s.tunnels, teid)
		}
	}
}

// newTEID allocates the next TEID, as ns-3's SGW (++m_teidCount, from 1).
func (s *sgw) newTEID() uint32 {
	s.teidCount++
	if s.teidCount == 0 { // past 2^32 - 1 TEIDs: skip the reserved 0
		s.teidCount++
	}
	return s.teidCount
}

// onFromMME handles a GTP-C message from the MME (S11).
func (s *sgw) onFromMME(msg *GTPCMessage) {
	imsi := uint64(msg.TEID)
	switch msg.Type {
	case CreateSessionRequest:
		// ns-3's DoRecvCreateSessionRequest: a TEID per bearer, then the
		// request to the PGW.
		imsi = msg.IMSI
		cell := s.e.cells[msg.CellID]
		if cell == nil {
			return
		}
		s.removeTunnels(imsi, 0)
		s.cells[imsi] = cell
		req := &GTPCMessage{Type: CreateSessionRequest, IMSI: imsi, CellID: msg.CellID,
			Sender: FTEID{Interface: S5SGWGTPC, TEID: uint32(imsi), Address: s.s5Address()}}
		for _, c := range msg.Bearers {
			teid := s.newTEID()
			s.tunnels[teid] = &sgwTunnel{imsi: imsi, id: c.BearerID, cell: cell}
			c.FTEID = FTEID{Interface: S5SGWGTPU, TEID: teid, Address: s.s5Address()}
			req.Bearers = append(req.Bearers, c)
		}
		s.e.sendGTPC(IfaceS5C, EntitySGW, EntityPGW, req)
	case CreateBearerResponse:
		rsp := &GTPCMessage{Type: CreateBearerResponse, TEID: msg.TEID, Cause: msg.Cause}
		for _, c := range msg.Bearers {
			rsp.Bearers = append(rsp.Bearers, BearerContext{BearerID: c.BearerID,
				FTEID: FTEID{Interface: S5SGWGTPU, TEID: c.FTEID.TEID, Address: s.s5Address()}})
		}
		s.e.sendGTPC(IfaceS5C, EntitySGW, EntityPGW, rsp)
	case DeleteBearerCommand:
		s.e.sendGTPC(IfaceS5C, EntitySGW, EntityPGW, &GTPCMessage{Type: DeleteBearerCommand, TEID: msg.TEID, Bearers: msg.Bearers})
	case DeleteBearerResponse:
		for _, id := range msg.BearerIDs {
			s.removeTunnels(imsi, id)
		}
		s.e.sendGTPC(IfaceS5C, EntitySGW, EntityPGW, &GTPCMessage{Type: DeleteBearerResponse, TEID: msg.TEID,
			Cause: msg.Cause, BearerIDs: msg.BearerIDs})
	}
}

// onFromPGW handles a GTP-C message from the PGW (S5-C).
func (s *sgw) onFromPGW(msg *GTPCMessage) {
	imsi := uint64(msg.TEID)
	cell := s.cells[imsi]
	switch msg.Type {
	case CreateSessionResponse:
		// ns-3's DoRecvCreateSessionResponse: on to the MME, with the
		// SGW's S1-U end of each tunnel.
		rsp := &GTPCMessage{Type: CreateSessionResponse, TEID: uint32(imsi), Cause: causeAccept,
			Sender: FTEID{Interface: S11SGWGTPC, TEID: uint32(imsi), Address: s.s11Addr}}
		for _, c := range msg.Bearers {
			if cell != nil {
				c.FTEID = FTEID{Interface: S1USGWGTPU, TEID: c.FTEID.TEID, Address: cell.sgwS1UAddr}
			}
			rsp.Bearers = append(rsp.Bearers, c)
		}
		s.e.sendGTPC(IfaceS11, EntitySGW, EntityMME, rsp)
	case CreateBearerRequest:
		if cell == nil {
			return
		}
		req := &GTPCMessage{Type: CreateBearerRequest, TEID: uint32(imsi), LinkedBearerID: msg.LinkedBearerID}
		for _, c := range msg.Bearers {
			teid := s.newTEID()
			s.tunnels[teid] = &sgwTunnel{imsi: imsi, id: c.BearerID, cell: cell}
			c.FTEID = FTEID{Interface: S1USGWGTPU, TEID: teid, Address: cell.sgwS1UAddr}
			req.Bearers = append(req.Bearers, c)
		}
		s.e.sendGTPC(IfaceS11, EntitySGW, EntityMME, req)
	case DeleteBearerRequest:
		s.e.sendGTPC(IfaceS11, EntitySGW, EntityMME, &GTPCMessage{Type: DeleteBearerRequest, TEID: msg.TEID, BearerIDs: msg.BearerIDs})
	}
}

// pgwUE is the PGW's UE context (ns-3's NrUeInfo in the PGW): the UE's
// bearers' TFTs, classified by TEID.
type pgwUE struct {
	imsi       uint64
	addr       inet.IPv4Addr
	sgwAddr    inet.IPv4Addr
	classifier Classifier
	teids      [MaxBearers + 1]uint32
	pending    [MaxBearers + 1]*TFT // dedicated bearers waiting for their Create Bearer Response
}

type pgw struct {
	e        *EPC
	tun      *inet.TunDevice
	s5u, s5c *inet.UDPSocket
	s5Addr   inet.IPv4Addr
	sgwAt    inet.IPv4Addr
	byAddr   map[inet.IPv4Addr]*pgwUE
	byIMSI   map[uint64]*pgwUE
	hdrs     gtpuHeaders
}

func (g *pgw) init(e *EPC) {
	g.e = e
	g.byAddr = make(map[inet.IPv4Addr]*pgwUE)
	g.byIMSI = make(map[uint64]*pgwUE)
}

func (g *pgw) addUE(u *UE) {
	c := &pgwUE{imsi: u.imsi, addr: u.addr}
	g.byAddr[u.addr] = c
	g.byIMSI[u.imsi] = c
}

func (g *pgw) bindS5(own, sgw inet.IPv4Addr) error {
	var err error
	if g.s5u, err = bindUDP(g.e.pgwNode, own, GTPUPort); err != nil {
		return err
	}
	if g.s5c, err = bindUDP(g.e.pgwNode, own, GTPCPort); err != nil {
		return err
	}
	g.s5Addr, g.sgwAt = own, sgw
	g.s5u.SetRecvCallback(g.recvS5U)
	g.s5c.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
		if msg, ok := p.Peek().(*GTPCMessage); ok {
			g.e.receivedGTPC(IfaceS5C, EntitySGW, EntityPGW, msg, msg.Size())
		}
	})
	return nil
}

func (g *pgw) removeBearer(c *pgwUE, id uint8) {
	if t := c.teids[id]; t != 0 {
		c.classifier.Delete(t)
		c.teids[id] = 0
	}
	c.pending[id] = nil
}

// createBearer starts the network-initiated activation of dedicated
// bearer id of UE imsi: a Create Bearer Request to the SGW.
func (g *pgw) createBearer(imsi uint64, id uint8) {
	c := g.byIMSI[imsi]
	ctx := g.e.mme.ues[imsi]
	b := ctx.bearer(id)
	if c == nil || b == nil {
		return
	}
	b.state = bearerRequested
	c.pending[id] = b.tft
	req := &GTPCMessage{Type: CreateBearerRequest, TEID: uint32(imsi), LinkedBearerID: ctx.defaultID(),
		Bearers: []BearerContext{{BearerID: id, Bearer: b.bearer, TFT: b.tft,
			FTEID: FTEID{Interface: S5PGWGTPU, Address: g.s5Addr}}}}
	g.e.sendGTPC(IfaceS5C, EntityPGW, EntitySGW, req)
}

// onGTPC handles a GTP-C message from the SGW (S5-C).
func (g *pgw) onGTPC(msg *GTPCMessage) {
	switch msg.Type {
	case CreateSessionRequest:
		// ns-3's DoRecvCreateSessionRequest: install each bearer's TFT
		// under its TEID, answer.
		c := g.byIMSI[msg.IMSI]
		if c == nil {
			return
		}
		c.sgwAddr = msg.Sender.Address
		for id := range c.teids {
			g.removeBearer(c, uint8(id))
		}
		rsp := &GTPCMessage{Type: CreateSessionResponse, TEID: msg.Sender.TEID, Cause: causeAccept,
			Sender: FTEID{Interface: S5PGWGTPC, TEID: msg.Sender.TEID, Address: g.s5Addr}}
		for _, bc := range msg.Bearers {
			teid := bc.FTEID.TEID
			c.teids[bc.BearerID] = teid
			_ = c.classifier.Add(teid, bc.TFT) // at most MaxBearers < MaxClassifierEntries
			rsp.Bearers = append(rsp.Bearers, BearerContext{BearerID: bc.BearerID, Bearer: bc.Bearer, TFT: bc.TFT,
				FTEID: FTEID{Interface: S5PGWGTPU, TEID: teid, Address: g.s5Addr}})
		}
		g.e.sendGTPC(IfaceS5C, EntityPGW, EntitySGW, rsp)
	case CreateBearerResponse:
		c := g.byIMSI[uint64(msg.TEID)]
		if c == nil {
			return
		}
		for _, bc := range msg.Bearers {
			tft := c.pending[bc.BearerID]
			if tft == nil {
				continue
			}
			c.pending[bc.BearerID] = nil
			c.teids[bc.BearerID] = bc.FTEID.TEID
			_ = c.classifier.Add(bc.FTEID.TEID, tft)
			g.e.emit(ControlEvent{Stage: StageBearerActivated, IMSI: c.imsi, CellID: g.e.cellOf(c.imsi),
				BearerIDs: []uint8{bc.BearerID}})
		}
	case DeleteBearerCommand:
		// ns-3's DoRecvDeleteBearerCommand: a Delete Bearer Request back.
		req := &GTPCMessage{Type: DeleteBearerRequest, TEID: msg.TEID}
		for _, bc := range msg.Bearers {
			req.BearerIDs = append(req.BearerIDs, bc.BearerID)
		}
		g.e.sendGTPC(IfaceS5C, EntityPGW, EntitySGW, req)
	case DeleteBearerResponse:
		// ns-3's DoRecvDeleteBearerResponse: remove the bearers.
		c := g.byIMSI[uint64(msg.TEID)]
		if c == nil {
			return
		}
		for _, id := range msg.BearerIDs {
			g.removeBearer(c, id)
			g.e.emit(ControlEvent{Stage: StageBearerReleased, IMSI: c.imsi, CellID: g.e.cellOf(c.imsi),
				BearerIDs: []uint8{id}})
		}
	}
}

func (e *EPC) cellOf(imsi uint64) uint16 {
	if ctx := e.mme.ues[imsi]; ctx != nil && ctx.cell != nil {
		return ctx.cell.cellID
	}
	return 0
}

// gtpcStage maps a GTP-C message to its stage.
func gtpcStage(t GTPCMessageType) Stage {
	switch t {
	case CreateSessionRequest:
		return StageCreateSessionRequest
	case CreateSessionResponse:
		return StageCreateSessionResponse
	case CreateBearerRequest:
		return StageCreateBearerRequest
	case CreateBearerResponse:
		return StageCreateBearerResponse
	case DeleteBearerCommand:
		return StageDeleteBearerCommand
	case DeleteBearerRequest:
		return StageDeleteBearerRequest
	case DeleteBearerResponse:
		return StageDeleteBearerResponse
	}
	return 0
}

func s1apStage(c S1APProcedure) Stage {
	switch c {
	case S1APInitialUEMessage:
		return StageInitialUEMessage
	case S1APInitialContextSetupReq:
		return StageInitialContextSetupRequest
	case S1APERABSetupRequest:
		return StageERABSetupRequest
	case S1APERABSetupResponse:
		return StageERABSetupResponse
	case S1APERABReleaseIndication:
		return StageERABReleaseIndication
	}
	return 0
}

// gtpcIMSI returns the UE a GTP-C message is about.
func gtpcIMSI(m *GTPCMessage) uint64 {
	if m.IMSI != 0 {
		return m.IMSI
	}
	return uint64(m.TEID)
}

func gtpcBearerIDs(m *GTPCMessage) []uint8 {
	if len(m.BearerIDs) > 0 {
		return append([]uint8(nil), m.BearerIDs...)
	}
	out := make([]uint8, len(m.Bearers))
	for i, c := range m.Bearers {
		out[i] = c.BearerID
	}
	return out
}

// sendGTPC sends msg from one entity to another over iface: over UDP on
// the interface's link (VariantNR's S11 and S5-C), or as a direct call
// (VariantMmWave's S11, and its S5 inside the SGW/PGW node).
func (e *EPC) sendGTPC(iface Interface, from, to Entity, msg *GTPCMessage) {
	var sock *inet.UDPSocket
	var dst inet.IPv4Addr
	if e.cfg.Variant == VariantNR {
		switch {
		case iface == IfaceS11 && from == EntityMME:
			sock, dst = e.mme.s11, e.mme.sgwAt
		case iface == IfaceS11:
			sock, dst = e.sgw.s11, e.sgw.mmeAt
		case from == EntitySGW:
			sock, dst = e.sgw.s5c, e.sgw.pgwAt
		default:
			sock, dst = e.pgw.s5c, e.pgw.sgwAt
		}
	}
	if sock == nil {
		e.receivedGTPC(iface, from, to, msg, 0)
		return
	}
	p := e.net.Pool().New(0)
	p.Push(msg)
	if err := sock.SendPacketTo(p, dst, GTPCPort); err != nil {
		p.Release() // a message larger than the link MTU: the procedure stops here
		return
	}
	st := &e.stats.S11
	if iface == IfaceS5C {
		st = &e.stats.S5C
	}
	st.add(msg.Size() + inet.UDPHeaderSize + inet.IPv4HeaderSize)
}

// receivedGTPC reports the stage and hands msg to the entity it is for.
// size is the message's size on the wire, 0 for a direct call.
func (e *EPC) receivedGTPC(iface Interface, from, to Entity, msg *GTPCMessage, size int) {
	// Inside VariantMmWave's SGW/PGW node, S5 is internal: no stage.
	if e.OnControl != nil && !(e.cfg.Variant == VariantMmWave && iface == IfaceS5C) {
		imsi := gtpcIMSI(msg)
		e.emit(ControlEvent{Stage: gtpcStage(msg.Type), Interface: iface, From: from, To: to, IMSI: imsi,
			CellID: e.cellOf(imsi), BearerIDs: gtpcBearerIDs(msg), Size: size})
	}
	switch to {
	case EntityMME:
		e.mme.onGTPC(msg)
	case EntitySGW:
		if from == EntityMME {
			e.sgw.onFromMME(msg)
		} else {
			e.sgw.onFromPGW(msg)
		}
	case EntityPGW:
		e.pgw.onGTPC(msg)
	}
}

// sendS1AP sends msg between RAN node r and the MME (fromMME says which
// way): over UDP on r's S1-AP link in VariantMmWave, as a direct call in
// VariantNR.
func (e *EPC) sendS1AP(r *RANNode, fromMME bool, msg *S1APMessage) {
	if e.cfg.Variant == VariantNR {
		e.receivedS1AP(r, fromMME, msg, 0)
		return
	}
	sock, dst := r.s1ap, r.mmeS1APAddr
	if fromMME {
		sock, dst = e.mme.s1ap, r.s1apAddr
	}
	p := e.net.Pool().New(0)
	p.Push(msg)
	if err := sock.SendPacketTo(p, dst, S1APPort); err != nil {
		p.Release()
		return
	}
	e.stats.S1AP.add(msg.Size() + inet.UDPHeaderSize + inet.IPv4HeaderSize)
}

// receivedS1AP reports the stage and hands msg to the MME or RAN node r.
func (e *EPC) receivedS1AP(r *RANNode, fromMME bool, msg *S1APMessage, size int) {
	from, to := EntityRANNode, EntityMME
	if fromMME {
		from, to = EntityMME, EntityRANNode
	}
	if e.OnControl != nil {
		e.emit(ControlEvent{Stage: s1apStage(msg.Procedure), Interface: IfaceS1AP, From: from, To: to,
			IMSI: msg.MMEUEID, CellID: r.cellID, BearerIDs: erabIDs(msg.ERABs), Size: size})
	}
	if fromMME {
		r.onS1AP(msg)
	} else {
		e.mme.onS1AP(r, msg)
	}
}
