package mmwave

import (
	"slices"
)

// Scheduler headers and margins of MmWaveFlexTtiMacScheduler (m_macHdrSize,
// m_subHdrSize, m_rlcHdrSize).
const (
	schedMacHdrSize = 0
	schedSubHdrSize = 4
	schedRlcHdrSize = 3
)

// Direction of a TTI or DCI.
type Direction uint8

// Directions.
const (
	// Downlink is eNB to UE (DciInfoElementTdma::DL_dci).
	Downlink Direction = iota
	// Uplink is UE to eNB (UL_dci).
	Uplink
)

// String returns "DL" or "UL".
func (d Direction) String() string {
	if d == Uplink {
		return "UL"
	}
	return "DL"
}

// DCI is ns3-mmwave's DciInfoElementTdma: one allocation of contiguous
// OFDM symbols over the whole band to one UE in one direction.
type DCI struct {
	RNTI     uint16
	Dir      Direction
	SymStart int // first symbol
	NumSym   int // symbols
	Mcs      int
	TbSize   uint32 // bytes
	// NewData is m_ndi: true for a new transport block, false for a HARQ
	// retransmission.
	NewData bool
	// Rv counts the retransmissions (0 for the first transmission).
	Rv int
	// HarqProcess is the HARQ process id.
	HarqProcess int
}

// rlcPduInfo is RlcPduInfo: the bytes the MAC asks an LC for.
type rlcPduInfo struct {
	lcid uint8
	size uint32
}

// TTI is one entry of a slot's allocation (TtiAllocInfo): the DL control
// symbol, a data allocation, or the UL control symbol.
type TTI struct {
	Dir  Direction
	Ctrl bool // a control TTI (first and last symbol), not data
	DCI  DCI
	rlc  []rlcPduInfo
}

// SlotAlloc is a slot's allocation (SlotAllocInfo): the TTIs in symbol
// order, DL control first and UL control last.
type SlotAlloc struct {
	// Slot is the absolute slot number (frame, subframe and slot of
	// ns-3's SfnSf in one count).
	Slot int64
	// NumSymAlloc counts the data symbols allocated.
	NumSymAlloc int
	TTIs        []TTI
}

// reset empties a for slot, keeping its memory.
func (a *SlotAlloc) reset(slot int64) {
	for i := range a.TTIs {
		a.TTIs[i].rlc = a.TTIs[i].rlc[:0]
	}
	a.Slot, a.NumSymAlloc, a.TTIs = slot, 0, a.TTIs[:0]
}

// push appends t (copying its RLC list into a's memory).
func (a *SlotAlloc) push(t TTI) {
	a.insert(len(a.TTIs), t)
}

// insert puts t at index i.
func (a *SlotAlloc) insert(i int, t TTI) {
	var keep []rlcPduInfo
	if len(a.TTIs) < cap(a.TTIs) {
		keep = a.TTIs[:len(a.TTIs)+1][len(a.TTIs)].rlc
	}
	a.TTIs = append(a.TTIs, TTI{})
	copy(a.TTIs[i+1:], a.TTIs[i:])
	rl := append(keep[:0], t.rlc...)
	t.rlc = rl
	a.TTIs[i] = t
}

// dlFeedback is DlHarqInfo; ulFeedback is UlHarqInfo.
type dlFeedback struct {
	rnti uint16
	proc int
	ack  bool
}

type ulFeedback struct {
	rnti uint16
	proc int
	ok   bool
}

// rlcBufferReq is SchedDlRlcBufferReqParameters, as the RLC reports it.
type rlcBufferReq struct {
	rnti                  uint16
	lcid                  uint8
	txQueue, retxQueue    uint32
	statusPdu             uint32
	txQueueHolDelayMicros uint32
}

// ulCqi is UlCqiMapElem.
type ulCqi struct {
	sinr   []float64
	timer  int
	valid  bool
	numSym int
	tbSize uint32
}

// ulAllocElem is AllocMapElem.
type ulAllocElem struct {
	rnti   uint16
	numSym int
	tbSize uint32
	slot   int64
}

