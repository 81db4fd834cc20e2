package mmwave

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func newTestScheduler(t *testing.T, mod func(*SchedulerConfig)) *Scheduler {
	t.Helper()
	cfg := DefaultSchedulerConfig()
	if mod != nil {
		mod(&cfg)
	}
	return newScheduler(cfg, newTestAmc(t), DefaultPhyMacConfig())
}

// data returns the data TTIs of a.
func data(a *SlotAlloc) []TTI {
	var out []TTI
	for _, t := range a.TTIs {
		if !t.Ctrl {
			out = append(out, t)
		}
	}
	return out
}

func TestSchedulerIdle(t *testing.T) {
	s := newTestScheduler(t, nil)
	var a SlotAlloc
	s.Trigger(7, &a)
	require.Equal(t, int64(7), a.Slot)
	require.Len(t, a.TTIs, 2)
	require.True(t, a.TTIs[0].Ctrl)
	require.Equal(t, Downlink, a.TTIs[0].Dir)
	require.True(t, a.TTIs[1].Ctrl)
	require.Equal(t, Uplink, a.TTIs[1].Dir)
	require.Equal(t, 13, a.TTIs[1].DCI.SymStart)
}

// TestSchedulerDlSingle: one 1200-byte datagram (1232 bytes reported by
// RLC UM LowLat) at CQI 15: MCS 28, the RLC PDU info the report plus 17
// bytes (RLC 3 + subheader 4 + 10), one symbol, a TB of 2126 bytes; the
// scheduler's copy of the queue drops to 0.
func TestSchedulerDlSingle(t *testing.T) {
	s := newTestScheduler(t, nil)
	s.AddUE(1)
	s.DlRlcBufferReq(rlcBufferReq{rnti: 1, lcid: 3, txQueue: 1232})
	s.DlCqi(1, 15)
	var a SlotAlloc
	s.Trigger(2, &a)
	d := data(&a)
	require.Len(t, d, 1)
	require.Equal(t, DCI{RNTI: 1, Dir: Downlink, SymStart: 1, NumSym: 1, Mcs: 28, TbSize: 2126, NewData: true}, d[0].DCI)
	require.Equal(t, []rlcPduInfo{{lcid: 3, size: 1249}}, d[0].rlc)
	require.Zero(t, s.rlcReqs[0].txQueue)
	// Without a CQI report a new LC starts at CQI 1: MCS 0.
	s2 := newTestScheduler(t, nil)
	s2.AddUE(1)
	s2.DlRlcBufferReq(rlcBufferReq{rnti: 1, lcid: 3, txQueue: 100})
	s2.Trigger(2, &a)
	require.Equal(t, 0, data(&a)[0].DCI.Mcs)
	// CQI 0 (out of range): no DL allocation.
	s2.DlRlcBufferReq(rlcBufferReq{rnti: 1, lcid: 3, txQueue: 100})
	s2.DlCqi(1, 0)
	s2.Trigger(3, &a)
	require.Empty(t, data(&a))
}

// TestSchedulerRoundRobin: two UEs with full buffers share the 12 data
// symbols equally, and the next slot starts with the UE after the one
// where this one left off.
func TestSchedulerRoundRobin(t *testing.T) {
	s := newTestScheduler(t, nil)
	for r := uint16(1); r <= 2; r++ {
		s.AddUE(r)
		s.DlCqi(r, 15)
	}
	var a SlotAlloc
	for slot := int64(2); slot < 4; slot++ {
		s.DlRlcBufferReq(rlcBufferReq{rnti: 1, lcid: 3, txQueue: 50000})
		s.DlRlcBufferReq(rlcBufferReq{rnti: 2, lcid: 3, txQueue: 50000})
		s.Trigger(slot, &a)
		d := data(&a)
		require.Len(t, d, 2)
		require.Equal(t, 6, d[0].DCI.NumSym)
		require.Equal(t, 6, d[1].DCI.NumSym)
		require.Equal(t, 1, d[0].DCI.SymStart)
		require.Equal(t, 7, d[1].DCI.SymStart)
		require.Equal(t, uint16(1), d[0].DCI.RNTI, "slot %d", slot)
	}
	// Ten UEs, each needing one symbol at MCS 28, and a backlogged one:
	// every flow gets one symbol first, the rest goes round the flows.
	s = newTestScheduler(t, nil)
	for r := uint16(1); r <= 11; r++ {
		s.AddUE(r)
		s.DlCqi(r, 15)
		q := uint32(1232)
		if r == 11 {
			q = 50000
		}
		s.DlRlcBufferReq(rlcBufferReq{rnti: r, lcid: 3, txQueue: q})
	}
	s.Trigger(2, &a)
	d := data(&a)
	total := 0
	for _, x := range d {
		total += x.DCI.NumSym
	}
	require.Equal(t, 12, total)
	require.Len(t, d, 11)
	require.Equal(t, 2, d[10].DCI.NumSym, "the backlogged UE takes the symbol left")
}

