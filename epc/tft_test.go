package epc_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

func ip(t testing.TB, s string) inet.IPv4Addr {
	t.Helper()
	a, err := inet.ParseIPv4(s)
	require.NoError(t, err)
	return a
}

func mustTFT(t testing.TB, filters ...epc.PacketFilter) *epc.TFT {
	t.Helper()
	tft, err := epc.NewTFT(filters...)
	require.NoError(t, err)
	return tft
}

// udpPacket builds a packet as IPv4 would hand it to a device: IPv4 and
// UDP headers on a payload.
func udpPacket(src, dst inet.IPv4Addr, sport, dport uint16, tos uint8) *packet.Packet {
	p := packet.NewPool().New(10)
	p.Push(&inet.UDPHeader{SrcPort: sport, DstPort: dport, Length: 18})
	p.Push(&inet.IPv4Header{Src: src, Dst: dst, Protocol: inet.ProtoUDP, TTL: 64, TOS: tos, PayloadSize: 18})
	return p
}

// ns3Classifiers builds the four classifiers of ns-3.45's
// src/lte/test/test-epc-tft-classifier.cc (EpcTftClassifierTestSuite):
// c1 two dedicated TFTs, c2 the default TFT alone, c3 the default TFT
// plus c1's two, c4 two single-port TFTs.
func ns3Classifiers(t *testing.T) map[string]*epc.Classifier {
	pf := func(mut func(*epc.PacketFilter)) epc.PacketFilter {
		f := epc.DefaultPacketFilter()
		mut(&f)
		return f
	}
	pf111 := pf(func(f *epc.PacketFilter) {
		f.RemoteAddress, f.RemoteMask = ip(t, "1.0.0.0"), 0xff000000
		f.LocalAddress, f.LocalMask = ip(t, "2.0.0.0"), 0xff000000
	})
	pf112 := pf(func(f *epc.PacketFilter) {
		f.RemoteAddress, f.RemoteMask = ip(t, "3.3.3.0"), 0xffffff00
		f.LocalAddress, f.LocalMask = ip(t, "4.4.4.0"), 0xffffff00
	})
	pf121 := pf(func(f *epc.PacketFilter) { f.RemotePortStart, f.RemotePortEnd = 1024, 1035 })
	pf122 := pf(func(f *epc.PacketFilter) { f.LocalPortStart, f.LocalPortEnd = 3456, 3489 })
	pf123 := pf(func(f *epc.PacketFilter) { f.LocalPortStart, f.LocalPortEnd = 7895, 7895 })
	pf124 := pf(func(f *epc.PacketFilter) { f.RemotePortStart, f.RemotePortEnd = 5897, 5897 })
	tft11 := mustTFT(t, pf111, pf112)
	tft12 := mustTFT(t, pf121, pf122, pf123, pf124)
	add := func(c *epc.Classifier, id uint32, tft *epc.TFT) {
		require.NoError(t, c.Add(id, tft))
	}
	c1, c2, c3, c4 := &epc.Classifier{}, &epc.Classifier{}, &epc.Classifier{}, &epc.Classifier{}
	add(c1, 1, tft11)
	add(c1, 2, tft12)
	add(c2, 1, epc.DefaultTFT())
	add(c3, 1, epc.DefaultTFT())
	add(c3, 2, tft11)
	add(c3, 3, tft12)
	add(c4, 1, mustTFT(t, pf123))
	add(c4, 2, mustTFT(t, pf124))
	return map[string]*epc.Classifier{"c1": c1, "c2": c2, "c3": c3, "c4": c4}
}

