package mmwave

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/nr5g"
)

func newTestAmc(t *testing.T) *Amc {
	t.Helper()
	a, err := NewAmc(nr5g.EesmIrT1, AmcErrorModel, 1e-5, 278)
	require.NoError(t, err)
	return a
}

// TestTbSizeClosedForm: ns3-mmwave's TBS is floor(11*nSym*nRB*Qm*R/8)
// less the 3-byte TB CRC, or less 3 bytes per code block when the block
// exceeds the largest code block (1056 bytes on LDPC base graph 1, 480 on
// graph 2), the code blocks counted with an integer division.
func TestTbSizeClosedForm(t *testing.T) {
	a := newTestAmc(t)
	tab, _ := nr5g.EesmTableFor(nr5g.EesmIrT1)
	tests := []struct {
		mcs, sym int
		want     uint32
	}{
		{0, 1, 88},      // floor(91.74) = 91, less 3
		{5, 1, 279},     // floor(282.87) - 3
		{0, 12, 1094},   // 1100 on graph 2: C = 1097/480 = 2 -> 1100 - 6
		{28, 1, 2126},   // floor(2132.95) = 2132 on graph 1: C = 2129/1056 = 2
		{28, 12, 25523}, // floor(25595.46) = 25595, C = 24
		{28, 14, 29777},
		{0, 0, 0},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, a.TbSize(tc.mcs, tc.sym), "MCS %d, %d symbols", tc.mcs, tc.sym)
		if tc.sym == 0 {
			continue
		}
		payload := uint32(math.Floor(float64(11*tc.sym*278) * float64(tab.Qm(tc.mcs)) * tab.EffectiveCodeRate(tc.mcs) / 8))
		cb := tab.MaxCbSize(payload, tc.mcs)
		c := uint32(1)
		if payload-3 > cb {
			c = (payload - 3) / cb
		}
		require.Equal(t, payload-3*c, tc.want, "closed form, MCS %d, %d symbols", tc.mcs, tc.sym)
	}
	require.Zero(t, a.TbSize(29, 1))
	require.Zero(t, a.TbSize(0, 15))
	_, err := NewAmc(nr5g.LteMi, AmcErrorModel, 1e-5, 278)
	require.Error(t, err)
	_, err = NewAmc(nr5g.EesmIrT1, AmcErrorModel, 1e-5, 0)
	require.ErrorContains(t, err, "0 RBs")
}

// TestMinTbSizeNumSym: ns3-mmwave's bisection over 0..14 symbols.
func TestMinTbSizeNumSym(t *testing.T) {
	a := newTestAmc(t)
	tests := []struct {
		mcs  int
		buf  uint32
		sym  int
		tbs  uint32
		note string
	}{
		{0, 88, 1, 88, "exact fit"},
		{0, 89, 2, 180, "one byte more"},
		{0, 128, 2, 180, "NetRL's first BSR (107+3+8+10)"},
		{10, 1249, 3, 1510, "one 1200-byte datagram in DL"},
		{28, 2000, 1, 2126, ""},
		{28, 4000, 2, 4253, ""},
		{28, 30000, 14, 29777, "more than a slot: 14 symbols, the scheduler then caps"},
		{0, 1, 1, 88, ""},
	}
	for _, tc := range tests {
		sym, tbs := a.MinTbSizeNumSym(tc.mcs, tc.buf)
		require.Equal(t, tc.sym, sym, tc.note)
		require.Equal(t, tc.tbs, tbs, tc.note)
	}
}

// TestCqi: MCS of each CQI (GetMcsFromCqi) and the error-model CQI of a
// flat SINR.
func TestCqi(t *testing.T) {
	a := newTestAmc(t)
	want := []int{0, 0, 0, 2, 4, 6, 8, 11, 13, 15, 18, 20, 22, 24, 26, 28}
	for cqi, mcs := range want {
		require.Equal(t, mcs, a.McsFromCqi(cqi), "CQI %d", cqi)
	}
	flat := func(db float64) []float64 {
		s := make([]float64, 278)
		for i := range s {
			s[i] = math.Pow(10, db/10)
		}
		return s
	}
	tests := []struct {
		db       float64
		cqi, mcs int
	}{
		{-10, 0, 0}, {-2, 0, 0}, {0, 2, 1}, {5, 5, 7}, {10, 8, 14}, {15, 11, 20}, {20, 14, 26}, {25, 15, 28},
	}
	var m cqiMemo
	for _, tc := range tests {
		cqi, mcs := a.CqiFeedback(flat(tc.db))
		require.Equal(t, tc.cqi, cqi, "%v dB", tc.db)
		require.Equal(t, tc.mcs, mcs, "%v dB", tc.db)
		c2, m2 := a.cqiMemo(&m, flat(tc.db))
		require.Equal(t, [2]int{cqi, mcs}, [2]int{c2, m2})
		c3, m3 := a.cqiMemo(&m, flat(tc.db))
		require.Equal(t, [2]int{cqi, mcs}, [2]int{c3, m3}, "memoised")
	}
	sh, err := NewAmc(nr5g.EesmIrT1, AmcShannon, 1e-5, 278)
	require.NoError(t, err)
	cqi, mcs := sh.CqiFeedback(flat(10))
	// log2(1 + 10/(-ln(5e-5)/1.5)) = 1.3303 bit/s/Hz: CQI 6 (the last
	// below it, 1.18), MCS 10 (1.33, the second of the two 1.33 entries).
	require.Equal(t, 6, cqi)
	require.Equal(t, 10, mcs)
}
