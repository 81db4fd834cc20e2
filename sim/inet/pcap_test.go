package inet_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
	"github.com/netgym/netgym/sim/pcap"
	"github.com/netgym/netgym/sim/pcap/pcaptest"
)

// gtpuHeader is a GTP-U header as ns-3's GtpuHeader writes it (12 bytes:
// version 1, protocol type GTP, sequence number present, message type
// G-PDU), with its bytes, so that Wireshark dissects the tunnel.
type gtpuHeader struct {
	TEID   uint32
	Length uint16 // bytes after the 8 mandatory ones
}

func (h *gtpuHeader) Size() int      { return 12 }
func (h *gtpuHeader) String() string { return fmt.Sprintf("GTP-U teid=%d", h.TEID) }
func (h *gtpuHeader) AppendWire(b []byte) []byte {
	b = append(b, 0x32, 0xff)
	b = binary.BigEndian.AppendUint16(b, h.Length)
	b = binary.BigEndian.AppendUint32(b, h.TEID)
	return append(b, 0, 0, 0, 0)
}

// tunnelPair is two nodes on a point-to-point link with a GTP-U tunnel
// between their tunnel devices 7.0.0.1/8 and 7.0.0.2/8.
func tunnelPair(t *testing.T) (*sim.Simulator, *inet.Network, *inet.Node, *inet.Node) {
	t.Helper()
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	nodes, err := net.NewNodes(2, inet.DefaultNodeConfig())
	require.NoError(t, err)
	a, b := nodes[0], nodes[1]
	link, err := net.ConnectPointToPoint(a, b, 10*inet.Mbps, sim.Millisecond)
	require.NoError(t, err)
	end := func(n *inet.Node, local, peer, tunAddr inet.IPv4Addr, teid uint32) {
		sock := n.NewUDPSocket()
		require.NoError(t, sock.BindAddr(local, 2152))
		encap := func(_ *inet.TunDevice, p *packet.Packet, _ packet.Mac48, _ uint16) error {
			p.Push(&gtpuHeader{TEID: teid, Length: uint16(p.Size() + 4)})
			if err := sock.SendPacketTo(p, peer, 2152); err != nil {
				p.Pop()
				return err
			}
			return nil
		}
		dev, err := inet.NewTunDevice(s, net.MACs().Allocate(), inet.DefaultTunDeviceConfig(), encap)
		require.NoError(t, err)
		sock.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) {
			q := p.Copy()
			q.Pop()
			_ = dev.Receive(q, inet.EtherTypeIPv4)
		})
		_, err = net.AssignAddress(n, dev, tunAddr, 0xff000000)
		require.NoError(t, err)
	}
	aAddr, bAddr := link.Interfaces[0].Address(), link.Interfaces[1].Address()
	end(a, aAddr, bAddr, inet.IPv4AddrFrom4(7, 0, 0, 1), 100)
	end(b, bAddr, aAddr, inet.IPv4AddrFrom4(7, 0, 0, 2), 200)
	return s, net, a, b
}

func TestPcapPointToPointAndTunnel(t *testing.T) {
	s, net, a, b := tunnelPair(t)
	prefix := filepath.Join(t.TempDir(), "tun")
	ws, err := net.EnablePcapAll(prefix)
	require.NoError(t, err)
	require.Len(t, ws, 4)

	sink := b.NewUDPSocket()
	require.NoError(t, sink.Bind(9))
	tx := a.NewUDPSocket()
	require.NoError(t, tx.SendTo(100, inet.IPv4AddrFrom4(7, 0, 0, 2), 9))
	cfg := inet.DefaultPingConfig()
	cfg.Destination = inet.IPv4AddrFrom4(10, 1, 1, 2)
	cfg.Count = 1
	ping, err := inet.NewPing(a, cfg)
	require.NoError(t, err)
	require.NoError(t, ping.Start(10*sim.Millisecond))
	s.Run()
	require.Equal(t, 1, ping.Report().Received)
	require.NoError(t, ws.Close())

	// On node 0's wire: the tunnelled datagram out, the echo request out,
	// the echo reply in. Outer and inner IPv4 headers, GTP-U in between.
	// The 128-byte inner packet (100 + 8 + 20) is 168 bytes in GTP-U over
	// UDP over IPv4, 170 with PPP: 136 us at 10 Mb/s. The 86-byte echo
	// request takes 68.8 us, so the reply arrives at 10 + 2 x 1.0688 ms
	// (pcap's microseconds truncate). Wireshark reads the first 8 of the 56
	// echo data bytes as a timestamp.
	wire := pcap.FileName(prefix, 0, 0)
	prefs := []string{"ip.check_checksum:TRUE"}
	rows := pcaptest.Fields(t, wire, "", prefs, "frame.time_relative", "frame.len", "ppp.protocol",
		"ip.src", "ip.dst", "ip.len", "ip.ttl", "ip.checksum.status", "udp.dstport", "gtp.teid",
		"icmp.type", "icmp.checksum.status", "data.len")
	require.Equal(t, [][]string{
		{"0.000000000", "170", "0x0021", "10.1.1.1,7.0.0.1", "10.1.1.2,7.0.0.2", "168,128", "64,64", "1,1", "2152,9", "0x00000064", "", "", "100"},
		{"0.010000000", "86", "0x0021", "10.1.1.1", "10.1.1.2", "84", "64", "1", "", "", "8", "1", "48"},
		{"0.012137000", "86", "0x0021", "10.1.1.2", "10.1.1.1", "84", "64", "1", "", "", "0", "1", "48"},
	}, rows)
	require.Empty(t, pcaptest.Expert(t, wire, prefs...))

	// The tunnel devices see the bare inner packet: raw IP, sent at 0 on
	// node 0, passed up on node 1 after 1.136 ms.
	for _, c := range []struct {
		node int
		at   string
	}{{0, "0.000000000"}, {1, "0.001136000"}} {
		file := pcap.FileName(prefix, c.node, 1)
		rows := pcaptest.Fields(t, file, "", prefs, "frame.time_epoch", "frame.len", "ip.src", "ip.dst",
			"ip.checksum.status", "udp.srcport", "udp.dstport", "udp.length")
		require.Equal(t, [][]string{{c.at, "128", "7.0.0.1", "7.0.0.2", "1", "49153", "9", "108"}}, rows, file)
		require.Empty(t, pcaptest.Expert(t, file, prefs...))
	}
}

