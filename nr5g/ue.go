package nr5g

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// UE RRC states (5G-LENA's NrUeRrc states, as far as the ideal RRC goes).
type rrcState uint8

const (
	rrcIdle         rrcState = iota // IDLE_START: not attached to a cell
	rrcWaitMib                      // IDLE_WAIT_MIB: camping, waiting for the MIB
	rrcWaitSib2                     // IDLE_WAIT_SIB2: waiting for SIB2 to connect
	rrcRandomAccess                 // IDLE_RANDOM_ACCESS: preamble sent, waiting for the RAR
	rrcConnecting                   // IDLE_CONNECTING: RRC Connection Request sent
	rrcConnected                    // CONNECTED_NORMALLY
	rrcFailed                       // CONNECTED_PHY_PROBLEM: T300 expired, the UE gave up
)

// String returns 5G-LENA's state name.
func (s rrcState) String() string {
	switch s {
	case rrcIdle:
		return "IDLE_START"
	case rrcWaitMib:
		return "IDLE_WAIT_MIB"
	case rrcWaitSib2:
		return "IDLE_WAIT_SIB2"
	case rrcRandomAccess:
		return "IDLE_RANDOM_ACCESS"
	case rrcConnecting:
		return "IDLE_CONNECTING"
	case rrcConnected:
		return "CONNECTED_NORMALLY"
	case rrcFailed:
		return "CONNECTED_PHY_PROBLEM"
	}
	return fmt.Sprintf("rrcState(%d)", uint8(s))
}

// Scheduling-request states of the UE MAC (NrUeMac::SrBsrMachine).
const (
	srInactive uint8 = iota
	srToSend
	srActive
)

// ueCtrl holds the UL control messages a UE PHY sends in one slot (its
// m_controlMessageQueue entry).
type ueCtrl struct {
	slot  uint64
	sr    bool
	rach  bool
	dlFb  []HarqFeedback
	dlCqi []int
	inUse bool
}

func (c *ueCtrl) at(slot uint64) *ueCtrl {
	if !c.inUse || c.slot != slot {
		c.slot, c.inUse, c.sr, c.rach = slot, true, false, false
		c.dlFb, c.dlCqi = c.dlFb[:0], c.dlCqi[:0]
	}
	return c
}

// ueBsr is an entry of NrUeMac's m_ulBsrReceived.
type ueBsr struct {
	present bool
	st      BufferStatus
}

// UeStats counts a UE's activity.
type UeStats struct {
	SRs            uint64 // scheduling requests sent
	UlGrants       uint64 // UL DCIs for new data
	UlRetxGrants   uint64 // UL DCIs for retransmissions
	UlBytesGranted uint64 // TB bytes of new-data grants
	UlBytesUsed    uint64 // bytes of those filled with data subPDUs and BSRs
	DlCqiReports   uint64 // wideband DL CQI reports sent
	SendNoBearer   uint64 // uplink packets without a data radio bearer
	RxSdus, TxSdus uint64 // PDCP SDUs delivered up, and taken for sending
	Preambles      uint64 // random access preambles sent
	RaTimeouts     uint64 // RAR windows that ended without a RAR
	RaFailures     uint64 // random access procedures given up (PreambleTransMax)
	T300Expiries   uint64 // connection establishments given up (T300)
}

