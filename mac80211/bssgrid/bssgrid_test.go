package bssgrid

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
)

func small() Config {
	c := DefaultConfig()
	c.BSSs, c.StationsPerBSS = 4, 3
	c.Warmup, c.Duration, c.Drain = 100*sim.Millisecond, 300*sim.Millisecond, 50*sim.Millisecond
	return c
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"no BSS", func(c *Config) { c.BSSs = 0 }, "BSSs 0"},
		{"no station", func(c *Config) { c.StationsPerBSS = 0 }, "StationsPerBSS 0"},
		{"too many", func(c *Config) { c.BSSs = MaxNodes }, "more than"},
		{"spacing", func(c *Config) { c.Spacing = math.NaN() }, "Spacing"},
		{"radius", func(c *Config) { c.Radius = -1 }, "Radius"},
		{"payload", func(c *Config) { c.Payload = 5000 }, "Payload 5000"},
		{"interval", func(c *Config) { c.Interval = 0 }, "Interval"},
		{"duration", func(c *Config) { c.Duration = 0 }, "Duration"},
		{"mac", func(c *Config) { c.Install.Mac.RetryLimit = 0 }, "RetryLimit"},
		{"medium", func(c *Config) { c.Medium.Loss = nil }, "Loss"},
		// Infrastructure mode validates the AP and station configs too.
		{"start jitter", func(c *Config) { c.Infrastructure, c.Install.Sta.StartJitter = true, -1 }, "StartJitter"},
		{"beacon interval", func(c *Config) { c.Infrastructure, c.Install.Ap.BeaconInterval = true, 1000 }, "BeaconInterval"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			c.edit(&cfg)
			err := cfg.Validate()
			require.ErrorContains(t, err, c.want)
			_, err = Run(context.Background(), cfg)
			require.Error(t, err)
		})
	}
	require.NoError(t, DefaultConfig().Validate())
	require.Equal(t, 1000, DefaultConfig().Nodes())
	// Ad-hoc, the AP and station configs are unused and not checked.
	adhoc := DefaultConfig()
	adhoc.Install.Sta.StartJitter = -1
	require.NoError(t, adhoc.Validate())
}

func TestLayout(t *testing.T) {
	cfg := small()
	cfg.BSSs = 5 // 3 columns: two rows, the second with two BSSs
	g, err := Build(cfg)
	require.NoError(t, err)
	require.Len(t, g.APs, 5)
	require.Len(t, g.Stations, 15)
	require.Equal(t, 20, g.Medium.NumPhys())
}

func TestRunDeliversAndIsDeterministic(t *testing.T) {
	for _, poisson := range []bool{true, false} {
		cfg := small()
		cfg.Poisson = poisson
		a, err := Run(context.Background(), cfg)
		require.NoError(t, err)
		b, err := Run(context.Background(), cfg)
		require.NoError(t, err)
		require.Equal(t, a.Sent, b.Sent)
		require.Equal(t, a.Received, b.Received)
		require.Equal(t, a.Events, b.Events)
		require.Equal(t, 16, a.Nodes)
		require.Equal(t, 12, a.Associated)
		// 12 stations at 10 packets per second for 0.3 s: 36 on average;
		// CBR sends exactly 3 each.
		if poisson {
			require.InDelta(t, 36, float64(a.Sent), 15)
		} else {
			require.Equal(t, uint64(36), a.Sent)
		}
		require.Equal(t, a.Sent, a.Received, "strong links, light load: nothing lost")
		require.Equal(t, 1.0, a.Delivery())
		require.Greater(t, a.Medium.Transmissions, 2*a.Sent-1, "data and ACKs")
		require.Greater(t, a.TrafficEvents, uint64(0))
		require.Less(t, a.TrafficEvents, a.Events+1)
		// The PHYs' totals: every transmission is one PHY's frame, every
		// packet an AP received one of its PHY's frames (with the ACKs
		// and the frames overheard by other PHYs besides).
		require.Equal(t, b.Phy, a.Phy)
		require.Equal(t, a.Medium.Transmissions, a.Phy.TxFrames)
		require.Greater(t, a.Phy.RxOk, a.Received)
	}
	cfg := small()
	cfg.Run = 2
	c, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	a, _ := Run(context.Background(), small())
	require.NotEqual(t, a.Events, c.Events, "another run draws other packet times")
}

