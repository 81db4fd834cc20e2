package inet_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// gtpuPort is the GTP-U port, where an EPC node has one endpoint per local
// address.
const gtpuPort = 2152

// Two GTP-U endpoints on port 2152 of one node, bound to different local
// addresses, and a wildcard socket on the same port: each datagram goes to
// the socket bound to its destination address, the others to the wildcard.
func TestSocketsOnOnePortByAddress(t *testing.T) {
	s := sim.New(1, 1)
	w := inet.NewNetwork(s)
	sgw, err := w.NewNode()
	require.NoError(t, err)
	enb, err := w.NewNode()
	require.NoError(t, err)
	pgw, err := w.NewNode()
	require.NoError(t, err)
	cfg := fastLink()
	s1u, err := w.ConnectPointToPointWith(enb, sgw, cfg, sim.Millisecond) // 10.1.1.0/24
	require.NoError(t, err)
	s5, err := w.ConnectPointToPointWith(pgw, sgw, cfg, 2*sim.Millisecond) // 10.1.2.0/24
	require.NoError(t, err)
	// A third address on the S1-U interface with no socket of its own.
	require.NoError(t, s1u.Interfaces[1].AddAddress(inet.InterfaceAddress{Local: ip(t, "10.1.1.9"), Mask: 0xffffff00}))

	type rx struct {
		sock       string
		size       int
		to         string
		from       string
		iface, ttl int
		at         sim.Time
	}
	var got []rx
	bind := func(name string, addr inet.IPv4Addr) *inet.UDPSocket {
		sock := sgw.NewUDPSocket()
		require.NoError(t, sock.BindAddr(addr, gtpuPort))
		sock.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
			got = append(got, rx{name, p.Size(), info.To.String(), info.From.String(), info.Interface.Index(), int(info.TTL), s.Now()})
		})
		return sock
	}
	s1uSock := bind("s1u", s1u.Interfaces[1].Address())
	s5Sock := bind("s5", s5.Interfaces[1].Address())
	anySock := bind("any", inet.IPv4Any)
	assert.Equal(t, "10.1.1.2", s1uSock.LocalAddress().String())
	assert.Equal(t, uint16(gtpuPort), s1uSock.LocalPort())
	assert.Equal(t, inet.IPv4Any, anySock.LocalAddress())

	fromENB := enb.NewUDPSocket()
	require.NoError(t, fromENB.Bind(gtpuPort))
	fromPGW := pgw.NewUDPSocket()
	require.NoError(t, fromPGW.Bind(gtpuPort))
	at(t, s, 0, func() {
		require.NoError(t, fromENB.SendTo(100, ip(t, "10.1.1.2"), gtpuPort))
		require.NoError(t, fromPGW.SendTo(200, ip(t, "10.1.2.2"), gtpuPort))
		require.NoError(t, fromENB.SendTo(300, ip(t, "10.1.1.9"), gtpuPort))
	})
	s.Run()
	// 100 B payload: 130-byte frame, 10.4 µs at 100 Mb/s, 1 ms delay; the
	// 300-byte one queues behind it (10.4 + 26.4 µs).
	want := []rx{
		{"s1u", 100, "10.1.1.2", "10.1.1.1", 0, 64, 10400 + sim.Millisecond},
		{"any", 300, "10.1.1.9", "10.1.1.1", 0, 64, 10400 + 26400 + sim.Millisecond},
		{"s5", 200, "10.1.2.2", "10.1.2.1", 1, 64, 18400 + 2*sim.Millisecond},
	}
	assert.Equal(t, want, got)

	// Closing the address-bound socket sends its traffic to the wildcard.
	got = nil
	require.NoError(t, s1uSock.Close())
	at(t, s, sim.Second, func() { require.NoError(t, fromENB.SendTo(10, ip(t, "10.1.1.2"), gtpuPort)) })
	s.Run()
	require.Len(t, got, 1)
	assert.Equal(t, "any", got[0].sock)
	// And without the wildcard, the S1-U address has no socket: dropped.
	got = nil
	require.NoError(t, anySock.Close())
	drops := logDrops(sgw)
	at(t, s, 2*sim.Second, func() { require.NoError(t, fromENB.SendTo(10, ip(t, "10.1.1.2"), gtpuPort)) })
	s.Run()
	assert.Empty(t, got)
	assert.Equal(t, []inet.DropReason{inet.DropNoSocket}, drops.reasons)
	assert.Equal(t, inet.UDPStats{RxPackets: 1, RxBytes: 200}, s5Sock.Stats())
}

