package channelif

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/spaces"
)

// p2pNet is two nodes on a point-to-point link.
type p2pNet struct {
	s    *sim.Simulator
	net  *inet.Network
	a, b *inet.Node
	link *inet.PointToPointLink
}

func newP2P(t testing.TB, cfg inet.PointToPointDeviceConfig, delay sim.Time) *p2pNet {
	t.Helper()
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	a, err := w.NewNode()
	require.NoError(t, err)
	b, err := w.NewNode()
	require.NoError(t, err)
	link, err := w.ConnectPointToPointWith(a, b, cfg, delay)
	require.NoError(t, err)
	return &p2pNet{s: s, net: w, a: a, b: b, link: link}
}

func p2pConfig(rate inet.DataRate) inet.PointToPointDeviceConfig {
	cfg := inet.DefaultPointToPointDeviceConfig()
	cfg.DataRate = rate
	return cfg
}

func socketIf(t testing.TB, n *inet.Node, cfg SocketConfig) *SocketChannelInterface {
	t.Helper()
	c, err := NewSocketChannelInterface(n, cfg)
	require.NoError(t, err)
	return c
}

// Arrival times computed by hand: a message of n bytes is a frame of
// n + 8 (UDP) + 20 (IPv4) + 2 (PPP) bytes; it takes frame*8/rate to send,
// one frame after the other, and arrives one link delay after its last bit.
// DiscreteValue(7) encodes in 2 bytes (frame 32 bytes = 256 bits), the
// five-element uint32 box in 8 (frame 38 bytes = 304 bits).
func TestSocketChannelInterfaceArrivalTimes(t *testing.T) {
	tests := []struct {
		name  string
		rate  inet.DataRate
		delay sim.Time
		want  []arrival // from a to b; b answers with one discrete value at once
		back  sim.Time  // arrival of b's answer at a
	}{
		{
			name: "1Mbps 2ms", rate: inet.Mbps, delay: 2 * sim.Millisecond,
			want: []arrival{
				{2*sim.Millisecond + 256*sim.Microsecond, "7"},                 // 256 bits at 1 Mb/s
				{2*sim.Millisecond + (256+304)*sim.Microsecond, "[1 2 3 4 5]"}, // queued behind the first
			},
			// b answers on the first arrival, at 2.256 ms: 256 µs + 2 ms later.
			back: 2*sim.Millisecond + 256*sim.Microsecond + 256*sim.Microsecond + 2*sim.Millisecond,
		},
		{
			name: "100Mbps 0", rate: 100 * inet.Mbps, delay: 0,
			want: []arrival{
				{2560 * sim.Nanosecond, "7"},
				{(2560 + 3040) * sim.Nanosecond, "[1 2 3 4 5]"},
			},
			back: 2 * 2560 * sim.Nanosecond,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := newP2P(t, p2pConfig(tc.rate), tc.delay)
			ia := socketIf(t, n.a, SocketConfig{})
			ib := socketIf(t, n.b, SocketConfig{Port: 9})
			require.NoError(t, ia.Connect(ib))

			var atB, atA []arrival
			ib.AddRecvCallback(recorder(n.s, &atB, ""))
			ia.AddRecvCallback(recorder(n.s, &atA, ""))
			answered := false
			ib.AddRecvCallback(func(spaces.Value) {
				if !answered {
					answered = true
					require.NoError(t, ib.Send(spaces.DiscreteValue(1)))
				}
			})
			n.s.Schedule(0, func() {
				require.NoError(t, ia.Send(spaces.DiscreteValue(7)))
				require.NoError(t, ia.Send(spaces.UintBox(1, 2, 3, 4, 5)))
			})
			n.s.Run()
			assert.Equal(t, tc.want, atB)
			assert.Equal(t, []arrival{{tc.back, "1"}}, atA)
			assert.Equal(t, InterfaceStats{TxMessages: 2, TxBytes: 10, RxMessages: 1, RxBytes: 2}, ia.Stats())
			assert.Equal(t, uint64(32+38), n.link.Devices[0].Stats().TxBytes)
			assert.Zero(t, ia.Pending())
			assert.Zero(t, ib.Pending())
		})
	}
}

