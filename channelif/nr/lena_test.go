package nr

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

func TestValidate(t *testing.T) {
	require.NoError(t, DefaultConfig().Validate())
	for _, tc := range []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.StepMs = 0 }, "step-ms 0 out of range"},
		{func(c *Config) { c.Distance = -1 }, "distance -1 out of range"},
		{func(c *Config) { c.FreqHz = 1e6 }, "freq 1e+06 out of range"},
		{func(c *Config) { c.Numerology = 7 }, "numerology 7 out of range"},
		{func(c *Config) { c.UeTxPowerDbm = 1e9 }, "ue-tx-power"},
		{func(c *Config) { c.GnbTxPowerDb = -1e9 }, "gnb-tx-power"},
		{func(c *Config) { c.PacketSize = 5000 }, "pkt-size 5000 out of range [0, 1932]"},
		{func(c *Config) { c.Scenario = "V2V-Highway" }, `scenario "V2V-Highway" unknown`},
		{func(c *Config) { c.BandwidthHz = 1e5 }, "bandwidth 100000 at numerology 3"},
		{func(c *Config) { c.MaxAdvanceS = 0 }, "max-advance-s 0 out of range"},
	} {
		c := DefaultConfig()
		tc.mod(&c)
		err := c.Validate()
		require.Error(t, err)
		require.Contains(t, err.Error(), tc.want)
		_, err = NewChannel(c)
		require.Error(t, err)
	}
}

func TestParseScenario(t *testing.T) {
	for _, name := range []string{"UMa", "UMi", "UMi-StreetCanyon", "RMa", "InH-OfficeMixed", "InH-OfficeOpen"} {
		_, err := ParseScenario(name)
		require.NoError(t, err, name)
	}
	a, _ := ParseScenario("UMi")
	b, _ := ParseScenario("UMi-StreetCanyon")
	require.Equal(t, a, b)
}

// TestSpec: NetRL's timing: 1% send offset, warm-up max(500 ms, 2 steps).
func TestSpec(t *testing.T) {
	for _, tc := range []struct {
		stepMs float64
		warm   sim.Time
	}{{1, 500 * sim.Millisecond}, {10, 500 * sim.Millisecond}, {400, 800 * sim.Millisecond}} {
		c := DefaultConfig()
		c.StepMs = tc.stepMs
		sp := Builder(c).Spec()
		require.NoError(t, sp.Validate())
		require.Equal(t, tc.warm, sp.Warmup)
		require.Equal(t, channelif.SingleUESendOffset, sp.SendOffset)
		require.Equal(t, MaxPacketSize, sp.MaxPacketSize)
	}
}

// steps runs n steps of ch (one 64-byte packet each) and returns the ids
// delivered per flush.
func steps(t *testing.T, ch *channelif.SimChannel, from, n uint32) [][]uint32 {
	t.Helper()
	var out [][]uint32
	for s := from; s < from+n; s++ {
		require.NoError(t, ch.Transmit(s, 64))
		ids, err := ch.Flush(s)
		require.NoError(t, err)
		out = append(out, append([]uint32(nil), ids...))
	}
	return out
}

// TestChannel: at 50 m the UE is attached when step 0 starts (500 ms); a
// settled link delivers every packet one step later (1.2 ms of SR, grant,
// PUSCH and decode at numerology 3); the same seed replays bit for bit; a
// Reset moves to the next run.
func TestChannel(t *testing.T) {
	ch, err := NewChannel(DefaultConfig())
	require.NoError(t, err)
	require.Equal(t, 500*sim.Millisecond, ch.Now())
	n := Scenario(ch)
	require.NotNil(t, n)
	require.True(t, n.UE.Ready())
	require.Equal(t, uint8(2), n.Bearer)
	a := steps(t, ch, 0, 300)
	for s := 10; s < 300; s++ {
		require.Equal(t, []uint32{uint32(s - 1)}, a[s], "step %d", s)
	}
	st := n.Gnb.Stats()
	require.Zero(t, st.UplinkRefused)
	require.Equal(t, uint64(299), n.NR.EPC().Stats().S1UUplink.Packets, "the last one is still in the air")

	again, err := NewChannel(DefaultConfig())
	require.NoError(t, err)
	require.Equal(t, a, steps(t, again, 0, 300))

	require.NoError(t, ch.Reset())
	require.Equal(t, uint64(2), ch.Run())
	require.Equal(t, 500*sim.Millisecond, ch.Now())
	require.NotSame(t, n, Scenario(ch))
}

// TestStepsPersist: all state (HARQ processes, RLC buffers and timers,
// scheduler, CQI, the channel) persists across RunUntil windows: NetRL's
// scenario at 300 m (MCS 0, HARQ retransmissions, segmentation) with one
// datagram per millisecond gives the same arrivals at the same times when
// run in one window or in windows of 37 us.
func TestStepsPersist(t *testing.T) {
	run := func(window sim.Time) map[uint64]sim.Time {
		s := sim.New(1, 1)
		c := DefaultConfig()
		c.Distance = 300
		n, err := BuildNetwork(s, c)
		require.NoError(t, err)
		got := map[uint64]sim.Time{}
		rx := n.RemoteHost.Node.NewUDPSocket()
		require.NoError(t, rx.Bind(Port))
		rx.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) { got[p.UID()] = s.Now() })
		tx := n.UE.Node().NewUDPSocket()
		require.NoError(t, tx.Connect(n.RemoteHost.Address, Port))
		var send func(any)
		send = func(any) {
			_ = tx.Send(64)
			s.ScheduleWith(sim.Millisecond, send, nil)
		}
		s.ScheduleWith(500*sim.Millisecond+10*sim.Microsecond, send, nil)
		end := 900 * sim.Millisecond
		if window == 0 {
			s.RunUntil(end)
		} else {
			for at := window; at < end; at += window {
				s.RunUntil(at)
			}
			s.RunUntil(end)
		}
		return got
	}
	one := run(0)
	require.Greater(t, len(one), 390)
	require.Equal(t, one, run(37*sim.Microsecond))
}

