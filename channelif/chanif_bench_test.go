package channelif

import (
	"testing"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/spaces"
)

// One message per iteration, sent and delivered.
func BenchmarkSimpleChannelInterface(b *testing.B) {
	s := sim.New(1, 1)
	tx, _ := NewSimpleChannelInterface(s, sim.Millisecond)
	rx, _ := NewSimpleChannelInterface(s, 0)
	if err := tx.Connect(rx); err != nil {
		b.Fatal(err)
	}
	rx.AddRecvCallback(func(spaces.Value) {})
	var msg spaces.Value = spaces.NewDictValue().Set("obs", spaces.UintBox(1, 2, 3, 4, 5))
	b.ReportAllocs()
	for b.Loop() {
		if err := tx.Send(msg); err != nil {
			b.Fatal(err)
		}
		s.RunUntil(s.Now() + 2*sim.Millisecond)
	}
}

// One message per iteration over UDP, IPv4 and a point-to-point link.
func BenchmarkSocketChannelInterface(b *testing.B) {
	n := newP2P(b, p2pConfig(100*inet.Mbps), sim.Millisecond)
	tx := socketIf(b, n.a, SocketConfig{})
	rx := socketIf(b, n.b, SocketConfig{})
	if err := tx.Connect(rx); err != nil {
		b.Fatal(err)
	}
	rx.AddRecvCallback(func(spaces.Value) {})
	var msg spaces.Value = spaces.NewDictValue().Set("obs", spaces.UintBox(1, 2, 3, 4, 5))
	b.ReportAllocs()
	for b.Loop() {
		if err := tx.Send(msg); err != nil {
			b.Fatal(err)
		}
		n.s.RunUntil(n.s.Now() + 2*sim.Millisecond)
	}
}
