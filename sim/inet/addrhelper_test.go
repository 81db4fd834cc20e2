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

// The address plan of ns-3's EPC helpers, handed out by one helper per
// purpose on one network: UE pool 7.0.0.0/8 (the PGW's tunnel device gets
// 7.0.0.1, the first UE 7.0.0.2), S1-U in 10.0.0.0/30 blocks, a remote host
// on 1.0.0.0/8.
func TestAddressHelperEPCPlan(t *testing.T) {
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	nodes, err := w.NewNodes(4, inet.DefaultNodeConfig())
	require.NoError(t, err)
	pgw, enb1, enb2, ue := nodes[0], nodes[1], nodes[2], nodes[3]
	assert.Equal(t, []int{0, 1, 2, 3}, []int{pgw.ID(), enb1.ID(), enb2.ID(), ue.ID()})

	ues, err := w.NewAddressHelper(ip(t, "7.0.0.0"), 0xff000000, ip(t, "0.0.0.1"))
	require.NoError(t, err)
	tun, err := inet.NewTunDevice(s, w.MACs().Allocate(), inet.TunDeviceConfig{MTU: 30000}, nil)
	require.NoError(t, err)
	tunIf, err := ues.Assign(pgw, tun)
	require.NoError(t, err)
	assert.Equal(t, "7.0.0.1/8", tunIf.Addresses()[0].String())
	ueIf, err := ues.Assign(ue, &nullDevice{mtu: 1500})
	require.NoError(t, err)
	assert.Equal(t, "7.0.0.2", ueIf.Address().String())

	s1u, err := w.NewAddressHelper(ip(t, "10.0.0.0"), 0xfffffffc, ip(t, "0.0.0.1"))
	require.NoError(t, err)
	var got []string
	for _, enb := range []*inet.Node{enb1, enb2} {
		ifs, err := s1u.AssignAll([]*inet.Node{enb, pgw},
			[]inet.NetDevice{&nullDevice{mtu: 2000}, &nullDevice{mtu: 2000}})
		require.NoError(t, err)
		for _, ifc := range ifs {
			got = append(got, ifc.String())
		}
		_, err = s1u.NewAddress()
		assert.Error(t, err, "a /30 has two hosts")
		_, err = s1u.NewNetwork()
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"node 1 if 0 10.0.0.1/30", "node 0 if 1 10.0.0.2/30",
		"node 2 if 0 10.0.0.5/30", "node 0 if 2 10.0.0.6/30"}, got)
	assert.Equal(t, "10.0.0.8", s1u.Network().String())
	assert.Equal(t, 30, s1u.Mask().PrefixLength())

	// A second helper over the UE pool collides with the first: the taken
	// address is an error and skipped.
	other, err := w.NewAddressHelper(ip(t, "7.0.0.0"), 0xffff0000, ip(t, "0.0.0.2"))
	require.NoError(t, err)
	_, err = other.NewAddress()
	assert.ErrorContains(t, err, "7.0.0.2 is already assigned")
	a, err := other.NewAddress()
	require.NoError(t, err)
	assert.Equal(t, "7.0.0.3", a.String())
	_, err = ues.Assign(ue, &nullDevice{mtu: 1500})
	assert.ErrorContains(t, err, "7.0.0.3 is already assigned", "handed out by the other helper; skipped")
	ifc, err := ues.Assign(ue, &nullDevice{mtu: 1500})
	require.NoError(t, err)
	assert.Equal(t, "7.0.0.4", ifc.Address().String())
	assert.True(t, w.IsAssigned(ip(t, "7.0.0.1")))
	assert.False(t, w.IsAssigned(ip(t, "7.0.0.9")))

	// AssignAddress: a chosen address, recorded; a second address on an
	// interface that exists.
	rh, err := w.AssignAddress(pgw, &nullDevice{mtu: 1500}, ip(t, "1.0.0.1"), 0xff000000)
	require.NoError(t, err)
	_, err = w.AssignAddress(ue, &nullDevice{mtu: 1500}, ip(t, "1.0.0.1"), 0xff000000)
	assert.ErrorContains(t, err, "already assigned")
	same, err := w.AssignAddress(pgw, rh.Device(), ip(t, "1.0.0.5"), 0xff000000)
	require.NoError(t, err)
	assert.Same(t, rh, same)
	assert.Equal(t, 2, rh.NumAddresses())
}

// A device the node refuses (MTU below 28) consumes no address.
func TestAddressHelperAssignRollback(t *testing.T) {
	w := inet.NewNetwork(sim.New(1, 1))
	n, err := w.NewNode()
	require.NoError(t, err)
	h, err := w.NewAddressHelper(ip(t, "192.168.0.0"), 0xffffff00, ip(t, "0.0.0.10"))
	require.NoError(t, err)
	_, err = h.Assign(n, &nullDevice{mtu: 20})
	assert.Error(t, err)
	_, err = h.Assign(n, nil)
	assert.Error(t, err)
	_, err = h.Assign(nil, &nullDevice{mtu: 1500})
	assert.Error(t, err)
	ifc, err := h.Assign(n, &nullDevice{mtu: 1500})
	require.NoError(t, err)
	assert.Equal(t, "192.168.0.10", ifc.Address().String(), "the base, not consumed by the failures")
	_, err = h.AssignAll([]*inet.Node{n}, nil)
	assert.Error(t, err)
	assert.False(t, w.IsAssigned(ip(t, "192.168.0.11")))
}

