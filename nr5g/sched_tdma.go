package nr5g

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netgym/netgym/sim"
)

// HARQ process states of the scheduler (5G-LENA's HarqProcess::Status).
const (
	harqInactive uint8 = iota
	harqWaitingFeedback
	harqReceivedFeedback
)

// schedHarq is one HARQ process as the scheduler keeps it (HarqProcess).
type schedHarq struct {
	active bool
	status uint8
	timer  uint8
	dci    DCI
	rlc    []LcBytes
}

func (h *schedHarq) erase() {
	h.active, h.status, h.timer = false, harqInactive, 0
	h.rlc = h.rlc[:0]
}

// harqVector is NrMacHarqVector: the processes of one UE and direction.
type harqVector struct {
	procs []schedHarq
	used  int
}

func (v *harqVector) init(n int) { v.procs = make([]schedHarq, n) }

func (v *harqVector) canInsert() bool { return v.used < len(v.procs) }

// insert activates the first free process (5G-LENA takes the first free
// entry of an unordered_map; netgym the lowest id).
func (v *harqVector) insert(d *DCI) (uint8, bool) {
	for i := range v.procs {
		p := &v.procs[i]
		if !p.active {
			p.active, p.status, p.timer = true, harqWaitingFeedback, 0
			p.dci.copyFrom(d)
			p.dci.HarqID = uint8(i)
			p.rlc = p.rlc[:0]
			v.used++
			return uint8(i), true
		}
	}
	return 0, false
}

func (v *harqVector) erase(id uint8) {
	if int(id) < len(v.procs) && v.procs[id].active {
		v.procs[id].erase()
		v.used--
	}
}

// schedLC is NrMacSchedulerLC: a logical channel's queues as the
// scheduler knows them.
type schedLC struct {
	lcid      uint8
	qci       uint8
	txQueue   uint32
	retxQueue uint32
	statusPdu uint32
}

func (lc *schedLC) total() uint32 { return lc.txQueue + lc.retxQueue + lc.statusPdu }

// schedLCG is NrMacSchedulerLCG.
type schedLCG struct {
	id  uint8
	lcs []schedLC
}

func (g *schedLCG) total() uint32 {
	var t uint32
	for i := range g.lcs {
		t += g.lcs[i].total()
	}
	return t
}

func (g *schedLCG) lc(lcid uint8) *schedLC {
	for i := range g.lcs {
		if g.lcs[i].lcid == lcid {
			return &g.lcs[i]
		}
	}
	return nil
}

// assigned is NrMacSchedulerLCG::AssignedData: the queues shrink by what
// a grant of size bytes carries (status PDU, then retransmissions, then
// new data less 2 bytes of RLC header; 4 for SRB1 in DL), and a small
// remainder is rounded up to 12 bytes (UL) or 10 (DL) so that the next
// grant is usable.
func (g *schedLCG) assigned(lcid uint8, size uint32, dl bool) {
	lc := g.lc(lcid)
	if lc == nil {
		return
	}
	switch {
	case lc.statusPdu > 0 && size >= lc.statusPdu:
		lc.statusPdu = 0
	case lc.retxQueue > 0 && size >= lc.retxQueue:
		lc.retxQueue = 0
	case lc.txQueue > 0:
		oh := uint32(2)
		if lcid == 1 && dl {
			oh = 4
		}
		// 5G-LENA's unsigned arithmetic: size - oh wraps for size < oh.
		if size-oh >= lc.txQueue {
			lc.txQueue = 0
		} else {
			lc.txQueue -= size - oh
		}
		if !dl && lc.txQueue > 0 && lc.txQueue < 12 {
			lc.txQueue = 12
		}
		if dl && lc.txQueue > 0 && lc.txQueue < 10 {
			lc.txQueue = 10
		}
	}
}

// schedUE is NrMacSchedulerUeInfo (with NrMacSchedulerUeInfoRR's
// comparisons).
type schedUE struct {
	rnti         uint16
	dlMcs, ulMcs uint8
	dlCqi, ulCqi int
	dlCqiTimer   uint32
	ulCqiTimer   uint32
	srsOffset    uint32
	srsPeriod    uint32
	dlLCG, ulLCG []schedLCG
	dlHarq       harqVector
	ulHarq       harqVector
	// Per-slot scheduling state: RBGs assigned (numRbg per symbol in
	// TDMA) and the resulting TBS.
	dlRBG, ulRBG int
	dlTbs, ulTbs uint32
	// The last PUSCH CQI report.
	ulSinrDb     float64
	ulCqiReports uint64
	buf          uint32 // scratch: buffer total for this slot
}

func lcgOf(gs []schedLCG, id uint8) *schedLCG {
	for i := range gs {
		if gs[i].id == id {
			return &gs[i]
		}
	}
	return nil
}

func addLCG(gs []schedLCG, id uint8) ([]schedLCG, *schedLCG) {
	if g := lcgOf(gs, id); g != nil {
		return gs, g
	}
	gs = append(gs, schedLCG{id: id})
	return gs, &gs[len(gs)-1]
}