func TestSocketChannelInterfaceAddresses(t *testing.T) {
	n := newP2P(t, p2pConfig(inet.Mbps), 0)
	ia := socketIf(t, n.a, SocketConfig{})
	ib := socketIf(t, n.b, SocketConfig{Port: 9})
	ia2 := socketIf(t, n.a, DefaultSocketConfig())
	addr, port := ia.LocalAddress()
	assert.Equal(t, "10.1.1.1:49153", fmt.Sprintf("%v:%d", addr, port), "DEFIANCE binds port 0: the first ephemeral port")
	addr, port = ia2.LocalAddress()
	assert.Equal(t, "10.1.1.1:49154", fmt.Sprintf("%v:%d", addr, port))
	addr, port = ib.LocalAddress()
	assert.Equal(t, "10.1.1.2:9", fmt.Sprintf("%v:%d", addr, port))

	_, _, ok := ia.Peer()
	assert.False(t, ok)
	require.NoError(t, ia.Connect(ib))
	peer, pport, ok := ia.Peer()
	assert.True(t, ok)
	assert.Equal(t, "10.1.1.2:9", fmt.Sprintf("%v:%d", peer, pport))
	peer, pport, _ = ib.Peer()
	assert.Equal(t, "10.1.1.1:49153", fmt.Sprintf("%v:%d", peer, pport))
	assert.Same(t, ib, ia.Partner())
	assert.Same(t, n.a, ia.Node())
	assert.Equal(t, StatusConnected, ib.Status())
}

func TestSocketChannelInterfaceConfigErrors(t *testing.T) {
	n := newP2P(t, p2pConfig(inet.Mbps), 0)
	socketIf(t, n.b, SocketConfig{Port: 9})
	tests := []struct {
		name    string
		node    *inet.Node
		cfg     SocketConfig
		is      error
		wantMsg string
	}{
		{"tcp", n.a, SocketConfig{Protocol: SocketTCP}, ErrTCPNotSupported,
			"channelif: TCP socket channel interfaces: TCP arrives with a later issue; use SocketUDP"},
		{"unknown protocol", n.a, SocketConfig{Protocol: 7}, nil, "channelif: unknown socket protocol SocketProtocol(7)"},
		{"negative lifetime", n.a, SocketConfig{MessageLifetime: -1}, nil, "channelif: socket message lifetime -1ns is negative"},
		{"nil node", nil, SocketConfig{}, nil, "channelif: NewSocketChannelInterface needs a node"},
		{"port in use", n.b, SocketConfig{Port: 9}, inet.ErrPortInUse, "channelif: socket channel interface on node 1: inet: port in use: node 1 port 9"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewSocketChannelInterface(tc.node, tc.cfg)
			assert.Nil(t, c)
			assert.EqualError(t, err, tc.wantMsg)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
		})
	}
	assert.NoError(t, DefaultSocketConfig().Validate())
	assert.Equal(t, "UDP", SocketUDP.String())
	assert.Equal(t, "TCP", SocketTCP.String())
}

