package inet_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// p2pPair is two nodes joined by ConnectPointToPoint.
type p2pPair struct {
	s    *sim.Simulator
	net  *inet.Network
	a, b *inet.Node
	link *inet.PointToPointLink
}

func newP2P(t *testing.T, cfg inet.PointToPointDeviceConfig, delay sim.Time) *p2pPair {
	t.Helper()
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	a, err := w.NewNode()
	require.NoError(t, err)
	b, err := w.NewNode()
	require.NoError(t, err)
	link, err := w.ConnectPointToPointWith(a, b, cfg, delay)
	require.NoError(t, err)
	return &p2pPair{s: s, net: w, a: a, b: b, link: link}
}

func fastLink() inet.PointToPointDeviceConfig {
	cfg := inet.DefaultPointToPointDeviceConfig()
	cfg.DataRate = 100 * inet.Mbps
	return cfg
}

func TestPointToPointDefaults(t *testing.T) {
	cfg := inet.DefaultPointToPointDeviceConfig()
	assert.Equal(t, inet.DataRate(32768), cfg.DataRate)
	assert.Equal(t, 1500, cfg.MTU)
	assert.Equal(t, 100, cfg.QueueSize)
	assert.Equal(t, sim.Time(0), cfg.InterframeGap)
	require.NoError(t, cfg.Validate())

	bad := []func(*inet.PointToPointDeviceConfig){
		func(c *inet.PointToPointDeviceConfig) { c.DataRate = 0 },
		func(c *inet.PointToPointDeviceConfig) { c.MTU = 0 },
		func(c *inet.PointToPointDeviceConfig) { c.MTU = 70000 },
		func(c *inet.PointToPointDeviceConfig) { c.QueueSize = 0 },
		func(c *inet.PointToPointDeviceConfig) { c.InterframeGap = -1 },
		func(c *inet.PointToPointDeviceConfig) { c.InterframeGap = sim.MaxTime },
	}
	for i, mutate := range bad {
		c := inet.DefaultPointToPointDeviceConfig()
		mutate(&c)
		assert.Error(t, c.Validate(), "case %d", i)
	}
}

func TestConnectPointToPointAddresses(t *testing.T) {
	pp := newP2P(t, fastLink(), sim.Millisecond)
	ia, ib := pp.link.Interfaces[0], pp.link.Interfaces[1]
	assert.Equal(t, "10.1.1.1", ia.Address().String())
	assert.Equal(t, "10.1.1.2", ib.Address().String())
	assert.Equal(t, 24, ia.Mask().PrefixLength())
	assert.Equal(t, "00:00:00:00:00:01", pp.link.Devices[0].Address().String())
	assert.Equal(t, "00:00:00:00:00:02", pp.link.Devices[1].Address().String())
	assert.False(t, pp.link.Devices[0].NeedsARP())
	assert.True(t, pp.link.Devices[0].IsLinkUp())
	assert.Equal(t, sim.Millisecond, pp.link.Channel.Delay())
	routes := pp.a.Routes()
	require.Len(t, routes, 1)
	assert.Equal(t, "10.1.1.0/24 direct if 0 metric 0", routes[0].String())

	// The next link gets the next subnet.
	c, err := pp.net.NewNode()
	require.NoError(t, err)
	link2, err := pp.net.ConnectPointToPoint(pp.b, c, 10*inet.Mbps, 0)
	require.NoError(t, err)
	assert.Equal(t, "10.1.2.1", link2.Interfaces[0].Address().String())
	assert.Equal(t, 1, link2.Interfaces[0].Index())
	assert.Equal(t, "00:00:00:00:00:03", link2.Devices[0].Address().String())

	_, err = pp.net.ConnectPointToPoint(pp.a, pp.a, inet.Mbps, 0)
	assert.Error(t, err)
	_, err = pp.net.ConnectPointToPoint(pp.a, c, 0, 0)
	assert.Error(t, err, "zero rate")
}

