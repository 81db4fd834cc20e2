package mac80211

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/internal/prefetch"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/spectrum"
)

// lazyNet is a phyNet without drop hooks (a hook turns lazy accounting
// off), in one of three modes: lazy (the default), "events" (every weak
// signal an event under the reserved sequence numbers) or "eager"
// (MediumConfig.EagerWeak).
func lazyNet(t *testing.T, mode string, delay sim.Time, pcfg PhyConfig, positions ...mobility.Vector) *phyNet {
	t.Helper()
	mcfg := DefaultMediumConfig()
	if delay > 0 {
		mcfg.Delay = metreDelay(delay)
	}
	mcfg.EagerWeak = mode == "eager"
	n := buildPhyNet(t, mcfg, pcfg, false, positions...)
	n.m.noLazy = mode == "events"
	n.m.takenBy = make([]uint32, len(n.phys))
	return n
}

// Timelines built to hit the corners of lazy accounting at PHY 0 (the
// receiver, at the origin), each run lazily and with every signal an
// event: the receiver must hear the same notifications with the same
// values and count the same.
func TestLazyCorners(t *testing.T) {
	us := sim.Microsecond
	ack := testFrame(ACKSize, OfdmRate6Mbps) // 44 us
	long := testFrame(1000, OfdmRate6Mbps)   // 1360 us
	dA := distanceForDbm(-90)                // weak, short delay
	dB := distanceForDbm(-93)                // weak, farther: longer delay
	dC := distanceForDbm(-60)                // strong
	d85 := distanceForDbm(-84.5)             // weak, two of them reach -82 dBm together
	d99 := distanceForDbm(-99)
	// PHY 7 mirrors PHY 1: the same power, bit for bit, and delay.
	pos := []mobility.Vector{{}, {X: dA}, {X: -dB}, {Y: dC}, {Y: -d85}, {X: d85 * 0.6, Y: d85 * 0.8}, {X: -d99 * 0.6, Y: -d99 * 0.8}, {X: -dA}}
	t0 := sim.Millisecond // PHY 0 transmits at 0: its tx end is its first activity
	endA := t0 + delayOf(dA) + 44*us
	cases := []struct {
		name string
		// plan schedules sends (and other actions) on n.
		plan func(n *phyNet)
		// lazy: signals accounted lazily at PHY 0 in the lazy run.
		lazy uint32
		// rxOk, notDetected, clearedByTx (a signal in its window when
		// the PHY sends), cca, busy (drops as BUSY_DECODING_PREAMBLE):
		// PHY 0's counters (the primer's drop included).
		rxOk, notDetected, clearedByTx, cca, busy uint64
		// delay, if not 0, is the propagation delay per metre.
		delay sim.Time
	}{
		{"strong arrival while a weak signal erased later is still on", func(n *phyNet) {
			n.sendAt(1, t0, ack)
			// B's signal arrives after A's ends, but is sent before.
			n.sendAt(2, endA-100, ack)
			// C's strong frame arrives while A's is still on.
			n.sendAt(3, endA-90, long)
		}, 2, 1, 2, 0, 2, 0, 0},
		{"send in a pending window", func(n *phyNet) {
			n.sendAt(1, t0, long)
			n.sendAt(0, t0+delayOf(dA)+2*us, ack)
		}, 1, 0, 1, 1, 0, 0, 0},
		{"send after a pending window", func(n *phyNet) {
			n.sendAt(1, t0, long)
			n.sendAt(0, t0+delayOf(dA)+10*us, ack)
		}, 1, 0, 2, 0, 0, 0, 0},
		{"two weak signals reach the CCA threshold", func(n *phyNet) {
			n.sendAt(4, t0, long)
			n.sendAt(5, t0+100*us, long) // refused by the power bound
		}, 1, 0, 3, 0, 1, 0, 0},
		{"counters read in a pending window and after it", func(n *phyNet) {
			n.sendAt(1, t0, ack)
			n.sendAt(2, t0+200*us, ack)
			for _, at := range []sim.Time{t0 + delayOf(dA) + 2*us, t0 + 100*us, t0 + 200*us} {
				_, err := n.s.ScheduleAt(at, func() { _ = n.phys[0].Counters() })
				require.NoError(t, err)
			}
		}, 2, 0, 3, 0, 0, 0, 0},
		{"weak signals in a row, then a strong one", func(n *phyNet) {
			for i := range 6 {
				n.sendAt(1+i%2, t0+sim.Time(i)*60*us, ack)
			}
			n.sendAt(3, t0+330*us, long)
		}, 6, 1, 7, 0, 2, 0, 0},
		// With 1 us per metre: A's long signal (95 us away) ends before
		// B's (120 us) arrives, and B's has not arrived when D's (190
		// us) is sent; C's short frame (9.5 us) arrives and ends while A's
		// is on: A must then be interference in C's SINR, although a
		// signal that arrives after A's end is pending.
		{"long delays: signals overtaken in flight", func(n *phyNet) {
			endA := t0 + metreDelay(1000).Delay(mobility.Vector{}, pos[1]) + 1360*us
			n.sendAt(1, t0, long)
			n.sendAt(2, endA-110*us, ack)
			n.sendAt(6, endA-105*us, ack)
			n.sendAt(3, endA-100*us, ack)
		}, 3, 1, 4, 0, 2, 0, 1000},
		// Weak signals in overlapping detection windows: at a window's
		// end, a stronger one in its own window makes the PHY drop the
		// first (BUSY_DECODING_PREAMBLE) and wait for it.
		{"a weaker signal, then a stronger one in its window", func(n *phyNet) {
			n.sendAt(2, t0, ack)
			n.sendAt(1, t0+us, ack)
		}, 2, 0, 2, 0, 0, 1, 0},
		{"a stronger signal, then a weaker one in its window", func(n *phyNet) {
			n.sendAt(1, t0, ack)
			n.sendAt(2, t0+us, ack)
		}, 2, 0, 3, 0, 0, 0, 0},
		{"three windows in a chain, then a strong frame", func(n *phyNet) {
			n.sendAt(2, t0, ack)
			n.sendAt(1, t0+2*us, ack)
			n.sendAt(6, t0+5*us, ack)
			n.sendAt(3, t0+200*us, long)
		}, 3, 1, 3, 0, 2, 1, 0},
		{"counters read with two windows open", func(n *phyNet) {
			n.sendAt(2, t0, ack)
			n.sendAt(1, t0+2*us, ack)
			n.sendAt(6, t0+5*us, ack) // the PHY is not quiet: an event
			_, err := n.s.ScheduleAt(t0+3*us, func() { _ = n.phys[0].Counters() })
			require.NoError(t, err)
		}, 2, 0, 3, 0, 0, 1, 0},
		{"equal powers in overlapping windows: the first is the best", func(n *phyNet) {
			n.sendAt(1, t0, ack)
			n.sendAt(7, t0+us, ack)
		}, 2, 0, 3, 0, 0, 0, 0},
		{"equal powers, the other order", func(n *phyNet) {
			n.sendAt(7, t0, ack)
			n.sendAt(1, t0+us, ack)
		}, 2, 0, 3, 0, 0, 0, 0},
		// Later weak signals erase the pair's change points: the pair's
		// drops still count what their windows ended in.
		{"an overlapping pair, then weak signals that erase it", func(n *phyNet) {
			n.sendAt(2, t0, ack)
			n.sendAt(1, t0+us, ack)
			n.sendAt(6, t0+100*us, ack)
			n.sendAt(7, t0+200*us, ack)
			n.sendAt(3, t0+300*us, long)
		}, 4, 1, 4, 0, 2, 1, 0},
		// A strong frame arrives while PHY 0 transmits: tracked, not
		// received. A weak signal during it is an event (with the strong
		// one the power reaches the CCA threshold); one after its end is
		// accounted lazily.
		{"weak signals during and after a strong frame missed while sending", func(n *phyNet) {
			n.sendAt(0, t0, ack)
			n.sendAt(3, t0+us, long)
			n.sendAt(2, t0+500*us, ack)
			n.sendAt(1, t0+1400*us, ack)
		}, 1, 0, 3, 0, 2, 0, 0},
		{"a weak signal arrives as the last one's window ends", func(n *phyNet) {
			n.sendAt(1, t0, ack)
			n.sendAt(7, t0+4*us, ack)
			n.sendAt(3, t0+30*us, long)
		}, 2, 1, 3, 0, 2, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			type outcome struct {
				events   []phyEvent
				counters PhyCounters
				lazy     uint32
			}
			run := func(mode string) outcome {
				n := lazyNet(t, mode, c.delay, DefaultPhyConfig(), pos...)
				n.sendAt(0, 0, ack)
				// PHY 0's first weak signal is an event (it enrols the
				// PHY in lazy accounting): a primer long before t0.
				n.sendAt(1, 200*us, ack)
				c.plan(n)
				n.s.Run()
				var taken uint32
				if n.m.takenBy != nil {
					taken = n.m.takenBy[0]
				}
				return outcome{n.recs[0].events, n.phys[0].Counters(), taken}
			}
			lazy, events, eager := run("lazy"), run("events"), run("eager")
			for _, ref := range []outcome{events, eager} {
				require.Equal(t, ref.events, lazy.events)
				require.Equal(t, ref.counters, lazy.counters)
				require.Zero(t, ref.lazy)
			}
			require.Equal(t, c.lazy, lazy.lazy)
			k := lazy.counters
			require.Equal(t, []uint64{c.rxOk, c.notDetected, c.clearedByTx, c.cca, c.busy},
				[]uint64{k.RxOk, k.Drops[RxDropPreambleNotDetected], k.Drops[RxDropClearedByTx], k.CcaBusy, k.Drops[RxDropBusyDecodingPreamble]})
		})
	}
}

