package mac80211

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim/spectrum"
)

// tableSnrSteps rounds as ns-3 does (RatioToDb, then hundredths of a dB)
// for SNRs spread over 1e-12 to 1e12, for the SNRs at and around every
// rounding boundary from -100 to +100 dB, and for the extremes.
func TestTableSnrSteps(t *testing.T) {
	exact := func(snr float64) float64 { return math.Floor(spectrum.RatioToDb(snr)*tableSnrScale + 0.5) }
	check := func(snr float64) {
		if got, want := tableSnrSteps(snr), exact(snr); math.Float64bits(got) != math.Float64bits(want) {
			require.Failf(t, "tableSnrSteps", "snr %.17g: %v, ns-3 rounding %v", snr, got, want)
		}
	}
	r := rand.New(rand.NewPCG(11, 11))
	for range 3_000_000 {
		check(math.Pow(10, -12+24*r.Float64()))
	}
	// Boundaries: RatioToDb(snr)·100 + 0.5 an integer, k - 0.5 hundredths.
	for k := -10000; k <= 10000; k++ {
		b := math.Pow(10, (float64(k)-0.5)/1000)
		lo, hi := b, b
		for range 4 {
			check(lo)
			check(hi)
			lo, hi = math.Nextafter(lo, 0), math.Nextafter(hi, math.Inf(1))
		}
	}
	for _, snr := range []float64{0, math.SmallestNonzeroFloat64, 0x1p-1000, 0x1p-1001, 0x1p1000, 0x1p1001, math.MaxFloat64, math.Inf(1), -1} {
		check(snr)
	}
	got, want := tableSnrSteps(math.NaN()), exact(math.NaN())
	require.True(t, math.IsNaN(got) && math.IsNaN(want))
}

// BenchmarkTableSnrSteps: the rounding of a chunk's SNR, against ns-3's
// way (RatioToDb, a logarithm) in BenchmarkTableSnrStepsExact.
func BenchmarkTableSnrSteps(b *testing.B) {
	snr, sum := 37.3, 0.0
	for b.Loop() {
		sum += tableSnrSteps(snr)
		snr += 1e-9
	}
	require.Positive(b, sum)
}

func BenchmarkTableSnrStepsExact(b *testing.B) {
	snr, sum := 37.3, 0.0
	for b.Loop() {
		sum += math.Floor(spectrum.RatioToDb(snr)*tableSnrScale + 0.5)
		snr += 1e-9
	}
	require.Positive(b, sum)
}