func TestAddressHelperBadInput(t *testing.T) {
	tests := []struct {
		network, mask, base string
	}{
		{"10.0.0.1", "24", "0.0.0.1"},   // host bits in the network
		{"10.0.0.0", "24", "0.0.1.1"},   // network bits in the base
		{"10.0.0.0", "24", "0.0.0.0"},   // base is the network address
		{"10.0.0.0", "24", "0.0.0.255"}, // base is the broadcast address
		{"10.0.0.0", "31", "0.0.0.1"},   // no room for hosts
		{"10.0.0.0", "32", "0.0.0.0"},
		{"0.0.0.0", "0", "0.0.0.1"},
	}
	for _, tt := range tests {
		m, err := inet.ParseIPv4Mask(tt.mask)
		require.NoError(t, err)
		_, err = inet.NewAddressHelper(ip(t, tt.network), m, ip(t, tt.base))
		assert.Error(t, err, "%s/%s base %s", tt.network, tt.mask, tt.base)
	}
	_, err := inet.NewAddressHelper(ip(t, "10.0.0.0"), 0xff00ff00, 1)
	assert.Error(t, err, "non-contiguous mask")

	var zero inet.AddressHelper
	_, err = zero.NewAddress()
	assert.Error(t, err, "no base")
	_, err = zero.NewNetwork()
	assert.Error(t, err)

	// The last network has no successor; its last host is .254.
	h, err := inet.NewAddressHelper(ip(t, "255.255.255.0"), 0xffffff00, ip(t, "0.0.0.254"))
	require.NoError(t, err)
	a, err := h.NewAddress()
	require.NoError(t, err)
	assert.Equal(t, "255.255.255.254", a.String())
	_, err = h.NewAddress()
	assert.Error(t, err)
	_, err = h.NewNetwork()
	assert.Error(t, err)

	// A helper of its own has no plan: it never reports duplicates.
	h1, err := inet.NewAddressHelper(ip(t, "10.0.0.0"), 0xffffff00, 1)
	require.NoError(t, err)
	h2, err := inet.NewAddressHelper(ip(t, "10.0.0.0"), 0xffffff00, 1)
	require.NoError(t, err)
	a1, _ := h1.NewAddress()
	a2, err := h2.NewAddress()
	require.NoError(t, err)
	assert.Equal(t, a1, a2)
	n, err := h1.NewNetwork()
	require.NoError(t, err)
	assert.Equal(t, "10.0.1.0", n.String())

	_, err = inet.NewNetwork(sim.New(1, 1)).NewNodes(-1, inet.DefaultNodeConfig())
	assert.Error(t, err)
	bad := inet.DefaultNodeConfig()
	bad.DefaultTTL = 0
	_, err = inet.NewNetwork(sim.New(1, 1)).NewNodes(2, bad)
	assert.Error(t, err)
}

// Point-to-point links take their addresses from the same plan: a link
// whose subnet was already handed out by a helper is refused before any
// device is made.
func TestPointToPointUsesThePlan(t *testing.T) {
	w := inet.NewNetwork(sim.New(1, 1))
	nodes, err := w.NewNodes(3, inet.DefaultNodeConfig())
	require.NoError(t, err)
	h, err := w.NewAddressHelper(ip(t, "10.1.1.0"), 0xffffff00, ip(t, "0.0.0.2"))
	require.NoError(t, err)
	_, err = h.Assign(nodes[2], &nullDevice{mtu: 1500})
	require.NoError(t, err)
	_, err = w.ConnectPointToPoint(nodes[0], nodes[1], inet.Mbps, 0)
	assert.ErrorContains(t, err, "10.1.1.2 is already assigned")
	assert.Empty(t, nodes[0].Interfaces())
	link, err := w.ConnectPointToPoint(nodes[0], nodes[1], inet.Mbps, 0)
	require.NoError(t, err)
	assert.Equal(t, "10.1.2.1", link.Interfaces[0].Address().String())
	assert.True(t, w.IsAssigned(ip(t, "10.1.2.2")))
}

// One simulation, one network: a host on a point-to-point link and two
// hosts on a shared (bus) link numbered by a helper, routed through one
// router; every packet comes from the one pool and every MAC address from
// the one allocator.
func ExampleNetwork_NewAddressHelper() {
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	nodes, _ := w.NewNodes(4, inet.DefaultNodeConfig())
	host, router, x, y := nodes[0], nodes[1], nodes[2], nodes[3]
	link, _ := w.ConnectPointToPoint(host, router, 10*inet.Mbps, sim.Millisecond) // 10.1.1.0/24

	lan, _ := w.NewAddressHelper(inet.IPv4AddrFrom4(192, 168, 0, 0), 0xffffff00, 1)
	for _, n := range []*inet.Node{router, x, y} {
		dev := &loopDevice{mac: w.MACs().Allocate()}
		ifc, err := lan.Assign(n, dev)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(ifc, dev.mac)
	}
	_ = host.AddDefaultRoute(link.Interfaces[1].Address(), nil)
	r, _ := host.LookupRoute(inet.IPv4AddrFrom4(192, 168, 0, 3))
	fmt.Println("host:", r)
	// Output:
	// node 1 if 1 192.168.0.1/24 00:00:00:00:00:03
	// node 2 if 0 192.168.0.2/24 00:00:00:00:00:04
	// node 3 if 0 192.168.0.3/24 00:00:00:00:00:05
	// host: 0.0.0.0/0 via 10.1.1.2 if 0 metric 0
}

