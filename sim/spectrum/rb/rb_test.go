package rb

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

func TestGrid(t *testing.T) {
	tests := []struct {
		name string
		g    Grid
		err  string
	}{
		{"100 MHz at mu 3", Grid{CenterHz: 28e9, NumRBs: 66, SubcarrierSpacingHz: 120e3}, ""},
		{"no RB", Grid{CenterHz: 28e9, SubcarrierSpacingHz: 120e3}, "NumRBs 0"},
		{"low carrier", Grid{CenterHz: 1e8, NumRBs: 1, SubcarrierSpacingHz: 15e3}, "CenterHz 1e+08"},
		{"spacing", Grid{CenterHz: 3.5e9, NumRBs: 1, SubcarrierSpacingHz: 20e3}, "SubcarrierSpacingHz 20000"},
	}
	for _, tc := range tests {
		err := tc.g.Validate()
		if tc.err == "" {
			require.NoError(t, err, tc.name)
		} else {
			require.ErrorContains(t, err, tc.err, tc.name)
		}
	}
	g := Grid{CenterHz: 28e9, NumRBs: 66, SubcarrierSpacingHz: 120e3}
	require.Equal(t, 1.44e6, g.RBWidthHz())
	require.InDelta(t, 95.04e6, g.BandwidthHz(), 1e-3)
	f := g.CenterFrequencies(nil)
	require.Len(t, f, 66)
	require.InDelta(t, 28e9-33*1.44e6+0.72e6, f[0], 1e-3)
	require.InDelta(t, 28e9+32*1.44e6+0.72e6, f[65], 1e-3)
	require.InDelta(t, 28e9-0.72e6, f[32], 1e-3)
	allocs := testing.AllocsPerRun(10, func() { f = g.CenterFrequencies(f) })
	require.Zero(t, allocs)
}

func TestNoise(t *testing.T) {
	g := Grid{CenterHz: 28e9, NumRBs: 66, SubcarrierSpacingHz: 120e3}
	// -174 dBm/Hz + 5 dB + 10·log10(1.44 MHz) = -107.416 dBm.
	n := g.NoisePerRB(DefaultNoiseFigureDb)
	require.InDelta(t, -174+5+10*math.Log10(1.44e6), 10*math.Log10(n)+30, 1e-9)
	require.InDelta(t, -107.4164, 10*math.Log10(n)+30, 1e-4)
}

func TestTxPower(t *testing.T) {
	g := Grid{CenterHz: 3.5e9, NumRBs: 10, SubcarrierSpacingHz: 30e3}
	w := math.Pow(10, (30.0-30)/10) // 30 dBm = 1 W
	tests := []struct {
		name   string
		rbs    []int
		alloc  PowerAllocation
		shared int
		want   []float64
		err    string
	}{
		{"used: 1 W over 4 RBs", []int{2, 3, 4, 5}, UniformUsed, 0, []float64{0, 0, w / 4, w / 4, w / 4, w / 4, 0, 0, 0, 0}, ""},
		{"used, OFDMA with 8 RBs in the symbol", []int{2, 3, 4, 5}, UniformUsed, 8, []float64{0, 0, w / 8, w / 8, w / 8, w / 8, 0, 0, 0, 0}, ""},
		{"bandwidth: 1 W over 10 RBs", []int{0, 9}, UniformBandwidth, 0, []float64{w / 10, 0, 0, 0, 0, 0, 0, 0, 0, w / 10}, ""},
		{"nothing", nil, UniformUsed, 0, make([]float64, 10), ""},
		{"outside", []int{10}, UniformUsed, 0, make([]float64, 10), "resource block 10 outside the grid of 10"},
		{"shared too small", []int{1, 2}, UniformUsed, 1, make([]float64, 10), "sharedRBs 1 is below the 2"},
		{"unknown", []int{1}, PowerAllocation(7), 0, make([]float64, 10), "unknown power allocation 7"},
	}
	for _, tc := range tests {
		got, err := g.TxPower(nil, 30, tc.rbs, tc.alloc, tc.shared)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, tc.name)
		} else {
			require.NoError(t, err, tc.name)
		}
		require.InDeltaSlice(t, tc.want, got, 1e-15, tc.name)
	}
	require.Equal(t, "UniformPowerAllocUsed", UniformUsed.String())
	require.Equal(t, "UniformPowerAllocBw", UniformBandwidth.String())
	require.Equal(t, "PowerAllocation(9)", PowerAllocation(9).String())
}

