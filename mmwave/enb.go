package mmwave

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// allocRing is how many slot allocations an eNB keeps: the current slot,
// the next (its UL DCIs go out now) and the one the scheduler decides
// (L1L2Latency ahead).
const allocRing = L1L2Latency + 1

// ctrlPipeline is the eNB PHY's control-message queue: it starts with
// L1L2Latency empty lists, so a message the MAC queues in slot n goes out
// in slot n+2 (MmWaveEnbPhy::DoInitialize, MmWavePhy::SetControlMessage).
const ctrlPipeline = L1L2Latency

// drb is a data radio bearer at one end: the EPS bearer, its LC and RLC.
type drb struct {
	bearerID uint8
	lcid     uint8
	lcg      uint8
	rlc      rlcEntity
	// UE side: the last buffer status the RLC reported, as the UE MAC
	// keeps it (m_ulBsrReceived) and decrements at every grant.
	bsr      bufferStatus
	reported bool
}

// ueCtx is the eNB's state of one connected UE (UeManager, the MAC's HARQ
// packet buffers and the PHY's UL HARQ history).
type ueCtx struct {
	ue     *Ue
	rnti   uint16
	drbs   []*drb // by LCID order
	dlHarq []macPDU
	ulHist []harqHistory
	ulSinr []float64
	ulMemo effMemo
	ready  bool // RRC connected (Setup Completed received)
}

func (c *ueCtx) drbByLcid(lcid uint8) *drb {
	for _, d := range c.drbs {
		if d.lcid == lcid {
			return d
		}
	}
	return nil
}

func (c *ueCtx) drbByBearer(id uint8) *drb {
	for _, d := range c.drbs {
		if d.bearerID == id {
			return d
		}
	}
	return nil
}

// Enb is an ns3-mmwave eNB (MmWaveEnbNetDevice with its PHY, MAC,
// scheduler and RRC) on one component carrier. It implements epc.RAN for
// the core. Its slots run from its installation on: at each slot start
// the MAC hands the scheduler what it received and asks for the
// allocation of the slot L1L2Latency ahead; the DL control symbol carries
// the slot's DL DCIs and the next slot's UL DCIs; data TTIs follow, then
// the UL control symbol. Make it with Helper.InstallEnb.
type Enb struct {
	h        *Helper
	cellID   uint16
	node     *inet.Node
	mob      mobility.Model
	medID    int
	arr      *antenna.Array
	ran      *epc.RANNode
	sched    *Scheduler
	n0       float64
	rng      *rand.Rand
	attached []*Ue
	ctx      []*ueCtx // by RNTI
	nextRnti uint16

	slot      int64
	slotStart sim.Time
	allocs    [allocRing]SlotAlloc
	dlPhy     [allocRing][]macPDU // DL TBs of each allocation, by TTI
	ctrlQ     [ctrlPipeline][]*Ue // RARs waiting in the control pipeline
	preambles []*Ue               // RACH preambles received, for the next slot
	ulDcis    []TTI
	rars      []*Ue

	slotFn, dciFn, ulCtrlFn func()
	ttiFn                   func(any)
	deliverFn               func(any)
}

func newEnb(h *Helper, cellID uint16, node *inet.Node, mob mobility.Model, id int, arr *antenna.Array) *Enb {
	e := &Enb{h: h, cellID: cellID, node: node, mob: mob, medID: id, arr: arr,
		n0: noisePsd(h.cfg.EnbNoiseFigureDb), nextRnti: 1,
		rng: h.s.Stream(fmt.Sprintf("mmwave/enb/%d/phy", cellID))}
	e.sched = newScheduler(h.cfg.Scheduler, h.amc, h.cfg.PhyMac)
	e.ctx = make([]*ueCtx, 1)
	e.slotFn, e.dciFn, e.ulCtrlFn = e.onSlot, e.onDci, e.onUlCtrl
	e.ttiFn = e.onTti
	e.deliverFn = e.onDeliver
	for i := range e.allocs {
		e.allocs[i].reset(int64(i))
		e.allocs[i].push(TTI{Dir: Downlink, Ctrl: true, DCI: DCI{NumSym: 1}})
		e.allocs[i].push(TTI{Dir: Uplink, Ctrl: true, DCI: DCI{SymStart: SymbolsPerSlot - 1, NumSym: 1}})
	}
	return e
}