func totalOf(gs []schedLCG) uint32 {
	var t uint32
	for i := range gs {
		t += gs[i].total()
	}
	return t
}

// ulAllocElem is 5G-LENA's AllocElem: a UL data allocation remembered for
// its CQI.
type ulAllocElem struct {
	rnti     uint16
	tbs      uint32
	symStart uint8
	numSym   uint8
	mcs      uint8
	mask     RbgMask
}

// ulSlotElem is 5G-LENA's SlotElem: the UL symbols used in a slot and its
// data allocations.
type ulSlotElem struct {
	slot     uint64
	valid    bool
	totUlSym int
	allocs   []ulAllocElem
}

// ulAllocRing is m_ulAllocationMap, keyed by slot.
const ulAllocRing = 64

// cqiCache remembers the last SINR vector and the CQI/MCS NrAmc gave for
// it: with a static channel the same SINRs come back report after report,
// and the error-model AMC tests every MCS, so this saves most of its cost.
// Results are those of computing again, bit for bit.
type cqiCache struct {
	sinr     []float64
	cqi, mcs int
	valid    bool
}

func (c *cqiCache) lookup(amc *Amc, sinr []float64) (int, int, error) {
	if c.valid && len(c.sinr) == len(sinr) {
		same := true
		for i, v := range sinr {
			if c.sinr[i] != v {
				same = false
				break
			}
		}
		if same {
			return c.cqi, c.mcs, nil
		}
	}
	cqi, mcs, err := amc.CqiFeedback(sinr)
	if err != nil {
		return 0, 0, err
	}
	c.sinr = append(c.sinr[:0], sinr...)
	c.cqi, c.mcs, c.valid = cqi, mcs, true
	return cqi, mcs, nil
}

// tdmaScheduler is NrMacSchedulerNs3 with NrMacSchedulerTdma,
// NrMacSchedulerTdmaRR, NrMacSchedulerHarqRr, NrMacSchedulerLcRR,
// NrMacSchedulerCQIManagement and NrMacSchedulerSrsDefault: the default
// scheduler of 5G-LENA nr-4.1.
type tdmaScheduler struct {
	sim         *sim.Simulator
	phy         PhyConfig
	cfg         SchedulerConfig
	dlAmc       *Amc
	ulAmc       *Amc
	numRbg      int
	rbPerRbg    int
	allMask     RbgMask
	cqiExpiry   uint32
	ues         []*schedUE // in RNTI order of registration
	srList      []uint16
	dlHarqRetx  []HarqFeedback
	ulHarqRetx  []HarqFeedback
	fbScratch   []HarqFeedback
	ulAllocs    [ulAllocRing]ulSlotElem
	srsCounter  uint32
	srsOffsets  []uint32
	srsPeriod   uint32
	rng         *rand.Rand
	dlRR        []uint16 // NrMacSchedulerTdmaRR's m_dlRrRntiDeque
	active      []*schedUE
	ulCqiCache  cqiCache
	sinrScratch []float64
	dci         DCI
}

func newTdmaScheduler(s *sim.Simulator, phy PhyConfig, cfg SchedulerConfig, stream string) (*tdmaScheduler, error) {
	dl, err := NewAmc(phy.Amc)
	if err != nil {
		return nil, err
	}
	ul, err := NewAmc(phy.Amc)
	if err != nil {
		return nil, err
	}
	nRbg, err := phy.RbgCount()
	if err != nil {
		return nil, err
	}
	t := &tdmaScheduler{sim: s, phy: phy, cfg: cfg, dlAmc: dl, ulAmc: ul, numRbg: nRbg, rbPerRbg: phy.NumRbPerRbg,
		rng: s.Stream(stream)}
	t.allMask = t.allMask.resize(nRbg)
	t.allMask.setAll(nRbg)
	t.cqiExpiry = uint32(int64(cfg.CqiTimerThreshold) / int64(phy.SlotDuration()))
	t.setSrsPeriodicity(uint32(phy.SrsPeriodicity))
	return t, nil
}

// setSrsPeriodicity is NrMacSchedulerSrsDefault::SetStartingPeriodicity:
// the offsets 0..p-1, shuffled, are handed out from the back.
func (t *tdmaScheduler) setSrsPeriodicity(p uint32) {
	t.srsPeriod = p
	t.srsOffsets = t.srsOffsets[:0]
	for i := uint32(0); i < p; i++ {
		t.srsOffsets = append(t.srsOffsets, i)
	}
	t.rng.Shuffle(len(t.srsOffsets), func(i, j int) {
		t.srsOffsets[i], t.srsOffsets[j] = t.srsOffsets[j], t.srsOffsets[i]
	})
}

func (t *tdmaScheduler) ue(rnti uint16) *schedUE {
	for _, u := range t.ues {
		if u.rnti == rnti {
			return u
		}
	}
	return nil
}

