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

func TestUDPEphemeralPorts(t *testing.T) {
	pp := newP2P(t, fastLink(), 0)
	n := pp.a
	bind := func(port uint16) *inet.UDPSocket {
		s := n.NewUDPSocket()
		require.NoError(t, s.Bind(port))
		return s
	}
	assert.Equal(t, uint16(49153), bind(0).LocalPort(), "ns-3 starts after 49152")
	assert.Equal(t, uint16(49154), bind(0).LocalPort())
	bind(49155)
	assert.Equal(t, uint16(49156), bind(0).LocalPort(), "skips ports in use")
	// Connect binds an unbound socket.
	c := n.NewUDPSocket()
	require.NoError(t, c.Connect(1, 9))
	assert.Equal(t, uint16(49157), c.LocalPort())
	peer, port, ok := c.Peer()
	assert.Equal(t, inet.IPv4Addr(1), peer)
	assert.Equal(t, uint16(9), port)
	assert.True(t, ok)
	// Another node has its own counter.
	o := pp.b.NewUDPSocket()
	require.NoError(t, o.Bind(0))
	assert.Equal(t, uint16(49153), o.LocalPort())
}

func TestUDPSocketErrors(t *testing.T) {
	pp := newP2P(t, fastLink(), 0)
	n := pp.a
	peer := pp.link.Interfaces[1].Address()

	s := n.NewUDPSocket()
	require.NoError(t, s.Bind(7))
	assert.ErrorIs(t, s.Bind(8), inet.ErrAlreadyBound)
	other := n.NewUDPSocket()
	assert.ErrorIs(t, other.Bind(7), inet.ErrPortInUse)

	tests := []struct {
		name string
		send func() error
		want error
	}{
		{"Send unconnected", func() error { return s.Send(10) }, inet.ErrNotConnected},
		{"SendPayload unconnected", func() error { return s.SendPayload([]byte{1}) }, inet.ErrNotConnected},
		{"SendPacket unconnected", func() error { return s.SendPacket(n.Pool().New(1)) }, inet.ErrNotConnected},
		{"negative size", func() error { return s.SendTo(-1, peer, 9) }, inet.ErrInvalidSize},
		{"nil packet", func() error { return s.SendPacketTo(nil, peer, 9) }, inet.ErrInvalidSize},
		{"IPv4 limit", func() error { return s.SendTo(65508, peer, 9) }, inet.ErrMessageTooLarge},
		// 1472 + 8 + 20 = 1500 fits the MTU; one more byte needs
		// fragmentation, which netgym does not do.
		{"MTU 1472 fits", func() error { return s.SendTo(1472, peer, 9) }, nil},
		{"MTU 1473 too large", func() error { return s.SendTo(1473, peer, 9) }, inet.ErrMessageTooLarge},
		{"limited broadcast not allowed", func() error { return s.SendTo(1, inet.IPv4Broadcast, 9) }, inet.ErrBroadcastNotAllowed},
		{"subnet broadcast not allowed", func() error { return s.SendTo(1, ip(t, "10.1.1.255"), 9) }, inet.ErrBroadcastNotAllowed},
		{"no route", func() error { return s.SendTo(1, ip(t, "10.9.9.9"), 9) }, inet.ErrNoRoute},
	}
	for _, tt := range tests {
		err := tt.send()
		if tt.want == nil {
			assert.NoError(t, err, tt.name)
		} else {
			assert.ErrorIs(t, err, tt.want, tt.name)
		}
	}

	// A refused packet stays with the caller, unchanged.
	p := n.Pool().New(2000)
	assert.ErrorIs(t, s.SendPacketTo(p, peer, 9), inet.ErrMessageTooLarge)
	assert.Equal(t, 2000, p.Size())
	assert.Equal(t, 0, p.NumHeaders())

	require.NoError(t, s.Close())
	assert.ErrorIs(t, s.Close(), inet.ErrClosed)
	assert.ErrorIs(t, s.SendTo(1, peer, 9), inet.ErrClosed)
	assert.ErrorIs(t, s.Bind(0), inet.ErrClosed)
	assert.ErrorIs(t, s.Connect(peer, 9), inet.ErrClosed)
	require.NoError(t, other.Bind(7), "port free after Close")
}