// CellID returns the cell id.
func (e *Enb) CellID() uint16 { return e.cellID }

// Node returns the eNB's node.
func (e *Enb) Node() *inet.Node { return e.node }

// RANNode returns the core's application on the eNB's node.
func (e *Enb) RANNode() *epc.RANNode { return e.ran }

// Scheduler returns the eNB's MAC scheduler.
func (e *Enb) Scheduler() *Scheduler { return e.sched }

// RadioID returns the eNB PHY's id on the medium.
func (e *Enb) RadioID() int { return e.medID }

// start begins the slot loop at the current time (MmWaveEnbPhy's
// constructor schedules StartSlot now).
func (e *Enb) start() {
	e.slotStart = e.h.s.Now()
	e.h.s.Schedule(0, e.slotFn)
}

// context returns the UE context of rnti (nil if none).
func (e *Enb) context(rnti uint16) *ueCtx {
	if int(rnti) < len(e.ctx) {
		return e.ctx[rnti]
	}
	return nil
}

// onSlot is the start of a slot: the eNB PHY's StartSlot and DL control
// TTI, the MAC's SlotIndication with the scheduler trigger, and every
// UE's first TTI.
func (e *Enb) onSlot() {
	h := e.h
	s := e.slot
	now := h.s.Now()
	e.slotStart = now
	h.stats.Slots++
	cur := &e.allocs[s%allocRing]

	// DL control: the UL DCIs of the slot UlSchedDelay ahead and the RARs
	// at the head of the control pipeline; the UEs decode them at the end
	// of the control symbol.
	e.ulDcis = e.ulDcis[:0]
	next := &e.allocs[(s+int64(h.cfg.PhyMac.UlSchedDelay))%allocRing]
	for _, t := range next.TTIs {
		if !t.Ctrl && t.Dir == Uplink && t.DCI.TbSize > 0 {
			e.ulDcis = append(e.ulDcis, TTI{Dir: Uplink, DCI: t.DCI})
		}
	}
	e.rars = append(e.rars[:0], e.ctrlQ[0]...)
	copy(e.ctrlQ[:], e.ctrlQ[1:])
	e.ctrlQ[ctrlPipeline-1] = e.ctrlQ[ctrlPipeline-1][:0]
	if len(e.ulDcis) > 0 || len(e.rars) > 0 {
		h.s.Schedule(h.sym-1, e.dciFn)
	}

	// MAC SlotIndication: random access, then the scheduler.
	for _, u := range e.preambles {
		e.admit(u)
	}
	e.preambles = e.preambles[:0]
	if s%64 == 0 {
		e.sched.pruneUlAllocs(s - 32)
	}
	nextAlloc := &e.allocs[(s+L1L2Latency)%allocRing]
	e.sched.Trigger(s+L1L2Latency, nextAlloc)
	e.buildDl(nextAlloc, (s+L1L2Latency)%allocRing)

	// The UEs' first TTI.
	for _, u := range e.attached {
		u.slotIndication(now)
	}

	for i, t := range cur.TTIs {
		if t.Ctrl {
			continue
		}
		h.s.ScheduleWith(sim.Time(t.DCI.SymStart)*h.sym, e.ttiFn, i)
	}
	h.s.Schedule(sim.Time(SymbolsPerSlot-UlCtrlSymbols)*h.sym, e.ulCtrlFn)
	e.slot++
	h.s.Schedule(h.slot, e.slotFn)
}

