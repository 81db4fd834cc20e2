package flowmon_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/apps"
	"github.com/netgym/netgym/flowmon"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
)

// line is bench/ns3/flowmon-p2p.cc's scenario: n0 -(10 Mb/s, 2 ms)- n1
// -(1 Mb/s, 10 ms, queue of 5)- n2 with default routes through n1, and
// its five flows, every application started exactly (StartJitter 0) in
// ns-3's order.
type line struct {
	s   *sim.Simulator
	net *inet.Network
	n   []*inet.Node
	mon *flowmon.Monitor
}

func newLine(t *testing.T) *line {
	t.Helper()
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	n, err := w.NewNodes(3, inet.DefaultNodeConfig())
	require.NoError(t, err)
	a, err := w.ConnectPointToPoint(n[0], n[1], 10*inet.Mbps, 2*sim.Millisecond)
	require.NoError(t, err)
	slow := inet.DefaultPointToPointDeviceConfig()
	slow.DataRate, slow.QueueSize = inet.Mbps, 5
	b, err := w.ConnectPointToPointWith(n[1], n[2], slow, 10*sim.Millisecond)
	require.NoError(t, err)
	require.NoError(t, n[0].AddDefaultRoute(a.Interfaces[1].Address(), a.Interfaces[0]))
	require.NoError(t, n[2].AddDefaultRoute(b.Interfaces[0].Address(), b.Interfaces[1]))

	mon, err := flowmon.New(s, flowmon.DefaultConfig())
	require.NoError(t, err)
	require.NoError(t, mon.InstallAll(w))

	dst := b.Interfaces[1].Address()
	onoff := func(to inet.IPv4Addr, port uint16, rate string, size int, maxBytes uint64, start, stop sim.Time) {
		cfg := apps.DefaultOnOffConfig(to, port)
		require.NoError(t, cfg.SetDataRate(rate))
		cfg.PacketSize, cfg.MaxBytes, cfg.StartJitter = size, maxBytes, 0
		cfg.OnTime, cfg.OffTime = apps.ConstantVariable{Value: 1000}, apps.ConstantVariable{Value: 0}
		app, err := apps.NewOnOff(n[0], cfg)
		require.NoError(t, err)
		require.NoError(t, app.Start(start))
		require.NoError(t, app.Stop(stop))
	}
	onoff(dst, 9, "800kbps", 1000, 0, sim.Second, 2*sim.Second)
	onoff(dst, 10, "10Mbps", 1000, 15000, 3*sim.Second, 3500*sim.Millisecond)
	onoff(inet.IPv4AddrFrom4(10, 9, 9, 9), 9, "1Mbps", 500, 1500, 3*sim.Second, 3500*sim.Millisecond)
	echo, err := apps.NewUDPEchoServer(n[0], apps.UDPEchoServerConfig{Port: 7})
	require.NoError(t, err)
	require.NoError(t, echo.Start(0))
	for _, port := range []uint16{9, 10} {
		sink, err := apps.NewPacketSink(n[2], apps.PacketSinkConfig{Port: port})
		require.NoError(t, err)
		require.NoError(t, sink.Start(0))
	}
	ccfg := apps.DefaultUDPEchoClientConfig(a.Interfaces[0].Address(), 7)
	ccfg.MaxPackets, ccfg.Interval, ccfg.PacketSize, ccfg.StartJitter = 3, 500*sim.Millisecond, 200, 0
	client, err := apps.NewUDPEchoClient(n[2], ccfg)
	require.NoError(t, err)
	require.NoError(t, client.Start(4*sim.Second))
	require.NoError(t, client.Stop(10*sim.Second))
	return &line{s: s, net: w, n: n, mon: mon}
}

func ip(s string) inet.IPv4Addr {
	a, err := inet.ParseIPv4(s)
	if err != nil {
		panic(err)
	}
	return a
}

func hist(width float64, counts map[int]uint64) flowmon.Histogram {
	h := flowmon.Histogram{BinWidth: width}
	if len(counts) == 0 {
		return h
	}
	top := -1
	for i := range counts {
		top = max(top, i)
	}
	h.Counts = make([]uint64, top+1)
	for i, c := range counts {
		h.Counts[i] = c
	}
	return h
}

