package nr5g

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

// newTestSched returns NetRL's cell scheduler (mu 3, 100 MHz: 66 RBs) with
// UE 1 and its channels: SRB1 in LCG 0, the default bearer (LCID 3) and a
// dedicated one (LCID 4) in LCG 2.
func newTestSched(t *testing.T) (*ns3Scheduler, PhyConfig) {
	t.Helper()
	phy := DefaultPhyConfig()
	phy.Numerology, phy.BandwidthHz = 3, 100e6
	s, err := NewScheduler(sim.New(1, 1), phy, DefaultSchedulerConfig(), "test/srs")
	require.NoError(t, err)
	ts := s.(*ns3Scheduler)
	require.NoError(t, ts.AddUE(1))
	require.Error(t, ts.AddUE(1))
	for _, lc := range []LcConfig{{Lcid: 1, Lcg: 0}, {Lcid: 3, Lcg: 2, QCI: 9}, {Lcid: 4, Lcg: 2, QCI: 80}} {
		require.NoError(t, ts.ConfigureLC(1, lc))
	}
	// Keep SRS out of the way: an offset no slot counter of these tests
	// reaches.
	ts.ues[0].srsOffset = 79
	return ts, phy
}

func dataDcis(a *SlotAlloc) []DCI {
	var out []DCI
	for _, v := range a.Vars {
		if v.Type == AllocData {
			out = append(out, v.DCI)
		}
	}
	return out
}

func sinrDb(n int, db float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.Pow(10, db/10)
	}
	return s
}

// TestSchedSrGrant: an SR gives 12 bytes to each UL group (SRB1's LCG 0
// and LCG 2): 24 bytes need two symbols at MCS 0 (TBS 26), placed
// backwards from the last data symbol. Each group keeps 12 bytes after
// the grant (13 bytes each less 2 of RLC header leave 1, rounded up to
// 12), so the UE is granted every slot until its BSR arrives.
func TestSchedSrGrant(t *testing.T) {
	ts, _ := newTestSched(t)
	var out SlotAlloc
	ts.UlSr(1)
	ts.UlSr(1) // merged
	ts.ScheduleUl(10, SlotF, nil, &out)
	d := dataDcis(&out)
	require.Len(t, d, 1)
	require.Equal(t, DCI{RNTI: 1, Dir: Uplink, Type: AllocData, SymStart: 11, NumSym: 2, MCS: 0, Rank: 1, TBS: 26,
		NDI: true, HarqID: 0, Mask: ts.allMask}, d[0])
	require.Equal(t, AllocCtrl, out.Vars[len(out.Vars)-1].Type)
	require.Equal(t, uint8(13), out.Vars[len(out.Vars)-1].SymStart)
	info, _ := ts.UEInfo(1)
	require.Equal(t, uint32(24), info.UlBuffer)
	ts.ScheduleUl(11, SlotF, nil, &out)
	require.Len(t, dataDcis(&out), 1, "phantom 12 bytes per group")
	ts.UlBsr(1, [NumLcgs]uint8{})
	ts.ScheduleUl(12, SlotF, nil, &out)
	require.Empty(t, dataDcis(&out))
	// The DL scheduling of slot 10 leaves the UL symbols alone: 13 - 1 UL
	// control - 2 PUSCH symbols for DL data.
	ts.DlBuffer(1, 4, BufferStatus{TxQueue: 100000})
	ts.ScheduleDl(10, SlotF, nil, &out)
	d = dataDcis(&out)
	require.Len(t, d, 1)
	require.Equal(t, uint8(1), d[0].SymStart)
	require.Equal(t, uint8(10), d[0].NumSym)
}

// TestSchedUlCqi: the PUSCH SINR of an allocation sets the UL MCS through
// the AMC (error-model AMC, LTE-MI: MCS 28 at 30 dB, 10 at 4 dB as NetRL's
// 200 m), and a CQI not renewed within 1 s (8000 slots at mu 3) resets it
// to the starting MCS.
func TestSchedUlCqi(t *testing.T) {
	ts, _ := newTestSched(t)
	var out SlotAlloc
	for _, tc := range []struct {
		db  float64
		mcs uint8
	}{{30, 28}, {4, 10}} {
		ts.UlSr(1)
		ts.ScheduleUl(20, SlotF, nil, &out)
		d := dataDcis(&out)
		require.Len(t, d, 1)
		ts.UlCqi(20, d[0].SymStart, sinrDb(66, tc.db))
		info, _ := ts.UEInfo(1)
		require.Equal(t, tc.mcs, info.UlMcs, "%v dB", tc.db)
		ts.UlBsr(1, [NumLcgs]uint8{})
		ts.ulHarq(t, d[0].HarqID, true)
	}
	// The CQI timer counts 8000 UL triggers (the ulHarq one included),
	// then the next one resets the MCS.
	for range 7999 {
		ts.ScheduleUl(30, SlotUL, nil, &out)
	}
	info, _ := ts.UEInfo(1)
	require.Equal(t, uint8(10), info.UlMcs)
	ts.ScheduleUl(30, SlotUL, nil, &out)
	info, _ = ts.UEInfo(1)
	require.Equal(t, uint8(0), info.UlMcs, "CQI expired")
}