// TestZeroAllocs: a step (Transmit + Flush of a 64-byte packet through the
// NR stack and the core) allocates nothing in steady state.
func TestZeroAllocs(t *testing.T) {
	ch, err := NewChannel(DefaultConfig())
	require.NoError(t, err)
	s := uint32(0)
	step := func() {
		_ = ch.Transmit(s, 64)
		_, _ = ch.Flush(s)
		s++
	}
	for range 3000 {
		step()
	}
	require.Zero(t, testing.AllocsPerRun(1000, step))
}

// BenchmarkStep measures NetRL's default scenario (50 m, 1 ms steps, 64
// bytes) in process: one Transmit and one Flush per iteration.
func BenchmarkStep(b *testing.B) {
	for _, d := range []float64{50, 200} {
		b.Run(map[float64]string{50: "50m", 200: "200m"}[d], func(b *testing.B) {
			c := DefaultConfig()
			c.Distance = d
			ch, err := NewChannel(c)
			if err != nil {
				b.Fatal(err)
			}
			s := uint32(0)
			for ; s < 2000; s++ {
				_ = ch.Transmit(s, 64)
				_, _ = ch.Flush(s)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				_ = ch.Transmit(s, 64)
				_, _ = ch.Flush(s)
				s++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}

// TestParallel: channels in parallel goroutines (no shared state) give
// what they give alone.
func TestParallel(t *testing.T) {
	run := func(seed uint64) ([][]uint32, error) {
		c := DefaultConfig()
		c.Seed, c.Distance = seed, 150
		ch, err := NewChannel(c)
		if err != nil {
			return nil, err
		}
		var out [][]uint32
		for s := uint32(0); s < 200; s++ {
			if err := ch.Transmit(s, 64); err != nil {
				return nil, err
			}
			ids, err := ch.Flush(s)
			if err != nil {
				return nil, err
			}
			out = append(out, append([]uint32(nil), ids...))
		}
		return out, nil
	}
	want := map[uint64][][]uint32{}
	for seed := uint64(1); seed <= 4; seed++ {
		r, err := run(seed)
		require.NoError(t, err)
		want[seed] = r
	}
	type result struct {
		seed uint64
		out  [][]uint32
		err  error
	}
	done := make(chan result)
	for seed := uint64(1); seed <= 4; seed++ {
		go func() {
			out, err := run(seed)
			done <- result{seed, out, err}
		}()
	}
	for range 4 {
		r := <-done
		require.NoError(t, r.err)
		require.Equal(t, want[r.seed], r.out, "seed %d", r.seed)
	}
}

// TestPythonFigures pins the figures python/tests/test_cellular.py and
// test_netrl_cellular.py assert on netgym.channels.LenaChannel (which
// builds this channel through libnetgym) and on lena-sim driven by NetRL's
// NS3LenaChannel: seed 1, 1 ms steps, one 64-byte packet a step. At 50 m
// steps 0 and 1 arrive together in step 1, then every packet one step
// late; at 400 m 514 of 1000 arrive, 152.2529 steps late on average; at
// 500 m none. At 400 m 126 of 400 arrive in run 1 and 399 in run 2 (the
// episode after a Reset).
func TestPythonFigures(t *testing.T) {
	stats := func(a [][]uint32) (n int, lag float64) {
		sum := 0
		for s, ids := range a {
			for _, id := range ids {
				n++
				sum += s - int(id)
			}
		}
		if n > 0 {
			lag = float64(sum) / float64(n)
		}
		return n, lag
	}
	for _, c := range []struct {
		distance  float64
		delivered int
		lag       float64
	}{{50, 999, 998.0 / 999}, {400, 514, 152.2529}, {500, 0, 0}} {
		cfg := DefaultConfig()
		cfg.Distance = c.distance
		ch, err := NewChannel(cfg)
		require.NoError(t, err)
		a := steps(t, ch, 0, 1000)
		n, lag := stats(a)
		require.Equal(t, c.delivered, n, "%v m", c.distance)
		require.InDelta(t, c.lag, lag, 5e-5, "%v m", c.distance)
		if c.distance == 50 {
			require.Equal(t, [][]uint32{nil, {0, 1}, nil, {2}}, a[:4])
			for s := 3; s < 1000; s++ {
				require.Equal(t, []uint32{uint32(s - 1)}, a[s], "step %d", s)
			}
		}
	}
	cfg := DefaultConfig()
	cfg.Distance = 400
	ch, err := NewChannel(cfg)
	require.NoError(t, err)
	n, _ := stats(steps(t, ch, 0, 400))
	require.Equal(t, 126, n)
	require.NoError(t, ch.Reset())
	n, _ = stats(steps(t, ch, 0, 400))
	require.Equal(t, 399, n)
}

// BenchmarkReset measures NetRL's RESET on the default scenario: the
// scenario of the next run is built and run through its warm-up to step 0,
// as an episode reset of a cellular RL environment pays it.
func BenchmarkReset(b *testing.B) {
	ch, err := NewChannel(DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := ch.Reset(); err != nil {
			b.Fatal(err)
		}
	}
}
