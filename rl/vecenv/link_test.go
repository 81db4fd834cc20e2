package vecenv

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/mmwave"
	"github.com/netgym/netgym/channelif/nr"
	"github.com/netgym/netgym/channelif/wifi"
)

func nrAt(d float64) Link {
	c := nr.DefaultConfig()
	c.Distance = d
	return NRLink(c)
}

func mmAt(d float64) Link {
	c := mmwave.DefaultConfig()
	c.Distance = d
	return MmWaveLink(c)
}

func TestLinkEnvConfigValidate(t *testing.T) {
	cases := []struct {
		name string
		cfg  ChannelEnvConfig
		want string
	}{
		{"nr default", LinkEnvConfig(NRLink(nr.DefaultConfig())), ""},
		{"mmwave default", LinkEnvConfig(MmWaveLink(mmwave.DefaultConfig())), ""},
		{"wifi link", LinkEnvConfig(WifiLink(wifi.DefaultConfig())), ""},
		{"nr largest payload", func() ChannelEnvConfig {
			c := LinkEnvConfig(nrAt(50))
			c.PacketSizes = []int{0, 1932}
			return c
		}(), ""},
		{"nr payload too large", func() ChannelEnvConfig {
			c := LinkEnvConfig(nrAt(50))
			c.PacketSizes = []int{0, 1933}
			return c
		}(), "channel env: packet_sizes[1] = 1933 out of range [0,1932]"},
		{"mmwave payload too large", func() ChannelEnvConfig {
			c := LinkEnvConfig(mmAt(50))
			c.PacketSizes = []int{1473}
			return c
		}(), "channel env: packet_sizes[0] = 1473 out of range [0,1472]"},
		{"wifi link payload too large", func() ChannelEnvConfig {
			c := LinkEnvConfig(WifiLink(wifi.DefaultConfig()))
			c.PacketSizes = []int{2269}
			return c
		}(), "channel env: packet_sizes[0] = 2269 out of range [0,2268]"},
		{"nr bad distance", LinkEnvConfig(nrAt(-1)), "lena channel: distance -1 out of range [0, 100000] m"},
		{"mmwave bad distance", LinkEnvConfig(mmAt(0)), "mmwave channel: distance 0 out of range (0, "},
		{"nr bad numerology", func() ChannelEnvConfig {
			c := nr.DefaultConfig()
			c.Numerology = 7
			return LinkEnvConfig(NRLink(c))
		}(), "lena channel: numerology 7 out of range [0, 6]"},
		{"mmwave bad scenario", func() ChannelEnvConfig {
			c := mmwave.DefaultConfig()
			c.Scenario = "Moon"
			return LinkEnvConfig(MmWaveLink(c))
		}(), `mmwave channel: scenario "Moon" not one of`},
		{"link wins over wifi", func() ChannelEnvConfig {
			c := LinkEnvConfig(nrAt(50))
			c.Wifi.Distance = -1 // unused
			return c
		}(), ""},
		{"history over a link", func() ChannelEnvConfig {
			c := LinkEnvConfig(mmAt(50))
			c.History = 4097
			return c
		}(), "channel env: history 4097 out of range [1,4096]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.want)
			_, err = NewChannelEnv(tc.cfg)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestLinkSeedRun(t *testing.T) {
	// WithSeedRun returns a copy and leaves the receiver alone; the other
	// settings stay.
	cases := []struct {
		name string
		link Link
		max  int
	}{
		{"wifi", WifiLink(wifi.DefaultConfig()), wifi.MaxPacketSize},
		{"nr", nrAt(123), nr.MaxPacketSize},
		{"mmwave", mmAt(77), mmwave.MaxPacketSize},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, r := tc.link.SeedRun()
			require.Equal(t, [2]uint64{1, 1}, [2]uint64{s, r})
			l := tc.link.WithSeedRun(9, 4)
			s, r = l.SeedRun()
			require.Equal(t, [2]uint64{9, 4}, [2]uint64{s, r})
			s, r = tc.link.SeedRun()
			require.Equal(t, [2]uint64{1, 1}, [2]uint64{s, r}, "the receiver is unchanged")
			require.Equal(t, tc.max, l.MaxPacketSize())
			require.IsType(t, tc.link, l)
			ch, err := l.NewChannel()
			require.NoError(t, err)
			require.Equal(t, uint64(4), ch.Run())
		})
	}
	require.Equal(t, 1932, nr.MaxPacketSize)
	require.Equal(t, 1472, mmwave.MaxPacketSize)
}

// linkRewards steps a fresh ChannelEnv over link, reseeded with seed, for
// steps steps with action a; it returns the rewards and the last
// observation.
func linkRewards(t *testing.T, link Link, seed uint64, a int64, steps int) ([]float64, []float32) {
	t.Helper()
	cfg := LinkEnvConfig(link)
	cfg.MaxSteps = steps
	e, err := NewChannelEnv(cfg)
	require.NoError(t, err)
	obs := make([]float32, e.ObsLen())
	require.NoError(t, e.Reset(seed, true, obs))
	require.Equal(t, make([]float32, 16), obs)
	out := make([]float64, steps)
	for i := range out {
		r, te, tr, err := e.Step(a, obs)
		require.NoError(t, err)
		require.False(t, te)
		require.Equal(t, i == steps-1, tr, "step %d", i)
		out[i] = r
	}
	return out, obs
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

func TestLinkEnvDelivery(t *testing.T) {
	// Seed 1, 1 ms steps, 1000 steps, k = 8, over the links of
	// channelif/nr's and channelif/mmwave's TestPythonFigures:
	//   - NR at 50 m: every packet arrives one step after it was sent
	//     (SR, grant, PUSCH and decode at numerology 3), so the newest slot
	//     is empty and the window holds 7 of 8 (0.875) from step 7 on;
	//     the first two packets arrive together at step 1.
	//   - NR at 350 m with 64 B: HARQ delays packets by 2.5 steps on
	//     average (lags 1 to 3 in the window); 1024 B gets nothing
	//     through.
	//   - NR at 500 m: nothing arrives.
	//   - mmWave at 50 m: uplink grants follow the buffer reports in a 2 ms
	//     pattern, packets arrive in pairs two and one steps late: lags
	//     1, 2, 1, 1 repeating in the window, 6 or 7 of 8 delivered.
	//   - mmWave at 100 m (NLOS at about -5 dB): bursts every 25 ms, 14.6
	//     steps late on average, mostly beyond the window.
	//   - mmWave at 150 m: nothing arrives.
	cases := []struct {
		name   string
		link   Link
		action int64
		mean   float64
		first  []float64
		last   []float32
	}{
		{"nr 50 m 64 B", nrAt(50), 1, 0.871625, []float64{0, 0.25, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875},
			[]float32{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}},
		{"nr 50 m 1024 B", nrAt(50), 3, 0.871625, []float64{0, 0.125, 0.375, 0.375, 0.5, 0.625, 0.75, 0.875},
			[]float32{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}},
		{"nr 350 m 64 B", nrAt(350), 1, 0.689375, []float64{0, 0, 0, 0, 0, 0.5, 0.5, 0.5},
			[]float32{1, 2, 1, 3, 1, 2, 1, 3, 1, 3, 1, 2, 0, 0, 0, 0}},
		{"nr 350 m 1024 B", nrAt(350), 3, 0, make([]float64, 8), make([]float32, 16)},
		{"nr 500 m", nrAt(500), 1, 0, make([]float64, 8), make([]float32, 16)},
		{"nr no packets", nrAt(50), 0, 0, make([]float64, 8), make([]float32, 16)},
		{"mmwave 50 m 64 B", mmAt(50), 1, 0.809, []float64{0, 0, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75},
			[]float32{1, 2, 1, 1, 1, 2, 1, 1, 1, 2, 1, 1, 0, 0, 0, 0}},
		{"mmwave 100 m 64 B", mmAt(100), 1, 0.09325, []float64{0, 0, 0, 0.125, 0.125, 0.125, 0.125, 0.125},
			make([]float32, 16)},
		{"mmwave 150 m", mmAt(150), 1, 0, make([]float64, 8), make([]float32, 16)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs, last := linkRewards(t, tc.link, 1, tc.action, 1000)
			require.InDelta(t, tc.mean, mean(rs), 1e-12)
			require.Equal(t, tc.first, rs[:8])
			require.Equal(t, tc.last, last)
		})
	}
}

func TestLinkEnvSeeds(t *testing.T) {
	// Same seed: the same rewards; a reseed replays; the next run
	// (Reset without reseed) and another seed are other episodes. At NR's
	// 350 m and mmWave's 100 m the randomness shows.
	cases := []struct {
		name string
		link Link
	}{
		{"nr 350 m", nrAt(350)},
		{"mmwave 100 m", mmAt(100)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := LinkEnvConfig(tc.link)
			trace := func(e *ChannelEnv, seed uint64, reseed bool) []float64 {
				obs := make([]float32, e.ObsLen())
				require.NoError(t, e.Reset(seed, reseed, obs))
				out := make([]float64, 400)
				for i := range out {
					r, _, _, err := e.Step(1, obs)
					require.NoError(t, err)
					out[i] = r
				}
				return out
			}
			a, err := NewChannelEnv(cfg)
			require.NoError(t, err)
			b, err := NewChannelEnv(cfg)
			require.NoError(t, err)
			ta := trace(a, 1, true)
			require.Equal(t, ta, trace(b, 1, true))
			require.Positive(t, mean(ta))
			next := trace(a, 0, false)
			require.Equal(t, uint64(2), a.Channel().Run())
			require.NotEqual(t, ta, next, "the next run differs")
			require.Equal(t, ta, trace(a, 1, true), "reseeding replays")
			require.Equal(t, uint64(1), a.Channel().Run())
			require.NotEqual(t, ta, trace(b, 2, true), "another seed differs")
		})
	}
}