// A 100-byte UDP payload is a 128-byte IPv4 packet and a 130-byte PPP
// frame: at 100 Mb/s it takes 1040 bits / 1e8 bit/s = 10.4 µs on the wire,
// then 1 ms of propagation.
func TestUDPOverPointToPointExactBytesAndTime(t *testing.T) {
	pp := newP2P(t, fastLink(), sim.Millisecond)
	_, got := sink(t, pp.b, 9)
	var ipTx, wireTx, wireRx []int
	pp.a.OnTx = func(p *packet.Packet, _ *inet.Interface) { ipTx = append(ipTx, p.Size()) }
	pp.link.Devices[0].OnTx = func(_ *inet.PointToPointDevice, p *packet.Packet) { wireTx = append(wireTx, p.Size()) }
	pp.link.Devices[1].OnRx = func(_ *inet.PointToPointDevice, p *packet.Packet) { wireRx = append(wireRx, p.Size()) }

	client := pp.a.NewUDPSocket()
	require.NoError(t, client.Connect(pp.link.Interfaces[1].Address(), 9))
	at(t, pp.s, 2*sim.Second, mustSend(t, client, 100))
	pp.s.Run()

	require.Len(t, *got, 1)
	arr := (*got)[0]
	assert.Equal(t, 2*sim.Second+10400*sim.Nanosecond+sim.Millisecond, arr.At)
	assert.Equal(t, 100, arr.Size)
	assert.Equal(t, "10.1.1.1", arr.From.String())
	assert.Equal(t, uint16(49153), arr.FromPort, "ns-3's first ephemeral port")
	assert.Equal(t, []int{128}, ipTx)
	assert.Equal(t, []int{130}, wireTx)
	assert.Equal(t, []int{130}, wireRx)

	assert.Equal(t, inet.UDPStats{TxPackets: 1, TxBytes: 100}, client.Stats())
	assert.Equal(t, inet.PointToPointStats{TxPackets: 1, TxBytes: 130}, pp.link.Devices[0].Stats())
	assert.Equal(t, inet.PointToPointStats{RxPackets: 1, RxBytes: 130}, pp.link.Devices[1].Stats())
	assert.Equal(t, uint64(1), pp.b.Stats().Delivered)
	// Every packet went back to the pool.
	assert.Equal(t, int(pp.net.Pool().Allocated()), pp.net.Pool().Idle())
}

// Back-to-back packets queue behind each other: each leaves the wire one
// transmission time after the previous one.
func TestPointToPointQueueingDelay(t *testing.T) {
	tests := []struct {
		name    string
		payload int
		rate    inet.DataRate
		gap     sim.Time
		txTime  sim.Time // frame time on the wire, by hand
		spacing sim.Time // interval between arrivals
	}{
		// (1000+8+20+2)*8 = 8240 bits at 100 Mb/s = 82.4 µs.
		{"100Mbps", 1000, 100 * inet.Mbps, 0, 82400, 82400},
		// 130*8 = 1040 bits at 1 Mb/s = 1.04 ms.
		{"1Mbps", 100, inet.Mbps, 0, 1040 * sim.Microsecond, 1040 * sim.Microsecond},
		// An interframe gap delays the next frame, not this one.
		{"gap", 100, inet.Mbps, 10 * sim.Microsecond, 1040 * sim.Microsecond, 1050 * sim.Microsecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := fastLink()
			cfg.DataRate = tt.rate
			cfg.InterframeGap = tt.gap
			pp := newP2P(t, cfg, 5*sim.Millisecond)
			_, got := sink(t, pp.b, 9)
			client := pp.a.NewUDPSocket()
			require.NoError(t, client.Connect(pp.link.Interfaces[1].Address(), 9))
			at(t, pp.s, 0, func() {
				for range 3 {
					require.NoError(t, client.Send(tt.payload))
				}
				assert.Equal(t, 2, pp.link.Devices[0].QueueLen())
			})
			pp.s.Run()
			require.Len(t, *got, 3)
			for i, a := range *got {
				want := tt.txTime + 5*sim.Millisecond + sim.Time(i)*tt.spacing
				assert.Equal(t, want, a.At, "packet %d", i)
			}
		})
	}
}

// The device queue holds 100 packets behind the one on the wire; the rest
// are dropped (drop-tail) and reported by device and node.
func TestPointToPointDropTail(t *testing.T) {
	pp := newP2P(t, fastLink(), sim.Millisecond)
	_, got := sink(t, pp.b, 9)
	drops := logDrops(pp.a)
	devDrops := 0
	pp.link.Devices[0].OnDrop = func(_ *inet.PointToPointDevice, p *packet.Packet) {
		devDrops++
		assert.Equal(t, 1028, p.Size(), "dropped before the PPP header is added")
	}
	client := pp.a.NewUDPSocket()
	require.NoError(t, client.Connect(pp.link.Interfaces[1].Address(), 9))
	at(t, pp.s, 0, func() {
		for range 110 {
			// Drops happen below the socket: Send succeeds, as in ns-3.
			require.NoError(t, client.Send(1000))
		}
	})
	pp.s.Run()

	assert.Len(t, *got, 101)
	assert.Equal(t, 9, devDrops)
	assert.Equal(t, uint64(9), pp.link.Devices[0].Stats().Drops)
	assert.Equal(t, uint64(9), pp.a.Drops(inet.DropDeviceQueueFull))
	require.Len(t, drops.reasons, 9)
	for _, r := range drops.reasons {
		assert.Equal(t, inet.DropDeviceQueueFull, r)
	}
	assert.Equal(t, uint64(110), client.Stats().TxPackets)
	last := (*got)[100].At
	assert.Equal(t, 101*82400*sim.Nanosecond+sim.Millisecond, last)
}

