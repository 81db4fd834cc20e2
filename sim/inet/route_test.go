package inet_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// nullDevice is a link to nowhere: it accepts and discards every packet.
type nullDevice struct {
	addr packet.Mac48
	mtu  int
	sent int
}

func (d *nullDevice) Address() packet.Mac48                   { return d.addr }
func (d *nullDevice) Broadcast() packet.Mac48                 { return packet.BroadcastMac48 }
func (d *nullDevice) MTU() int                                { return d.mtu }
func (d *nullDevice) NeedsARP() bool                          { return false }
func (d *nullDevice) SetReceiveCallback(inet.ReceiveCallback) {}
func (d *nullDevice) Send(p *packet.Packet, _ packet.Mac48, _ uint16) error {
	d.sent++
	p.Release()
	return nil
}

func cidr(t testing.TB, s string) (inet.IPv4Addr, inet.IPv4Mask) {
	t.Helper()
	a, m, err := inet.ParseCIDR(s)
	require.NoError(t, err)
	return a, m
}

func TestLongestPrefixMatch(t *testing.T) {
	n, err := inet.NewNode(sim.New(1, 1), 0, inet.DefaultNodeConfig())
	require.NoError(t, err)
	a0, m0 := cidr(t, "10.1.1.1/24")
	if0, err := n.AddInterface(&nullDevice{mtu: 1500}, a0, m0)
	require.NoError(t, err)
	a1, m1 := cidr(t, "10.2.0.1/16")
	if1, err := n.AddInterface(&nullDevice{mtu: 1500}, a1, m1)
	require.NoError(t, err)

	add := func(prefix, gw string, metric uint32) {
		d, m := cidr(t, prefix)
		require.NoError(t, n.AddRoute(inet.Route{Dest: d, Mask: m, Gateway: ip(t, gw), Metric: metric}))
	}
	add("10.3.0.0/16", "10.1.1.2", 0)
	add("10.3.5.0/24", "10.2.0.9", 0)
	add("10.3.5.7/32", "10.1.1.3", 0)
	add("10.4.0.0/16", "10.1.1.2", 5)
	add("10.4.0.0/16", "10.2.0.2", 1) // lower metric wins
	add("10.5.0.0/16", "10.1.1.2", 0)
	add("10.5.0.0/16", "10.2.0.3", 0) // equal: ns-3 keeps the last one
	add("10.6.7.8/16", "10.1.1.2", 0) // dest is masked to 10.6.0.0

	tests := []struct {
		dst     string
		gateway string
		iface   *inet.Interface
	}{
		{"10.1.1.7", "0.0.0.0", if0},
		{"10.2.3.4", "0.0.0.0", if1},
		{"10.3.1.1", "10.1.1.2", if0},
		{"10.3.5.1", "10.2.0.9", if1},
		{"10.3.5.7", "10.1.1.3", if0},
		{"10.4.9.9", "10.2.0.2", if1},
		{"10.5.9.9", "10.2.0.3", if1},
		{"10.6.0.1", "10.1.1.2", if0},
	}
	for _, tt := range tests {
		r, ok := n.LookupRoute(ip(t, tt.dst))
		require.True(t, ok, tt.dst)
		assert.Equal(t, tt.gateway, r.Gateway.String(), tt.dst)
		assert.Same(t, tt.iface, r.Interface, tt.dst)
	}

	// No default route yet: no route, and sockets say so.
	_, ok := n.LookupRoute(ip(t, "8.8.8.8"))
	assert.False(t, ok)
	sock := n.NewUDPSocket()
	assert.ErrorIs(t, sock.SendTo(10, ip(t, "8.8.8.8"), 53), inet.ErrNoRoute)

	require.NoError(t, n.AddDefaultRoute(ip(t, "10.1.1.254"), nil))
	r, ok := n.LookupRoute(ip(t, "8.8.8.8"))
	require.True(t, ok)
	assert.Equal(t, "0.0.0.0/0 via 10.1.1.254 if 0 metric 0", r.String())
	require.NoError(t, n.AddHostRoute(ip(t, "8.8.8.8"), ip(t, "10.2.0.5"), if1))
	r, _ = n.LookupRoute(ip(t, "8.8.8.8"))
	assert.Equal(t, "10.2.0.5", r.Gateway.String())
	assert.Len(t, n.Routes(), 2+8+2)
}

func TestAddRouteErrors(t *testing.T) {
	s := sim.New(1, 1)
	n, err := inet.NewNode(s, 0, inet.DefaultNodeConfig())
	require.NoError(t, err)
	other, err := inet.NewNode(s, 1, inet.DefaultNodeConfig())
	require.NoError(t, err)
	a, m := cidr(t, "10.1.1.1/24")
	_, err = n.AddInterface(&nullDevice{mtu: 1500}, a, m)
	require.NoError(t, err)
	oif, err := other.AddInterface(&nullDevice{mtu: 1500}, a, m)
	require.NoError(t, err)

	tests := []struct {
		name string
		r    inet.Route
	}{
		{"no interface, no gateway", inet.Route{Dest: 1, Mask: 0xff000000}},
		{"gateway off-link", inet.Route{Gateway: ip(t, "192.168.0.1")}},
		{"bad mask", inet.Route{Mask: 0xff00ff00, Gateway: ip(t, "10.1.1.2")}},
		{"foreign interface", inet.Route{Interface: oif}},
	}
	for _, tt := range tests {
		assert.Error(t, n.AddRoute(tt.r), tt.name)
	}
}