// schedUE is the scheduler's state of one UE.
type schedUE struct {
	present bool
	// DL CQI (m_wbCqiRxed, m_wbCqiTimers)
	dlCqi      int
	dlCqiValid bool
	dlCqiTimer int
	ul         ulCqi
	ulMemo     cqiMemo
	// BSR (m_ceBsrRxed)
	bsr        uint32
	bsrPresent bool
	// HARQ
	dlStatus, ulStatus []uint8
	dlTimer, ulTimer   []uint8
	dlDci, ulDci       []DCI
	dlRlc              [][]rlcPduInfo
	// PF: the exponential averages of the new-data TB bytes per second
	// given in each direction (m_avgTputDl, m_avgTputUl over
	// pfTimeWindow slots), and whether the UE's last symbol was UL
	// (m_allocUlLast, PF and MaxRate).
	avgDl, avgUl float64
	allocUlLast  bool
	// per-slot scratch (UeSchedInfo)
	info ueSchedInfo
}

// ueSchedInfo is UeSchedInfo.
type ueSchedInfo struct {
	inMap                        bool
	dlMcs, ulMcs                 int
	maxDlBufSize, maxUlBufSize   uint32
	maxDlSymbols, maxUlSymbols   int
	dlSymbols, ulSymbols         int
	dlSymbolsRetx, ulSymbolsRetx int
	rlcPduInfo                   []rlcPduInfo
	// PF and MaxRate (UeSchedInfo's m_dlTbSize, m_ulTbSize,
	// m_dlAllocDone, m_ulAllocDone): the TB sizes so far, whether a
	// direction's demand is met, and whether the UE has a usable DL and UL
	// CQI (a report, or none, which counts as CQI 1; not CQI 0): MaxRate
	// ranks it in the bucket of its DL MCS and in that of its UL MCS.
	dlTb, ulTb     uint32
	dlDone, ulDone bool
	inDl, inUl     bool
}

// Scheduler is ns3-mmwave's variable-TTI MAC scheduler,
// MmWaveFlexTtiMacScheduler (mmwave-flex-tti-mac-scheduler.cc), as a state
// machine: the MAC feeds it RLC buffer reports, CQIs, BSRs and HARQ
// feedback, and asks it at every slot start for the allocation of the slot
// L1L2Latency ahead (Trigger). Construct it with newScheduler.
type Scheduler struct {
	cfg     SchedulerConfig
	amc     *Amc
	numHarq int
	timeout int
	nRB     int
	// slotSeconds is the slot period in seconds (PF's rates are per
	// second, GetSlotPeriod().GetSeconds()).
	slotSeconds float64

	ues      []schedUE // by RNTI
	rlcReqs  []rlcBufferReq
	ulAllocs map[uint64]ulAllocElem

	dlHarqList, ulHarqList []dlFeedbackOrUl
	nextRnti               uint16
	tbUid                  int

	// scratch
	rlcScratch []rlcPduInfo
	active     []uint16 // RNTIs in ueInfo, ascending
	dlUntx     []dlFeedbackOrUl
	ulUntx     []dlFeedbackOrUl
	sinrBuf    []float64
}

// dlFeedbackOrUl holds one HARQ feedback of either direction.
type dlFeedbackOrUl struct {
	rnti uint16
	proc int
	ok   bool
}

// newScheduler returns the scheduler of a carrier of nRB RBs.
func newScheduler(cfg SchedulerConfig, amc *Amc, pm PhyMacConfig) *Scheduler {
	return &Scheduler{cfg: cfg, amc: amc, numHarq: pm.NumHarqProcesses, timeout: pm.HarqTimeout,
		nRB: pm.NumRBs(), slotSeconds: pm.SlotPeriod().Seconds(), ulAllocs: make(map[uint64]ulAllocElem)}
}

func (s *Scheduler) ue(rnti uint16) *schedUE {
	if int(rnti) >= len(s.ues) {
		return nil
	}
	u := &s.ues[rnti]
	if !u.present {
		return nil
	}
	return u
}

