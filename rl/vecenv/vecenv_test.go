package vecenv

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/wifi"
)

func TestChannelEnvConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		edit func(*ChannelEnvConfig)
		want string
	}{
		{"default", func(*ChannelEnvConfig) {}, ""},
		{"no sizes", func(c *ChannelEnvConfig) { c.PacketSizes = nil }, "packet_sizes must hold at least one size"},
		{"negative size", func(c *ChannelEnvConfig) { c.PacketSizes = []int{64, -1} }, "packet_sizes[1] = -1 out of range [0,2268]"},
		{"huge size", func(c *ChannelEnvConfig) { c.PacketSizes = []int{2269} }, "packet_sizes[0] = 2269 out of range [0,2268]"},
		{"history 0", func(c *ChannelEnvConfig) { c.History = 0 }, "history 0 out of range [1,4096]"},
		{"max steps 0", func(c *ChannelEnvConfig) { c.MaxSteps = 0 }, "max_steps 0 out of range [1,4294967295]"},
		{"bad link", func(c *ChannelEnvConfig) { c.Wifi.Distance = -1 }, "distance -1 out of range [0, 1e+09] m"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultChannelEnvConfig()
			tc.edit(&c)
			err := c.Validate()
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.want)
		})
	}
}

// run steps e for n steps with action a and returns the summed reward and
// the last observation.
func run(t *testing.T, e *ChannelEnv, n int, a int64) (float64, []float32, bool) {
	t.Helper()
	obs := make([]float32, e.ObsLen())
	var sum float64
	trunc := false
	for i := 0; i < n; i++ {
		r, te, tr, err := e.Step(a, obs)
		require.NoError(t, err)
		require.False(t, te)
		sum += r
		trunc = tr
	}
	return sum, obs, trunc
}

func TestChannelEnvDelivery(t *testing.T) {
	// At 10 m every packet of 64 bytes arrives within its own 1 ms step
	// once ARP has resolved (the first ones wait for it, see
	// channelif.ExampleWifiChannel); at 60 m none does (channelif's
	// delivery-versus-distance test: none from 56 m); sending nothing
	// delivers nothing.
	cases := []struct {
		name     string
		distance float64
		action   int64
		minMean  float64
		maxMean  float64
		lastLag  float32
	}{
		{"10 m, 64 B", 10, 1, 0.99, 1.0, 0},
		{"10 m, 1024 B", 10, 3, 0.99, 1.0, 0},
		{"60 m", 60, 1, 0, 0, 0},
		{"no packets", 10, 0, 0, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultChannelEnvConfig()
			cfg.Wifi.Distance = tc.distance
			e, err := NewChannelEnv(cfg)
			require.NoError(t, err)
			obs := make([]float32, e.ObsLen())
			require.NoError(t, e.Reset(1, true, obs))
			require.Equal(t, make([]float32, 16), obs)
			sum, last, trunc := run(t, e, 1000, tc.action)
			require.True(t, trunc, "the 1000th step truncates")
			mean := sum / 1000
			require.GreaterOrEqual(t, mean, tc.minMean)
			require.LessOrEqual(t, mean, tc.maxMean)
			if tc.maxMean == 1 {
				for i := 0; i < 8; i++ {
					require.Equal(t, float32(1), last[2*i], "slot %d arrived", i)
					require.Equal(t, tc.lastLag, last[2*i+1], "slot %d lag", i)
				}
			} else {
				require.Equal(t, make([]float32, 16), last)
			}
		})
	}
}

func TestChannelEnvWindowStart(t *testing.T) {
	// The first packets wait for ARP: steps 0-3 at 10 m. Step 3's datagram
	// overflows ARP's 3-packet queue and is lost; 0-2 arrive together once
	// resolved, with lags.
	e, err := NewChannelEnv(DefaultChannelEnvConfig())
	require.NoError(t, err)
	obs := make([]float32, e.ObsLen())
	require.NoError(t, e.Reset(1, true, obs))
	var rewards []float64
	for i := 0; i < 20; i++ {
		r, _, _, err := e.Step(1, obs)
		require.NoError(t, err)
		rewards = append(rewards, r)
	}
	// After 20 steps the window (steps 12-19) is complete with lag 0.
	require.Equal(t, 1.0, rewards[19])
	require.Less(t, rewards[0], 1.0)
	for i := 0; i < 8; i++ {
		require.Equal(t, float32(1), obs[2*i])
		require.Equal(t, float32(0), obs[2*i+1])
	}
}

