package nr5g

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

// newPolicySched returns a scheduler of type st on NetRL's band (mu 3,
// 100 MHz: 66 RBs, one RB per RBG) with n UEs (RNTIs 1..n), each with the
// default bearer (LCID 3, LCG 2), DL MCS mcs[i] held by a CQI that does
// not expire, and SRS out of the way.
func newPolicySched(t *testing.T, st SchedulerType, alpha float64, mcs ...uint8) *ns3Scheduler {
	t.Helper()
	phy := DefaultPhyConfig()
	phy.Numerology, phy.BandwidthHz = 3, 100e6
	cfg := DefaultSchedulerConfig()
	cfg.Type, cfg.FairnessIndex = st, alpha
	s, err := NewScheduler(sim.New(1, 1), phy, cfg, "test/srs")
	require.NoError(t, err)
	ts := s.(*ns3Scheduler)
	for i, m := range mcs {
		r := uint16(i + 1)
		require.NoError(t, ts.AddUE(r))
		require.NoError(t, ts.ConfigureLC(r, LcConfig{Lcid: 3, Lcg: 2, QCI: 9}))
		u := ts.ue(r)
		u.dlMcs, u.ulMcs = m, m
		u.dlCqiTimer, u.ulCqiTimer = 1<<30, 1<<30
	}
	for _, u := range ts.ues {
		u.srsOffset = 1 << 20 // never
	}
	return ts
}

// slotDl schedules UL then DL slot n (an F slot: 12 DL data symbols
// once the UL control symbol is reserved) with DL buffers of buf bytes,
// feeding the ACKs of the previous slot's blocks, and returns the data
// DCIs.
func slotDl(ts *ns3Scheduler, n uint64, buf uint32) []DCI {
	var ul, dl SlotAlloc
	ts.ScheduleUl(n, SlotF, nil, &ul)
	for _, u := range ts.ues {
		ts.DlBuffer(u.rnti, 3, BufferStatus{TxQueue: buf})
	}
	ts.ScheduleDl(n, SlotF, ts.testAcks, &dl)
	d := dataDcis(&dl)
	ts.testAcks = ts.testAcks[:0]
	for _, x := range d {
		ts.testAcks = append(ts.testAcks, HarqFeedback{RNTI: x.RNTI, HarqID: x.HarqID, OK: true})
	}
	return d
}

func TestParseSchedulerType(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want SchedulerType
	}{
		{"TdmaRR", SchedulerTdmaRR}, {"ns3::NrMacSchedulerTdmaPF", SchedulerTdmaPF}, {"NrMacSchedulerTdmaMR", SchedulerTdmaMR},
		{"ofdma-rr", SchedulerOfdmaRR}, {"OFDMAPF", SchedulerOfdmaPF}, {"ofdma_mr", SchedulerOfdmaMR},
	} {
		got, err := ParseSchedulerType(tc.in)
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
		require.Equal(t, tc.want.Ofdma(), tc.want >= SchedulerOfdmaRR)
	}
	_, err := ParseSchedulerType("TdmaQos")
	require.ErrorContains(t, err, "unknown")
	require.Equal(t, "NrMacSchedulerOfdmaMR", SchedulerOfdmaMR.String())
}

// TestSchedTdmaRRMemory: five backlogged UEs share 12 symbols a slot; the
// round-robin deque carries over, so the two UEs served with 2 symbols in
// one slot come first in the next, and over 5 slots each gets exactly
// 12 symbols (5G-LENA nr-4.1: "schedulers now have memory").
func TestSchedTdmaRRMemory(t *testing.T) {
	ts := newPolicySched(t, SchedulerTdmaRR, 1, 10, 10, 10, 10, 10)
	syms := map[uint16]int{}
	for n := uint64(1); n <= 5; n++ {
		d := slotDl(ts, n, 100000)
		require.Len(t, d, 5)
		got := 0
		for _, x := range d {
			syms[x.RNTI] += int(x.NumSym)
			got += int(x.NumSym)
			require.Contains(t, []uint8{2, 3}, x.NumSym)
		}
		require.Equal(t, 12, got)
	}
	for r := uint16(1); r <= 5; r++ {
		require.Equal(t, 12, syms[r], "RNTI %d", r)
	}
}