// AddUE is DoCschedUeConfigReq for a new UE.
func (t *tdmaScheduler) AddUE(rnti uint16) error {
	if rnti == 0 {
		return fmt.Errorf("nr5g: scheduler: RNTI 0")
	}
	if t.ue(rnti) != nil {
		return fmt.Errorf("nr5g: scheduler: RNTI %d already registered", rnti)
	}
	u := &schedUE{rnti: rnti, dlMcs: t.cfg.StartingMcsDl, ulMcs: t.cfg.StartingMcsUl}
	u.dlHarq.init(t.cfg.NumHarqProcesses)
	u.ulHarq.init(t.cfg.NumHarqProcesses)
	if len(t.srsOffsets) == 0 {
		// IncreasePeriodicity: the next standard periodicity, reassigned.
		next := t.srsPeriod
		for _, p := range standardSrsPeriodicity {
			if p > t.srsPeriod {
				next = p
				break
			}
		}
		if next == t.srsPeriod {
			return fmt.Errorf("nr5g: scheduler: no SRS offset left for RNTI %d", rnti)
		}
		t.setSrsPeriodicity(next)
		for _, o := range t.ues {
			o.srsOffset, o.srsPeriod = t.popSrsOffset(), next
		}
	}
	u.srsOffset, u.srsPeriod = t.popSrsOffset(), t.srsPeriod
	t.ues = append(t.ues, u)
	return nil
}

// standardSrsPeriodicity lists the SRS periodicities of TS 38.331 that
// NrMacSchedulerSrsDefault accepts.
var standardSrsPeriodicity = []uint32{2, 4, 5, 8, 10, 16, 20, 32, 40, 64, 80, 160, 320, 640, 1280, 2560}

func (t *tdmaScheduler) popSrsOffset() uint32 {
	n := len(t.srsOffsets)
	o := t.srsOffsets[n-1]
	t.srsOffsets = t.srsOffsets[:n-1]
	return o
}

// RemoveUE is DoCschedUeReleaseReq.
func (t *tdmaScheduler) RemoveUE(rnti uint16) {
	for i, u := range t.ues {
		if u.rnti == rnti {
			t.srsOffsets = append(t.srsOffsets, u.srsOffset)
			t.ues = append(t.ues[:i], t.ues[i+1:]...)
			break
		}
	}
	for i, r := range t.dlRR {
		if r == rnti {
			t.dlRR = append(t.dlRR[:i], t.dlRR[i+1:]...)
			break
		}
	}
}

// ConfigureLC is DoCschedLcConfigReq: the LC joins its group in both
// directions; in UL only the first LC of a group is represented, since a
// BSR reports groups, not channels.
func (t *tdmaScheduler) ConfigureLC(rnti uint16, lc LcConfig) error {
	u := t.ue(rnti)
	if u == nil {
		return fmt.Errorf("nr5g: scheduler: ConfigureLC for unknown RNTI %d", rnti)
	}
	if lc.Lcg >= NumLcgs {
		return fmt.Errorf("nr5g: scheduler: LCG %d out of range [0, %d]", lc.Lcg, NumLcgs-1)
	}
	var g *schedLCG
	u.dlLCG, g = addLCG(u.dlLCG, lc.Lcg)
	if g.lc(lc.Lcid) != nil {
		return fmt.Errorf("nr5g: scheduler: RNTI %d already has LCID %d", rnti, lc.Lcid)
	}
	g.lcs = append(g.lcs, schedLC{lcid: lc.Lcid, qci: lc.QCI})
	u.ulLCG, g = addLCG(u.ulLCG, lc.Lcg)
	if len(g.lcs) == 0 {
		g.lcs = append(g.lcs, schedLC{lcid: lc.Lcid, qci: lc.QCI})
	}
	return nil
}

// ReleaseLC removes lcid from the UE's groups.
func (t *tdmaScheduler) ReleaseLC(rnti uint16, lcid uint8) {
	u := t.ue(rnti)
	if u == nil {
		return
	}
	for _, gs := range [][]schedLCG{u.dlLCG, u.ulLCG} {
		for gi := range gs {
			g := &gs[gi]
			for i := range g.lcs {
				if g.lcs[i].lcid == lcid {
					g.lcs = append(g.lcs[:i], g.lcs[i+1:]...)
					break
				}
			}
		}
	}
}

// DlBuffer is DoSchedDlRlcBufferReq.
func (t *tdmaScheduler) DlBuffer(rnti uint16, lcid uint8, st BufferStatus) {
	u := t.ue(rnti)
	if u == nil {
		return
	}
	for gi := range u.dlLCG {
		if lc := u.dlLCG[gi].lc(lcid); lc != nil {
			lc.txQueue, lc.retxQueue, lc.statusPdu = st.TxQueue, st.RetxQueue, st.StatusPdu
			return
		}
	}
}