func TestSocketChannelInterfaceConnectErrors(t *testing.T) {
	n := newP2P(t, p2pConfig(inet.Mbps), 0)
	lonely, err := n.net.NewNode() // no interface, no address
	require.NoError(t, err)
	other := newP2P(t, p2pConfig(inet.Mbps), 0)

	a, b, c := socketIf(t, n.a, SocketConfig{}), socketIf(t, n.b, SocketConfig{}), socketIf(t, n.b, SocketConfig{})
	closed := socketIf(t, n.b, SocketConfig{})
	require.NoError(t, closed.Close())
	require.NoError(t, a.Connect(b))
	simple, err := NewSimpleChannelInterface(n.s, 0)
	require.NoError(t, err)

	tests := []struct {
		name    string
		err     error
		is      error
		wantMsg string
	}{
		{"self", c.Connect(c), ErrIncompatibleInterface, ""},
		{"simple", c.Connect(simple), ErrIncompatibleInterface,
			"channelif: incompatible channel interfaces: a *SocketChannelInterface connects only to another, not to *channelif.SimpleChannelInterface"},
		{"simple to socket", simple.Connect(c), ErrIncompatibleInterface, ""},
		{"nil", c.Connect(nil), ErrIncompatibleInterface, ""},
		{"other simulation", c.Connect(socketIf(t, other.a, SocketConfig{})), ErrIncompatibleInterface,
			"channelif: incompatible channel interfaces: the interfaces belong to different simulations"},
		{"this connected", a.Connect(c), ErrAlreadyConnected,
			"channelif: channel interface is already connected: this interface is connected to 10.1.1.2:49153"},
		{"other connected", c.Connect(a), ErrAlreadyConnected,
			"channelif: channel interface is already connected: the other interface is connected to 10.1.1.2:49153"},
		{"closed", c.Connect(closed), ErrInterfaceClosed, ""},
		{"no address", c.Connect(socketIf(t, lonely, SocketConfig{})), nil, "channelif: node 2 has no IPv4 address to connect to"},
		{"no address here", socketIf(t, lonely, SocketConfig{}).Connect(c), nil, "channelif: node 2 has no IPv4 address to connect from"},
		{"connect to any", c.ConnectTo(inet.IPv4Any, 9), nil, "channelif: cannot connect to 0.0.0.0:9"},
		{"connect to port 0", c.ConnectTo(inet.IPv4AddrFrom4(10, 1, 1, 1), 0), nil, "channelif: cannot connect to 10.1.1.1:0"},
		{"connect to broadcast", c.ConnectTo(inet.IPv4Broadcast, 9), nil, "channelif: cannot connect to broadcast or multicast address 255.255.255.255"},
		{"connect to when connected", a.ConnectTo(inet.IPv4AddrFrom4(10, 1, 1, 2), 9), ErrAlreadyConnected, ""},
		{"connect to when closed", closed.ConnectTo(inet.IPv4AddrFrom4(10, 1, 1, 2), 9), ErrInterfaceClosed, ""},
		{"send unconnected", c.Send(spaces.DiscreteValue(1)), ErrNotConnected, "channelif: channel interface is not connected"},
		{"send closed", closed.Send(spaces.DiscreteValue(1)), ErrInterfaceClosed, "channelif: channel interface is closed"},
		{"disconnect unconnected", c.Disconnect(), ErrNotConnected, ""},
		{"close twice", closed.Close(), ErrInterfaceClosed, ""},
		{"nil message", a.Send(nil), ErrNilMessage, ""},
		{"nil message sized", a.SendSized(nil, 1), ErrNilMessage, ""},
		{"invalid message", a.Send(&spaces.BoxValue{}), spaces.ErrInvalidValue, ""},
		{"negative size", a.SendSized(spaces.DiscreteValue(1), -1), nil, "channelif: message size -1 outside 0..65507"},
		{"too large for UDP", a.SendSized(spaces.DiscreteValue(1), 65508), nil, "channelif: message size 65508 outside 0..65507"},
		{"too large for the MTU", a.SendSized(spaces.DiscreteValue(1), 1473), inet.ErrMessageTooLarge,
			"channelif: socket channel interface send to 10.1.1.2:49153: inet: message too large: 1501-byte IPv4 packet exceeds MTU 1500 of node 0 if 0 10.1.1.1/24 (netgym does not fragment)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Error(t, tc.err)
			if tc.is != nil {
				assert.ErrorIs(t, tc.err, tc.is)
			}
			if tc.wantMsg != "" {
				assert.EqualError(t, tc.err, tc.wantMsg)
			}
		})
	}
	assert.Same(t, b, a.Partner(), "failed connects keep the old connection")
	assert.Zero(t, a.Pending(), "a refused datagram leaves nothing pending")
	assert.Zero(t, a.Stats().TxMessages)
	require.NoError(t, a.SendSized(spaces.DiscreteValue(1), 1472), "the largest message that fits the MTU")
}