// TestSINRLinkBudget checks the SINR per RB against the hand-computed link
// budget: 30 dBm over 66 RBs, 100 dB path loss, 3 dB of per-RB gain on RB
// 7, 5 dB noise figure, 120 kHz spacing.
func TestSINRLinkBudget(t *testing.T) {
	g := Grid{CenterHz: 28e9, NumRBs: 66, SubcarrierSpacingHz: 120e3}
	c, err := NewCalculator(g, 5)
	require.NoError(t, err)
	all := make([]int, 66)
	for i := range all {
		all[i] = i
	}
	tx, err := g.TxPower(nil, 30, all, UniformUsed, 0)
	require.NoError(t, err)
	fading := make([]float64, 66)
	for i := range fading {
		fading[i] = 1
	}
	fading[7] = 2
	rx := RxPower(nil, tx, 1e-10, fading)
	sinr, err := c.SINR(nil, Signal{Start: 0, End: sim.Millisecond / 8, PowerW: rx}, nil)
	require.NoError(t, err)
	// Per RB: 30 - 10·log10(66) - 100 = -88.195 dBm; noise -107.416 dBm.
	want := 30 - 10*math.Log10(66) - 100 - (-174 + 5 + 10*math.Log10(1.44e6))
	require.InDelta(t, 19.2209, want, 1e-4)
	require.InDelta(t, want, 10*math.Log10(sinr[0]), 1e-9)
	require.InDelta(t, want+10*math.Log10(2), 10*math.Log10(sinr[7]), 1e-9)
}

func TestSINRChunks(t *testing.T) {
	g := Grid{CenterHz: 3.5e9, NumRBs: 4, SubcarrierSpacingHz: 30e3}
	c, err := NewCalculator(g, 5)
	require.NoError(t, err)
	n := c.NoisePerRB()
	s := []float64{100 * n, 100 * n, 0, 100 * n}
	i1 := []float64{n, 9 * n, 9 * n, 0}
	i2 := []float64{0, 10 * n, 0, 0}
	const us = sim.Microsecond
	desired := Signal{Start: 0, End: 100 * us, PowerW: s}
	tests := []struct {
		name   string
		others []Signal
		want   []float64
	}{
		{"noise only", nil, []float64{100, 100, 0, 100}},
		{"interferer over the whole block", []Signal{{Start: -50 * us, End: 200 * us, PowerW: i1}}, []float64{50, 10, 0, 100}},
		{"interferer over the second half", []Signal{{Start: 50 * us, End: 300 * us, PowerW: i1}}, []float64{75, 55, 0, 100}},
		// Chunks: [0,20) none, [20,50) i1, [50,80) i1+i2, [80,100) i2.
		{"two overlapping interferers", []Signal{{Start: 20 * us, End: 80 * us, PowerW: i1}, {Start: 50 * us, End: 150 * us, PowerW: i2}},
			[]float64{0.2*100 + 0.3*50 + 0.3*50 + 0.2*100, 0.2*100 + 0.3*10 + 0.3*100.0/20 + 0.2*100.0/11, 0, 100}},
		{"signals outside the window count for nothing", []Signal{{Start: -50 * us, End: 0, PowerW: i1}, {Start: 100 * us, End: 200 * us, PowerW: i1}}, []float64{100, 100, 0, 100}},
	}
	var dst []float64
	for _, tc := range tests {
		dst, err = c.SINR(dst, desired, tc.others)
		require.NoError(t, err)
		require.InDeltaSlice(t, tc.want, dst, 1e-9, tc.name)
	}
	_, err = c.SINR(nil, Signal{Start: 5, End: 5, PowerW: s}, nil)
	require.ErrorContains(t, err, "End > Start")
	_, err = c.SINR(nil, Signal{End: 5, PowerW: s[:3]}, nil)
	require.ErrorContains(t, err, "3 RB powers for a grid of 4")
	_, err = c.SINR(nil, desired, []Signal{{End: 5, PowerW: s[:2]}})
	require.ErrorContains(t, err, "signal 0 has 2 RB powers")
	_, err = NewCalculator(g, math.NaN())
	require.ErrorContains(t, err, "noise figure NaN")
	_, err = NewCalculator(Grid{}, 5)
	require.Error(t, err)
	require.Equal(t, g, c.Grid())
}

func TestSINRZeroAllocs(t *testing.T) {
	g := Grid{CenterHz: 28e9, NumRBs: 66, SubcarrierSpacingHz: 120e3}
	c, err := NewCalculator(g, 5)
	require.NoError(t, err)
	desired, others := benchSignals(g)
	dst := make([]float64, 66)
	allocs := testing.AllocsPerRun(50, func() { dst, _ = c.SINR(dst, desired, others) })
	require.Zero(t, allocs)
}

// benchSignals returns a 66-RB block over one 120 kHz slot with three
// interferers, one of which starts mid-slot.
func benchSignals(g Grid) (Signal, []Signal) {
	mk := func(scale float64) []float64 {
		p := make([]float64, g.NumRBs)
		for i := range p {
			p[i] = scale * (1 + float64(i%7)/10)
		}
		return p
	}
	slot := 125 * sim.Microsecond
	return Signal{Start: 0, End: slot, PowerW: mk(1e-12)},
		[]Signal{{Start: 0, End: slot, PowerW: mk(1e-13)}, {Start: slot / 2, End: slot, PowerW: mk(2e-13)}, {Start: -slot, End: slot / 4, PowerW: mk(5e-14)}}
}

func BenchmarkSINR66RB(b *testing.B) {
	g := Grid{CenterHz: 28e9, NumRBs: 66, SubcarrierSpacingHz: 120e3}
	c, err := NewCalculator(g, 5)
	if err != nil {
		b.Fatal(err)
	}
	desired, others := benchSignals(g)
	dst := make([]float64, 66)
	b.ReportAllocs()
	for b.Loop() {
		dst, _ = c.SINR(dst, desired, others)
	}
}
