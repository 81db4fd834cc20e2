package mmwave

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// schedRun drives a scheduler slot after slot with UEs whose RLC reports
// the given DL queue before every trigger (an RLC whose buffer never
// empties) at a fixed wideband CQI, and sums what each UE got.
type schedRun struct {
	s     *Scheduler
	cqis  []int    // DL CQI of RNTI i+1
	queue []uint32 // DL queue of RNTI i+1, reported before every slot
	sym   []int    // DL symbols of new data, by RNTI
	bytes []int    // DL TB bytes of new data, by RNTI
	slot  int64
	a     SlotAlloc
}

func newSchedRun(t *testing.T, kind SchedulerKind, cqis []int, queue []uint32) *schedRun {
	t.Helper()
	// HARQ off: no feedback comes, and with HARQ on the 20 processes of a
	// UE would all wait for their timeout.
	s := newTestScheduler(t, func(c *SchedulerConfig) { c.Kind, c.HarqEnabled = kind, false })
	r := &schedRun{s: s, cqis: cqis, queue: queue, sym: make([]int, len(cqis)+1), bytes: make([]int, len(cqis)+1)}
	for i := range cqis {
		s.AddUE(uint16(i + 1))
	}
	return r
}

// run triggers n slots and returns the last slot's data TTIs.
func (r *schedRun) run(n int) []TTI {
	for range n {
		for i, c := range r.cqis {
			rnti := uint16(i + 1)
			r.s.DlCqi(rnti, c)
			if r.queue[i] > 0 {
				r.s.DlRlcBufferReq(rlcBufferReq{rnti: rnti, lcid: 3, txQueue: r.queue[i]})
			}
		}
		r.s.Trigger(r.slot, &r.a)
		r.slot++
		for _, t := range r.a.TTIs {
			if !t.Ctrl && t.Dir == Downlink && t.DCI.NewData {
				r.sym[t.DCI.RNTI] += t.DCI.NumSym
				r.bytes[t.DCI.RNTI] += int(t.DCI.TbSize)
			}
		}
	}
	return data(&r.a)
}

// TestRateSchedulersSaturated: three UEs at CQI 15, 9 and 4 (MCS 28, 15
// and 4: 2126, 915 and 228 bytes a symbol) with queues that never empty,
// for 4000 slots (1 s). Round robin gives each flow 4 symbols of every
// slot. PF gives each UE a third of the symbols too, but a slot mostly to
// one UE, and each UE's throughput is proportional to its rate per
// symbol. MaxRate gives every symbol to the CQI-15 UE and starves the
// others.
func TestRateSchedulersSaturated(t *testing.T) {
	const slots = 4000
	tests := []struct {
		kind      SchedulerKind
		sym       []int // symbols of RNTI 1, 2, 3
		oneUeSlot int   // slots in the last 1000 given to a single UE
	}{
		{FlexTtiRR, []int{16000, 16000, 16000}, 0},
		{FlexTtiPF, []int{16005, 16047, 15948}, 988},
		{FlexTtiMaxRate, []int{48000, 0, 0}, 1000},
	}
	for _, tc := range tests {
		t.Run(tc.kind.Flag(), func(t *testing.T) {
			r := newSchedRun(t, tc.kind, []int{15, 9, 4}, []uint32{50000, 50000, 50000})
			r.run(slots - 1000)
			one := 0
			for range 1000 {
				if d := r.run(1); len(d) == 1 {
					require.Equal(t, 12, d[0].DCI.NumSym)
					one++
				}
			}
			require.Equal(t, tc.sym, r.sym[1:])
			require.Equal(t, tc.oneUeSlot, one)
			if tc.kind == FlexTtiMaxRate {
				require.Equal(t, slots*25523, r.bytes[1], "a full 12-symbol MCS-28 TB every slot")
				return
			}
			// Equal time shares within 0.5%, so each UE's throughput is in
			// proportion to its bytes per symbol.
			perSym := []float64{2126.9, 915, 228.5}
			for i, n := range r.sym[1:] {
				require.InEpsilon(t, slots*12/3, n, 0.005, "RNTI %d", i+1)
				require.InEpsilon(t, perSym[i], float64(r.bytes[i+1])/float64(n), 0.005, "RNTI %d", i+1)
			}
		})
	}
}