// UeDevice is a UE's NR device: the UE's PHY, MAC, RLC/PDCP entities and
// ideal RRC, and the inet.NetDevice on its node that hands uplink packets
// to the EPC's NAS (epc.UEAccess). Make one with Network.AddUE.
type UeDevice struct {
	net   *Network
	sim   *sim.Simulator
	cfg   UeConfig
	node  *inet.Node
	mob   mobility.Model
	radio int
	addr  packet.Mac48
	recv  inet.ReceiveCallback
	ue    *epc.UE
	nas   *epc.NAS
	imsi  uint64
	rng   *rand.Rand

	gnb         *Gnb
	rrc         rrcState
	connPending bool
	hasSib2     bool
	rnti        uint16
	pendingRnti uint16
	attachErr   error
	// Random access (NrUeMac) and T300.
	preamble   uint8
	raWaiting  bool
	raCount    int
	raWaitEv   sim.EventID
	raTimerEv  sim.EventID
	t300Ev     sim.EventID
	raRng      *rand.Rand
	raWaitFn   func(any)
	raTimerFn  func(any)
	t300Fn     func(any)
	sib2Fn     func(any)
	attachedAt sim.Time // when the RRC connection completed

	// PHY.
	ctrl    [allocRing]ueCtrl
	pend    ueCtrl // popped messages waiting for a slot with UL control
	ulTx    [allocRing]ulTx
	dlHist  [NumHarqProcesses]HarqHistory
	dlCqi   cqiCache
	dlTbler tblerCache
	sinr    []float64

	// MAC.
	srState  uint8
	bsr      [maxLcid]ueBsr
	ulDci    DCI
	hasUlDci bool
	ulUsed   int
	ulHarq   [NumHarqProcesses]*macTb
	curTx    *ulTx

	// RLC/PDCP.
	drbs [maxLcid]*drb

	st UeStats
}

var (
	_ inet.NetDevice = (*UeDevice)(nil)
	_ epc.UEAccess   = (*UeDevice)(nil)
	_ rlcUser        = (*UeDevice)(nil)
)

// IMSI returns the UE's IMSI.
func (d *UeDevice) IMSI() uint64 { return d.imsi }

// Node returns the UE's node.
func (d *UeDevice) Node() *inet.Node { return d.node }

// UE returns the core's view of the UE (address, NAS, attach state).
func (d *UeDevice) UE() *epc.UE { return d.ue }

// RNTI returns the UE's RNTI in its cell (0 before random access).
func (d *UeDevice) RNTI() uint16 { return d.rnti }

// Gnb returns the gNB the UE attached to (nil before Attach).
func (d *UeDevice) Gnb() *Gnb { return d.gnb }

// Radio returns the UE's radio id in the channel.
func (d *UeDevice) Radio() int { return d.radio }

// Config returns the UE's configuration.
func (d *UeDevice) Config() UeConfig { return d.cfg }

// Stats returns the UE's counters.
func (d *UeDevice) Stats() UeStats { return d.st }

// RrcState returns the RRC state's 5G-LENA name.
func (d *UeDevice) RrcState() string { return d.rrc.String() }

// Ready reports whether the UE is attached and may send user data: the
// core holds its context and its NAS is active.
func (d *UeDevice) Ready() bool {
	return d.ue != nil && d.ue.Attached() && d.nas.Active() && d.rrc == rrcConnected
}

// Address returns the device's link-layer address.
func (d *UeDevice) Address() packet.Mac48 { return d.addr }

// Broadcast returns ff:ff:ff:ff:ff:ff.
func (d *UeDevice) Broadcast() packet.Mac48 { return packet.BroadcastMac48 }

// MTU returns UeConfig.MTU.
func (d *UeDevice) MTU() int { return d.cfg.MTU }

// NeedsARP returns false.
func (d *UeDevice) NeedsARP() bool { return false }

// SetReceiveCallback sets the upper layer's receive function.
func (d *UeDevice) SetReceiveCallback(cb inet.ReceiveCallback) { d.recv = cb }

// Send hands p, an IPv4 packet, to the UE's NAS (NrUeNetDevice::Send and
// NrEpcUeNas::Send), which classifies it onto a bearer and calls SendData.
func (d *UeDevice) Send(p *packet.Packet, _ packet.Mac48, etherType uint16) error {
	if etherType != inet.EtherTypeIPv4 {
		return fmt.Errorf("%w: EtherType 0x%04x on an NR UE device", inet.ErrUnsupportedProtocol, etherType)
	}
	if d.nas == nil {
		return fmt.Errorf("%w: NR UE device %v is not registered with a core", inet.ErrLinkDown, d.addr)
	}
	return d.nas.Send(p)
}