// wattsAtMost bounds DbmToW from above, within 1e-7 (relative), over the
// powers a radio meets and beyond.
func TestWattsAtMost(t *testing.T) {
	check := func(dbm float64) {
		exact, bound := spectrum.DbmToW(dbm), wattsAtMost(dbm)
		if !(bound >= exact && bound <= exact*(1+1.2e-7)) {
			require.Failf(t, "wattsAtMost", "%.17g dBm: bound %.17g, DbmToW %.17g", dbm, bound, exact)
		}
	}
	for dbm := -300.0; dbm <= 100; dbm += 1.0 / 1024 {
		check(dbm)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		check(-200 + 250*r.Float64())
	}
	for _, dbm := range []float64{-3000, -2900, 2900, 3000} {
		check(dbm)
	}
	require.Equal(t, 0.0, wattsAtMost(math.Inf(-1)))
	require.True(t, math.IsNaN(wattsAtMost(math.NaN())))
}

// BenchmarkWattsAtMost: the bound of a weak signal's watts that lazy
// admission computes instead of spectrum.DbmToW (about 40 ns here).
func BenchmarkWattsAtMost(b *testing.B) {
	x, sum := -95.3, 0.0
	for b.Loop() {
		sum += wattsAtMost(x)
		x += 1e-9
	}
	require.Positive(b, sum)
}

