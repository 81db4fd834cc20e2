package mac80211

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/propagation"
)

// Two PPDUs reach a PHY at the same nanosecond, first (in event order) a
// -81 dBm one from a stronger sender farther away, sent first, then a
// -84 dBm one. In ns-3 the -81 dBm window ends first: not detected (SNR
// below 4 dB), it leaves; the weak one, alone, is not detected: two
// PREAMBLE_DETECT_FAILUREs. A weak signal's window end under a number
// reserved at sending would run first instead, find the stronger one in
// its window and yield to it (BUSY_DECODING_PREAMBLE): every arrival
// reserves its numbers where weak ones do (Medium.transmit), so window
// ends at one instant run in arrival order. It needs unequal transmit
// powers or gains (or two delays rounded to the same nanosecond).
//
// Not covered, a known limit (MediumConfig.EagerWeak): an event scheduled
// between a signal's sending and its arrival for the very instant its
// window ends (a signal with a propagation delay beyond the 4 us window,
// from beyond 1.2 km, arriving then, or a timer set then) runs after that
// window end lazily and before it in ns-3.
func TestWeakWindowEndOrder(t *testing.T) {
	type sender struct {
		x, txDbm float64
	}
	cases := []struct {
		name     string
		exponent float64
		first    sender // sends at 1 ms
		second   sender // sends so that the arrivals line up
		lag      func(d1, d2 float64) sim.Time
		notDet   uint64
		busy     uint64
	}{
		{"same-instant", 3, sender{-distanceForDbm(-91), 16.0206 + 10}, sender{distanceForDbm(-84), 16.0206},
			func(d1, d2 float64) sim.Time { return delayOf(d1) - delayOf(d2) }, 2, 0},
	}
	for _, c := range cases {
		for _, eager := range []bool{true, false} {
			name := c.name + map[bool]string{true: "/eager", false: "/lazy"}[eager]
			t.Run(name, func(t *testing.T) {
				s := sim.New(1, 1)
				cfg := DefaultMediumConfig()
				cfg.Loss = &propagation.LogDistance{Exponent: c.exponent, ReferenceDistance: 1, ReferenceLoss: 46.6777}
				cfg.EagerWeak = eager
				m, err := NewMedium(s, cfg)
				require.NoError(t, err)
				add := func(x, txDbm float64) *Phy {
					return attachAt(t, m, x, func(c *PhyConfig) { c.TxPowerDbm = txDbm })
				}
				rx := add(0, 16.0206)
				a, b := add(c.first.x, c.first.txDbm), add(c.second.x, c.second.txDbm)
				d1, d2 := max(c.first.x, -c.first.x), max(c.second.x, -c.second.x)
				lag := c.lag(d1, d2)
				require.Greater(t, lag, sim.Time(0))
				f, g := testFrame(100, OfdmRate6Mbps), testFrame(100, OfdmRate6Mbps)
				s.Schedule(sim.Millisecond, func() { a.Send(&f) })
				s.Schedule(sim.Millisecond+lag, func() { b.Send(&g) })
				s.Run()
				k := rx.Counters()
				require.Equal(t, [2]uint64{c.notDet, c.busy},
					[2]uint64{k.Drops[RxDropPreambleNotDetected], k.Drops[RxDropBusyDecodingPreamble]},
					"%s eager %v: %+v", c.name, eager, k)
			})
		}
	}
}
