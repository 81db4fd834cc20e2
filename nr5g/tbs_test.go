package nr5g

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TS 38.214 5.1.3.2, worked by hand (N_info, its quantisation, the table or
// the formula, segmentation).
func TestTBS38214(t *testing.T) {
	for _, tc := range []struct {
		qm                         int
		r                          float64
		nPRB, nSymb, nDMRS, nOH, v int
		want                       int
		why                        string
	}{
		// Step 3, table 5.1.3.2-1.
		{2, 120, 1, 12, 12, 0, 1, 24, "N_info 30.9 -> n 3 -> N' 24 -> 24"},
		{2, 30, 1, 1, 0, 0, 1, 24, "N_info 0.7 -> N' = max(24, 0) -> 24"},
		{4, 658, 10, 12, 12, 0, 1, 3496, "N_info 3392.8 -> n 5 -> N' 3392 -> 3496"},
		{2, 120, 100, 14, 0, 0, 1, 3752, "N'_RE 168 capped at 156: N_info 3656.25 -> N' 3648 -> 3752"},
		// Step 4, R > 1/4, N' <= 8424: one code block.
		{6, 438, 20, 12, 12, 0, 1, 6784, "N_info 6775.3 -> n 7 -> N' 128*round(52.74) = 6784 -> 8*ceil(6808/8)-24"},
		// Step 4, R <= 1/4: C = ceil((N'+24)/3816).
		{2, 120, 200, 12, 12, 0, 1, 6152, "N_info 6187.5 -> N' 6144 -> C 2 -> 16*ceil(6168/16)-24"},
		// Step 4, N' > 8424: C = ceil((N'+24)/8424).
		{4, 378, 52, 12, 18, 6, 2, 18432, "N'_RE 120, 2 layers: N_info 18427.5 -> N' 18432 -> C 3 -> 24*769-24"},
		{6, 948, 273, 12, 12, 0, 1, 200808, "N_info 200168.7 -> n 12 -> N' 200704 -> C 24 -> 192*ceil(200728/192)-24"},
		{6, 948, 273, 12, 12, 0, 4, 803304, "4 layers: N_info 800674.9 -> N' 802816"},
		{8, 682.5, 50, 10, 12, 0, 1, 28680, "256QAM, R 682.5/1024: N_info 28793 -> N' 28672 -> C 4"},
		{8, 948, 273, 13, 12, 0, 4, 1179864, "N_info 1164618 -> n 15 -> N' 1179648"},
	} {
		require.Equal(t, tc.want, TBS38214(tc.qm, tc.r, tc.nPRB, tc.nSymb, tc.nDMRS, tc.nOH, tc.v), tc.why)
	}
	// MCS table rows give Qm and R: table 1 MCS 27, table 2 MCS 27.
	e, err := McsTable1.Entry(27)
	require.NoError(t, err)
	require.Equal(t, McsEntry{6, 910}, e)
	require.InDelta(t, 5.332, e.SpectralEfficiency(), 1e-3)
	e, err = McsTable2.Entry(27)
	require.NoError(t, err)
	require.Equal(t, McsEntry{8, 948}, e)
	require.Equal(t, 29, McsTable1.Len())
	require.Equal(t, 28, McsTable2.Len())
	_, err = McsTable1.Entry(29)
	require.Error(t, err)
	_, err = McsTable(3).Entry(0)
	require.Error(t, err)
	for typ, want := range map[ErrorModelType]McsTable{EesmIrT1: McsTable1, EesmCcT1: McsTable1, EesmIrT2: McsTable2, EesmCcT2: McsTable2} {
		got, ok := McsTableOf(typ)
		require.True(t, ok)
		require.Equal(t, want, got)
		// The EESM model's Qm agrees with the table's for every MCS; its
		// code rates are 5G-LENA's two-decimal McsEcrTable values, within
		// 0.009 of R/1024 (worst: table 2 MCS 23, 0.77 for 797/1024).
		em := mustModel(t, typ)
		for mcs := range want.Len() {
			row, err := want.Entry(mcs)
			require.NoError(t, err)
			require.Equal(t, row.Qm, em.Qm(mcs), "%v MCS %d", typ, mcs)
			require.InDelta(t, row.RX1024/1024, em.EffectiveCodeRate(mcs), 0.009, "%v MCS %d", typ, mcs)
		}
	}
	_, ok := McsTableOf(LteMi)
	require.False(t, ok)

	// Invalid input gives 0.
	for _, bad := range [][7]float64{
		{3, 500, 10, 12, 12, 0, 1},
		{2, 0, 10, 12, 12, 0, 1},
		{2, 1024, 10, 12, 12, 0, 1},
		{2, 500, 0, 12, 12, 0, 1},
		{2, 500, 10, 15, 12, 0, 1},
		{2, 500, 10, 1, 12, 0, 1},
		{2, 500, 10, 12, 12, 0, 0},
	} {
		require.Zero(t, TBS38214(int(bad[0]), bad[1], int(bad[2]), int(bad[3]), int(bad[4]), int(bad[5]), int(bad[6])), "%v", bad)
	}
}
