package mac80211

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

// A weak signal's detection window end takes, with lazy accounting (and
// with every weak signal an event under the same numbers), a sequence
// number reserved when the signal was sent; ns-3 (and MediumConfig.
// EagerWeak) schedules it when the signal arrives. Events at the PHY at the
// window end's instant that were scheduled in between run in another
// order:
//
//   - same-instant: two PPDUs reach the PHY at the same nanosecond, first
//     (in event order) a -81 dBm one from a stronger sender farther away,
//     sent first, then a -84 dBm one. In ns-3 the -81 dBm window ends
//     first: not detected (SNR below 4 dB), it leaves; the weak one, alone,
//     is not detected: two PREAMBLE_DETECT_FAILUREs. The reserved window
//     end runs first instead, finds the stronger one in its window and
//     yields to it (BUSY_DECODING_PREAMBLE). It needs unequal transmit
//     powers or gains (or two delays rounded to the same nanosecond).
//   - far-arrival: with exponent 2 (range 3.3 km at -101 dBm) a signal
//     with a propagation delay beyond the 4 us window, sent after the weak
//     one and before it arrived, reaches the PHY at the very instant the
//     weak window ends: in ns-3 it arrives first, is in the window, and
//     the weak one yields to it; the reserved window end runs first and the
//     weak one is not detected.
//
// Both pre-existing (268bc6b fails them the same way), not from the
// deferred powers. Every arrival reserving its numbers where weak signals
// do (Medium.transmit) fixes the first; the second, a known limit of
// reserving at sending, runs only with NETGYM_KNOWN_ISSUES set.
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
		known    bool // a known issue
	}{
		{"same-instant", 3, sender{-distanceForDbm(-91), 16.0206 + 10}, sender{distanceForDbm(-84), 16.0206},
			func(d1, d2 float64) sim.Time { return delayOf(d1) - delayOf(d2) }, 2, 0, false},
		{"far-arrival", 2, sender{500, 16.0206}, sender{-1500, 27},
			func(d1, d2 float64) sim.Time { return delayOf(d1) + 4*sim.Microsecond - delayOf(d2) }, 1, 1, true},
	}
	for _, c := range cases {
		for _, eager := range []bool{true, false} {
			name := c.name + map[bool]string{true: "/eager", false: "/lazy"}[eager]
			t.Run(name, func(t *testing.T) {
				if c.known && !eager && os.Getenv("NETGYM_KNOWN_ISSUES") == "" {
					t.Skip("known issue: a window end reserved at sending runs before a far signal arriving then (set NETGYM_KNOWN_ISSUES=1)")
				}
				s := sim.New(1, 1)
				cfg := DefaultMediumConfig()
				cfg.Loss = &propagation.LogDistance{Exponent: c.exponent, ReferenceDistance: 1, ReferenceLoss: 46.6777}
				cfg.EagerWeak = eager
				m, err := NewMedium(s, cfg)
				require.NoError(t, err)
				add := func(x, txDbm float64) *Phy {
					pc := DefaultPhyConfig()
					pc.TxPowerDbm = txDbm
					p, err := NewPhy(s, pc)
					require.NoError(t, err)
					require.NoError(t, m.Attach(p, mobility.NewConstantPosition(mobility.Vector{X: x})))
					return p
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