// UlBsr is BSRReceivedFromUe: each group's level becomes its buffer.
func (t *tdmaScheduler) UlBsr(rnti uint16, levels [NumLcgs]uint8) {
	u := t.ue(rnti)
	if u == nil {
		return
	}
	for lcg := uint8(0); lcg < NumLcgs; lcg++ {
		g := lcgOf(u.ulLCG, lcg)
		if g == nil || len(g.lcs) == 0 {
			continue
		}
		// NrMacSchedulerLCG::UpdateInfo(size): one LC per UL group.
		g.lcs[0].txQueue = BsrBytes(levels[lcg])
	}
}

// UlSr is DoSchedUlSrInfoReq.
func (t *tdmaScheduler) UlSr(rnti uint16) {
	for _, r := range t.srList {
		if r == rnti {
			return
		}
	}
	t.srList = append(t.srList, rnti)
}

// DlCqi is NrMacSchedulerCQIManagement::DlCqiReported (wideband).
func (t *tdmaScheduler) DlCqi(rnti uint16, cqi int) {
	if t.cfg.FixedMcsDl {
		return
	}
	u := t.ue(rnti)
	if u == nil {
		return
	}
	u.dlCqiTimer = t.cqiExpiry
	u.dlCqi = cqi
	mcs, err := t.dlAmc.McsFromCqi(cqi)
	if err != nil {
		return
	}
	if t.cfg.MaxDlMcs >= 0 {
		mcs = min(mcs, t.cfg.MaxDlMcs)
	}
	u.dlMcs = uint8(mcs)
}

// UlCqi is DoSchedUlCqiInfoReq with UlSBCQIReported: the SINR of the RBs
// of the allocation starting at symStart in slot (0 elsewhere) gives the
// UL MCS through the AMC.
func (t *tdmaScheduler) UlCqi(slot uint64, symStart uint8, sinr []float64) {
	if t.cfg.FixedMcsUl {
		return
	}
	e := &t.ulAllocs[slot%ulAllocRing]
	if !e.valid || e.slot != slot {
		return
	}
	for i := 0; i < len(e.allocs); i++ {
		a := &e.allocs[i]
		if a.symStart != symStart {
			continue
		}
		if u := t.ue(a.rnti); u != nil {
			t.ulSbCqi(u, a, sinr)
		}
		// Remove by swapping with the last entry, so that every entry keeps
		// its own mask storage.
		last := len(e.allocs) - 1
		e.allocs[i], e.allocs[last] = e.allocs[last], e.allocs[i]
		e.allocs = e.allocs[:last]
		i--
	}
	if len(e.allocs) == 0 {
		e.valid = false
	}
}

func (t *tdmaScheduler) ulSbCqi(u *schedUE, a *ulAllocElem, sinr []float64) {
	s := t.sinrScratch[:0]
	sum, n := 0.0, 0
	for rb := range sinr {
		v := 0.0
		if a.mask.Has(rb / t.rbPerRbg) {
			v = sinr[rb]
			if v > 0 {
				sum += v
				n++
			}
		}
		s = append(s, v)
	}
	t.sinrScratch = s
	cqi, mcs, err := t.ulCqiCache.lookup(t.ulAmc, s)
	if err != nil {
		return
	}
	u.ulCqiTimer = t.cqiExpiry
	u.ulCqi = cqi
	u.ulMcs = uint8(mcs)
	if n > 0 {
		u.ulSinrDb = 10 * math.Log10(sum/float64(n))
	}
	u.ulCqiReports++
}

// UEInfo reports the scheduler's view of a UE.
func (t *tdmaScheduler) UEInfo(rnti uint16) (SchedUEInfo, bool) {
	u := t.ue(rnti)
	if u == nil {
		return SchedUEInfo{}, false
	}
	return SchedUEInfo{DlMcs: u.dlMcs, UlMcs: u.ulMcs, DlCqi: u.dlCqi, UlCqi: u.ulCqi,
		DlBuffer: totalOf(u.dlLCG), UlBuffer: totalOf(u.ulLCG), SrsOffset: u.srsOffset,
		SrsPeriodicity: u.srsPeriod, DlHarqActive: u.dlHarq.used, UlHarqActive: u.ulHarq.used,
		UlCqiSinrDbMean: u.ulSinrDb, UlCqiReportCount: u.ulCqiReports}, true
}

// refreshCqi is RefreshDlCqiMaps/RefreshUlCqiMaps: an expired CQI resets
// the MCS to the starting one.
func (t *tdmaScheduler) refreshCqi(dl bool) {
	for _, u := range t.ues {
		if dl {
			if u.dlCqiTimer == 0 {
				u.dlCqi, u.dlMcs = 1, t.cfg.StartingMcsDl
			} else {
				u.dlCqiTimer--
			}
		} else {
			if u.ulCqiTimer == 0 {
				u.ulCqi, u.ulMcs = 1, t.cfg.StartingMcsUl
			} else {
				u.ulCqiTimer--
			}
		}
	}
}

// resetExpiredHarq is ResetExpiredHARQ: a process not resolved within
// NumHarqProcesses calls is forgotten.
func (t *tdmaScheduler) resetExpiredHarq(v *harqVector) {
	n := uint8(len(v.procs))
	for i := range v.procs {
		p := &v.procs[i]
		if p.status == harqInactive {
			continue
		}
		if p.timer < n {
			p.timer++
		} else {
			v.erase(uint8(i))
		}
	}
}