// loopDevice is a device that drops what it is given (for the example).
type loopDevice struct{ mac packet.Mac48 }

func (d *loopDevice) Address() packet.Mac48                   { return d.mac }
func (d *loopDevice) Broadcast() packet.Mac48                 { return packet.BroadcastMac48 }
func (d *loopDevice) MTU() int                                { return 1500 }
func (d *loopDevice) NeedsARP() bool                          { return false }
func (d *loopDevice) SetReceiveCallback(inet.ReceiveCallback) {}
func (d *loopDevice) Send(p *packet.Packet, _ packet.Mac48, _ uint16) error {
	p.Release()
	return nil
}

// Links numbered from a helper, as ns-3's EPC helpers number S1-U links in
// /30 blocks; the errors come before any device is made.
func TestConnectPointToPointFrom(t *testing.T) {
	w := inet.NewNetwork(sim.New(1, 1))
	nodes, err := w.NewNodes(3, inet.DefaultNodeConfig())
	require.NoError(t, err)
	sgw, enb1, enb2 := nodes[0], nodes[1], nodes[2]
	s1u, err := w.NewAddressHelper(ip(t, "10.0.0.0"), 0xfffffffc, 1)
	require.NoError(t, err)
	cfg := inet.DefaultPointToPointDeviceConfig()
	cfg.DataRate = 10 * inet.Gbps
	cfg.MTU = 2000
	var got []string
	for _, enb := range []*inet.Node{enb1, enb2} {
		link, err := w.ConnectPointToPointFrom(enb, sgw, cfg, 0, s1u)
		require.NoError(t, err)
		got = append(got, link.Interfaces[0].String(), link.Interfaces[1].String())
		assert.Equal(t, 2000, link.Interfaces[0].MTU())
		_, err = w.ConnectPointToPointFrom(enb, sgw, cfg, 0, s1u)
		assert.ErrorContains(t, err, "fewer than two addresses left")
		_, err = s1u.NewNetwork()
		require.NoError(t, err)
	}
	assert.Equal(t, []string{"node 1 if 0 10.0.0.1/30", "node 0 if 0 10.0.0.2/30",
		"node 2 if 0 10.0.0.5/30", "node 0 if 1 10.0.0.6/30"}, got)

	standalone, err := inet.NewAddressHelper(ip(t, "10.0.1.0"), 0xfffffffc, 1)
	require.NoError(t, err)
	foreign, err := inet.NewNetwork(sim.New(1, 1)).NewAddressHelper(ip(t, "10.0.1.0"), 0xfffffffc, 1)
	require.NoError(t, err)
	overlap, err := w.NewAddressHelper(ip(t, "10.0.0.0"), 0xffffff00, ip(t, "0.0.0.9"))
	require.NoError(t, err)
	_, err = overlap.NewAddress() // 10.0.0.9, which s1u hands out next
	require.NoError(t, err)
	for name, h := range map[string]*inet.AddressHelper{"nil": nil, "standalone": standalone, "foreign": foreign, "taken": s1u} {
		_, err := w.ConnectPointToPointFrom(enb1, sgw, cfg, 0, h)
		assert.Error(t, err, name)
	}
	assert.Len(t, sgw.Interfaces(), 2, "no device made by the failures")
}

func TestAddressHelperCheckNext(t *testing.T) {
	w := inet.NewNetwork(sim.New(1, 1))
	h, err := w.NewAddressHelper(inet.IPv4AddrFrom4(10, 3, 0, 0), 0xfffffff8, 1) // hosts .1 to .6
	require.NoError(t, err)
	require.NoError(t, h.CheckNext(6))
	require.ErrorContains(t, h.CheckNext(7), "7 addresses needed but only 6 left in 10.3.0.0/29")
	// An address the plan holds already is found without consuming anything.
	other, err := w.NewAddressHelper(inet.IPv4AddrFrom4(10, 3, 0, 0), 0xfffffff8, 3)
	require.NoError(t, err)
	_, err = other.NewAddress() // 10.3.0.3 now belongs to the plan
	require.NoError(t, err)
	require.ErrorContains(t, h.CheckNext(3), "10.3.0.3 is already assigned")
	require.NoError(t, h.CheckNext(2))
	a, err := h.NewAddress()
	require.NoError(t, err)
	require.Equal(t, "10.3.0.1", a.String(), "CheckNext consumed nothing")
	var none inet.AddressHelper
	require.ErrorContains(t, none.CheckNext(1), "no base")
}