// TestSchedTdmaPolicies: three backlogged UEs at MCS 5, 20 and 10 over
// 300 slots. RR gives each 4 symbols a slot; MR gives every symbol to the
// MCS 20 UE; PF with FairnessIndex 1 (classic PF) shares the symbols about
// equally, and with 0 (rate fairness) gives the low-MCS UEs more symbols
// so that the bytes come out about equal.
func TestSchedTdmaPolicies(t *testing.T) {
	run := func(st SchedulerType, alpha float64) (syms, bytes [4]float64) {
		ts := newPolicySched(t, st, alpha, 5, 20, 10)
		for n := uint64(1); n <= 300; n++ {
			for _, x := range slotDl(ts, n, 1000000) {
				syms[x.RNTI] += float64(x.NumSym)
				bytes[x.RNTI] += float64(x.TBS)
			}
		}
		return syms, bytes
	}
	syms, _ := run(SchedulerTdmaRR, 1)
	require.Equal(t, [4]float64{0, 1200, 1200, 1200}, syms)
	syms, _ = run(SchedulerTdmaMR, 1)
	require.Equal(t, [4]float64{0, 0, 3600, 0}, syms)
	syms, _ = run(SchedulerTdmaPF, 1)
	for r := 1; r <= 3; r++ {
		require.InDelta(t, 1200, syms[r], 0.1*1200, "PF alpha 1: symbols of RNTI %d", r)
	}
	syms, bytes := run(SchedulerTdmaPF, 0)
	mean := (bytes[1] + bytes[2] + bytes[3]) / 3
	for r := 1; r <= 3; r++ {
		require.InDelta(t, mean, bytes[r], 0.1*mean, "PF alpha 0: bytes of RNTI %d", r)
	}
	require.Greater(t, syms[1], syms[3])
	require.Greater(t, syms[3], syms[2])
}

// TestSchedOfdmaDl: OFDMA gives the beam all 12 symbols and deals the 66
// RBGs to the three UEs (22 each, disjoint); DCIs span the beam's
// symbols. Two beams share the symbols by their buffered bytes (1:3 gives
// 3 and 9 symbols), each beam's blocks after the previous beam's, beams
// in the order of 5G-LENA's UE map (RNTI 2 before RNTI 1, see ueMapOrder).
func TestSchedOfdmaDl(t *testing.T) {
	ts := newPolicySched(t, SchedulerOfdmaRR, 1, 10, 10, 10)
	d := slotDl(ts, 1, 100000)
	require.Len(t, d, 3)
	union := make(RbgMask, 2)
	for _, x := range d {
		require.Equal(t, uint8(1), x.SymStart)
		require.Equal(t, uint8(12), x.NumSym)
		require.Equal(t, 22, x.Mask.Count())
		for w := range x.Mask {
			require.Zero(t, union[w]&x.Mask[w], "overlapping RBGs")
			union[w] |= x.Mask[w]
		}
		tbs, _ := ts.dlAmc.CalculateTbSize(10, 1, 22*12)
		require.Equal(t, tbs, x.TBS)
	}
	require.Equal(t, 66, union.Count())

	ts = newPolicySched(t, SchedulerOfdmaRR, 1, 10, 10)
	ts.SetBeam(2, 7)
	var ul, dl SlotAlloc
	ts.ScheduleUl(1, SlotF, nil, &ul)
	ts.DlBuffer(1, 3, BufferStatus{TxQueue: 10000})
	ts.DlBuffer(2, 3, BufferStatus{TxQueue: 30000})
	ts.ScheduleDl(1, SlotF, nil, &dl)
	d = dataDcis(&dl)
	require.Len(t, d, 2)
	require.Equal(t, DCI{RNTI: 2, SymStart: 1, NumSym: 9}, DCI{RNTI: d[0].RNTI, SymStart: d[0].SymStart, NumSym: d[0].NumSym})
	require.Equal(t, DCI{RNTI: 1, SymStart: 10, NumSym: 3}, DCI{RNTI: d[1].RNTI, SymStart: d[1].SymStart, NumSym: d[1].NumSym})
	info, _ := ts.UEInfo(2)
	require.Equal(t, uint64(7), info.Beam)
}

// TestSchedOfdmaReaping: 40 UEs at MCS 0 cannot all get a block of 10
// bytes from 66 RBGs (one RBG over 12 symbols carries 2); UEs under 10
// bytes give their RBGs back until every remaining block reaches 10 bytes
// (5 RBGs: 10 bytes), so 13 UEs are served, one of them with the 66th RBG.
func TestSchedOfdmaReaping(t *testing.T) {
	mcs := make([]uint8, 40)
	ts := newPolicySched(t, SchedulerOfdmaRR, 1, mcs...)
	d := slotDl(ts, 1, 100000)
	rbgs := 0
	for _, x := range d {
		require.GreaterOrEqual(t, x.TBS, uint32(10))
		rbgs += x.Mask.Count()
	}
	require.Len(t, d, 13)
	require.Equal(t, 66, rbgs)
	one, _ := ts.dlAmc.CalculateTbSize(0, 1, 12)
	five, _ := ts.dlAmc.CalculateTbSize(0, 1, 5*12)
	require.Equal(t, []uint32{2, 10}, []uint32{one, five})
}

