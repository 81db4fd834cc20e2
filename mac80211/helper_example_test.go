package mac80211_test

import (
	"fmt"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// Two ad-hoc 802.11a nodes 20 m apart with ns-3's defaults (16.0206 dBm,
// LogDistance, 54 Mb/s data). The datagram waits for ARP (the request is
// jittered by whole milliseconds), then crosses in one frame exchange.
func ExampleNewNetwork() {
	s := sim.New(1, 1)
	w, err := mac80211.NewNetwork(s, mac80211.DefaultNetworkConfig(),
		[]mobility.Vector{{X: 0}, {X: 20}})
	if err != nil {
		panic(err)
	}
	rx := w.Nodes[1].NewUDPSocket()
	_ = rx.Bind(9)
	rx.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
		fmt.Println(s.Now(), "got", p.PayloadSize(), "bytes from", info.From)
	})
	tx := w.Nodes[0].NewUDPSocket()
	_ = tx.Connect(w.Addr(1), 9)
	s.Schedule(sim.Second, func() { _ = tx.Send(1000) })
	s.RunUntil(2 * sim.Second)
	fmt.Println("frames sent by node 0:", w.Devices[0].Mac().Counters.TxFrames)
	// Output:
	// 1.003551201s got 1000 bytes from 10.1.1.1
	// frames sent by node 0: 3
}

// Twenty stations start sending to one receiver in the same instant with
// dynamic ARP: their broadcast requests collide and most never resolve the
// receiver. Nothing fails at the application; the network's drop counters
// say where the datagrams went.
func ExampleNetwork_ARPDrops() {
	s := sim.New(1, 1)
	pos := append([]mobility.Vector{{}}, mobility.Ring(mobility.Vector{}, 5, 20)...)
	w, err := mac80211.NewNetwork(s, mac80211.DefaultNetworkConfig(), pos)
	if err != nil {
		panic(err)
	}
	rx := w.Nodes[0].NewUDPSocket()
	_ = rx.Bind(9)
	got := 0
	rx.SetRecvCallback(func(*inet.UDPSocket, *packet.Packet, inet.RecvInfo) { got++ })
	for i := 1; i <= 20; i++ {
		tx := w.Nodes[i].NewUDPSocket()
		_ = tx.Connect(w.Addr(0), 9)
		for k := range 10 {
			s.Schedule(sim.Second+sim.Time(k)*100*sim.Millisecond, func() { _ = tx.Send(500) })
		}
	}
	s.RunUntil(10 * sim.Second)
	fmt.Println("delivered", got, "of 200; lost to ARP", w.ARPDrops())
	fmt.Println("queue full", w.Drops(inet.DropARPQueueFull), "request unanswered", w.Drops(inet.DropARPRetriesExhausted))
	// Output:
	// delivered 10 of 200; lost to ARP 190
	// queue full 133 request unanswered 57
}
