package nr5g

import (
	"fmt"
	"math/rand/v2"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// allocRing is how many slots ahead allocations are kept (K2 +
// L1L2CtrlLatency is at most 4 + 16 slots with the accepted delays).
const allocRing = 64

// maxLcid bounds the logical channel ids a UE uses (bearer ids 1..11 give
// LCIDs 3..13).
const maxLcid = 16

// TbTrace describes one received transport block (5G-LENA's
// RxPacketTraceUe/Gnb): direction, slot, allocation, SINR, error-model
// output and the decision.
type TbTrace struct {
	Time      sim.Time  // end of the reception
	Dir       Direction // downlink or uplink
	CellID    uint16    // the gNB's cell
	RNTI      uint16    // the UE
	Slot      uint64    // absolute slot number of the transmission
	SymStart  uint8     // first symbol
	NumSym    uint8     // number of symbols
	MCS       uint8     // MCS index
	TBS       uint32    // transport block size in bytes
	RV        uint8     // redundancy version (retransmission count)
	HarqID    uint8     // HARQ process
	SinrDb    float64   // mean SINR over the used RBs
	TBLER     float64   // block error rate the error model gave
	Corrupted bool      // the draw against TBLER lost the block
}

// GnbStats counts a gNB's activity.
type GnbStats struct {
	Slots              uint64 // slot indications processed
	DlTbs, DlTbsFailed uint64 // DL transport blocks sent, and lost (corrupted)
	UlTbs, UlTbsFailed uint64 // UL transport blocks received, and lost (corrupted)
	DlBytes, UlBytes   uint64 // bytes of the TBs received correctly
	SRs, BSRs          uint64 // scheduling requests and buffer status reports received
	DlHarqRetx         uint64 // DL HARQ retransmissions scheduled
	UlHarqRetx         uint64 // UL HARQ retransmissions scheduled
	UplinkRefused      uint64 // uplink packets the core refused
	DownlinkNoBearer   uint64 // downlink packets for a bearer without DRB
	PreambleCollisions uint64 // random access preambles lost to a collision
	RrcTimeouts        uint64 // UE contexts removed by an RRC timer
	Connected          uint64 // RRC connections completed (Setup Complete)
}

// macInputs is what the gNB MAC collects between slot indications
// (m_ulCqiReceived, m_srRntiList, m_dlCqiReceived, HARQ feedback lists,
// received RACH preambles).
type macInputs struct {
	ulFb, dlFb []HarqFeedback
	srs        []uint16
	dlCqi      []rntiCqi
	ulCqi      []ulCqiIn
	rach       []raPreamble
}

type rntiCqi struct {
	rnti uint16
	cqi  int
}

type ulCqiIn struct {
	slot     uint64
	symStart uint8
	sinr     []float64
}

type rntiBsr struct {
	rnti   uint16
	levels [NumLcgs]uint8
}

// absorb moves everything in from into in (keeping both storages).
func (in *macInputs) absorb(from *macInputs) {
	in.ulFb = append(in.ulFb, from.ulFb...)
	in.dlFb = append(in.dlFb, from.dlFb...)
	in.srs = append(in.srs, from.srs...)
	in.dlCqi = append(in.dlCqi, from.dlCqi...)
	for i := range from.ulCqi {
		n := len(in.ulCqi)
		if n < cap(in.ulCqi) {
			in.ulCqi = in.ulCqi[:n+1]
		} else {
			in.ulCqi = append(in.ulCqi, ulCqiIn{})
		}
		d := &in.ulCqi[n]
		d.slot, d.symStart = from.ulCqi[i].slot, from.ulCqi[i].symStart
		d.sinr = append(d.sinr[:0], from.ulCqi[i].sinr...)
	}
	in.rach = append(in.rach, from.rach...)
	from.ulFb, from.dlFb, from.srs, from.dlCqi = from.ulFb[:0], from.dlFb[:0], from.srs[:0], from.dlCqi[:0]
	from.ulCqi = from.ulCqi[:0]
	clear(from.rach)
	from.rach = from.rach[:0]
}

// drb is a radio bearer at one end: logical channel, group, RLC and PDCP.
type drb struct {
	lcid, bid, lcg uint8
	mode           RlcMode
	rlc            rlcEntity
	pdcp           pdcp
}

// gnbUE is the gNB's context of a UE (5G-LENA's UeManager plus the MAC's
// per-UE buffers and the PHY's UL HARQ history).
type gnbUE struct {
	g    *Gnb
	dev  *UeDevice
	rnti uint16
	imsi uint64
	// RRC: the Setup Complete arrived; the timer waiting for the next
	// message (ConnectionRequestTimeout, then ConnectionSetupTimeout).
	connected bool
	rrcTimer  sim.EventID
	drbs      [maxLcid]*drb
	dlHarq    [NumHarqProcesses]*macTb
	ulHist    [NumHarqProcesses]HarqHistory
}

var _ rlcUser = (*gnbUE)(nil)

// rlcBufferStatus is NrGnbMac::DoTransmitBufferStatusReport.
func (u *gnbUE) rlcBufferStatus(lcid uint8, st BufferStatus) {
	u.g.sched.DlBuffer(u.rnti, lcid, st)
}

// rlcEvent reports an RLC event of the gNB's entity.
func (u *gnbUE) rlcEvent(lcid uint8, mode RlcMode, ev RlcEvent, pdu *rlcPdu, bytes int) {
	u.g.net.rlcTrace(true, u.g.cellID, u.rnti, lcid, mode, ev, pdu, bytes)
}

// rlcDeliver hands an uplink PDCP PDU through PDCP to the core.
func (u *gnbUE) rlcDeliver(lcid uint8, p *packet.Packet) {
	d := u.drbs[lcid]
	if d == nil {
		p.Release()
		return
	}
	size := p.Size()
	sn, ok := d.pdcp.pop(p)
	if !ok {
		p.Release()
		return
	}
	u.g.net.pdcpTrace(true, true, u.g.cellID, u.rnti, lcid, sn, size)
	if err := u.g.ran.SendUplink(p, u.rnti, d.bid); err != nil {
		u.g.st.UplinkRefused++
		p.Release()
	}
}

// ulTx is a UE's PUSCH transmission of one slot, built when its UL DCI
// arrived (NrUeMac::ProcessUlDci): the HARQ process's data and the BSR
// sent beside it.
type ulTx struct {
	slot   uint64
	valid  bool
	dci    DCI
	tb     *macTb // data subPDUs (a reference), or nil
	hasBsr bool
	bsr    [NumLcgs]uint8
}

// rxJob is a transport block received without error, waiting for the
// PHY's decode latency before the MAC gets it.
type rxJob struct {
	g      *Gnb
	gu     *gnbUE
	ue     *UeDevice
	tb     *macTb
	hasBsr bool
	bsr    [NumLcgs]uint8
}

// Gnb is a gNB: its PHY's slot loop, the MAC with its scheduler and HARQ
// buffers, the RRC (ideal), and the RAN side of the EPC (epc.RAN). Make
// one with Network.AddGnb.
type Gnb struct {
	// OnTb, when set, is called for every transport block the gNB receives
	// (UL) or its UEs receive (DL), before the network's Tb trace.
	OnTb func(TbTrace)

	net     *Network
	sim     *sim.Simulator
	cfg     GnbConfig
	cellID  uint16
	node    *inet.Node
	mob     mobility.Model
	radio   int
	ran     *epc.RANNode
	sched   Scheduler
	em      ErrorModel
	amc     *Amc
	timings TddTimings
	slotDur sim.Time
	symDur  sim.Time
	numRbs  int
	numRbg  int
	allRbg  RbgMask
	allRbs  RbgMask
	rng     *rand.Rand

	slot     uint64 // the slot whose tick runs next (or runs now)
	ticked   bool   // the tick of slot has run
	started  bool   // the first tick has run
	drawn    int    // the network's UEs (in creation order) drawPairs has drawn
	ues      []*gnbUE
	devs     []*UeDevice // UEs attached to the cell (camping or connected)
	nextRnti uint16

	ulAlloc [allocRing]SlotAlloc
	dlAlloc [allocRing]SlotAlloc
	rar     [allocRing]rarList

	in, arriving macInputs
	bsrs         []rntiBsr

	tickFn, dciFn, sibFn, jobFn func(any)
	rrcTimeoutFn                func(any)
	raPending                   []raContext
	sinr                        []float64
	rbList                      []int
	rbMask                      RbgMask
	ulCqiSum                    []float64
	ulTbler                     tblerCache
	st                          GnbStats
}

type rarList struct {
	slot uint64
	devs []*UeDevice
}

var _ epc.RAN = (*Gnb)(nil)

// CellID returns the cell id.
func (g *Gnb) CellID() uint16 { return g.cellID }

// Node returns the gNB's node.
func (g *Gnb) Node() *inet.Node { return g.node }

// RANNode returns the core's application on the gNB.
func (g *Gnb) RANNode() *epc.RANNode { return g.ran }

// Config returns the gNB's configuration.
func (g *Gnb) Config() GnbConfig { return g.cfg }

// Scheduler returns the gNB's MAC scheduler.
func (g *Gnb) Scheduler() Scheduler { return g.sched }

// Stats returns the gNB's counters.
func (g *Gnb) Stats() GnbStats { return g.st }

// Radio returns the gNB's radio id in the channel.
func (g *Gnb) Radio() int { return g.radio }

// SlotDuration returns the slot period.
func (g *Gnb) SlotDuration() sim.Time { return g.slotDur }

func (g *Gnb) slotType(n uint64) SlotType {
	p := g.cfg.Phy.Pattern
	return p[n%uint64(len(p))]
}

func (g *Gnb) ue(rnti uint16) *gnbUE {
	for _, u := range g.ues {
		if u.rnti == rnti {
			return u
		}
	}
	return nil
}

// start begins the slot loop at time 0 (NrGnbPhy::StartEventLoop) and
// the RRC's system information.
func (g *Gnb) start() {
	now := g.sim.Now()
	g.slot = uint64((now + g.slotDur - 1) / g.slotDur)
	g.sim.ScheduleWith(sim.Time(g.slot)*g.slotDur-now, g.tickFn, nil)
	g.sim.ScheduleWith(g.cfg.Rrc.FirstSystemInformation, g.sibFn, nil)
}

// tick runs slot g.slot at its start: the arrivals of the previous slot
// become visible to the MAC; the UEs start the slot (scheduling requests,
// UL control); the PUSCH transmissions of the slot are received; the MAC
// schedules the UL and DL slots ahead (NrGnbPhy::StartSlot and
// CallMacForSlotIndication); the DL control of the slot is prepared.
func (g *Gnb) tick(any) {
	n := g.slot
	g.ticked = true
	g.st.Slots++
	g.in.absorb(&g.arriving)
	st := g.slotType(n)
	if !g.started || n%uint64(g.cfg.Phy.Numerology.SlotsPerFrame()) == 0 {
		g.started = true
		g.drawPairs()
	}
	for _, d := range g.devs {
		d.slotStart(n, st)
	}
	if st.HasUl() {
		g.receiveUl(n)
	}
	idx := n % uint64(len(g.cfg.Phy.Pattern))
	for _, k := range g.timings.GenerateUl[idx] {
		g.slotUlIndication(n + uint64(k))
	}
	for _, k := range g.timings.GenerateDl[idx] {
		g.slotDlIndication(n + uint64(k))
	}
	if st.HasDl() && g.needsDlCtrl(n) {
		g.sim.ScheduleWith(sim.Time(g.cfg.Phy.DlCtrlSymbols)*g.symDur-1, g.dciFn, nil)
	}
	g.slot = n + 1
	g.ticked = false
	g.sim.ScheduleWith(g.slotDur, g.tickFn, nil)
}

// drawPairs draws the channel of every UE of the network not drawn yet
// from this gNB's side (gnbSideDrawer), at the gNB's first slot and at
// each frame start, before the UEs start the slot: 5G-LENA's gNB sends
// its MIB in the DL control of the first slot of every frame, from its
// first slot on (NrGnbPhy::StartSlot, QueueMib), and that signal reaches
// every UE PHY on the channel, attached to this cell or not. A UE cannot
// transmit before its cell's MIB at a frame start, when every gNB draws,
// so serving and interfering pairs alike are drawn from the gNB's side.
func (g *Gnb) drawPairs() {
	ues := g.net.ues
	if g.drawn >= len(ues) {
		return
	}
	if dr, ok := g.net.ch.(gnbSideDrawer); ok {
		for _, d := range ues[g.drawn:] {
			// Both radios belong to the channel: no error to report.
			_ = dr.DrawFromGnb(g.radio, d.radio)
		}
	}
	g.drawn = len(ues)
}

// needsDlCtrl reports whether the DL control of slot n carries anything a
// UE acts on: a DCI, a RAR or, for a UE waiting for it, the MIB.
func (g *Gnb) needsDlCtrl(n uint64) bool {
	idx := n % uint64(len(g.cfg.Phy.Pattern))
	for _, k := range g.timings.ToSendDl[idx] {
		if a := g.dlAllocOf(n + uint64(k)); a != nil {
			for i := range a.Vars {
				if a.Vars[i].Type == AllocData {
					return true
				}
			}
		}
	}
	for _, k := range g.timings.ToSendUl[idx] {
		t := n + uint64(k)
		if a := g.ulAllocOf(t); a != nil {
			for i := range a.Vars {
				if a.Vars[i].Type == AllocData {
					return true
				}
			}
		}
		if r := &g.rar[t%allocRing]; r.slot == t && len(r.devs) > 0 {
			return true
		}
	}
	if n%uint64(g.cfg.Phy.Numerology.SlotsPerFrame()) == 0 {
		for _, d := range g.devs {
			if d.rrc == rrcWaitMib {
				return true
			}
		}
	}
	return false
}

func (g *Gnb) ulAllocOf(slot uint64) *SlotAlloc {
	a := &g.ulAlloc[slot%allocRing]
	if a.Slot != slot || len(a.Vars) == 0 {
		return nil
	}
	return a
}

func (g *Gnb) dlAllocOf(slot uint64) *SlotAlloc {
	a := &g.dlAlloc[slot%allocRing]
	if a.Slot != slot || len(a.Vars) == 0 {
		return nil
	}
	return a
}

// slotUlIndication is NrGnbMac::DoSlotUlIndication for UL slot t: RACH
// preambles, UL CQI, SRs and BSRs go to the scheduler, then the UL
// trigger with the UL HARQ feedback.
func (g *Gnb) slotUlIndication(t uint64) {
	if len(g.in.rach) > 0 {
		g.processPreambles()
	}
	for i := range g.in.ulCqi {
		c := &g.in.ulCqi[i]
		g.sched.UlCqi(c.slot, c.symStart, c.sinr)
	}
	g.in.ulCqi = g.in.ulCqi[:0]
	for _, r := range g.in.srs {
		g.sched.UlSr(r)
	}
	g.in.srs = g.in.srs[:0]
	for _, b := range g.bsrs {
		g.sched.UlBsr(b.rnti, b.levels)
	}
	g.bsrs = g.bsrs[:0]
	g.updateBeams()
	out := &g.ulAlloc[t%allocRing]
	g.sched.ScheduleUl(t, g.slotType(t), g.in.ulFb, out)
	g.in.ulFb = g.in.ulFb[:0]
	if len(g.raPending) > 0 {
		g.buildRars(out)
	}
	g.traceSched(out)
	for i := range out.Vars {
		if v := &out.Vars[i]; v.Type == AllocData && !v.NDI {
			g.st.UlHarqRetx++
		}
	}
}

// updateBeams tells the scheduler each UE's beam (5G-LENA's gNB MAC
// passes the BeamId of the PHY's beam manager with the UE's
// configuration): with direct-path beams every UE has the same one.
func (g *Gnb) updateBeams() {
	bc := g.net.beams
	if bc == nil {
		return
	}
	for _, u := range g.ues {
		if u.dev != nil {
			g.sched.SetBeam(u.rnti, bc.BeamKey(g.radio, u.dev.radio))
		}
	}
}

// slotDlIndication is NrGnbMac::DoSlotDlIndication for DL slot t: DL CQI
// to the scheduler, the DL trigger with the DL HARQ feedback, then
// DoSchedConfigIndication: the RLC entities fill the new transport blocks.
func (g *Gnb) slotDlIndication(t uint64) {
	for _, c := range g.in.dlCqi {
		g.sched.DlCqi(c.rnti, c.cqi)
	}
	g.in.dlCqi = g.in.dlCqi[:0]
	g.updateBeams()
	out := &g.dlAlloc[t%allocRing]
	g.sched.ScheduleDl(t, g.slotType(t), g.in.dlFb, out)
	g.in.dlFb = g.in.dlFb[:0]
	g.traceSched(out)
	for i := range out.Vars {
		v := &out.Vars[i]
		if v.Dir != Downlink || v.Type != AllocData {
			continue
		}
		u := g.ue(v.RNTI)
		if u == nil {
			continue
		}
		if !v.NDI {
			g.st.DlHarqRetx++
			continue
		}
		pools := &g.net.pools
		tb := pools.tbs.get()
		for _, lb := range v.Rlc {
			d := u.drbs[lb.Lcid%maxLcid]
			if d == nil || d.lcid != lb.Lcid {
				continue
			}
			pdu := d.rlc.txOpportunity(int(lb.Bytes))
			if pdu == nil {
				continue
			}
			sz := pdu.size + MacSubheaderSize(pdu.size)
			tb.subs = append(tb.subs, macSub{lcid: lb.Lcid, size: sz, rlc: pdu})
			tb.used += sz
		}
		pools.tbs.release(u.dlHarq[v.HarqID])
		u.dlHarq[v.HarqID] = tb
	}
}

// dci runs at the end of the DL control symbols of the current slot: the
// UEs receive the MIB, RARs, and the DL and UL DCIs (NrUePhy::
// PhyCtrlMessagesReceived); DL data of the slot is received right away
// (its outcome does not depend on anything later in the slot) and
// delivered after the decode latency.
func (g *Gnb) dci(any) {
	n := g.slot - 1 // the tick of slot n has advanced g.slot
	idx := n % uint64(len(g.cfg.Phy.Pattern))
	if n%uint64(g.cfg.Phy.Numerology.SlotsPerFrame()) == 0 {
		for _, d := range g.devs {
			if d.rrc == rrcWaitMib {
				d.recvMib()
			}
		}
	}
	k1 := g.timings.K1[idx]
	for _, k0 := range g.timings.ToSendDl[idx] {
		a := g.dlAllocOf(n + uint64(k0))
		if a == nil || k0 != 0 {
			continue
		}
		for i := 0; i < len(a.Vars); {
			j := i + 1
			for j < len(a.Vars) && a.Vars[j].SymStart == a.Vars[i].SymStart {
				j++
			}
			g.receiveDlGroup(a.Vars[i:j], n, k1)
			i = j
		}
	}
	for _, k2 := range g.timings.ToSendUl[idx] {
		t := n + uint64(k2)
		if r := &g.rar[t%allocRing]; r.slot == t && len(r.devs) > 0 {
			for _, d := range r.devs {
				d.recvRar()
			}
			clear(r.devs)
			r.devs = r.devs[:0]
		}
		a := g.ulAllocOf(t)
		if a == nil {
			continue
		}
		for i := range a.Vars {
			v := &a.Vars[i]
			if v.Type != AllocData || v.Dir != Uplink {
				continue
			}
			if u := g.ue(v.RNTI); u != nil && u.dev != nil {
				u.dev.processUlDci(&v.DCI, n, t)
			}
		}
	}
}

// emitTb hands a transport block record to OnTb and the Tb trace.
func (g *Gnb) emitTb(tr TbTrace) {
	if g.OnTb != nil {
		g.OnTb(tr)
	}
	if g.net.traces.Tb != nil {
		g.net.traces.Tb(tr)
	}
}

// traceSched reports a scheduled slot's allocations to the Sched trace.
func (g *Gnb) traceSched(out *SlotAlloc) {
	if g.net.traces.Sched == nil {
		return
	}
	now := g.sim.Now()
	for i := range out.Vars {
		v := &out.Vars[i]
		if v.Type == AllocCtrl {
			continue
		}
		g.net.traces.Sched(SchedTrace{Time: now, CellID: g.cellID, Slot: out.Slot, Dir: v.Dir, Type: v.Type, RNTI: v.RNTI,
			SymStart: v.SymStart, NumSym: v.NumSym, Rbgs: v.Mask.Count(), MCS: v.MCS, TBS: v.TBS, NDI: v.NDI, RV: v.RV,
			HarqID: v.HarqID})
	}
}

func (g *Gnb) trace(dir Direction, d *DCI, n uint64, sinr []float64, rbs []int, tbler float64, corrupted bool) TbTrace {
	sum, cnt := 0.0, 0
	if rbs == nil {
		for _, v := range sinr {
			sum += v
			cnt++
		}
	} else {
		for _, rb := range rbs {
			sum += sinr[rb]
			cnt++
		}
	}
	mean := 0.0
	if cnt > 0 {
		mean = 10 * log10(sum/float64(cnt))
	}
	return TbTrace{Time: g.sim.Now(), Dir: dir, CellID: g.cellID, RNTI: d.RNTI, Slot: n, SymStart: d.SymStart,
		NumSym: d.NumSym, MCS: d.MCS, TBS: d.TBS, RV: d.RV, HarqID: d.HarqID, SinrDb: mean, TBLER: tbler, Corrupted: corrupted}
}

// job delivers a decoded transport block to its MAC: the gNB's
// (NrGnbMac::DoReceivePhyPdu: data to the RLC entities, the BSR to the
// scheduler at the next slot) or the UE's (NrUeMac::DoReceivePhyPdu).
func (g *Gnb) job(arg any) {
	j := arg.(*rxJob)
	tb := j.tb
	if j.gu != nil {
		u := j.gu
		if tb != nil {
			for i := range tb.subs {
				s := &tb.subs[i]
				if s.rlc == nil {
					continue
				}
				if d := u.drbs[s.lcid%maxLcid]; d != nil && d.lcid == s.lcid {
					pdu := s.rlc
					s.rlc = nil
					d.rlc.receivePdu(pdu)
				}
			}
		}
		if j.hasBsr {
			g.bsrs = append(g.bsrs, rntiBsr{rnti: u.rnti, levels: j.bsr})
			g.st.BSRs++
		}
	} else if j.ue != nil && tb != nil {
		j.ue.receiveDlPdu(tb)
	}
	g.net.pools.tbs.release(tb)
	*j = rxJob{}
	g.net.pools.jobs.Put(j)
}

// sib is NrGnbRrc::SendSystemInformation: SIB2 to every UE of the cell
// every SystemInformationPeriodicity, ideal (no radio): as 5G-LENA's ideal
// protocol, each UE gets it in an event scheduled now, after the events
// already due at this time (the slot starts among them).
func (g *Gnb) sib(any) {
	for _, d := range g.devs {
		g.sim.ScheduleWith(0, d.sib2Fn, nil)
	}
	g.sim.ScheduleWith(g.cfg.Rrc.SystemInformationPeriodicity, g.sibFn, nil)
}

// ctrlSendSlot returns the slot whose UL control carries a message a UE
// PHY queues now with EnqueueCtrlMsgNow (the next slot whose tick has not
// run).
func (g *Gnb) nowSendSlot() uint64 {
	if g.ticked {
		return g.slot + 1
	}
	return g.slot
}

// SetupBearer is epc.RAN: the data radio bearer of EPS bearer
// erab.BearerID (LCID = bearer id + 2, group 1 for GBR, 2 otherwise, the
// RLC mode of RlcConfig, PDCP) at the gNB; the UE gets its side with the
// RRC Connection Reconfiguration (at once with the ideal RRC).
func (g *Gnb) SetupBearer(rnti uint16, erab epc.ERAB) {
	u := g.ue(rnti)
	if u == nil || erab.BearerID < 1 || int(erab.BearerID)+2 >= maxLcid {
		return
	}
	lcid := erab.BearerID + 2
	lcg := uint8(2)
	if erab.Bearer.QCI.IsGBR(g.net.epc.Config().Release) {
		lcg = 1
	}
	if u.drbs[lcid] != nil {
		return
	}
	rel := g.net.epc.Config().Release
	mode := g.cfg.Rlc.modeFor(erab.Bearer, rel)
	var pdb sim.Time
	if q, err := erab.Bearer.QoS(rel); err == nil {
		pdb = q.PacketDelayBudget
	}
	d := &drb{lcid: lcid, bid: erab.BearerID, lcg: lcg, mode: mode}
	d.rlc = newRlc(g.sim, mode, g.cfg.Rlc, lcid, pdb, u, &g.net.pools.pdus)
	u.drbs[lcid] = d
	_ = g.sched.ConfigureLC(rnti, LcConfig{Lcid: lcid, Lcg: lcg, QCI: uint8(erab.Bearer.QCI)})
	if dev := u.dev; dev != nil {
		g.toUe(func() { dev.recvReconfiguration(lcid, erab.BearerID, lcg, mode) })
	}
}

// InitialContextSetup is epc.RAN: the bearers of the attach are set up.
func (g *Gnb) InitialContextSetup(rnti uint16) {
	if u := g.ue(rnti); u != nil && u.dev != nil {
		u.dev.contextSetUp()
	}
}

// ReleaseBearer is epc.RAN: the bearer's DRB goes at both ends and the
// RAN node reports the release.
func (g *Gnb) ReleaseBearer(rnti uint16, bearerID uint8) {
	u := g.ue(rnti)
	if u == nil || bearerID < 1 || int(bearerID)+2 >= maxLcid {
		return
	}
	lcid := bearerID + 2
	if d := u.drbs[lcid]; d != nil {
		d.rlc.release()
		u.drbs[lcid] = nil
		g.sched.ReleaseLC(rnti, lcid)
	}
	if u.dev != nil {
		u.dev.releaseDrb(lcid)
	}
	_ = g.ran.ReleaseIndication(u.imsi, rnti, bearerID)
}

// DeliverDownlink is epc.RAN: a downlink packet of UE rnti on EPS bearer
// bearerID goes through the DRB's PDCP into its RLC.
func (g *Gnb) DeliverDownlink(p *packet.Packet, rnti uint16, bearerID uint8) {
	u := g.ue(rnti)
	if u == nil || int(bearerID)+2 >= maxLcid || u.drbs[bearerID+2] == nil {
		g.st.DownlinkNoBearer++
		p.Release()
		return
	}
	d := u.drbs[bearerID+2]
	sn := d.pdcp.push(p)
	g.net.pdcpTrace(false, true, g.cellID, rnti, d.lcid, sn, p.Size())
	d.rlc.transmitSdu(p)
}

// String names the gNB.
func (g *Gnb) String() string { return fmt.Sprintf("gNB cell %d", g.cellID) }

// BearerStats returns the counters of the gNB's side of EPS bearer bid's
// radio bearer of UE rnti, and whether it exists.
func (g *Gnb) BearerStats(rnti uint16, bid uint8) (RlcStats, PdcpStats, bool) {
	u := g.ue(rnti)
	if u == nil || int(bid)+2 >= maxLcid || u.drbs[bid+2] == nil {
		return RlcStats{}, PdcpStats{}, false
	}
	b := u.drbs[bid+2]
	return b.rlc.stats(), b.pdcp.st, true
}