// ulHarq feeds one UL HARQ feedback through an UL trigger.
func (t *ns3Scheduler) ulHarq(tb testing.TB, id uint8, ok bool) {
	var out SlotAlloc
	t.ScheduleUl(40, SlotF, []HarqFeedback{{RNTI: 1, HarqID: id, OK: ok}}, &out)
}

// TestSchedUlHarq: a NACKed UL block is granted again with the same TBS,
// MCS and symbols, redundancy version + 1 and NDI 0, up to 3
// retransmissions; the 4th NACK drops it.
func TestSchedUlHarq(t *testing.T) {
	ts, _ := newTestSched(t)
	var out SlotAlloc
	ts.UlSr(1)
	ts.ScheduleUl(50, SlotF, nil, &out)
	first := dataDcis(&out)[0]
	ts.UlBsr(1, [NumLcgs]uint8{})
	fb := []HarqFeedback{{RNTI: 1, HarqID: first.HarqID, OK: false}}
	for rv := uint8(1); rv <= MaxHarqRetx; rv++ {
		ts.ScheduleUl(50+uint64(rv), SlotF, fb, &out)
		d := dataDcis(&out)
		require.Len(t, d, 1, "rv %d", rv)
		require.Equal(t, first.TBS, d[0].TBS)
		require.Equal(t, first.MCS, d[0].MCS)
		require.Equal(t, first.NumSym, d[0].NumSym)
		require.Equal(t, first.HarqID, d[0].HarqID)
		require.Equal(t, rv, d[0].RV)
		require.False(t, d[0].NDI)
	}
	ts.ScheduleUl(60, SlotF, fb, &out)
	require.Empty(t, dataDcis(&out))
	info, _ := ts.UEInfo(1)
	require.Zero(t, info.UlHarqActive)
}

// TestSchedSrs: in the UE's SRS slot (counter % 80 == offset) the last
// data symbol carries its SRS and the UE gets no new UL data; the DL of
// that slot loses a symbol to it.
func TestSchedSrs(t *testing.T) {
	ts, _ := newTestSched(t)
	ts.ues[0].srsOffset = 5
	var out SlotAlloc
	for slot := uint64(1); slot <= 5; slot++ {
		ts.UlSr(1)
		ts.ScheduleUl(slot, SlotF, nil, &out)
		ts.UlBsr(1, [NumLcgs]uint8{})
	}
	require.Equal(t, uint32(5), ts.srsCounter)
	require.Empty(t, dataDcis(&out))
	require.Len(t, out.Vars, 2)
	require.Equal(t, AllocSRS, out.Vars[0].Type)
	require.Equal(t, uint8(12), out.Vars[0].SymStart)
	ts.DlBuffer(1, 3, BufferStatus{TxQueue: 100000})
	var dl SlotAlloc
	ts.ScheduleDl(5, SlotF, nil, &dl)
	require.Equal(t, uint8(11), dataDcis(&dl)[0].NumSym)
}

// TestSchedDlHarq: one DL retransmission per slot (a TDMA block uses
// every RBG), the others wait; an ACK frees the process.
func TestSchedDlHarq(t *testing.T) {
	ts, _ := newTestSched(t)
	var out SlotAlloc
	ts.DlBuffer(1, 3, BufferStatus{TxQueue: 300})
	ts.ScheduleDl(1, SlotF, nil, &out)
	a := dataDcis(&out)[0]
	ts.DlBuffer(1, 3, BufferStatus{TxQueue: 300})
	ts.ScheduleDl(2, SlotF, nil, &out)
	b := dataDcis(&out)[0]
	ts.DlBuffer(1, 3, BufferStatus{})
	require.NotEqual(t, a.HarqID, b.HarqID)
	fb := []HarqFeedback{{RNTI: 1, HarqID: a.HarqID}, {RNTI: 1, HarqID: b.HarqID}}
	ts.ScheduleDl(3, SlotF, fb, &out)
	d := dataDcis(&out)
	require.Len(t, d, 1)
	require.Equal(t, uint8(1), d[0].RV)
	require.Len(t, ts.dlHarqRetx, 1)
	ts.ScheduleDl(4, SlotF, nil, &out)
	d = dataDcis(&out)
	require.Len(t, d, 1)
	require.Equal(t, b.HarqID, d[0].HarqID)
	ts.ScheduleDl(5, SlotF, []HarqFeedback{{RNTI: 1, HarqID: a.HarqID, OK: true}, {RNTI: 1, HarqID: b.HarqID, OK: true}}, &out)
	info, _ := ts.UEInfo(1)
	require.Zero(t, info.DlHarqActive)
}

func TestSchedulerConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*SchedulerConfig)
		want string
	}{
		{func(c *SchedulerConfig) { c.Type = 9 }, "Type"},
		{func(c *SchedulerConfig) { c.CqiTimerThreshold = 0 }, "CqiTimerThreshold"},
		{func(c *SchedulerConfig) { c.MaxDlMcs = 40 }, "MaxDlMcs"},
		{func(c *SchedulerConfig) { c.NumHarqProcesses = 17 }, "NumHarqProcesses"},
	} {
		c := DefaultSchedulerConfig()
		tc.mod(&c)
		require.ErrorContains(t, c.Validate(), tc.want)
	}
	require.NoError(t, DefaultSchedulerConfig().Validate())
}
