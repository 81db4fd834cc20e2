package epc_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

const ppp = inet.PPPHeaderSize

// TestEndToEnd sends UDP datagrams from a UE to the remote host and back
// through the tunnels of both variants and checks the byte count of every
// frame on every link (user packets: payload + 8 + 20; in a tunnel, + 40;
// each frame + 2 bytes of PPP), the core's counters, and the exact one-way
// delay: radio + transmission and propagation on S1-U, S5 (VariantNR) and
// the remote host's link.
func TestEndToEnd(t *testing.T) {
	rhNetRL := epc.DefaultRemoteHostConfig() // 100 Gb/s, MTU 2500, 0 s
	rhMmWave := epc.DefaultRemoteHostConfig()
	rhMmWave.Link.MTU, rhMmWave.Link.Delay = 1500, sim.Microsecond // NetRL's mmwave-sim
	slowCore := epc.DefaultConfig(epc.VariantNR)
	slowCore.S1U.DataRate, slowCore.S1U.Delay = 100*inet.Mbps, 2*sim.Millisecond
	slowCore.S5.DataRate, slowCore.S5.Delay = 1*inet.Gbps, 500*sim.Microsecond
	cases := []struct {
		name  string
		cfg   epc.Config
		rh    epc.RemoteHostConfig
		radio sim.Time
	}{
		{"nr", epc.DefaultConfig(epc.VariantNR), rhNetRL, 0},
		{"nr slow links", slowCore, rhNetRL, 250 * sim.Microsecond},
		{"mmwave", epc.DefaultConfig(epc.VariantMmWave), rhMmWave, sim.Millisecond},
	}
	payloads := []int{0, 4, 64, 1000, 1472}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, tc.cfg, tc.rh, tc.radio)
			cell := w.addCell(1)
			ue := w.addUE(cell, 1, true)
			w.s.RunUntil(100 * sim.Millisecond)
			require.True(t, ue.Attached())
			require.True(t, ue.NAS().Active())

			nr := tc.cfg.Variant == epc.VariantNR
			s1u := newTap(cell.RANNode().S1ULink())
			rhl := newTap(w.rh.Link)
			var s5, s11 *tap
			if nr {
				s5, s11 = newTap(w.e.S5Link()), newTap(w.e.S11Link())
			}
			base := w.e.Stats()

			// Uplink: UE -> remote host port 9, one datagram every 10 ms.
			srv := w.rh.Node.NewUDPSocket()
			require.NoError(t, srv.Bind(9))
			var got []sim.Time
			var gotSizes []int
			srv.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
				require.Equal(t, ue.Address(), info.From)
				got = append(got, w.s.Now())
				gotSizes = append(gotSizes, p.Size())
			})
			cli := ue.Node().NewUDPSocket()
			require.NoError(t, cli.Connect(w.rh.Address, 9))
			start := w.s.Now()
			for i, n := range payloads {
				w.s.Schedule(sim.Time(i)*10*sim.Millisecond, func() { require.NoError(t, cli.Send(n)) })
			}
			w.s.RunUntil(start + 100*sim.Millisecond)
			require.Equal(t, payloads, gotSizes)
			var wantS1U, wantS5, wantRH []int
			var bytes uint64
			for i, n := range payloads {
				inner := n + inet.UDPHeaderSize + inet.IPv4HeaderSize
				wantS1U = append(wantS1U, inner+epc.TunnelOverhead+ppp)
				wantS5 = append(wantS5, inner+epc.TunnelOverhead+ppp)
				wantRH = append(wantRH, inner+ppp)
				bytes += uint64(inner + epc.TunnelOverhead)
				delay := tc.radio + txTime(tc.cfg.S1U, inner+40+ppp) + tc.cfg.S1U.Delay +
					txTime(tc.rh.Link, inner+ppp) + tc.rh.Link.Delay
				if nr {
					delay += txTime(tc.cfg.S5, inner+40+ppp) + tc.cfg.S5.Delay
				}
				require.Equal(t, start+sim.Time(i)*10*sim.Millisecond+delay, got[i], "uplink payload %d", n)
			}
			s1u.only(t, "S1-U uplink", map[string][]int{"0 gtpu": wantS1U})
			rhl.only(t, "SGi uplink", map[string][]int{"0 user": wantRH})
			st := w.e.Stats()
			require.Equal(t, epc.TrafficStats{Packets: uint64(len(payloads)), Bytes: bytes}, diff(st.S1UUplink, base.S1UUplink))
			if nr {
				s5.only(t, "S5 uplink", map[string][]int{"1 gtpu": wantS5})
				s11.only(t, "S11 uplink", nil)
				require.Equal(t, st.S1UUplink, st.S5UUplink)
			} else {
				require.Zero(t, st.S5UUplink.Packets)
			}

			// Downlink: remote host -> UE port 5000.
			s1u.reset()
			rhl.reset()
			if nr {
				s5.reset()
			}
			base = w.e.Stats()
			got, gotSizes = nil, nil
			sink := ue.Node().NewUDPSocket()
			require.NoError(t, sink.Bind(5000))
			sink.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
				require.Equal(t, w.rh.Address, info.From)
				got = append(got, w.s.Now())
				gotSizes = append(gotSizes, p.Size())
			})
			start = w.s.Now()
			for i, n := range payloads {
				w.s.Schedule(sim.Time(i)*10*sim.Millisecond, func() { require.NoError(t, srv.SendTo(n, ue.Address(), 5000)) })
			}
			w.s.RunUntil(start + 100*sim.Millisecond)
			require.Equal(t, payloads, gotSizes)
			for i, n := range payloads {
				inner := n + inet.UDPHeaderSize + inet.IPv4HeaderSize
				delay := txTime(tc.rh.Link, inner+ppp) + tc.rh.Link.Delay + txTime(tc.cfg.S1U, inner+40+ppp) +
					tc.cfg.S1U.Delay + tc.radio
				if nr {
					delay += txTime(tc.cfg.S5, inner+40+ppp) + tc.cfg.S5.Delay
				}
				require.Equal(t, start+sim.Time(i)*10*sim.Millisecond+delay, got[i], "downlink payload %d", n)
			}
			s1u.only(t, "S1-U downlink", map[string][]int{"1 gtpu": wantS1U})
			rhl.only(t, "SGi downlink", map[string][]int{"1 user": wantRH})
			st = w.e.Stats()
			require.Equal(t, epc.TrafficStats{Packets: uint64(len(payloads)), Bytes: bytes}, diff(st.S1UDownlink, base.S1UDownlink))
			if nr {
				s5.only(t, "S5 downlink", map[string][]int{"0 gtpu": wantS5})
				s11.only(t, "S11 downlink", nil)
				require.Equal(t, st.S1UDownlink, st.S5UDownlink)
			}
			require.Empty(t, w.drops)
			require.Equal(t, uint64(len(payloads)), ue.NAS().Stats().Sent)
		})
	}
}