func TestUDPPayloadAndTagsArrive(t *testing.T) {
	pp := newP2P(t, fastLink(), sim.Millisecond)
	_, got := sink(t, pp.b, 9)
	var tags []string
	server := pp.b.NewUDPSocket()
	require.NoError(t, server.Bind(10))
	server.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
		if tag, ok := packet.FindTag[*msgTag](p); ok {
			tags = append(tags, tag.String())
		}
	})
	client := pp.a.NewUDPSocket()
	require.NoError(t, client.Connect(pp.link.Interfaces[1].Address(), 9))
	var udpTx []string
	client.OnTx = func(_ *inet.UDPSocket, p *packet.Packet) { udpTx = append(udpTx, p.Peek().String()) }
	at(t, pp.s, 0, func() {
		require.NoError(t, client.SendPayload([]byte("hello")))
		p := pp.a.Pool().New(40)
		p.AddTag(&msgTag{ID: 7})
		require.NoError(t, client.SendPacketTo(p, pp.link.Interfaces[1].Address(), 10))
	})
	pp.s.Run()
	require.Len(t, *got, 1)
	assert.Equal(t, "hello", (*got)[0].Payload)
	assert.Equal(t, 5, (*got)[0].Size)
	assert.Equal(t, []string{"msg 7"}, tags)
	assert.Equal(t, []string{"UDP 49153 > 9 len=13", "UDP 49153 > 10 len=48"}, udpTx)
	assert.Equal(t, inet.UDPStats{RxPackets: 1, RxBytes: 40}, server.Stats())
}

type msgTag struct{ ID int }

func (m *msgTag) String() string { return fmt.Sprintf("msg %d", m.ID) }

func TestUDPNoSocketAndLoopback(t *testing.T) {
	pp := newP2P(t, fastLink(), sim.Millisecond)
	drops := logDrops(pp.b)
	client := pp.a.NewUDPSocket()
	require.NoError(t, client.SendTo(10, pp.link.Interfaces[1].Address(), 4444))

	// To the node's own address: delivered in a zero-delay event, nothing
	// on the wire.
	_, self := sink(t, pp.a, 9)
	at(t, pp.s, sim.Second, func() {
		require.NoError(t, client.SendTo(10, pp.link.Interfaces[0].Address(), 9))
	})
	pp.s.Run()
	assert.Equal(t, []inet.DropReason{inet.DropNoSocket}, drops.reasons)
	require.Len(t, *self, 1)
	assert.Equal(t, sim.Second, (*self)[0].At)
	assert.Equal(t, uint64(1), pp.link.Devices[0].Stats().TxPackets)
	assert.Equal(t, "NoSocket", inet.DropNoSocket.String())
}

// Limited and subnet-directed broadcasts reach every node on the link
// without ARP.
func TestUDPBroadcast(t *testing.T) {
	tests := []struct {
		name string
		dst  string
	}{
		{"limited", "255.255.255.255"},
		{"subnet-directed", "10.0.0.255"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bn := newBusNet(t, 3, noJitterARP())
			_, gotB := sink(t, bn.nodes[1], 9)
			_, gotC := sink(t, bn.nodes[2], 9)
			s := bn.nodes[0].NewUDPSocket()
			s.SetAllowBroadcast(true)
			at(t, bn.s, 0, func() { require.NoError(t, s.SendTo(20, ip(t, tt.dst), 9)) })
			bn.s.Run()
			assert.Len(t, *gotB, 1)
			assert.Len(t, *gotC, 1)
			require.Len(t, bn.bus.frames, 1)
			assert.True(t, bn.bus.frames[0].Dst.IsBroadcast())
			assert.Empty(t, bn.bus.arpFrames())
		})
	}
}

