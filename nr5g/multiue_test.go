package nr5g

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/packet"
)

// TestSeveralUEs: three UEs attach (RNTIs 1 to 3 in attach order), share
// the cell round robin in both directions, and every datagram arrives.
func TestSeveralUEs(t *testing.T) {
	s := sim.New(1, 1)
	cfg := DefaultNetworkConfig()
	cfg.Gnb.Phy.Numerology, cfg.Gnb.Phy.BandwidthHz = 2, 50e6
	cfg.Gnb.TxPowerDbm, cfg.Ue.TxPowerDbm = 30, 23
	cfg.Shadowing = false
	n, err := NewNetwork(s, cfg)
	require.NoError(t, err)
	rh, err := n.EPC().SetupRemoteHost(epc.DefaultRemoteHostConfig())
	require.NoError(t, err)
	g, err := n.AddGnb(mobility.Vector{Z: 10})
	require.NoError(t, err)
	var ues []*UeDevice
	for _, x := range []float64{20, 30, 40} {
		ue, err := n.AddUE(mobility.Vector{X: x, Z: 1.5})
		require.NoError(t, err)
		ues = append(ues, ue)
	}
	require.NoError(t, n.AttachToClosest(ues...))
	up := map[uint64]int{}
	srv := rh.Node.NewUDPSocket()
	require.NoError(t, srv.Bind(9))
	srv.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) { up[p.UID()]++ })
	down := make([]int, len(ues))
	var socks []*inet.UDPSocket
	for i, ue := range ues {
		c := ue.Node().NewUDPSocket()
		require.NoError(t, c.Connect(rh.Address, 9))
		socks = append(socks, c)
		sink := ue.Node().NewUDPSocket()
		require.NoError(t, sink.Bind(5000))
		sink.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) { down[i] += p.Size() })
	}
	s.RunUntil(50 * sim.Millisecond)
	for i, ue := range ues {
		require.True(t, ue.Ready(), "UE %d", i)
		require.Equal(t, uint16(i+1), ue.RNTI())
	}
	tx := rh.Node.NewUDPSocket()
	var sent []uint64
	for k := range 100 {
		for i, ue := range ues {
			p := n.Inet().Pool().New(500)
			sent = append(sent, p.UID())
			require.NoError(t, socks[i].SendPacket(p))
			require.NoError(t, tx.SendTo(500, ue.UE().Address(), 5000))
		}
		s.RunUntil(50*sim.Millisecond + sim.Time(k+1)*sim.Millisecond)
	}
	s.RunUntil(300 * sim.Millisecond)
	for _, uid := range sent {
		require.Equal(t, 1, up[uid])
	}
	for i := range ues {
		require.Equal(t, 100*500, down[i], "UE %d", i)
	}
	require.Zero(t, g.Stats().UplinkRefused)
}