// buildDl is the MAC's DoSchedConfigIndication for the DL TTIs of an
// allocation: new transport blocks take RLC PDUs from the UE's logical
// channels (a transmission opportunity per RlcPduInfo) and are kept in
// the HARQ buffer; retransmissions send the HARQ buffer again.
func (e *Enb) buildDl(a *SlotAlloc, ring int64) {
	pp := &e.h.pool
	// The slice only grows, so that every entry keeps its memory.
	phy := e.dlPhy[ring]
	for i := range phy {
		phy[i].clear(pp)
	}
	for len(phy) < len(a.TTIs) {
		phy = append(phy, macPDU{})
	}
	e.dlPhy[ring] = phy
	for i := range a.TTIs {
		t := &a.TTIs[i]
		if t.Ctrl || t.Dir != Downlink {
			continue
		}
		c := e.context(t.DCI.RNTI)
		if c == nil {
			continue
		}
		m := &phy[i]
		m.rnti = t.DCI.RNTI
		proc := t.DCI.HarqProcess
		if t.DCI.NewData {
			for _, info := range t.rlc {
				d := c.drbByLcid(info.lcid)
				if d == nil {
					continue
				}
				bytes := int(info.size) - macSubheaderSize(int(info.size))
				if p := d.rlc.txOpportunity(bytes); p != nil {
					m.add(p)
				}
			}
			if proc < len(c.dlHarq) {
				c.dlHarq[proc].copyFrom(pp, m)
			}
		} else if t.DCI.TbSize > 0 && proc < len(c.dlHarq) {
			m.copyFrom(pp, &c.dlHarq[proc])
		}
	}
}

// onDci is the end of the DL control symbol: the UEs read the RARs and
// their UL DCIs (the UE MAC builds each UL transport block now, from its
// RLC buffers).
func (e *Enb) onDci() {
	for _, u := range e.rars {
		u.onRar()
	}
	slot := e.slot - 1 + int64(e.h.cfg.PhyMac.UlSchedDelay)
	for i := range e.ulDcis {
		d := e.ulDcis[i].DCI
		if c := e.context(d.RNTI); c != nil {
			c.ue.onUlDci(d, slot)
		}
	}
}

// onTti is the start of data TTI i of the current slot: the transmission,
// the scheduled UE's TTI start (its MAC's SlotIndication), and the
// reception, whose results take effect at the TTI's end and after the TB
// decode latency.
func (e *Enb) onTti(arg any) {
	i := arg.(int)
	h := e.h
	s := e.slot - 1
	t := &e.allocs[s%allocRing].TTIs[i]
	d := t.DCI
	c := e.context(d.RNTI)
	if c == nil {
		return
	}
	u := c.ue
	now := h.s.Now()
	// The PHYs send 1 ns into the TTI for its length less 2 ns: the
	// reception ends 1 ns before the TTI does (no propagation delay: ns-3's
	// spectrum channel has no delay model in MmWaveHelper).
	endRx := now + sim.Time(d.NumSym)*h.sym - 1
	if d.Dir == Downlink {
		u.slotIndication(now)
		m := &e.dlPhy[s%allocRing][i]
		e.receiveDl(c, d, m, s, endRx)
		return
	}
	m := u.takeUlTb(s, d.SymStart)
	u.slotIndication(now)
	if m == nil {
		return // the UE has nothing to send: nothing is received
	}
	e.receiveUl(c, d, m, s, endRx)
	u.putUlTb(m)
}

// setBeams installs the pair's beams for a transmission between the eNB
// and u.
func (e *Enb) setBeams(u *Ue) {
	_ = e.arr.SetBeam(u.enbBeam)
}