// mergeFeedback is MergeHARQ followed by the removal of feedback for
// inactive processes (and, in DL, duplicates) and ProcessHARQFeedbacks:
// an ACK, or a NACK at the last redundancy version, frees the process;
// the remaining NACKs are returned, their processes marked for
// retransmission.
func (t *tdmaScheduler) mergeFeedback(pending *[]HarqFeedback, in []HarqFeedback, dl bool) []HarqFeedback {
	fb := append(t.fbScratch[:0], *pending...)
	fb = append(fb, in...)
	*pending = (*pending)[:0]
	maxRv := uint8(0)
	if t.cfg.EnableHarqReTx {
		maxRv = MaxHarqRetx
	}
	out := fb[:0]
	for i := range fb {
		f := fb[i]
		u := t.ue(f.RNTI)
		if u == nil {
			continue
		}
		v := &u.ulHarq
		if dl {
			v = &u.dlHarq
		}
		if int(f.HarqID) >= len(v.procs) || !v.procs[f.HarqID].active {
			continue
		}
		if dl {
			dup := false
			for _, o := range out {
				if o.RNTI == f.RNTI && o.HarqID == f.HarqID {
					dup = true
					break
				}
			}
			if dup {
				continue
			}
		}
		p := &v.procs[f.HarqID]
		if f.OK || p.dci.RV == maxRv {
			v.erase(f.HarqID)
			continue
		}
		p.status = harqReceivedFeedback
		out = append(out, f)
	}
	t.fbScratch = out
	return out
}

// ScheduleDl is DoSchedDlTriggerReq, ScheduleDl and DoScheduleDl.
func (t *tdmaScheduler) ScheduleDl(slot uint64, st SlotType, in []HarqFeedback, out *SlotAlloc) {
	t.refreshCqi(true)
	for _, u := range t.ues {
		t.resetExpiredHarq(&u.dlHarq)
	}
	var fb []HarqFeedback
	if len(in) > 0 || len(t.dlHarqRetx) > 0 {
		fb = t.mergeFeedback(&t.dlHarqRetx, in, true)
	}
	out.reset(slot)
	ua := t.ulElem(slot)
	// DL control at symbol 0.
	d := &t.dci
	*d = DCI{Dir: Downlink, Type: AllocCtrl, SymStart: 0, NumSym: uint8(t.phy.DlCtrlSymbols), Mask: t.allMask}
	out.add(d)
	out.NumSymAlloc += t.phy.DlCtrlSymbols
	if st == SlotS {
		*d = DCI{Dir: Uplink, Type: AllocCtrl, SymStart: uint8(t.phy.SymbolsPerSlot - 1), NumSym: uint8(t.phy.UlCtrlSymbols), Mask: t.allMask}
		out.add(d)
		ua.totUlSym += t.phy.UlCtrlSymbols
		out.NumSymAlloc += t.phy.UlCtrlSymbols
	}
	dataSym := t.phy.SymbolsPerSlot - t.phy.DlCtrlSymbols
	symAvail := dataSym - ua.totUlSym
	start := t.phy.DlCtrlSymbols
	if symAvail < 0 {
		symAvail = 0
	}
	if len(fb) > 0 {
		used := t.scheduleDlHarq(start, symAvail, fb, out)
		symAvail -= used
		start += used
		out.NumSymAlloc += used
	}
	if symAvail > 0 {
		t.scheduleDlData(start, symAvail, out)
	}
	if ua.totUlSym <= t.phy.UlCtrlSymbols {
		ua.valid = false
	}
	out.sortBySymbol()
}

// ulElem returns the UL allocation record of slot, creating it.
func (t *tdmaScheduler) ulElem(slot uint64) *ulSlotElem {
	e := &t.ulAllocs[slot%ulAllocRing]
	if !e.valid || e.slot != slot {
		e.slot, e.valid, e.totUlSym = slot, true, 0
		e.allocs = e.allocs[:0]
	}
	return e
}

// hasDci reports whether the allocation already holds a DCI for rnti.
func hasDci(out *SlotAlloc, rnti uint16) bool {
	for i := range out.Vars {
		if out.Vars[i].RNTI == rnti {
			return true
		}
	}
	return false
}

