package apps_test

import (
	"fmt"

	"github.com/netgym/netgym/apps"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// An OnOff source sends to a PacketSink over a point-to-point link, with
// ns-3's default on and off times (1 s each) and an ns-3 data-rate string.
func ExampleOnOff() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	nodes, _ := net.NewNodes(2, inet.DefaultNodeConfig())
	if _, err := net.ConnectPointToPoint(nodes[0], nodes[1], 10*inet.Mbps, 2*sim.Millisecond); err != nil {
		fmt.Println(err)
		return
	}
	sink, _ := apps.NewPacketSink(nodes[1], apps.PacketSinkConfig{Port: 9})
	_ = sink.Start(0)

	cfg := apps.DefaultOnOffConfig(nodes[1].Address(), 9)
	if err := cfg.SetDataRate("1Mbps"); err != nil {
		fmt.Println(err)
		return
	}
	cfg.PacketSize = 1000
	cfg.StartJitter = 0 // start exactly at 1 s, as ns-3
	src, err := apps.NewOnOff(nodes[0], cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = src.Start(sim.Second)
	_ = src.Stop(5 * sim.Second)
	s.RunUntil(6 * sim.Second)

	// Off 1-2 s, on 2-3 s, off 3-4 s, on 4-5 s: a packet every 8 ms in
	// the "on" periods, the second one's first packet brought forward by
	// the bits left over from the first.
	st := sink.Stats()
	fmt.Println(src.Stats().TxPackets, "sent,", st.RxPackets, "received,", sink.TotalRx(), "bytes")
	fmt.Println("first at", st.FirstRx, "last at", st.LastRx)
	// Output:
	// 249 sent, 249 received, 249000 bytes
	// first at 2.010824s last at 4.994825s
}

// A constant-bit-rate flow, and a bad rate string caught at configuration
// time.
func ExampleCBRConfig() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	nodes, _ := net.NewNodes(2, inet.DefaultNodeConfig())
	_, _ = net.ConnectPointToPoint(nodes[0], nodes[1], 100*inet.Mbps, sim.Millisecond)
	sink, _ := apps.NewPacketSink(nodes[1], apps.PacketSinkConfig{Port: 5000})
	_ = sink.Start(0)

	rate, err := inet.ParseDataRate("2.5 Mbps")
	fmt.Println(err)
	rate, _ = inet.ParseDataRate("2.5Mbps")
	cbr, _ := apps.NewOnOff(nodes[0], apps.CBRConfig(nodes[1].Address(), 5000, rate, 1250))
	_ = cbr.Start(0) // plus a draw in [0, 100 ms): DefaultStartJitter
	_ = cbr.Stop(10 * sim.Second)
	s.RunUntil(11 * sim.Second)
	fmt.Printf("%.2f Mb/s\n", sink.Stats().Throughput()/1e6)
	// Output:
	// inet: data rate "2.5 Mbps": unknown unit " Mbps" (accepted: bps, b/s, Bps, B/s, kbps, kb/s, Kbps, Kb/s, kBps, kB/s, KBps, KB/s, Kib/s, KiB/s, Mbps, Mb/s, MBps, MB/s, Mib/s, MiB/s, Gbps, Gb/s, GBps, GB/s, Gib/s, GiB/s)
	// 2.50 Mb/s
}

// ns-3's first.cc: an echo client sends one 1024-byte datagram to an
// echo server 2 ms away over a 5 Mb/s link.
func ExampleUDPEchoClient() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	nodes, _ := net.NewNodes(2, inet.DefaultNodeConfig())
	_, _ = net.ConnectPointToPoint(nodes[0], nodes[1], 5*inet.Mbps, 2*sim.Millisecond)

	server, _ := apps.NewUDPEchoServer(nodes[1], apps.DefaultUDPEchoServerConfig())
	_ = server.Start(sim.Second)
	_ = server.Stop(10 * sim.Second)

	cfg := apps.DefaultUDPEchoClientConfig(nodes[1].Address(), 9)
	cfg.MaxPackets, cfg.PacketSize, cfg.StartJitter = 1, 1024, 0
	client, _ := apps.NewUDPEchoClient(nodes[0], cfg)
	client.OnRx = func(_ *packet.Packet, info inet.RecvInfo) {
		fmt.Printf("%v: client received echo from %v\n", s.Now(), info.From)
	}
	_ = client.Start(2 * sim.Second)
	_ = client.Stop(10 * sim.Second)
	s.Run()
	// Output:
	// 2.0073728s: client received echo from 10.1.1.2
}
