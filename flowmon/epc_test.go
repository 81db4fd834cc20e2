package flowmon_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/epc/stubran"
	"github.com/netgym/netgym/flowmon"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
)

// On an EPC (5G-LENA-style core, stub RAN with 1 ms of radio each way),
// the monitor installed on every node counts the UE's datagrams to the
// remote host as one flow, end to end through the GTP-U tunnels: the
// tunnel headers do not make flows of their own, the PGW forwards each
// datagram once after decapsulating it, and the delay is the radio's 1 ms
// plus the wires'. The GTP-C exchanges of the attach are UDP flows too, as
// in ns-3.
func TestEPCFlow(t *testing.T) {
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
	mon, err := flowmon.New(s, flowmon.DefaultConfig())
	require.NoError(t, err)
	require.NoError(t, mon.InstallAll(net))
	require.NoError(t, cell.Attach(ue))
	server := rh.Node.NewUDPSocket()
	require.NoError(t, server.Bind(9))
	client := ueNode.NewUDPSocket()
	require.NoError(t, client.Connect(rh.Address, 9))
	for i := range 5 {
		s.Schedule(sim.Time(10+i)*sim.Millisecond, func() { require.NoError(t, client.Send(64)) })
	}
	s.Run()

	var user []flowmon.Flow
	for _, f := range mon.Flows() {
		switch {
		case f.Tuple.SrcPort == epc.GTPCPort:
		case f.Tuple.SrcPort == epc.GTPUPort || f.Tuple.DstPort == epc.GTPUPort:
			t.Fatalf("a tunnel made a flow of its own: %v", f.Tuple)
		default:
			user = append(user, f)
		}
	}
	require.Len(t, user, 1)
	f := user[0]
	require.Equal(t, flowmon.FiveTuple{Src: ue.Address(), Dst: rh.Address, Protocol: inet.ProtoUDP, SrcPort: 49153, DstPort: 9}, f.Tuple)
	require.Equal(t, uint64(5), f.Stats.TxPackets)
	require.Equal(t, uint64(5), f.Stats.RxPackets)
	require.Equal(t, uint64(5*92), f.Stats.RxBytes)
	require.Equal(t, uint64(5), f.Stats.TimesForwarded)
	require.Equal(t, f.Stats.MinDelay, f.Stats.MaxDelay)
	require.Greater(t, f.Stats.MinDelay, sim.Millisecond)
	require.Less(t, f.Stats.MinDelay, sim.Millisecond+sim.Millisecond/100)
}
