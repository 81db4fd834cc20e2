package inet_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// pgwTable is a PGW-like node: an S5 interface 14.0.0.1/30, an SGi
// interface 1.0.0.1/8 and a tunnel-like interface 7.0.0.1/8, with host
// routes for two UEs, a route to a remote 7.5/16 block and a default
// route.
func pgwTable(t testing.TB) (*inet.Node, [3]*inet.Interface) {
	t.Helper()
	n, err := inet.NewNode(sim.New(1, 1), 0, inet.DefaultNodeConfig())
	require.NoError(t, err)
	var ifs [3]*inet.Interface
	for i, c := range []string{"14.0.0.1/30", "1.0.0.1/8", "7.0.0.1/8"} {
		a, m := cidr(t, c)
		ifs[i], err = n.AddInterface(&nullDevice{mtu: 1500}, a, m)
		require.NoError(t, err)
	}
	routes := []inet.Route{
		{Dest: ip(t, "7.0.0.2"), Mask: 0xffffffff, Gateway: ip(t, "14.0.0.2"), Interface: ifs[0], Metric: 5},
		{Dest: ip(t, "7.0.0.3"), Mask: 0xffffffff, Interface: ifs[2]},
		// A second host route to 7.0.0.2 with a lower metric: ns-3 stops at
		// the first /32 that matches, so it never wins.
		{Dest: ip(t, "7.0.0.2"), Mask: 0xffffffff, Gateway: ip(t, "1.0.0.9"), Interface: ifs[1], Metric: 0},
		{Dest: ip(t, "7.5.0.0"), Mask: 0xffff0000, Gateway: ip(t, "1.0.0.7"), Interface: ifs[1], Metric: 3},
		// Same prefix, higher metric: loses to the one above.
		{Dest: ip(t, "7.5.0.0"), Mask: 0xffff0000, Gateway: ip(t, "1.0.0.8"), Interface: ifs[1], Metric: 4},
		// Same prefix and metric as each other: the later one wins.
		{Dest: ip(t, "8.8.0.0"), Mask: 0xffff0000, Gateway: ip(t, "1.0.0.2"), Interface: ifs[1]},
		{Dest: ip(t, "8.8.0.0"), Mask: 0xffff0000, Gateway: ip(t, "1.0.0.3"), Interface: ifs[1]},
		{Gateway: ip(t, "1.0.0.254"), Interface: ifs[1]},
	}
	for _, r := range routes {
		require.NoError(t, n.AddRoute(r))
	}
	return n, ifs
}

func TestLongestPrefixTable(t *testing.T) {
	n, ifs := pgwTable(t)
	tests := []struct {
		dst     string
		prefix  int
		gateway string
		iface   int
	}{
		{"7.0.0.2", 32, "14.0.0.2", 0}, // first host route, despite its metric
		{"7.0.0.3", 32, "0.0.0.0", 2},  // host route straight out of an interface
		{"7.0.0.4", 8, "0.0.0.0", 2},   // connected 7/8
		{"7.5.3.3", 16, "1.0.0.7", 1},  // lower metric of two /16
		{"7.4.255.255", 8, "0.0.0.0", 2},
		{"8.8.8.8", 16, "1.0.0.3", 1}, // tie: the one added last
		{"14.0.0.2", 30, "0.0.0.0", 0},
		{"14.0.0.5", 0, "1.0.0.254", 1}, // outside the /30: default
		{"1.2.3.4", 8, "0.0.0.0", 1},
		{"200.1.1.1", 0, "1.0.0.254", 1},
	}
	for _, tt := range tests {
		r, ok := n.LookupRoute(ip(t, tt.dst))
		require.True(t, ok, tt.dst)
		assert.Equal(t, tt.prefix, r.Mask.PrefixLength(), tt.dst)
		assert.Equal(t, tt.gateway, r.Gateway.String(), tt.dst)
		assert.Same(t, ifs[tt.iface], r.Interface, tt.dst)
	}
	// Three connected routes and eight added.
	assert.Len(t, n.Routes(), 11)

	// Adding a route equal to one in the table does nothing (ns-3's
	// LookupRoute(route, metric) check); a different metric is a new route.
	require.NoError(t, n.AddRoute(inet.Route{Dest: ip(t, "7.5.9.9"), Mask: 0xffff0000, Gateway: ip(t, "1.0.0.7"), Interface: ifs[1], Metric: 3}))
	assert.Len(t, n.Routes(), 11)
	require.NoError(t, n.AddNetworkRoute(ip(t, "7.5.0.0"), 0xffff0000, ip(t, "1.0.0.6"), ifs[1]))
	assert.Len(t, n.Routes(), 12)
	r, _ := n.LookupRoute(ip(t, "7.5.3.3"))
	assert.Equal(t, "1.0.0.6", r.Gateway.String(), "metric 0 beats metric 3")

	// Removing the first host route to 7.0.0.2 uncovers the second.
	assert.True(t, n.RemoveRoute(inet.Route{Dest: ip(t, "7.0.0.2"), Mask: 0xffffffff, Gateway: ip(t, "14.0.0.2"), Interface: ifs[0], Metric: 5}))
	assert.False(t, n.RemoveRoute(inet.Route{Dest: ip(t, "7.0.0.2"), Mask: 0xffffffff, Gateway: ip(t, "14.0.0.2"), Interface: ifs[0], Metric: 5}))
	r, _ = n.LookupRoute(ip(t, "7.0.0.2"))
	assert.Equal(t, "1.0.0.9", r.Gateway.String())
	// Without the default route, 200.1.1.1 has none.
	assert.True(t, n.RemoveRoute(inet.Route{Gateway: ip(t, "1.0.0.254"), Interface: ifs[1]}))
	_, ok := n.LookupRoute(ip(t, "200.1.1.1"))
	assert.False(t, ok)
	r, _ = n.LookupRoute(ip(t, "8.8.8.8"))
	assert.Equal(t, "1.0.0.3", r.Gateway.String(), "the index survives removals")
}

