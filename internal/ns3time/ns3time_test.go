package ns3time

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

func TestSeconds(t *testing.T) {
	// Time::GetSeconds at nanosecond resolution, printed with %a by a
	// program linked against Debian's libns3-core 3.37.
	tests := []struct {
		ns   sim.Time
		want float64
	}{
		{1, 0x1.12e0be824p-30},
		{7, 0x1.e1094d643p-28},
		{999, 0x1.0c2ac1dbbe3p-20},
		{3999, 0x1.0c5e4bff76bp-18},
		{4000, 0x1.0c6f7a0b5ed8p-18},
		{16000, 0x1.0c6f7a0b5ed8p-16},
		{20000, 0x1.4f8b588e368fp-16},
		{28000, 0x1.d5c31593e5fbp-16},
		{248000, 0x1.040bfe3b03e2p-12},
		{1436000, 0x1.78705425f2021p-10},
		{5484000, 0x1.676640a6b93cdp-8},
		{123456789, 0x1.f9add3739635fp-4},
		{999999999, 0x1.fffffff768fa1p-1},
		{1000000000, 0x1p+0},
		{1000000001, 0x1.000000044b83p+0},
		{1500000007, 0x1.8000001e1094dp+0},
		{3000000000, 0x1.8p+1},
		{123456789012345, 0x1.e240c9fcb689fp+16},
		{9223372036854775807, 0x1.12e0be826d695p+33},
		{-4000, -0x1.0c6f7a0b5ed8p-18},
		{0, 0},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, Seconds(tc.ns), "%d ns", tc.ns)
	}
}

func TestSecondsQ64(t *testing.T) {
	// n·Invert(1e9) with the lowest partial product dropped: n·hi +
	// floor(n·lo / 2^64), computed with big integers.
	tests := []struct {
		ns     uint64
		hi, lo uint64
	}{
		{0, 0, 0},
		{1, 0, 18446744073},
		{7, 0, 129127208515},
		{4000, 0, 73786976294838},
		// Invert's extra unit makes one second exactly 1.
		{1_000_000_000, 1, 0},
		{1 << 63, 9223372036, 15767830570574293540},
	}
	for _, tc := range tests {
		hi, lo := SecondsQ64(tc.ns)
		require.Equal(t, [2]uint64{tc.hi, tc.lo}, [2]uint64{hi, lo}, "%d ns", tc.ns)
	}
}

func TestFromSeconds(t *testing.T) {
	// Seconds(x).GetNanoSeconds(), printed by ns-3 3.37 (Debian's
	// libns3-dev).
	tests := []struct {
		x    float64
		want sim.Time
	}{
		{0.0080000000000000002, 8000000},
		{0.33333333333333331, 333333333},
		{4.9999999999999998e-07, 500},
		{5.0000000000000003e-10, 1},
		{1.5e-09, 2},
		{2.5000000000000001e-09, 2},
		{9.9999999999999998e-13, 0},
		{0.99999999999999989, 1000000000},
		{12345.0000000005, 12345000000001},
		{-2.25, -2250 * sim.Millisecond},
		{math.NaN(), 0},
		{math.Inf(1), sim.MaxTime},
		{math.Inf(-1), math.MinInt64},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, FromSeconds(tc.x), "Seconds(%.17g)", tc.x)
	}
}

// FromSeconds's path for positive normal numbers below one second (every
// propagation delay) gives what the general path gives: random fractions
// over every binary exponent from 2^-1022 up, and the edges.
func TestFromSecondsFastPath(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(s float64) {
		require.Equal(t, fromSeconds(s), FromSeconds(s), "Seconds(%.17g)", s)
	}
	for e := -1022; e < 0; e++ {
		for range 200 {
			check(math.Ldexp(1+r.Float64(), e))
		}
	}
	for range 200000 {
		check(r.Float64() * 2e-6) // delays up to 600 m
	}
	for _, s := range []float64{0x1p-1022, math.Nextafter(0x1p-1022, 1), 0x1p-64, 0x1p-63, 0x1p-31,
		0x1p-30, 5e-10, 1.5e-9, 2.5000000000000001e-09, 4.9999999999999998e-07,
		math.Nextafter(1, 0), 0.5, 1, 5e-324, 0, -1e-9} {
		check(s)
	}
}

// Below one second Seconds scales the Q64.64 fraction by 2^-64 with a
// multiplication, exactly as math.Ldexp does.
func TestSecondsBelowOneSecond(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		n := r.Int64N(1e9)
		hi, lo := SecondsQ64(uint64(n))
		require.Zero(t, hi)
		require.Equal(t, math.Ldexp(float64(lo), -64), Seconds(sim.Time(n)), "%d ns", n)
		require.Equal(t, -math.Ldexp(float64(lo), -64), Seconds(-sim.Time(n)), "-%d ns", n)
	}
}