// scheduleDlHarq is NrMacSchedulerHarqRr::ScheduleDlHarq for one beam
// without DCI consolidation: retransmissions in order of decreasing
// symbols, each UE at most once, and, since a TDMA DCI uses every RBG, at
// most one per slot; the others wait for the next slot.
func (t *tdmaScheduler) scheduleDlHarq(start, symAvail int, fb []HarqFeedback, out *SlotAlloc) int {
	// Sort the NACKed processes by decreasing symbols (stable).
	for i := 1; i < len(fb); i++ {
		for j := i; j > 0 && t.harqSyms(fb[j], true) > t.harqSyms(fb[j-1], true); j-- {
			fb[j], fb[j-1] = fb[j-1], fb[j]
		}
	}
	used := 0
	rbgFree := true
	for _, f := range fb {
		u := t.ue(f.RNTI)
		p := &u.dlHarq.procs[f.HarqID]
		p.status, p.timer = harqWaitingFeedback, 0
		rbgAssigned := p.dci.Mask.Count() * int(p.dci.NumSym)
		rbgAvail := t.numRbg * symAvail
		if hasDci(out, f.RNTI) || rbgAvail < rbgAssigned || !rbgFree || symAvail < int(p.dci.NumSym) {
			t.dlHarqRetx = append(t.dlHarqRetx, f)
			continue
		}
		rbgFree = false
		symAvail -= int(p.dci.NumSym)
		p.dci.SymStart = uint8(start)
		p.dci.NDI = false
		p.dci.RV++
		v := out.add(&p.dci)
		v.Rlc = append(v.Rlc, p.rlc...)
		used = int(p.dci.NumSym)
	}
	return used
}

func (t *tdmaScheduler) harqSyms(f HarqFeedback, dl bool) int {
	u := t.ue(f.RNTI)
	if dl {
		return int(u.dlHarq.procs[f.HarqID].dci.NumSym)
	}
	return int(u.ulHarq.procs[f.HarqID].dci.NumSym)
}

// dlRRFront reports whether a precedes b in the round-robin deque,
// registering unknown RNTIs at the front (GetUeCompareDlFn).
func (t *tdmaScheduler) dlRRLess(a, b uint16) bool {
	for _, c := range [2]uint16{a, b} {
		known := false
		for _, r := range t.dlRR {
			if r == c {
				known = true
				break
			}
		}
		if !known {
			t.dlRR = append(t.dlRR, 0)
			copy(t.dlRR[1:], t.dlRR)
			t.dlRR[0] = c
		}
	}
	for _, r := range t.dlRR {
		if r == a || r == b {
			return r == a
		}
	}
	return false
}

// dlRRAssigned is NrMacSchedulerTdmaRR::AssignedDlResources: a UE whose
// block grew goes to the back of the deque.
func (t *tdmaScheduler) dlRRAssigned(u *schedUE, oldTbs uint32) {
	idx := -1
	for i, r := range t.dlRR {
		if r == u.rnti {
			idx = i
			break
		}
	}
	if idx < 0 {
		t.dlRR = append(t.dlRR, 0)
		copy(t.dlRR[1:], t.dlRR)
		t.dlRR[0] = u.rnti
		idx = 0
	}
	switch {
	case u.dlTbs > oldTbs:
		copy(t.dlRR[idx:], t.dlRR[idx+1:])
		t.dlRR[len(t.dlRR)-1] = u.rnti
	case u.dlTbs < oldTbs:
		copy(t.dlRR[1:idx+1], t.dlRR[:idx])
		t.dlRR[0] = u.rnti
	}
}

// activeUEs is ComputeActiveUe: UEs with buffered bytes and a free HARQ
// process, without a DCI in out yet.
func (t *tdmaScheduler) activeUEs(dl bool, out *SlotAlloc) []*schedUE {
	act := t.active[:0]
	for _, u := range t.ues {
		if dl {
			u.buf = totalOf(u.dlLCG)
			if u.buf == 0 || !u.dlHarq.canInsert() {
				continue
			}
		} else {
			u.buf = totalOf(u.ulLCG)
			if u.buf == 0 || !u.ulHarq.canInsert() {
				continue
			}
		}
		if hasDci(out, u.rnti) {
			continue
		}
		act = append(act, u)
	}
	t.active = act
	return act
}