// TestClassifierNS3Vectors runs the IPv4 cases of ns-3.45's
// eps-tft-classifier test suite: a UDP packet with the given source and
// destination addresses and ports, classified uplink or downlink, must
// select the given TFT id (0: none).
func TestClassifierNS3Vectors(t *testing.T) {
	cs := ns3Classifiers(t)
	cases := []struct {
		classifier string
		dir        epc.Direction
		src, dst   string
		sport      uint16
		dport      uint16
		tos        uint8
		want       uint32
	}{
		{"c1", epc.Uplink, "2.2.3.4", "1.1.1.1", 4, 1234, 0, 1},
		{"c1", epc.Uplink, "2.2.3.4", "1.0.0.0", 2, 123, 5, 1},
		{"c1", epc.Uplink, "6.2.3.4", "1.1.1.1", 4, 1234, 0, 0},
		{"c1", epc.Downlink, "3.3.3.4", "4.4.4.1", 4, 1234, 0, 1},
		{"c1", epc.Downlink, "3.3.4.4", "4.4.4.1", 4, 1234, 0, 0},
		{"c1", epc.Uplink, "3.3.3.4", "4.4.2.1", 4, 1234, 0, 0},
		{"c1", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 1024, 0, 2},
		{"c1", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 1025, 0, 2},
		{"c1", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 1035, 0, 2},
		{"c1", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 1234, 0, 0},
		{"c1", epc.Downlink, "9.1.1.1", "8.1.1.1", 4, 1024, 0, 0},
		{"c1", epc.Downlink, "9.1.1.1", "8.1.1.1", 4, 1025, 0, 0},
		{"c1", epc.Downlink, "9.1.1.1", "8.1.1.1", 4, 1035, 0, 0},
		{"c1", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 3456, 0, 0},
		{"c1", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 3457, 0, 0},
		{"c1", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 3489, 0, 0},
		{"c1", epc.Uplink, "9.1.1.1", "8.1.1.1", 3456, 6, 0, 2},
		{"c1", epc.Downlink, "9.1.1.1", "8.1.1.1", 3461, 3461, 0, 2},
		{"c1", epc.Downlink, "9.1.1.1", "8.1.1.1", 9, 3489, 0, 2},
		{"c1", epc.Downlink, "9.1.1.1", "8.1.1.1", 9, 7895, 0, 2},
		{"c1", epc.Uplink, "9.1.1.1", "8.1.1.1", 7895, 10, 0, 2},
		{"c1", epc.Uplink, "9.1.1.1", "8.1.1.1", 9, 5897, 0, 2},
		{"c1", epc.Downlink, "9.1.1.1", "8.1.1.1", 5897, 10, 0, 2},
		{"c2", epc.Uplink, "2.2.3.4", "1.1.1.1", 4, 1234, 0, 1},
		{"c2", epc.Uplink, "2.2.3.4", "1.0.0.0", 2, 123, 5, 1},
		{"c2", epc.Uplink, "6.2.3.4", "1.1.1.1", 4, 1234, 0, 1},
		{"c2", epc.Downlink, "3.3.3.4", "4.4.4.1", 4, 1234, 0, 1},
		{"c2", epc.Downlink, "3.3.4.4", "4.4.4.1", 4, 1234, 0, 1},
		{"c2", epc.Uplink, "3.3.3.4", "4.4.2.1", 4, 1234, 0, 1},
		{"c2", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 1024, 0, 1},
		{"c2", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 1025, 0, 1},
		{"c2", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 1035, 0, 1},
		{"c2", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 1234, 0, 1},
		{"c2", epc.Downlink, "9.1.1.1", "8.1.1.1", 4, 1024, 0, 1},
		{"c2", epc.Downlink, "9.1.1.1", "8.1.1.1", 4, 1025, 0, 1},
		{"c2", epc.Downlink, "9.1.1.1", "8.1.1.1", 4, 1035, 0, 1},
		{"c2", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 3456, 0, 1},
		{"c2", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 3457, 0, 1},
		{"c2", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 3489, 0, 1},
		{"c2", epc.Uplink, "9.1.1.1", "8.1.1.1", 3456, 6, 0, 1},
		{"c2", epc.Downlink, "9.1.1.1", "8.1.1.1", 3461, 3461, 0, 1},
		{"c2", epc.Downlink, "9.1.1.1", "8.1.1.1", 9, 3489, 0, 1},
		{"c3", epc.Uplink, "2.2.3.4", "1.1.1.1", 4, 1234, 0, 2},
		{"c3", epc.Uplink, "2.2.3.4", "1.0.0.0", 2, 123, 5, 2},
		{"c3", epc.Uplink, "6.2.3.4", "1.1.1.1", 4, 1234, 0, 1},
		{"c3", epc.Downlink, "3.3.3.4", "4.4.4.1", 4, 1234, 0, 2},
		{"c3", epc.Downlink, "3.3.4.4", "4.4.4.1", 4, 1234, 0, 1},
		{"c3", epc.Uplink, "3.3.3.4", "4.4.2.1", 4, 1234, 0, 1},
		{"c3", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 1024, 0, 3},
		{"c3", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 1025, 0, 3},
		{"c3", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 1035, 0, 3},
		{"c3", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 1234, 0, 1},
		{"c3", epc.Downlink, "9.1.1.1", "8.1.1.1", 4, 1024, 0, 1},
		{"c3", epc.Downlink, "9.1.1.1", "8.1.1.1", 4, 1025, 0, 1},
		{"c3", epc.Downlink, "9.1.1.1", "8.1.1.1", 4, 1035, 0, 1},
		{"c3", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 3456, 0, 1},
		{"c3", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 3457, 0, 1},
		{"c3", epc.Uplink, "9.1.1.1", "8.1.1.1", 4, 3489, 0, 1},
		{"c3", epc.Uplink, "9.1.1.1", "8.1.1.1", 3456, 6, 0, 3},
		{"c3", epc.Downlink, "9.1.1.1", "8.1.1.1", 3461, 3461, 0, 3},
		{"c3", epc.Downlink, "9.1.1.1", "8.1.1.1", 9, 3489, 0, 3},
		{"c4", epc.Downlink, "9.1.1.1", "8.1.1.1", 9, 3489, 0, 0},
		{"c4", epc.Downlink, "9.1.1.1", "8.1.1.1", 9, 7895, 0, 1},
		{"c4", epc.Uplink, "9.1.1.1", "8.1.1.1", 7895, 10, 0, 1},
		{"c4", epc.Uplink, "9.1.1.1", "8.1.1.1", 9, 5897, 0, 2},
		{"c4", epc.Downlink, "9.1.1.1", "8.1.1.1", 5897, 10, 0, 2},
	}
	for i, tc := range cases {
		p := udpPacket(ip(t, tc.src), ip(t, tc.dst), tc.sport, tc.dport, tc.tos)
		got := cs[tc.classifier].Classify(p, tc.dir)
		require.Equal(t, tc.want, got, "case %d: %s %v %s:%d > %s:%d", i, tc.classifier, tc.dir, tc.src, tc.sport, tc.dst, tc.dport)
	}
}