func TestSocketChannelInterfaceDisconnectStopsDelivery(t *testing.T) {
	n := newP2P(t, p2pConfig(inet.Mbps), 2*sim.Millisecond)
	a := socketIf(t, n.a, SocketConfig{})
	a2 := socketIf(t, n.a, SocketConfig{})
	b := socketIf(t, n.b, SocketConfig{})
	require.NoError(t, a.Connect(b))
	var got []arrival
	b.AddRecvCallback(recorder(n.s, &got, "b:"))
	a.AddRecvCallback(recorder(n.s, &got, "a:"))
	a2.AddRecvCallback(recorder(n.s, &got, "a2:"))

	n.s.Schedule(0, func() { require.NoError(t, a.Send(spaces.DiscreteValue(1))) })
	n.s.Schedule(sim.Millisecond, func() {
		require.NoError(t, b.Disconnect()) // both sides
		assert.False(t, a.Connected())
		assert.ErrorIs(t, a.Send(spaces.DiscreteValue(2)), ErrNotConnected)
		assert.ErrorIs(t, b.Send(spaces.DiscreteValue(2)), ErrNotConnected)
		assert.Zero(t, a.Pending(), "the message in flight is forgotten")
	})
	// As DEFIANCE's example: another interface connects to b afterwards.
	n.s.Schedule(10*sim.Millisecond, func() {
		require.NoError(t, a2.Connect(b))
		require.NoError(t, b.Send(spaces.DiscreteValue(3)))
	})
	n.s.Run()
	assert.Equal(t, []arrival{{12*sim.Millisecond + 256*sim.Microsecond, "a2:3"}}, got)
	assert.Equal(t, uint64(1), b.Stats().Dropped)
}

func TestSocketChannelInterfaceSeveralPairsAndConnectTo(t *testing.T) {
	n := newP2P(t, p2pConfig(10*inet.Mbps), sim.Millisecond)
	a1, a2 := socketIf(t, n.a, SocketConfig{}), socketIf(t, n.a, SocketConfig{})
	b1, b2 := socketIf(t, n.b, SocketConfig{}), socketIf(t, n.b, SocketConfig{})
	require.NoError(t, a1.Connect(b1))
	require.NoError(t, a2.Connect(b2))
	// A third interface on a sends to b2 without pairing (many to one).
	a3 := socketIf(t, n.a, SocketConfig{})
	addr, port := b2.LocalAddress()
	require.NoError(t, a3.ConnectTo(addr, port))
	assert.True(t, a3.Connected())
	assert.Nil(t, a3.Partner())

	var got []string
	for name, c := range map[string]*SocketChannelInterface{"a1": a1, "a2": a2, "b1": b1, "b2": b2} {
		c.AddRecvCallback(func(msg spaces.Value) { got = append(got, name+" "+msg.String()) })
	}
	n.s.Schedule(0, func() {
		require.NoError(t, a1.Send(spaces.DiscreteValue(1)))
		require.NoError(t, a2.Send(spaces.DiscreteValue(2)))
		require.NoError(t, a3.Send(spaces.DiscreteValue(3)))
		require.NoError(t, b1.Send(spaces.DiscreteValue(4)))
		require.NoError(t, b2.Send(spaces.DiscreteValue(5)))
	})
	n.s.Run()
	assert.ElementsMatch(t, []string{"b1 1", "b2 2", "b2 3", "a1 4", "a2 5"}, got)
	assert.Equal(t, []string{"b1 1", "b2 2", "b2 3"}, filterPrefix(got, "b"), "in send order")

	require.NoError(t, a3.Disconnect())
	assert.True(t, b2.Connected(), "a one-sided connection ends on one side")
	assert.True(t, a2.Connected())
}