// AddUE is DoCschedUeConfigReq: the HARQ process tables of a new UE.
func (s *Scheduler) AddUE(rnti uint16) {
	for int(rnti) >= len(s.ues) {
		s.ues = append(s.ues, schedUE{})
	}
	u := &s.ues[rnti]
	if u.present {
		return
	}
	*u = schedUE{present: true}
	u.dlStatus = make([]uint8, s.numHarq)
	u.ulStatus = make([]uint8, s.numHarq)
	u.dlTimer = make([]uint8, s.numHarq)
	u.ulTimer = make([]uint8, s.numHarq)
	u.dlDci = make([]DCI, s.numHarq)
	u.ulDci = make([]DCI, s.numHarq)
	u.dlRlc = make([][]rlcPduInfo, s.numHarq)
}

// RemoveUE is DoCschedUeReleaseReq.
func (s *Scheduler) RemoveUE(rnti uint16) {
	if u := s.ue(rnti); u != nil {
		u.present = false
	}
	s.rlcReqs = slices.DeleteFunc(s.rlcReqs, func(r rlcBufferReq) bool { return r.rnti == rnti })
}

// DlRlcBufferReq is DoSchedDlRlcBufferReq: the RLC of (rnti, lcid)
// reports its queues. The report replaces the LC's previous one and moves
// to the end of the list (ns-3 erases and re-inserts it); a new LC creates
// the UE's DL CQI entry at CQI 1.
func (s *Scheduler) DlRlcBufferReq(r rlcBufferReq) {
	newLc := true
	for i := 0; i < len(s.rlcReqs); {
		if s.rlcReqs[i].rnti == r.rnti && s.rlcReqs[i].lcid == r.lcid {
			s.rlcReqs = append(s.rlcReqs[:i], s.rlcReqs[i+1:]...)
			newLc = false
			continue
		}
		i++
	}
	s.rlcReqs = append(s.rlcReqs, r)
	if newLc {
		// m_wbCqiRxed.insert: only when no entry exists (std::map::insert).
		if u := s.ue(r.rnti); u != nil && !u.dlCqiValid {
			u.dlCqiValid, u.dlCqi, u.dlCqiTimer = true, 1, s.cfg.CqiTimerThreshold
		}
	}
}

// DlCqi is DoSchedDlCqiInfoReq with a wideband CQI.
func (s *Scheduler) DlCqi(rnti uint16, cqi int) {
	if u := s.ue(rnti); u != nil {
		u.dlCqiValid, u.dlCqi, u.dlCqiTimer = true, cqi, s.cfg.CqiTimerThreshold
	}
}

// UlCqi is DoSchedUlCqiInfoReq (PUSCH): the SINR per RB of the UL
// transport block received in slot at symbol symStart. ns3-mmwave looks
// the allocation up by (slot, symStart) as scheduled; an UL TTI that a
// later DL allocation shifted is not found, and its CQI is ignored, as in
// ns3-mmwave.
func (s *Scheduler) UlCqi(slot int64, symStart int, sinr []float64) {
	key := uint64(slot)<<8 | uint64(symStart)
	a, ok := s.ulAllocs[key]
	if !ok {
		return
	}
	delete(s.ulAllocs, key)
	u := s.ue(a.rnti)
	if u == nil {
		return
	}
	u.ul.sinr = append(u.ul.sinr[:0], sinr...)
	u.ul.valid, u.ul.numSym, u.ul.tbSize, u.ul.timer = true, a.numSym, a.tbSize, s.cfg.CqiTimerThreshold
}

// Bsr is DoSchedUlMacCtrlInfoReq: the UE's buffer (the sum of the four
// LCGs' BSR levels, in bytes).
func (s *Scheduler) Bsr(rnti uint16, bytes uint32) {
	if u := s.ue(rnti); u != nil {
		u.bsr, u.bsrPresent = bytes, true
	}
}

// refreshCqi is RefreshDlCqiMaps and RefreshUlCqiMaps.
func (s *Scheduler) refreshCqi() {
	for i := range s.ues {
		u := &s.ues[i]
		if !u.present {
			continue
		}
		if u.dlCqiValid {
			if u.dlCqiTimer == 0 {
				u.dlCqiValid = false
			} else {
				u.dlCqiTimer--
			}
		}
		if u.ul.valid {
			if u.ul.timer == 0 {
				u.ul.valid = false
			} else {
				u.ul.timer--
			}
		}
	}
}