// scheduleDlData is DoScheduleDlData with NrMacSchedulerTdma's
// AssignDLRBG and CreateDlDci.
func (t *tdmaScheduler) scheduleDlData(start, symAvail int, out *SlotAlloc) {
	act := t.activeUEs(true, out)
	if len(act) == 0 {
		return
	}
	// AssignRBGTDMA: one whole symbol at a time to the first UE (in RR
	// order) whose block does not yet cover max(buffer, 10 bytes).
	for res := symAvail; res > 0; res-- {
		t.sortDl(act)
		var pick *schedUE
		for _, u := range act {
			if u.dlTbs < max(u.buf, 10) {
				pick = u
				break
			}
		}
		if pick == nil {
			break
		}
		pick.dlRBG += t.numRbg
		old := pick.dlTbs
		tbs, _ := t.dlAmc.CalculateTbSize(int(pick.dlMcs), 1, uint32(pick.dlRBG*t.rbPerRbg))
		pick.dlTbs = tbs
		t.dlRRAssigned(pick, old)
	}
	sym := start
	for _, u := range act {
		if u.dlRBG == 0 {
			continue
		}
		tbs, _ := t.dlAmc.CalculateTbSize(int(u.dlMcs), 1, uint32(u.dlRBG*t.rbPerRbg))
		numSym := u.dlRBG / t.numRbg
		if tbs < 10 {
			// 3 bytes of MAC header, 2 of RLC header, 5 of data: no DCI.
			u.dlTbs = 0
			continue
		}
		d := &t.dci
		*d = DCI{RNTI: u.rnti, Dir: Downlink, Type: AllocData, SymStart: uint8(sym), NumSym: uint8(max(numSym, 1)),
			MCS: u.dlMcs, Rank: 1, TBS: tbs, NDI: true, Mask: t.allMask}
		sym += numSym
		id, ok := u.dlHarq.insert(d)
		if !ok {
			continue
		}
		d.HarqID = id
		p := &u.dlHarq.procs[id]
		v := out.add(d)
		out.NumSymAlloc += int(d.NumSym)
		// NrMacSchedulerLcRR: the block split evenly over the active LCs,
		// 3 bytes each kept for the MAC subheader.
		nActive := 0
		for gi := range u.dlLCG {
			for li := range u.dlLCG[gi].lcs {
				if u.dlLCG[gi].lcs[li].total() > 0 {
					nActive++
				}
			}
		}
		if nActive == 0 {
			continue
		}
		per := tbs / uint32(nActive)
		for gi := range u.dlLCG {
			g := &u.dlLCG[gi]
			for li := range g.lcs {
				if g.lcs[li].total() == 0 {
					continue
				}
				b := per - macSubheaderReserve
				if per < macSubheaderReserve {
					b = 0
				}
				lb := LcBytes{Lcid: g.lcs[li].lcid, Bytes: b}
				v.Rlc = append(v.Rlc, lb)
				p.rlc = append(p.rlc, lb)
				g.assigned(lb.Lcid, b, true)
			}
		}
	}
	for _, u := range act {
		u.dlRBG, u.dlTbs = 0, 0
	}
}

func (t *tdmaScheduler) sortDl(act []*schedUE) {
	for i := 1; i < len(act); i++ {
		for j := i; j > 0 && t.dlRRLess(act[j].rnti, act[j-1].rnti); j-- {
			act[j], act[j-1] = act[j-1], act[j]
		}
	}
}

// ScheduleUl is DoSchedUlTriggerReq, ScheduleUl and DoScheduleUl.
func (t *tdmaScheduler) ScheduleUl(slot uint64, st SlotType, in []HarqFeedback, out *SlotAlloc) {
	t.refreshCqi(false)
	for _, u := range t.ues {
		t.resetExpiredHarq(&u.ulHarq)
	}
	var fb []HarqFeedback
	if len(in) > 0 || len(t.ulHarqRetx) > 0 {
		fb = t.mergeFeedback(&t.ulHarqRetx, in, false)
	}
	out.reset(slot)
	d := &t.dci
	*d = DCI{Dir: Uplink, Type: AllocCtrl, SymStart: uint8(t.phy.SymbolsPerSlot - t.phy.UlCtrlSymbols),
		NumSym: uint8(t.phy.UlCtrlSymbols), Mask: t.allMask}
	out.add(d)
	out.NumSymAlloc += t.phy.UlCtrlSymbols

	dataSym := t.phy.SymbolsPerSlot - t.phy.UlCtrlSymbols
	if st == SlotF {
		dataSym -= t.phy.DlCtrlSymbols
	}
	sym := t.phy.SymbolsPerSlot - t.phy.UlCtrlSymbols // going backwards from here
	symAvail := dataSym
	e := t.ulElem(slot)
	if (t.phy.SrsInFSlots && st == SlotF) || (t.phy.SrsInUlSlots && st == SlotUL) {
		t.srsCounter++
		used := t.scheduleSrs(&sym, out)
		symAvail -= used
	}
	if len(fb) > 0 {
		// NrMacSchedulerHarqRr::ScheduleUlHarq: the loop stops when the
		// symbols run out, and the NACKs not reached are not kept for the
		// next slot (their processes expire), as in 5G-LENA.
		used := 0
		for i := 0; i < len(fb) && symAvail > 0; i++ {
			f := fb[i]
			u := t.ue(f.RNTI)
			p := &u.ulHarq.procs[f.HarqID]
			p.status, p.timer = harqWaitingFeedback, 0
			n := int(p.dci.NumSym)
			if symAvail < n {
				t.ulHarqRetx = append(t.ulHarqRetx, f)
				continue
			}
			symAvail -= n
			used += n
			sym -= n
			p.dci.SymStart = uint8(sym)
			p.dci.NDI = false
			p.dci.RV++
			out.add(&p.dci)
			out.NumSymAlloc += n
		}
	}
	if symAvail > 0 && len(t.srList) > 0 {
		// DoScheduleUlSr: 12 bytes in every UL group of the requesting UE.
		for _, r := range t.srList {
			if u := t.ue(r); u != nil {
				for gi := range u.ulLCG {
					if len(u.ulLCG[gi].lcs) > 0 {
						u.ulLCG[gi].lcs[0].txQueue = 12
					}
				}
			}
		}
		t.srList = t.srList[:0]
	}
	if symAvail > 0 {
		symAvail -= t.scheduleUlData(&sym, symAvail, out)
	}
	// Record the UL symbols of the slot and its data allocations (for the
	// DL scheduling of the same slot and the PUSCH CQI).
	var symToAl [SymbolsPerSlot + 1]int
	for i := range out.Vars {
		v := &out.Vars[i]
		if v.Dir != Uplink {
			continue
		}
		if int(v.SymStart) < len(symToAl) {
			symToAl[v.SymStart] = int(v.NumSym)
		}
		if v.Type == AllocData {
			k := len(e.allocs)
			if k < cap(e.allocs) {
				e.allocs = e.allocs[:k+1]
			} else {
				e.allocs = append(e.allocs, ulAllocElem{})
			}
			a := &e.allocs[k]
			m := a.mask
			*a = ulAllocElem{rnti: v.RNTI, tbs: v.TBS, symStart: v.SymStart, numSym: v.NumSym, mcs: v.MCS}
			a.mask = append(m[:0], v.Mask...)
		}
	}
	for _, n := range symToAl {
		e.totUlSym += n
	}
	out.sortBySymbol()
}