func TestInfrastructureAssociates(t *testing.T) {
	cfg := small()
	cfg.Infrastructure = true
	cfg.Warmup = 600 * sim.Millisecond
	res, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	require.Equal(t, 12, res.Associated)
	require.Greater(t, res.Delivery(), 0.9)
	// Every station's first association, in order: all scan from time 0,
	// so none before WaitBeaconTimeout and all within a few ms of it.
	wait := cfg.Install.Sta.WaitBeaconTimeout
	require.Len(t, res.FirstAssociations, 12)
	require.True(t, slices.IsSorted(res.FirstAssociations))
	require.GreaterOrEqual(t, res.FirstAssociations[0], wait)
	require.Less(t, res.FirstAssociations[11], wait+20*sim.Millisecond)
	// What went on the air, by type: every transmission has its type;
	// beacons, one association request at least per station, a response
	// each, the data frames (ARP pre-filled: no other data) and ACKs.
	var total uint64
	for _, n := range res.Medium.TxByType {
		total += n
	}
	tx := res.Medium.TxByType
	require.Equal(t, res.Medium.Transmissions, total)
	require.Positive(t, tx[mac80211.FrameBeacon])
	require.GreaterOrEqual(t, tx[mac80211.FrameAssocRequest], uint64(12))
	require.GreaterOrEqual(t, tx[mac80211.FrameAssocResponse], uint64(12))
	require.GreaterOrEqual(t, tx[mac80211.FrameData], res.Sent)
	require.Less(t, tx[mac80211.FrameData], res.Sent+res.Sent/10+2, "only a few retries")
	require.Zero(t, tx[mac80211.FrameProbeRequest], "passive scanning")

	// Staggered power-on spreads them over the jitter.
	cfg.Install.Sta.StartJitter = 200 * sim.Millisecond
	res, err = Run(context.Background(), cfg)
	require.NoError(t, err)
	require.Equal(t, 12, res.Associated)
	require.Len(t, res.FirstAssociations, 12)
	require.GreaterOrEqual(t, res.FirstAssociations[0], wait)
	require.Greater(t, res.FirstAssociations[11]-res.FirstAssociations[0], 50*sim.Millisecond)
	require.Less(t, res.FirstAssociations[11], wait+200*sim.Millisecond+20*sim.Millisecond)

	// Ad-hoc: no association.
	cfg.Infrastructure = false
	res, err = Run(context.Background(), cfg)
	require.NoError(t, err)
	require.Nil(t, res.FirstAssociations)
}

func TestRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, small())
	require.ErrorIs(t, err, context.Canceled)
	var noCtx context.Context
	_, err = Run(noCtx, small())
	require.ErrorContains(t, err, "needs a context")
}

func TestFloorCutsWork(t *testing.T) {
	cfg := small()
	cfg.BSSs = 9
	exact, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	cfg.Medium.FloorDbm = -82
	cut, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	require.Less(t, cut.Medium.Deliveries*2, exact.Medium.Deliveries)
	require.Less(t, cut.Events, exact.Events)
}