// SendData is epc.UEAccess (NrUeRrc::DoSendData): the packet goes through
// the PDCP and RLC entities of the bearer's DRB.
func (d *UeDevice) SendData(p *packet.Packet, bearerID uint8) error {
	if int(bearerID)+2 >= maxLcid || d.drbs[bearerID+2] == nil {
		d.st.SendNoBearer++
		return fmt.Errorf("nr5g: IMSI %d has no data radio bearer for EPS bearer %d", d.imsi, bearerID)
	}
	b := d.drbs[bearerID+2]
	d.st.TxSdus++
	sn := b.pdcp.push(p)
	d.net.pdcpTrace(false, false, d.cellID(), d.rnti, b.lcid, sn, p.Size())
	b.rlc.transmitSdu(p)
	return nil
}

// cellID returns the serving cell's id (0 before Attach).
func (d *UeDevice) cellID() uint16 {
	if d.gnb == nil {
		return 0
	}
	return d.gnb.cellID
}

// rlcEvent reports an RLC event of the UE's entity.
func (d *UeDevice) rlcEvent(lcid uint8, mode RlcMode, ev RlcEvent, pdu *rlcPdu, bytes int) {
	d.net.rlcTrace(false, d.cellID(), d.rnti, lcid, mode, ev, pdu, bytes)
}

// rlcDeliver is the downlink end: PDCP, then the node's IPv4.
func (d *UeDevice) rlcDeliver(lcid uint8, p *packet.Packet) {
	b := d.drbs[lcid]
	if b == nil || d.recv == nil {
		p.Release()
		return
	}
	size := p.Size()
	sn, ok := b.pdcp.pop(p)
	if !ok {
		p.Release()
		return
	}
	d.net.pdcpTrace(true, false, d.cellID(), d.rnti, lcid, sn, size)
	d.st.RxSdus++
	d.recv(d, p, inet.EtherTypeIPv4, d.addr, d.addr)
}

// rlcBufferStatus is NrUeMac::DoTransmitBufferStatusReport: the report
// replaces the channel's entry, and a scheduling request is due if none is
// under way (or when the RLC's BSR timer expired after the last grant
// used HARQ process 0 or a last retransmission).
func (d *UeDevice) rlcBufferStatus(lcid uint8, st BufferStatus) {
	e := &d.bsr[lcid%maxLcid]
	e.present, e.st = true, st
	switch {
	case d.srState == srInactive:
		d.srState = srToSend
	case st.ExpBsrTimer && d.srState == srActive && d.hasUlDci && d.ulDci.HarqID > 0 && d.ulDci.RV == MaxHarqRetx,
		st.ExpBsrTimer && d.srState == srActive && d.hasUlDci && d.ulDci.HarqID == 0:
		d.srState = srToSend
	}
}

func (d *UeDevice) totalBuffer() uint32 {
	var t uint32
	for i := range d.bsr {
		if d.bsr[i].present {
			t += d.bsr[i].st.Total()
		}
	}
	return t
}

// ctrlAt returns the UL control messages of slot.
func (d *UeDevice) ctrlAt(slot uint64) *ueCtrl { return d.ctrl[slot%allocRing].at(slot) }

// queueDlFb queues a DL HARQ feedback for the UL control of slot.
func (d *UeDevice) queueDlFb(slot uint64, fb HarqFeedback) {
	c := d.ctrlAt(slot)
	c.dlFb = append(c.dlFb, fb)
}

