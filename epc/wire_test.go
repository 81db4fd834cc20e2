package epc_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/epc/stubran"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/pcap"
	"github.com/netgym/netgym/sim/pcap/pcaptest"
)

func TestGTPUWireBytes(t *testing.T) {
	// Version 1, PT, the spare bit, S and PN set (ns-3's first byte);
	// G-PDU; length 100 + 4; TEID.
	h := epc.NewGTPUHeader(0x01020304, 100)
	require.Equal(t, []byte{0x3b, 0xff, 0x00, 0x68, 1, 2, 3, 4, 0, 0, 0, 0}, h.AppendWire(nil))
	require.Len(t, h.AppendWire(nil), h.Size())
}

// With pcap traces on every device of a core, Wireshark dissects the
// gNB's S1-U link down to the user's datagram inside GTP-U.
func TestPcapS1U(t *testing.T) {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	core, err := epc.New(net, epc.DefaultConfig(epc.VariantNR))
	require.NoError(t, err)
	rh, err := core.SetupRemoteHost(epc.DefaultRemoteHostConfig())
	require.NoError(t, err)
	gnb, err := net.NewNode()
	require.NoError(t, err)
	cell, err := stubran.New(core, gnb, 1, stubran.Config{Delay: sim.Millisecond, UEMTU: 30000})
	require.NoError(t, err)
	ueNode, err := net.NewNode()
	require.NoError(t, err)
	ue, err := core.AddUE(ueNode, cell.NewUEDevice(), 1)
	require.NoError(t, err)
	require.NoError(t, cell.Attach(ue))
	prefix := filepath.Join(t.TempDir(), "epc")
	traces, err := net.EnablePcapAll(prefix)
	require.NoError(t, err)
	server := rh.Node.NewUDPSocket()
	require.NoError(t, server.Bind(9))
	client := ueNode.NewUDPSocket()
	require.NoError(t, client.Connect(rh.Address, 9))
	s.Schedule(10*sim.Millisecond, func() { require.NoError(t, client.Send(64)) })
	s.Run()
	require.NoError(t, traces.Close())

	s1u := pcap.FileName(prefix, gnb.ID(), 0)
	rows := pcaptest.Fields(t, s1u, "gtp", []string{"ip.check_checksum:TRUE"},
		"ip.src", "ip.dst", "udp.dstport", "gtp.message", "gtp.teid", "ip.checksum.status", "data.len")
	require.Len(t, rows, 1)
	row := rows[0]
	require.Equal(t, []string{"0xff", "1,1", "64"}, []string{row[3], row[5], row[6]})
	require.Equal(t, "2152,9", row[2])
	require.Contains(t, row[0], ","+ue.Address().String())
	require.Contains(t, row[1], ","+rh.Address.String())
	require.Empty(t, pcaptest.Expert(t, s1u, "ip.check_checksum:TRUE"))
}
