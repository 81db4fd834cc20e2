package mac80211_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/mac80211/bssgrid"
	"github.com/netgym/netgym/sim"
)

// TestLazyWeakSignalsAreExact runs dense grids of BSSs, where most signals
// reach their PHYs between -101 and -82 dBm, three ways: with lazy
// accounting of sub-detection signals (the default), with every weak signal
// an event under the same reserved sequence numbers, and with
// MediumConfig.EagerWeak (every signal an event, as before lazy accounting
// existed). Every PHY must report the same notifications to its MAC at the
// same times with the same values, count the same drops and receptions, and
// the grid deliver the same packets; only the number of events differs.
func TestLazyWeakSignalsAreExact(t *testing.T) {
	base := bssgrid.DefaultConfig()
	base.BSSs = 25 // 5 x 5, 200 m wide: BSSs hear each other between -101 and -82 dBm
	base.Warmup, base.Duration, base.Drain = 10*sim.Millisecond, 200*sim.Millisecond, 30*sim.Millisecond
	base.Interval = 10 * sim.Millisecond
	cases := []struct {
		name string
		edit func(*bssgrid.Config)
		// lazyPct: at least this share of the undetected signals was
		// accounted lazily (measured, rounded down).
		lazyPct uint64
	}{
		{"default", func(*bssgrid.Config) {}, 70},
		// Busy PHYs and overlapping weak signals: most are events.
		{"saturated", func(c *bssgrid.Config) { c.Interval = sim.Millisecond; c.Duration = 60 * sim.Millisecond }, 20},
		// A CCA threshold within the weak range: the power bound refuses
		// most signals, and windows of overlapping weak signals report CCA.
		{"cca-sensitivity-95", func(c *bssgrid.Config) { c.Install.Phy.CcaSensitivityDbm = -95 }, 3},
		{"sparse-cbr", func(c *bssgrid.Config) { c.Spacing = 80; c.Poisson = false; c.Seed = 7 }, 90},
		// Beyond spectrum's pair cache (512 radios): the watts of the
		// weak signals are left to the PHY (spectrum.Medium.DeferWatts).
		// Antenna gains: the bounds and the watts include the receive
		// gain.
		{"640-nodes", func(c *bssgrid.Config) {
			c.BSSs = 64
			c.Duration = 40 * sim.Millisecond
			c.Install.Phy.RxGainDb = 1.5
			c.Install.Phy.TxGainDb = -0.7
		}, 70},
		{"infrastructure", func(c *bssgrid.Config) {
			c.BSSs = 9
			c.Infrastructure = true
			c.Warmup = 300 * sim.Millisecond
			c.Duration = 100 * sim.Millisecond
		}, 60},
	}
	type outcome struct {
		res      bssgrid.Result
		counters []mac80211.PhyCounters
		traces   []uint64
		probe    uint64
		stops    int
	}
	run := func(t *testing.T, cfg bssgrid.Config, mode string) outcome {
		g, devs, traces := gridIn(t, cfg, mode)
		o := outcome{traces: traces}
		// Read some PHYs' counters every 97 us from inside the run, in the
		// middle of other nodes' events: each read brings a PHY up to
		// date at that instant (replaying, or turning into events, the
		// weak signals pending there). Some reads stop the run.
		var probe func()
		probe = func() {
			for i := 0; i < len(devs); i += 7 {
				c := devs[i].Mac().Phy().Counters()
				o.probe = o.probe*1_000_003 + uint64(g.Sim.Now()) + c.Drops[mac80211.RxDropPreambleNotDetected]<<20 + c.CcaBusy<<40 + c.RxOk
			}
			g.Sim.Schedule(97*sim.Microsecond, probe)
			// Pause the run now and then, as an RL environment does: the
			// run resumes from this event's instant with pending signals.
			if o.probe%5 == 0 {
				g.Sim.Stop()
				o.stops++
			}
		}
		g.Sim.Schedule(cfg.Warmup, probe)
		var err error
		o.res, err = g.Run(context.Background())
		require.NoError(t, err)
		o.counters = phyCounters(devs)
		return o
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := base
			c.edit(&cfg)
			lazy := run(t, cfg, "lazy")
			events := run(t, cfg, "events")
			eager := run(t, cfg, "eager")
			require.Greater(t, lazy.res.Sent, uint64(400))
			for _, ref := range []outcome{events, eager} {
				require.Equal(t, ref.res.Sent, lazy.res.Sent)
				require.Equal(t, ref.res.Received, lazy.res.Received)
				require.Equal(t, ref.counters, lazy.counters)
				require.Equal(t, ref.traces, lazy.traces)
				require.Equal(t, ref.probe, lazy.probe)
				require.Equal(t, ref.res.Medium.Deliveries, lazy.res.Medium.Deliveries)
			}
			require.Zero(t, events.res.Medium.Lazy)
			require.Zero(t, eager.res.Medium.Lazy)
			// The same sub-detection deliveries, each kept or refused
			// for one reason; none below a sensitivity that is the
			// floor; catching up once per activity of a PHY, fewer
			// activities without events for the kept signals.
			st := lazy.res.Medium
			require.Equal(t, events.res.Medium.Weak, st.Weak)
			require.Zero(t, eager.res.Medium.Weak)
			require.Equal(t, st.Weak, st.Lazy+st.Refused.Total(), "%+v", st)
			require.Zero(t, st.Refused.BelowSensitivity)
			require.Positive(t, st.Refused.NotQuiet)
			require.Positive(t, st.Catchups)
			require.Less(t, st.Catchups, events.res.Medium.Catchups)
			require.Zero(t, eager.res.Medium.Catchups)
			t.Logf("refused %+v, catch-ups %d vs %d", st.Refused, st.Catchups, events.res.Medium.Catchups)
			var weak uint64
			for _, k := range lazy.counters {
				weak += k.Drops[mac80211.RxDropPreambleNotDetected]
			}
			require.GreaterOrEqual(t, 100*lazy.res.Medium.Lazy, c.lazyPct*weak, "lazy %d of %d undetected", lazy.res.Medium.Lazy, weak)
			require.NotZero(t, lazy.probe)
			require.Positive(t, lazy.stops)
			require.Less(t, lazy.res.Events, events.res.Events)
			t.Logf("sent %d received %d; %d of %d undetected signals lazy; events %d vs %d",
				lazy.res.Sent, lazy.res.Received, lazy.res.Medium.Lazy, weak, lazy.res.Events, events.res.Events)
		})
	}
}

// gridIn builds cfg in mode: "lazy" (the default), "events" (every weak
// signal an event under the sequence numbers lazy accounting reserves) or
// "eager" (MediumConfig.EagerWeak), with every PHY's notifications traced
// into traces (mac80211.TraceListener), devices in APs-then-stations order.
func gridIn(t *testing.T, cfg bssgrid.Config, mode string) (*bssgrid.Grid, []*mac80211.Device, []uint64) {
	t.Helper()
	cfg.Medium.EagerWeak = mode == "eager"
	g, err := bssgrid.Build(cfg)
	require.NoError(t, err)
	if mode == "events" {
		mac80211.SetNoLazy(g.Medium)
	}
	devs := append(append([]*mac80211.Device{}, g.APs...), g.Stations...)
	traces := make([]uint64, len(devs))
	for i, d := range devs {
		mac80211.TraceListener(d.Mac().Phy(), &traces[i])
	}
	return g, devs, traces
}

// phyCounters returns the counters of every device's PHY.
func phyCounters(devs []*mac80211.Device) []mac80211.PhyCounters {
	cs := make([]mac80211.PhyCounters, 0, len(devs))
	for _, d := range devs {
		cs = append(cs, d.Mac().Phy().Counters())
	}
	return cs
}
