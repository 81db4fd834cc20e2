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

type tag struct{}

func (*tag) String() string { return "tag" }

func TestUDPEcho(t *testing.T) {
	p := newPair(t)
	srv, err := apps.NewUDPEchoServer(p.b, apps.DefaultUDPEchoServerConfig())
	require.NoError(t, err)
	require.NoError(t, srv.Start(0))
	cfg := apps.DefaultUDPEchoClientConfig(p.b.Address(), 9)
	cfg.MaxPackets, cfg.Interval, cfg.PacketSize, cfg.StartJitter = 3, 100*sim.Millisecond, 1024, 0
	cli, err := apps.NewUDPEchoClient(p.a, cfg)
	require.NoError(t, err)
	var sent, echoed []sim.Time
	cli.OnTx = func(q *packet.Packet) {
		q.AddTag(&tag{}) // the server must not send it back
		sent = append(sent, p.s.Now())
	}
	cli.OnRx = func(q *packet.Packet, info inet.RecvInfo) {
		_, tagged := packet.FindTag[*tag](q)
		require.False(t, tagged)
		require.Equal(t, p.b.Address(), info.From)
		require.Equal(t, uint16(9), info.FromPort)
		echoed = append(echoed, p.s.Now())
	}
	var serverSaw int
	srv.OnRx = func(q *packet.Packet, info inet.RecvInfo) {
		_, tagged := packet.FindTag[*tag](q)
		require.True(t, tagged)
		require.Equal(t, uint16(49153), info.FromPort)
		serverSaw++
	}
	require.NoError(t, cli.Start(2*sim.Second))
	p.s.RunUntil(5 * sim.Second)

	// 1024 + 28 + 2 bytes at 100 Mb/s: 84.32 us, plus 1 ms, each way.
	rtt := 2 * (sim.Millisecond + 84320)
	require.Equal(t, []sim.Time{2 * sim.Second, 2100 * sim.Millisecond, 2200 * sim.Millisecond}, sent)
	require.Equal(t, []sim.Time{2*sim.Second + rtt, 2100*sim.Millisecond + rtt, 2200*sim.Millisecond + rtt}, echoed)
	require.Equal(t, 3, serverSaw)
	require.Equal(t, apps.EchoStats{TxPackets: 3, TxBytes: 3072, RxPackets: 3, RxBytes: 3072}, cli.Stats())
	require.Equal(t, apps.EchoStats{TxPackets: 3, TxBytes: 3072, RxPackets: 3, RxBytes: 3072}, srv.Stats())

	// Stop closes the server: a later datagram finds no socket.
	require.NoError(t, srv.Stop(6*sim.Second))
	p.s.RunUntil(7 * sim.Second)
	sock := p.a.NewUDPSocket()
	require.NoError(t, sock.SendTo(10, p.b.Address(), 9))
	p.s.RunUntil(8 * sim.Second)
	require.Equal(t, uint64(1), p.b.Drops(inet.DropNoSocket))
}

func TestEchoBadConfig(t *testing.T) {
	p := newPair(t)
	_, err := apps.NewUDPEchoServer(p.b, apps.UDPEchoServerConfig{})
	require.ErrorContains(t, err, "Port must be set")
	good := apps.DefaultUDPEchoClientConfig(p.b.Address(), 9)
	for _, c := range []struct {
		mutate func(*apps.UDPEchoClientConfig)
		msg    string
	}{
		{func(c *apps.UDPEchoClientConfig) { c.Remote = 0 }, "Remote must be set"},
		{func(c *apps.UDPEchoClientConfig) { c.MaxPackets = 0 }, "MaxPackets must be at least 1"},
		{func(c *apps.UDPEchoClientConfig) { c.Interval = -1 }, "Interval -1ns is outside"},
		{func(c *apps.UDPEchoClientConfig) { c.PacketSize = -1 }, "PacketSize -1"},
		{func(c *apps.UDPEchoClientConfig) { c.StartJitter = -1 }, "StartJitter"},
	} {
		cfg := good
		c.mutate(&cfg)
		_, err := apps.NewUDPEchoClient(p.a, cfg)
		require.ErrorContains(t, err, c.msg)
	}
	busy := p.b.NewUDPSocket()
	require.NoError(t, busy.Bind(9))
	_, err = apps.NewUDPEchoServer(p.b, apps.DefaultUDPEchoServerConfig())
	require.ErrorContains(t, err, "port in use")
	_, err = apps.NewPacketSink(p.b, apps.PacketSinkConfig{Port: 9})
	require.ErrorContains(t, err, "port in use")
	_, err = apps.NewPacketSink(p.b, apps.PacketSinkConfig{})
	require.ErrorContains(t, err, "Port must be set")
}