func TestPcapErrors(t *testing.T) {
	_, net, a, _ := tunnelPair(t)
	dir := t.TempDir()
	_, err := net.EnablePcapAll(filepath.Join(dir, "missing", "x"))
	require.ErrorContains(t, err, "cannot create trace file")
	for _, ifc := range a.Interfaces() {
		require.NotNil(t, ifc.Device())
	}
	_, err = inet.EnablePcapInterface(filepath.Join(dir, "x"), nil)
	require.Error(t, err)
	_, err = inet.EnablePcap(filepath.Join(dir, "x"), nil)
	require.Error(t, err)

	ppp := a.Interface(0).Device().(*inet.PointToPointDevice)
	raw, err := pcap.Create(filepath.Join(dir, "raw.pcap"), pcap.DefaultConfig(pcap.LinkTypeRaw))
	require.NoError(t, err)
	require.ErrorContains(t, ppp.SetPcap(raw), "link type RawIP, the device writes PPP")
	tun := a.Interface(1).Device().(*inet.TunDevice)
	require.NoError(t, tun.SetPcap(raw))
	require.NoError(t, tun.SetPcap(nil))
	require.NoError(t, raw.Close())

	// A device that cannot write traces.
	s := sim.New(1, 1)
	n, err := inet.NewNode(s, 0, inet.DefaultNodeConfig())
	require.NoError(t, err)
	ifc, err := n.AddInterface(newBus(s, 0).newDevice(packet.Mac48FromUint(1)), inet.IPv4AddrFrom4(10, 0, 0, 1), 0xffffff00)
	require.NoError(t, err)
	_, err = inet.EnablePcapInterface(filepath.Join(dir, "bus"), ifc)
	require.ErrorContains(t, err, "cannot write pcap traces")
	_, err = os.Stat(pcap.FileName(filepath.Join(dir, "bus"), 0, 0))
	require.True(t, os.IsNotExist(err))
}

// Writing traces allocates nothing per frame: the runs with and without
// them allocate the same (the event queue allocates now and then as time
// moves into new buckets, traces or not).
func TestPcapAllocatesNothing(t *testing.T) {
	run := func(trace bool) (float64, pcap.Writers) {
		s, net, a, b := tunnelPair(t)
		var ws pcap.Writers
		if trace {
			var err error
			ws, err = net.EnablePcapAll(filepath.Join(t.TempDir(), "alloc"))
			require.NoError(t, err)
			defer ws.Close()
		}
		sink := b.NewUDPSocket()
		require.NoError(t, sink.Bind(9))
		tx := a.NewUDPSocket()
		send := func() {
			require.NoError(t, tx.SendTo(1000, inet.IPv4AddrFrom4(7, 0, 0, 2), 9))
			s.RunUntil(s.Now() + 3*sim.Millisecond)
		}
		for range 10 {
			send()
		}
		return testing.AllocsPerRun(200, send), ws
	}
	without, _ := run(false)
	with, ws := run(true)
	require.Equal(t, without, with)
	require.Equal(t, uint64(211), ws[0].Frames(), "one frame out per datagram")
	require.Equal(t, uint64(211), ws[2].Frames(), "one frame in per datagram")
}