// Binding follows ns-3's Ipv4EndPointDemux::Allocate: only the same
// (address, port) pair conflicts, whatever the order.
func TestBindConflicts(t *testing.T) {
	a, b := ip(t, "10.0.0.1"), ip(t, "10.0.0.2")
	type bind struct {
		addr inet.IPv4Addr
		port uint16
	}
	tests := []struct {
		name   string
		first  bind
		second bind
		want   error
	}{
		{"wildcard twice", bind{0, 7}, bind{0, 7}, inet.ErrPortInUse},
		{"address twice", bind{a, 7}, bind{a, 7}, inet.ErrPortInUse},
		{"wildcard then address", bind{0, 7}, bind{a, 7}, nil},
		{"address then wildcard", bind{a, 7}, bind{0, 7}, nil},
		{"two addresses", bind{a, 7}, bind{b, 7}, nil},
		{"other port", bind{a, 7}, bind{a, 8}, nil},
		{"address not on the node", bind{0, 7}, bind{ip(t, "10.0.0.3"), 7}, inet.ErrAddressNotAvailable},
		{"broadcast address", bind{0, 7}, bind{ip(t, "10.0.0.255"), 8}, inet.ErrAddressNotAvailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := inet.NewNode(sim.New(1, 1), 0, inet.DefaultNodeConfig())
			require.NoError(t, err)
			ifc, err := n.AddInterface(&nullDevice{mtu: 1500}, a, 0xffffff00)
			require.NoError(t, err)
			require.NoError(t, ifc.AddAddress(inet.InterfaceAddress{Local: b, Mask: 0xffffff00}))
			require.NoError(t, n.NewUDPSocket().BindAddr(tt.first.addr, tt.first.port))
			err = n.NewUDPSocket().BindAddr(tt.second.addr, tt.second.port)
			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
}

// Ephemeral ports skip every port with a socket on any address (ns-3's
// LookupPortLocal); a socket bound to an address sends from it.
func TestBoundSocketEphemeralAndSource(t *testing.T) {
	pp := newP2P(t, fastLink(), 0)
	ifc := pp.link.Interfaces[0]
	require.NoError(t, ifc.AddAddress(inet.InterfaceAddress{Local: ip(t, "10.1.1.50"), Mask: 0xffffff00}))
	first := pp.a.NewUDPSocket()
	require.NoError(t, first.BindAddr(ip(t, "10.1.1.50"), 0))
	assert.Equal(t, uint16(49153), first.LocalPort())
	second := pp.a.NewUDPSocket()
	require.NoError(t, second.Bind(0))
	assert.Equal(t, uint16(49154), second.LocalPort(), "49153 is taken on another address")
	assert.ErrorIs(t, second.BindAddr(ip(t, "10.1.1.50"), 9), inet.ErrAlreadyBound)

	_, got := sink(t, pp.b, 9)
	require.NoError(t, first.SendTo(20, pp.link.Interfaces[1].Address(), 9))
	require.NoError(t, second.SendTo(21, pp.link.Interfaces[1].Address(), 9))
	pp.s.Run()
	require.Len(t, *got, 2)
	assert.Equal(t, "10.1.1.50", (*got)[0].From.String(), "bound address as source")
	assert.Equal(t, "10.1.1.1", (*got)[1].From.String(), "wildcard: source by route")
}

// RecvInfo carries the TOS a sender set and the TTL left on arrival.
func TestRecvInfoTOSAndTTL(t *testing.T) {
	l := newLine(t, 64, 1500)
	var infos []inet.RecvInfo
	sock := l.b.NewUDPSocket()
	require.NoError(t, sock.Bind(10))
	sock.SetRecvCallback(func(_ *inet.UDPSocket, _ *packet.Packet, info inet.RecvInfo) { infos = append(infos, info) })
	tx := l.a.NewUDPSocket()
	tx.SetTOS(0xb8)
	require.NoError(t, tx.SendTo(10, l.rb.Interfaces[1].Address(), 10))
	l.s.Run()
	require.Len(t, infos, 1)
	assert.Equal(t, uint8(0xb8), infos[0].TOS)
	assert.Equal(t, uint8(63), infos[0].TTL, "one router")
	assert.Equal(t, l.rb.Interfaces[1].Address(), infos[0].To)
	assert.Same(t, l.rb.Interfaces[1], infos[0].Interface)
	assert.Equal(t, uint16(49153), infos[0].FromPort)
}