// A sink counts per source address and port, and skips zero-byte
// datagrams as ns-3's (end of file).
func TestPacketSinkSources(t *testing.T) {
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	nodes, err := w.NewNodes(3, inet.DefaultNodeConfig())
	require.NoError(t, err)
	_, err = w.ConnectPointToPoint(nodes[0], nodes[1], 100*inet.Mbps, sim.Millisecond)
	require.NoError(t, err)
	l2, err := w.ConnectPointToPoint(nodes[2], nodes[1], 100*inet.Mbps, sim.Millisecond)
	require.NoError(t, err)
	sink, err := apps.NewPacketSink(nodes[1], apps.PacketSinkConfig{Port: 9})
	require.NoError(t, err)
	var traced int
	sink.OnRx = func(*packet.Packet, inet.RecvInfo) { traced++ }
	require.NoError(t, sink.Start(sim.Second))
	a1, a2, c := nodes[0].NewUDPSocket(), nodes[0].NewUDPSocket(), nodes[2].NewUDPSocket()
	dst := w.Nodes()[1].Address()
	send := func(at sim.Time, sock *inet.UDPSocket, to inet.IPv4Addr, n int) {
		s.Schedule(at, func() { require.NoError(t, sock.SendTo(n, to, 9)) })
	}
	send(500*sim.Millisecond, a1, dst, 100) // before the start: no socket yet
	send(2*sim.Second, a1, dst, 100)
	send(2*sim.Second, a2, dst, 200)
	send(3*sim.Second, a1, dst, 300)
	send(3*sim.Second, c, l2.Interfaces[1].Address(), 400)
	send(4*sim.Second, c, l2.Interfaces[1].Address(), 0) // EOF: not counted
	s.RunUntil(5 * sim.Second)

	require.Equal(t, uint64(1), nodes[1].Drops(inet.DropNoSocket))
	st := sink.Stats()
	require.Equal(t, uint64(4), st.RxPackets)
	require.Equal(t, uint64(1000), sink.TotalRx())
	require.Equal(t, 4, traced)
	srcs := sink.Sources()
	require.Len(t, srcs, 3)
	require.Equal(t, nodes[0].Address(), srcs[0].From)
	require.Equal(t, uint16(49153), srcs[0].FromPort)
	require.Equal(t, uint64(2), srcs[0].RxPackets)
	require.Equal(t, uint64(400), srcs[0].RxBytes)
	require.Equal(t, uint16(49154), srcs[1].FromPort)
	require.Equal(t, uint64(200), srcs[1].RxBytes)
	require.Equal(t, nodes[2].Address(), srcs[2].From)
	one, ok := sink.Source(nodes[2].Address(), 49153)
	require.True(t, ok)
	require.Equal(t, uint64(400), one.RxBytes)
	_, ok = sink.Source(nodes[2].Address(), 1)
	require.False(t, ok)
	byAddr := sink.SourcesByAddress()
	require.Len(t, byAddr, 2)
	require.Equal(t, uint64(600), byAddr[0].RxBytes)
	require.Equal(t, uint64(3), byAddr[0].RxPackets)
	require.Equal(t, uint64(400), byAddr[1].RxBytes)
	// Node 0's first datagram arrives at 2 s + 1 ms + 10.4 us (130 bytes
	// at 100 Mb/s), its last at 3 s + 1 ms + 26.4 us (330 bytes).
	require.Equal(t, 2*sim.Second+sim.Millisecond+10400, byAddr[0].FirstRx)
	require.Equal(t, 3*sim.Second+sim.Millisecond+26400, byAddr[0].LastRx)
	require.InDelta(t, 600*8/1.000016, byAddr[0].Throughput(), 1e-9)
}

