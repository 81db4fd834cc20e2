package bssgrid

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

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
