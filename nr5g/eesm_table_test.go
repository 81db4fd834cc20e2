package nr5g

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEesmTableFor(t *testing.T) {
	cases := []struct {
		typ    ErrorModelType
		name   string
		maxMcs int
		beta0  float64
		ecrMax float64
	}{
		{EesmIrT1, "T1", 28, 1.6, 0.93},
		{EesmCcT1, "T1", 28, 1.6, 0.93},
		{EesmIrT2, "T2", 27, eesmTablesT2.beta[0], eesmTablesT2.ecr[27]},
		{EesmCcT2, "T2", 27, eesmTablesT2.beta[0], eesmTablesT2.ecr[27]},
	}
	for _, tc := range cases {
		tab, err := EesmTableFor(tc.typ)
		require.NoError(t, err)
		require.Equal(t, tc.name, tab.Name())
		require.Equal(t, tc.maxMcs, tab.MaxMcs())
		require.Equal(t, tc.beta0, tab.Beta(0))
		require.Equal(t, tc.ecrMax, tab.EffectiveCodeRate(tc.maxMcs))
		require.Zero(t, tab.Beta(-1))
		require.Zero(t, tab.Beta(tc.maxMcs+1))
	}
	_, err := EesmTableFor(LteMi)
	require.ErrorContains(t, err, "NrLteMiErrorModel has no EESM table")
}

// TestEesmTableMatchesModel: one transmission on a single code block gives
// the model's TBLER through BlerAt at the model's effective SINR.
func TestEesmTableMatchesModel(t *testing.T) {
	tab, err := EesmTableFor(EesmIrT1)
	require.NoError(t, err)
	em, err := NewErrorModel(EesmIrT1)
	require.NoError(t, err)
	sinr := []float64{2.1, 2.4, 1.9, 2.2}
	for _, mcs := range []int{0, 4, 9} {
		const tb = 40 // bytes: one code block
		r, err := em.TbDecodingStats(sinr, nil, tb, mcs, nil)
		require.NoError(t, err)
		bg := tab.BaseGraph(tb*8, mcs)
		k, c := tab.CodeBlockSegmentation(tb*8+24, bg)
		require.Equal(t, uint32(1), c)
		require.Equal(t, r.CbSize, k)
		require.Equal(t, r.TBLER, tab.BlerAt(r.SinrEff, mcs, k))
		require.False(t, math.IsNaN(r.TBLER))
	}
	require.Equal(t, uint32(1056), tab.MaxCbSize(20000, 28))
	require.Equal(t, uint32(480), tab.MaxCbSize(20, 0))
	require.Equal(t, LdpcBaseGraph2, tab.BaseGraph(100, 28))
	require.Equal(t, LdpcBaseGraph1, tab.BaseGraph(10000, 28))
}