// PHYs configured with ns-3's RxSensitivity at -82 dBm make the medium cull
// at -82 dBm, and that is exact: the same run as a -82 dBm medium floor
// over default PHYs, and as delivering every signal down to -101 dBm to
// PHYs that then drop those below their sensitivity (a far-away default
// PHY keeps the medium's floor at -101 dBm).
func TestSensitivityCullingIsExact(t *testing.T) {
	base := DefaultConfig()
	base.BSSs = 36 // 6 x 6, 250 m wide: BSSs hear each other between -101 and -82 dBm
	base.Warmup, base.Duration, base.Drain = 10*sim.Millisecond, 400*sim.Millisecond, 50*sim.Millisecond
	base.Interval = 20 * sim.Millisecond

	type outcome struct {
		res      Result
		counters []mac80211.PhyCounters
	}
	run := func(t *testing.T, edit func(*Config), farPhy bool) outcome {
		cfg := base
		edit(&cfg)
		g, err := Build(cfg)
		require.NoError(t, err)
		if farPhy {
			p, err := mac80211.NewPhy(g.Sim, mac80211.DefaultPhyConfig())
			require.NoError(t, err)
			require.NoError(t, g.Medium.Attach(p, mobility.NewConstantPosition(mobility.Vector{X: -1e5})))
		}
		res, err := g.Run(context.Background())
		require.NoError(t, err)
		var o outcome
		o.res = res
		for _, d := range append(append([]*mac80211.Device{}, g.APs...), g.Stations...) {
			c := d.Mac().Phy().Counters()
			c.Drops[mac80211.RxDropBelowSensitivity] = 0
			o.counters = append(o.counters, c)
		}
		return o
	}
	deaf := func(c *Config) { c.Install.Phy.RxSensitivityDbm = -82 }
	floor := func(c *Config) { c.Medium.FloorDbm = -82 }
	sens := run(t, deaf, false)
	viaFloor := run(t, floor, false)
	delivered := run(t, deaf, true)

	require.Greater(t, sens.res.Sent, uint64(5000))
	require.Greater(t, sens.res.Received, sens.res.Sent*9/10)
	require.Equal(t, sens.res.Sent, viaFloor.res.Sent)
	require.Equal(t, sens.res.Received, viaFloor.res.Received)
	require.Equal(t, sens.res.Events, viaFloor.res.Events)
	require.Equal(t, sens.counters, viaFloor.counters)
	require.Equal(t, sens.res.Medium.Deliveries, viaFloor.res.Medium.Deliveries)

	require.Equal(t, sens.res.Sent, delivered.res.Sent)
	require.Equal(t, sens.res.Received, delivered.res.Received)
	require.Equal(t, sens.counters, delivered.counters)
	// The -101 dBm medium delivered many more signals, all dropped.
	require.Greater(t, delivered.res.Medium.Deliveries, 3*sens.res.Medium.Deliveries)
	require.Greater(t, delivered.res.Events, sens.res.Events)
	t.Logf("sent %d received %d; deliveries %d (culled at -82) vs %d (-101)",
		sens.res.Sent, sens.res.Received, sens.res.Medium.Deliveries, delivered.res.Medium.Deliveries)
}

func TestPositions(t *testing.T) {
	cfg := small()
	cfg.BSSs = 5 // 3 columns: APs at (0,0) (50,0) (100,0) (0,50) (50,50)
	pos, err := Positions(cfg)
	require.NoError(t, err)
	require.Len(t, pos, cfg.Nodes())
	aps := []mobility.Vector{{X: 0, Y: 0}, {X: 50, Y: 0}, {X: 100, Y: 0}, {X: 0, Y: 50}, {X: 50, Y: 50}}
	for b, ap := range aps {
		require.Equal(t, ap, pos[b*4], "BSS %d's AP comes first", b)
		for i := 1; i <= 3; i++ {
			st := pos[b*4+i]
			require.LessOrEqual(t, math.Hypot(st.X-ap.X, st.Y-ap.Y), cfg.Radius, "BSS %d station %d", b, i)
		}
	}
	// Pinned: the first and last stations of seed 1, run 1 (the
	// "bssgrid/positions" stream, radius then angle per station).
	require.InDelta(t, 0.70392585745413438, pos[1].X, 1e-12)
	require.InDelta(t, 5.8620934189826235, pos[1].Y, 1e-12)
	require.InDelta(t, 58.273336141291331, pos[19].X, 1e-12)
	require.InDelta(t, 44.650523334251737, pos[19].Y, 1e-12)

	again, err := Positions(cfg)
	require.NoError(t, err)
	require.Equal(t, pos, again)
	cfg.Seed = 2
	other, err := Positions(cfg)
	require.NoError(t, err)
	require.Equal(t, pos[4], other[4], "APs do not depend on the seed")
	require.NotEqual(t, pos[1], other[1], "stations do")

	cfg.BSSs = 0
	_, err = Positions(cfg)
	require.ErrorContains(t, err, "BSSs 0")
}

