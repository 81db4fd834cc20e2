package epc_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/epc/stubran"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// step is one expected control stage.
type step struct {
	at       sim.Time
	stage    epc.Stage
	iface    epc.Interface
	from, to epc.Entity
	size     int
	bearers  []uint8
}

func requireSteps(t *testing.T, want []step, got []epc.ControlEvent) {
	t.Helper()
	require.Len(t, got, len(want))
	for i, w := range want {
		g := got[i]
		require.Equal(t, w, step{g.Time, g.Stage, g.Interface, g.From, g.To, g.Size, g.BearerIDs}, "stage %d: %v", i, g)
	}
}

// TestAttach follows the attach of one UE through the stub RAN, stage by
// stage, with the exact time each message is handled and its size: in
// VariantNR S1-AP is a direct call and the Create Session Request (136
// bytes: header 12, IMSI 12, ULI 12, F-TEID 13, one bearer context of 87)
// and Response (118) cross S11 and S5-C at 10 Gb/s; in VariantMmWave the
// Initial UE Message (41) and Initial Context Setup Request (79) cross the
// S1-AP link (15 ms by default, 0 in NetRL) and S11 is a direct call.
func TestAttach(t *testing.T) {
	const radio = 2 * sim.Millisecond
	ns := sim.Nanosecond
	tx := func(msg int) sim.Time { return (10 * inet.Gbps).TxTime(msg + 28 + ppp) }
	def := []uint8{1}
	nrSteps := func() []step {
		t1 := radio + tx(136)
		t2 := t1 + tx(136)
		t3 := t2 + tx(118)
		t4 := t3 + tx(118)
		require.Equal(t, radio+(133+133+118+118)*ns, t4)
		return []step{
			{radio, epc.StageInitialUEMessage, epc.IfaceS1AP, epc.EntityRANNode, epc.EntityMME, 0, []uint8{}},
			{t1, epc.StageCreateSessionRequest, epc.IfaceS11, epc.EntityMME, epc.EntitySGW, 136, def},
			{t2, epc.StageCreateSessionRequest, epc.IfaceS5C, epc.EntitySGW, epc.EntityPGW, 136, def},
			{t3, epc.StageCreateSessionResponse, epc.IfaceS5C, epc.EntityPGW, epc.EntitySGW, 118, def},
			{t4, epc.StageCreateSessionResponse, epc.IfaceS11, epc.EntitySGW, epc.EntityMME, 118, def},
			{t4, epc.StageInitialContextSetupRequest, epc.IfaceS1AP, epc.EntityMME, epc.EntityRANNode, 0, def},
			{t4, epc.StageAttached, 0, 0, 0, 0, def},
		}
	}
	mmSteps := func(s1ap sim.Time) []step {
		t1 := radio + tx(41) + s1ap
		t2 := t1 + tx(79) + s1ap
		return []step{
			{t1, epc.StageInitialUEMessage, epc.IfaceS1AP, epc.EntityRANNode, epc.EntityMME, 41, []uint8{}},
			{t1, epc.StageCreateSessionRequest, epc.IfaceS11, epc.EntityMME, epc.EntitySGW, 0, def},
			{t1, epc.StageCreateSessionResponse, epc.IfaceS11, epc.EntitySGW, epc.EntityMME, 0, def},
			{t2, epc.StageInitialContextSetupRequest, epc.IfaceS1AP, epc.EntityMME, epc.EntityRANNode, 79, def},
			{t2, epc.StageAttached, 0, 0, 0, 0, def},
		}
	}
	netrl := epc.DefaultConfig(epc.VariantMmWave)
	netrl.S1AP.Delay = 0
	cases := []struct {
		name  string
		cfg   epc.Config
		steps []step
	}{
		{"nr", epc.DefaultConfig(epc.VariantNR), nrSteps()},
		{"mmwave", epc.DefaultConfig(epc.VariantMmWave), mmSteps(15 * sim.Millisecond)},
		{"mmwave S1-AP delay 0", netrl, mmSteps(0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, tc.cfg, epc.DefaultRemoteHostConfig(), radio)
			cell := w.addCell(1)
			ue := w.addUE(cell, 1, false)
			var nasActive sim.Time
			ue.NAS().OnStateChange = func(old, new epc.NASState) {
				require.Equal(t, epc.NASOff, old)
				require.Equal(t, epc.NASActive, new)
				nasActive = w.s.Now()
			}
			require.False(t, ue.Attached())
			require.Equal(t, []epc.BearerInfo{{ID: 1, Bearer: epc.DefaultBearer(), TFT: epc.DefaultTFT(), State: "pending"}}, ue.Bearers())
			require.NoError(t, cell.Attach(ue))
			w.s.Run()
			requireSteps(t, tc.steps, w.events)
			attached := tc.steps[len(tc.steps)-1].at
			require.Equal(t, attached+radio, nasActive, "the connection set-up reaches the UE one radio delay later")
			require.True(t, ue.Attached())
			cellID, rnti, ok := ue.Cell()
			require.True(t, ok)
			require.Equal(t, uint16(1), cellID)
			require.Equal(t, uint16(1), rnti)
			require.Equal(t, []epc.BearerInfo{{ID: 1, Bearer: epc.DefaultBearer(), TFT: epc.DefaultTFT(), State: "active", TEID: 1}}, ue.Bearers())
			require.Equal(t, []uint8{1}, ue.NAS().BearerIDs())

			// Control bytes are counted apart from the user plane.
			st := w.e.Stats()
			require.Zero(t, st.S1UUplink.Packets+st.S1UDownlink.Packets+st.S5UUplink.Packets+st.S5UDownlink.Packets)
			if tc.cfg.Variant == epc.VariantNR {
				require.Equal(t, epc.TrafficStats{Packets: 2, Bytes: 136 + 118 + 2*28}, st.S11)
				require.Equal(t, st.S11, st.S5C)
				require.Zero(t, st.S1AP.Packets)
			} else {
				require.Equal(t, epc.TrafficStats{Packets: 2, Bytes: 41 + 79 + 2*28}, st.S1AP)
				require.Zero(t, st.S11.Packets+st.S5C.Packets)
			}
		})
	}
}

