package mmwave

import "math"

// pfTimeWindow is MmWaveFlexTtiPfMacScheduler's m_timeWindow: the time
// constant, in slots, of the exponential average of a UE's past throughput
// (set to 99.0 in the constructor, not an attribute; ns-3 LTE's
// PfFfMacScheduler, which the PF scheduler descends from, uses the same
// 99 TTIs).
const pfTimeWindow = 99.0

// pfMinAvg is the floor of the PF metric's denominator
// (std::max(1E-9, ...) in CompareUeWeightsPf).
const pfMinAvg = 1e-9

// triggerRate shares the symbols left after the HARQ retransmissions
// between the UEs' new DL and UL data as MmWaveFlexTtiPfMacScheduler and
// MmWaveFlexTtiMaxRateMacScheduler do (DoSchedTriggerReq in
// mmwave-flex-tti-pf-mac-scheduler.cc and
// mmwave-flex-tti-maxrate-mac-scheduler.cc): one symbol at a time, to the
// UE of highest PF metric (PF) or to the UEs of the highest MCS in turn
// (MaxRate), each symbol to the UE's DL or UL demand (giveSymbol). The DL
// TTIs are laid out before the UL ones, each direction in RNTI order.
//
// Where ns3-mmwave v7.0's two classes carry defects that stop them from
// doing what they are written to do, netgym does what they were written
// to do; docs/mmwave.md lists each difference.
func (s *Scheduler) triggerRate(out *SlotAlloc, symAvail, symIdx int) {
	pf := s.cfg.Kind == FlexTtiPF
	if symAvail > 0 {
		s.rateDemand(pf)
		if pf {
			symAvail = s.allocPF(symAvail)
		} else {
			symAvail = s.allocMaxRate(symAvail)
		}
		// DCIs: every DL one (in RNTI order, before any UL TTI), then every
		// UL one after them.
		for _, r := range s.active {
			u := &s.ues[r]
			if u.info.dlSymbols > 0 {
				s.dlDci(r, u, &u.info, &symIdx, out)
			}
		}
		for _, r := range s.active {
			u := &s.ues[r]
			if u.info.ulSymbols > 0 {
				s.ulDci(r, u, &u.info, &symIdx, out)
			}
		}
	}
	if pf {
		s.updatePfAverages()
	}
	out.push(TTI{Dir: Uplink, Ctrl: true, DCI: DCI{SymStart: SymbolsPerSlot - 1, NumSym: 1}})
}

// rateDemand collects the UEs with new data and their MCSs (the loop over
// m_ueSchedInfoMap that computes the achievable rates). A UE's DL demand
// is the sum of its LCs' queues (status PDUs, retransmissions and new
// data, as the scheduler's copy of the RLC reports holds them), counted
// only when its DL CQI is not 0 (no report counts as CQI 1); PF asks each
// LC for its queue plus the RLC and MAC subheaders (m_subHdrSize +
// m_rlcHdrSize, 7 bytes), MaxRate for the queue alone. A UE's UL demand
// is its BSR (plus the same 7 bytes in PF), counted only when its UL CQI
// is not 0 (no UL CQI yet counts as CQI 1 at MCS 0).
func (s *Scheduler) rateDemand(pf bool) {
	hdr := uint32(0)
	if pf {
		hdr = schedSubHdrSize + schedRlcHdrSize
	}
	for i := range s.rlcReqs {
		r := &s.rlcReqs[i]
		q := r.statusPdu + r.retxQueue + r.txQueue
		if q == 0 {
			continue
		}
		u := s.ue(r.rnti)
		if u == nil || s.dlCqiOf(u) == 0 {
			continue
		}
		s.markActive(r.rnti)
		in := &u.info
		in.maxDlBufSize += q
		in.rlcPduInfo = append(in.rlcPduInfo, rlcPduInfo{lcid: r.lcid, size: q + hdr})
	}
	for rnti := range s.ues {
		u := &s.ues[rnti]
		if !u.present || !u.bsrPresent || u.bsr == 0 {
			continue
		}
		if cqi, _ := s.ulCqiOf(u); cqi == 0 {
			continue
		}
		s.markActive(uint16(rnti))
		u.info.maxUlBufSize = u.bsr + hdr
	}
	for _, r := range s.active {
		u := &s.ues[r]
		in := &u.info
		if cqi := s.dlCqiOf(u); cqi != 0 {
			in.inDl, in.dlMcs = true, s.amc.McsFromCqi(cqi)
		}
		if cqi, mcs := s.ulCqiOf(u); cqi != 0 {
			in.inUl, in.ulMcs = true, mcs
		}
		in.dlDone = in.maxDlBufSize == 0
		in.ulDone = in.maxUlBufSize == 0
		sortByLcid(in.rlcPduInfo)
	}
}

// dlCqiOf is the DL CQI the PF and MaxRate schedulers use: the last
// report while it is valid, else 1 ("lowest value for trying a
// transmission").
func (s *Scheduler) dlCqiOf(u *schedUE) int {
	if u.dlCqiValid {
		return u.dlCqi
	}
	return 1
}

// ulCqiOf is the UL CQI and MCS from the last UL SINR while it is valid,
// else CQI 1 at MCS 0.
func (s *Scheduler) ulCqiOf(u *schedUE) (cqi, mcs int) {
	if u.ul.valid {
		return s.amc.cqiMemo(&u.ulMemo, u.ul.sinr)
	}
	return 1, 0
}

