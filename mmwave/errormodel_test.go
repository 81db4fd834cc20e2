package mmwave

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/nr5g"
)

func db(x float64) float64 { return math.Pow(10, x/10) }

// TestSinrEff: a flat SINR is its own effective SINR; a spread one is
// pulled towards its weakest RBs; no clamp at 0 (5G-LENA clamps).
func TestSinrEff(t *testing.T) {
	require.InDelta(t, 4.0, sinrEff([]float64{4, 4, 4}, 1.6), 1e-12)
	eff := sinrEff([]float64{0.1, 10}, 1.6)
	require.InDelta(t, -1.6*math.Log((math.Exp(-0.1/1.6)+math.Exp(-10/1.6))/2), eff, 1e-12)
	require.Less(t, eff, (0.1+10)/2)
	// Very low SINR: the effective SINR stays the mean of tiny values,
	// positive; ns3-mmwave has no clamp, so nothing else happens.
	require.Greater(t, sinrEff([]float64{1e-6, 2e-6}, 1.6), 0.0)
}

// TestDecodeFirstTransmission: a first transmission's TBLER is the BLER
// curve of its MCS and code-block size at the effective SINR, combined
// over the code blocks as 1-(1-BLER)^C.
func TestDecodeFirstTransmission(t *testing.T) {
	em, err := newEesm(nr5g.EesmIrT1)
	require.NoError(t, err)
	tab := em.tab
	sinr := make([]float64, 278)
	for i := range sinr {
		sinr[i] = db(-1 + float64(i%7)*0.3)
	}
	for _, tc := range []struct {
		mcs int
		tb  uint32
	}{{0, 88}, {0, 1094}, {4, 600}, {28, 25523}} {
		r := em.decode(sinr, tc.tb, tc.mcs, &noHistory, math.NaN())
		eff := sinrEff(sinr, tab.Beta(tc.mcs))
		require.Equal(t, eff, r.sinrEff)
		bg := tab.BaseGraph(tc.tb*8, tc.mcs)
		k, c := tab.CodeBlockSegmentation(tc.tb*8+24, bg)
		bler := tab.BlerAt(eff, tc.mcs, k)
		want := bler
		if c > 1 {
			want = 1 - math.Pow(1-bler, float64(c))
		}
		require.Equal(t, want, r.tbler, "MCS %d TB %d", tc.mcs, tc.tb)
		require.Equal(t, tc.tb*8, r.infoBits)
		require.Equal(t, uint32(float64(tc.tb*8)/tab.EffectiveCodeRate(tc.mcs)), r.codeBits)
		// the memoised first effective SINR gives the same record
		require.Equal(t, r, em.decode(sinr, tc.tb, tc.mcs, &noHistory, eff))
	}
}

// TestIncrementalRedundancy: ns3-mmwave's IR adds the previous combined
// effective SINR to every RB of the retransmission and uses the MCS of the
// same modulation closest to the combined code rate; the result differs
// from 5G-LENA's NrEesmIrT1, which sums the exponentials.
func TestIncrementalRedundancy(t *testing.T) {
	em, _ := newEesm(nr5g.EesmIrT1)
	tab := em.tab
	sinr := make([]float64, 278)
	for i := range sinr {
		sinr[i] = db(-2.5 + float64(i%5)*0.2)
	}
	const mcs, tb = 0, 180
	var hist harqHistory
	r1 := em.decode(sinr, tb, mcs, &hist, math.NaN())
	require.Greater(t, r1.tbler, 0.1)
	hist.add(r1, sinr, false)
	r2 := em.decode(sinr, tb, mcs, &hist, math.NaN())
	shifted := make([]float64, len(sinr))
	for i, s := range sinr {
		shifted[i] = s + r1.sinrEff
	}
	require.InDelta(t, sinrEff(shifted, tab.Beta(mcs)), r2.sinrEff, 1e-12)
	require.Less(t, r2.tbler, r1.tbler)
	// MCS 4 retransmitted: Reff = info / (2 * code bits) = R/2, so the
	// equivalent MCS counts the QPSK MCSs below 4 whose rate exceeds R/2.
	const mcs4, tb4 = 4, 300
	var h4 harqHistory
	h4.add(em.decode(sinr, tb4, mcs4, &h4, math.NaN()), sinr, false)
	reff := float64(tb4*8) / float64(2*uint32(float64(tb4*8)/tab.EffectiveCodeRate(mcs4)))
	eq := mcs4
	for i := mcs4 - 1; i >= 0; i-- {
		if tab.EffectiveCodeRate(i) > reff {
			eq--
		}
	}
	// R(4) = 0.30, Reff = 0.15: the QPSK rates above it are MCS 2 and 3.
	require.InDelta(t, 0.15, reff, 1e-3)
	require.Equal(t, 2, eq)
	require.Equal(t, 2, em.mcsEq(mcs4, reff))
	// 5G-LENA's IR on the same history gives another effective SINR.
	lena, _ := nr5g.NewErrorModel(nr5g.EesmIrT1)
	var lh nr5g.HarqHistory
	l1, err := lena.TbDecodingStats(sinr, nil, tb, mcs, nil)
	require.NoError(t, err)
	lh.Add(l1, sinr, nil)
	l2, err := lena.TbDecodingStats(sinr, nil, tb, mcs, &lh)
	require.NoError(t, err)
	require.NotEqual(t, l2.SinrEff, r2.sinrEff)
}

// TestChaseCombining: the SINRs of the transmissions add RB by RB, the
// MCS is kept.
func TestChaseCombining(t *testing.T) {
	em, err := newEesm(nr5g.EesmCcT1)
	require.NoError(t, err)
	require.False(t, em.ir)
	a := []float64{db(-3), db(-2), db(-1)}
	b := []float64{db(-1), db(0), db(1)}
	var hist harqHistory
	r1 := em.decode(a, 40, 0, &hist, math.NaN())
	hist.add(r1, a, true)
	r2 := em.decode(b, 40, 0, &hist, math.NaN())
	sum := []float64{a[0] + b[0], a[1] + b[1], a[2] + b[2]}
	require.InDelta(t, sinrEff(sum, em.tab.Beta(0)), r2.sinrEff, 1e-12)
	hist.reset()
	require.Empty(t, hist.recs)
}
