package nr5g

import (
	"testing"

	"github.com/netgym/netgym/sim"
	"github.com/stretchr/testify/require"
)

// Frame timing per numerology as NrPhy::SetNumerology computes it: slot =
// Seconds(0.001/2^mu) rounded to ns, symbol = slot / 14 with integer
// (truncating) Time division.
func TestNumerologyTiming(t *testing.T) {
	for _, tc := range []struct {
		mu            Numerology
		scs           uint32
		slotsPerSf    int
		slotsPerFrame int
		slot, symbol  sim.Time
	}{
		{0, 15000, 1, 10, 1000000, 71428},
		{1, 30000, 2, 20, 500000, 35714},
		{2, 60000, 4, 40, 250000, 17857},
		{3, 120000, 8, 80, 125000, 8928},
		{4, 240000, 16, 160, 62500, 4464},
		{5, 480000, 32, 320, 31250, 2232},
		{6, 960000, 64, 640, 15625, 1116},
	} {
		require.NoError(t, tc.mu.Validate())
		require.Equal(t, tc.scs, tc.mu.SubcarrierSpacing(), "mu %d", tc.mu)
		require.Equal(t, tc.slotsPerSf, tc.mu.SlotsPerSubframe(), "mu %d", tc.mu)
		require.Equal(t, tc.slotsPerFrame, tc.mu.SlotsPerFrame(), "mu %d", tc.mu)
		require.Equal(t, tc.slot, tc.mu.SlotDuration(), "mu %d", tc.mu)
		require.Equal(t, tc.symbol, tc.mu.SymbolDuration(SymbolsPerSlot), "mu %d", tc.mu)
		// A subframe holds exactly 2^mu slots; 14 symbols fall a few ns short.
		require.Equal(t, SubframeDuration, tc.slot*sim.Time(tc.slotsPerSf))
		require.LessOrEqual(t, tc.symbol*SymbolsPerSlot, tc.slot)
		require.Less(t, tc.slot-tc.symbol*SymbolsPerSlot, sim.Time(SymbolsPerSlot))
	}
	require.Error(t, Numerology(7).Validate())
	require.Equal(t, sim.Time(0), Numerology(3).SymbolDuration(0))
	require.Equal(t, 10*sim.Millisecond, FrameDuration)
}

// RB counts floor(BW_100kHz * 0.96 / (12 * SCS)) (NrPhy::DoUpdateRbNum,
// RbOverhead 0.04): 100 MHz at mu 3 gives 66, 20 MHz at mu 0 gives 106.
func TestRbCount(t *testing.T) {
	want := map[float64][5]int{ // mu 0..4
		20e6:  {106, 53, 26, 13, 6},
		50e6:  {266, 133, 66, 33, 16},
		100e6: {533, 266, 133, 66, 33},
		200e6: {1066, 533, 266, 133, 66},
	}
	for bw, rbs := range want {
		for mu, n := range rbs {
			got, err := RbCount(bw, Numerology(mu), DefaultRbOverhead)
			require.NoError(t, err)
			require.Equal(t, n, got, "%g Hz at mu %d", bw, mu)
		}
	}
	// Without overhead, 100 MHz at mu 3 holds 69 RBs; 5 MHz at mu 4 keeps
	// 4.8 MHz, one RB of 2.88 MHz.
	got, err := RbCount(100e6, 3, 0)
	require.NoError(t, err)
	require.Equal(t, 69, got)
	got, err = RbCount(5e6, 4, DefaultRbOverhead)
	require.NoError(t, err)
	require.Equal(t, 1, got)
	// The bandwidth is counted in whole 100 kHz units first: 20.09 MHz is 200 units.
	u, err := BandwidthIn100kHz(20.09e6)
	require.NoError(t, err)
	require.Equal(t, uint16(200), u)

	for _, bad := range []struct {
		bw float64
		mu Numerology
		oh float64
	}{
		{1e6, 4, DefaultRbOverhead}, // 0.96 MHz < one 2.88 MHz RB
		{0, 0, DefaultRbOverhead},
		{3e9, 0, DefaultRbOverhead},
		{100e6, 7, DefaultRbOverhead},
		{100e6, 3, 0.6},
		{100e6, 3, -0.1},
	} {
		_, err := RbCount(bad.bw, bad.mu, bad.oh)
		require.Error(t, err, "%+v", bad)
	}
}