func diff(a, b epc.TrafficStats) epc.TrafficStats {
	return epc.TrafficStats{Packets: a.Packets - b.Packets, Bytes: a.Bytes - b.Bytes}
}

// TestMTU: the S1-U MTU (2000) bounds a tunnelled packet: 1960 bytes of
// user IPv4 packet pass, one more byte is refused at the RAN node (netgym
// does not fragment), in the uplink, and at the SGW in the downlink.
func TestMTU(t *testing.T) {
	w := newWorld(t, epc.DefaultConfig(epc.VariantNR), epc.DefaultRemoteHostConfig(), 0)
	cell := w.addCell(1)
	ue := w.addUE(cell, 1, true)
	w.s.RunUntil(sim.Millisecond)
	srv := w.rh.Node.NewUDPSocket()
	require.NoError(t, srv.Bind(9))
	var got []int
	srv.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) { got = append(got, p.Size()) })
	cli := ue.Node().NewUDPSocket()
	require.NoError(t, cli.Connect(w.rh.Address, 9))
	max := 2000 - epc.TunnelOverhead - 28
	require.NoError(t, cli.Send(max))
	require.NoError(t, cli.Send(max+1), "the UE's device (MTU 30000) takes it")
	w.s.RunUntil(2 * sim.Millisecond)
	require.Equal(t, []int{max}, got)
	require.Equal(t, uint64(1), w.e.Stats().Drops[epc.DropSendFailed])
	require.Equal(t, uint64(1), w.cells[0].Stats().UplinkRefused)
	require.Len(t, w.drops, 1)
	require.Contains(t, w.drops[0], "SendFailed at RAN node")

	var down []int
	sink := ue.Node().NewUDPSocket()
	require.NoError(t, sink.Bind(5000))
	sink.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, _ inet.RecvInfo) { down = append(down, p.Size()) })
	require.NoError(t, srv.SendTo(max, ue.Address(), 5000))
	// The remote host's link (MTU 2500) and the tunnel device (30000) take
	// it; the S5 link (2000) does not.
	require.NoError(t, srv.SendTo(max+1, ue.Address(), 5000))
	w.s.RunUntil(3 * sim.Millisecond)
	require.Equal(t, []int{max}, down)
	require.Equal(t, uint64(2), w.e.Stats().Drops[epc.DropSendFailed])
	require.Contains(t, w.drops[1], "SendFailed at PGW")
}