// A drop hook set mid-run with SetOnRxDrop hears the drops from then on,
// at their own times, and none from before: as when every weak signal is
// an event. Set at t0+130 us: two weak signals have ended (not heard),
// one is in its detection window, one is in flight, two come later (an
// overlapping pair).
func TestSetOnRxDropMidRun(t *testing.T) {
	us := sim.Microsecond
	ack := testFrame(ACKSize, OfdmRate6Mbps)
	pos := []mobility.Vector{{}, {X: distanceForDbm(-90)}, {X: -distanceForDbm(-93)}}
	t0 := sim.Millisecond
	type heard struct {
		at     sim.Time
		reason RxDropReason
	}
	run := func(mode string) ([]heard, PhyCounters, uint32) {
		n := lazyNet(t, mode, 0, DefaultPhyConfig(), pos...)
		n.sendAt(0, 0, ack)
		n.sendAt(1, 200*us, ack) // the primer: PHY 0 takes part
		for _, sd := range []struct {
			phy int
			at  sim.Time
		}{{1, t0}, {2, t0 + 60*us}, {1, t0 + 128*us}, {2, t0 + 130*us}, {2, t0 + 300*us}, {1, t0 + 301*us}} {
			n.sendAt(sd.phy, sd.at, ack)
		}
		var got []heard
		_, err := n.s.ScheduleAt(t0+130*us, func() {
			n.phys[0].SetOnRxDrop(func(_ *Frame, r RxDropReason) { got = append(got, heard{n.s.Now(), r}) })
		})
		require.NoError(t, err)
		n.s.Run()
		var taken uint32
		if n.m.takenBy != nil {
			taken = n.m.takenBy[0]
		}
		return got, n.phys[0].Counters(), taken
	}
	lazy, lazyCounters, taken := run("lazy")
	for _, mode := range []string{"events", "eager"} {
		ref, refCounters, _ := run(mode)
		require.Equal(t, ref, lazy, mode)
		require.Equal(t, refCounters, lazyCounters, mode)
	}
	// The fourth is sent at t0+130 us before the hook is set: accounted
	// lazily too, it is in flight then.
	require.Equal(t, uint32(4), taken)
	// Heard: the one in its window and the one in flight at t0+130 us,
	// then the pair (the weaker first signal yields to the stronger).
	require.Len(t, lazy, 4)
	require.Equal(t, []RxDropReason{RxDropPreambleNotDetected, RxDropPreambleNotDetected, RxDropBusyDecodingPreamble, RxDropPreambleNotDetected},
		[]RxDropReason{lazy[0].reason, lazy[1].reason, lazy[2].reason, lazy[3].reason})
	require.Greater(t, lazy[0].at, t0+130*us)
}