// A PGW with a host route per UE: each UE's route is found, other
// destinations fall through to the network routes.
func TestManyHostRoutes(t *testing.T) {
	n, ifs := pgwTable(t)
	for i := range 2000 {
		ue := inet.IPv4AddrFrom4(7, 1, byte(i>>8), byte(i))
		require.NoError(t, n.AddHostRoute(ue, ip(t, "14.0.0.2"), ifs[0]))
	}
	for _, i := range []int{0, 1, 999, 1999} {
		r, ok := n.LookupRoute(inet.IPv4AddrFrom4(7, 1, byte(i>>8), byte(i)))
		require.True(t, ok)
		assert.Equal(t, 32, r.Mask.PrefixLength())
		assert.Same(t, ifs[0], r.Interface)
	}
	r, ok := n.LookupRoute(ip(t, "7.1.200.200"))
	require.True(t, ok)
	assert.Equal(t, 8, r.Mask.PrefixLength())
	host, far := ip(t, "7.1.3.7"), ip(t, "200.1.1.1")
	allocs := testing.AllocsPerRun(100, func() {
		n.LookupRoute(host)
		n.LookupRoute(far)
	})
	assert.Zero(t, allocs)
}

func TestInterfaceAddresses(t *testing.T) {
	n, err := inet.NewNode(sim.New(1, 1), 0, inet.DefaultNodeConfig())
	require.NoError(t, err)
	a, m := cidr(t, "10.0.0.1/24")
	ifc, err := n.AddInterface(&nullDevice{mtu: 1500}, a, m)
	require.NoError(t, err)
	require.NoError(t, ifc.AddAddress(inet.InterfaceAddress{Local: ip(t, "7.0.0.1"), Mask: 0xff000000}))
	require.NoError(t, ifc.AddAddress(inet.InterfaceAddress{Local: ip(t, "10.0.0.5"), Mask: 0xffffff00}))
	require.NoError(t, ifc.AddAddress(inet.InterfaceAddress{Local: ip(t, "192.168.9.9"), Mask: 0xffffffff}))

	assert.Equal(t, "10.0.0.1", ifc.Address().String(), "the first address is primary")
	assert.Equal(t, 4, ifc.NumAddresses())
	assert.Equal(t, "node 0 if 0 10.0.0.1/24", ifc.String())
	got := make([]string, 0, 4)
	for _, x := range ifc.Addresses() {
		got = append(got, x.String())
	}
	assert.Equal(t, []string{"10.0.0.1/24", "7.0.0.1/8", "10.0.0.5/24", "192.168.9.9/32"}, got)
	// Connected routes: 10.0.0.0/24 once (the second address's is the
	// same route), 7/8, none for the /32 (ns-3's NotifyInterfaceUp).
	var routes []string
	for _, r := range n.Routes() {
		routes = append(routes, r.String())
	}
	assert.Equal(t, []string{"10.0.0.0/24 direct if 0 metric 0", "7.0.0.0/8 direct if 0 metric 0"}, routes)
	for _, x := range []string{"10.0.0.1", "7.0.0.1", "10.0.0.5", "192.168.9.9"} {
		assert.True(t, n.IsLocalAddress(ip(t, x)), x)
		assert.Same(t, ifc, n.InterfaceFor(ip(t, x)), x)
	}
	assert.False(t, n.IsLocalAddress(ip(t, "10.0.0.2")))
	assert.Nil(t, n.InterfaceFor(ip(t, "10.0.0.2")))
	assert.Same(t, ifc, n.InterfaceForDevice(ifc.Device()))

	bad := []struct {
		name string
		a    inet.InterfaceAddress
	}{
		{"duplicate on the node", inet.InterfaceAddress{Local: ip(t, "7.0.0.1"), Mask: 0xffffff00}},
		{"any", inet.InterfaceAddress{Mask: 0xff000000}},
		{"broadcast", inet.InterfaceAddress{Local: inet.IPv4Broadcast, Mask: 0xff000000}},
		{"multicast", inet.InterfaceAddress{Local: ip(t, "239.1.1.1"), Mask: 0xff000000}},
		{"network address", inet.InterfaceAddress{Local: ip(t, "11.0.0.0"), Mask: 0xff000000}},
		{"subnet broadcast", inet.InterfaceAddress{Local: ip(t, "11.255.255.255"), Mask: 0xff000000}},
		{"bad mask", inet.InterfaceAddress{Local: ip(t, "11.0.0.1"), Mask: 0xff00ff00}},
	}
	for _, tt := range bad {
		assert.Error(t, ifc.AddAddress(tt.a), tt.name)
	}
	assert.Equal(t, 4, ifc.NumAddresses())
}