// refreshHarq is RefreshHarqProcesses: a process whose timer reached the
// timeout is freed.
func (s *Scheduler) refreshHarq() {
	to := uint8(s.timeout)
	for i := range s.ues {
		u := &s.ues[i]
		if !u.present {
			continue
		}
		for p := range u.dlTimer {
			if u.dlTimer[p] == to {
				u.dlStatus[p], u.dlTimer[p] = 0, 0
			} else {
				u.dlTimer[p]++
			}
		}
		for p := range u.ulTimer {
			if u.ulTimer[p] == to {
				u.ulStatus[p], u.ulTimer[p] = 0, 0
			} else {
				u.ulTimer[p]++
			}
		}
	}
}

// harqID is UpdateDlHarqProcessId and UpdateUlHarqProcessId: with HARQ
// off a round-robin counter shared by both directions, with HARQ on the
// first free process (numHarq if none).
func (s *Scheduler) harqID(status []uint8) int {
	if !s.cfg.HarqEnabled {
		id := s.tbUid
		s.tbUid = (s.tbUid + 1) % s.numHarq
		return id
	}
	for i, st := range status {
		if st == 0 {
			status[i] = 1
			return i
		}
	}
	return s.numHarq
}

// DlHarqFeedback queues a DL HARQ feedback for the next trigger.
func (s *Scheduler) dlHarqFeedback(f dlFeedbackOrUl) { s.dlHarqList = append(s.dlHarqList, f) }

// UlHarqFeedback queues an UL HARQ feedback for the next trigger.
func (s *Scheduler) ulHarqFeedback(f dlFeedbackOrUl) { s.ulHarqList = append(s.ulHarqList, f) }

// updateDlRlcBufferInfo is UpdateDlRlcBufferInfo: the scheduler's copy
// of an LC's queues less what it just scheduled (size is a uint16 in ns-3).
func (s *Scheduler) updateDlRlcBufferInfo(rnti uint16, lcid uint8, size uint16) {
	for i := range s.rlcReqs {
		r := &s.rlcReqs[i]
		if r.rnti != rnti || r.lcid != lcid {
			continue
		}
		sz := uint32(size)
		if r.statusPdu > 0 && sz >= r.statusPdu {
			r.statusPdu = 0
		}
		switch {
		case r.retxQueue > 0:
			if r.retxQueue <= sz-r.statusPdu {
				r.retxQueue = 0
			} else {
				r.retxQueue -= sz - r.statusPdu
			}
		case r.txQueue > 0:
			overhead := uint32(2)
			if lcid == 1 {
				overhead = 4
			}
			if r.txQueue <= sz-overhead-r.statusPdu {
				r.txQueue = 0
			} else {
				r.txQueue -= sz - overhead - r.statusPdu
			}
		}
		return
	}
}

// updateUlRlcBufferInfo is UpdateUlRlcBufferInfo (size a uint16 less the
// 2-byte minimum RLC header).
func (s *Scheduler) updateUlRlcBufferInfo(rnti uint16, size uint16) {
	size -= 2
	u := s.ue(rnti)
	if u == nil || !u.bsrPresent {
		return
	}
	if u.bsr >= uint32(size) {
		u.bsr -= uint32(size)
	} else {
		u.bsr = 0
	}
}

