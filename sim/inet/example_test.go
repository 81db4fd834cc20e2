package inet_test

import (
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// Two nodes on a 100 Mb/s, 1 ms point-to-point link; a client sends a
// 100-byte datagram to a server. The 130-byte frame (100 + UDP 8 + IPv4 20
// + PPP 2) takes 10.4 µs to send and 1 ms to propagate.
func Example() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	a, _ := net.NewNode()
	b, _ := net.NewNode()
	link, err := net.ConnectPointToPoint(a, b, 100*inet.Mbps, sim.Millisecond)
	if err != nil {
		fmt.Println(err)
		return
	}

	server := b.NewUDPSocket()
	if err := server.Bind(9); err != nil {
		fmt.Println(err)
		return
	}
	server.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
		fmt.Printf("%v: %d bytes from %v:%d\n", s.Now(), p.Size(), info.From, info.FromPort)
	})

	client := a.NewUDPSocket()
	if err := client.Connect(link.Interfaces[1].Address(), 9); err != nil {
		fmt.Println(err)
		return
	}
	s.Schedule(0, func() {
		if err := client.Send(100); err != nil {
			fmt.Println(err)
		}
	})
	s.Run()
	fmt.Println("on the wire:", link.Devices[0].Stats().TxBytes, "bytes")
	// Output:
	// 1.0104ms: 100 bytes from 10.1.1.1:49153
	// on the wire: 130 bytes
}

// Static routes: a host reaches a remote subnet through a router.
func ExampleNode_AddRoute() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	host, _ := net.NewNode()
	router, _ := net.NewNode()
	far, _ := net.NewNode()
	up, _ := net.ConnectPointToPoint(host, router, 10*inet.Mbps, sim.Millisecond)
	down, _ := net.ConnectPointToPoint(router, far, 10*inet.Mbps, sim.Millisecond)

	// 10.1.2.0/24 via the router; everything else too (default route).
	dst, mask, _ := inet.ParseCIDR("10.1.2.0/24")
	_ = host.AddRoute(inet.Route{Dest: dst, Mask: mask, Gateway: up.Interfaces[1].Address()})
	_ = far.AddDefaultRoute(down.Interfaces[0].Address(), nil)

	r, _ := host.LookupRoute(down.Interfaces[1].Address())
	fmt.Println(r)
	_, ok := host.LookupRoute(inet.IPv4AddrFrom4(8, 8, 8, 8))
	fmt.Println("route to 8.8.8.8:", ok)
	// Output:
	// 10.1.2.0/24 via 10.1.1.2 if 0 metric 0
	// route to 8.8.8.8: false
}

// Trace hooks report drops with a reason: here a 3-packet burst meets a
// device queue of one packet.
func ExampleNode_OnDrop() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	a, _ := net.NewNode()
	b, _ := net.NewNode()
	cfg := inet.DefaultPointToPointDeviceConfig()
	cfg.DataRate = inet.Mbps
	cfg.QueueSize = 1
	link, _ := net.ConnectPointToPointWith(a, b, cfg, 0)
	a.OnDrop = func(p *packet.Packet, reason inet.DropReason, _ *inet.Interface) {
		fmt.Printf("drop uid=%d: %v\n", p.UID(), reason)
	}
	sock := a.NewUDPSocket()
	_ = sock.Connect(link.Interfaces[1].Address(), 9)
	s.Schedule(0, func() {
		for range 3 {
			_ = sock.Send(500)
		}
	})
	s.Run()
	// Output: drop uid=2: DeviceQueueFull
}

func ExampleParseCIDR() {
	addr, mask, err := inet.ParseCIDR("192.168.1.10/24")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(addr, mask, addr.Mask(mask), addr.SubnetBroadcast(mask))
	// Output: 192.168.1.10 255.255.255.0 192.168.1.0 192.168.1.255
}
