package nr5g

import (
	"fmt"
	"math"
	"math/bits"
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
	mark   uint64 // the merge that last kept feedback for it (DL duplicates)
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

// pfState is NrMacSchedulerUeInfoPF's state of one direction: the rate
// of the slot being scheduled, the average over slots, the average as it
// was before this slot, and the potential rate of one assignable
// resource (bytes per symbol).
type pfState struct {
	curr, avg, lastAvg, potential float64
}

// schedUE is NrMacSchedulerUeInfo with the state of the RR, PF and MR
// variants (NrMacSchedulerUeInfoRR, ...PF, ...MR).
type schedUE struct {
	rnti         uint16
	beam         uint64
	dlMcs, ulMcs uint8
	dlCqi, ulCqi int
	dlCqiTimer   uint32
	ulCqiTimer   uint32
	srsOffset    uint32
	srsPeriod    uint32
	dlLCG, ulLCG []schedLCG
	dlHarq       harqVector
	ulHarq       harqVector
	// Per-slot scheduling state: resource units assigned (5G-LENA's
	// m_dlRBG.size(): RBGs x symbols), the RBGs themselves (OFDMA), and
	// the transport block size they give.
	dlRBG, ulRBG   int
	dlMask, ulMask RbgMask
	dlTbs, ulTbs   uint32
	dlPF, ulPF     pfState
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

// ftRes is 5G-LENA's FTResources: RBGs and symbols.
type ftRes struct{ rbg, sym int }

// beamGroup is an entry of 5G-LENA's ActiveUeMap: the active UEs of one
// beam and the symbols the beam gets.
type beamGroup struct {
	beam uint64
	ues  []*schedUE
	sym  int
}

// ns3Scheduler is NrMacSchedulerNs3 with its access schemes
// (NrMacSchedulerTdma, NrMacSchedulerOfdma with the load-based symbols per
// beam), policies (...TdmaRR/PF/MR, ...OfdmaRR/PF/MR and their UE infos),
// NrMacSchedulerHarqRr, NrMacSchedulerLcRR, NrMacSchedulerCQIManagement and
// NrMacSchedulerSrsDefault: the schedulers of 5G-LENA nr-4.1.
type ns3Scheduler struct {
	sim        *sim.Simulator
	phy        PhyConfig
	cfg        SchedulerConfig
	ofdma      bool
	policy     int // 0 RR, 1 PF, 2 MR
	dlAmc      *Amc
	ulAmc      *Amc
	numRbg     int
	rbPerRbg   int
	allMask    RbgMask
	cqiExpiry  uint32
	ues        []*schedUE // in order of registration
	order      ueMapOrder // m_ueMap's iteration order
	mapUEs     []*schedUE // the UEs in that order
	srList     []uint16
	rachList   []uint16
	dlHarqRetx []HarqFeedback
	ulHarqRetx []HarqFeedback
	fbScratch  []HarqFeedback
	ulAllocs   [ulAllocRing]ulSlotElem
	srsCounter uint32
	srsOffsets []uint32
	srsPeriod  uint32
	rng        *rand.Rand
	dlRR       []uint16 // NrMacScheduler{Tdma,Ofdma}RR's m_dlRrRntiDeque
	beams      []uint64 // beams in the order first seen (NrMacSchedulerHarqRr's m_rrBeams)
	groups     []beamGroup
	vec        []*schedUE
	harqGroups [][]harqRetx
	rntiSeen   []uint16
	freeMask   RbgMask
	ulCqiCache cqiCache
	sinrScr    []float64
	dci        DCI
	// Msg3 grants (NrMacSchedulerNs3's RachUlGrantMcs, 0).
	rachMcs  uint8
	mergeGen uint64
	// testAcks holds the feedback a test feeds to the next slot.
	testAcks []HarqFeedback
}

func newNs3Scheduler(s *sim.Simulator, phy PhyConfig, cfg SchedulerConfig, stream string) (*ns3Scheduler, error) {
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
	t := &ns3Scheduler{sim: s, phy: phy, cfg: cfg, ofdma: cfg.Type.Ofdma(), policy: cfg.Type.policy(), dlAmc: dl,
		ulAmc: ul, numRbg: nRbg, rbPerRbg: phy.NumRbPerRbg, rng: s.Stream(stream)}
	t.allMask = t.allMask.resize(nRbg)
	t.allMask.setAll(nRbg)
	t.cqiExpiry = uint32(int64(cfg.CqiTimerThreshold) / int64(phy.SlotDuration()))
	t.setSrsPeriodicity(uint32(phy.SrsPeriodicity))
	return t, nil
}

// setSrsPeriodicity is NrMacSchedulerSrsDefault::SetStartingPeriodicity:
// the offsets 0..p-1, shuffled, are handed out from the back.
func (t *ns3Scheduler) setSrsPeriodicity(p uint32) {
	t.srsPeriod = p
	t.srsOffsets = t.srsOffsets[:0]
	for i := uint32(0); i < p; i++ {
		t.srsOffsets = append(t.srsOffsets, i)
	}
	t.rng.Shuffle(len(t.srsOffsets), func(i, j int) {
		t.srsOffsets[i], t.srsOffsets[j] = t.srsOffsets[j], t.srsOffsets[i]
	})
}

func (t *ns3Scheduler) ue(rnti uint16) *schedUE {
	for _, u := range t.ues {
		if u.rnti == rnti {
			return u
		}
	}
	return nil
}

// AddUE is DoCschedUeConfigReq for a new UE.
func (t *ns3Scheduler) AddUE(rnti uint16) error {
	if rnti == 0 {
		return fmt.Errorf("nr5g: scheduler: RNTI 0")
	}
	if t.ue(rnti) != nil {
		return fmt.Errorf("nr5g: scheduler: RNTI %d already registered", rnti)
	}
	u := &schedUE{rnti: rnti, dlMcs: t.cfg.StartingMcsDl, ulMcs: t.cfg.StartingMcsUl}
	u.dlHarq.init(t.cfg.NumHarqProcesses)
	u.ulHarq.init(t.cfg.NumHarqProcesses)
	u.dlMask = u.dlMask.resize(t.numRbg)
	u.ulMask = u.ulMask.resize(t.numRbg)
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
		for _, o := range t.mapUEs { // IncreasePeriodicity walks m_ueMap
			o.srsOffset, o.srsPeriod = t.popSrsOffset(), next
		}
	}
	u.srsOffset, u.srsPeriod = t.popSrsOffset(), t.srsPeriod
	t.ues = append(t.ues, u)
	t.order.insert(rnti)
	t.syncOrder()
	return nil
}

// syncOrder rebuilds mapUEs from the map order.
func (t *ns3Scheduler) syncOrder() {
	t.mapUEs = t.mapUEs[:0]
	for _, r := range t.order.keys {
		t.mapUEs = append(t.mapUEs, t.ue(r))
	}
}

// standardSrsPeriodicity lists the SRS periodicities of TS 38.331 that
// NrMacSchedulerSrsDefault accepts.
var standardSrsPeriodicity = []uint32{2, 4, 5, 8, 10, 16, 20, 32, 40, 64, 80, 160, 320, 640, 1280, 2560}

func (t *ns3Scheduler) popSrsOffset() uint32 {
	n := len(t.srsOffsets)
	o := t.srsOffsets[n-1]
	t.srsOffsets = t.srsOffsets[:n-1]
	return o
}

// RemoveUE is DoCschedUeReleaseReq.
func (t *ns3Scheduler) RemoveUE(rnti uint16) {
	for i, u := range t.ues {
		if u.rnti == rnti {
			t.srsOffsets = append(t.srsOffsets, u.srsOffset)
			t.ues = append(t.ues[:i], t.ues[i+1:]...)
			t.order.erase(rnti)
			t.syncOrder()
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

// SetBeam records the beam UE rnti is served with (the BeamId of
// NrMacSchedulerUeInfo): UEs of one beam share its symbols in OFDMA, and
// DL HARQ retransmissions are placed beam by beam.
func (t *ns3Scheduler) SetBeam(rnti uint16, beam uint64) {
	if u := t.ue(rnti); u != nil {
		u.beam = beam
	}
}

// RachRequest is DoSchedDlRachInfoReq for one preamble: the next UL
// slot with data symbols gives the UE its Msg3 grant.
func (t *ns3Scheduler) RachRequest(rnti uint16) { t.rachList = append(t.rachList, rnti) }

// ConfigureLC is DoCschedLcConfigReq: the LC joins its group in both
// directions; in UL only the first LC of a group is represented, since a
// BSR reports groups, not channels.
func (t *ns3Scheduler) ConfigureLC(rnti uint16, lc LcConfig) error {
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
func (t *ns3Scheduler) ReleaseLC(rnti uint16, lcid uint8) {
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
func (t *ns3Scheduler) DlBuffer(rnti uint16, lcid uint8, st BufferStatus) {
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
func (t *ns3Scheduler) UlBsr(rnti uint16, levels [NumLcgs]uint8) {
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
func (t *ns3Scheduler) UlSr(rnti uint16) {
	for _, r := range t.srList {
		if r == rnti {
			return
		}
	}
	t.srList = append(t.srList, rnti)
}

// DlCqi is NrMacSchedulerCQIManagement::DlCqiReported (wideband).
func (t *ns3Scheduler) DlCqi(rnti uint16, cqi int) {
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
// of each allocation starting at symStart in slot (0 elsewhere) gives its
// UE's UL MCS through the AMC. In OFDMA several UEs share a start symbol:
// one report carries the SINR of all their RBs.
func (t *ns3Scheduler) UlCqi(slot uint64, symStart uint8, sinr []float64) {
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

func (t *ns3Scheduler) ulSbCqi(u *schedUE, a *ulAllocElem, sinr []float64) {
	s := t.sinrScr[:0]
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
	t.sinrScr = s
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
func (t *ns3Scheduler) UEInfo(rnti uint16) (SchedUEInfo, bool) {
	u := t.ue(rnti)
	if u == nil {
		return SchedUEInfo{}, false
	}
	return SchedUEInfo{DlMcs: u.dlMcs, UlMcs: u.ulMcs, DlCqi: u.dlCqi, UlCqi: u.ulCqi,
		DlBuffer: totalOf(u.dlLCG), UlBuffer: totalOf(u.ulLCG), SrsOffset: u.srsOffset,
		SrsPeriodicity: u.srsPeriod, DlHarqActive: u.dlHarq.used, UlHarqActive: u.ulHarq.used,
		UlCqiSinrDbMean: u.ulSinrDb, UlCqiReportCount: u.ulCqiReports, Beam: u.beam,
		DlAvgRate: u.dlPF.lastAvg, UlAvgRate: u.ulPF.lastAvg}, true
}

// refreshCqi is RefreshDlCqiMaps/RefreshUlCqiMaps: an expired CQI resets
// the MCS to the starting one.
func (t *ns3Scheduler) refreshCqi(dl bool) {
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
func (t *ns3Scheduler) resetExpiredHarq(v *harqVector) {
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
func (t *ns3Scheduler) mergeFeedback(pending *[]HarqFeedback, in []HarqFeedback, dl bool) []HarqFeedback {
	fb := append(t.fbScratch[:0], *pending...)
	fb = append(fb, in...)
	*pending = (*pending)[:0]
	t.mergeGen++
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
		p := &v.procs[f.HarqID]
		if dl && p.mark == t.mergeGen {
			continue // a duplicate of feedback kept already
		}
		if f.OK || p.dci.RV == maxRv {
			v.erase(f.HarqID)
			continue
		}
		p.status = harqReceivedFeedback
		p.mark = t.mergeGen
		out = append(out, f)
	}
	t.fbScratch = out
	return out
}

// beamIndex returns the position of beam in the order beams were first
// seen, registering it.
func (t *ns3Scheduler) beamIndex(beam uint64) int {
	for i, b := range t.beams {
		if b == beam {
			return i
		}
	}
	t.beams = append(t.beams, beam)
	return len(t.beams) - 1
}

// ScheduleDl is DoSchedDlTriggerReq, ScheduleDl and DoScheduleDl.
func (t *ns3Scheduler) ScheduleDl(slot uint64, st SlotType, in []HarqFeedback, out *SlotAlloc) {
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
func (t *ns3Scheduler) ulElem(slot uint64) *ulSlotElem {
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

// usedSymbols is nr::CountUsedSymbolsFromVarAllocTtiRange: from the
// earliest start to the latest end of vars, at least start.
func usedSymbols(start int, vars []VarTti) int {
	if len(vars) == 0 {
		return 0
	}
	lo, hi := math.MaxInt, start
	for i := range vars {
		s := int(vars[i].SymStart)
		lo = min(lo, s)
		hi = max(hi, s+int(vars[i].NumSym))
	}
	return hi - lo
}

// scheduleDlHarq is NrMacSchedulerHarqRr::ScheduleDlHarq without DCI
// consolidation (ConsolidateHarqRetx false, the default): beam by beam in
// the order beams were first seen, each beam's retransmissions by
// decreasing symbols; a retransmission goes at the beam's start symbol
// with its original symbols and RBGs if the UE has none in the slot yet,
// the RBGs are free in the beam and the symbols suffice; the others wait
// for the next slot. A TDMA block takes every RBG, so one retransmission
// per beam and slot. After each beam its symbols are subtracted a second
// time from what is available, as 5G-LENA does (where its unsigned
// arithmetic would wrap, netgym stops at 0).
func (t *ns3Scheduler) scheduleDlHarq(start, symAvail int, fb []HarqFeedback, out *SlotAlloc) int {
	for i := range t.harqGroups {
		t.harqGroups[i] = t.harqGroups[i][:0]
	}
	nb := 0
	for _, f := range fb {
		u := t.ue(f.RNTI)
		bi := t.beamIndex(u.beam)
		for len(t.harqGroups) <= bi {
			t.harqGroups = append(t.harqGroups, nil)
		}
		t.harqGroups[bi] = append(t.harqGroups[bi], harqRetx{f: f, p: &u.dlHarq.procs[f.HarqID]})
		nb = max(nb, bi+1)
	}
	pre := len(out.Vars)
	cur := start
	free := append(t.freeMask[:0], t.allMask...)
	for bi := 0; bi < nb; bi++ {
		g := t.harqGroups[bi]
		if len(g) == 0 {
			continue
		}
		// SortDlHarq: decreasing symbols, stable.
		for i := 1; i < len(g); i++ {
			for j := i; j > 0 && g[j].p.dci.NumSym > g[j-1].p.dci.NumSym; j-- {
				g[j], g[j-1] = g[j-1], g[j]
			}
		}
		beamPre, beamStart := len(out.Vars), cur
		seen := t.rntiSeen[:0]
		for _, h := range g {
			f, p := h.f, h.p
			p.status, p.timer = harqWaitingFeedback, 0
			n := int(p.dci.NumSym)
			if symAvail < n {
				t.dlHarqRetx = append(t.dlHarqRetx, f)
				continue
			}
			rbgAssigned := p.dci.Mask.Count() * n
			rbgAvail := t.numRbg * symAvail
			dup := false
			for _, r := range seen {
				if r == f.RNTI {
					dup = true
				}
			}
			collision := false
			for w := range p.dci.Mask {
				if w < len(free) && p.dci.Mask[w]&^free[w] != 0 {
					collision = true
				}
			}
			if dup || rbgAvail < rbgAssigned || collision {
				t.dlHarqRetx = append(t.dlHarqRetx, f)
				continue
			}
			symAvail -= n
			for w := range p.dci.Mask {
				if w < len(free) {
					free[w] &^= p.dci.Mask[w]
				}
			}
			seen = append(seen, f.RNTI)
			p.dci.SymStart = uint8(cur)
			p.dci.NDI = false
			p.dci.RV++
			v := out.add(&p.dci)
			v.Rlc = append(v.Rlc, p.rlc...)
		}
		t.rntiSeen = seen[:0]
		if symAvail > 0 {
			copy(free, t.allMask)
			if beamStart == cur {
				used := usedSymbols(cur, out.Vars[beamPre:])
				cur += used
				symAvail = max(0, symAvail-used)
			}
		}
	}
	t.freeMask = free
	return usedSymbols(start, out.Vars[pre:])
}

// harqRetx is a NACKed DL process waiting for its retransmission.
type harqRetx struct {
	f HarqFeedback
	p *schedHarq
}

// dlRRLess reports whether a precedes b in the round-robin deque,
// registering unknown RNTIs at the front (GetUeCompareDlFn of the RR
// schedulers).
func (t *ns3Scheduler) dlRRLess(a, b uint16) bool {
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

// dlRRAssigned is the RR schedulers' AssignedDlResources after the block
// size was updated: a UE whose block grew goes to the back of the deque,
// one whose block shrank (its resources were reaped) to the front.
func (t *ns3Scheduler) dlRRAssigned(u *schedUE, oldTbs uint32) {
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

// activeGroups is ComputeActiveUe followed by the removal of UEs that
// already have a DCI in out: UEs with buffered bytes and a free HARQ
// process, grouped by beam in the order beams were first seen, each group
// in m_ueMap's order (ueMapOrder).
func (t *ns3Scheduler) activeGroups(dl bool, out *SlotAlloc) []beamGroup {
	for i := range t.groups {
		clear(t.groups[i].ues)
		t.groups[i].ues = t.groups[i].ues[:0]
		t.groups[i].sym = 0
	}
	n := 0
	for _, u := range t.mapUEs {
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
		bi := t.beamIndex(u.beam)
		for len(t.groups) <= bi {
			t.groups = append(t.groups, beamGroup{})
		}
		t.groups[bi].beam = u.beam
		t.groups[bi].ues = append(t.groups[bi].ues, u)
		n++
	}
	if n == 0 {
		return nil
	}
	// Keep only the beams with UEs, in beam order.
	gs := t.groups
	k := 0
	for i := range gs {
		if len(gs[i].ues) > 0 {
			gs[k], gs[i] = gs[i], gs[k]
			k++
		}
	}
	return gs[:k]
}

// updateTbs recomputes u's block size from its resource units
// (UpdateDlMetric / UpdateUlMetric).
func (t *ns3Scheduler) updateTbs(u *schedUE, dl bool) {
	if dl {
		u.dlTbs = 0
		if u.dlRBG > 0 {
			u.dlTbs, _ = t.dlAmc.CalculateTbSize(int(u.dlMcs), 1, uint32(u.dlRBG*t.rbPerRbg))
		}
		return
	}
	u.ulTbs = 0
	if u.ulRBG > 0 {
		u.ulTbs, _ = t.ulAmc.CalculateTbSize(int(u.ulMcs), 1, uint32(u.ulRBG*t.rbPerRbg))
	}
}

// beforeSched is BeforeDlSched / BeforeUlSched: PF computes the potential
// rate of one assignable resource (CalculatePotentialTPutDl/Ul).
func (t *ns3Scheduler) beforeSched(u *schedUE, dl bool, r ftRes) {
	if t.policy != 1 {
		return
	}
	if dl {
		u.dlPF.potential = float64(t.dlAmc.PayloadSize(int(u.dlMcs), 1, uint32(r.rbg*t.rbPerRbg))) / float64(r.sym)
	} else {
		u.ulPF.potential = float64(t.ulAmc.PayloadSize(int(u.ulMcs), 1, uint32(r.rbg*t.rbPerRbg))) / float64(r.sym)
	}
}

// pfUpdate is UpdateDlPFMetric / UpdateUlPFMetric.
func (t *ns3Scheduler) pfUpdate(u *schedUE, dl bool, tot ftRes) {
	t.updateTbs(u, dl)
	w := t.cfg.LastAvgTPutWeight
	p, tbs := &u.ulPF, u.ulTbs
	if dl {
		p, tbs = &u.dlPF, u.dlTbs
	}
	p.curr = float64(tbs) / float64(tot.sym)
	p.avg = (1-1/w)*p.lastAvg + (1/w)*p.curr
}

// assigned is AssignedDlResources / AssignedUlResources for the UE that
// got the resource of an iteration; tot is what the iteration's loop
// assigned so far.
func (t *ns3Scheduler) assigned(u *schedUE, dl bool, tot ftRes) {
	switch {
	case t.policy == 1:
		t.pfUpdate(u, dl, tot)
	case dl:
		old := u.dlTbs
		t.updateTbs(u, true)
		t.dlRRAssigned(u, old)
	default:
		t.updateTbs(u, false)
	}
}

// notAssigned is NotAssignedDlResources / NotAssignedUlResources: PF
// updates the average of every UE that did not get the resource.
func (t *ns3Scheduler) notAssigned(u *schedUE, dl bool, tot ftRes) {
	if t.policy == 1 {
		t.pfUpdate(u, dl, tot)
	}
}

// resetMetric is ResetDlMetric / ResetUlMetric (no DCI after all).
func (t *ns3Scheduler) resetMetric(u *schedUE, dl bool) {
	if dl {
		u.dlTbs = 0
		if t.policy == 1 {
			u.dlPF.avg = u.dlPF.lastAvg
		}
		return
	}
	u.ulTbs = 0
	if t.policy == 1 {
		u.ulPF.avg = u.ulPF.lastAvg
	}
}

// resetSchedInfo is ResetDlSchedInfo / ResetUlSchedInfo at the end of a
// slot's scheduling: PF keeps the slot's average as the last one.
func (t *ns3Scheduler) resetSchedInfo(u *schedUE, dl bool) {
	if dl {
		if t.policy == 1 {
			u.dlPF.lastAvg, u.dlPF.curr, u.dlPF.potential = u.dlPF.avg, 0, 0
		}
		u.dlRBG, u.dlTbs = 0, 0
		clear(u.dlMask)
		return
	}
	if t.policy == 1 {
		u.ulPF.lastAvg, u.ulPF.curr, u.ulPF.potential = u.ulPF.avg, 0, 0
	}
	u.ulRBG, u.ulTbs = 0, 0
	clear(u.ulMask)
}

// less is the policy's comparison (GetUeCompareDlFn / GetUeCompareUlFn):
// whether a goes before b.
func (t *ns3Scheduler) less(a, b *schedUE, dl bool) bool {
	switch t.policy {
	case 1: // NrMacSchedulerUeInfoPF::CompareUeWeightsDl/Ul
		alpha := float64(float32(t.cfg.FairnessIndex)) // m_alpha is a float
		pa, pb := &a.ulPF, &b.ulPF
		if dl {
			pa, pb = &a.dlPF, &b.dlPF
		}
		ma := math.Pow(pa.potential, alpha) / cmax(1e-9, pa.avg)
		mb := math.Pow(pb.potential, alpha) / cmax(1e-9, pb.avg)
		return ma > mb
	case 2: // NrMacSchedulerUeInfoMR
		if dl {
			if a.dlMcs == b.dlMcs {
				return a.dlRBG < b.dlRBG
			}
			return a.dlMcs > b.dlMcs
		}
		if a.ulMcs == b.ulMcs {
			return a.ulRBG < b.ulRBG
		}
		return a.ulMcs > b.ulMcs
	}
	if dl {
		return t.dlRRLess(a.rnti, b.rnti)
	}
	return a.ulRBG < b.ulRBG // NrMacSchedulerUeInfoRR::CompareUeWeightsUl
}

// cmax is std::max(a, b) for doubles: a unless a < b (so a NaN b gives a).
func cmax(a, b float64) float64 {
	if a < b {
		return b
	}
	return a
}

// sortUEs is SortUeVector: a stable sort by the policy's order.
func (t *ns3Scheduler) sortUEs(v []*schedUE, dl bool) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && t.less(v[j], v[j-1], dl); j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

func (u *schedUE) tbs(dl bool) uint32 {
	if dl {
		return u.dlTbs
	}
	return u.ulTbs
}

// assignTdma is NrMacSchedulerTdma::AssignRBGTDMA: one whole symbol (every
// RBG) at a time to the first UE, in the policy's order, whose block does
// not yet cover max(buffer, 10 bytes); the beams' symbols are their UEs'.
func (t *ns3Scheduler) assignTdma(dl bool, symAvail int, groups []beamGroup) {
	v := t.vec[:0]
	for gi := range groups {
		v = append(v, groups[gi].ues...)
	}
	t.vec = v
	for _, u := range v {
		t.beforeSched(u, dl, ftRes{rbg: t.numRbg, sym: 1})
	}
	var tot ftRes
	for res := symAvail; res > 0; res-- {
		t.sortUEs(v, dl)
		var pick *schedUE
		for _, u := range v {
			if u.tbs(dl) < max(u.buf, 10) {
				pick = u
				break
			}
		}
		if pick == nil {
			break
		}
		if dl {
			pick.dlRBG += t.numRbg
		} else {
			pick.ulRBG += t.numRbg
		}
		tot.rbg += t.numRbg
		tot.sym++
		t.assigned(pick, dl, tot)
		for _, u := range v {
			if u != pick {
				t.notAssigned(u, dl, tot)
			}
		}
	}
	for gi := range groups {
		g := &groups[gi]
		g.sym = 0
		for _, u := range g.ues {
			if dl {
				g.sym += u.dlRBG / t.numRbg
			} else {
				g.sym += u.ulRBG / t.numRbg
			}
		}
	}
	clear(v)
}

// symPerBeam is NrMacSchedulerOfdmaSymbolPerBeamLB::GetSymPerBeam (the
// default SymPerBeamType LOAD_BASED): each beam gets the symbols of its
// share of the buffered bytes, truncated, and the symbols left go one by
// one to the beam with the fewest.
func (t *ns3Scheduler) symPerBeam(symAvail int, groups []beamGroup) {
	total := 0.0
	for gi := range groups {
		for _, u := range groups[gi].ues {
			total += float64(u.buf)
		}
	}
	used := 0
	for gi := range groups {
		var b uint32
		for _, u := range groups[gi].ues {
			b += u.buf
		}
		tmp := float64(symAvail) / total
		groups[gi].sym = int(uint32(float64(b) * tmp))
		used += groups[gi].sym
	}
	for left := symAvail - used; left > 0; left-- {
		m := 0
		for gi := range groups {
			if groups[gi].sym < groups[m].sym {
				m = gi
			}
		}
		groups[m].sym++
	}
}

// firstFree returns the lowest RBG of free, or -1.
func firstFree(free RbgMask, n int) int {
	for w := range free {
		if free[w] != 0 {
			i := w*64 + bits.TrailingZeros64(free[w])
			if i < n {
				return i
			}
		}
	}
	return -1
}

// assignOfdmaDl is NrMacSchedulerOfdma::AssignDLRBG with wideband MCS: per
// beam, one RBG (over all the beam's symbols) at a time, the lowest free
// one, to the first UE in the policy's order whose block does not yet
// cover max(buffer, 10 bytes); when the RBGs run out or nobody wants
// more, a UE whose block is still under 10 bytes loses its RBGs to the
// others and leaves the round.
func (t *ns3Scheduler) assignOfdmaDl(symAvail int, groups []beamGroup) {
	t.symPerBeam(symAvail, groups)
	for gi := range groups {
		g := &groups[gi]
		beamSym := g.sym
		if beamSym == 0 {
			continue // 5G-LENA would divide by these 0 symbols in PF
		}
		v := append(t.vec[:0], g.ues...)
		free := append(t.freeMask[:0], t.allMask...)
		remaining := t.numRbg
		for _, u := range v {
			t.beforeSched(u, true, ftRes{rbg: beamSym, sym: beamSym})
		}
		var tot ftRes
		for {
			for remaining > 0 {
				prev := remaining
				t.sortUEs(v, true)
				for _, u := range v {
					if u.dlTbs >= max(u.buf, 10) {
						continue
					}
					rbg := firstFree(free, t.numRbg)
					u.dlMask[rbg/64] |= 1 << (rbg % 64)
					u.dlRBG += beamSym
					tot.rbg++
					tot.sym = beamSym
					free[rbg/64] &^= 1 << (rbg % 64)
					remaining--
					t.assigned(u, true, tot)
					for _, o := range v {
						if o != u {
							t.notAssigned(o, true, tot)
						}
					}
					break
				}
				if prev == remaining {
					break
				}
			}
			// Reap the resources of a UE whose block is under 10 bytes.
			for i := 1; i < len(v); i++ {
				for j := i; j > 0 && v[j].dlTbs > v[j-1].dlTbs; j-- {
					v[j], v[j-1] = v[j-1], v[j]
				}
			}
			if len(v) > 0 && v[len(v)-1].dlTbs < 10 {
				u := v[len(v)-1]
				for w := range u.dlMask {
					for u.dlMask[w] != 0 {
						b := bits.TrailingZeros64(u.dlMask[w])
						u.dlMask[w] &^= 1 << b
						free[w] |= 1 << b
						remaining++
						tot.rbg--
					}
				}
				if tot.rbg == 0 {
					tot.sym = 0
				}
				u.dlRBG = 0
				t.assigned(u, true, tot)
				for _, o := range v {
					t.notAssigned(o, true, tot)
				}
				v = v[:len(v)-1]
				continue
			}
			break
		}
		t.freeMask = free
		clear(v)
		t.vec = v[:0]
	}
}

// assignOfdmaUl is NrMacSchedulerOfdma::AssignULRBG: per beam, one RBG at
// a time to the first UE in the policy's order whose block does not yet
// cover max(buffer, 12 bytes).
func (t *ns3Scheduler) assignOfdmaUl(symAvail int, groups []beamGroup) {
	t.symPerBeam(symAvail, groups)
	for gi := range groups {
		g := &groups[gi]
		beamSym := g.sym
		if beamSym == 0 {
			continue
		}
		v := append(t.vec[:0], g.ues...)
		free := append(t.freeMask[:0], t.allMask...)
		for _, u := range v {
			t.beforeSched(u, false, ftRes{rbg: beamSym * beamSym, sym: beamSym})
		}
		var tot ftRes
		for rbg := firstFree(free, t.numRbg); rbg >= 0; rbg = firstFree(free, t.numRbg) {
			t.sortUEs(v, false)
			var pick *schedUE
			for _, u := range v {
				if u.ulTbs < max(u.buf, 12) {
					pick = u
					break
				}
			}
			if pick == nil {
				break
			}
			pick.ulMask[rbg/64] |= 1 << (rbg % 64)
			pick.ulRBG += beamSym
			tot.rbg++
			tot.sym = beamSym
			free[rbg/64] &^= 1 << (rbg % 64)
			t.assigned(pick, false, tot)
			for _, o := range v {
				if o != pick {
					t.notAssigned(o, false, tot)
				}
			}
		}
		t.freeMask = free
		clear(v)
		t.vec = v[:0]
	}
}

// scheduleDlData is DoScheduleDlData with the access scheme's AssignDLRBG
// and CreateDlDci: TDMA blocks follow each other from the first free
// symbol, OFDMA blocks of a beam share its symbols on their RBGs.
func (t *ns3Scheduler) scheduleDlData(start, symAvail int, out *SlotAlloc) {
	groups := t.activeGroups(true, out)
	if len(groups) == 0 {
		return
	}
	if t.ofdma {
		t.assignOfdmaDl(symAvail, groups)
	} else {
		t.assignTdma(true, symAvail, groups)
	}
	sym := start
	for gi := range groups {
		g := &groups[gi]
		if g.sym == 0 {
			continue
		}
		assigned, allocSym, lastStart := false, 0, -1
		for _, u := range g.ues {
			if u.dlRBG == 0 {
				continue
			}
			tbs, _ := t.dlAmc.CalculateTbSize(int(u.dlMcs), 1, uint32(u.dlRBG*t.rbPerRbg))
			if tbs < 10 {
				// 3 bytes of MAC header, 2 of RLC header, 5 of data: no DCI.
				t.resetMetric(u, true)
				continue
			}
			d := &t.dci
			if t.ofdma {
				*d = DCI{RNTI: u.rnti, Dir: Downlink, Type: AllocData, SymStart: uint8(sym), NumSym: uint8(g.sym),
					MCS: u.dlMcs, Rank: 1, TBS: tbs, NDI: true, Mask: u.dlMask}
			} else {
				numSym := u.dlRBG / t.numRbg
				*d = DCI{RNTI: u.rnti, Dir: Downlink, Type: AllocData, SymStart: uint8(sym), NumSym: uint8(max(numSym, 1)),
					MCS: u.dlMcs, Rank: 1, TBS: tbs, NDI: true, Mask: t.allMask}
				sym += numSym
			}
			id, ok := u.dlHarq.insert(d)
			if !ok {
				continue
			}
			assigned = true
			if int(d.SymStart) != lastStart {
				allocSym += int(d.NumSym)
				lastStart = int(d.SymStart)
			}
			d.HarqID = id
			p := &u.dlHarq.procs[id]
			v := out.add(d)
			t.assignLcs(u.dlLCG, tbs, true, v, p)
		}
		if assigned {
			if t.ofdma {
				sym += g.sym
			}
			out.NumSymAlloc += allocSym
		}
	}
	for gi := range groups {
		for _, u := range groups[gi].ues {
			t.resetSchedInfo(u, true)
		}
	}
}

// assignLcs is NrMacSchedulerLcRR: the block split evenly over the
// active logical channels; in DL 3 bytes of each share are kept for the
// MAC subheader and the shares are recorded in the DCI and the HARQ
// process.
func (t *ns3Scheduler) assignLcs(lcgs []schedLCG, tbs uint32, dl bool, v *VarTti, p *schedHarq) {
	nActive := 0
	for gi := range lcgs {
		for li := range lcgs[gi].lcs {
			if lcgs[gi].lcs[li].total() > 0 {
				nActive++
			}
		}
	}
	if nActive == 0 {
		return
	}
	per := tbs / uint32(nActive)
	for gi := range lcgs {
		g := &lcgs[gi]
		for li := range g.lcs {
			if g.lcs[li].total() == 0 {
				continue
			}
			if !dl {
				g.assigned(g.lcs[li].lcid, per, false)
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

// ScheduleUl is DoSchedUlTriggerReq, ScheduleUl and DoScheduleUl.
func (t *ns3Scheduler) ScheduleUl(slot uint64, st SlotType, in []HarqFeedback, out *SlotAlloc) {
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
	if len(t.rachList) > 0 && (st == SlotF || st == SlotUL) {
		used := t.scheduleMsg3(&sym, symAvail, out)
		symAvail -= used
		out.NumSymAlloc += used
	}
	if len(fb) > 0 {
		// NrMacSchedulerHarqRr::ScheduleUlHarq: the loop stops when the
		// symbols run out, and the NACKs not reached are not kept for the
		// next slot (their processes expire), as in 5G-LENA.
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
		if v.Type == AllocData || v.Type == AllocMsg3 {
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
func (t *ns3Scheduler) scheduleSrs(sym *int, out *SlotAlloc) int {
	if len(t.ues) == 0 || t.phy.SrsSymbols == 0 {
		return 0
	}
	off := t.srsCounter % t.mapUEs[0].srsPeriod
	var rnti uint16
	for _, u := range t.mapUEs {
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

// msg3Bits is the size NrGnbMac asks the scheduler for a Msg3 grant
// (RachListElement_s::m_estimatedSize, 144 bits).
const msg3Bits = 144

// scheduleMsg3 is DoScheduleUlMsg3: each UE of a preamble received gets
// the fewest whole symbols (every RBG, MCS RachUlGrantMcs) whose block
// holds 144 bits, going backwards; the requests that do not fit are
// dropped (their UEs time out and send another preamble).
func (t *ns3Scheduler) scheduleMsg3(sym *int, symAvail int, out *SlotAlloc) int {
	before := symAvail
	for _, rnti := range t.rachList {
		n, bitsTb := 0, uint32(0)
		for bitsTb < msg3Bits && symAvail-n > 0 {
			n++
			tb, _ := t.ulAmc.CalculateTbSize(int(t.rachMcs), 1, uint32(t.numRbg*t.rbPerRbg*n))
			bitsTb = tb * 8
		}
		if bitsTb < msg3Bits {
			break
		}
		*sym -= n
		d := &t.dci
		*d = DCI{RNTI: rnti, Dir: Uplink, Type: AllocMsg3, SymStart: uint8(*sym), NumSym: uint8(n), MCS: t.rachMcs,
			Rank: 1, TBS: bitsTb / 8, NDI: true, Mask: t.allMask}
		out.add(d)
		symAvail -= n
	}
	t.rachList = t.rachList[:0]
	return before - symAvail
}

// scheduleUlData is DoScheduleUlData with the access scheme's AssignULRBG
// and CreateUlDci: placed backwards from the last free symbol, TDMA
// blocks one after the other, OFDMA blocks of a beam over its symbols on
// their RBGs; no DCI below 12 bytes.
func (t *ns3Scheduler) scheduleUlData(sym *int, symAvail int, out *SlotAlloc) int {
	groups := t.activeGroups(false, out)
	if len(groups) == 0 {
		return 0
	}
	if t.ofdma {
		t.assignOfdmaUl(symAvail, groups)
	} else {
		t.assignTdma(false, symAvail, groups)
	}
	used := 0
	for gi := range groups {
		g := &groups[gi]
		if g.sym == 0 {
			continue
		}
		assigned, allocSym, lastStart := false, 0, -1
		for _, u := range g.ues {
			if u.ulRBG == 0 {
				continue
			}
			tbs, _ := t.ulAmc.CalculateTbSize(int(u.ulMcs), 1, uint32(u.ulRBG*t.rbPerRbg))
			if tbs < 12 {
				// 3 bytes of MAC header, 2 of RLC header, 2 of data and the
				// 5-byte short BSR: no DCI.
				t.resetMetric(u, false)
				continue
			}
			d := &t.dci
			if t.ofdma {
				*d = DCI{RNTI: u.rnti, Dir: Uplink, Type: AllocData, SymStart: uint8(*sym - g.sym), NumSym: uint8(g.sym),
					MCS: u.ulMcs, Rank: 1, TBS: tbs, NDI: true, Mask: u.ulMask}
			} else {
				numSym := min(max(u.ulRBG/t.numRbg, 1), g.sym)
				*sym -= numSym
				*d = DCI{RNTI: u.rnti, Dir: Uplink, Type: AllocData, SymStart: uint8(*sym), NumSym: uint8(numSym),
					MCS: u.ulMcs, Rank: 1, TBS: tbs, NDI: true, Mask: t.allMask}
			}
			id, ok := u.ulHarq.insert(d)
			if !ok {
				continue
			}
			assigned = true
			if int(d.SymStart) != lastStart {
				allocSym += int(d.NumSym)
				lastStart = int(d.SymStart)
			}
			d.HarqID = id
			out.add(d)
			t.assignLcs(u.ulLCG, tbs, false, nil, nil)
		}
		if assigned {
			if t.ofdma {
				*sym -= g.sym
			}
			used += allocSym
			out.NumSymAlloc += allocSym
		}
	}
	for gi := range groups {
		for _, u := range groups[gi].ues {
			t.resetSchedInfo(u, false)
		}
	}
	return used
}
