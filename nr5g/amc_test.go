package nr5g

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func mustAmc(t testing.TB, cfg AmcConfig) *Amc {
	t.Helper()
	a, err := NewAmc(cfg)
	require.NoError(t, err)
	return a
}

func TestAmcConfig(t *testing.T) {
	c := DefaultAmcConfig()
	require.NoError(t, c.Validate())
	require.Equal(t, AmcErrorModel, c.Model)
	require.Equal(t, LteMi, c.ErrorModel)
	require.Equal(t, 1, c.NumRefScPerRb)
	require.Equal(t, "ErrorModel", c.Model.String())
	require.Equal(t, "ShannonModel", AmcShannon.String())
	for _, bad := range []AmcConfig{
		{Model: 2, NumRefScPerRb: 1},
		{ErrorModel: 5, NumRefScPerRb: 1},
		{NumRefScPerRb: -1},
		{NumRefScPerRb: 13},
	} {
		require.Error(t, bad.Validate())
		_, err := NewAmc(bad)
		require.Error(t, err)
	}
	a := mustAmc(t, c)
	require.Equal(t, c, a.Config())
	require.Equal(t, LteMi, a.ErrorModel().Type())
	require.Equal(t, 28, a.MaxMcs())
}

// NrAmc::CalculateTbSize, bit-exact. Values checked against 5G-LENA nr-4.1's
// payload and code-block functions (NrXxx::GetPayloadSize, GetMaxCbSize)
// run through NrAmc's arithmetic.
func TestCalculateTbSize(t *testing.T) {
	for _, tc := range []struct {
		typ       ErrorModelType
		refSc     int
		mcs, rank int
		nRbSym    uint32
		want      uint32
		why       string
	}{
		// floor(11*792*6*0.92/8) = 6011; 6008 B > 768 B: C = floor(6008/768)
		// = 7 (a ceiling would give 8 and 5987): 6011 - 21.
		{LteMi, 1, 28, 1, 66 * 12, 5990, "66 RBs x 12 symbols, MCS 28"},
		{LteMi, 1, 28, 2, 66 * 12, 11977, "rank 2: 12022 - 15*3"},
		{LteMi, 1, 0, 1, 1, 0, "payload 0 B is returned whole"},
		{LteMi, 1, 0, 1, 66, 11, "floor(11*66*2*0.08/8) = 14, - 3"},
		{LteMi, 1, 9, 1, 200, 277, "floor(4400*0.51/8) = 280, - 3"},
		// EESM T1 MCS 28 (ECR 0.93), base graph 1: max CB 384*22/8 = 1056 B.
		{EesmIrT1, 1, 28, 1, 66 * 12, 6061, "6076 - 5*3"},
		{EesmIrT2, 1, 27, 1, 66 * 12, 8081, "256QAM: 8102 - 7*3"},
		// T1 MCS 0 (ECR 0.12) is always base graph 2: max CB 384*10/8 = 480 B.
		{EesmIrT1, 1, 0, 1, 273 * 12, 1075, "1081 - 2*3"},
		{EesmCcT1, 0, 10, 1, 100, 195, "12 subcarriers: floor(1200*4*0.33/8) = 198, - 3"},
	} {
		a := mustAmc(t, AmcConfig{ErrorModel: tc.typ, NumRefScPerRb: tc.refSc})
		got, err := a.CalculateTbSize(tc.mcs, tc.rank, tc.nRbSym)
		require.NoError(t, err)
		require.Equal(t, tc.want, got, "%v: %s", tc.typ, tc.why)
	}
	a := mustAmc(t, DefaultAmcConfig())
	_, err := a.CalculateTbSize(29, 1, 10)
	require.Error(t, err)
	_, err = a.CalculateTbSize(0, 0, 10)
	require.Error(t, err)
	require.Equal(t, uint32(768), a.ErrorModel().MaxCbSize(10000, 28))
	t1 := mustModel(t, EesmIrT1)
	require.Equal(t, uint32(1056), t1.MaxCbSize(10000, 28))
	require.Equal(t, uint32(480), t1.MaxCbSize(10000, 0))
}

