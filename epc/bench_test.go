package epc_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// userPlane is an attached UE with a socket to the remote host and one
// back, ready to move datagrams through the tunnels.
type userPlane struct {
	w        *world
	up, down func()
	received int
}

func newUserPlane(t testing.TB, v epc.Variant) *userPlane {
	w := newWorld(t, epc.DefaultConfig(v), epc.DefaultRemoteHostConfig(), sim.Microsecond)
	cell := w.addCell(1)
	ue := w.addUE(cell, 1, true)
	_, err := w.e.ActivateDedicatedBearer(1, epc.Bearer{QCI: epc.NGBRLowLatEMBB}, port9TFT(t))
	require.NoError(t, err)
	w.s.Run()
	require.True(t, ue.Attached())
	u := &userPlane{w: w}
	count := func(*inet.UDPSocket, *packet.Packet, inet.RecvInfo) { u.received++ }
	srv := w.rh.Node.NewUDPSocket()
	require.NoError(t, srv.Bind(9))
	srv.SetRecvCallback(count)
	cli := ue.Node().NewUDPSocket()
	require.NoError(t, cli.Bind(4000))
	cli.SetRecvCallback(count)
	require.NoError(t, cli.Connect(w.rh.Address, 9))
	addr := ue.Address()
	u.up = func() {
		if err := cli.Send(64); err != nil {
			panic(err)
		}
		w.s.Run()
	}
	u.down = func() {
		if err := srv.SendTo(64, addr, 4000); err != nil {
			panic(err)
		}
		w.s.Run()
	}
	for range 1000 { // fill the pools and free lists
		u.up()
		u.down()
	}
	require.Equal(t, 2000, u.received)
	return u
}

// TestUserPlaneAllocs: in steady state a datagram crosses the core, up or
// down, without allocating (UDP, IPv4, the stub radio, the RAN node, S1-U,
// SGW, S5-U, PGW, the tunnel device and the remote host's link).
func TestUserPlaneAllocs(t *testing.T) {
	for _, v := range []epc.Variant{epc.VariantNR, epc.VariantMmWave} {
		u := newUserPlane(t, v)
		require.Zero(t, testing.AllocsPerRun(200, u.up), "%v uplink", v)
		require.Zero(t, testing.AllocsPerRun(200, u.down), "%v downlink", v)
		require.Empty(t, u.w.drops)
	}
}

// BenchmarkUplink measures the user plane UE -> remote host through the
// stub RAN (1 µs radio) and the core's tunnels: one 64-byte datagram per
// iteration, the simulation run until it arrives.
func BenchmarkUplink(b *testing.B) {
	for _, v := range []epc.Variant{epc.VariantNR, epc.VariantMmWave} {
		b.Run(v.String(), func(b *testing.B) {
			u := newUserPlane(b, v)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				u.up()
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
		})
	}
}