// TestPacketFilterMatches checks each field of a filter at the edges of
// its range, in both directions.
func TestPacketFilterMatches(t *testing.T) {
	f := epc.PacketFilter{
		Precedence:    10,
		Direction:     epc.Uplink,
		RemoteAddress: ip(t, "1.2.0.0"), RemoteMask: 0xffff0000,
		LocalAddress: ip(t, "7.0.0.0"), LocalMask: 0xff000000,
		RemotePortStart: 1000, RemotePortEnd: 1999,
		LocalPortStart: 5000, LocalPortEnd: 5000,
		TypeOfService: 0xb8, TypeOfServiceMask: 0xfc,
	}
	require.NoError(t, f.Validate())
	type flow struct {
		d            epc.Direction
		remote       string
		local        string
		rport, lport uint16
		tos          uint8
	}
	base := flow{epc.Uplink, "1.2.3.4", "7.0.0.2", 1000, 5000, 0xb8}
	cases := []struct {
		name string
		mut  func(*flow)
		want bool
	}{
		{"all fields in range", func(*flow) {}, true},
		{"downlink packet, uplink filter", func(f *flow) { f.d = epc.Downlink }, false},
		{"remote address just outside /16", func(f *flow) { f.remote = "1.3.0.0" }, false},
		{"remote address last of /16", func(f *flow) { f.remote = "1.2.255.255" }, true},
		{"local address outside /8", func(f *flow) { f.local = "8.0.0.2" }, false},
		{"remote port at range end", func(f *flow) { f.rport = 1999 }, true},
		{"remote port after range", func(f *flow) { f.rport = 2000 }, false},
		{"remote port before range", func(f *flow) { f.rport = 999 }, false},
		{"local port other than the one", func(f *flow) { f.lport = 5001 }, false},
		{"TOS differs in masked-out ECN bits", func(f *flow) { f.tos = 0xbb }, true},
		{"TOS differs in DSCP", func(f *flow) { f.tos = 0xa0 }, false},
	}
	for _, tc := range cases {
		fl := base
		tc.mut(&fl)
		got := f.Matches(fl.d, ip(t, fl.remote), ip(t, fl.local), fl.rport, fl.lport, fl.tos)
		require.Equal(t, tc.want, got, tc.name)
	}

	def := epc.DefaultPacketFilter()
	for _, d := range []epc.Direction{epc.Uplink, epc.Downlink} {
		require.True(t, def.Matches(d, ip(t, "200.1.1.1"), ip(t, "7.0.0.9"), 0, 65535, 0xff), "default filter %v", d)
	}
	down := epc.DefaultPacketFilter()
	down.Direction = epc.Downlink
	require.False(t, down.Matches(epc.Uplink, 0, 0, 0, 0, 0))
	require.True(t, down.Matches(epc.Downlink, 0, 0, 0, 0, 0))
}