// TestSchedulerUplink: a BSR of level 16 (107 bytes) before any UL CQI is
// granted at MCS 0: 107+3+8 bytes plus 10 need 2 symbols (180 bytes); the
// BSR is then used up.
func TestSchedulerUplink(t *testing.T) {
	s := newTestScheduler(t, nil)
	s.AddUE(1)
	s.Bsr(1, bsrLevels[bsrLevel(96)])
	require.Equal(t, uint32(107), s.ue(1).bsr)
	var a SlotAlloc
	s.Trigger(4, &a)
	d := data(&a)
	require.Len(t, d, 1)
	require.Equal(t, DCI{RNTI: 1, Dir: Uplink, SymStart: 1, NumSym: 2, Mcs: 0, TbSize: 180, NewData: true}, d[0].DCI)
	require.Zero(t, s.ue(1).bsr)
	s.Trigger(5, &a)
	require.Empty(t, data(&a))
	// The UL CQI of that TB sets the UL MCS of the next grant.
	hi := make([]float64, 278)
	for i := range hi {
		hi[i] = db(30)
	}
	s.UlCqi(4, 1, hi)
	s.Bsr(1, 107)
	s.Trigger(6, &a)
	require.Equal(t, 28, data(&a)[0].DCI.Mcs)
	require.Equal(t, 1, data(&a)[0].DCI.NumSym)
}

// TestSchedulerUlShiftQuirk: a DL allocation made after an UL one is
// inserted before it, shifting the UL TTI; the UL CQI, looked up by the
// UL TTI's original start symbol, is then not found, as in ns3-mmwave.
func TestSchedulerUlShiftQuirk(t *testing.T) {
	s := newTestScheduler(t, nil)
	for r := uint16(1); r <= 2; r++ {
		s.AddUE(r)
		s.DlCqi(r, 15)
	}
	s.Bsr(1, 107)
	s.DlRlcBufferReq(rlcBufferReq{rnti: 2, lcid: 3, txQueue: 1232})
	var a SlotAlloc
	s.Trigger(9, &a)
	d := data(&a)
	require.Len(t, d, 2)
	require.Equal(t, Downlink, d[0].Dir)
	require.Equal(t, uint16(2), d[0].DCI.RNTI)
	require.Equal(t, 1, d[0].DCI.SymStart)
	require.Equal(t, Uplink, d[1].Dir)
	require.Equal(t, 2, d[1].DCI.SymStart, "shifted by the DL TTI")
	hi := make([]float64, 278)
	for i := range hi {
		hi[i] = db(30)
	}
	s.UlCqi(9, 2, hi) // the shifted start: not found
	require.False(t, s.ue(1).ul.valid)
	s.UlCqi(9, 1, hi) // the start it was scheduled with
	require.True(t, s.ue(1).ul.valid)
}

