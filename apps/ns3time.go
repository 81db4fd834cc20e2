package apps

import (
	"math"
	"math/bits"

	"github.com/netgym/netgym/sim"
)

// ns-3 keeps time in nanoseconds and converts with int64x64_t, a 64.64
// fixed-point number (src/core/model/int64x64-128.{h,cc} on Debian's
// x86-64 builds, which have __int128). OnOffApplication's timing goes
// through two of those conversions; they are reproduced here so that its
// send times and residual bits are ns-3's to the nanosecond and the bit.

// invertSecond is the 64.64 fixed-point value int64x64_t::Invert(1e9)
// that Time::To(Time::S) multiplies nanoseconds by (Time::SetResolution,
// time.cc): floor(2^128 / 1e9) plus the one unit Invert adds when the
// product with 1e9 falls short of 1.
const (
	invertSecondHi uint64 = 18446744073
	invertSecondLo uint64 = 0xb5a52cb98b405448
)

// maxDuration bounds the durations the applications schedule (about 73
// years, as sim/inet's delays): a longer draw means "never".
const maxDuration = sim.MaxTime / 4

// ns3Seconds returns ns-3's Seconds(x) in nanoseconds for x >= 0, as
// Time::FromDouble(x, Time::S) computes it: the double becomes a 64.64
// number (integer part, then the fraction times 2^64 plus one half,
// truncated: the long-double constructor of int64x64_t), is multiplied by
// 1e9 exactly and rounded half up (int64x64_t::Round). ok is false for
// NaN, infinities and durations beyond maxDuration.
func ns3Seconds(x float64) (t sim.Time, ok bool) {
	if !(x >= 0) || x > float64(maxDuration)/1e9 {
		return 0, false
	}
	hi := math.Floor(x)
	v := (x - hi) * (1 << 64) // exact: a power-of-two scaling of an exact fraction
	fl := math.Floor(v)
	lo := uint64(fl)
	if v-fl >= 0.5 {
		lo++
	}
	ph, pl := bits.Mul64(lo, 1e9)
	ns := uint64(hi)*1e9 + ph
	if pl >= 1<<63 {
		ns++
	}
	return sim.Time(ns), true
}

// ns3ResidualBits returns the bits OnOffApplication::CancelEvents adds to
// its residual when an "on" period ends delta after the last send:
// (delta.To(Time::S) * rate).GetHigh(), that is the nanoseconds multiplied
// by invertSecond (int64x64_t::MulByInvert, which drops the lowest partial
// product) and then by the rate (exact), truncated to an integer.
func ns3ResidualBits(delta sim.Time, rate uint64) uint64 {
	if delta <= 0 {
		return 0
	}
	d := uint64(delta)
	// Seconds as a 64.64 number: d*hi + floor(d*lo / 2^64).
	carryIn, _ := bits.Mul64(d, invertSecondLo)
	sh, sl := bits.Mul64(d, invertSecondHi)
	var c uint64
	sl, c = bits.Add64(sl, carryIn, 0)
	sh += c
	// Times the rate, integer part.
	ih, il := bits.Mul64(sh, rate)
	fh, _ := bits.Mul64(sl, rate)
	if ih != 0 {
		return math.MaxUint64
	}
	r, c := bits.Add64(il, fh, 0)
	if c != 0 {
		return math.MaxUint64
	}
	return r
}