// TestTFTPrecedence: filters are kept in precedence order, equal
// precedences in the order they were added (ns-3's EpcTft::Add).
func TestTFTPrecedence(t *testing.T) {
	mk := func(prec uint8, port uint16) epc.PacketFilter {
		f := epc.DefaultPacketFilter()
		f.Precedence, f.RemotePortStart, f.RemotePortEnd = prec, port, port
		return f
	}
	tft := mustTFT(t, mk(50, 1), mk(10, 2), mk(50, 3), mk(255, 4), mk(10, 5), mk(0, 6))
	var order []uint16
	for _, f := range tft.Filters() {
		order = append(order, f.RemotePortStart)
	}
	require.Equal(t, []uint16{6, 2, 5, 1, 3, 4}, order)
	require.Equal(t, 6, tft.Len())
	require.True(t, tft.Matches(epc.Uplink, 0, 0, 3, 0, 0))
	require.False(t, tft.Matches(epc.Uplink, 0, 0, 7, 0, 0))
	require.False(t, (&epc.TFT{}).Matches(epc.Uplink, 0, 0, 0, 0, 0), "an empty TFT matches nothing")
}

// TestClassifierOrder: TFTs are tried from the highest id down, whatever
// the filters' precedence and the order of Add; Delete and replacing a TFT
// change the answer.
func TestClassifierOrder(t *testing.T) {
	port9 := epc.DefaultPacketFilter()
	port9.Precedence = 0 // a low precedence value does not make a TFT win
	port9.RemotePortStart, port9.RemotePortEnd = 9, 9
	wide := epc.DefaultPacketFilter()
	wide.RemotePortStart, wide.RemotePortEnd = 0, 100

	var c epc.Classifier
	require.NoError(t, c.Add(5, mustTFT(t, wide)))
	require.NoError(t, c.Add(1, epc.DefaultTFT()))
	require.NoError(t, c.Add(3, mustTFT(t, port9)))
	require.Equal(t, []uint32{5, 3, 1}, c.IDs())

	ue, rh := ip(t, "7.0.0.2"), ip(t, "1.0.0.2")
	up := func(dport uint16) uint32 { return c.Classify(udpPacket(ue, rh, 49153, dport, 0), epc.Uplink) }
	down := func(sport uint16) uint32 { return c.Classify(udpPacket(rh, ue, sport, 49153, 0), epc.Downlink) }
	require.Equal(t, uint32(5), up(9), "id 5 is tried before id 3")
	require.Equal(t, uint32(1), up(101), "only the default matches")
	require.Equal(t, uint32(5), down(9), "downlink: the remote port is the source port")
	require.Equal(t, uint32(1), down(49153), "downlink: the UE's port is local, not remote")

	require.True(t, c.Delete(5))
	require.False(t, c.Delete(5))
	require.Equal(t, uint32(3), up(9))
	require.NoError(t, c.Add(3, mustTFT(t, wide)), "replacing the TFT of id 3")
	require.Equal(t, uint32(3), up(50))
	require.Equal(t, uint32(1), up(9000))
	require.Equal(t, 2, c.Len())

	// Not UDP: ports are 0 (ns-3), so a port filter that excludes 0 does
	// not match an ICMP packet.
	p := packet.NewPool().New(56)
	p.Push(&inet.IPv4Header{Src: ue, Dst: rh, Protocol: inet.ProtoICMP, TTL: 64})
	require.Equal(t, uint32(3), c.Classify(p, epc.Uplink), "port 0 is in 0..100")
	require.NoError(t, c.Add(3, mustTFT(t, port9)))
	require.Equal(t, uint32(1), c.Classify(p, epc.Uplink))
	// Without an IPv4 header nothing matches.
	require.Equal(t, uint32(0), c.Classify(packet.NewPool().New(10), epc.Uplink))
}

