package stubran_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/epc/stubran"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

func TestConfig(t *testing.T) {
	require.Equal(t, stubran.Config{UEMTU: 30000}, stubran.DefaultConfig())
	require.NoError(t, stubran.DefaultConfig().Validate())
	cases := []struct {
		cfg stubran.Config
		msg string
	}{
		{stubran.Config{Delay: -1, UEMTU: 1500}, "Delay -1ns is outside 0.."},
		{stubran.Config{UEMTU: 27}, "UEMTU 27 is outside 28..65535"},
		{stubran.Config{UEMTU: 65536}, "UEMTU 65536 is outside 28..65535"},
	}
	core, err := epc.New(inet.NewNetwork(sim.New(1, 1)), epc.DefaultConfig(epc.VariantNR))
	require.NoError(t, err)
	node, _ := core.Network().NewNode()
	for _, tc := range cases {
		require.ErrorContains(t, tc.cfg.Validate(), tc.msg)
		_, err := stubran.New(core, node, 1, tc.cfg)
		require.ErrorContains(t, err, tc.msg)
	}
}

// TestUEDevice: the device refuses what it cannot carry, with errors IPv4
// turns into drops; the radio adds exactly Delay each way.
func TestUEDevice(t *testing.T) {
	s := sim.New(1, 1)
	net := inet.NewNetwork(s)
	core, err := epc.New(net, epc.DefaultConfig(epc.VariantMmWave))
	require.NoError(t, err)
	rh, err := core.SetupRemoteHost(epc.DefaultRemoteHostConfig())
	require.NoError(t, err)
	node, _ := net.NewNode()
	const delay = 3 * sim.Millisecond
	cell, err := stubran.New(core, node, 5, stubran.Config{Delay: delay, UEMTU: 1500})
	require.NoError(t, err)
	require.Equal(t, uint16(5), cell.RANNode().CellID())

	ueNode, _ := net.NewNode()
	dev := cell.NewUEDevice()
	require.Equal(t, 1500, dev.MTU())
	require.False(t, dev.NeedsARP())
	require.Equal(t, packet.BroadcastMac48, dev.Broadcast())
	p := net.Pool().New(10)
	require.ErrorIs(t, dev.Send(p, dev.Broadcast(), inet.EtherTypeIPv4), inet.ErrLinkDown)
	require.ErrorIs(t, dev.Send(p, dev.Broadcast(), inet.EtherTypeARP), inet.ErrUnsupportedProtocol)
	ue, err := core.AddUE(ueNode, dev, 7)
	require.NoError(t, err)
	require.Equal(t, uint16(0), dev.RNTI())
	require.NoError(t, cell.Attach(ue))
	require.Equal(t, uint16(1), dev.RNTI())

	// Before the connection is set up the NAS refuses uplink packets.
	cli := ueNode.NewUDPSocket()
	require.NoError(t, cli.Connect(rh.Address, 9))
	require.NoError(t, cli.Send(10)) // IPv4 accepts it; the device refuses it
	require.Equal(t, uint64(1), ueNode.Drops(inet.DropDeviceError))
	require.Equal(t, uint64(1), ue.NAS().Stats().NotActive)
	s.Run()
	require.True(t, ue.NAS().Active())
	require.ErrorContains(t, dev.SendData(p, 3), "IMSI 7 has no radio bearer for EPS bearer 3")
	require.True(t, errors.Is(ue.NAS().Send(p), epc.ErrNoMatchingBearer), "a packet without IPv4 header matches no TFT")

	var at sim.Time
	srv := rh.Node.NewUDPSocket()
	require.NoError(t, srv.Bind(9))
	srv.SetRecvCallback(func(*inet.UDPSocket, *packet.Packet, inet.RecvInfo) { at = s.Now() })
	t0 := s.Now()
	require.NoError(t, cli.Send(100))
	s.Run()
	cfg := core.Config()
	want := delay + cfg.S1U.DataRate.TxTime(170) + cfg.S1U.Delay + (100 * inet.Gbps).TxTime(130)
	require.Equal(t, t0+want, at)
	require.Equal(t, stubran.Stats{Uplink: 1}, cell.Stats())

	// A downlink packet for an RNTI the cell does not know is released.
	cell.DeliverDownlink(net.Pool().New(10), 99, 1)
	require.Equal(t, uint64(0), cell.Stats().Downlink)
}