// NrAmc::CreateCqiFeedbackSiso with the error-model AMC at a flat SINR
// over 66 RBs: the (CQI, MCS) 5G-LENA nr-4.1's code picks (its error models
// and NrAmc's loop run on the same inputs).
func TestAmcCqiFeedbackLena(t *testing.T) {
	for _, tc := range []struct {
		typ      ErrorModelType
		db       float64
		cqi, mcs int
	}{
		{LteMi, -10, 0, 0}, {LteMi, -5, 0, 0}, {LteMi, 0, 4, 6}, {LteMi, 5, 7, 12}, {LteMi, 10, 9, 16},
		{LteMi, 15, 12, 22}, {LteMi, 20, 15, 28}, {LteMi, 25, 15, 28}, {LteMi, 30, 15, 28},
		// At 0 dB MCS 0 passes and MCS 1 does not: 5G-LENA then reports CQI 0.
		{EesmIrT1, -10, 0, 0}, {EesmIrT1, -5, 0, 0}, {EesmIrT1, 0, 0, 0}, {EesmIrT1, 5, 5, 7},
		{EesmIrT1, 10, 8, 14}, {EesmIrT1, 15, 11, 20}, {EesmIrT1, 20, 13, 25}, {EesmIrT1, 25, 15, 28},
		{EesmIrT1, 30, 15, 28},
		{EesmIrT2, -10, 0, 0}, {EesmIrT2, -5, 0, 0}, {EesmIrT2, 0, 0, 0}, {EesmIrT2, 5, 3, 3},
		{EesmIrT2, 10, 5, 8}, {EesmIrT2, 15, 8, 13}, {EesmIrT2, 20, 10, 18}, {EesmIrT2, 25, 13, 24},
		{EesmIrT2, 30, 15, 27},
	} {
		a := mustAmc(t, AmcConfig{ErrorModel: tc.typ, NumRefScPerRb: 1})
		cqi, mcs, err := a.CqiFeedback(rippled(66, tc.db, 0))
		require.NoError(t, err)
		require.Equal(t, []int{tc.cqi, tc.mcs}, []int{cqi, mcs}, "%v at %v dB", tc.typ, tc.db)
	}
	// RBs with SINR 0 are left out of the test block (every other RB here),
	// as in 5G-LENA.
	half := rippled(66, 10, 0)
	for i := 1; i < len(half); i += 2 {
		half[i] = 0
	}
	for _, tc := range []struct {
		typ      ErrorModelType
		cqi, mcs int
	}{{LteMi, 9, 16}, {EesmIrT1, 8, 14}} {
		cqi, mcs, err := mustAmc(t, AmcConfig{ErrorModel: tc.typ, NumRefScPerRb: 1}).CqiFeedback(half)
		require.NoError(t, err)
		require.Equal(t, []int{tc.cqi, tc.mcs}, []int{cqi, mcs}, tc.typ)
	}
	cqi, mcs, err := mustAmc(t, DefaultAmcConfig()).CqiFeedback(make([]float64, 4))
	require.NoError(t, err)
	require.Equal(t, []int{0, 0}, []int{cqi, mcs})
}

// The CQI -> MCS mapping the gNB applies to a reported DL CQI
// (NrAmc::GetMcsFromCqi): the largest MCS whose spectral efficiency does
// not exceed the CQI's, from each model's SE tables.
func TestAmcMcsFromCqi(t *testing.T) {
	for _, tc := range []struct {
		typ  ErrorModelType
		want [16]int
	}{
		{LteMi, [16]int{0, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28}},
		{EesmIrT1, [16]int{0, 0, 0, 2, 4, 6, 8, 11, 13, 15, 18, 20, 22, 24, 26, 28}},
	} {
		a := mustAmc(t, AmcConfig{ErrorModel: tc.typ, NumRefScPerRb: 1})
		for cqi, want := range tc.want {
			got, err := a.McsFromCqi(cqi)
			require.NoError(t, err)
			require.Equal(t, want, got, "%v CQI %d", tc.typ, cqi)
		}
		_, err := a.McsFromCqi(16)
		require.Error(t, err)
	}
	a := mustAmc(t, DefaultAmcConfig())
	// GetWbCqiFromMcs: 0 for MCS 0, 15 for the top MCS, else by SE.
	require.Equal(t, []int{0, 15, 7, 9}, []int{a.CqiFromMcs(0), a.CqiFromMcs(28), a.CqiFromMcs(12), a.CqiFromMcs(16)})
}

// Shannon AMC: SE = log2(1 + SINR / (-ln(5 BER)/1.5)), BER 5e-5 with the
// LTE-MI model and 1e-5 with EESM; CQI and MCS are the largest whose SE is
// strictly below the mean SE.
func TestAmcShannon(t *testing.T) {
	a := mustAmc(t, AmcConfig{Model: AmcShannon, ErrorModel: LteMi, NumRefScPerRb: 1})
	require.Equal(t, 0.00005, a.Ber())
	gap := -math.Log(5*0.00005) / 1.5
	se := math.Log2(1 + 10/gap) // 1.48981
	require.InDelta(t, 1.48981, se, 1e-5)
	require.Equal(t, se, a.SpectralEfficiencyForSinr(10))
	require.InDelta(t, 10, a.SinrFromSpectralEfficiency(se), 1e-12)
	cqi, mcs, err := a.CqiFeedback(rippled(66, 10, 0))
	require.NoError(t, err)
	require.Equal(t, []int{7, 12}, []int{cqi, mcs}) // CQI 7 SE 1.48, MCS 12 SE 1.48
	// RBs with SINR 0 are ignored; none at all gives SE 0.
	cqi, mcs, err = a.CqiFeedback([]float64{0, 10, 0, 10})
	require.NoError(t, err)
	require.Equal(t, []int{7, 12}, []int{cqi, mcs})
	cqi, mcs, err = a.CqiFeedback([]float64{0, 0})
	require.NoError(t, err)
	require.Equal(t, []int{0, 0}, []int{cqi, mcs})

	e := mustAmc(t, AmcConfig{Model: AmcShannon, ErrorModel: EesmIrT1, NumRefScPerRb: 1})
	require.Equal(t, 0.00001, e.Ber())
	require.Less(t, e.SpectralEfficiencyForSinr(10), a.SpectralEfficiencyForSinr(10))
	require.Equal(t, 0, e.CqiFromSpectralEfficiency(0.15)) // strictly below
	require.Equal(t, 1, e.CqiFromSpectralEfficiency(0.16))
	require.Equal(t, 15, e.CqiFromSpectralEfficiency(9))
	require.Equal(t, 28, e.McsFromSpectralEfficiency(9))
}

// The error-model AMC evaluates every MCS until one fails; it allocates
// nothing once its RB map has grown.
func TestAmcCqiFeedbackAllocs(t *testing.T) {
	a := mustAmc(t, DefaultAmcConfig())
	sinr := rippled(66, 12, 3)
	_, _, err := a.CqiFeedback(sinr)
	require.NoError(t, err)
	require.Zero(t, testing.AllocsPerRun(50, func() { _, _, _ = a.CqiFeedback(sinr) }))
}
