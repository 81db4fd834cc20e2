package apps_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/apps"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// pair is two nodes on a 100 Mb/s, 1 ms point-to-point link, as
// bench/ns3/onoff-timing.cc builds them.
type pair struct {
	s    *sim.Simulator
	a, b *inet.Node
}

func newPair(t testing.TB) pair {
	t.Helper()
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	nodes, err := w.NewNodes(2, inet.DefaultNodeConfig())
	require.NoError(t, err)
	_, err = w.ConnectPointToPoint(nodes[0], nodes[1], 100*inet.Mbps, sim.Millisecond)
	require.NoError(t, err)
	return pair{s: s, a: nodes[0], b: nodes[1]}
}

// runOnOff runs an OnOff with constant on and off times from a to a sink
// on b and returns the send times and what the sink got.
func runOnOff(t *testing.T, rate string, size int, on, off float64, start, stop sim.Time, maxBytes uint64) ([]sim.Time, uint64) {
	t.Helper()
	p := newPair(t)
	sink, err := apps.NewPacketSink(p.b, apps.PacketSinkConfig{Port: 9})
	require.NoError(t, err)
	require.NoError(t, sink.Start(0))
	cfg := apps.DefaultOnOffConfig(p.b.Address(), 9)
	require.NoError(t, cfg.SetDataRate(rate))
	cfg.PacketSize = size
	cfg.OnTime, cfg.OffTime = apps.ConstantVariable{Value: on}, apps.ConstantVariable{Value: off}
	cfg.MaxBytes = maxBytes
	cfg.StartJitter = 0 // ns-3's exact start
	app, err := apps.NewOnOff(p.a, cfg)
	require.NoError(t, err)
	var times []sim.Time
	app.OnTx = func(q *packet.Packet) {
		require.Equal(t, size, q.Size())
		times = append(times, p.s.Now())
	}
	require.NoError(t, app.Start(start))
	require.NoError(t, app.Stop(stop))
	p.s.RunUntil(stop + sim.Second)
	require.Equal(t, uint64(len(times)), app.Stats().TxPackets)
	require.NoError(t, app.Err())
	return times, sink.TotalRx()
}

func ns(v ...int64) []sim.Time {
	out := make([]sim.Time, len(v))
	for i, x := range v {
		out[i] = sim.Time(x)
	}
	return out
}

// The send times are those ns-3 3.37 prints for the same runs
// (bench/ns3/onoff-timing.cc with the same flags), to the nanosecond.
func TestOnOffMatchesNs3(t *testing.T) {
	// --rate=1Mbps --size=1000 --on=0.05 --off=0.03 --start=1 --stop=1.2:
	// the first "on" period starts after an off draw (1.03 s); each period
	// cut short keeps its residual bits (1999, then 3998: ns-3's int64x64
	// truncation of 2 ms and 3.999 ms at 1 Mb/s), so the next period's
	// first packet comes early (6.001 ms, then 4.002 ms after it starts).
	times, rx := runOnOff(t, "1Mbps", 1000, 0.05, 0.03, sim.Second, 1200*sim.Millisecond, 0)
	require.Equal(t, ns(1038000000, 1046000000, 1054000000, 1062000000, 1070000000, 1078000000,
		1116001000, 1124001000, 1132001000, 1140001000, 1148001000, 1156001000, 1194002000), times)
	require.Equal(t, uint64(13000), rx)

	// --rate=300kbps --size=512 --on=0.1 --off=0.07 --start=0.5 --stop=1.5
	// --maxBytes=5000: 13.653333 ms per packet (Seconds() rounding), and the
	// tenth packet goes past MaxBytes (5120 bytes), then the application
	// stops.
	times, rx = runOnOff(t, "300kbps", 512, 0.1, 0.07, 500*sim.Millisecond, 1500*sim.Millisecond, 5000)
	require.Equal(t, ns(583653333, 597306666, 610959999, 624613332, 638266665, 651919998, 665573331,
		749226667, 762880000, 776533333), times)
	require.Equal(t, uint64(5120), rx)

	// --rate=2.5Mbps --size=1472 --on=0.013 --off=0.0071 --start=0.25
	// --stop=0.3.
	times, rx = runOnOff(t, "2.5Mbps", 1472, 0.013, 0.0071, 250*sim.Millisecond, 300*sim.Millisecond, 0)
	require.Equal(t, ns(261810400, 266520800, 278331600, 283042000, 287752400, 299563200), times)
	require.Equal(t, uint64(8832), rx)

	// ns-3's defaults (500 kb/s, 512 bytes, on 1 s, off 1 s) from 0 to
	// 3.5 s: 122 packets 8.192 ms apart from 1.008192 s, then 61 from
	// 3.007618 s (287 residual bits).
	times, rx = runOnOff(t, "500kb/s", 512, 1, 1, 0, 3500*sim.Millisecond, 0)
	require.Len(t, times, 183)
	require.Equal(t, ns(1008192000, 1999424000, 3007618000, 3499138000),
		[]sim.Time{times[0], times[121], times[122], times[182]})
	for i := 1; i < len(times); i++ {
		if i != 122 {
			require.Equal(t, 8192*sim.Microsecond, times[i]-times[i-1])
		}
	}
	require.Equal(t, uint64(93696), rx)
}