// receiveDl is the UE's reception of a DL transport block
// (MmWaveSpectrumPhy::EndRxData at the UE): SINR, error model with the
// HARQ history, the corruption draw, the DL CQI, the HARQ feedback (twice,
// as ns3-mmwave's EndRxData calls the callback in its loop and again
// after it) and the delivery after the decode latency.
func (e *Enb) receiveDl(c *ueCtx, d DCI, m *macPDU, slot int64, endRx sim.Time) {
	h := e.h
	u := c.ue
	e.setBeams(u)
	sinr, ok := h.linkSinr(u.dlSinr, e.medID, u.medID, u.n0)
	u.dlSinr = sinr
	if !ok {
		return
	}
	hist := &u.dlHist[d.HarqProcess]
	rec, corrupted := e.decodeTb(d, sinr, &u.dlMemo, hist, u.rng, slot, endRx)
	// DL CQI (MmWaveUePhy::GenerateDlCqiReport), at the end of the
	// reception, once the UE's CqiReportPeriod has passed since its start.
	if u.rnti != 0 && u.ulConfigured && endRx > u.cqiLast+sim.Time(h.cfg.CqiReportPeriod)*h.slot {
		cqi, _ := h.amc.cqiMemo(&u.cqiMemo, sinr)
		u.queueCtrl(ctrlMsg{kind: ctrlDlCqi, cqi: cqi}, endRx)
	}
	if h.cfg.HarqEnabled {
		f := dlFeedbackOrUl{rnti: d.RNTI, proc: d.HarqProcess, ok: !corrupted}
		at := endRx + h.cfg.PhyMac.TbDecodeLatency
		u.queueCtrl(ctrlMsg{kind: ctrlDlHarq, harq: f}, at)
		u.queueCtrl(ctrlMsg{kind: ctrlDlHarq, harq: f}, at)
	}
	e.settleHarq(hist, rec, sinr, d, corrupted)
	if !corrupted {
		e.scheduleDelivery(u, nil, m, endRx+h.cfg.PhyMac.TbDecodeLatency)
	}
}

// receiveUl is the eNB's reception of an UL transport block: SINR, error
// model, the UL CQI and HARQ feedback to the scheduler, and the delivery
// to the MAC after the decode latency.
func (e *Enb) receiveUl(c *ueCtx, d DCI, m *macPDU, slot int64, endRx sim.Time) {
	h := e.h
	u := c.ue
	e.setBeams(u)
	sinr, ok := h.linkSinr(c.ulSinr, u.medID, e.medID, e.n0)
	c.ulSinr = sinr
	if !ok {
		return
	}
	hist := &c.ulHist[d.HarqProcess]
	rec, corrupted := e.decodeTb(d, sinr, &c.ulMemo, hist, e.rng, slot, endRx)
	e.sched.UlCqi(slot, d.SymStart, sinr)
	e.sched.ulHarqFeedback(dlFeedbackOrUl{rnti: d.RNTI, proc: d.HarqProcess, ok: !corrupted})
	e.settleHarq(hist, rec, sinr, d, corrupted)
	if !corrupted {
		e.scheduleDelivery(nil, c, m, endRx+h.cfg.PhyMac.TbDecodeLatency)
	}
}

// decodeTb is what both directions' receptions share
// (MmWaveSpectrumPhy::EndRxData): the error model on the block's SINR with
// the HARQ history of its process (the first transmission's effective
// SINR from the receiver's memo), the corruption draw from the receiver's
// stream, the counters and the trace.
func (e *Enb) decodeTb(d DCI, sinr []float64, memo *effMemo, hist *harqHistory, rng *rand.Rand, slot int64, endRx sim.Time) (txRecord, bool) {
	h := e.h
	memo.update(sinr)
	first := math.NaN()
	if len(hist.recs) == 0 {
		first = memo.eff(h.amc.em, d.Mcs, sinr)
	}
	rec := h.amc.em.decode(sinr, d.TbSize, d.Mcs, hist, first)
	corrupted := rng.Float64() <= rec.tbler
	st := &h.stats
	tbs, retx, bad, bytes := &st.DlTBs, &st.DlRetx, &st.DlCorrupted, &st.DlBytes
	if d.Dir == Uplink {
		tbs, retx, bad, bytes = &st.UlTBs, &st.UlRetx, &st.UlCorrupted, &st.UlBytes
	}
	*tbs++
	if d.Rv > 0 {
		*retx++
	}
	if corrupted {
		*bad++
	} else {
		*bytes += uint64(d.TbSize)
	}
	e.trace(d, slot, sinr, rec.tbler, corrupted, endRx)
	return rec, corrupted
}

// settleHarq ends a process's history when its block was decoded or had
// its last redundancy version, and otherwise keeps the block for combining.
func (e *Enb) settleHarq(hist *harqHistory, rec txRecord, sinr []float64, d DCI, corrupted bool) {
	if !corrupted || d.Rv == 3 {
		hist.reset()
	} else {
		hist.add(rec, sinr, !e.h.amc.em.ir)
	}
}