// TestMaxRateBuckets: MaxRate serves the highest MCS first, what is left
// going down the MCSs; UEs of one MCS take one symbol each in RNTI order,
// round after round, starting again from the lowest RNTI every slot (no
// rotation: the low RNTIs keep the odd symbols).
func TestMaxRateBuckets(t *testing.T) {
	tests := []struct {
		name  string
		cqis  []int
		queue []uint32
		want  []int // symbols of RNTI 1.. in the slot
	}{
		// 1232 bytes fit one MCS-28 symbol; the CQI-9 UE takes the other 11.
		{"near UE small", []int{15, 9, 4}, []uint32{1232, 50000, 50000}, []int{1, 11, 0}},
		{"near UE idle", []int{15, 9, 4}, []uint32{0, 50000, 50000}, []int{0, 12, 0}},
		{"same MCS two", []int{9, 9}, []uint32{50000, 50000}, []int{6, 6}},
		{"same MCS five", []int{9, 9, 9, 9, 9}, []uint32{50000, 50000, 50000, 50000, 50000}, []int{3, 3, 2, 2, 2}},
		{"same MCS then lower", []int{4, 9, 9}, []uint32{50000, 1232, 1232}, []int{8, 2, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newSchedRun(t, FlexTtiMaxRate, tc.cqis, tc.queue)
			for slot := range 3 {
				clear(r.sym)
				r.run(1)
				require.Equal(t, tc.want, r.sym[1:], "slot %d", slot)
			}
		})
	}
}

// TestMaxRateRanksBothMcs: MaxRate ranks a UE at its DL MCS and at its UL
// MCS, and wherever it is reached first it takes symbols for either
// direction: a CQI-15 UE with no DL data but a 500-byte BSR (UL MCS 0
// before any UL CQI, 89 bytes a symbol) gets its 6 UL symbols ahead of a
// CQI-9 UE's DL data.
func TestMaxRateRanksBothMcs(t *testing.T) {
	r := newSchedRun(t, FlexTtiMaxRate, []int{15, 9}, []uint32{0, 50000})
	r.s.Bsr(1, 500)
	d := r.run(1)
	require.Len(t, d, 2)
	require.Equal(t, Downlink, d[0].Dir)
	require.Equal(t, DCI{RNTI: 2, Dir: Downlink, SymStart: 1, NumSym: 6, Mcs: 15, TbSize: r.s.amc.TbSize(15, 6), NewData: true, HarqProcess: 0}, d[0].DCI)
	require.Equal(t, DCI{RNTI: 1, Dir: Uplink, SymStart: 7, NumSym: 6, Mcs: 0, TbSize: 547, NewData: true, HarqProcess: 1}, d[1].DCI)
	require.Zero(t, r.s.ue(1).bsr, "the grant covers the BSR")
}

// TestRateSchedulersUplink: a UE with DL and UL demand keeps to the
// direction of its last symbol (m_allocUlLast, kept from slot to slot)
// until that direction's demand is met, then takes the other: while its
// DL queue never empties it gets no UL symbol; once its DL demand fits one
// symbol, UL takes the other 11, and the next slot starts with UL again,
// its DL waiting. The DL TTI is laid out before the UL one. PF adds 7
// bytes of headers to the BSR, MaxRate does not.
func TestRateSchedulersUplink(t *testing.T) {
	type tti struct {
		dir            Direction
		start, numSyms int
	}
	for _, kind := range []SchedulerKind{FlexTtiPF, FlexTtiMaxRate} {
		t.Run(kind.Flag(), func(t *testing.T) {
			r := newSchedRun(t, kind, []int{15}, []uint32{50000})
			r.s.Bsr(1, 50000)
			for _, tc := range []struct {
				queue uint32
				want  []tti
				ulEnd bool // allocUlLast after the slot
			}{
				{50000, []tti{{Downlink, 1, 12}}, false},
				{1232, []tti{{Downlink, 1, 1}, {Uplink, 2, 11}}, true},
				{1232, []tti{{Uplink, 1, 12}}, true},
			} {
				r.queue[0] = tc.queue
				var got []tti
				for _, x := range r.run(1) {
					got = append(got, tti{x.Dir, x.DCI.SymStart, x.DCI.NumSym})
				}
				require.Equal(t, tc.want, got)
				require.Equal(t, tc.ulEnd, r.s.ue(1).allocUlLast)
			}
			// A BSR of 83 bytes fits one MCS-0 symbol (88 bytes) in MaxRate
			// but not with PF's 7 bytes of headers; the DL demand left
			// from the slot before comes after it.
			r.queue[0] = 0
			r.s.Bsr(1, 83)
			d := r.run(1)
			want := map[SchedulerKind]int{FlexTtiPF: 2, FlexTtiMaxRate: 1}[kind]
			require.Len(t, d, 2)
			require.Equal(t, Downlink, d[0].Dir)
			require.Equal(t, 1, d[0].DCI.NumSym)
			require.Equal(t, Uplink, d[1].Dir)
			require.Equal(t, want, d[1].DCI.NumSym)
			require.Equal(t, uint32(88), r.s.amc.TbSize(0, 1))
			require.Equal(t, r.s.amc.TbSize(0, want), d[1].DCI.TbSize)
		})
	}
}

