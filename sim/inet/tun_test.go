package inet_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// tunnelHeader is a 12-byte GTP-U-like header (version, type, length,
// TEID).
type tunnelHeader struct{ TEID uint32 }

func (h *tunnelHeader) Size() int      { return 12 }
func (h *tunnelHeader) String() string { return fmt.Sprintf("GTP-U teid=%d", h.TEID) }

// tunnelEnd is one end of a GTP-U-like tunnel: a tunnel device whose send
// function pushes the tunnel header and sends the packet over UDP port
// 2152 to the peer, and a socket bound to the local tunnel address whose
// receive callback strips the header and re-injects the inner packet.
type tunnelEnd struct {
	node *inet.Node
	dev  *inet.TunDevice
	ifc  *inet.Interface
	sock *inet.UDPSocket
	peer inet.IPv4Addr
	teid uint32
	// reinjected counts Receive calls; inCallback is true while the
	// socket callback runs.
	reinjected int
	inCallback bool
}

func newTunnelEnd(t *testing.T, w *inet.Network, n *inet.Node, local, peer inet.IPv4Addr, tunAddr string, teid uint32) *tunnelEnd {
	t.Helper()
	e := &tunnelEnd{node: n, peer: peer, teid: teid}
	var err error
	e.dev, err = inet.NewTunDevice(w.Sim(), w.MACs().Allocate(), inet.DefaultTunDeviceConfig(), e.encapsulate)
	require.NoError(t, err)
	a, m := cidr(t, tunAddr)
	e.ifc, err = n.AddInterface(e.dev, a, m)
	require.NoError(t, err)
	e.sock = n.NewUDPSocket()
	require.NoError(t, e.sock.BindAddr(local, 2152))
	e.sock.SetRecvCallback(e.decapsulate)
	return e
}

func (e *tunnelEnd) encapsulate(_ *inet.TunDevice, p *packet.Packet, _ packet.Mac48, _ uint16) error {
	p.Push(&tunnelHeader{TEID: e.teid})
	if err := e.sock.SendPacketTo(p, e.peer, 2152); err != nil {
		p.Pop()
		return err
	}
	return nil
}

func (e *tunnelEnd) decapsulate(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
	q := p.Copy()
	if _, ok := q.Pop().(*tunnelHeader); !ok {
		q.Release()
		return
	}
	e.inCallback = true
	e.reinjected++
	_ = e.dev.Receive(q, inet.EtherTypeIPv4)
	e.inCallback = false
}

// tunnelNet is a remote host H, a PGW-like gateway G and a UE-like node U:
// H --(10.1.1.0/24, 100 Mb/s, 1 ms)-- G --(10.1.2.0/24, 100 Mb/s, 2 ms)-- U,
// with a tunnel between G (device 7.0.0.1/8) and U (device 7.0.0.2/8)
// over the second link. U's default route points into its tunnel.
type tunnelNet struct {
	s        *sim.Simulator
	h, g, u  *inet.Node
	hg, gu   *inet.PointToPointLink
	gEnd     *tunnelEnd
	uEnd     *tunnelEnd
	hostAddr inet.IPv4Addr
}

func newTunnelNet(t *testing.T) *tunnelNet {
	t.Helper()
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	tn := &tunnelNet{s: s}
	var err error
	for _, n := range []**inet.Node{&tn.h, &tn.g, &tn.u} {
		*n, err = w.NewNode()
		require.NoError(t, err)
	}
	tn.hg, err = w.ConnectPointToPointWith(tn.h, tn.g, fastLink(), sim.Millisecond)
	require.NoError(t, err)
	tn.gu, err = w.ConnectPointToPointWith(tn.g, tn.u, fastLink(), 2*sim.Millisecond)
	require.NoError(t, err)
	gS5, uS5 := tn.gu.Interfaces[0].Address(), tn.gu.Interfaces[1].Address()
	tn.gEnd = newTunnelEnd(t, w, tn.g, gS5, uS5, "7.0.0.1/8", 1)
	tn.uEnd = newTunnelEnd(t, w, tn.u, uS5, gS5, "7.0.0.2/8", 2)
	tn.hostAddr = tn.hg.Interfaces[0].Address()
	require.NoError(t, tn.h.AddDefaultRoute(tn.hg.Interfaces[1].Address(), nil))
	require.NoError(t, tn.u.AddRoute(inet.Route{Interface: tn.uEnd.ifc}))
	return tn
}