func TestChannelEnvSeeds(t *testing.T) {
	// Same seed and run: the same rewards bit for bit; a reseed returns to
	// them; the next run (Reset without reseed) is another episode.
	cfg := DefaultChannelEnvConfig()
	cfg.Wifi.Distance = 51 // at the edge of the range: randomness shows
	trace := func(e *ChannelEnv, seed uint64, reseed bool) []float64 {
		obs := make([]float32, e.ObsLen())
		require.NoError(t, e.Reset(seed, reseed, obs))
		var out []float64
		for i := 0; i < 300; i++ {
			r, _, _, err := e.Step(1, obs)
			require.NoError(t, err)
			out = append(out, r)
		}
		return out
	}
	a, err := NewChannelEnv(cfg)
	require.NoError(t, err)
	b, err := NewChannelEnv(cfg)
	require.NoError(t, err)
	ta := trace(a, 7, true)
	require.Equal(t, ta, trace(b, 7, true))
	next := trace(a, 0, false)
	require.NotEqual(t, ta, next, "the next run differs")
	require.Equal(t, ta, trace(a, 7, true), "reseeding replays")
	require.NotEqual(t, ta, trace(b, 8, true), "another seed differs")
	var sum float64
	for _, r := range ta {
		sum += r
	}
	// 64-byte packets at 51 m, 1 ms steps: about one in ten is delivered
	// within the 8-step window (0.10375 with seed 7).
	require.InDelta(t, 0.1, sum/300, 0.05)
}

func TestChannelEnvBadInput(t *testing.T) {
	e, err := NewChannelEnv(DefaultChannelEnvConfig())
	require.NoError(t, err)
	obs := make([]float32, e.ObsLen())
	_, _, _, err = e.Step(4, obs)
	require.EqualError(t, err, "channel env: action 4 out of range [0,4)")
	_, _, _, err = e.Step(-1, obs)
	require.EqualError(t, err, "channel env: action -1 out of range [0,4)")
	_, _, _, err = e.Step(0, obs[:3])
	require.EqualError(t, err, "channel env: observation buffer of 3 values, want 16")
	require.EqualError(t, e.Reset(0, false, nil), "channel env: observation buffer of 0 values, want 16")
}

func vectorTrace(t *testing.T, workers, n, steps int) ([]float64, []float32) {
	t.Helper()
	cfg := DefaultChannelEnvConfig()
	cfg.Wifi.Distance = 51
	cfg.MaxSteps = 50
	v, err := NewChannelVector(cfg, n, workers)
	require.NoError(t, err)
	obs := make([]float32, n*v.ObsLen())
	seeds := make([]uint64, n)
	for i := range seeds {
		seeds[i] = uint64(100 + i)
	}
	require.NoError(t, v.Reset(seeds, nil, obs))
	acts := make([]int64, n)
	rew := make([]float64, n)
	te, tr := make([]bool, n), make([]bool, n)
	var all []float64
	for s := 0; s < steps; s++ {
		for i := range acts {
			acts[i] = int64((s + i) % 4)
		}
		require.NoError(t, v.Step(acts, obs, rew, te, tr))
		all = append(all, rew...)
		for i := range tr {
			if s%51 == 49 {
				require.True(t, tr[i], "step %d truncates env %d", s, i)
			} else {
				require.False(t, tr[i], "step %d env %d", s, i)
			}
			require.False(t, te[i])
		}
		if s%51 == 50 { // NEXT_STEP: the step after truncation resets
			for i := range rew {
				require.Equal(t, 0.0, rew[i])
				require.Equal(t, make([]float32, v.ObsLen()), obs[i*v.ObsLen():(i+1)*v.ObsLen()])
			}
		}
	}
	return all, append([]float32(nil), obs...)
}