// Trigger is DoSchedTriggerReq for the slot numbered slot: the HARQ
// retransmissions first (DL then UL, as long as symbols remain), then the
// new data of every UE with DL RLC data or an UL BSR, the symbols shared
// round-robin, starting where the previous slot left off, between the
// flows (each UE's DL and UL count as one flow each), and laid out with
// all DL TTIs before all UL TTIs. out receives the allocation; its TTIs
// are valid until the next Trigger.
func (s *Scheduler) Trigger(slot int64, out *SlotAlloc) {
	out.reset(slot)
	out.push(TTI{Dir: Downlink, Ctrl: true, DCI: DCI{NumSym: 1}})
	symAvail := DataSymbolsPerSlot
	symIdx := DlCtrlSymbols

	s.refreshCqi()
	s.refreshHarq()

	for _, r := range s.active {
		s.ues[r].info = ueSchedInfo{rlcPduInfo: s.ues[r].info.rlcPduInfo[:0]}
	}
	s.active = s.active[:0]

	symAvail, symIdx = s.retransmit(out, symAvail, symIdx)
	if s.cfg.Kind != FlexTtiRR {
		s.triggerRate(out, symAvail, symIdx)
		return
	}
	nFlowsDl, nFlowsUl := 0, 0

	// New DL data: every LC with something queued.
	if symAvail > 0 && !s.cfg.UlSchedOnly {
		for i := range s.rlcReqs {
			r := &s.rlcReqs[i]
			if r.txQueue == 0 && r.retxQueue == 0 && r.statusPdu == 0 {
				continue
			}
			u := s.ue(r.rnti)
			if u == nil {
				continue
			}
			cqi := 1
			if u.dlCqiValid {
				cqi = u.dlCqi
			}
			if cqi == 0 && !s.cfg.FixedMcsDl {
				continue // out of range: no DL allocation
			}
			in := &u.info
			if !in.inMap {
				nFlowsDl++
				s.markActive(r.rnti)
			} else if in.maxDlBufSize == 0 {
				nFlowsDl++
			}
			if s.cfg.FixedMcsDl {
				in.dlMcs = s.cfg.McsDefaultDl
			} else {
				in.dlMcs = s.amc.McsFromCqi(cqi)
			}
			if r.statusPdu > 0 {
				p := rlcPduInfo{lcid: r.lcid, size: r.statusPdu + schedSubHdrSize}
				in.rlcPduInfo = append(in.rlcPduInfo, p)
				in.maxDlBufSize += p.size
			}
			var size uint32
			if r.retxQueue > 0 {
				size = r.retxQueue
			} else if r.txQueue > 0 {
				size = r.txQueue
			}
			if size > 0 {
				size = max(size, 8)
				size += schedRlcHdrSize + schedSubHdrSize + 10
				in.rlcPduInfo = append(in.rlcPduInfo, rlcPduInfo{lcid: r.lcid, size: size})
				in.maxDlBufSize += size
			}
		}
	}

	// New UL data: every UE with a positive BSR.
	if symAvail > 0 && !s.cfg.DlSchedOnly {
		for rnti := range s.ues {
			u := &s.ues[rnti]
			if !u.present || !u.bsrPresent || u.bsr == 0 {
				continue
			}
			mcs := 0
			if u.ul.valid {
				var cqi int
				cqi, mcs = s.amc.cqiMemo(&u.ulMemo, u.ul.sinr)
				if cqi == 0 && !s.cfg.FixedMcsUl {
					continue // UL-CQI out of range
				}
			}
			in := &u.info
			if !in.inMap {
				s.markActive(uint16(rnti))
				nFlowsUl++
			} else if in.maxUlBufSize == 0 {
				nFlowsUl++
			}
			if s.cfg.FixedMcsUl {
				in.ulMcs = s.cfg.McsDefaultUl
			} else {
				in.ulMcs = mcs
			}
			in.maxUlBufSize = u.bsr + schedRlcHdrSize + schedMacHdrSize + 8
		}
	}

	if len(s.active) == 0 {
		out.push(TTI{Dir: Uplink, Ctrl: true, DCI: DCI{SymStart: SymbolsPerSlot - 1, NumSym: 1}})
		return
	}
	nFlowsTot := nFlowsDl + nFlowsUl

	totDlSymReq, totUlSymReq := 0, 0
	for _, r := range s.active {
		in := &s.ues[r].info
		if in.maxDlBufSize > 0 {
			n, tb := s.amc.MinTbSizeNumSym(in.dlMcs, in.maxDlBufSize)
			in.maxDlSymbols, in.maxDlBufSize = n, tb
			if s.cfg.FixedTti {
				in.maxDlSymbols = roundUp(in.maxDlSymbols, s.cfg.SymPerSlot)
			}
			totDlSymReq += in.maxDlSymbols
		}
		if in.maxUlBufSize > 0 {
			n, tb := s.amc.MinTbSizeNumSym(in.ulMcs, in.maxUlBufSize+10)
			in.maxUlSymbols, in.maxUlBufSize = n, tb
			if s.cfg.FixedTti {
				in.maxUlSymbols = roundUp(in.maxUlSymbols, s.cfg.SymPerSlot)
			}
			totUlSymReq += in.maxUlSymbols
		}
	}

	start := 0
	if s.nextRnti != 0 {
		if i, ok := slices.BinarySearch(s.active, s.nextRnti); ok {
			start = i
		}
	}
	it := start
	if nFlowsTot > 0 {
		remSym := min(totDlSymReq+totUlSymReq, symAvail)
		nSymPerFlow0 := max(remSym/nFlowsTot, 1)
		if s.cfg.FixedTti {
			nSymPerFlow0 = roundUp(nSymPerFlow0, s.cfg.SymPerSlot)
		}
		allocated := true
		for remSym > 0 && allocated {
			allocated = false
			nRemSymPerFlow := max(remSym/nFlowsTot, 1)
			if s.cfg.FixedTti {
				nRemSymPerFlow = roundUp(nRemSymPerFlow, s.cfg.SymPerSlot)
			}
			for remSym > 0 {
				in := &s.ues[s.active[it]].info
				addSym := 0
				deficit := in.maxDlSymbols - in.dlSymbols
				if s.cfg.FixedTti {
					deficit = roundUp(deficit, s.cfg.SymPerSlot)
				}
				if deficit > 0 && in.dlSymbols+in.dlSymbolsRetx <= nSymPerFlow0 {
					if deficit < nRemSymPerFlow {
						if deficit > remSym {
							addSym = remSym
						} else {
							addSym = deficit
							nFlowsTot--
							extra := cDiv(nRemSymPerFlow-addSym, nFlowsTot)
							nSymPerFlow0 += extra
							nRemSymPerFlow += extra
						}
					} else {
						addSym = min(nRemSymPerFlow, remSym)
					}
					allocated = true
				}
				in.dlSymbols += addSym
				remSym -= addSym

				addSym = 0
				deficit = in.maxUlSymbols - in.ulSymbols
				if s.cfg.FixedTti {
					deficit = roundUp(deficit, s.cfg.SymPerSlot)
					nRemSymPerFlow = roundUp(nRemSymPerFlow, s.cfg.SymPerSlot)
				}
				if remSym > 0 && deficit > 0 && in.ulSymbols+in.ulSymbolsRetx <= nSymPerFlow0 {
					if deficit < nRemSymPerFlow {
						if deficit > remSym {
							addSym = remSym
						} else {
							addSym = deficit
							nFlowsTot--
							extra := cDiv(nRemSymPerFlow-addSym, nFlowsTot)
							nSymPerFlow0 += extra
							nRemSymPerFlow += extra
						}
					} else {
						addSym = min(nRemSymPerFlow, remSym)
						allocated = true
					}
				}
				in.ulSymbols += addSym
				remSym -= addSym

				it++
				if it == len(s.active) {
					it = 0
				}
				if it == start {
					break
				}
			}
		}
	}
	s.nextRnti = s.active[it]

	// DCIs: DL allocations contiguous after the DL control and the
	// retransmissions, UL ones after them (a DL TTI made after an UL one
	// is inserted before the first UL TTI, shifting the UL ones).
	it = start
	for {
		rnti := s.active[it]
		u := &s.ues[rnti]
		in := &u.info
		if in.dlSymbols > 0 {
			s.dlDci(rnti, u, in, &symIdx, out)
		}
		if in.ulSymbols > 0 {
			s.ulDci(rnti, u, in, &symIdx, out)
		}
		it++
		if it == len(s.active) {
			it = 0
		}
		if it == start {
			break
		}
	}
	out.push(TTI{Dir: Uplink, Ctrl: true, DCI: DCI{SymStart: SymbolsPerSlot - 1, NumSym: 1}})
}