// A datagram from H to the UE address crosses the tunnel and back: every
// byte of the tunnel overhead (12 + UDP 8 + IPv4 20) is on the G-U link,
// the inner packet arrives with the TTL one router took, and the delays
// add up exactly.
func TestTunnelRoundTrip(t *testing.T) {
	tn := newTunnelNet(t)
	type rx struct {
		at   sim.Time
		size int
		from string
		to   string
		ttl  uint8
	}
	var atU, atH []rx
	uApp := tn.u.NewUDPSocket()
	require.NoError(t, uApp.Bind(9))
	uApp.SetRecvCallback(func(sock *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
		atU = append(atU, rx{tn.s.Now(), p.Size(), info.From.String(), info.To.String(), info.TTL})
		assert.Same(t, tn.uEnd.ifc, info.Interface, "arrives on the tunnel interface")
		require.NoError(t, sock.SendTo(50, info.From, info.FromPort))
	})
	hApp := tn.h.NewUDPSocket()
	require.NoError(t, hApp.Bind(5000))
	hApp.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
		atH = append(atH, rx{tn.s.Now(), p.Size(), info.From.String(), info.To.String(), info.TTL})
	})
	var guWire, ugWire []int
	tn.gu.Devices[0].OnTx = func(_ *inet.PointToPointDevice, p *packet.Packet) { guWire = append(guWire, p.Size()) }
	tn.gu.Devices[1].OnTx = func(_ *inet.PointToPointDevice, p *packet.Packet) { ugWire = append(ugWire, p.Size()) }
	// The node's receive path never runs inside the socket callback that
	// re-injects.
	for _, e := range []*tunnelEnd{tn.gEnd, tn.uEnd} {
		e := e
		e.node.OnRx = func(_ *packet.Packet, ifc *inet.Interface) {
			assert.False(t, e.inCallback, "re-entered the receive path on %v", ifc)
		}
	}

	at(t, tn.s, 0, func() { require.NoError(t, hApp.SendTo(100, inet.IPv4AddrFrom4(7, 0, 0, 2), 9)) })
	tn.s.Run()

	// Downlink: 100 + 8 + 20 = 128-byte IPv4 packet, 130 on H-G (10.4 µs
	// at 100 Mb/s, 1 ms); tunnelled: 128 + 12 + 8 + 20 = 168, 170 on G-U
	// (13.6 µs, 2 ms).
	down := 10400 + sim.Millisecond + 13600 + 2*sim.Millisecond
	require.Len(t, atU, 1)
	assert.Equal(t, rx{down, 100, "10.1.1.1", "7.0.0.2", 63}, atU[0])
	// Uplink: 50-byte reply, 78-byte packet from 7.0.0.2 (source chosen on
	// the tunnel interface), 78 + 40 = 118 IPv4, 120 on U-G (9.6 µs,
	// 2 ms); G forwards 78 + 2 = 80 on G-H (6.4 µs, 1 ms).
	up := 9600 + 2*sim.Millisecond + 6400 + sim.Millisecond
	require.Len(t, atH, 1)
	assert.Equal(t, rx{down + up, 50, "7.0.0.2", "10.1.1.1", 63}, atH[0])
	assert.Equal(t, []int{170}, guWire)
	assert.Equal(t, []int{120}, ugWire)
	assert.Equal(t, inet.TunStats{TxPackets: 1, TxBytes: 128, RxPackets: 1, RxBytes: 78}, tn.gEnd.dev.Stats())
	assert.Equal(t, inet.TunStats{TxPackets: 1, TxBytes: 78, RxPackets: 1, RxBytes: 128}, tn.uEnd.dev.Stats())
	assert.Equal(t, 1, tn.gEnd.reinjected)
	assert.Equal(t, uint64(2), tn.g.Stats().Forwarded, "H to tunnel, tunnel to H")
}

// A ping through the tunnel measures the tunnel's byte overhead.
func TestPingThroughTunnel(t *testing.T) {
	tn := newTunnelNet(t)
	cfg := inet.DefaultPingConfig()
	cfg.Destination = inet.IPv4AddrFrom4(7, 0, 0, 2)
	cfg.Count = 1
	ping, err := inet.NewPing(tn.h, cfg)
	require.NoError(t, err)
	require.NoError(t, ping.Start(0))
	tn.s.Run()
	// 84-byte echo: 86 on H-G (6.88 µs), 84 + 40 + 2 = 126 on G-U
	// (10.08 µs), both ways, plus 3 ms each way.
	rtt := 2 * (6880 + 10080 + 3*sim.Millisecond)
	require.Len(t, ping.Replies(), 1)
	assert.Equal(t, rtt, ping.Replies()[0].RTT)
	assert.Equal(t, uint8(63), ping.Replies()[0].TTL)
}