func filterPrefix(s []string, prefix string) []string {
	var out []string
	for _, x := range s {
		if x[:len(prefix)] == prefix {
			out = append(out, x)
		}
	}
	return out
}

func TestSocketChannelInterfaceSameNode(t *testing.T) {
	n := newP2P(t, p2pConfig(inet.Mbps), sim.Millisecond)
	a, b := socketIf(t, n.a, SocketConfig{}), socketIf(t, n.a, SocketConfig{})
	require.NoError(t, a.Connect(b))
	var got []arrival
	b.AddRecvCallback(recorder(n.s, &got, ""))
	n.s.Schedule(sim.Second, func() { require.NoError(t, a.Send(spaces.DiscreteValue(4))) })
	n.s.Run()
	assert.Equal(t, []arrival{{sim.Second, "4"}}, got, "through the loopback, at once")
}

func TestSocketChannelInterfaceSizer(t *testing.T) {
	n := newP2P(t, p2pConfig(inet.Mbps), 0)
	a := socketIf(t, n.a, SocketConfig{Sizer: func(spaces.Value) (int, error) { return 100, nil }})
	b := socketIf(t, n.b, SocketConfig{})
	require.NoError(t, a.Connect(b))
	var got []arrival
	b.AddRecvCallback(recorder(n.s, &got, ""))
	n.s.Schedule(0, func() { require.NoError(t, a.Send(spaces.DiscreteValue(4))) })
	n.s.Run()
	// 100 + 30 bytes = 1040 bits at 1 Mb/s.
	assert.Equal(t, []arrival{{1040 * sim.Microsecond, "4"}}, got)
	assert.Equal(t, uint64(100), b.Stats().RxBytes)
}

func TestSocketChannelInterfaceLostMessagesExpire(t *testing.T) {
	cfg := p2pConfig(inet.Mbps)
	cfg.QueueSize = 1
	n := newP2P(t, cfg, 0)
	a := socketIf(t, n.a, SocketConfig{MessageLifetime: sim.Second})
	b := socketIf(t, n.b, SocketConfig{})
	require.NoError(t, a.Connect(b))
	received := 0
	b.AddRecvCallback(func(spaces.Value) { received++ })

	burst := func(k int) {
		for i := range k {
			require.NoError(t, a.Send(spaces.DiscreteValue(i)))
		}
	}
	// One frame on the wire and one in the queue: 98 of 100 are dropped by
	// the device, and their values wait in vain.
	n.s.Schedule(0, func() { burst(100) })
	n.s.RunUntil(2 * sim.Second)
	assert.Equal(t, 2, received)
	assert.Equal(t, uint64(98), n.a.Drops(inet.DropDeviceQueueFull))
	assert.Equal(t, 98, a.Pending())
	// The next sweep (when the map has doubled to 128) forgets them.
	n.s.Schedule(0, func() { burst(30) })
	n.s.RunUntil(n.s.Now() + 1)
	assert.Equal(t, uint64(98), a.Stats().Expired)
	assert.Equal(t, 30, a.Pending())
	n.s.Run()
	assert.Equal(t, 4, received)
	assert.Equal(t, 28, a.Pending())
}

func TestSocketChannelInterfaceIgnoresForeignDatagrams(t *testing.T) {
	n := newP2P(t, p2pConfig(inet.Mbps), 0)
	b := socketIf(t, n.b, SocketConfig{Port: 9})
	received := 0
	b.AddRecvCallback(func(spaces.Value) { received++ })
	raw := n.a.NewUDPSocket()
	require.NoError(t, raw.Connect(inet.IPv4AddrFrom4(10, 1, 1, 2), 9))
	n.s.Schedule(0, func() {
		require.NoError(t, raw.Send(10))
		p := n.net.Pool().New(3)
		p.AddTag(&socketTag{from: b}) // a tag with no pending message
		require.NoError(t, raw.SendPacket(p))
	})
	n.s.Run()
	assert.Zero(t, received)
	assert.Equal(t, uint64(1), b.Stats().Dropped)
	assert.Equal(t, "channelif message", (&socketTag{}).String())
	var _ packet.Tag = (*socketTag)(nil)
}