// dlDci makes the DL DCI of a UE with new data.
func (s *Scheduler) dlDci(rnti uint16, u *schedUE, in *ueSchedInfo, symIdx *int, out *SlotAlloc) {
	d := DCI{RNTI: rnti, Dir: Downlink, SymStart: *symIdx, NumSym: in.dlSymbols, NewData: true, Mcs: in.dlMcs}
	*symIdx += in.dlSymbols
	d.TbSize = s.amc.TbSize(d.Mcs, d.NumSym)
	d.HarqProcess = s.harqID(u.dlStatus)
	if d.HarqProcess >= s.numHarq {
		// Every process busy: ns3-mmwave would index out of range and
		// abort; netgym leaves the symbols unused.
		return
	}
	if s.cfg.HarqEnabled {
		u.dlDci[d.HarqProcess] = d
		u.dlTimer[d.HarqProcess] = 0
		u.dlRlc[d.HarqProcess] = u.dlRlc[d.HarqProcess][:0]
	}
	// Share the TB between the active LCs: LCs below the average get what
	// they asked for, the others the average of the rest (uint16 in ns-3).
	numLc := len(in.rlcPduInfo)
	bytesRem := d.TbSize
	avg := uint16(bytesRem / uint32(numLc))
	fulfilled := 0
	for _, p := range in.rlcPduInfo {
		if p.size < uint32(avg) {
			bytesRem -= p.size
			fulfilled++
		}
	}
	if fulfilled < numLc {
		avg = uint16(bytesRem / uint32(numLc-fulfilled))
	}
	tti := TTI{Dir: Downlink, DCI: d, rlc: s.rlcScratch[:0]}
	defer func() { s.rlcScratch = tti.rlc[:0] }()
	for i := range in.rlcPduInfo {
		p := &in.rlcPduInfo[i]
		if p.size > uint32(avg) {
			p.size = uint32(avg)
		}
		s.updateDlRlcBufferInfo(rnti, p.lcid, uint16(p.size-schedSubHdrSize))
		tti.rlc = append(tti.rlc, *p)
		if s.cfg.HarqEnabled {
			u.dlRlc[d.HarqProcess] = append(u.dlRlc[d.HarqProcess], *p)
		}
	}
	// Keep the DL TTIs before the UL ones.
	for i := range out.TTIs {
		if out.TTIs[i].Dir != Uplink {
			continue
		}
		tti.DCI.SymStart = out.TTIs[i].DCI.SymStart
		out.insert(i, tti)
		for j := i + 1; j < len(out.TTIs); j++ {
			out.TTIs[j].DCI.SymStart = out.TTIs[j-1].DCI.SymStart + out.TTIs[j-1].DCI.NumSym
		}
		out.NumSymAlloc += d.NumSym
		return
	}
	out.push(tti)
	out.NumSymAlloc += d.NumSym
}