// The same seed gives the same trace, bit for bit; the ARP jitter makes the
// trace depend on the seed.
func TestDeterminism(t *testing.T) {
	run := func(seed uint64) []string {
		s := sim.New(seed, 1)
		w := inet.NewNetwork(s)
		b := newBus(s, 50*sim.Microsecond)
		var trace []string
		var nodes []*inet.Node
		for i := range 4 {
			n, err := w.NewNode()
			require.NoError(t, err)
			_, err = n.AddInterface(b.newDevice(w.MACs().Allocate()), inet.IPv4AddrFrom4(10, 0, 0, byte(i+1)), 0xffffff00)
			require.NoError(t, err)
			n.OnTx = func(p *packet.Packet, _ *inet.Interface) {
				trace = append(trace, fmt.Sprintf("%v tx n%d %v", s.Now(), n.ID(), p))
			}
			sock := n.NewUDPSocket()
			require.NoError(t, sock.Bind(9))
			sock.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
				trace = append(trace, fmt.Sprintf("%v rx n%d from %v uid=%d", s.Now(), n.ID(), info.From, p.UID()))
			})
			nodes = append(nodes, n)
		}
		for i, n := range nodes {
			sock := n.NewUDPSocket()
			dst := inet.IPv4AddrFrom4(10, 0, 0, byte((i+1)%4+1))
			require.NoError(t, sock.Connect(dst, 9))
			for k := range 5 {
				at(t, s, sim.Time(k)*sim.Millisecond, mustSend(t, sock, 100+k))
			}
		}
		s.Run()
		return trace
	}
	first := run(1)
	// 20 transmissions plus the deliveries; datagrams sent while a
	// jittered ARP request is pending beyond the 3-packet queue are dropped.
	assert.Greater(t, len(first), 30)
	assert.Equal(t, first, run(1))
	assert.NotEqual(t, first, run(7))
}

// An echo server may send the datagram it was lent straight back: the
// socket sends a copy, which keeps the uid.
func TestUDPEcho(t *testing.T) {
	pp := newP2P(t, fastLink(), sim.Millisecond)
	echo := pp.b.NewUDPSocket()
	require.NoError(t, echo.Bind(7))
	var served []uint64
	echo.SetRecvCallback(func(sock *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
		served = append(served, p.UID())
		require.NoError(t, sock.SendPacketTo(p, info.From, info.FromPort))
	})
	client := pp.a.NewUDPSocket()
	require.NoError(t, client.Connect(pp.link.Interfaces[1].Address(), 7))
	var back []arrival
	var backUID []uint64
	client.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
		back = append(back, arrival{At: pp.s.Now(), Size: p.Size(), From: info.From, FromPort: info.FromPort, Payload: string(p.Payload())})
		backUID = append(backUID, p.UID())
	})
	at(t, pp.s, 0, func() { require.NoError(t, client.SendPayload([]byte("ping"))) })
	pp.s.Run()
	require.Len(t, back, 1)
	assert.Equal(t, "ping", back[0].Payload)
	assert.Equal(t, uint16(7), back[0].FromPort)
	assert.Equal(t, 2*(sim.Millisecond+pp.link.Devices[0].Config().DataRate.TxTime(34)), back[0].At)
	assert.Equal(t, served, backUID)
	assert.Equal(t, int(pp.net.Pool().Allocated()), pp.net.Pool().Idle(), "every packet returned")
}

func TestUDPEphemeralWrapAndExhaustion(t *testing.T) {
	n, err := inet.NewNode(sim.New(1, 1), 0, inet.DefaultNodeConfig())
	require.NoError(t, err)
	var last *inet.UDPSocket
	for range 65535 - 49153 + 1 {
		last = n.NewUDPSocket()
		require.NoError(t, last.Bind(0))
	}
	assert.Equal(t, uint16(65535), last.LocalPort())
	wrapped := n.NewUDPSocket()
	require.NoError(t, wrapped.Bind(0))
	assert.Equal(t, uint16(49152), wrapped.LocalPort(), "wraps to the start of the range")
	assert.ErrorIs(t, n.NewUDPSocket().Bind(0), inet.ErrNoPorts)
	assert.ErrorIs(t, n.NewUDPSocket().Connect(1, 1), inet.ErrNoPorts)
	require.NoError(t, last.Close())
	again := n.NewUDPSocket()
	require.NoError(t, again.Bind(0))
	assert.Equal(t, uint16(65535), again.LocalPort())
}