func TestCBR(t *testing.T) {
	p := newPair(t)
	sink, err := apps.NewPacketSink(p.b, apps.PacketSinkConfig{Port: 9})
	require.NoError(t, err)
	require.NoError(t, sink.Start(0))
	cfg := apps.CBRConfig(p.b.Address(), 9, 8*inet.Mbps, 1000) // one packet per ms
	cfg.StartJitter = 0
	app, err := apps.NewOnOff(p.a, cfg)
	require.NoError(t, err)
	var times []sim.Time
	app.OnTx = func(*packet.Packet) { times = append(times, p.s.Now()) }
	require.NoError(t, app.Start(sim.Second))
	require.NoError(t, app.Stop(3*sim.Second))
	p.s.RunUntil(4 * sim.Second)
	// 1.001 s to 2.999 s: the packet due at 3 s comes after the stop
	// event, which was scheduled first (ns-3's order too).
	require.Len(t, times, 1999)
	for i, at := range times {
		if at != sim.Second+sim.Time(i+1)*sim.Millisecond {
			t.Fatalf("packet %d sent at %v", i, at)
		}
	}
	st := sink.Stats()
	require.Equal(t, uint64(1999), st.RxPackets)
	require.Equal(t, uint64(1_999_000), st.RxBytes)
	// 1000 + 28 + 2 bytes at 100 Mb/s take 82.4 us, plus 1 ms.
	require.Equal(t, sim.Second+sim.Millisecond+sim.Millisecond+82400, st.FirstRx)
	require.Equal(t, st.FirstRx+1998*sim.Millisecond, st.LastRx)
	require.InDelta(t, 1_999_000*8/1.998, st.Throughput(), 1e-6)
	require.Equal(t, uint64(1), app.Stats().OnPeriods)
}

// Random on/off times come from the application's own streams: the same
// seed gives the same times; another application on another node does
// not change them; the start jitter is drawn from the application's
// stream.
func TestOnOffRandomStreams(t *testing.T) {
	run := func(extra bool) ([]sim.Time, sim.Time) {
		s := sim.New(7, 3)
		w := inet.NewNetwork(s)
		nodes, err := w.NewNodes(3, inet.DefaultNodeConfig())
		require.NoError(t, err)
		_, err = w.ConnectPointToPoint(nodes[0], nodes[1], 100*inet.Mbps, sim.Millisecond)
		require.NoError(t, err)
		_, err = w.ConnectPointToPoint(nodes[2], nodes[1], 100*inet.Mbps, sim.Millisecond)
		require.NoError(t, err)
		cfg := apps.DefaultOnOffConfig(nodes[1].Address(), 9)
		cfg.OnTime = apps.ExponentialVariable{Mean: 0.05}
		cfg.OffTime = apps.ParetoVariable{Scale: 0.01, Shape: 1.5, Bound: 1}
		cfg.DataRate = 4 * inet.Mbps
		app, err := apps.NewOnOff(nodes[0], cfg)
		require.NoError(t, err)
		var times []sim.Time
		app.OnTx = func(*packet.Packet) { times = append(times, s.Now()) }
		require.NoError(t, app.Start(sim.Second))
		require.NoError(t, app.Stop(2*sim.Second))
		if extra {
			other, err := apps.NewOnOff(nodes[2], cfg)
			require.NoError(t, err)
			require.NoError(t, other.Start(sim.Second))
		}
		s.RunUntil(3 * sim.Second)
		return times, app.StartTime()
	}
	a, startA := run(false)
	b, startB := run(true)
	require.Equal(t, a, b)
	require.Equal(t, startA, startB)
	require.Greater(t, startA, sim.Second)
	require.Less(t, startA, sim.Second+apps.DefaultStartJitter)
	require.Greater(t, len(a), 50)
	require.Less(t, len(a), 900) // less than always on: 4 Mb/s of 512-byte packets is 977/s
}