// ns-3's SourceAddressSelection picks, on the route's interface, the first
// primary address on the route's destination network, else the first
// address; a local destination is its own source.
func TestSourceAddressSelection(t *testing.T) {
	n, err := inet.NewNode(sim.New(1, 1), 0, inet.DefaultNodeConfig())
	require.NoError(t, err)
	a, m := cidr(t, "10.0.0.1/24")
	ifc, err := n.AddInterface(&nullDevice{mtu: 1500}, a, m)
	require.NoError(t, err)
	require.NoError(t, ifc.AddAddress(inet.InterfaceAddress{Local: ip(t, "7.0.0.1"), Mask: 0xff000000}))
	require.NoError(t, ifc.AddAddress(inet.InterfaceAddress{Local: ip(t, "172.16.0.1"), Mask: 0xffff0000, Secondary: true}))
	require.NoError(t, n.AddDefaultRoute(ip(t, "10.0.0.254"), nil))
	b, mb := cidr(t, "20.0.0.1/24")
	other, err := n.AddInterface(&nullDevice{mtu: 1500}, b, mb)
	require.NoError(t, err)

	tests := []struct {
		dst, src string
		iface    *inet.Interface
	}{
		{"10.0.0.9", "10.0.0.1", ifc},
		{"7.3.2.1", "7.0.0.1", ifc},
		// 172.16/16 is secondary: skipped, so the primary address.
		{"172.16.5.5", "10.0.0.1", ifc},
		// Default route: destination network 0.0.0.0 matches no address.
		{"8.8.8.8", "10.0.0.1", ifc},
		{"20.0.0.7", "20.0.0.1", other},
		// Own addresses: looped back, from themselves.
		{"7.0.0.1", "7.0.0.1", ifc},
		{"20.0.0.1", "20.0.0.1", other},
	}
	for _, tt := range tests {
		src, out, ok := n.SourceAddress(ip(t, tt.dst))
		require.True(t, ok, tt.dst)
		assert.Equal(t, tt.src, src.String(), tt.dst)
		assert.Same(t, tt.iface, out, tt.dst)
	}
	// The source shows on the wire.
	sock := n.NewUDPSocket()
	var srcs []string
	n.OnTx = func(p *packet.Packet, _ *inet.Interface) {
		srcs = append(srcs, p.Peek().(*inet.IPv4Header).Src.String())
	}
	for _, dst := range []string{"10.0.0.9", "7.3.2.1", "8.8.8.8"} {
		require.NoError(t, sock.SendTo(10, ip(t, dst), 9))
	}
	assert.Equal(t, []string{"10.0.0.1", "7.0.0.1", "10.0.0.1"}, srcs)

	only, err := inet.NewNode(sim.New(1, 1), 1, inet.DefaultNodeConfig())
	require.NoError(t, err)
	_, _, ok := only.SourceAddress(ip(t, "1.1.1.1"))
	assert.False(t, ok, "no interface, no route")
}

