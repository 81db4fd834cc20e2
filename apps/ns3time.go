package apps

import (
	"math"
	"math/bits"

	"github.com/netgym/netgym/internal/ns3time"
	"github.com/netgym/netgym/sim"
)

// OnOffApplication's timing goes through two of ns-3's int64x64_t time
// conversions (package ns3time); they are reproduced so that its send times
// and residual bits are ns-3's to the nanosecond and the bit.

// maxDuration bounds the durations the applications schedule (about 73
// years, as sim/inet's delays): a longer draw means "never".
const maxDuration = sim.MaxTime / 4

// ns3Seconds returns ns-3's Seconds(x) in nanoseconds for x >= 0
// (ns3time.FromSeconds). ok is false for NaN, infinities and durations
// beyond maxDuration.
func ns3Seconds(x float64) (t sim.Time, ok bool) {
	if !(x >= 0) || x > float64(maxDuration)/1e9 {
		return 0, false
	}
	return ns3time.FromSeconds(x), true
}

// ns3ResidualBits returns the bits OnOffApplication::CancelEvents adds to
// its residual when an "on" period ends delta after the last send:
// (delta.To(Time::S) * rate).GetHigh(), that is the nanoseconds in seconds
// as a 64.64 number (ns3time.SecondsQ64) multiplied by the rate (exact),
// truncated to an integer.
func ns3ResidualBits(delta sim.Time, rate uint64) uint64 {
	if delta <= 0 {
		return 0
	}
	sh, sl := ns3time.SecondsQ64(uint64(delta))
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
