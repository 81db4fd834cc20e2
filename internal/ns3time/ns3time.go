// Package ns3time reproduces ns-3 3.37's conversions between seconds and
// its nanosecond Time, operation by operation, for the models whose event
// times and bit counts must be ns-3's to the nanosecond and the bit:
// propagation delays (propagation.NS3Seconds), the chunk bits of 802.11's
// error models and OnOffApplication's send times and residual bits.
//
// ns-3 keeps time in nanoseconds and converts with int64x64_t, a 64.64
// fixed-point number (src/core/model/int64x64-128.{h,cc} on Debian's
// x86-64 builds, which have __int128; src/core/model/nstime.h).
package ns3time

import (
	"math"
	"math/bits"

	"github.com/netgym/netgym/sim"
)

// FromSeconds converts seconds to sim.Time exactly as ns-3 3.37's
// Seconds(double) does at its default nanosecond resolution
// (Time::FromDouble): the double is first converted to a Q64.64
// fixed-point number, its fraction rounded to the nearest 2^-64 (ties
// up), then multiplied exactly by 10^9, and the product rounded to the
// nearest integer with ties away from zero (int64x64_t::Round). This
// differs from math.Round(s*1e9) only when the exact product lies within
// about 3e-11 ns of a half nanosecond, but then it matches ns-3's event
// times bit for bit. NaN gives 0; results beyond the range of sim.Time
// saturate.
func FromSeconds(s float64) sim.Time {
	if ns, ok := FromSecondsSmall(s); ok {
		return ns
	}
	return fromSeconds(s)
}

// FromSecondsSmall is FromSeconds for s in (2^-76, 2^-11) s, which holds
// every propagation delay up to 146 km, and reports false for any other s
// (for which it returns 0): small enough to be inlined where a delay is
// converted for each receiver. s is a positive normal number below one,
// so its fraction's mantissa and exponent are read from its bits rather
// than through math.Modf and math.Frexp: frac = s = mant·2^(e-1075), and
// Frexp's shift, exp-53+64, is e-1011, within (-64, 0) here.
func FromSecondsSmall(s float64) (sim.Time, bool) {
	if !(s > 0x1p-76 && s < 0x1p-11) {
		return 0, false
	}
	b := math.Float64bits(s)
	k := uint(1011 - int(b>>52))
	lo := (b&(1<<52-1) | 1<<52 + 1<<(k-1)) >> k
	ns, fracNs := bits.Mul64(lo, 1e9)
	return sim.Time(ns + fracNs>>63), true
}

// fromSeconds is FromSeconds for every input: the general path.
func fromSeconds(s float64) sim.Time {
	if math.IsNaN(s) {
		return 0
	}
	neg := s < 0
	if neg {
		s = -s
	}
	// Largest seconds whose nanoseconds fit in an int64.
	if s >= float64(math.MaxInt64)/1e9 {
		if neg {
			return math.MinInt64
		}
		return sim.MaxTime
	}
	ipart, frac := math.Modf(s)
	hi := uint64(ipart)
	// The fraction to 64 fractional bits: frac = mant·2^exp with a 53-bit
	// mant; ns-3 computes floor(frac·2^64 + 0.5) in long double, which is
	// exact here (see int64x64_t(long double)).
	var lo uint64
	if frac > 0 {
		fr, exp := math.Frexp(frac) // frac = fr·2^exp, fr in [0.5, 1)
		mant := uint64(fr * (1 << 53))
		shift := exp - 53 + 64 // lo = mant·2^shift
		switch {
		case shift >= 0:
			lo = mant << uint(shift) // shift <= 11 since frac < 1
		case shift > -64:
			k := uint(-shift)
			lo = (mant + 1<<(k-1)) >> k
		}
	}
	// (hi + lo·2^-64)·10^9, rounded half away from zero.
	carry, fracNs := bits.Mul64(lo, 1e9)
	ns := hi*1e9 + carry
	if fracNs >= 1<<63 {
		ns++
	}
	if ns > math.MaxInt64 {
		ns = math.MaxInt64
	}
	if neg {
		return -sim.Time(ns)
	}
	return sim.Time(ns)
}

// inverse1e9 is ns-3 3.37's int64x64_t::Invert(1000000000), the Q0.128
// multiplier Time::To(Time::S) applies at nanosecond resolution
// (Time::SetResolution, time.cc): floor(2^128 / 1e9) plus the one unit
// Invert adds when the product with 1e9 falls short of 1; high and low
// 64-bit words.
const (
	inverse1e9Hi uint64 = 18446744073
	inverse1e9Lo uint64 = 13088917067439035464
)

// SecondsQ64 returns n nanoseconds in seconds as the Q64.64 number ns-3's
// Time::To(Time::S) computes: n·Invert(1e9) by int64x64_t::UmulByInvert,
// which drops the lowest partial product, that is n·hi + floor(n·lo /
// 2^64). The result is usually a few units of 2^-64 below the exact value.
func SecondsQ64(n uint64) (hi, lo uint64) {
	hi, lo = bits.Mul64(n, inverse1e9Hi)
	midHi, _ := bits.Mul64(n, inverse1e9Lo)
	var carry uint64
	lo, carry = bits.Add64(lo, midHi, 0)
	return hi + carry, lo
}

// Seconds returns d in seconds exactly as ns-3 3.37's Time::GetSeconds
// does at nanosecond resolution: SecondsQ64 of the nanosecond count,
// converted to long double and then to double. The result is usually one
// or two ulps below the exact value (4 µs gives
// 3.99999999999998880756e-06).
func Seconds(d sim.Time) float64 {
	neg := d < 0
	n := uint64(d)
	if neg {
		n = uint64(-d)
	}
	hi, lo := SecondsQ64(n)
	var s float64
	if hi == 0 {
		// The long double value lo/2^64 is exact; converting it to double
		// rounds once, as float64(lo) does.
		s = float64(lo) * 0x1p-64 // math.Ldexp(float64(lo), -64): exact, 0 or at least 2^-64
	} else {
		// hi + lo/2^64 rounded to the 64-bit long double mantissa, then to
		// double.
		s = roundLongDouble(hi, lo)
	}
	if neg {
		return -s
	}
	return s
}

// roundLongDouble returns (hi·2^64 + lo)/2^64 rounded first to a 64-bit
// mantissa (x87 long double, round to nearest even) and then to a 53-bit
// double, as ns-3's int64x64_t::GetDouble computes it for values of one
// second or more.
func roundLongDouble(hi, lo uint64) float64 {
	shift := uint(64 - bits.LeadingZeros64(hi)) // bits of hi; the value has 64+shift bits
	// Keep the top 64 bits of the 128-bit value: m = value >> shift.
	m := hi<<(64-shift) | lo>>shift
	if shift == 64 {
		m = hi
	}
	rem := lo << (64 - shift) // the bits shifted out, left-aligned
	if shift == 64 {
		rem = lo
	}
	const half = 1 << 63
	if rem > half || (rem == half && m&1 == 1) {
		m++
		if m == 0 { // carried out of 64 bits: the value is 2^64 × 2^(shift-64)
			return math.Ldexp(1, int(shift))
		}
	}
	return math.Ldexp(float64(m), int(shift)-64)
}