// trace reports a received TB to OnTB.
func (e *Enb) trace(d DCI, slot int64, sinr []float64, tbler float64, corrupted bool, at sim.Time) {
	if e.h.OnTB == nil {
		return
	}
	sum := 0.0
	for _, x := range sinr {
		sum += x
	}
	e.h.OnTB(TBTrace{Time: at, CellID: e.cellID, RNTI: d.RNTI, Dir: d.Dir, Slot: slot, SymStart: d.SymStart,
		NumSym: d.NumSym, TbSize: d.TbSize, Mcs: d.Mcs, Rv: d.Rv, SinrAvgDb: 10 * math.Log10(sum/float64(len(sinr))),
		Tbler: tbler, Corrupted: corrupted})
}

// delivery is a received transport block on its way to a MAC.
type delivery struct {
	ue  *Ue    // DL: the receiving UE
	ctx *ueCtx // UL: the sending UE's context at the eNB
	pdu macPDU
}

func (e *Enb) scheduleDelivery(u *Ue, c *ueCtx, m *macPDU, at sim.Time) {
	dv := e.h.deliveries.Get()
	dv.ue, dv.ctx = u, c
	dv.pdu.copyFrom(&e.h.pool, m)
	e.h.s.ScheduleWith(at-e.h.s.Now(), e.deliverFn, dv)
}

// onDeliver hands a decoded TB to the receiving MAC, which gives each RLC
// PDU to its logical channel (DoReceivePhyPdu).
func (e *Enb) onDeliver(arg any) {
	dv := arg.(*delivery)
	pp := &e.h.pool
	if dv.ue != nil {
		dv.ue.receiveDl(&dv.pdu)
	} else if c := e.context(dv.ctx.rnti); c == dv.ctx {
		for _, p := range dv.pdu.pdus {
			if d := c.drbByLcid(p.lcid); d != nil {
				d.rlc.receivePdu(p)
			}
		}
	}
	dv.pdu.clear(pp)
	dv.ue, dv.ctx = nil, nil
	e.h.deliveries.Put(dv)
}

// onUlCtrl is the UL control symbol: every UE sends what its control
// queue holds (BSR, DL CQI, DL HARQ feedback, RACH preamble), which the
// eNB MAC takes at its next slot start, then runs its SlotIndication.
func (e *Enb) onUlCtrl() {
	now := e.h.s.Now()
	for _, u := range e.attached {
		u.flushCtrl(now, e)
	}
	for _, u := range e.attached {
		u.slotIndication(now)
	}
}

// receiveCtrl is the eNB's handling of one UL control message
// (MmWaveEnbPhy::PhyCtrlMessagesReceived and MmWaveEnbMac::
// DoReceiveControlMessage).
func (e *Enb) receiveCtrl(u *Ue, m *ctrlMsg) {
	switch m.kind {
	case ctrlRach:
		e.preambles = append(e.preambles, u)
	case ctrlDlCqi:
		e.sched.DlCqi(u.rnti, m.cqi)
	case ctrlBsr:
		var bytes uint32
		for _, id := range m.bsr {
			bytes += bsrLevels[id]
		}
		e.sched.Bsr(u.rnti, bytes)
	case ctrlDlHarq:
		c := e.context(m.harq.rnti)
		if c == nil {
			return
		}
		if m.harq.ok && m.harq.proc < len(c.dlHarq) {
			c.dlHarq[m.harq.proc].clear(&e.h.pool)
		}
		e.sched.dlHarqFeedback(m.harq)
	}
}

// admit is the MAC's handling of a RACH preamble at the slot start: a new
// RNTI (LteEnbRrc::AddUe, with the scheduler's HARQ tables) and a RAR in
// the control pipeline.
func (e *Enb) admit(u *Ue) {
	rnti := e.nextRnti
	e.nextRnti++
	c := &ueCtx{ue: u, rnti: rnti}
	n := e.h.cfg.PhyMac.NumHarqProcesses
	c.dlHarq = make([]macPDU, n)
	c.ulHist = make([]harqHistory, n)
	for int(rnti) >= len(e.ctx) {
		e.ctx = append(e.ctx, nil)
	}
	e.ctx[rnti] = c
	e.sched.AddUE(rnti)
	u.pendingRnti = rnti
	e.ctrlQ[ctrlPipeline-1] = append(e.ctrlQ[ctrlPipeline-1], u)
}

