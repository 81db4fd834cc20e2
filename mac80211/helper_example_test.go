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