func socketTrace(t *testing.T, seed uint64) []arrival {
	cfg := p2pConfig(inet.Mbps)
	cfg.QueueSize = 5
	n := newP2P(t, cfg, sim.Millisecond)
	r := n.s.Stream("test/socket")
	var log []arrival
	var senders []*SocketChannelInterface
	for i := range 3 {
		a, b := socketIf(t, n.a, SocketConfig{}), socketIf(t, n.b, SocketConfig{})
		require.NoError(t, a.Connect(b))
		b.AddRecvCallback(recorder(n.s, &log, fmt.Sprintf("%d:", i)))
		senders = append(senders, a)
	}
	for range 300 {
		at := sim.Time(r.Int64N(int64(100 * sim.Millisecond)))
		from := senders[r.IntN(3)]
		v := spaces.UintBox(make([]uint32, r.IntN(50))...)
		n.s.Schedule(at, func() { require.NoError(t, from.Send(v)) })
	}
	n.s.Run()
	return log
}

func TestSocketChannelInterfaceDeterminism(t *testing.T) {
	first := socketTrace(t, 1)
	require.NotEmpty(t, first)
	assert.Less(t, len(first), 300, "the small queue drops some")
	assert.Equal(t, first, socketTrace(t, 1))
}

func TestSocketChannelInterfaceAllocations(t *testing.T) {
	n := newP2P(t, p2pConfig(100*inet.Mbps), sim.Millisecond)
	a := socketIf(t, n.a, SocketConfig{})
	b := socketIf(t, n.b, SocketConfig{})
	require.NoError(t, a.Connect(b))
	got := 0
	b.AddRecvCallback(func(spaces.Value) { got++ })
	var msg spaces.Value = spaces.NewDictValue().Set("obs", spaces.UintBox(1, 2, 3, 4, 5))
	step := func() {
		if err := a.Send(msg); err != nil {
			t.Fatal(err)
		}
		n.s.RunUntil(n.s.Now() + 2*sim.Millisecond)
	}
	for range 1000 {
		step()
	}
	allocs := testing.AllocsPerRun(1000, step)
	assert.Zero(t, allocs)
	assert.Equal(t, 1000+1001, got)
}

func TestSocketChannelInterfaceCloseAndCallbacks(t *testing.T) {
	n := newP2P(t, p2pConfig(inet.Mbps), 0)
	a, b := socketIf(t, n.a, SocketConfig{}), socketIf(t, n.b, SocketConfig{Port: 9})
	require.NoError(t, a.Connect(b))
	received := 0
	id := b.AddRecvCallback(func(spaces.Value) { received++ })
	n.s.Schedule(0, func() { require.NoError(t, a.Send(spaces.DiscreteValue(1))) })
	n.s.Run()
	assert.True(t, b.RemoveRecvCallback(id))
	assert.False(t, b.RemoveRecvCallback(id))
	n.s.Schedule(0, func() { require.NoError(t, a.Send(spaces.DiscreteValue(2))) })
	n.s.Run()
	assert.Equal(t, 1, received)

	require.NoError(t, b.Close(), "closing disconnects both sides and frees the port")
	assert.False(t, a.Connected())
	socketIf(t, n.b, SocketConfig{Port: 9})
}

func TestConnectionStatusString(t *testing.T) {
	for s, want := range map[ConnectionStatus]string{
		StatusDisconnected: "Disconnected", StatusConnecting: "Connecting", StatusConnected: "Connected", 9: "ConnectionStatus(?)",
	} {
		assert.Equal(t, want, s.String())
	}
	assert.Equal(t, "SocketProtocol(7)", SocketProtocol(7).String())
}