func TestAddInterfaceErrors(t *testing.T) {
	n, err := inet.NewNode(sim.New(1, 1), 0, inet.DefaultNodeConfig())
	require.NoError(t, err)
	dev := &nullDevice{mtu: 1500}
	a, m := cidr(t, "10.1.1.1/24")
	_, err = n.AddInterface(dev, a, m)
	require.NoError(t, err)

	tests := []struct {
		name string
		dev  inet.NetDevice
		cidr string
	}{
		{"nil device", nil, "10.1.2.1/24"},
		{"any", &nullDevice{mtu: 1500}, "0.0.0.0/24"},
		{"network address", &nullDevice{mtu: 1500}, "10.1.2.0/24"},
		{"subnet broadcast", &nullDevice{mtu: 1500}, "10.1.2.255/24"},
		{"multicast", &nullDevice{mtu: 1500}, "224.0.0.1/24"},
		{"same device twice", dev, "10.1.2.1/24"},
		{"same address twice", &nullDevice{mtu: 1500}, "10.1.1.1/16"},
		{"MTU too small", &nullDevice{mtu: 20}, "10.1.2.1/24"},
	}
	for _, tt := range tests {
		a, m := cidr(t, tt.cidr)
		_, err := n.AddInterface(tt.dev, a, m)
		assert.Error(t, err, tt.name)
	}
	_, err = n.AddInterface(&nullDevice{mtu: 1500}, ip(t, "10.9.9.9"), 0xff00ff00)
	assert.Error(t, err, "non-contiguous mask")
	_, err = n.AddInterface(&nullDevice{mtu: 1500}, ip(t, "10.9.9.9"), 0xffffffff)
	assert.NoError(t, err, "a /32 is fine")
	assert.Len(t, n.Interfaces(), 2)
	assert.Nil(t, n.Interface(2))
	assert.Equal(t, "node 0 if 1 10.9.9.9/32", n.Interface(1).String())
}

// line is A -- R -- B over two point-to-point links with default routes on
// the hosts.
type line struct {
	s        *sim.Simulator
	a, r, b  *inet.Node
	ar, rb   *inet.PointToPointLink
	dropsR   *dropLog
	received *[]arrival
}

func newLine(t *testing.T, ttlA uint8, rbMTU int) *line {
	t.Helper()
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	l := &line{s: s}
	cfgA := inet.DefaultNodeConfig()
	cfgA.DefaultTTL = ttlA
	var err error
	l.a, err = w.NewNodeWithConfig(cfgA)
	require.NoError(t, err)
	for _, n := range []**inet.Node{&l.r, &l.b} {
		*n, err = w.NewNode()
		require.NoError(t, err)
	}
	l.ar, err = w.ConnectPointToPoint(l.a, l.r, 100*inet.Mbps, sim.Millisecond)
	require.NoError(t, err)
	cfg := fastLink()
	cfg.MTU = rbMTU
	l.rb, err = w.ConnectPointToPointWith(l.r, l.b, cfg, sim.Millisecond)
	require.NoError(t, err)
	require.NoError(t, l.a.AddDefaultRoute(l.ar.Interfaces[1].Address(), nil))
	require.NoError(t, l.b.AddDefaultRoute(l.rb.Interfaces[0].Address(), nil))
	l.dropsR = logDrops(l.r)
	_, l.received = sink(t, l.b, 9)
	return l
}

func TestForwarding(t *testing.T) {
	tests := []struct {
		name       string
		forwarding bool
		ttl        uint8
		payload    int
		dst        string
		wantDrop   inet.DropReason // 0: delivered
	}{
		{"forwarded", true, 64, 100, "10.1.2.2", 0},
		{"forwarding disabled", false, 64, 100, "10.1.2.2", inet.DropNotForwarding},
		{"TTL expires at the router", true, 1, 100, "10.1.2.2", inet.DropTTLExpired},
		{"TTL 2 survives one hop", true, 2, 100, "10.1.2.2", 0},
		{"router has no route", true, 64, 100, "10.9.9.9", inet.DropNoRoute},
		{"next link MTU too small", true, 64, 1200, "10.1.2.2", inet.DropMTUExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLine(t, tt.ttl, 1000)
			l.r.SetForwarding(tt.forwarding)
			var rxTTL []uint8
			l.b.OnRx = func(p *packet.Packet, _ *inet.Interface) {
				h, ok := packet.FindHeader[*inet.IPv4Header](p)
				require.True(t, ok)
				rxTTL = append(rxTTL, h.TTL)
			}
			sock := l.a.NewUDPSocket()
			require.NoError(t, sock.SendTo(tt.payload, ip(t, tt.dst), 9))
			l.s.Run()

			if tt.wantDrop == 0 {
				require.Len(t, *l.received, 1)
				// Two hops of 10.4 µs on the wire plus 1 ms each.
				assert.Equal(t, 2*(10400+sim.Millisecond), (*l.received)[0].At)
				assert.Equal(t, []uint8{tt.ttl - 1}, rxTTL)
				assert.Equal(t, uint64(1), l.r.Stats().Forwarded)
				assert.Empty(t, l.dropsR.reasons)
				return
			}
			assert.Empty(t, *l.received)
			assert.Equal(t, []inet.DropReason{tt.wantDrop}, l.dropsR.reasons)
			assert.Equal(t, uint64(1), l.r.Drops(tt.wantDrop))
		})
	}
}