// sortByLcid orders a UE's RLC PDU requests by LCID, as the PF and
// MaxRate schedulers walk a UE's flows (m_flowStatsDl by LCID); an
// insertion sort over a handful of entries.
func sortByLcid(p []rlcPduInfo) {
	for i := 1; i < len(p); i++ {
		for j := i; j > 0 && p[j].lcid < p[j-1].lcid; j-- {
			p[j], p[j-1] = p[j-1], p[j]
		}
	}
}

// giveSymbol gives u one more symbol: to its UL demand when it took a UL
// symbol last (m_allocUlLast, kept from slot to slot) or its DL demand is
// met, else to its DL demand. A direction is met once its TB covers the
// demand.
func (s *Scheduler) giveSymbol(u *schedUE) {
	in := &u.info
	if (u.allocUlLast || in.dlDone) && !in.ulDone {
		in.ulSymbols++
		in.ulTb = s.amc.TbSize(in.ulMcs, in.ulSymbols)
		in.ulDone = in.ulTb >= in.maxUlBufSize
		u.allocUlLast = true
		return
	}
	in.dlSymbols++
	in.dlTb = s.amc.TbSize(in.dlMcs, in.dlSymbols)
	in.dlDone = in.dlTb >= in.maxDlBufSize
	u.allocUlLast = false
}

// allocMaxRate is MaxRate's loop: from the highest MCS down, the UEs
// ranked at that MCS (by their DL MCS and by their UL MCS: a UE may be
// ranked twice, and wherever it is reached first it takes symbols for
// either direction) get one symbol each in RNTI order, round after round,
// until their demand is met or the symbols run out; then the next MCS.
// Each slot starts again from the lowest RNTI of the bucket. It returns
// the symbols left.
func (s *Scheduler) allocMaxRate(symAvail int) int {
	for m := s.amc.MaxMcs(); m >= 0 && symAvail > 0; m-- {
		for allocated := true; allocated && symAvail > 0; {
			allocated = false
			for _, r := range s.active {
				if symAvail == 0 {
					break
				}
				u := &s.ues[r]
				in := &u.info
				if !(in.inDl && in.dlMcs == m) && !(in.inUl && in.ulMcs == m) {
					continue
				}
				if in.dlDone && in.ulDone {
					continue
				}
				s.giveSymbol(u)
				symAvail--
				allocated = true
			}
		}
	}
	return symAvail
}

// allocPF is PF's loop: each symbol goes to the UE of highest metric among
// those with demand left (ties to the lower RNTI), and the metric is
// computed again. It returns the symbols left.
func (s *Scheduler) allocPF(symAvail int) int {
	for symAvail > 0 {
		best, bestM := -1, math.Inf(-1)
		for _, r := range s.active {
			u := &s.ues[r]
			if u.info.dlDone && u.info.ulDone {
				continue
			}
			if m := s.pfMetric(u); m > bestM {
				best, bestM = int(r), m
			}
		}
		if best < 0 {
			break
		}
		s.giveSymbol(&s.ues[best])
		symAvail--
	}
	return symAvail
}

// pfMetric is CompareUeWeightsPf's metric: the UE's achievable rate, the
// larger of its DL and UL ones, over its average throughput including
// what this slot has given it so far. A direction's achievable rate is
// what its TB carries of its demand (min(buffer, TB)), with the TB of one
// symbol before the UE has any; the average is the exponential average
// over pfTimeWindow slots, (1 - 1/W) * past + TB/W (all in bytes per
// second).
func (s *Scheduler) pfMetric(u *schedUE) float64 {
	in := &u.info
	var curDl, curUl uint32
	if in.maxDlBufSize > 0 {
		curDl = min(in.maxDlBufSize, s.amc.TbSize(in.dlMcs, max(in.dlSymbols, 1)))
	}
	if in.maxUlBufSize > 0 {
		curUl = min(in.maxUlBufSize, s.amc.TbSize(in.ulMcs, max(in.ulSymbols, 1)))
	}
	cur := float64(max(curDl, curUl)) / s.slotSeconds
	avg := (1-1/pfTimeWindow)*(u.avgDl+u.avgUl) + float64(in.dlTb+in.ulTb)/s.slotSeconds/pfTimeWindow
	return cur / max(pfMinAvg, avg)
}

// updatePfAverages moves every UE's average throughput one slot on: the
// new-data TB bytes this slot gave it in each direction (0 if none) enter
// the exponential average with weight 1/pfTimeWindow, for every UE and
// every slot, as ns-3 LTE's PfFfMacScheduler updates
// lastAveragedThroughput at every TTI (src/lte/model/pf-ff-mac-scheduler.cc,
// DoSchedDlTriggerReq). ns3-mmwave's PF resets m_avgTputDl/Ul to 0 at the
// end of every trigger instead, and keeps the past only in m_lastAvgTput*,
// set when a direction's demand is met: no memory to speak of.
func (s *Scheduler) updatePfAverages() {
	const keep = 1 - 1/pfTimeWindow
	for i := range s.ues {
		u := &s.ues[i]
		if !u.present {
			continue
		}
		// A UE outside this slot's map has its per-slot info zeroed.
		u.avgDl = keep*u.avgDl + float64(u.info.dlTb)/s.slotSeconds/pfTimeWindow
		u.avgUl = keep*u.avgUl + float64(u.info.ulTb)/s.slotSeconds/pfTimeWindow
	}
}
