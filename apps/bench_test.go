package apps_test

import (
	"testing"

	"github.com/netgym/netgym/apps"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
)

// BenchmarkOnOffToSink measures one packet of a CBR OnOff flow to a
// PacketSink over a point-to-point link, end to end (application, UDP,
// IPv4, device, link, sink): 0 allocs/op.
func BenchmarkOnOffToSink(b *testing.B) {
	p := newPair(b)
	sink, err := apps.NewPacketSink(p.b, apps.PacketSinkConfig{Port: 9})
	if err != nil {
		b.Fatal(err)
	}
	_ = sink.Start(0)
	cfg := apps.CBRConfig(p.b.Address(), 9, 80*inet.Mbps, 1000) // one packet per 100 us
	cfg.StartJitter = 0
	app, err := apps.NewOnOff(p.a, cfg)
	if err != nil {
		b.Fatal(err)
	}
	_ = app.Start(0)
	p.s.RunUntil(10 * sim.Millisecond)
	b.ReportAllocs()
	for b.Loop() {
		p.s.RunUntil(p.s.Now() + 100*sim.Microsecond)
	}
	if sink.Stats().RxPackets < uint64(b.N) {
		b.Fatalf("%d packets received for %d", sink.Stats().RxPackets, b.N)
	}
}