// Drops on both sides of the device are counted with a reason, and a
// refused packet stays with IPv4 unchanged.
func TestTunDeviceDrops(t *testing.T) {
	s := sim.New(1, 1)
	cfg := inet.DefaultTunDeviceConfig()
	assert.Equal(t, 1500, cfg.MTU)
	cfg.MTU = 200
	failing := errors.New("no tunnel for this UE")
	var sent []int
	send := func(_ *inet.TunDevice, p *packet.Packet, _ packet.Mac48, _ uint16) error {
		if p.Size() == 150 {
			return failing
		}
		sent = append(sent, p.Size())
		p.Release()
		return nil
	}
	dev, err := inet.NewTunDevice(s, packet.Mac48FromUint(9), cfg, nil)
	require.NoError(t, err)
	assert.False(t, dev.NeedsARP())
	assert.Equal(t, 200, dev.MTU())
	var reasons []string
	dev.OnDrop = func(_ *inet.TunDevice, _ *packet.Packet, r inet.TunDropReason) { reasons = append(reasons, r.String()) }
	pool := packet.NewPool()

	p := pool.New(100)
	assert.ErrorIs(t, dev.Send(p, dev.Broadcast(), inet.EtherTypeIPv4), inet.ErrLinkDown, "no send function yet")
	dev.SetSendFunc(send)
	require.NoError(t, dev.Send(p, dev.Broadcast(), inet.EtherTypeIPv4))
	big := pool.New(201)
	assert.ErrorIs(t, dev.Send(big, dev.Broadcast(), inet.EtherTypeIPv4), inet.ErrMessageTooLarge)
	assert.Equal(t, 201, big.Size())
	q := pool.New(150)
	assert.ErrorIs(t, dev.Send(q, dev.Broadcast(), inet.EtherTypeIPv4), failing)
	// Re-injected with nobody above: dropped in the event, not in Receive.
	require.NoError(t, dev.Receive(pool.New(60), inet.EtherTypeIPv4))
	assert.Empty(t, reasons[3:])
	s.Run()
	assert.Equal(t, []string{"NoSendFunc", "TooLarge", "SendFailed", "NoReceiver"}, reasons)
	assert.Equal(t, []int{100}, sent)
	assert.Equal(t, inet.TunStats{TxPackets: 1, TxBytes: 100, TxDrops: 3, RxDrops: 1}, dev.Stats())
	assert.Error(t, dev.Receive(nil, inet.EtherTypeIPv4))
	assert.Equal(t, "TunDropReason(9)", inet.TunDropReason(9).String())

	_, err = inet.NewTunDevice(nil, packet.Mac48{}, inet.DefaultTunDeviceConfig(), nil)
	assert.Error(t, err)
	for _, mtu := range []int{0, 27, 65536} {
		_, err = inet.NewTunDevice(s, packet.Mac48{}, inet.TunDeviceConfig{MTU: mtu}, nil)
		assert.Error(t, err, "MTU %d", mtu)
	}
}

// Packets re-injected back to back come up in order, each in its own
// zero-delay event, however many wait.
func TestTunDeviceReceiveOrder(t *testing.T) {
	s := sim.New(1, 1)
	dev, err := inet.NewTunDevice(s, packet.Mac48FromUint(1), inet.DefaultTunDeviceConfig(), nil)
	require.NoError(t, err)
	var got []int
	var when []sim.Time
	dev.SetReceiveCallback(func(_ inet.NetDevice, p *packet.Packet, etherType uint16, src, dst packet.Mac48) {
		got = append(got, p.Size())
		when = append(when, s.Now())
		assert.Equal(t, inet.EtherTypeIPv4, etherType)
		assert.Equal(t, dev.Address(), src)
		p.Release()
	})
	pool := packet.NewPool()
	var want []int
	at(t, s, sim.Second, func() {
		for i := range 20 {
			require.NoError(t, dev.Receive(pool.New(i), inet.EtherTypeIPv4))
			want = append(want, i)
			if i == 5 {
				// Some come up while others are still queued.
				s.Schedule(0, func() {
					for j := 100; j < 103; j++ {
						require.NoError(t, dev.Receive(pool.New(j), inet.EtherTypeIPv4))
					}
				})
			}
		}
		assert.Empty(t, got, "nothing synchronously")
	})
	s.Run()
	want = append(want, 100, 101, 102)
	assert.Equal(t, want, got)
	for _, w := range when {
		assert.Equal(t, sim.Second, w)
	}
	assert.Equal(t, uint64(23), dev.Stats().RxPackets)
}