// dlCqiReport is NrUePhy::GenerateDlCqiReport for the SINR of a DL data
// reception in slot n: the wideband CQI goes out with the next
// EnqueueCtrlMessage timing, L1L2CtrlLatency + 1 slots later.
func (d *UeDevice) dlCqiReport(n uint64, sinr []float64) {
	if d.rnti == 0 || !d.hasSib2 {
		return
	}
	cqi, _, err := d.dlCqi.lookup(d.gnb.amc, sinr)
	if err != nil {
		return
	}
	c := d.ctrlAt(n + uint64(d.gnb.cfg.Phy.L1L2CtrlLatency) + 1)
	c.dlCqi = append(c.dlCqi, cqi)
	d.st.DlCqiReports++
}

// slotStart is the UE's slot start (NrUePhy::StartSlot): the MAC's slot
// indication sends a due scheduling request (L1L2CtrlLatency slots on),
// then the PHY takes the control messages of the slot, which the gNB
// receives at its end if the slot has UL control.
func (d *UeDevice) slotStart(n uint64, st SlotType) {
	if d.srState == srToSend {
		if d.rnti != 0 {
			d.ctrlAt(n + uint64(d.gnb.cfg.Phy.L1L2CtrlLatency)).sr = true
			d.st.SRs++
		}
		d.srState = srActive
	}
	c := &d.ctrl[n%allocRing]
	if c.inUse && c.slot == n {
		p := d.pend.at(0)
		p.sr = p.sr || c.sr
		p.rach = p.rach || c.rach
		p.dlFb = append(p.dlFb, c.dlFb...)
		p.dlCqi = append(p.dlCqi, c.dlCqi...)
		c.inUse = false
	}
	if !st.HasUlCtrl() || !d.pend.inUse {
		return
	}
	p := &d.pend
	a := &d.gnb.arriving
	if p.rach {
		a.rach = append(a.rach, raPreamble{d: d, id: d.preamble})
	}
	if p.sr && d.rnti != 0 {
		a.srs = append(a.srs, d.rnti)
		d.gnb.st.SRs++
	}
	for _, c := range p.dlCqi {
		a.dlCqi = append(a.dlCqi, rntiCqi{rnti: d.rnti, cqi: c})
	}
	a.dlFb = append(a.dlFb, p.dlFb...)
	for _, f := range p.dlFb {
		// NrGnbMac::DoDlHarqFeedback: an ACK empties the HARQ buffer.
		if f.OK {
			if u := d.gnb.ue(f.RNTI); u != nil {
				d.net.pools.tbs.release(u.dlHarq[f.HarqID])
				u.dlHarq[f.HarqID] = nil
			}
		}
	}
	p.inUse = false
}

// processUlDci is NrUeMac::ProcessUlDci for a DCI received in slot n for
// UL slot t: a retransmission resends the HARQ buffer with a fresh BSR; a
// new grant takes data from the RLC entities (SendNewData) and adds the
// BSR; a UE left without data goes back to INACTIVE.
func (d *UeDevice) processUlDci(dci *DCI, n, t uint64) {
	d.ulDci.copyFrom(dci)
	d.hasUlDci = true
	d.ulUsed = 0
	tx := &d.ulTx[t%allocRing]
	if tx.valid {
		d.net.pools.tbs.release(tx.tb)
	}
	*tx = ulTx{slot: t, valid: true, dci: tx.dci}
	tx.dci.copyFrom(dci)
	d.curTx = tx
	if !dci.NDI {
		d.st.UlRetxGrants++
		// TransmitRetx: the buffered PDUs again (nothing if the first
		// transmission carried only a BSR).
		if tb := d.ulHarq[dci.HarqID]; tb != nil {
			tb.refs++
			tx.tb = tb
		}
		d.sendBsr()
		return
	}
	d.st.UlGrants++
	d.st.UlBytesGranted += uint64(dci.TBS)
	d.sendNewData()
	d.sendBsr()
	if d.totalBuffer() == 0 {
		d.srState = srInactive
		if d.ulUsed == 0 {
			// The grant found nothing: an empty PDU (LCID 3, no data).
			d.addPdu(3, nil, 0)
		}
	}
	d.st.UlBytesUsed += uint64(d.ulUsed)
}