// The figures of every flow are those ns-3 3.37's FlowMonitor gives for
// the same run (bench/ns3/flowmon-p2p.cc, at 6 s after
// CheckForLostPackets), to the nanosecond and the byte. By hand:
//
//   - Flow 1, 1000-byte payloads every 10 ms from 1.01 s to 1.99 s (99;
//     the one due at 2 s comes after the stop): 1028-byte IP packets,
//     1030 bytes with PPP, take 0.824 ms on the 10 Mb/s link and 8.24 ms
//     on the 1 Mb/s one, which is free again before the next one: each
//     is delayed 0.824 + 2 + 8.24 + 10 = 21.064 ms, no jitter, forwarded
//     once.
//   - Flow 2, 15 payloads 0.8 ms apart from 3.0008 s, more than the 1 Mb/s
//     link carries: each waits longer in n1's queue (21.064, 28.504,
//     35.944, ... ms) and the ones that find it full are dropped there by
//     the device; ns-3's traffic-control layer drops them without a trace
//     the flow monitor hears, so they are not lost yet (10 s rule), as in
//     ns-3. 7 arrive; jitter = last delay - first delay = 42.24 ms.
//   - Flow 3, 3 packets of 528 bytes to 10.9.9.9: n1 has no route,
//     DropNoRoute (code 0), 3 x 528 = 1584 bytes lost at once.
//   - Flows 4 and 5, the echo: 228-byte packets take 1.84 + 10 + 0.184 + 2
//     = 14.024 ms each way.
func TestMatchesNs3FlowMonitor(t *testing.T) {
	l := newLine(t)
	l.s.RunUntil(6 * sim.Second)
	l.mon.CheckForLostPackets()
	flows := l.mon.Flows()
	require.Len(t, flows, 5)

	type want struct {
		tuple                                          flowmon.FiveTuple
		tx, txBytes, rx, rxBytes, lost, forwarded      uint64
		firstTx, lastTx, firstRx, lastRx               sim.Time
		delaySum, jitterSum, lastDelay, minDel, maxDel sim.Time
		dropped, droppedBytes                          []uint64
		delayH, jitterH, sizeH                         map[int]uint64
	}
	udp := func(src string, sp uint16, dst string, dp uint16) flowmon.FiveTuple {
		return flowmon.FiveTuple{Src: ip(src), Dst: ip(dst), Protocol: 17, SrcPort: sp, DstPort: dp}
	}
	for i, w := range []want{
		{tuple: udp("10.1.1.1", 49153, "10.1.2.2", 9), tx: 99, txBytes: 101772, rx: 99, rxBytes: 101772, forwarded: 99,
			firstTx: 1010000000, lastTx: 1990000000, firstRx: 1031064000, lastRx: 2011064000,
			delaySum: 2085336000, lastDelay: 21064000, minDel: 21064000, maxDel: 21064000,
			delayH: map[int]uint64{21: 99}, jitterH: map[int]uint64{0: 98}, sizeH: map[int]uint64{51: 99}},
		{tuple: udp("10.1.1.1", 49154, "10.1.2.2", 10), tx: 15, txBytes: 15420, rx: 7, rxBytes: 7196, forwarded: 7,
			firstTx: 3000800000, lastTx: 3012000000, firstRx: 3021864000, lastRx: 3071304000,
			delaySum: 301288000, jitterSum: 42240000, lastDelay: 63304000, minDel: 21064000, maxDel: 63304000,
			delayH:  map[int]uint64{21: 1, 28: 1, 35: 1, 43: 1, 50: 1, 58: 1, 63: 1},
			jitterH: map[int]uint64{5: 1, 7: 5}, sizeH: map[int]uint64{51: 7}},
		{tuple: udp("10.1.1.1", 49155, "10.9.9.9", 9), tx: 3, txBytes: 1584, lost: 3,
			firstTx: 3004000000, lastTx: 3012000000, dropped: []uint64{3}, droppedBytes: []uint64{1584}},
		{tuple: udp("10.1.2.2", 49153, "10.1.1.1", 7), tx: 3, txBytes: 684, rx: 3, rxBytes: 684, forwarded: 3,
			firstTx: 4000000000, lastTx: 5000000000, firstRx: 4014024000, lastRx: 5014024000,
			delaySum: 42072000, lastDelay: 14024000, minDel: 14024000, maxDel: 14024000,
			delayH: map[int]uint64{14: 3}, jitterH: map[int]uint64{0: 2}, sizeH: map[int]uint64{11: 3}},
		{tuple: udp("10.1.1.1", 7, "10.1.2.2", 49153), tx: 3, txBytes: 684, rx: 3, rxBytes: 684, forwarded: 3,
			firstTx: 4014024000, lastTx: 5014024000, firstRx: 4028048000, lastRx: 5028048000,
			delaySum: 42072000, lastDelay: 14024000, minDel: 14024000, maxDel: 14024000,
			delayH: map[int]uint64{14: 3}, jitterH: map[int]uint64{0: 2}, sizeH: map[int]uint64{11: 3}},
	} {
		f := flows[i]
		s := f.Stats
		require.Equal(t, flowmon.FlowID(i+1), f.ID)
		require.Equal(t, w.tuple, f.Tuple, "flow %d", f.ID)
		got := []uint64{s.TxPackets, s.TxBytes, s.RxPackets, s.RxBytes, s.LostPackets, s.TimesForwarded}
		require.Equal(t, []uint64{w.tx, w.txBytes, w.rx, w.rxBytes, w.lost, w.forwarded}, got, "flow %d counts", f.ID)
		require.Equal(t, []sim.Time{w.firstTx, w.lastTx, w.firstRx, w.lastRx},
			[]sim.Time{s.TimeFirstTxPacket, s.TimeLastTxPacket, s.TimeFirstRxPacket, s.TimeLastRxPacket}, "flow %d times", f.ID)
		require.Equal(t, []sim.Time{w.delaySum, w.jitterSum, w.lastDelay, w.minDel, w.maxDel},
			[]sim.Time{s.DelaySum, s.JitterSum, s.LastDelay, s.MinDelay, s.MaxDelay}, "flow %d delays", f.ID)
		require.Equal(t, w.dropped, s.PacketsDropped, "flow %d", f.ID)
		require.Equal(t, w.droppedBytes, s.BytesDropped, "flow %d", f.ID)
		require.Equal(t, hist(0.001, w.delayH), s.DelayHistogram, "flow %d delay histogram", f.ID)
		require.Equal(t, hist(0.001, w.jitterH), s.JitterHistogram, "flow %d jitter histogram", f.ID)
		require.Equal(t, hist(20, w.sizeH), s.PacketSizeHistogram, "flow %d size histogram", f.ID)
		require.Zero(t, s.FlowInterruptionsHistogram.NumBins())
	}
	require.Equal(t, 21064*sim.Microsecond, flows[0].Stats.MeanDelay())
	require.Equal(t, sim.Time(42240000/6), flows[1].Stats.MeanJitter())
	id, ok := l.mon.FindFlow(udp("10.1.2.2", 49153, "10.1.1.1", 7))
	require.True(t, ok)
	require.Equal(t, flowmon.FlowID(4), id)
}