// The lazy record keeps its layout: four cache lines, the first with all
// admission reads but the signals, four signals of 48 bytes in the other
// three. A field added without a thought would spill a line per weak
// signal.
func TestLazySlotLayout(t *testing.T) {
	require.Equal(t, uintptr(256), unsafe.Sizeof(lazySlot{}))
	require.Equal(t, uintptr(48), unsafe.Sizeof(lazyItem{}))
	require.Equal(t, uintptr(64), unsafe.Offsetof(lazySlot{}.items))
}

// float32Up never rounds a power down, and is the nearest float32 above.
func TestFloat32Up(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for range 1_000_000 {
		w := math.Exp(r.Float64()*200 - 150)
		f := float32Up(w)
		require.GreaterOrEqual(t, float64(f), w)
		require.Less(t, float64(math.Nextafter32(f, 0)), w, "%g", w)
	}
	require.Equal(t, float32(0), float32Up(0))
	require.Equal(t, float32(math.Inf(1)), float32Up(1e300))
	require.Equal(t, math.SmallestNonzeroFloat32, float64(float32Up(1e-300)))
	require.True(t, math.IsNaN(float64(float32Up(math.NaN()))))
}

// A PHY fetches its MAC's record ahead of a detection window's end: the
// whole record, wired by SetListener (a MAC that stopped listening is no
// longer fetched).
func TestListenerLinesAhead(t *testing.T) {
	s := sim.New(1, 1)
	phy, err := NewPhy(s, DefaultPhyConfig())
	require.NoError(t, err)
	require.Nil(t, phy.warm)
	mac, err := NewAdhocMac(s, phy, DefaultMacConfig())
	require.NoError(t, err)
	require.Equal(t, unsafe.Pointer(mac), phy.warm)
	require.Equal(t, int(unsafe.Sizeof(*mac)+63)/64, phy.warmLines)
	require.GreaterOrEqual(t, phy.warmLines*64, int(unsafe.Offsetof(mac.Counters)+unsafe.Sizeof(mac.Counters)))
	// A transmission fetches every line of the PHYs and lazy records it
	// schedules arrivals at: prefetch.Lines fetches 32 lines at most.
	require.LessOrEqual(t, prefetch.LinesOf(unsafe.Sizeof(*phy)), 32)
	require.Equal(t, 4, prefetch.LinesOf(unsafe.Sizeof(lazySlot{})))
	phy.SetListener(nil)
	require.Nil(t, phy.warm)
	require.Zero(t, phy.warmLines)
}