// ulDci makes the UL DCI of a UE with a BSR.
func (s *Scheduler) ulDci(rnti uint16, u *schedUE, in *ueSchedInfo, symIdx *int, out *SlotAlloc) {
	d := DCI{RNTI: rnti, Dir: Uplink, SymStart: *symIdx, NumSym: in.ulSymbols, Mcs: in.ulMcs, NewData: true}
	*symIdx += in.ulSymbols
	d.TbSize = s.amc.TbSize(d.Mcs, d.NumSym)
	d.HarqProcess = s.harqID(u.ulStatus)
	if d.HarqProcess >= s.numHarq {
		return
	}
	s.updateUlRlcBufferInfo(rnti, uint16(d.TbSize-schedSubHdrSize))
	out.push(TTI{Dir: Uplink, DCI: d})
	out.NumSymAlloc += d.NumSym
	key := uint64(out.Slot)<<8 | uint64(d.SymStart)
	s.ulAllocs[key] = ulAllocElem{rnti: rnti, numSym: d.NumSym, tbSize: d.TbSize, slot: out.Slot}
	if s.cfg.HarqEnabled {
		u.ulDci[d.HarqProcess] = d
		u.ulTimer[d.HarqProcess] = 0
	}
}

// pruneUlAllocs forgets allocations of slots before slot: their UL CQI can
// no longer arrive (ns3-mmwave keeps them forever).
func (s *Scheduler) pruneUlAllocs(before int64) {
	for k, a := range s.ulAllocs {
		if a.slot < before {
			delete(s.ulAllocs, k)
		}
	}
}

// markActive adds rnti to the UEs of this slot (ueInfo), keeping them in
// ascending order.
func (s *Scheduler) markActive(rnti uint16) {
	in := &s.ues[rnti].info
	if in.inMap {
		return
	}
	in.inMap = true
	i, _ := slices.BinarySearch(s.active, rnti)
	s.active = slices.Insert(s.active, i, rnti)
}