func TestPointToPointDeviceErrors(t *testing.T) {
	s := sim.New(1, 1)
	pool := packet.NewPool()
	cfg := inet.DefaultPointToPointDeviceConfig()
	cfg.MTU = 100
	d, err := inet.NewPointToPointDevice(s, packet.Mac48FromUint(1), cfg)
	require.NoError(t, err)
	p := pool.New(50)
	assert.ErrorIs(t, d.Send(p, packet.BroadcastMac48, inet.EtherTypeIPv4), inet.ErrLinkDown)

	ch, err := inet.NewPointToPointChannel(s, 0)
	require.NoError(t, err)
	require.NoError(t, d.Attach(ch))
	assert.Error(t, d.Attach(ch), "attached twice")
	peer, err := inet.NewPointToPointDevice(s, packet.Mac48FromUint(2), cfg)
	require.NoError(t, err)
	require.NoError(t, peer.Attach(ch))
	third, err := inet.NewPointToPointDevice(s, packet.Mac48FromUint(3), cfg)
	require.NoError(t, err)
	assert.Error(t, third.Attach(ch), "a third device")
	assert.Same(t, peer, ch.Device(1))
	assert.Nil(t, ch.Device(2))

	assert.ErrorIs(t, d.Send(p, packet.BroadcastMac48, inet.EtherTypeARP), inet.ErrUnsupportedProtocol)
	big := pool.New(101)
	assert.ErrorIs(t, d.Send(big, packet.BroadcastMac48, inet.EtherTypeIPv4), inet.ErrMessageTooLarge)
	assert.Equal(t, 50, p.Size(), "a refused packet is unchanged")

	var gotType uint16
	var gotSize int
	peer.SetReceiveCallback(func(_ inet.NetDevice, q *packet.Packet, et uint16, src, dst packet.Mac48) {
		gotType, gotSize = et, q.Size()
		assert.Equal(t, d.Address(), src)
		assert.Equal(t, peer.Address(), dst)
		q.Release()
	})
	require.NoError(t, d.Send(p, packet.BroadcastMac48, inet.EtherTypeIPv6))
	s.Run()
	assert.Equal(t, inet.EtherTypeIPv6, gotType)
	assert.Equal(t, 50, gotSize)

	_, err = inet.NewPointToPointChannel(s, -1)
	assert.Error(t, err)
	_, err = inet.NewPointToPointChannel(s, sim.MaxTime)
	assert.Error(t, err)
	_, err = inet.NewPointToPointDevice(nil, packet.Mac48{}, cfg)
	assert.Error(t, err)
	cfg.QueueSize = 0
	_, err = inet.NewPointToPointDevice(s, packet.Mac48{}, cfg)
	assert.Error(t, err)
	assert.Error(t, third.Attach(nil))
}

func TestDataRateTxTime(t *testing.T) {
	tests := []struct {
		rate  inet.DataRate
		bytes int
		want  sim.Time
		text  string
	}{
		{100 * inet.Mbps, 130, 10400, "100Mbps"},
		{100 * inet.Mbps, 1030, 82400, "100Mbps"},
		{inet.Gbps, 1, 8, "1Gbps"},
		{32768, 130, 31738281, "32768bps"},   // 1040/32768 s = 31.738281 ms (31738281.25 ns)
		{3 * inet.Kbps, 1, 2666667, "3Kbps"}, // 8/3000 s rounded to nearest ns
		{inet.Mbps, 0, 0, "1Mbps"},
		{inet.Mbps, -5, 0, "1Mbps"},
		{0, 10, sim.MaxTime, "0bps"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.rate.TxTime(tt.bytes), "%v %d B", tt.rate, tt.bytes)
		assert.Equal(t, tt.text, tt.rate.String())
	}
}