// TestSchedOfdmaUl: UL OFDMA deals the RBGs of the 12 UL data symbols of
// an F slot to the UEs with buffers (22 each), every block on symbols
// 1..12.
func TestSchedOfdmaUl(t *testing.T) {
	for _, st := range []SchedulerType{SchedulerOfdmaRR, SchedulerOfdmaPF, SchedulerOfdmaMR} {
		ts := newPolicySched(t, st, 1, 10, 10, 10)
		for _, u := range ts.ues {
			ts.UlBsr(u.rnti, [NumLcgs]uint8{2: 20})
		}
		var ul SlotAlloc
		ts.ScheduleUl(1, SlotF, nil, &ul)
		d := dataDcis(&ul)
		require.Len(t, d, 3, "%v", st)
		for _, x := range d {
			require.Equal(t, uint8(1), x.SymStart, "%v", st)
			require.Equal(t, uint8(12), x.NumSym, "%v", st)
			require.Equal(t, 22, x.Mask.Count(), "%v", st)
		}
	}
}

// TestSchedDlHarqBeams: DL retransmissions are placed beam by beam, and
// 5G-LENA subtracts a beam's retransmission symbols twice from what is
// available: two beams retransmit 2-symbol blocks in one slot (12 -> 8 ->
// 4 left), but after a 6-symbol retransmission in one beam the other
// beam's 6-symbol one waits although 6 symbols are free. In one beam a
// TDMA block takes every RBG, so one retransmission per slot.
func TestSchedDlHarqBeams(t *testing.T) {
	for _, tc := range []struct {
		beam2     uint64
		buf       uint32
		sym, retx int
	}{{1, 200, 2, 2}, {1, 600, 6, 1}, {0, 200, 2, 1}} {
		ts := newPolicySched(t, SchedulerTdmaRR, 1, 10, 10)
		ts.SetBeam(2, tc.beam2)
		var ul, dl SlotAlloc
		ts.ScheduleUl(1, SlotF, nil, &ul)
		ts.DlBuffer(1, 3, BufferStatus{TxQueue: tc.buf})
		ts.DlBuffer(2, 3, BufferStatus{TxQueue: tc.buf})
		ts.ScheduleDl(1, SlotF, nil, &dl)
		d := dataDcis(&dl)
		require.Len(t, d, 2, "%+v", tc)
		require.Equal(t, []uint8{uint8(tc.sym), uint8(tc.sym)}, []uint8{d[0].NumSym, d[1].NumSym}, "%+v", tc)
		ts.DlBuffer(1, 3, BufferStatus{})
		ts.DlBuffer(2, 3, BufferStatus{})
		fb := []HarqFeedback{{RNTI: 1, HarqID: d[0].HarqID}, {RNTI: 2, HarqID: d[1].HarqID}}
		ts.ScheduleUl(2, SlotF, nil, &ul)
		ts.ScheduleDl(2, SlotF, fb, &dl)
		r := dataDcis(&dl)
		require.Len(t, r, tc.retx, "%+v", tc)
		for i, x := range r {
			require.Equal(t, uint8(1), x.RV)
			require.Equal(t, uint8(1+i*tc.sym), x.SymStart)
		}
		require.Len(t, ts.dlHarqRetx, 2-tc.retx, "%+v", tc)
	}
}

// TestSchedMsg3: a RACH request gets a Msg3 grant in the next UL slot:
// the fewest whole symbols whose block at MCS 0 holds 144 bits (two
// symbols of 66 RBs: 26 bytes; one gives 11), before any data.
func TestSchedMsg3(t *testing.T) {
	ts := newPolicySched(t, SchedulerTdmaRR, 1, 10)
	ts.RachRequest(1)
	var ul SlotAlloc
	ts.ScheduleUl(1, SlotF, nil, &ul)
	var m []DCI
	for _, v := range ul.Vars {
		if v.Type == AllocMsg3 {
			m = append(m, v.DCI)
		}
	}
	tbs, _ := ts.ulAmc.CalculateTbSize(0, 1, 2*66)
	require.Equal(t, []DCI{{RNTI: 1, Dir: Uplink, Type: AllocMsg3, SymStart: 11, NumSym: 2, Rank: 1, TBS: tbs, NDI: true,
		Mask: ts.allMask}}, m)
	require.Equal(t, uint32(26), tbs)
	require.GreaterOrEqual(t, tbs*8, uint32(msg3Bits))
	ts.ScheduleUl(2, SlotF, nil, &ul)
	for _, v := range ul.Vars {
		require.NotEqual(t, AllocMsg3, v.Type)
	}
}
