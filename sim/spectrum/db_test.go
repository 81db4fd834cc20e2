package spectrum

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestUnitConversions(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"0 dB", DbToRatio(0), 1},
		{"10 dB", DbToRatio(10), 10},
		{"-20 dB", DbToRatio(-20), 0.01},
		{"3 dB", DbToRatio(3), 1.9952623149688797},
		{"ratio 100", RatioToDb(100), 20},
		{"ratio 0.5", RatioToDb(0.5), -3.010299956639812},
		{"30 dBm", DbmToW(30), 1},
		{"0 dBm", DbmToW(0), 1e-3},
		{"-90 dBm", DbmToW(-90), 1e-12},
		{"-101 dBm", DbmToW(-101), 7.943282347242821e-14},
		{"1 W", WToDbm(1), 30},
		{"1 mW", WToDbm(1e-3), 0},
		{"16.0206 dBm", WToDbm(0.04), 16.020599913279625},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.InDelta(t, tc.want, tc.got, 1e-12*math.Max(1, math.Abs(tc.want)))
		})
	}
	for _, db := range []float64{-100, -3.5, 0, 7, 42.25} {
		require.InDelta(t, db, RatioToDb(DbToRatio(db)), 1e-12)
		require.InDelta(t, db, WToDbm(DbmToW(db)), 1e-12)
	}
	require.True(t, math.IsInf(RatioToDb(0), -1))
	require.True(t, math.IsInf(WToDbm(0), -1))
}

// The conversions are ns-3's floating-point expressions, bit for bit: the
// 802.11 golden results depend on the last bit of DbmToW and DbToRatio, so
// an algebraically equal rewrite (math.Exp, a precomputed ln 10) fails here.
func TestUnitConversionsBitExact(t *testing.T) {
	tests := []struct {
		name string
		got  float64
		bits uint64
	}{
		{"DbmToW(16.0206-50)", DbmToW(16.0206 - 50), 0x3e9ad7f2a3bad9b2},
		{"DbToRatio(7)", DbToRatio(7), 0x40140c28430012e8},
		{"WToDbm(3.3)", WToDbm(3.3), 0x404197b2a5d77a6a},
	}
	for _, tc := range tests {
		require.Equal(t, tc.bits, math.Float64bits(tc.got), tc.name)
	}
}

// pow10 must be math.Pow(10, y) bit for bit: on every power a radio
// converts (dBm and dB on a fine grid), on random exponents, and on the
// special values.
func TestPow10MatchesMathPow(t *testing.T) {
	check := func(y float64) {
		if got, want := pow10(y), math.Pow(10, y); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("pow10(%v) = %v, math.Pow gives %v", y, got, want)
		}
	}
	for dbm := -300.0; dbm <= 300; dbm += 0.000997 {
		check(0.1 * (dbm - 30))
		check(0.1 * dbm)
	}
	r := rand.New(rand.NewPCG(5, 5))
	for range 2_000_000 {
		check((r.Float64() - 0.5) * 80)
		check((r.Float64() - 0.5) * 1100)
		check(math.Float64frombits(r.Uint64()))
	}
	for _, y := range []float64{0, math.Copysign(0, -1), 0.5, -0.5, 1, -1, 2, 511.99999, 512, -512, 1e300, -1e300,
		math.Inf(1), math.Inf(-1), math.NaN(), math.SmallestNonzeroFloat64, 308.25, -323.3, -307.9} {
		check(y)
	}
}

func BenchmarkDbmToW(b *testing.B) {
	x := -95.3
	for b.Loop() {
		sinkW = DbmToW(x)
		x += 1e-9
	}
}

func BenchmarkMathPow10(b *testing.B) {
	x := -95.3
	for b.Loop() {
		sinkW = math.Pow(10, 0.1*(x-30))
		x += 1e-9
	}
}

var sinkW float64