func TestLinkVectorMatchesSingleEnvs(t *testing.T) {
	// Environment i of a vector over a link is the ChannelEnv of that link
	// seeded seed + i, whatever the number of workers; NEXT_STEP autoreset
	// moves it to its next run.
	cases := []struct {
		name    string
		link    Link
		workers int
	}{
		{"nr 1 worker", nrAt(400), 1},
		{"nr 2 workers", nrAt(400), 2},
		{"mmwave 2 workers", mmAt(100), 2},
	}
	const n, steps, maxSteps = 3, 130, 60
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := LinkEnvConfig(tc.link)
			cfg.MaxSteps = maxSteps
			v, err := NewChannelVector(cfg, n, tc.workers)
			require.NoError(t, err)
			obs := make([]float32, n*v.ObsLen())
			require.NoError(t, v.Reset(nil, nil, obs))
			single := make([]*ChannelEnv, n)
			so := make([]float32, 16)
			for i := range single {
				seed, run := tc.link.SeedRun()
				c := cfg
				c.Link = tc.link.WithSeedRun(seed+uint64(i), run)
				single[i], err = NewChannelEnv(c)
				require.NoError(t, err)
				require.NoError(t, single[i].Reset(0, false, so))
				s, _ := single[i].Link().SeedRun()
				require.Equal(t, uint64(1+i), s)
			}
			acts := make([]int64, n)
			rew := make([]float64, n)
			te, tr := make([]bool, n), make([]bool, n)
			var total float64
			for s := 0; s < steps; s++ {
				for i := range acts {
					acts[i] = int64((s + i) % 4)
				}
				require.NoError(t, v.Step(acts, obs, rew, te, tr))
				for i, e := range single {
					var r float64
					if s%(maxSteps+1) == maxSteps { // the vector autoresets: the next run
						require.NoError(t, e.Reset(0, false, so))
					} else {
						r, _, _, err = e.Step(acts[i], so)
						require.NoError(t, err)
					}
					require.Equal(t, r, rew[i], "step %d env %d", s, i)
					require.Equal(t, so, obs[i*16:(i+1)*16], "step %d env %d", s, i)
					require.Equal(t, s%(maxSteps+1) == maxSteps-1, tr[i], "step %d env %d", s, i)
					total += r
				}
			}
			require.Positive(t, total)
		})
	}
}