func TestOnOffBadConfig(t *testing.T) {
	p := newPair(t)
	good := apps.DefaultOnOffConfig(p.b.Address(), 9)
	require.NoError(t, good.Validate())
	for _, c := range []struct {
		mutate func(*apps.OnOffConfig)
		msg    string
	}{
		{func(c *apps.OnOffConfig) { c.Remote = 0 }, "Remote must be set"},
		{func(c *apps.OnOffConfig) { c.DataRate = 0 }, "DataRate must be positive"},
		{func(c *apps.OnOffConfig) { c.PacketSize = 0 }, "PacketSize 0 is outside 1..65507"},
		{func(c *apps.OnOffConfig) { c.PacketSize = 70000 }, "PacketSize 70000"},
		{func(c *apps.OnOffConfig) { c.OnTime = nil }, "OnTime is nil"},
		{func(c *apps.OnOffConfig) { c.OffTime = apps.ConstantVariable{Value: -1} }, "OffTime: apps: ConstantVariable -1 must be a non-negative"},
		{func(c *apps.OnOffConfig) { c.OnTime = apps.NormalVariable{Mean: 1, Variance: 1, Bound: 1e30} }, "durations need 0 <= Bound <= Mean"},
		{func(c *apps.OnOffConfig) { c.OnTime = apps.UniformVariable{Min: 2, Max: 1} }, "UniformVariable [2, 1)"},
		{func(c *apps.OnOffConfig) { c.OnTime = apps.ExponentialVariable{} }, "ExponentialVariable Mean 0"},
		{func(c *apps.OnOffConfig) { c.OnTime = apps.ConstantVariable{Value: math.NaN()} }, "ConstantVariable NaN"},
		{func(c *apps.OnOffConfig) { c.StartJitter = -sim.Millisecond }, "StartJitter -1ms is outside"},
		{func(c *apps.OnOffConfig) { c.Local = inet.IPv4AddrFrom4(1, 2, 3, 4) }, "1.2.3.4 is not an address of node 0"},
	} {
		cfg := good
		c.mutate(&cfg)
		_, err := apps.NewOnOff(p.a, cfg)
		require.ErrorContains(t, err, c.msg)
	}
	cfg := good
	require.ErrorContains(t, cfg.SetDataRate("10 Mbps"), `unknown unit " Mbps"`)
	require.ErrorContains(t, cfg.SetDataRate("fast"), `unknown unit "fast"`)
	_, err := apps.NewOnOff(nil, good)
	require.Error(t, err)

	// A local port in use is an error when the application is made.
	busy := p.a.NewUDPSocket()
	require.NoError(t, busy.Bind(5000))
	cfg.LocalPort = 5000
	_, err = apps.NewOnOff(p.a, cfg)
	require.ErrorContains(t, err, "cannot bind 0.0.0.0:5000 on node 0")

	// Times before now, a second start.
	app, err := apps.NewOnOff(p.a, good)
	require.NoError(t, err)
	p.s.RunUntil(sim.Second)
	require.ErrorContains(t, app.Start(sim.Second-1), "start time 999.999999ms is before now (1s)")
	require.ErrorContains(t, app.Stop(0), "stop time 0s is before now")
	require.NoError(t, app.Start(sim.Second))
	require.ErrorContains(t, app.Start(2*sim.Second), "already started")
	require.ErrorContains(t, app.SetDataRate(0), "positive")
}

// Sending and receiving allocate nothing per packet.
func TestOnOffAndSinkAllocateNothing(t *testing.T) {
	p := newPair(t)
	sink, err := apps.NewPacketSink(p.b, apps.PacketSinkConfig{Port: 9})
	require.NoError(t, err)
	require.NoError(t, sink.Start(0))
	cfg := apps.CBRConfig(p.b.Address(), 9, 8*inet.Mbps, 1000)
	cfg.StartJitter = 0
	app, err := apps.NewOnOff(p.a, cfg)
	require.NoError(t, err)
	require.NoError(t, app.Start(0))
	p.s.RunUntil(100 * sim.Millisecond)
	step := func() { p.s.RunUntil(p.s.Now() + sim.Millisecond) }
	require.Zero(t, testing.AllocsPerRun(500, step))
	require.Equal(t, uint64(600), app.Stats().TxPackets)
}
