package inet_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
)

// Every device of the network writes a pcap trace named as ns-3 names
// them (PREFIX-NODE-INTERFACE.pcap): here the two ends of a
// point-to-point link write PPP frames, the datagram as node 0 sent it and
// as node 1 received it (100 + 8 + 20 + 2 bytes).
func ExampleNetwork_EnablePcapAll() {
	dir, _ := os.MkdirTemp("", "pcap")
	defer os.RemoveAll(dir)
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	nodes, _ := net.NewNodes(2, inet.DefaultNodeConfig())
	_, _ = net.ConnectPointToPoint(nodes[0], nodes[1], 10*inet.Mbps, sim.Millisecond)
	traces, err := net.EnablePcapAll(filepath.Join(dir, "p2p"))
	if err != nil {
		fmt.Println(err)
		return
	}
	sink := nodes[1].NewUDPSocket()
	_ = sink.Bind(9)
	sock := nodes[0].NewUDPSocket()
	_ = sock.SendTo(100, nodes[1].Address(), 9)
	s.Run()
	if err := traces.Close(); err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range traces {
		fmt.Println(filepath.Base(w.Name()), w.LinkType(), w.Frames(), "frame,", w.Bytes(), "bytes")
	}
	// Output:
	// p2p-0-0.pcap PPP 1 frame, 130 bytes
	// p2p-1-0.pcap PPP 1 frame, 130 bytes
}