func TestVectorWorkersGiveSameResults(t *testing.T) {
	r1, o1 := vectorTrace(t, 1, 6, 120)
	r2, o2 := vectorTrace(t, 2, 6, 120)
	r4, o4 := vectorTrace(t, 4, 6, 120)
	require.Equal(t, r1, r2)
	require.Equal(t, r1, r4)
	require.Equal(t, o1, o2)
	require.Equal(t, o1, o4)
}

func TestVectorMatchesSingleEnvs(t *testing.T) {
	// Environment i of a vector is the ChannelEnv seeded cfg.Seed + i.
	cfg := DefaultChannelEnvConfig()
	cfg.Wifi.Distance = 51
	v, err := NewChannelVector(cfg, 3, 2)
	require.NoError(t, err)
	obs := make([]float32, 3*v.ObsLen())
	require.NoError(t, v.Reset(nil, nil, obs))
	single := make([]*ChannelEnv, 3)
	so := make([]float32, 16)
	for i := range single {
		c := cfg
		c.Wifi.Seed = cfg.Wifi.Seed + uint64(i)
		single[i], err = NewChannelEnv(c)
		require.NoError(t, err)
		require.NoError(t, single[i].Reset(0, false, so))
	}
	acts := []int64{1, 2, 3}
	rew := make([]float64, 3)
	te, tr := make([]bool, 3), make([]bool, 3)
	for s := 0; s < 200; s++ {
		require.NoError(t, v.Step(acts, obs, rew, te, tr))
		for i, e := range single {
			r, _, _, err := e.Step(acts[i], so)
			require.NoError(t, err)
			require.Equal(t, r, rew[i], "step %d env %d", s, i)
			require.Equal(t, so, obs[i*16:(i+1)*16])
		}
	}
}

type panicky struct{ ChannelEnv }

func (p *panicky) ObsLen() int     { return 2 }
func (p *panicky) NumActions() int { return 9 }
func (p *panicky) Reset(uint64, bool, []float32) error {
	return nil
}
func (p *panicky) Step(a int64, _ []float32) (float64, bool, bool, error) {
	if a == 7 {
		panic("boom")
	}
	if a == 8 {
		return 0, false, false, errors.New("bad step")
	}
	return 1, false, false, nil
}

func TestVectorErrors(t *testing.T) {
	envs := []Env{&panicky{}, &panicky{}, &panicky{}}
	v, err := NewVector(envs, 2)
	require.NoError(t, err)
	obs := make([]float32, 6)
	require.NoError(t, v.Reset(nil, nil, obs))
	rew := make([]float64, 3)
	te, tr := make([]bool, 3), make([]bool, 3)
	require.NoError(t, v.Step([]int64{0, 0, 0}, obs, rew, te, tr))
	require.Equal(t, []float64{1, 1, 1}, rew)
	require.EqualError(t, v.Step([]int64{0, 7, 0}, obs, rew, te, tr), "vector env: environment 1: panic: boom")
	require.EqualError(t, v.Step([]int64{0, 0, 8}, obs, rew, te, tr), "vector env: environment 2: bad step")
	require.EqualError(t, v.Step([]int64{0, 0}, obs, rew, te, tr), "vector env: 2 actions for 3 environments")
	require.EqualError(t, v.Step([]int64{0, 9, 0}, obs, rew, te, tr), "vector env: actions[1]=9 out of range [0, 8]")
	require.EqualError(t, v.Step([]int64{0, 0, 0}, obs[:5], rew, te, tr), "vector env: observation buffer of 5 values, want 6")
	require.EqualError(t, v.Reset([]uint64{1}, nil, obs), "vector env: 1 seeds for 3 environments")
	_, err = NewVector(nil, 0)
	require.EqualError(t, err, "vector env: num_envs must be at least 1")
	_, err = NewVector(envs, -1)
	require.EqualError(t, err, "vector env: workers -1 must be >= 0 (0: one per CPU)")
	_, err = NewChannelVector(DefaultChannelEnvConfig(), 0, 0)
	require.EqualError(t, err, "vector env: num_envs 0 must be at least 1")
}

