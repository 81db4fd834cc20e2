package channelif

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGEConfigDefaults(t *testing.T) {
	c := DefaultGEConfig()
	assert.Equal(t, GEConfig{PGB: 0.1, PBG: 0.3, LossGood: 0.01, LossBad: 0.20, DelaySteps: 0, Seed: 42}, c)
	require.NoError(t, c.Validate())
	assert.InDelta(t, 0.25, c.StationaryBad(), 1e-15)
	assert.InDelta(t, 0.75*0.01+0.25*0.2, c.MeanLoss(), 1e-15)
	assert.Equal(t, 0.0, GEConfig{}.StationaryBad())
}

func TestGEConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*GEConfig)
		errMsg string
	}{
		{"defaults", func(*GEConfig) {}, ""},
		{"bounds", func(c *GEConfig) { c.PGB, c.PBG, c.LossGood, c.LossBad = 0, 1, 0, 1 }, ""},
		{"PGB negative", func(c *GEConfig) { c.PGB = -0.1 }, "PGB=-0.1 must be in [0, 1]"},
		{"PBG above 1", func(c *GEConfig) { c.PBG = 1.5 }, "PBG=1.5 must be in [0, 1]"},
		{"LossGood NaN", func(c *GEConfig) { c.LossGood = math.NaN() }, "LossGood=NaN must be in [0, 1]"},
		{"LossBad Inf", func(c *GEConfig) { c.LossBad = math.Inf(1) }, "LossBad=+Inf must be in [0, 1]"},
		{"delay negative", func(c *GEConfig) { c.DelaySteps = -1 }, "DelaySteps=-1 out of range [0,1048576]"},
		{"delay huge", func(c *GEConfig) { c.DelaySteps = 1e9 }, "DelaySteps=1000000000 out of range [0,1048576]"},
		{"delay largest", func(c *GEConfig) { c.DelaySteps = MaxGEDelaySteps }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultGEConfig()
			tt.modify(&c)
			err := c.Validate()
			_, nerr := NewGEChannel(c)
			if tt.errMsg == "" {
				require.NoError(t, err)
				require.NoError(t, nerr)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.errMsg)
			require.Error(t, nerr)
		})
	}
}

func newGE(t *testing.T, pgb, pbg, lg, lb float64, delay int) *GEChannel {
	t.Helper()
	c, err := NewGEChannel(GEConfig{PGB: pgb, PBG: pbg, LossGood: lg, LossBad: lb, DelaySteps: delay, Seed: 1})
	require.NoError(t, err)
	return c
}