func TestLinkBankMatchesSingleChannels(t *testing.T) {
	// Link i of a bank over NRLink is nr.NewChannel seeded Seed + i.
	link := nrAt(350)
	b, err := NewLinkBank(link, 2, 2)
	require.NoError(t, err)
	singles := make([]*channelif.SimChannel, 2)
	for i := range singles {
		c := nr.DefaultConfig()
		c.Distance, c.Seed = 350, 1+uint64(i)
		singles[i], err = nr.NewChannel(c)
		require.NoError(t, err)
	}
	steps := []uint32{0, 0}
	sizes := []int64{64, 256}
	counts := make([]int32, 2)
	ids := make([]uint32, 2*8)
	total := 0
	for s := 0; s < 200; s++ {
		require.NoError(t, b.Step(steps, sizes, counts, ids, 8))
		for i, ch := range singles {
			require.NoError(t, ch.Transmit(steps[i], int(sizes[i])))
			want, err := ch.Flush(steps[i])
			require.NoError(t, err)
			require.Equal(t, append([]uint32{}, want...), append([]uint32{}, ids[i*8:i*8+int(counts[i])]...),
				"step %d link %d", s, i)
			total += len(want)
			steps[i]++
		}
	}
	require.Positive(t, total)
	err = b.Step(steps, []int64{64, 1933}, counts, ids, 8)
	require.EqualError(t, err, "channel bank: sizes[1]=1933 out of range [0, 1932] (or -1: no packet, -2: idle)")
	_, err = NewLinkBank(nil, 2, 0)
	require.EqualError(t, err, "channel bank: link is nil")
	_, err = NewLinkBank(mmAt(-3), 2, 0)
	require.ErrorContains(t, err, "mmwave channel: distance -3 out of range")
}

func TestLinkEnvStepAllocatesNothing(t *testing.T) {
	cases := []struct {
		name string
		link Link
	}{
		{"nr 50 m", nrAt(50)},
		{"nr 400 m", nrAt(400)},
		{"mmwave 50 m", mmAt(50)},
		{"mmwave 100 m", mmAt(100)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := LinkEnvConfig(tc.link)
			cfg.MaxSteps = 1 << 30
			e, err := NewChannelEnv(cfg)
			require.NoError(t, err)
			obs := make([]float32, e.ObsLen())
			require.NoError(t, e.Reset(1, true, obs))
			for i := 0; i < 2000; i++ { // warm the pools and queues
				_, _, _, err := e.Step(1, obs)
				require.NoError(t, err)
			}
			allocs := testing.AllocsPerRun(500, func() {
				_, _, _, _ = e.Step(1, obs)
			})
			require.Zero(t, allocs)
		})
	}
}

func BenchmarkLinkEnvStep(b *testing.B) {
	for _, bc := range []struct {
		name string
		link Link
	}{
		{"nr50m", nrAt(50)},
		{"mmwave50m", mmAt(50)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cfg := LinkEnvConfig(bc.link)
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
		})
	}
}