// roundUp rounds n up to a multiple of m (ceil(n/m)*m).
func roundUp(n, m int) int {
	if n <= 0 {
		return 0
	}
	return (n + m - 1) / m * m
}

// cDiv is C++ integer division (truncation towards zero); a zero divisor,
// which ns-3 would trap on, gives 0.
func cDiv(a, b int) int {
	if b == 0 {
		return 0
	}
	return a / b
}

// retransmit is the HARQ section of DoSchedTriggerReq, the same in the
// round-robin, PF and MaxRate schedulers (mmwave-flex-tti-mac-scheduler.cc,
// mmwave-flex-tti-pf-mac-scheduler.cc and
// mmwave-flex-tti-maxrate-mac-scheduler.cc): with HARQ on, the buffered
// DL feedback in arrival order, then the UL feedback, each NACK
// retransmitted with rv+1 while symbols remain (an ACK or a timed-out
// process frees it, a NACK at rv 3 drops it, a retransmission that does
// not fit waits for the next slot); with HARQ off the DL feedback is
// dropped. It returns the symbols left and the next free symbol.
func (s *Scheduler) retransmit(out *SlotAlloc, symAvail, symIdx int) (int, int) {
	if !s.cfg.HarqEnabled {
		s.dlHarqList = s.dlHarqList[:0]
		// The UL list is never processed nor cleared with HARQ off in
		// ns3-mmwave; dropping it here only spares memory.
		s.ulHarqList = s.ulHarqList[:0]
	} else {
		s.dlUntx = s.dlUntx[:0]
		for i := range s.dlHarqList {
			if symAvail == 0 {
				break
			}
			f := s.dlHarqList[i]
			u := s.ue(f.rnti)
			if u == nil {
				continue
			}
			if f.ok || u.dlStatus[f.proc] == 0 {
				u.dlStatus[f.proc] = 0
				u.dlRlc[f.proc] = u.dlRlc[f.proc][:0]
				continue
			}
			d := u.dlDci[f.proc]
			if d.Rv == 3 { // most retransmissions reached: drop
				u.dlStatus[f.proc] = 0
				u.dlRlc[f.proc] = u.dlRlc[f.proc][:0]
				continue
			}
			if symAvail >= d.NumSym {
				symAvail -= d.NumSym
				d.SymStart = symIdx
				symIdx += d.NumSym
				d.Rv++
				d.NewData = false
				u.dlDci[f.proc] = d
				u.dlStatus[f.proc]++
				out.push(TTI{Dir: Downlink, DCI: d, rlc: u.dlRlc[f.proc]})
				out.NumSymAlloc += d.NumSym
				s.markActive(f.rnti)
				u.info.dlSymbolsRetx = d.NumSym
			} else {
				s.dlUntx = append(s.dlUntx, f)
			}
		}
		s.dlHarqList = append(s.dlHarqList[:0], s.dlUntx...)

		s.ulUntx = s.ulUntx[:0]
		for i := range s.ulHarqList {
			if symAvail == 0 {
				break
			}
			f := s.ulHarqList[i]
			u := s.ue(f.rnti)
			if u == nil {
				continue
			}
			if f.ok || u.ulStatus[f.proc] == 0 {
				u.ulStatus[f.proc] = 0
				continue
			}
			d := u.ulDci[f.proc]
			if d.Rv == 3 {
				u.ulStatus[f.proc] = 0
				continue
			}
			if symAvail >= d.NumSym {
				symAvail -= d.NumSym
				d.SymStart = symIdx
				symIdx += d.NumSym
				d.Rv++
				d.NewData = false
				u.ulStatus[f.proc]++
				u.ulDci[f.proc] = d
				out.push(TTI{Dir: Uplink, DCI: d})
				out.NumSymAlloc += d.NumSym
				s.markActive(f.rnti)
				u.info.ulSymbolsRetx = d.NumSym
			} else {
				s.ulUntx = append(s.ulUntx, f)
			}
		}
		s.ulHarqList = append(s.ulHarqList[:0], s.ulUntx...)
	}

	return symAvail, symIdx
}