// Flow 2's 8 packets dropped at n1's full queue are lost once ns-3's
// periodic check (every second from the monitor's creation) finds them
// unseen for 10 s: n1 forwarded the last of them at 3.0122 s, so the
// check at 14 s counts them, not the one at 13 s.
func TestLostAfterMaxPerHopDelay(t *testing.T) {
	l := newLine(t)
	l.s.RunUntil(13*sim.Second + 1)
	f, ok := l.mon.Flow(2)
	require.True(t, ok)
	require.Zero(t, f.Stats.LostPackets)
	l.s.RunUntil(14 * sim.Second) // the events at 14 s, the check among them, have not run yet
	f, _ = l.mon.Flow(2)
	require.Zero(t, f.Stats.LostPackets)
	l.s.RunUntil(14*sim.Second + 1)
	f, _ = l.mon.Flow(2)
	require.Equal(t, uint64(8), f.Stats.LostPackets)
	require.InDelta(t, 8.0/15, f.Stats.LossRatio(), 1e-12)
	l.mon.CheckForLostPackets()
	f, _ = l.mon.Flow(2)
	require.Equal(t, uint64(8), f.Stats.LostPackets, "not counted twice")

	// An explicit check at 6 s counts packets unseen for 2 s.
	l = newLine(t)
	l.s.RunUntil(6 * sim.Second)
	l.mon.CheckForLostPacketsAfter(2 * sim.Second)
	f, _ = l.mon.Flow(2)
	require.Equal(t, uint64(8), f.Stats.LostPackets)
}