// addPdu is NrUeMac::DoTransmitPdu: the RLC PDU, with its MAC subheader,
// joins the HARQ buffer of the grant's process and its transmission.
func (d *UeDevice) addPdu(lcid uint8, pdu *rlcPdu, size int) {
	tb := d.ulHarq[d.ulDci.HarqID]
	if tb == nil {
		tb = d.net.pools.tbs.get()
		d.ulHarq[d.ulDci.HarqID] = tb
		if d.curTx.tb == nil {
			tb.refs++
			d.curTx.tb = tb
		}
	}
	sz := size + MacSubheaderSize(size)
	tb.subs = append(tb.subs, macSub{lcid: lcid, size: sz, rlc: pdu, empty: pdu == nil})
	tb.used += sz
	d.ulUsed += sz
}

// sendNewData is NrUeMac::SendNewData: the HARQ buffer starts afresh;
// STATUS PDUs go first (SendNewStatusData); then 5 bytes stay for the
// short BSR and 3 per active channel for subheaders, and the rest is
// shared evenly among the channels with data to retransmit, then again
// among those with new data, each getting a transmission opportunity (no
// opportunity when a share would be under 10 bytes).
func (d *UeDevice) sendNewData() {
	pid := d.ulDci.HarqID
	d.net.pools.tbs.release(d.ulHarq[pid])
	d.ulHarq[pid] = nil
	tbs := int(d.ulDci.TBS)
	// SendNewStatusData: the STATUS PDUs first, each in an opportunity of
	// its reported size if it fits.
	for lcid := range d.bsr {
		e := &d.bsr[lcid]
		if !e.present || e.st.StatusPdu == 0 || d.ulUsed+int(e.st.StatusPdu) > tbs {
			continue
		}
		if b := d.drbs[lcid]; b != nil {
			if pdu := b.rlc.txOpportunity(int(e.st.StatusPdu)); pdu != nil {
				d.addPdu(uint8(lcid), pdu, pdu.size)
			}
		}
		e.st.StatusPdu = 0
	}
	activeRetx, activeTx := 0, 0
	for i := range d.bsr {
		if !d.bsr[i].present {
			continue
		}
		if d.bsr[i].st.RetxQueue > 0 {
			activeRetx++
		}
		if d.bsr[i].st.TxQueue > 0 {
			activeTx++
		}
	}
	// SendRetxData then SendTxData: the useful bytes (less the short BSR
	// and 3 bytes of subheader per active channel) shared evenly; every
	// channel of the report gets an opportunity while the shares last.
	for pass := 0; pass < 2; pass++ {
		active := activeRetx
		if pass == 1 {
			active = activeTx
		}
		useful := tbs - d.ulUsed - ShortBsrSize
		if active == 0 || useful <= 0 || active*10 > useful {
			continue
		}
		useful -= active * macSubheaderReserve
		per := useful / active
		for lcid := range d.bsr {
			e := &d.bsr[lcid]
			if !e.present || d.ulUsed+per > useful {
				continue
			}
			if b := d.drbs[lcid]; b != nil {
				if pdu := b.rlc.txOpportunity(per); pdu != nil {
					d.addPdu(uint8(lcid), pdu, pdu.size)
				}
			}
			if pass == 0 {
				e.st.RetxQueue -= min(uint32(per), e.st.RetxQueue)
			} else {
				e.st.TxQueue -= min(uint32(per), e.st.TxQueue)
			}
		}
	}
	if d.ulUsed == 0 {
		// No data: a retransmission of this process sends only its BSR.
		d.net.pools.tbs.release(d.ulHarq[pid])
		d.ulHarq[pid] = nil
	}
}