// TestAttachGTPCOnTheWire checks the GTP-C frames of an attach on the S11
// and S5 links of VariantNR: they travel on port 2123, apart from GTP-U.
func TestAttachGTPCOnTheWire(t *testing.T) {
	w := newWorld(t, epc.DefaultConfig(epc.VariantNR), epc.DefaultRemoteHostConfig(), 0)
	s5, s11 := newTap(w.e.S5Link()), newTap(w.e.S11Link())
	cell := w.addCell(1)
	s1u := newTap(cell.RANNode().S1ULink())
	w.addUE(cell, 1, true)
	w.s.Run()
	csr, csp := 136+28+ppp, 118+28+ppp
	s11.only(t, "S11", map[string][]int{"0 gtpc": {csr}, "1 gtpc": {csp}})
	s5.only(t, "S5", map[string][]int{"1 gtpc": {csr}, "0 gtpc": {csp}})
	s1u.only(t, "S1-U", nil)
}

// TestAttachMany attaches 100 UEs at once on two cells and sends a
// datagram from each to the remote host, which echoes it: every UE gets
// its own address, tunnel and answer.
func TestAttachMany(t *testing.T) {
	for _, v := range []epc.Variant{epc.VariantNR, epc.VariantMmWave} {
		t.Run(v.String(), func(t *testing.T) {
			const n = 100
			w := newWorld(t, epc.DefaultConfig(v), epc.DefaultRemoteHostConfig(), sim.Millisecond)
			cells := []*stubran.Cell{w.addCell(1), w.addCell(2)}
			var ues []*epc.UE
			for i := range n {
				ues = append(ues, w.addUE(cells[i%2], uint64(1000+i), true))
			}
			w.s.RunUntil(time500ms)
			teids := map[uint32]bool{}
			for i, ue := range ues {
				require.True(t, ue.Attached(), "IMSI %d", ue.IMSI())
				require.True(t, ue.NAS().Active())
				require.Equal(t, inet.IPv4AddrFrom4(7, 0, 0, byte(2+i)), ue.Address())
				cellID, rnti, _ := ue.Cell()
				require.Equal(t, uint16(1+i%2), cellID)
				require.Equal(t, uint16(1+i/2), rnti)
				b := ue.Bearers()
				require.Len(t, b, 1)
				require.Equal(t, "active", b[0].State)
				require.False(t, teids[b[0].TEID], "TEID %d twice", b[0].TEID)
				teids[b[0].TEID] = true
			}
			require.Len(t, teids, n)
			require.True(t, teids[1] && teids[n], "TEIDs 1..%d", n)
			st := w.e.Stats()
			if v == epc.VariantNR {
				require.Equal(t, epc.TrafficStats{Packets: 2 * n, Bytes: n * (136 + 118 + 56)}, st.S11)
			} else {
				require.Equal(t, epc.TrafficStats{Packets: 2 * n, Bytes: n * (41 + 79 + 56)}, st.S1AP)
			}

			echo := w.rh.Node.NewUDPSocket()
			require.NoError(t, echo.Bind(7))
			echo.SetRecvCallback(func(s *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
				require.NoError(t, s.SendPacketTo(p, info.From, info.FromPort))
			})
			answered := make([]int, n)
			for i, ue := range ues {
				sock := ue.Node().NewUDPSocket()
				require.NoError(t, sock.Connect(w.rh.Address, 7))
				sock.SetRecvCallback(func(_ *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
					require.Equal(t, w.rh.Address, info.From)
					answered[i] += p.Size()
				})
				require.NoError(t, sock.Send(100+i))
			}
			w.s.RunUntil(time500ms + 100*sim.Millisecond)
			for i := range n {
				require.Equal(t, 100+i, answered[i], "UE %d", i)
			}
			require.Empty(t, w.drops)
			require.Equal(t, uint64(n), w.e.Stats().S1UUplink.Packets)
			require.Equal(t, uint64(n), w.e.Stats().S1UDownlink.Packets)
		})
	}
}

const time500ms = 500 * sim.Millisecond