// TestPfAverage: PF's average throughput is an exponential average over
// 99 slots of the new-data TB bytes per second: a lone UE taking a full
// MCS-28 slot (25523 bytes) every 250 us reaches 1 - (98/99)^n of
// 102.092 MB/s after n slots, and its DL average decays the same way once
// it has nothing to send.
func TestPfAverage(t *testing.T) {
	r := newSchedRun(t, FlexTtiPF, []int{15}, []uint32{50000})
	full := 25523 / 250e-6
	for _, n := range []int{1, 98, 901} {
		r.run(n)
	}
	for _, tc := range []struct{ slots, idle int }{{1000, 0}, {1000, 99}} {
		if tc.idle > 0 {
			r.queue[0] = 0
			r.s.rlcReqs[0].txQueue = 0
			r.run(tc.idle)
		}
		want := full * (1 - math.Pow(98.0/99, float64(tc.slots))) * math.Pow(98.0/99, float64(tc.idle))
		require.InEpsilon(t, want, r.s.ue(1).avgDl, 1e-12)
		require.Zero(t, r.s.ue(1).avgUl)
	}
	require.InDelta(t, 102.092e6*(1-math.Pow(98.0/99, 1000))*math.Pow(98.0/99, 99), r.s.ue(1).avgDl, 1)
}

// TestPfNewcomerFirst: two backlogged UEs share the slots; a third whose
// average is 0 (no data so far) takes the first slot after its data
// arrives whole, whatever its rate, then the three share the slots, within
// 2.2% of a third each over the next 3000 slots.
func TestPfNewcomerFirst(t *testing.T) {
	r := newSchedRun(t, FlexTtiPF, []int{15, 15, 4}, []uint32{50000, 50000, 0})
	r.run(400)
	require.Zero(t, r.sym[3])
	r.queue[2] = 50000
	d := r.run(1)
	require.Len(t, d, 1)
	require.Equal(t, uint16(3), d[0].DCI.RNTI)
	require.Equal(t, 12, d[0].DCI.NumSym)
	clear(r.sym)
	r.run(3000)
	require.Equal(t, []int{11856, 11883, 12261}, r.sym[1:], "the newcomer a little ahead while its average catches up")
}

// TestRateSchedulersHarqFirst: with HARQ on, the PF and MaxRate schedulers
// retransmit NACKed transport blocks first, as the round-robin one does:
// the CQI-4 UE's TB goes again at the start of the slot (rv 1, its
// symbols and TB size kept), ahead of a CQI-15 UE whose queue never
// empties and which takes what is left; MaxRate gives the CQI-4 UE no new
// data. An ACK frees the process and nothing is sent again.
func TestRateSchedulersHarqFirst(t *testing.T) {
	for _, kind := range []SchedulerKind{FlexTtiRR, FlexTtiPF, FlexTtiMaxRate} {
		t.Run(kind.Flag(), func(t *testing.T) {
			s := newTestScheduler(t, func(c *SchedulerConfig) { c.Kind = kind })
			s.AddUE(1)
			s.AddUE(2)
			s.DlCqi(1, 15)
			s.DlCqi(2, 4)
			s.DlRlcBufferReq(rlcBufferReq{rnti: 2, lcid: 3, txQueue: 1232})
			var a SlotAlloc
			s.Trigger(0, &a)
			d := data(&a)
			require.Len(t, d, 1)
			first, firstRlc := d[0].DCI, slices.Clone(d[0].rlc)
			require.Equal(t, uint16(2), first.RNTI)
			require.Equal(t, 4, first.Mcs)
			require.Equal(t, 6, first.NumSym)
			require.Equal(t, 0, first.HarqProcess)

			s.dlHarqFeedback(dlFeedbackOrUl{rnti: 2, proc: 0})
			s.DlRlcBufferReq(rlcBufferReq{rnti: 1, lcid: 3, txQueue: 50000})
			s.Trigger(1, &a)
			d = data(&a)
			require.Len(t, d, 2)
			re := first
			re.Rv, re.NewData = 1, false
			require.Equal(t, re, d[0].DCI, "the retransmission first")
			require.Equal(t, uint16(1), d[1].DCI.RNTI)
			require.Equal(t, 7, d[1].DCI.SymStart)
			require.Equal(t, 6, d[1].DCI.NumSym, "the CQI-15 UE takes the 6 symbols left")
			require.Equal(t, firstRlc, d[0].rlc, "the first transmission's RLC PDUs")

			s.dlHarqFeedback(dlFeedbackOrUl{rnti: 2, proc: 0, ok: true})
			s.DlRlcBufferReq(rlcBufferReq{rnti: 1, lcid: 3, txQueue: 50000})
			s.Trigger(2, &a)
			d = data(&a)
			require.Len(t, d, 1)
			require.Equal(t, uint16(1), d[0].DCI.RNTI)
			require.True(t, d[0].DCI.NewData)
			require.Zero(t, s.ue(2).dlStatus[0])
		})
	}
}