// TestSchedulerHarq: a NACK gets the TB again with rv+1 (before new data),
// the fourth transmission's NACK drops it, an ACK frees the process, and a
// NACK reported twice (ns3-mmwave's UE sends each DL feedback twice) is
// retransmitted twice when the symbols allow.
func TestSchedulerHarq(t *testing.T) {
	s := newTestScheduler(t, nil)
	s.AddUE(1)
	s.DlCqi(1, 15)
	s.DlRlcBufferReq(rlcBufferReq{rnti: 1, lcid: 3, txQueue: 1232})
	var a SlotAlloc
	s.Trigger(2, &a)
	first := data(&a)[0].DCI
	require.Equal(t, 0, first.HarqProcess)
	for rv := 1; rv <= 3; rv++ {
		s.dlHarqFeedback(dlFeedbackOrUl{rnti: 1, proc: 0})
		s.Trigger(int64(2+rv), &a)
		d := data(&a)
		require.Len(t, d, 1)
		require.False(t, d[0].DCI.NewData)
		require.Equal(t, rv, d[0].DCI.Rv)
		require.Equal(t, first.TbSize, d[0].DCI.TbSize)
	}
	s.dlHarqFeedback(dlFeedbackOrUl{rnti: 1, proc: 0}) // NACK at rv 3: dropped
	s.Trigger(6, &a)
	require.Empty(t, data(&a))
	require.Zero(t, s.ue(1).dlStatus[0])

	s.DlRlcBufferReq(rlcBufferReq{rnti: 1, lcid: 3, txQueue: 1232})
	s.Trigger(7, &a)
	require.Equal(t, 0, data(&a)[0].DCI.HarqProcess)
	f := dlFeedbackOrUl{rnti: 1, proc: 0}
	s.dlHarqFeedback(f)
	s.dlHarqFeedback(f)
	s.Trigger(8, &a)
	d := data(&a)
	require.Len(t, d, 2)
	require.Equal(t, 1, d[0].DCI.Rv)
	require.Equal(t, 2, d[1].DCI.Rv)
	s.dlHarqFeedback(dlFeedbackOrUl{rnti: 1, proc: 0, ok: true})
	s.Trigger(9, &a)
	require.Zero(t, s.ue(1).dlStatus[0])
}

// TestSchedulerHarqOff: without HARQ the process ids go round-robin over
// 20, shared by DL and UL, and feedback is ignored.
func TestSchedulerHarqOff(t *testing.T) {
	s := newTestScheduler(t, func(c *SchedulerConfig) { c.HarqEnabled = false })
	s.AddUE(1)
	s.DlCqi(1, 15)
	var a SlotAlloc
	var ids []int
	for slot := int64(2); slot < 5; slot++ {
		s.DlRlcBufferReq(rlcBufferReq{rnti: 1, lcid: 3, txQueue: 100})
		s.Bsr(1, 100)
		s.dlHarqFeedback(dlFeedbackOrUl{rnti: 1, proc: 0})
		s.Trigger(slot, &a)
		for _, x := range data(&a) {
			require.True(t, x.DCI.NewData)
			ids = append(ids, x.DCI.HarqProcess)
		}
	}
	require.Equal(t, []int{0, 1, 2, 3, 4, 5}, ids)
}

// TestSchedulerTimers: a DL CQI survives CqiTimerThreshold triggers (the
// timer counts down to zero, RefreshDlCqiMaps erases it at zero); a
// HARQ process is freed HarqTimeout slots after its first transmission.
func TestSchedulerTimers(t *testing.T) {
	s := newTestScheduler(t, func(c *SchedulerConfig) { c.CqiTimerThreshold = 3 })
	s.AddUE(1)
	s.DlCqi(1, 15)
	var a SlotAlloc
	for i := range 3 {
		s.Trigger(int64(i), &a)
		require.True(t, s.ue(1).dlCqiValid, "trigger %d", i)
	}
	s.Trigger(3, &a)
	require.False(t, s.ue(1).dlCqiValid)

	s = newTestScheduler(t, nil)
	s.AddUE(1)
	s.DlRlcBufferReq(rlcBufferReq{rnti: 1, lcid: 3, txQueue: 100})
	s.Trigger(0, &a)
	require.Equal(t, uint8(1), s.ue(1).dlStatus[0])
	for i := 1; i <= 20; i++ {
		s.Trigger(int64(i), &a)
	}
	require.Equal(t, uint8(1), s.ue(1).dlStatus[0])
	s.Trigger(21, &a)
	require.Zero(t, s.ue(1).dlStatus[0], "freed after the 20-slot timeout")
}