func TestChannelEnvStepAllocatesNothing(t *testing.T) {
	e, err := NewChannelEnv(DefaultChannelEnvConfig())
	require.NoError(t, err)
	obs := make([]float32, e.ObsLen())
	require.NoError(t, e.Reset(1, true, obs))
	for i := 0; i < 100; i++ { // warm the pools
		_, _, _, err := e.Step(1, obs)
		require.NoError(t, err)
	}
	allocs := testing.AllocsPerRun(200, func() {
		_, _, _, _ = e.Step(1, obs)
	})
	require.Zero(t, allocs)
}

func BenchmarkChannelEnvStep(b *testing.B) {
	cfg := DefaultChannelEnvConfig()
	cfg.MaxSteps = 1 << 30
	e, err := NewChannelEnv(cfg)
	require.NoError(b, err)
	obs := make([]float32, e.ObsLen())
	require.NoError(b, e.Reset(1, true, obs))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := e.Step(1, obs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChannelEnvReset(b *testing.B) {
	e, err := NewChannelEnv(DefaultChannelEnvConfig())
	require.NoError(b, err)
	obs := make([]float32, e.ObsLen())
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Reset(0, false, obs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVectorStep64(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) { benchVectorStep(b, 64, workers) })
	}
}

func benchVectorStep(b *testing.B, n, workers int) {
	v, err := NewChannelVector(DefaultChannelEnvConfig(), n, workers)
	require.NoError(b, err)
	obs := make([]float32, n*v.ObsLen())
	require.NoError(b, v.Reset(nil, nil, obs))
	acts := make([]int64, n)
	for i := range acts {
		acts[i] = 1
	}
	rew := make([]float64, n)
	te, tr := make([]bool, n), make([]bool, n)
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Step(acts, obs, rew, te, tr); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*float64(n)/b.Elapsed().Seconds(), "substeps/s")
}

func TestChannelBankMatchesSingleChannels(t *testing.T) {
	// Link i of a bank is the WifiChannel seeded Seed+i; links step with
	// their own counters and reset independently.
	cfg := wifi.DefaultConfig()
	cfg.Distance = 51
	b, err := NewChannelBank(cfg, 3, 2)
	require.NoError(t, err)
	singles := make([]*channelif.SimChannel, 3)
	for i := range singles {
		c := cfg
		c.Seed = cfg.Seed + uint64(i)
		singles[i], err = wifi.NewChannel(c)
		require.NoError(t, err)
	}
	steps := []uint32{0, 0, 0}
	sizes := []int64{64, 256, NoPacket}
	counts := make([]int32, 3)
	ids := make([]uint32, 3*8)
	total := 0
	for s := 0; s < 300; s++ {
		if s == 150 { // link 1 starts its next run
			require.NoError(t, b.Reset(1, 0, false))
			require.NoError(t, singles[1].Reset())
			steps[1] = 0
		}
		require.NoError(t, b.Step(steps, sizes, counts, ids, 8))
		for i, ch := range singles {
			if sizes[i] != NoPacket {
				require.NoError(t, ch.Transmit(steps[i], int(sizes[i])))
			}
			want, err := ch.Flush(steps[i])
			require.NoError(t, err)
			require.Equal(t, len(want), int(counts[i]), "step %d link %d", s, i)
			require.Equal(t, append([]uint32{}, want...), append([]uint32{}, ids[i*8:i*8+len(want)]...))
			total += len(want)
			steps[i]++
		}
	}
	require.Positive(t, total)
	require.Zero(t, counts[2], "link 2 sends nothing")
	// An idle link does not move: its simulated time stays.
	now := b.Link(0).Now()
	require.NoError(t, b.Step(steps, []int64{Idle, 64, 64}, counts, ids, 8))
	require.Equal(t, now, b.Link(0).Now())
	require.Zero(t, counts[0])
	err = b.Step(steps, []int64{64, 5000, 0}, counts, ids, 8)
	require.EqualError(t, err, "channel bank: sizes[1]=5000 out of range [0, 2268] (or -1: no packet, -2: idle)")
	require.EqualError(t, b.Step(steps, sizes, counts, ids[:5], 8), "channel bank: ids must hold num_envs*per = 3*8 values (per >= 1)")
	require.EqualError(t, b.Reset(3, 0, false), "channel bank: link 3 out of range [0, 2]")
	_, err = NewChannelBank(cfg, 0, 0)
	require.EqualError(t, err, "channel bank: num_envs 0 must be at least 1")
}
