package mac80211_test

import (
	"fmt"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
)

// An access point with a wired backhaul: a server reaches a station
// through a point-to-point link to the AP node and the AP's radio, all on
// one inet.Network (one MAC allocator, one address plan).
func ExampleInstall() {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	nodes, _ := net.NewNodes(3, inet.DefaultNodeConfig())
	server, apNode, staNode := nodes[0], nodes[1], nodes[2]
	backhaul, _ := net.ConnectPointToPoint(server, apNode, 100*inet.Mbps, sim.Millisecond)

	medium, _ := mac80211.NewMedium(s, mac80211.DefaultMediumConfig())
	lan, _ := net.NewAddressHelper(inet.IPv4AddrFrom4(192, 168, 1, 0), 0xffffff00, 1)
	cfg := mac80211.DefaultInstallConfig()
	cfg.Addresses = lan
	cfg.Role = mac80211.RoleAP
	ap, err := mac80211.Install(net, medium, []*inet.Node{apNode},
		[]mobility.Model{mobility.NewConstantPosition(mobility.Vector{})}, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg.Role = mac80211.RoleSTA
	sta, err := mac80211.Install(net, medium, []*inet.Node{staNode},
		[]mobility.Model{mobility.NewConstantPosition(mobility.Vector{X: 10})}, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	apAddr := apNode.InterfaceForDevice(ap[0]).Address()
	staAddr := staNode.InterfaceForDevice(sta[0]).Address()
	_ = server.AddNetworkRoute(inet.IPv4AddrFrom4(192, 168, 1, 0), 0xffffff00, backhaul.Interfaces[1].Address(), nil)
	_ = staNode.AddDefaultRoute(apAddr, nil)

	pc := inet.DefaultPingConfig()
	pc.Destination = staAddr
	pc.Count = 2
	ping, _ := inet.NewPing(server, pc)
	_ = ping.Start(sim.Second)
	s.RunUntil(3 * sim.Second)
	fmt.Println("AP", apAddr, ap[0].Address(), "STA", staAddr, sta[0].Address())
	fmt.Println("associated:", sta[0].Mac().IsAssociated())
	r := ping.Report()
	fmt.Printf("ping %v: %d/%d answered, rtt min %v\n", staAddr, r.Received, r.Transmitted, r.RTTMin)
	// Output:
	// AP 192.168.1.1 00:00:00:00:00:03 STA 192.168.1.2 00:00:00:00:00:04
	// associated: true
	// ping 192.168.1.2: 2/2 answered, rtt min 2.205826ms
}