// Deterministic probabilities make the draws irrelevant and pin the order:
// the state moves first, then the loss is drawn in the new state.
func TestGEChannelScripted(t *testing.T) {
	tests := []struct {
		name             string
		pgb, pbg, lg, lb float64
		delay            int
		ops              []op
	}{
		{"lossless no delay", 0, 0, 0, 0, 0, []op{tx(0), fl(0, 0), tx(1), fl(1, 1)}},
		{"state moves before the loss draw", 1, 0, 0, 1, 0, []op{tx(0), fl(0), tx(1), fl(1)}},
		{"alternating chain loses every other", 1, 1, 0, 1, 0,
			[]op{tx(0), fl(0), tx(1), fl(1, 1), tx(2), fl(2), tx(3), fl(3, 3)}},
		{"delay 3", 0, 0, 0, 0, 3,
			[]op{tx(0), fl(0), tx(1), fl(1), tx(2), fl(2), tx(3), fl(3, 0), tx(4), fl(4, 1)}},
		{"late flush returns all due in order", 0, 0, 0, 0, 2,
			[]op{tx(0), tx(1), tx(2), tx(3), fl(3, 0, 1), fl(10, 2, 3)}},
		{"head of line blocks (NetRL's front pop)", 0, 0, 0, 0, 1,
			[]op{tx(5), tx(1), fl(2), fl(6, 5, 1)}},
		{"reset drops in-flight", 0, 0, 0, 0, 2, []op{tx(0), resetOp(), fl(5)}},
		{"reset returns to GOOD", 1, 1, 0, 1, 0,
			// GOOD->BAD at the first transmit, lost; after the reset the
			// chain is GOOD again, so the next one is lost too (without the
			// reset it would move BAD->GOOD and arrive).
			[]op{tx(0), fl(0), resetOp(), tx(1), fl(1), tx(2), fl(2, 2)}},
		{"no uint32 overflow", 0, 0, 0, 0, 5, []op{tx(1<<32 - 1), fl(1<<32 - 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runOps(t, newGE(t, tt.pgb, tt.pbg, tt.lg, tt.lb, tt.delay), tt.ops)
		})
	}
}

func TestGEChannelStateAndReset(t *testing.T) {
	c := newGE(t, 1, 0, 0, 0, 4)
	assert.Equal(t, GEGood, c.State())
	require.NoError(t, c.Transmit(0, 64))
	assert.Equal(t, GEBad, c.State())
	assert.Equal(t, "BAD", c.State().String())
	assert.Equal(t, 1, c.Pending())
	require.NoError(t, c.Reset())
	assert.Equal(t, GEGood, c.State())
	assert.Equal(t, "GOOD", c.State().String())
	assert.Equal(t, 0, c.Pending())
	require.Error(t, c.Transmit(0, -1))
}

// Loss rate and time in BAD converge to the stationary mix.
func TestGEChannelStatistics(t *testing.T) {
	tests := []struct {
		name string
		cfg  GEConfig
	}{
		{"NetRL defaults", DefaultGEConfig()},
		{"bursty", GEConfig{PGB: 0.02, PBG: 0.1, LossGood: 0.0, LossBad: 0.9, Seed: 3}},
		{"fast mixing", GEConfig{PGB: 0.5, PBG: 0.5, LossGood: 0.1, LossBad: 0.6, Seed: 9}},
	}
	const n = 400_000
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewGEChannel(tt.cfg)
			require.NoError(t, err)
			lost, bad := 0, 0
			for i := uint32(0); i < n; i++ {
				require.NoError(t, c.Transmit(i, 64))
				if c.State() == GEBad {
					bad++
				}
				got, err := c.Flush(i)
				require.NoError(t, err)
				if len(got) == 0 {
					lost++
				}
			}
			assert.InDelta(t, tt.cfg.StationaryBad(), float64(bad)/n, 0.01, "time in BAD")
			assert.InDelta(t, tt.cfg.MeanLoss(), float64(lost)/n, 0.01, "loss rate")
		})
	}
}

// Delayed packets arrive exactly DelaySteps later, never earlier or later.
func TestGEChannelDelayHonoured(t *testing.T) {
	cfg := DefaultGEConfig()
	cfg.DelaySteps = 7
	c, err := NewGEChannel(cfg)
	require.NoError(t, err)
	delivered := 0
	for i := uint32(0); i < 10_000; i++ {
		require.NoError(t, c.Transmit(i, 64))
		got, err := c.Flush(i)
		require.NoError(t, err)
		for _, id := range got {
			require.Equal(t, i-7, id)
			delivered++
		}
	}
	assert.InDelta(t, 1-cfg.MeanLoss(), float64(delivered)/10_000, 0.02)
}

func geTrace(t *testing.T, seed int64, resetAt uint32) []uint32 {
	t.Helper()
	cfg := DefaultGEConfig()
	cfg.Seed = seed
	cfg.LossGood, cfg.LossBad = 0.3, 0.7
	c, err := NewGEChannel(cfg)
	require.NoError(t, err)
	var out []uint32
	for i := uint32(0); i < 2000; i++ {
		if i == resetAt {
			require.NoError(t, c.Reset())
		}
		require.NoError(t, c.Transmit(i, 64))
		got, err := c.Flush(i)
		require.NoError(t, err)
		out = append(out, got...)
	}
	return out
}

func TestGEChannelDeterminism(t *testing.T) {
	a, b := geTrace(t, 5, 1<<31), geTrace(t, 5, 1<<31)
	assert.Equal(t, a, b, "same seed, same trace")
	assert.NotEqual(t, a, geTrace(t, 6, 1<<31), "other seed, other trace")
	// Reset does not reseed: a reset mid-run neither replays the start nor
	// breaks reproducibility.
	r1, r2 := geTrace(t, 5, 1000), geTrace(t, 5, 1000)
	assert.Equal(t, r1, r2)
	var first, afterReset []uint32
	for _, id := range r1 {
		if id < 1000 {
			first = append(first, id)
		} else {
			afterReset = append(afterReset, id-1000)
		}
	}
	assert.NotEqual(t, first, afterReset, "a reseeding reset would replay the first episode")
	f := GEConfig{PGB: 0.1, PBG: 0.3, LossGood: 0.3, LossBad: 0.7}.Factory()
	x, err := f(5)
	require.NoError(t, err)
	assert.Equal(t, int64(5), x.(*GEChannel).Config().Seed)
}