// The default grid (1,000 nodes, 1 s of traffic, ns-3's default PHY and
// -101 dBm sensitivity) against ns-3 3.37 on the same positions: what the
// PHYs did with the PPDUs that reached them, per transmission, lies within
// the range of six ns-3 runs (run numbers 1-6, each on the geometry netgym
// draws for that run) widened by 1% on each side. The ns-3 figures are
// bench/ns3/wifi-grid.cc's PhyRxDrop, RxOk and RxError counts from
// `bench/ns3/wifi-grid-compare.sh -R -n 1000 -d 1 -r 6` (2026-12-02,
// bench/ns3/RESULTS.md section 11, "What the PHYs did"). The rare reasons
// (under 0.1 per transmission: L_SIG_FAILURE,
// PREAMBLE_DETECTION_PACKET_SWITCH, RECEPTION_ABORTED_BY_TX) move by 20% and
// more from run to run on either side and are compared in that table only.
func TestPhyCountsBesideNS3(t *testing.T) {
	res, err := Run(context.Background(), DefaultConfig())
	require.NoError(t, err)
	require.Greater(t, res.Medium.Transmissions, uint64(17000))
	d := res.Phy.Drops
	perTxWithin(t, res, []perTxRange{ // ns-3's six runs
		{"RxOk", res.Phy.RxOk, 19.378, 19.681},
		{"RxError", d[mac80211.RxDropPayloadFailed], 9.687, 9.963},
		{"PREAMBLE_DETECT_FAILURE", d[mac80211.RxDropPreambleNotDetected], 368.89, 369.99},
		{"BUSY_DECODING_PREAMBLE", d[mac80211.RxDropBusyDecodingPreamble], 9.789, 10.640},
		{"RXING", d[mac80211.RxDropBusyRx], 4.657, 4.934},
		{"TXING", d[mac80211.RxDropTransmitting], 0.3015, 0.3105},
	})
}

// perTxRange is a PHY count of a run and the range of ns-3's runs for it,
// per transmission.
type perTxRange struct {
	name   string
	got    uint64
	lo, hi float64
}

// perTxWithin requires each count, divided by the run's transmissions, to
// lie within its ns-3 range widened by 1% on each side.
func perTxWithin(t *testing.T, res Result, ranges []perTxRange) {
	t.Helper()
	tx := float64(res.Medium.Transmissions)
	for _, r := range ranges {
		t.Run(r.name, func(t *testing.T) {
			got := float64(r.got) / tx
			require.GreaterOrEqual(t, got, r.lo*0.99)
			require.LessOrEqual(t, got, r.hi*1.01)
		})
	}
}

// msRange is a time of a run, ms, the range of ns-3's runs for it and how
// far the range is widened on each side.
type msRange struct {
	name          string
	got           float64
	lo, hi, widen float64
}

// msWithin requires each time to lie within its widened ns-3 range.
func msWithin(t *testing.T, ranges []msRange) {
	t.Helper()
	for _, r := range ranges {
		t.Run("association "+r.name, func(t *testing.T) {
			require.GreaterOrEqual(t, r.got, r.lo-r.widen)
			require.LessOrEqual(t, r.got, r.hi+r.widen)
		})
	}
}

// txTypeRange is the range of ns-3's runs for the transmissions of one
// frame type.
type txTypeRange struct {
	ft     mac80211.FrameType
	lo, hi float64
}

// txTypesWithin requires the run's transmissions of each frame type to lie
// within their ns-3 range widened by 1% on each side.
func txTypesWithin(t *testing.T, res Result, ranges []txTypeRange) {
	t.Helper()
	for _, r := range ranges {
		t.Run(r.ft.NS3Name(), func(t *testing.T) {
			got := float64(res.Medium.TxByType[r.ft])
			require.GreaterOrEqual(t, got, r.lo*0.99)
			require.LessOrEqual(t, got, r.hi*1.01)
		})
	}
}

