package flowmon_test

import (
	"testing"

	"github.com/netgym/netgym/apps"
	"github.com/netgym/netgym/flowmon"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
)

// BenchmarkMonitoredFlow measures one packet of a CBR flow over a
// point-to-point link with a flow monitor on both nodes (classification,
// tag, tracking, delay and jitter statistics, histograms): 0 allocs/op.
// Compare with apps.BenchmarkOnOffToSink, the same flow unmonitored.
func BenchmarkMonitoredFlow(b *testing.B) {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	nodes, _ := net.NewNodes(2, inet.DefaultNodeConfig())
	if _, err := net.ConnectPointToPoint(nodes[0], nodes[1], 100*inet.Mbps, sim.Millisecond); err != nil {
		b.Fatal(err)
	}
	mon, err := flowmon.New(s, flowmon.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	if err := mon.InstallAll(net); err != nil {
		b.Fatal(err)
	}
	sink, _ := apps.NewPacketSink(nodes[1], apps.PacketSinkConfig{Port: 9})
	_ = sink.Start(0)
	cfg := apps.CBRConfig(nodes[1].Address(), 9, 80*inet.Mbps, 1000) // one packet per 100 us
	cfg.StartJitter = 0
	src, _ := apps.NewOnOff(nodes[0], cfg)
	_ = src.Start(0)
	s.RunUntil(10 * sim.Millisecond)
	b.ReportAllocs()
	for b.Loop() {
		s.RunUntil(s.Now() + 100*sim.Microsecond)
	}
	f, _ := mon.Flow(1)
	if f.Stats.RxPackets < uint64(b.N) {
		b.Fatalf("%d packets received for %d", f.Stats.RxPackets, b.N)
	}
}
