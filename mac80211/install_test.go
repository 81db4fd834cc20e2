package mac80211_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/mac80211"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// mixed is one simulation with a wired server S behind an access point
// node A (point-to-point backhaul, 10.1.1.0/24) and two stations B and C
// (Wi-Fi, 192.168.1.0/24), all on one inet.Network.
type mixed struct {
	s        *sim.Simulator
	net      *inet.Network
	srv, ap  *inet.Node
	stas     []*inet.Node
	backhaul *inet.PointToPointLink
	apDev    []*mac80211.Device
	staDev   []*mac80211.Device
}

func newMixed(t *testing.T) *mixed {
	t.Helper()
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	nodes, err := w.NewNodes(4, inet.DefaultNodeConfig())
	require.NoError(t, err)
	m := &mixed{s: s, net: w, srv: nodes[0], ap: nodes[1], stas: nodes[2:]}
	m.backhaul, err = w.ConnectPointToPoint(m.srv, m.ap, 100*inet.Mbps, sim.Millisecond)
	require.NoError(t, err)

	medium, err := mac80211.NewMedium(s, mac80211.DefaultMediumConfig())
	require.NoError(t, err)
	lan, err := w.NewAddressHelper(inet.IPv4AddrFrom4(192, 168, 1, 0), 0xffffff00, 1)
	require.NoError(t, err)
	cfg := mac80211.DefaultInstallConfig()
	cfg.Addresses = lan
	cfg.Role = mac80211.RoleAP
	m.apDev, err = mac80211.Install(w, medium, []*inet.Node{m.ap},
		[]mobility.Model{mobility.NewConstantPosition(mobility.Vector{})}, cfg)
	require.NoError(t, err)
	cfg.Role = mac80211.RoleSTA
	m.staDev, err = mac80211.Install(w, medium, m.stas, []mobility.Model{
		mobility.NewConstantPosition(mobility.Vector{X: 5}),
		mobility.NewConstantPosition(mobility.Vector{Y: 5}),
	}, cfg)
	require.NoError(t, err)

	apLAN := m.ap.InterfaceForDevice(m.apDev[0])
	require.NoError(t, m.srv.AddNetworkRoute(apLAN.Address().Mask(apLAN.Mask()), apLAN.Mask(), m.backhaul.Interfaces[1].Address(), nil))
	for _, n := range m.stas {
		require.NoError(t, n.AddDefaultRoute(apLAN.Address(), nil))
	}
	return m
}

// Wi-Fi devices installed next to point-to-point links: one MAC allocator,
// one address plan, one packet pool; a datagram and a ping from the wired
// server reach the stations through the AP node's IP forwarding.
func TestInstallBesidePointToPoint(t *testing.T) {
	m := newMixed(t)
	// Link-layer addresses in installation order, from one allocator.
	assert.Equal(t, "00:00:00:00:00:03", m.apDev[0].Address().String())
	assert.Equal(t, "00:00:00:00:00:05", m.staDev[1].Address().String())
	var addrs []string
	for _, n := range append([]*inet.Node{m.ap}, m.stas...) {
		for _, ifc := range n.Interfaces() {
			addrs = append(addrs, ifc.String())
		}
	}
	assert.Equal(t, []string{"node 1 if 0 10.1.1.2/24", "node 1 if 1 192.168.1.1/24",
		"node 2 if 0 192.168.1.2/24", "node 3 if 0 192.168.1.3/24"}, addrs)
	assert.True(t, m.net.IsAssigned(inet.IPv4AddrFrom4(192, 168, 1, 3)))
	assert.Same(t, m.srv.Pool(), m.stas[1].Pool())

	var got []inet.RecvInfo
	sink := m.stas[0].NewUDPSocket()
	require.NoError(t, sink.Bind(9))
	sink.SetRecvCallback(func(_ *inet.UDPSocket, _ *packet.Packet, info inet.RecvInfo) { got = append(got, info) })
	tx := m.srv.NewUDPSocket()
	at := func(when sim.Time, fn func()) {
		_, err := m.s.ScheduleAt(when, fn)
		require.NoError(t, err)
	}
	at(sim.Second, func() { require.NoError(t, tx.SendTo(500, inet.IPv4AddrFrom4(192, 168, 1, 2), 9)) })
	cfg := inet.DefaultPingConfig()
	cfg.Destination = inet.IPv4AddrFrom4(192, 168, 1, 3)
	cfg.Count = 3
	ping, err := inet.NewPing(m.srv, cfg)
	require.NoError(t, err)
	require.NoError(t, ping.Start(sim.Second))
	m.s.RunUntil(5 * sim.Second)

	for i, d := range m.staDev {
		assert.True(t, d.Mac().IsAssociated(), "station %d", i)
	}
	require.Len(t, got, 1)
	assert.Equal(t, "10.1.1.1", got[0].From.String())
	assert.Equal(t, uint8(63), got[0].TTL, "forwarded once by the AP node")
	r := ping.Report()
	assert.Equal(t, 3, r.Received)
	// The backhaul alone takes 2 × (86 B at 100 Mb/s + 1 ms); the radio
	// adds at least two 802.11a frame exchanges.
	assert.Greater(t, r.RTTMin, 2*(6880+sim.Millisecond))
	assert.Equal(t, uint64(1+3+3), m.ap.Stats().Forwarded, "the datagram and three requests down, three replies up")
}