// The default grid in infrastructure mode (1,000 nodes, 1 s warm-up with
// every station scanning from time 0, 200 ms of traffic) against ns-3 3.37
// on the same positions (ApWifiMac and StaWifiMac at their defaults, ARP
// pre-filled and put back after association): the stations' first
// association times, what went on the air by frame type over the whole run
// and what the PHYs did per transmission lie within the range of four ns-3
// runs (run numbers 1-4, each on the geometry netgym draws for that run),
// widened by 0.5 ms for the times and by 1% for the counts. The ns-3 figures
// come from `bench/ns3/wifi-grid-compare.sh -I -R -n 1000 -w 1 -d 0.2 -r 4`
// (2026-12-03, bench/ns3/RESULTS.md section 11, "Infrastructure mode").
// The widening matters (a fifth run of one distribution falls outside the
// range of four with probability 2/5 for each figure): netgym's run 1 lies
// just outside the unwidened ranges for the p10, median, p90 and last
// association times (by 0.01 to 0.16 ms), the association requests (2,057
// against 2,007-2,051) and PREAMBLE_DETECT_FAILURE (280.4 against
// 276.9-279.5 per transmission).
func TestInfraBesideNS3(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Infrastructure = true
	cfg.Warmup = sim.Second
	cfg.Duration = 200 * sim.Millisecond
	res, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	require.Equal(t, 900, res.Associated)
	require.Len(t, res.FirstAssociations, 900)
	require.Equal(t, res.Sent, res.Received)

	q := res.AssociationQuantileMs
	msWithin(t, []msRange{ // ns-3's four runs
		{"first", q(0), 120.304002, 120.304008, 0.5},
		{"p10", q(0.1), 121.428929, 121.487011, 0.5},
		{"median", q(0.5), 127.483704, 127.754063, 0.5},
		{"p90", q(0.9), 132.213539, 132.459689, 0.5},
		{"last", q(1), 134.92779, 136.260776, 0.5},
	})
	txTypesWithin(t, res, []txTypeRange{ // ns-3's four runs
		{mac80211.FrameACK, 3502, 3693},
		{mac80211.FrameData, 1686, 1880},
		{mac80211.FrameAssocRequest, 2007, 2051},
		{mac80211.FrameAssocResponse, 932, 941},
		{mac80211.FrameBeacon, 1265, 1273},
	})

	d := res.Phy.Drops
	perTxWithin(t, res, []perTxRange{ // ns-3's four runs
		{"RxOk", res.Phy.RxOk, 16.32, 16.56},
		{"RxError", d[mac80211.RxDropPayloadFailed], 3.831, 4.029},
		{"PREAMBLE_DETECT_FAILURE", d[mac80211.RxDropPreambleNotDetected], 276.9, 279.5},
		{"BUSY_DECODING_PREAMBLE", d[mac80211.RxDropBusyDecodingPreamble], 48.49, 52.16},
		{"PREAMBLE_DETECTION_PACKET_SWITCH", d[mac80211.RxDropPreambleSwitch], 1.796, 2.166},
		{"RXING", d[mac80211.RxDropBusyRx], 23.88, 25.76},
		{"TXING", d[mac80211.RxDropTransmitting], 37.37, 38.82},
	})
}

// The same grid with the stations powering on over 100 ms
// (StaConfig.StartJitter), against ns-3 3.37 given each station's power-on
// time (the peer's DelayedStaWifiMac starts its first scan then): the
// association times, each station's delay from power-on to association,
// the transmissions by frame type and the PHY counts above 1 per
// transmission lie within the range of twelve ns-3 runs (run numbers 1-12,
// each on netgym's geometry and power-on times for that run), widened by
// 0.5 ms for the association times, 10 us for the delays (the scan and
// exchange: 120.304 ms at the median on both sides, equal to the
// microsecond) and 1% for the counts. From `bench/ns3/wifi-grid-compare.sh
// -I -J 0.1 -R -n 1000 -w 1 -d 0.2 -r 12` (2026-12-03, bench/ns3/RESULTS.md
// section 11, "Staggered power-on"). Left out, as in TestInfraBesideNS3,
// the rare counts: PREAMBLE_DETECTION_PACKET_SWITCH, for one, read 1.13x
// ns-3's median in these twelve runs and 1.02-1.04x (intervals covering 1)
// over 60 and 16 more paired runs: a count that moves by 17% from run to
// run (RESULTS.md).
func TestInfraJitterBesideNS3(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Infrastructure = true
	cfg.Install.Sta.StartJitter = 100 * sim.Millisecond
	cfg.Warmup = sim.Second
	cfg.Duration = 200 * sim.Millisecond
	res, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	require.Equal(t, 900, res.Associated)
	require.Len(t, res.AssociationDelays, 900)
	require.Equal(t, res.Sent, res.Received)

	q, dq := res.AssociationQuantileMs, res.AssociationDelayQuantileMs
	msWithin(t, []msRange{ // ns-3's twelve runs
		{"first", q(0), 120.325915, 120.651096, 0.5},
		{"p10", q(0.1), 129.528148, 132.137667, 0.5},
		{"median", q(0.5), 167.840035, 172.2729, 0.5},
		{"p90", q(0.9), 208.189929, 211.966462, 0.5},
		{"last", q(1), 219.971647, 338.996667, 0.5},
		{"delay first", dq(0), 120.304, 120.304002, 0.01},
		{"delay p10", dq(0.1), 120.304022, 120.304024, 0.01},
		{"delay median", dq(0.5), 120.30405, 120.304052, 0.01},
		{"delay p90", dq(0.9), 120.403989, 120.460316, 0.01},
		{"delay last", dq(1), 121.050301, 240.304064, 0.01},
	})
	txTypesWithin(t, res, []txTypeRange{ // ns-3's twelve runs
		{mac80211.FrameACK, 3482, 3676},
		{mac80211.FrameData, 1685, 1880},
		{mac80211.FrameAssocRequest, 921, 937},
		{mac80211.FrameAssocResponse, 900, 906},
		{mac80211.FrameBeacon, 1264, 1276},
	})

	d := res.Phy.Drops
	perTxWithin(t, res, []perTxRange{ // ns-3's twelve runs
		{"RxOk", res.Phy.RxOk, 24.3995, 25.201},
		{"RxError", d[mac80211.RxDropPayloadFailed], 4.0128, 4.3511},
		{"PREAMBLE_DETECT_FAILURE", d[mac80211.RxDropPreambleNotDetected], 357.8969, 361.1054},
		{"BUSY_DECODING_PREAMBLE", d[mac80211.RxDropBusyDecodingPreamble], 13.7418, 15.3207},
		{"RXING", d[mac80211.RxDropBusyRx], 10.347, 10.9301},
	})
}