// scheduleSrs is DoScheduleSrs: the UE whose offset matches the slot
// counter gets SrsSymbols one-symbol SRS allocations, going backwards.
func (t *tdmaScheduler) scheduleSrs(sym *int, out *SlotAlloc) int {
	if len(t.ues) == 0 || t.phy.SrsSymbols == 0 {
		return 0
	}
	off := t.srsCounter % t.ues[0].srsPeriod
	var rnti uint16
	for _, u := range t.ues {
		if u.srsOffset == off {
			rnti = u.rnti
		}
	}
	if rnti == 0 {
		return 0
	}
	for i := 0; i < t.phy.SrsSymbols; i++ {
		*sym--
		d := &t.dci
		*d = DCI{RNTI: rnti, Dir: Uplink, Type: AllocSRS, SymStart: uint8(*sym), NumSym: 1, Rank: 1, NDI: true, Mask: t.allMask}
		out.add(d)
		out.NumSymAlloc++
	}
	return t.phy.SrsSymbols
}

// scheduleUlData is DoScheduleUlData with NrMacSchedulerTdma's
// AssignULRBG (UEs sorted by the RBGs they got so far) and CreateUlDci
// (placed backwards from the last free symbol, no DCI below 12 bytes).
func (t *tdmaScheduler) scheduleUlData(sym *int, symAvail int, out *SlotAlloc) int {
	act := t.activeUEs(false, out)
	if len(act) == 0 {
		return 0
	}
	for res := symAvail; res > 0; res-- {
		// Stable sort by RBGs assigned so far (CompareUeWeightsUl).
		for i := 1; i < len(act); i++ {
			for j := i; j > 0 && act[j].ulRBG < act[j-1].ulRBG; j-- {
				act[j], act[j-1] = act[j-1], act[j]
			}
		}
		var pick *schedUE
		for _, u := range act {
			if u.ulTbs < max(u.buf, 10) {
				pick = u
				break
			}
		}
		if pick == nil {
			break
		}
		pick.ulRBG += t.numRbg
		pick.ulTbs, _ = t.ulAmc.CalculateTbSize(int(pick.ulMcs), 1, uint32(pick.ulRBG*t.rbPerRbg))
	}
	used := 0
	for _, u := range act {
		if u.ulRBG == 0 {
			continue
		}
		tbs, _ := t.ulAmc.CalculateTbSize(int(u.ulMcs), 1, uint32(u.ulRBG*t.rbPerRbg))
		if tbs < 12 {
			// 3 bytes of MAC header, 2 of RLC header, 2 of data and the
			// 5-byte short BSR: no DCI.
			u.ulTbs = 0
			continue
		}
		numSym := max(u.ulRBG/t.numRbg, 1)
		numSym = min(numSym, symAvail)
		*sym -= numSym
		d := &t.dci
		*d = DCI{RNTI: u.rnti, Dir: Uplink, Type: AllocData, SymStart: uint8(*sym), NumSym: uint8(numSym),
			MCS: u.ulMcs, Rank: 1, TBS: tbs, NDI: true, Mask: t.allMask}
		id, ok := u.ulHarq.insert(d)
		if !ok {
			continue
		}
		d.HarqID = id
		out.add(d)
		out.NumSymAlloc += numSym
		used += numSym
		// NrMacSchedulerLcRR over the UL groups' channels.
		nActive := 0
		for gi := range u.ulLCG {
			for li := range u.ulLCG[gi].lcs {
				if u.ulLCG[gi].lcs[li].total() > 0 {
					nActive++
				}
			}
		}
		if nActive > 0 {
			per := tbs / uint32(nActive)
			for gi := range u.ulLCG {
				g := &u.ulLCG[gi]
				for li := range g.lcs {
					if g.lcs[li].total() > 0 {
						g.assigned(g.lcs[li].lcid, per, false)
					}
				}
			}
		}
	}
	for _, u := range act {
		u.ulRBG, u.ulTbs = 0, 0
	}
	return used
}