// A second address on a broadcast link is reachable: ARP answers for it
// (the reply's sender address is the one asked for), and datagrams to it
// are delivered with To telling which address they were sent to.
func TestSecondaryAddressOverARP(t *testing.T) {
	bn := newBusNet(t, 2, noJitterARP())
	b := bn.ifs[1]
	require.NoError(t, b.AddAddress(inet.InterfaceAddress{Local: ip(t, "10.0.0.77"), Mask: 0xffffff00}))
	_, got := sink(t, bn.nodes[1], 9)
	sock := bn.nodes[0].NewUDPSocket()
	at(t, bn.s, 0, func() {
		require.NoError(t, sock.SendTo(30, ip(t, "10.0.0.77"), 9))
		require.NoError(t, sock.SendTo(31, ip(t, "10.0.0.2"), 9))
	})
	bn.s.Run()
	arps := bn.bus.arpFrames()
	require.Len(t, arps, 4)
	var who []string
	for _, f := range arps {
		who = append(who, fmt.Sprintf("%d %v>%v", f.ARP.Op, f.ARP.SrcIP, f.ARP.DstIP))
	}
	assert.Equal(t, []string{"1 10.0.0.1>10.0.0.77", "1 10.0.0.1>10.0.0.2", "2 10.0.0.77>10.0.0.1", "2 10.0.0.2>10.0.0.1"}, who)
	require.Len(t, *got, 2)
	assert.Equal(t, "10.0.0.77", (*got)[0].To.String())
	assert.Equal(t, 30, (*got)[0].Size)
	assert.Equal(t, "10.0.0.2", (*got)[1].To.String())
	assert.Equal(t, 0, (*got)[1].Iface)
}

// The weak end-system model of ns-3: a packet for an address of another
// interface is delivered, not forwarded.
func TestDeliveryToAddressOfAnotherInterface(t *testing.T) {
	l := newLine(t, 64, 1500)
	ra := l.ar.Interfaces[1]
	require.NoError(t, l.rb.Interfaces[0].AddAddress(inet.InterfaceAddress{Local: ip(t, "192.168.1.1"), Mask: 0xffffff00}))
	_, got := sink(t, l.r, 9)
	sock := l.a.NewUDPSocket()
	require.NoError(t, l.a.AddHostRoute(ip(t, "192.168.1.1"), ra.Address(), nil))
	require.NoError(t, sock.SendTo(10, ip(t, "192.168.1.1"), 9))
	l.s.Run()
	require.Len(t, *got, 1)
	assert.Equal(t, "192.168.1.1", (*got)[0].To.String())
	assert.Equal(t, ra.Index(), (*got)[0].Iface, "arrived on the A side")
	assert.Zero(t, l.r.Stats().Forwarded)
}

// BenchmarkLookupRoute looks up destinations in pgwTable's eleven routes
// (two of them host routes) and in the same table with 2000 more host
// routes: a host route costs one map lookup, other destinations a scan of
// the shorter prefixes.
func BenchmarkLookupRoute(b *testing.B) {
	for _, hosts := range []int{0, 2000} {
		n, ifs := pgwTable(b)
		for i := range hosts {
			_ = n.AddHostRoute(inet.IPv4AddrFrom4(7, 1, byte(i>>8), byte(i)), inet.IPv4AddrFrom4(14, 0, 0, 2), ifs[0])
		}
		dsts := []inet.IPv4Addr{inet.IPv4AddrFrom4(7, 1, 3, 7), inet.IPv4AddrFrom4(8, 8, 8, 8), inet.IPv4AddrFrom4(1, 2, 3, 4)}
		b.Run(fmt.Sprintf("hosts=%d", hosts), func(b *testing.B) {
			b.ReportAllocs()
			for i := range b.N {
				if _, ok := n.LookupRoute(dsts[i%len(dsts)]); !ok {
					b.Fatal("no route")
				}
			}
		})
	}
}
