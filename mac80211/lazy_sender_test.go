package mac80211_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/mac80211/bssgrid"
	"github.com/netgym/netgym/sim"
)

// Deferred powers (spectrum.Medium.DeferPower) are resolved with the
// sender of the transmission they came from. TestLazyWeakSignalsAreExact
// gives every PHY the same transmit power, so that any transmission's
// Sender would resolve any delivery alike; here every PHY has its own
// power, and some change theirs during the run, so that resolving with
// another transmission's Sender (the medium's last one, a pooled record's
// previous one) changes the results.
func TestLazyDeferredPowersUseTheirSender(t *testing.T) {
	cfg := bssgrid.DefaultConfig()
	cfg.BSSs = 64 // 640 PHYs: beyond spectrum's pair cache, powers deferred
	cfg.Warmup, cfg.Duration, cfg.Drain = 10*sim.Millisecond, 40*sim.Millisecond, 20*sim.Millisecond
	cfg.Interval = 10 * sim.Millisecond
	type outcome struct {
		res      bssgrid.Result
		counters []mac80211.PhyCounters
		traces   []uint64
	}
	run := func(mode string) outcome {
		g, devs, traces := gridIn(t, cfg, mode)
		o := outcome{traces: traces}
		for i, d := range devs {
			require.NoError(t, d.Mac().Phy().SetTxPowerDbm(16.0206+float64(i%9)-4.5))
		}
		// Some PHYs change power now and then during the run.
		var k int
		var turn func()
		turn = func() {
			for i := k % 5; i < len(devs); i += 5 {
				_ = devs[i].Mac().Phy().SetTxPowerDbm(16.0206 + float64((i+k)%11) - 5)
			}
			k++
			g.Sim.Schedule(311*sim.Microsecond, turn)
		}
		g.Sim.Schedule(cfg.Warmup, turn)
		var err error
		o.res, err = g.Run(context.Background())
		require.NoError(t, err)
		o.counters = phyCounters(devs)
		return o
	}
	// Against every weak signal an event under the same reserved
	// sequence numbers, and against EagerWeak (equal arrival instants of
	// PPDUs of unequal powers happen here: TestWeakWindowEndOrder).
	lazy, events, eager := run("lazy"), run("events"), run("eager")
	require.Positive(t, lazy.res.Medium.Lazy)
	for _, ref := range []outcome{events, eager} {
		require.Equal(t, ref.res.Sent, lazy.res.Sent)
		require.Equal(t, ref.res.Received, lazy.res.Received)
		require.Equal(t, ref.counters, lazy.counters)
		require.Equal(t, ref.traces, lazy.traces)
	}
	t.Logf("sent %d received %d lazy %d", lazy.res.Sent, lazy.res.Received, lazy.res.Medium.Lazy)
}
