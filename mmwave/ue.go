package mmwave

import (
	"fmt"
	"math/rand/v2"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// ctrlKind is the type of an UL control message.
type ctrlKind uint8

const (
	ctrlBsr ctrlKind = iota
	ctrlDlCqi
	ctrlDlHarq
	ctrlRach
)

// ctrlMsg is an UL control message (MmWaveControlMessage) waiting in a
// UE's control queue.
type ctrlMsg struct {
	kind ctrlKind
	at   sim.Time // when it entered the queue
	cqi  int
	bsr  [4]uint8
	harq dlFeedbackOrUl
}

// drbSpec is a radio bearer the UE sets up at its next reconfiguration.
type drbSpec struct {
	bearerID, lcid, lcg uint8
}

// ulTb is an UL transport block the UE PHY holds for a TTI (its packet
// burst map entry).
type ulTb struct {
	slot int64
	sym  int
	pdu  macPDU
}

// rrcState is the UE's RRC state as far as netgym models it.
type rrcState uint8

const (
	rrcIdle rrcState = iota
	rrcCamped
	rrcRandomAccess
	rrcConnecting
	rrcConnected
)

// Ue is an ns3-mmwave UE (MmWaveUeNetDevice with its PHY, MAC, RRC and
// NAS): its device carries the node's IPv4 packets to the NAS, which
// classifies them onto bearers, and passes DL packets up. Make it with
// Helper.InstallUe and connect it with Helper.Attach.
type Ue struct {
	h     *Helper
	node  *inet.Node
	mob   mobility.Model
	medID int
	arr   *antenna.Array
	dev   *UeDevice
	imsi  uint64
	epcUE *epc.UE
	nas   *epc.NAS
	n0    float64
	rng   *rand.Rand

	enb              *Enb
	enbBeam, ueBeam  *antenna.Beam
	rnti             uint16
	pendingRnti      uint16
	state            rrcState
	ulConfigured     bool
	pendingDrbs      []drbSpec
	drbs             []*drb
	bsrBlocked       bool
	freshBsr         bool
	bsrLast          sim.Time
	bsrPeriod        sim.Time
	ulHarq           []macPDU
	phyUl            []*ulTb
	freeUl           []*ulTb
	ctrl             []ctrlMsg
	dlHist           []harqHistory
	dlSinr           []float64
	dlMemo           effMemo
	cqiMemo          cqiMemo
	cqiLast          sim.Time
	attachedAt       sim.Time
	onConnectedHooks []func()
}

func newUe(h *Helper, node *inet.Node, mob mobility.Model, id int, arr *antenna.Array) *Ue {
	u := &Ue{h: h, node: node, mob: mob, medID: id, arr: arr, n0: noisePsd(h.cfg.UeNoiseFigureDb),
		cqiLast: h.s.Now()}
	u.dev = &UeDevice{ue: u, addr: h.net.MACs().Allocate()}
	n := h.cfg.PhyMac.NumHarqProcesses
	u.ulHarq = make([]macPDU, n)
	u.dlHist = make([]harqHistory, n)
	// MmWaveUeMac::SetConfigurationParameters: m_bsrPeriodicity is
	// MicroSeconds(GetSymbolsPerSubframe()), 56 us at numerology 2.
	u.bsrPeriod = sim.Time(SymbolsPerSlot*h.cfg.PhyMac.SlotsPerSubframe()) * sim.Microsecond
	return u
}

// IMSI returns the UE's IMSI.
func (u *Ue) IMSI() uint64 { return u.imsi }

// RNTI returns the UE's RNTI in its cell (0 before its random access).
func (u *Ue) RNTI() uint16 { return u.rnti }

// Node returns the UE's node.
func (u *Ue) Node() *inet.Node { return u.node }

// Device returns the UE's network device.
func (u *Ue) Device() *UeDevice { return u.dev }

// EPC returns the UE as the core knows it (address, NAS, bearers).
func (u *Ue) EPC() *epc.UE { return u.epcUE }

// Enb returns the eNB the UE is attached to (nil before Attach).
func (u *Ue) Enb() *Enb { return u.enb }

// RadioID returns the UE PHY's id on the medium.
func (u *Ue) RadioID() int { return u.medID }

// Connected reports whether the UE's RRC connection is set up and its
// data radio bearers exist.
func (u *Ue) Connected() bool { return u.state == rrcConnected && len(u.drbs) > 0 }

// Ready reports whether the UE can send user data: the core holds its
// context (epc.UE.Attached) and its NAS is active.
func (u *Ue) Ready() bool { return u.epcUE.Attached() && u.nas.Active() }

// drbByLcid returns the UE's radio bearer on lcid.
func (u *Ue) drbByLcid(lcid uint8) *drb {
	for _, d := range u.drbs {
		if d.lcid == lcid {
			return d
		}
	}
	return nil
}

// slotIndication is the UE MAC's DoSlotIndication at one of its TTI
// starts: a BSR goes out when the RLC reported since the last one and the
// BSR period (56 us at numerology 2) has passed.
func (u *Ue) slotIndication(now sim.Time) {
	if u.freshBsr && now >= u.bsrLast+u.bsrPeriod {
		u.sendBsr(now)
		u.bsrLast = now
		u.freshBsr = false
	}
}

// sendBsr is SendReportBufferStatus: the buffer of each LCG, quantised to
// the 64 BSR levels, in the control queue.
func (u *Ue) sendBsr(now sim.Time) {
	if u.rnti == 0 || u.bsrBlocked {
		return
	}
	var queue [4]uint32
	any := false
	for _, d := range u.drbs {
		if d.reported {
			queue[d.lcg&3] += d.bsr.txQueue + d.bsr.retxQueue + d.bsr.statusPdu
			any = true
		}
	}
	if !any {
		return
	}
	m := ctrlMsg{kind: ctrlBsr}
	for i, q := range queue {
		m.bsr[i] = bsrLevel(q)
	}
	u.queueCtrl(m, now)
}

// queueCtrl puts m in the control queue as of time at (kept in time
// order: HARQ feedback enters after the TB decode latency).
func (u *Ue) queueCtrl(m ctrlMsg, at sim.Time) {
	m.at = at
	i := len(u.ctrl)
	for i > 0 && u.ctrl[i-1].at > at {
		i--
	}
	u.ctrl = append(u.ctrl, ctrlMsg{})
	copy(u.ctrl[i+1:], u.ctrl[i:])
	u.ctrl[i] = m
}

// flushCtrl is the UL control TTI: every message queued before now goes
// to the eNB (GetControlMessages then the eNB's reception).
func (u *Ue) flushCtrl(now sim.Time, e *Enb) {
	n := 0
	for n < len(u.ctrl) && u.ctrl[n].at < now {
		n++
	}
	for i := range n {
		e.receiveCtrl(u, &u.ctrl[i])
	}
	u.ctrl = append(u.ctrl[:0], u.ctrl[n:]...)
}

// onRlcReport is the UE MAC's DoReportBufferStatus.
func (u *Ue) onRlcReport(d *drb, st bufferStatus) {
	d.bsr = st
	d.reported = true
	u.freshBsr = true
}

// onUlDci is the UE MAC's handling of an UL DCI for slot (the UL part of
// MmWaveUeMac::DoReceiveControlMessage): a new transport block is filled
// from the active logical channels, the grant split evenly between them
// (status PDUs first), and kept in the HARQ buffer; a retransmission
// sends the HARQ buffer again. The PHY sends it in the DCI's TTI.
func (u *Ue) onUlDci(d DCI, slot int64) {
	pp := &u.h.pool
	if d.HarqProcess >= len(u.ulHarq) {
		return
	}
	hb := &u.ulHarq[d.HarqProcess]
	if !d.NewData {
		if len(hb.pdus) > 0 || hb.size > 0 {
			u.holdUl(slot, d.SymStart, hb)
		}
		return
	}
	hb.clear(pp)
	hb.rnti = u.rnti
	active := 0
	var statusMin uint32
	for _, dr := range u.drbs {
		st := dr.bsr
		if !dr.reported || (st.statusPdu == 0 && st.retxQueue == 0 && st.txQueue == 0) {
			continue
		}
		active++
		if st.statusPdu != 0 && (statusMin == 0 || st.statusPdu < statusMin) {
			statusMin = st.statusPdu
		}
	}
	if active == 0 {
		// Scheduled without data (BSR quantisation): an empty PDU.
		hb.size = 2
		u.holdUl(slot, d.SymStart, hb)
		return
	}
	per := d.TbSize / uint32(active)
	statusFirst := statusMin != 0 && per < statusMin
	expected, calls := active, 0
	m := hb
	for _, dr := range u.drbs {
		st := &dr.bsr
		if !dr.reported || (st.statusPdu == 0 && st.retxQueue == 0 && st.txQueue == 0) {
			continue
		}
		if statusFirst && st.statusPdu == statusMin {
			if p := dr.rlc.txOpportunity(int(st.statusPdu)); p != nil {
				m.add(p)
				calls++
			}
			st.statusPdu = 0
			break
		}
		bytes := per
		if st.statusPdu > 0 && bytes > st.statusPdu {
			if st.txQueue > 0 || st.retxQueue > 0 {
				expected++ // status PDU + data PDU
			}
			if p := dr.rlc.txOpportunity(int(st.statusPdu)); p != nil {
				m.add(p)
				calls++
			}
			bytes -= st.statusPdu
			st.statusPdu = 0
		}
		if bytes > 7 && (st.retxQueue > 0 || st.txQueue > 0) {
			grant := int(bytes) - macSubheaderSize(int(bytes)) - 1
			if p := dr.rlc.txOpportunity(grant); p != nil {
				m.add(p)
				calls++
			}
			if st.retxQueue > 0 {
				if st.retxQueue >= bytes {
					st.retxQueue -= bytes
				} else {
					st.retxQueue = 0
				}
			} else {
				overhead := uint32(2)
				if dr.lcid == 1 {
					overhead = 4
				}
				if st.txQueue >= bytes-overhead {
					st.txQueue -= bytes - overhead
				} else {
					st.txQueue = 0
				}
			}
		} else if st.retxQueue > 0 || st.txQueue > 0 {
			u.freshBsr = true // resend the BSR to update the eNB
		}
	}
	// The MAC PDU goes to the PHY (and the HARQ buffer) once as many RLC
	// PDUs as expected came (MmWaveUeMac::DoTransmitPdu counts them down);
	// otherwise it is never sent, as in ns3-mmwave.
	if calls == 0 || calls < expected {
		m.clear(pp)
		return
	}
	u.holdUl(slot, d.SymStart, m)
}

// holdUl puts a copy of m in the PHY's packet burst map for (slot, sym).
func (u *Ue) holdUl(slot int64, sym int, m *macPDU) {
	var t *ulTb
	if n := len(u.freeUl); n > 0 {
		t = u.freeUl[n-1]
		u.freeUl = u.freeUl[:n-1]
	} else {
		t = &ulTb{}
	}
	t.slot, t.sym = slot, sym
	t.pdu.copyFrom(&u.h.pool, m)
	t.pdu.size = m.size
	u.phyUl = append(u.phyUl, t)
}

// takeUlTb returns the TB the PHY holds for (slot, sym), or nil; stale
// entries (of past slots) are dropped.
func (u *Ue) takeUlTb(slot int64, sym int) *macPDU {
	var found *ulTb
	keep := u.phyUl[:0]
	for _, t := range u.phyUl {
		switch {
		case t.slot == slot && t.sym == sym && found == nil:
			found = t
		case t.slot < slot:
			t.pdu.clear(&u.h.pool)
			u.freeUl = append(u.freeUl, t)
		default:
			keep = append(keep, t)
		}
	}
	u.phyUl = keep
	if found == nil {
		return nil
	}
	u.freeUl = append(u.freeUl, found)
	return &found.pdu
}

// putUlTb releases a TB takeUlTb returned, once received.
func (u *Ue) putUlTb(m *macPDU) { m.clear(&u.h.pool) }

// receiveDl is the UE MAC's DoReceivePhyPdu: each RLC PDU goes to its
// logical channel.
func (u *Ue) receiveDl(m *macPDU) {
	if m.rnti != u.rnti {
		return
	}
	for _, p := range m.pdus {
		if d := u.drbByLcid(p.lcid); d != nil {
			d.rlc.receivePdu(p)
		}
	}
}

// downlink is the UE's PDCP receiving a DL SDU: the IPv4 packet goes up
// the device.
func (u *Ue) downlink(s *sdu) {
	p := s.take()
	if p == nil {
		return
	}
	u.dev.receive(p)
}

// startAttach runs the UE's cell search and camping on its eNB: the MIB
// (sent at the start of even frames), then the SIB1 (odd frames), both
// read at the end of the DL control symbol, then the next SystemInformation
// (SIB2: LteEnbRrc sends it FirstSibTime = 2 ms after the cell starts and
// every SystemInformationPeriodicity = 5 ms, the ideal RRC delivering it
// RrcMessageDelay later), at which the random access starts.
func (u *Ue) startAttach() {
	h, e := u.h, u.enb
	now := h.s.Now()
	u.attachedAt = now
	frame := 10 * sim.Millisecond
	t0 := e.slotStart - sim.Time(e.slot)*h.slot // the cell's time 0
	if t0 > now {
		t0 = now
	}
	rx := h.sym - 1
	// first even frame whose MIB the UE can read
	k := ceilDiv(now-t0, frame)
	if k%2 == 1 {
		k++
	}
	mib := t0 + sim.Time(k)*frame
	sib1 := mib + frame + rx
	sib2 := t0 + 2*sim.Millisecond + h.cfg.RrcMessageDelay
	for sib2 <= sib1 {
		sib2 += 5 * sim.Millisecond
	}
	u.state = rrcCamped
	h.s.Schedule(sib2-now, u.onSib2)
}

func ceilDiv(a, b sim.Time) int64 {
	if a <= 0 {
		return 0
	}
	return int64((a + b - 1) / b)
}

// onSib2 starts the random access: the RACH preamble goes out in the next
// UL control symbol.
func (u *Ue) onSib2() {
	u.ulConfigured = true
	u.state = rrcRandomAccess
	u.queueCtrl(ctrlMsg{kind: ctrlRach}, u.h.s.Now())
}

// onRar is the RAR with the UE's RNTI: the RRC Connection Request goes to
// the eNB (ideal RRC).
func (u *Ue) onRar() {
	if u.state != rrcRandomAccess {
		return
	}
	u.rnti = u.pendingRnti
	u.state = rrcConnecting
	u.h.s.Schedule(u.h.cfg.RrcMessageDelay, u.onConnRequestAtEnb)
}

// onConnRequestAtEnb is the eNB RRC getting the Connection Request: the
// Connection Setup goes back.
func (u *Ue) onConnRequestAtEnb() {
	u.h.s.Schedule(u.h.cfg.RrcMessageDelay, u.onConnSetup)
}

// onConnSetup is the UE RRC getting the Connection Setup: the NAS is told
// the connection succeeded (LteUeRrc::DoRecvRrcConnectionSetup) and the
// Setup Completed goes to the eNB.
func (u *Ue) onConnSetup() {
	u.state = rrcConnected
	u.nas.NotifyConnectionSuccessful()
	u.h.s.Schedule(u.h.cfg.RrcMessageDelay, u.onSetupCompleteAtEnb)
}

// onSetupCompleteAtEnb is the eNB RRC getting the Setup Completed: the
// Initial UE Message goes to the core.
func (u *Ue) onSetupCompleteAtEnb() {
	e := u.enb
	if c := e.context(u.rnti); c != nil {
		c.ready = true
	}
	// The UE is registered with the core and the RNTI is new: no error.
	_ = e.ran.InitialUEMessage(u.imsi, u.rnti)
}

// reconfigure is the eNB sending the RRC Connection Reconfiguration with
// the new bearers.
func (u *Ue) reconfigure() {
	specs := append([]drbSpec(nil), u.pendingDrbs...)
	u.pendingDrbs = u.pendingDrbs[:0]
	u.h.s.Schedule(u.h.cfg.RrcMessageDelay, func() { u.onReconfiguration(specs) })
}

// onReconfiguration sets up the UE's side of the bearers (PDCP, RLC and
// the MAC's logical channels).
func (u *Ue) onReconfiguration(specs []drbSpec) {
	for _, sp := range specs {
		if u.drbByLcid(sp.lcid) != nil {
			continue
		}
		d := &drb{bearerID: sp.bearerID, lcid: sp.lcid, lcg: sp.lcg}
		d.rlc = u.h.newRlc(rlcHooks{
			lcid:    sp.lcid,
			report:  func(st bufferStatus) { u.onRlcReport(d, st) },
			deliver: u.downlink,
		}, true)
		i := 0
		for i < len(u.drbs) && u.drbs[i].lcid < sp.lcid {
			i++
		}
		u.drbs = append(u.drbs, nil)
		copy(u.drbs[i+1:], u.drbs[i:])
		u.drbs[i] = d
	}
	for _, f := range u.onConnectedHooks {
		f()
	}
}

// releaseDrb removes the UE's side of a bearer. The UE MAC keeps the
// bearer's last buffer report (m_ulBsrReceived), which stops its BSRs, as
// in ns3-mmwave.
func (u *Ue) releaseDrb(bearerID uint8) {
	for i, d := range u.drbs {
		if d.bearerID == bearerID {
			d.rlc.close()
			if d.reported {
				u.bsrBlocked = true
			}
			u.drbs = append(u.drbs[:i], u.drbs[i+1:]...)
			return
		}
	}
}

// sendData is the UE's PDCP taking an UL packet of bearer bearerID.
func (u *Ue) sendData(p *packet.Packet, bearerID uint8) error {
	for _, d := range u.drbs {
		if d.bearerID == bearerID {
			d.rlc.transmitSdu(u.h.pool.newSdu(p, p.Size()+pdcpHeaderSize, u.h.s.Now()))
			return nil
		}
	}
	return fmt.Errorf("mmwave: IMSI %d has no radio bearer for EPS bearer %d", u.imsi, bearerID)
}

// UeDevice is the UE's network device (MmWaveUeNetDevice): IPv4 sends
// through it to the UE's NAS, which classifies each packet onto a bearer,
// and DL packets come up through it. It implements inet.NetDevice and
// epc.UEAccess.
type UeDevice struct {
	ue   *Ue
	addr packet.Mac48
	recv inet.ReceiveCallback
}

var (
	_ inet.NetDevice = (*UeDevice)(nil)
	_ epc.UEAccess   = (*UeDevice)(nil)
)

// Address returns the device's link-layer address.
func (d *UeDevice) Address() packet.Mac48 { return d.addr }

// Broadcast returns ff:ff:ff:ff:ff:ff.
func (d *UeDevice) Broadcast() packet.Mac48 { return packet.BroadcastMac48 }

// MTU returns Config.UeMTU.
func (d *UeDevice) MTU() int { return d.ue.h.cfg.UeMTU }

// NeedsARP returns false.
func (d *UeDevice) NeedsARP() bool { return false }

// SetReceiveCallback sets the upper layer's receive function.
func (d *UeDevice) SetReceiveCallback(cb inet.ReceiveCallback) { d.recv = cb }

// Send hands p, an IPv4 packet, to the UE's NAS. It returns
// inet.ErrUnsupportedProtocol for another EtherType and the NAS's errors
// (not connected, no matching bearer, no radio bearer yet); p then stays
// with the caller.
func (d *UeDevice) Send(p *packet.Packet, _ packet.Mac48, etherType uint16) error {
	if etherType != inet.EtherTypeIPv4 {
		return fmt.Errorf("%w: EtherType 0x%04x on an mmWave UE device", inet.ErrUnsupportedProtocol, etherType)
	}
	if d.ue.nas == nil {
		return fmt.Errorf("%w: mmWave UE device %v has no NAS", inet.ErrLinkDown, d.addr)
	}
	return d.ue.nas.Send(p)
}

// SendData implements epc.UEAccess: p goes to the PDCP of the bearer's
// radio bearer.
func (d *UeDevice) SendData(p *packet.Packet, bearerID uint8) error {
	return d.ue.sendData(p, bearerID)
}

func (d *UeDevice) receive(p *packet.Packet) {
	if d.recv == nil {
		p.Release()
		return
	}
	d.recv(d, p, inet.EtherTypeIPv4, d.addr, d.addr)
}