func TestTFTBadInput(t *testing.T) {
	ok := epc.DefaultPacketFilter()
	cases := []struct {
		name string
		mut  func(*epc.PacketFilter)
		msg  string
	}{
		{"empty remote port range", func(f *epc.PacketFilter) { f.RemotePortStart, f.RemotePortEnd = 10, 9 }, "remote port range 10..9 is empty"},
		{"empty local port range", func(f *epc.PacketFilter) { f.LocalPortStart, f.LocalPortEnd = 65535, 0 }, "local port range 65535..0 is empty"},
		{"direction 0", func(f *epc.PacketFilter) { f.Direction = 0 }, "Direction 0"},
		{"direction 4", func(f *epc.PacketFilter) { f.Direction = 4 }, "Direction 4"},
		{"remote mask with a hole", func(f *epc.PacketFilter) { f.RemoteMask = 0xff00ff00 }, "RemoteMask 255.0.255.0 is not contiguous"},
		{"local mask with a hole", func(f *epc.PacketFilter) { f.LocalMask = 0x0000ffff }, "LocalMask 0.0.255.255 is not contiguous"},
	}
	for _, tc := range cases {
		f := ok
		tc.mut(&f)
		require.ErrorContains(t, f.Validate(), tc.msg, tc.name)
		_, err := epc.NewTFT(ok, f)
		require.ErrorContains(t, err, "filter 1: ", tc.name)
		require.ErrorContains(t, err, tc.msg, tc.name)
		var tft epc.TFT
		require.Error(t, tft.Add(f), tc.name)
		require.Equal(t, 0, tft.Len(), "a refused filter is not added")
	}

	var tft epc.TFT
	for range epc.MaxPacketFilters {
		require.NoError(t, tft.Add(ok))
	}
	require.ErrorContains(t, tft.Add(ok), "at most 16 packet filters")

	var c epc.Classifier
	require.ErrorContains(t, c.Add(0, epc.DefaultTFT()), "id 0 is reserved")
	require.ErrorContains(t, c.Add(1, nil), "needs a TFT")
	for id := uint32(1); id <= epc.MaxClassifierEntries; id++ {
		require.NoError(t, c.Add(id, epc.DefaultTFT()))
	}
	require.ErrorContains(t, c.Add(17, epc.DefaultTFT()), "at most 16 TFTs")
	require.NoError(t, c.Add(16, epc.DefaultTFT()), "replacing an id is not adding one")
}