func TestInstallErrors(t *testing.T) {
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	nodes, err := w.NewNodes(2, inet.DefaultNodeConfig())
	require.NoError(t, err)
	medium, err := mac80211.NewMedium(s, mac80211.DefaultMediumConfig())
	require.NoError(t, err)
	mob := func() mobility.Model { return mobility.NewConstantPosition(mobility.Vector{}) }
	other, err := inet.NewNetwork(sim.New(1, 1)).NewNode()
	require.NoError(t, err)
	cfg := mac80211.DefaultInstallConfig()
	badRole := cfg
	badRole.Role = 7
	badPhy := cfg
	badPhy.Phy.PreambleDetectionDuration = 0
	badMac := cfg
	badMac.Mac.RetryLimit = 0
	badSta := cfg
	badSta.Role = mac80211.RoleSTA
	badSta.Sta.MaxMissedBeacons = -1
	// A /30 has two host addresses: three devices cannot get one each.
	few, err := w.NewAddressHelper(inet.IPv4AddrFrom4(10, 7, 0, 0), 0xfffffffc, 1)
	require.NoError(t, err)
	tooFew := cfg
	tooFew.Addresses = few
	threeNodes, err := w.NewNodes(3, inet.DefaultNodeConfig())
	require.NoError(t, err)
	threeMobs := []mobility.Model{mob(), mob(), mob()}
	tests := []struct {
		name  string
		net   *inet.Network
		med   *mac80211.Medium
		nodes []*inet.Node
		mobs  []mobility.Model
		cfg   mac80211.InstallConfig
	}{
		{"nil network", nil, medium, nodes[:1], []mobility.Model{mob()}, cfg},
		{"nil medium", w, nil, nodes[:1], []mobility.Model{mob()}, cfg},
		{"count mismatch", w, medium, nodes, []mobility.Model{mob()}, cfg},
		{"nil node", w, medium, []*inet.Node{nil}, []mobility.Model{mob()}, cfg},
		{"nil mobility", w, medium, nodes[:1], []mobility.Model{nil}, cfg},
		{"foreign node", w, medium, []*inet.Node{other}, []mobility.Model{mob()}, cfg},
		{"bad role", w, medium, nodes[:1], []mobility.Model{mob()}, badRole},
		{"bad PHY", w, medium, nodes[:1], []mobility.Model{mob()}, badPhy},
		{"bad MAC", w, medium, nodes[:1], []mobility.Model{mob()}, badMac},
		{"bad STA", w, medium, nodes[:1], []mobility.Model{mob()}, badSta},
		{"position out of range", w, medium, nodes[:1], []mobility.Model{mobility.NewConstantPosition(mobility.Vector{X: 1e12})}, cfg},
		{"too few addresses", w, medium, threeNodes, threeMobs, tooFew},
	}
	for _, tt := range tests {
		_, err := mac80211.Install(tt.net, tt.med, tt.nodes, tt.mobs, tt.cfg)
		assert.Error(t, err, tt.name)
	}
	// A failed Install builds nothing: no PHY on the medium, no address
	// consumed, no MAC started.
	assert.Zero(t, medium.NumPhys())
	assert.Zero(t, s.Pending())
	a, err := few.NewAddress()
	require.NoError(t, err)
	assert.Equal(t, "10.7.0.1", a.String())
	assert.Equal(t, "Role(7)", mac80211.Role(7).String())
	assert.Equal(t, "STA", mac80211.RoleSTA.String())

	// Without Addresses the devices are not interfaces yet; assigning
	// them afterwards works.
	devs, err := mac80211.Install(w, medium, nodes, []mobility.Model{mob(), mob()}, cfg)
	require.NoError(t, err)
	assert.Empty(t, nodes[0].Interfaces())
	h, err := w.NewAddressHelper(inet.IPv4AddrFrom4(10, 9, 0, 0), 0xffff0000, 1)
	require.NoError(t, err)
	ifs, err := h.AssignAll(nodes, mac80211.NetDevices(devs))
	require.NoError(t, err)
	assert.Equal(t, "10.9.0.2", ifs[1].Address().String())
}
