package flowmon_test

import (
	"fmt"
	"os"

	"github.com/netgym/netgym/apps"
	"github.com/netgym/netgym/flowmon"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
)

// A flow monitor on every node of a two-node network measures a 1 Mb/s
// constant-bit-rate flow: 124 packets of 1028 IP bytes from 1.008 s, each
// 1.0824 ms on its way (1030 bytes at 100 Mb/s, plus 1 ms).
func ExampleMonitor() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	nodes, _ := net.NewNodes(2, inet.DefaultNodeConfig())
	_, _ = net.ConnectPointToPoint(nodes[0], nodes[1], 100*inet.Mbps, sim.Millisecond)

	mon, err := flowmon.New(s, flowmon.DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := mon.InstallAll(net); err != nil {
		fmt.Println(err)
		return
	}

	sink, _ := apps.NewPacketSink(nodes[1], apps.PacketSinkConfig{Port: 9})
	_ = sink.Start(0)
	cfg := apps.CBRConfig(nodes[1].Address(), 9, inet.Mbps, 1000)
	cfg.StartJitter = 0
	src, _ := apps.NewOnOff(nodes[0], cfg)
	_ = src.Start(sim.Second)
	_ = src.Stop(2 * sim.Second)
	s.RunUntil(3 * sim.Second)

	_ = mon.WriteSummary(os.Stdout) // also WriteJSON, WriteCSV
	// Output:
	// Flow 1 (10.1.1.1:49153 > 10.1.1.2:9 UDP)
	//   Tx Packets: 124   Tx Bytes: 127472   Rx Packets: 124   Rx Bytes: 127472
	//   Lost Packets: 0 (0.0%)   Throughput: 1.0352 Mbps
	//   Delay: mean 1.0824 ms, min 1.0824 ms, max 1.0824 ms   Jitter: mean 0 ms
}