// AssociationQuantileMs picks sorted[floor(p*(n-1))], NaN without
// associations or for p outside [0, 1].
func TestAssociationQuantileMs(t *testing.T) {
	r := Result{FirstAssociations: []sim.Time{120 * sim.Millisecond, 121 * sim.Millisecond,
		125 * sim.Millisecond, 130 * sim.Millisecond}}
	for _, tc := range []struct{ p, want float64 }{{0, 120}, {0.1, 120}, {0.5, 121}, {0.9, 125}, {1, 130}} {
		require.Equal(t, tc.want, r.AssociationQuantileMs(tc.p), "p=%v", tc.p)
	}
	require.True(t, math.IsNaN(r.AssociationQuantileMs(1.5)))
	require.True(t, math.IsNaN(r.AssociationQuantileMs(math.NaN())))
	require.True(t, math.IsNaN(Result{}.AssociationQuantileMs(0.5)))
	r.AssociationDelays = []sim.Time{120 * sim.Millisecond, 122 * sim.Millisecond}
	require.Equal(t, 120.0, r.AssociationDelayQuantileMs(0.5))
	require.Equal(t, 122.0, r.AssociationDelayQuantileMs(1))
	require.True(t, math.IsNaN(Result{}.AssociationDelayQuantileMs(0.5)))
}

// Each associated station's delay is its first association less its
// power-on draw: with StartJitter the association times spread over the
// jitter while the delays stay those of a passive scan and an exchange.
func TestAssociationDelays(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BSSs = 9
	cfg.Infrastructure = true
	cfg.Warmup = 400 * sim.Millisecond
	cfg.Duration = 10 * sim.Millisecond
	cfg.Install.Sta.StartJitter = 150 * sim.Millisecond
	g, err := Build(cfg)
	require.NoError(t, err)
	res, err := g.Run(context.Background())
	require.NoError(t, err)
	require.Equal(t, 81, res.Associated)
	require.Len(t, res.AssociationDelays, 81)
	var want []sim.Time
	for _, d := range g.Stations {
		on, ok := d.Mac().PowerOnTime()
		require.True(t, ok)
		want = append(want, d.Mac().AssociationTimes()[0]-on)
	}
	slices.Sort(want)
	require.Equal(t, want, res.AssociationDelays)
	require.GreaterOrEqual(t, res.AssociationDelayQuantileMs(0), 120.0)
	require.Less(t, res.AssociationDelayQuantileMs(1), 125.0)
	require.Greater(t, res.AssociationQuantileMs(1)-res.AssociationQuantileMs(0), 100.0, "spread by the jitter")
}