// SetupBearer implements epc.RAN: the eNB's side of the data radio bearer
// (PDCP and RLC, UM LowLat or AM) with the next LCID (3, 4, ...); the UE's
// side follows with the RRC connection reconfiguration.
func (e *Enb) SetupBearer(rnti uint16, erab epc.ERAB) {
	c := e.context(rnti)
	if c == nil {
		return
	}
	if old := c.drbByBearer(erab.BearerID); old != nil {
		return
	}
	lcid := uint8(3)
	for _, d := range c.drbs {
		lcid = max(lcid, d.lcid+1)
	}
	d := &drb{bearerID: erab.BearerID, lcid: lcid, lcg: e.lcgOf(erab)}
	d.rlc = e.h.newRlc(rlcHooks{
		lcid: lcid,
		report: func(st bufferStatus) {
			e.sched.DlRlcBufferReq(rlcBufferReq{rnti: rnti, lcid: lcid, txQueue: st.txQueue, retxQueue: st.retxQueue,
				statusPdu: st.statusPdu, txQueueHolDelayMicros: st.txHolDelayMicros})
		},
		deliver: func(s *sdu) { e.uplink(c, d, s) },
	}, false)
	c.drbs = append(c.drbs, d)
	c.ue.pendingDrbs = append(c.ue.pendingDrbs, drbSpec{bearerID: erab.BearerID, lcid: lcid, lcg: d.lcg})
}

// lcgOf is the logical channel group LteEnbRrc gives a bearer
// (GetLogicalChannelGroup: 1 for GBR bearers, 2 otherwise). The BSR
// reports one level per group, so the group decides which buffers share a
// quantisation step.
func (e *Enb) lcgOf(erab epc.ERAB) uint8 {
	if erab.Bearer.QCI.IsGBR(e.h.core.Config().Release) {
		return 1
	}
	return 2
}

// uplink is the eNB's PDCP receiving an UL SDU: the IPv4 packet goes to
// the core's S1-U tunnel of its bearer.
func (e *Enb) uplink(c *ueCtx, d *drb, s *sdu) {
	p := s.take()
	if p == nil {
		return
	}
	if err := e.ran.SendUplink(p, c.rnti, d.bearerID); err != nil {
		p.Release()
	}
}

// InitialContextSetup implements epc.RAN: the RRC connection
// reconfiguration that sets up the UE's side of the bearers goes out.
func (e *Enb) InitialContextSetup(rnti uint16) {
	if c := e.context(rnti); c != nil {
		c.ue.reconfigure()
	}
}

// ReleaseBearer implements epc.RAN: the bearer's radio bearer is released
// at both ends.
func (e *Enb) ReleaseBearer(rnti uint16, bearerID uint8) {
	c := e.context(rnti)
	if c == nil {
		return
	}
	for i, d := range c.drbs {
		if d.bearerID == bearerID {
			d.rlc.close()
			c.drbs = append(c.drbs[:i], c.drbs[i+1:]...)
			break
		}
	}
	c.ue.releaseDrb(bearerID)
}

// DeliverDownlink implements epc.RAN: the eNB's PDCP of the bearer takes
// the packet (2 bytes of PDCP header) and hands it to the RLC.
func (e *Enb) DeliverDownlink(p *packet.Packet, rnti uint16, bearerID uint8) {
	c := e.context(rnti)
	var d *drb
	if c != nil {
		d = c.drbByBearer(bearerID)
	}
	if d == nil {
		p.Release()
		return
	}
	pp := &e.h.pool
	d.rlc.transmitSdu(pp.newSdu(p, p.Size()+pdcpHeaderSize, e.h.s.Now()))
}

var _ epc.RAN = (*Enb)(nil)