// sendBsr is NrUeMac::SendBufferStatusReport: per group the reported
// bytes, plus 5 for the short BSR and 3 per subheader, quantised to the
// levels of TS 38.321 Table 6.1.3-1; the 5-byte CE goes with the grant.
func (d *UeDevice) sendBsr() {
	if d.rnti == 0 {
		return
	}
	var queue [NumLcgs]uint32
	any := false
	for lcid := range d.bsr {
		e := &d.bsr[lcid]
		if !e.present {
			continue
		}
		any = true
		lcg := uint8(2)
		if b := d.drbs[lcid]; b != nil {
			lcg = b.lcg
		} else if lcid <= 1 {
			lcg = 0
		}
		queue[lcg] += e.st.Total()
		if queue[lcg] != 0 {
			queue[lcg] += ShortBsrSize
		}
		if e.st.TxQueue > 0 {
			queue[lcg] += macSubheaderReserve
		}
		if e.st.RetxQueue > 0 {
			queue[lcg] += macSubheaderReserve
		}
	}
	if !any {
		return
	}
	tx := d.curTx
	tx.hasBsr = true
	for i := range queue {
		tx.bsr[i] = BsrLevel(queue[i])
	}
	d.ulUsed += ShortBsrSize
}

// receiveDlPdu is NrUeMac::DoReceivePhyPdu for a decoded DL block: each
// RLC PDU goes to its channel's entity.
func (d *UeDevice) receiveDlPdu(tb *macTb) {
	for i := range tb.subs {
		s := &tb.subs[i]
		if s.rlc == nil {
			continue
		}
		if b := d.drbs[s.lcid%maxLcid]; b != nil && b.lcid == s.lcid {
			pdu := s.rlc
			s.rlc = nil
			b.rlc.receivePdu(pdu)
		}
	}
}

// attach starts NrHelper::AttachToGnb's procedure: the UE camps on g's
// cell (waiting for the MIB) with a connection pending.
func (d *UeDevice) attach(g *Gnb) error {
	if d.gnb != nil {
		return fmt.Errorf("nr5g: IMSI %d is already attached to %v", d.imsi, d.gnb)
	}
	if d.ue == nil {
		return errors.New("nr5g: the UE is not registered with the core")
	}
	if err := d.net.ch.Connect(g.radio, d.radio); err != nil {
		return err
	}
	d.gnb = g
	d.rrc = rrcWaitMib
	d.connPending = true
	d.nas.SetAccess(d)
	g.devs = append(g.devs, d)
	return nil
}

// setupDrb creates the UE's side of a data radio bearer (RLC mode as the
// gNB chose; 5G-LENA sets no delay budget on the UE's entities).
func (d *UeDevice) setupDrb(lcid, bid, lcg uint8, mode RlcMode) {
	if d.drbs[lcid] != nil {
		return
	}
	b := &drb{lcid: lcid, bid: bid, lcg: lcg, mode: mode}
	b.rlc = newRlc(d.sim, mode, d.gnb.cfg.Rlc, lcid, 0, d, &d.net.pools.pdus)
	d.drbs[lcid] = b
}

// releaseDrb removes the UE's side of a data radio bearer.
func (d *UeDevice) releaseDrb(lcid uint8) {
	if b := d.drbs[lcid]; b != nil {
		b.rlc.release()
		d.drbs[lcid] = nil
		d.bsr[lcid] = ueBsr{}
	}
}

// contextSetUp is the end of the attach at the RAN (InitialContextSetup).
func (d *UeDevice) contextSetUp() {}

// String names the UE.
func (d *UeDevice) String() string { return fmt.Sprintf("UE IMSI %d", d.imsi) }

// BearerStats returns the counters of the UE's side of EPS bearer bid's
// radio bearer (its RLC transmitter and receiver, and PDCP), and whether
// the bearer has a DRB.
func (d *UeDevice) BearerStats(bid uint8) (RlcStats, PdcpStats, bool) {
	if int(bid)+2 >= maxLcid || d.drbs[bid+2] == nil {
		return RlcStats{}, PdcpStats{}, false
	}
	b := d.drbs[bid+2]
	return b.rlc.stats(), b.pdcp.st, true
}