// Draws follow ns-3's distributions: sample means and bounds.
func TestRandomVariables(t *testing.T) {
	s := sim.New(1, 1)
	const n = 20000
	for i, c := range []struct {
		v        apps.RandomVariable
		mean     float64
		lo, hi   float64
		meanTol  float64
		describe string
	}{
		{apps.ConstantVariable{Value: 0.5}, 0.5, 0.5, 0.5, 0, "constant"},
		{apps.UniformVariable{Min: 1, Max: 3}, 2, 1, 3, 0.02, "uniform"},
		{apps.ExponentialVariable{Mean: 0.5}, 0.5, 0, math.Inf(1), 0.02, "exponential"},
		// Bounded at the mean: the mean of an exponential below its mean,
		// 1 - 1/(e - 1) times the mean.
		{apps.ExponentialVariable{Mean: 1, Bound: 1}, 1 - 1/(math.E-1), 0, 1, 0.01, "bounded exponential"},
		{apps.ParetoVariable{Scale: 1, Shape: 3}, 1.5, 1, math.Inf(1), 0.03, "pareto"},
		{apps.WeibullVariable{Scale: 2, Shape: 1}, 2, 0, math.Inf(1), 0.06, "weibull (exponential)"},
		{apps.NormalVariable{Mean: 5, Variance: 1, Bound: 2}, 5, 3, 7, 0.03, "bounded normal"},
		{apps.LogNormalVariable{Mu: 0, Sigma: 0.5}, math.Exp(0.125), 0, math.Inf(1), 0.02, "log-normal"},
		{apps.GammaVariable{Alpha: 2, Beta: 0.5}, 1, 0, math.Inf(1), 0.02, "gamma"},
		{apps.ErlangVariable{K: 3, Lambda: 0.25}, 0.75, 0, math.Inf(1), 0.02, "erlang"},
	} {
		require.NoError(t, c.v.Validate(), c.describe)
		smp := c.v.NewSampler(s.StreamFor("test", i))
		sum := 0.0
		for range n {
			x := smp.Rand()
			require.GreaterOrEqual(t, x, c.lo, c.describe)
			require.LessOrEqual(t, x, c.hi, c.describe)
			sum += x
		}
		require.InDelta(t, c.mean, sum/n, c.meanTol, c.describe)
		again := c.v.NewSampler(s.StreamFor("test", i))
		require.Equal(t, smp != nil, again != nil)
	}
	for _, bad := range []apps.RandomVariable{
		apps.ConstantVariable{Value: -1}, apps.UniformVariable{Min: -1, Max: 1}, apps.ExponentialVariable{Mean: -1},
		apps.ParetoVariable{Scale: 1, Shape: 0}, apps.ParetoVariable{Scale: 2, Shape: 1, Bound: 1},
		apps.WeibullVariable{Scale: 0, Shape: 1}, apps.NormalVariable{Mean: 1, Variance: 1, Bound: 2},
		apps.LogNormalVariable{Mu: math.NaN(), Sigma: 1}, apps.GammaVariable{Alpha: 0, Beta: 1},
		apps.ErlangVariable{K: 0, Lambda: 1},
	} {
		require.Error(t, bad.Validate(), "%#v", bad)
	}
	// Drawing allocates nothing.
	smp := apps.ExponentialVariable{Mean: 1}.NewSampler(s.Stream("alloc"))
	require.Zero(t, testing.AllocsPerRun(100, func() { smp.Rand() }))
}