// Frames the stack cannot handle are dropped with a reason.
func TestUnknownAndMalformed(t *testing.T) {
	pp := newP2P(t, fastLink(), 0)
	drops := logDrops(pp.b)
	dev := pp.link.Devices[0]
	peer := pp.link.Interfaces[1].Address()
	pool := pp.net.Pool()
	at(t, pp.s, 0, func() {
		// IPv6 on the wire: the node has no IPv6.
		require.NoError(t, dev.Send(pool.New(40), packet.BroadcastMac48, inet.EtherTypeIPv6))
		// IPv4 without an IPv4 header.
		require.NoError(t, dev.Send(pool.New(40), packet.BroadcastMac48, inet.EtherTypeIPv4))
		// IPv4 carrying TCP.
		p := pool.New(40)
		p.Push(&inet.IPv4Header{Src: pp.link.Interfaces[0].Address(), Dst: peer, Protocol: inet.ProtoTCP, TTL: 64, PayloadSize: 40})
		require.NoError(t, dev.Send(p, packet.BroadcastMac48, inet.EtherTypeIPv4))
		// UDP without a UDP header.
		q := pool.New(40)
		q.Push(&inet.IPv4Header{Src: pp.link.Interfaces[0].Address(), Dst: peer, Protocol: inet.ProtoUDP, TTL: 64, PayloadSize: 40})
		require.NoError(t, dev.Send(q, packet.BroadcastMac48, inet.EtherTypeIPv4))
	})
	pp.s.Run()
	assert.Equal(t, []inet.DropReason{inet.DropUnknownProtocol, inet.DropMalformed, inet.DropUnknownProtocol, inet.DropMalformed}, drops.reasons)
}

func TestHeaderStrings(t *testing.T) {
	a, b := packet.Mac48FromUint(1), packet.Mac48FromUint(2)
	tests := []struct {
		h    packet.Header
		want string
		size int
	}{
		{&inet.IPv4Header{Src: 0x0a010101, Dst: 0x0a010102, Protocol: 17, TTL: 64, ID: 3, PayloadSize: 108},
			"IPv4 10.1.1.1 > 10.1.1.2 proto=17 ttl=64 id=3 len=128", 20},
		{&inet.UDPHeader{SrcPort: 49153, DstPort: 9, Length: 108}, "UDP 49153 > 9 len=108", 8},
		{&inet.ARPHeader{Op: inet.ARPRequest, SrcMAC: a, SrcIP: 0x0a000001, DstMAC: packet.BroadcastMac48, DstIP: 0x0a000002},
			"ARP request who-has 10.0.0.2 tell 10.0.0.1 (00:00:00:00:00:01)", 28},
		{&inet.ARPHeader{Op: inet.ARPReply, SrcMAC: b, SrcIP: 0x0a000002, DstMAC: a, DstIP: 0x0a000001},
			"ARP reply 10.0.0.2 is-at 00:00:00:00:00:02 to 10.0.0.1 (00:00:00:00:00:01)", 28},
		{&inet.ARPHeader{Op: 9}, "ARP op=9 0.0.0.0 (00:00:00:00:00:00) > 0.0.0.0 (00:00:00:00:00:00)", 28},
		{&inet.PPPHeader{Protocol: inet.PPPProtoIPv4}, "PPP proto=0x0021", 2},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.h.String())
		assert.Equal(t, tt.size, tt.h.Size())
	}
	// Literal headers have no free list: Clone allocates, Release is a
	// no-op.
	h := &inet.IPv4Header{TTL: 9}
	c := h.Clone().(*inet.IPv4Header)
	assert.NotSame(t, h, c)
	assert.Equal(t, uint8(9), c.TTL)
	h.Release()
	u := &inet.UDPHeader{DstPort: 9}
	assert.Equal(t, uint16(9), u.Clone().(*inet.UDPHeader).DstPort)
	u.Release()
	for _, s := range []inet.NeighborState{inet.NeighborAlive, inet.NeighborWaitReply, inet.NeighborDead, inet.NeighborPermanent, 0} {
		assert.NotEmpty(t, s.String())
	}
}
