package epc_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// port9TFT is NetRL's lena-sim TFT: remote port 9, any local port, both
// directions.
func port9TFT(t testing.TB) *epc.TFT {
	f := epc.DefaultPacketFilter()
	f.RemotePortStart, f.RemotePortEnd = 9, 9
	return mustTFT(t, f)
}

// bearerOf records, for datagrams reaching the remote host or the UE, the
// GTP-U TEID they travelled with on S1-U.
func teidsOnS1U(link *inet.PointToPointLink) *[]uint32 {
	var teids []uint32
	for _, d := range link.Devices {
		d.OnTx = func(_ *inet.PointToPointDevice, p *packet.Packet) {
			if h, ok := packet.FindHeader[*epc.GTPUHeader](p); ok {
				teids = append(teids, h.TEID)
			}
		}
	}
	return &teids
}

// TestDedicatedBearerBeforeAttach is NetRL's lena-sim set-up: a dedicated
// NGBR_LOW_LAT_EMBB bearer (5QI 80) whose TFT matches remote port 9,
// activated before the UE attaches: both bearers are set up at attach in
// one Create Session Request; uplink and downlink packets of port 9 take
// bearer 2, the others bearer 1.
func TestDedicatedBearerBeforeAttach(t *testing.T) {
	for _, v := range []epc.Variant{epc.VariantNR, epc.VariantMmWave} {
		t.Run(v.String(), func(t *testing.T) {
			w := newWorld(t, epc.DefaultConfig(v), epc.DefaultRemoteHostConfig(), 0)
			cell := w.addCell(1)
			ue := w.addUE(cell, 1, false)
			id, err := w.e.ActivateDedicatedBearer(1, epc.Bearer{QCI: epc.NGBRLowLatEMBB}, port9TFT(t))
			require.NoError(t, err)
			require.Equal(t, uint8(2), id)
			require.NoError(t, cell.Attach(ue))
			w.s.RunUntil(100 * sim.Millisecond)
			var csr epc.ControlEvent
			for _, ev := range w.events {
				if ev.Stage == epc.StageCreateSessionRequest {
					csr = ev
					break
				}
			}
			require.Equal(t, []uint8{1, 2}, csr.BearerIDs)
			if v == epc.VariantNR {
				require.Equal(t, 136+87, csr.Size, "a second bearer context with one packet filter: 4+5+(5+34)+13+26")
			}
			b := ue.Bearers()
			require.Len(t, b, 2)
			require.Equal(t, epc.BearerInfo{ID: 2, Bearer: epc.Bearer{QCI: 80}, TFT: port9TFT(t), State: "active", TEID: 2}, b[1])
			require.Equal(t, []uint8{2, 1}, ue.NAS().BearerIDs())

			teids := teidsOnS1U(cell.RANNode().S1ULink())
			for _, port := range []uint16{9, 10} {
				srv := w.rh.Node.NewUDPSocket()
				require.NoError(t, srv.Bind(port))
				srv.SetRecvCallback(func(s *inet.UDPSocket, p *packet.Packet, info inet.RecvInfo) {
					require.NoError(t, s.SendPacketTo(p, info.From, info.FromPort)) // echo: remote port 9 or 10 again
				})
				cli := ue.Node().NewUDPSocket()
				require.NoError(t, cli.Connect(w.rh.Address, port))
				require.NoError(t, cli.Send(64))
				w.s.RunUntil(w.s.Now() + 10*sim.Millisecond)
			}
			require.Equal(t, []uint32{2, 2, 1, 1}, *teids, "port 9 up and down on bearer 2, port 10 on bearer 1")
		})
	}
}

// TestDedicatedBearerAfterAttach activates a dedicated bearer on an
// attached UE: Create Bearer Request from the PGW to the MME, E-RAB set-up
// at the RAN node, responses back to the PGW, stage by stage; until the
// PGW has the TFT, downlink packets of the flow travel on the default
// bearer.
func TestDedicatedBearerAfterAttach(t *testing.T) {
	ns := sim.Nanosecond
	tx := func(msg int) sim.Time { return (10 * inet.Gbps).TxTime(msg + 28 + ppp) }
	ded := []uint8{2}
	cbr, cbrs := 12+5+87, 12+6+28 // Create Bearer Request (one filter) and Response
	cases := []struct {
		v     epc.Variant
		steps func(t0 sim.Time) []step
	}{
		{epc.VariantNR, func(t0 sim.Time) []step {
			t1 := t0 + tx(cbr)
			t2 := t1 + tx(cbr)
			t3 := t2 + tx(cbrs)
			t4 := t3 + tx(cbrs)
			require.Equal(t, t0+(107+107+61+61)*ns, t4)
			return []step{
				{t1, epc.StageCreateBearerRequest, epc.IfaceS5C, epc.EntityPGW, epc.EntitySGW, cbr, ded},
				{t2, epc.StageCreateBearerRequest, epc.IfaceS11, epc.EntitySGW, epc.EntityMME, cbr, ded},
				{t2, epc.StageERABSetupRequest, epc.IfaceS1AP, epc.EntityMME, epc.EntityRANNode, 0, ded},
				{t2, epc.StageERABSetupResponse, epc.IfaceS1AP, epc.EntityRANNode, epc.EntityMME, 0, ded},
				{t3, epc.StageCreateBearerResponse, epc.IfaceS11, epc.EntityMME, epc.EntitySGW, cbrs, ded},
				{t4, epc.StageCreateBearerResponse, epc.IfaceS5C, epc.EntitySGW, epc.EntityPGW, cbrs, ded},
				{t4, epc.StageBearerActivated, 0, 0, 0, 0, ded},
			}
		}},
		{epc.VariantMmWave, func(t0 sim.Time) []step {
			t1 := t0 + tx(6+17+47) + 15*sim.Millisecond
			t2 := t1 + tx(6+17+10) + 15*sim.Millisecond
			return []step{
				{t0, epc.StageCreateBearerRequest, epc.IfaceS11, epc.EntitySGW, epc.EntityMME, 0, ded},
				{t1, epc.StageERABSetupRequest, epc.IfaceS1AP, epc.EntityMME, epc.EntityRANNode, 70, ded},
				{t2, epc.StageERABSetupResponse, epc.IfaceS1AP, epc.EntityRANNode, epc.EntityMME, 33, ded},
				{t2, epc.StageCreateBearerResponse, epc.IfaceS11, epc.EntityMME, epc.EntitySGW, 0, ded},
				{t2, epc.StageBearerActivated, 0, 0, 0, 0, ded},
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.v.String(), func(t *testing.T) {
			w := newWorld(t, epc.DefaultConfig(tc.v), epc.DefaultRemoteHostConfig(), 0)
			cell := w.addCell(1)
			ue := w.addUE(cell, 1, true)
			w.s.RunUntil(100 * sim.Millisecond)
			w.events = nil
			t0 := w.s.Now()
			id, err := w.e.ActivateDedicatedBearer(1, epc.Bearer{QCI: epc.NGBRLowLatEMBB}, port9TFT(t))
			require.NoError(t, err)
			require.Equal(t, uint8(2), id)
			require.Equal(t, "setting up", ue.Bearers()[1].State)
			// A downlink packet sent now is classified before the bearer
			// exists at the PGW: default bearer.
			teids := teidsOnS1U(cell.RANNode().S1ULink())
			srv := w.rh.Node.NewUDPSocket()
			require.NoError(t, srv.Bind(9))
			require.NoError(t, srv.SendTo(10, ue.Address(), 4000))
			w.s.RunUntil(t0 + 100*sim.Millisecond)
			requireSteps(t, tc.steps(t0), w.events)
			require.Equal(t, "active", ue.Bearers()[1].State)
			require.Equal(t, uint32(2), ue.Bearers()[1].TEID)
			require.Equal(t, []uint8{2, 1}, ue.NAS().BearerIDs())
			require.NoError(t, srv.SendTo(10, ue.Address(), 4000))
			cli := ue.Node().NewUDPSocket()
			require.NoError(t, cli.Connect(w.rh.Address, 9))
			require.NoError(t, cli.Send(10))
			w.s.RunUntil(w.s.Now() + 100*sim.Millisecond)
			require.Equal(t, []uint32{1, 2, 2}, *teids)
		})
	}
}

// TestBearerRelease releases an active dedicated bearer (RAN-initiated, as
// ns-3): E-RAB Release Indication, Delete Bearer Command to the PGW,
// Delete Bearer Request back to the MME, Delete Bearer Response to the
// PGW; afterwards the flow goes back to the default bearer, and the bearer
// id is free again.
func TestBearerRelease(t *testing.T) {
	tx := func(msg int) sim.Time { return (10 * inet.Gbps).TxTime(msg + 28 + ppp) }
	ded := []uint8{2}
	dbc, dbr, dbp := 12+9, 12+5, 12+6+5
	cases := []struct {
		v     epc.Variant
		steps func(t0 sim.Time) []step
	}{
		{epc.VariantNR, func(t0 sim.Time) []step {
			t1 := t0 + tx(dbc)
			t2 := t1 + tx(dbc)
			t3 := t2 + tx(dbr)
			t4 := t3 + tx(dbr)
			t5 := t4 + tx(dbp)
			t6 := t5 + tx(dbp)
			return []step{
				{t0, epc.StageERABReleaseIndication, epc.IfaceS1AP, epc.EntityRANNode, epc.EntityMME, 0, ded},
				{t1, epc.StageDeleteBearerCommand, epc.IfaceS11, epc.EntityMME, epc.EntitySGW, dbc, ded},
				{t2, epc.StageDeleteBearerCommand, epc.IfaceS5C, epc.EntitySGW, epc.EntityPGW, dbc, ded},
				{t3, epc.StageDeleteBearerRequest, epc.IfaceS5C, epc.EntityPGW, epc.EntitySGW, dbr, ded},
				{t4, epc.StageDeleteBearerRequest, epc.IfaceS11, epc.EntitySGW, epc.EntityMME, dbr, ded},
				{t5, epc.StageDeleteBearerResponse, epc.IfaceS11, epc.EntityMME, epc.EntitySGW, dbp, ded},
				{t6, epc.StageDeleteBearerResponse, epc.IfaceS5C, epc.EntitySGW, epc.EntityPGW, dbp, ded},
				{t6, epc.StageBearerReleased, 0, 0, 0, 0, ded},
			}
		}},
		{epc.VariantMmWave, func(t0 sim.Time) []step {
			t1 := t0 + tx(6+17+1) + 15*sim.Millisecond
			return []step{
				{t1, epc.StageERABReleaseIndication, epc.IfaceS1AP, epc.EntityRANNode, epc.EntityMME, 24, ded},
				{t1, epc.StageDeleteBearerCommand, epc.IfaceS11, epc.EntityMME, epc.EntitySGW, 0, ded},
				{t1, epc.StageDeleteBearerRequest, epc.IfaceS11, epc.EntitySGW, epc.EntityMME, 0, ded},
				{t1, epc.StageDeleteBearerResponse, epc.IfaceS11, epc.EntityMME, epc.EntitySGW, 0, ded},
				{t1, epc.StageBearerReleased, 0, 0, 0, 0, ded},
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.v.String(), func(t *testing.T) {
			w := newWorld(t, epc.DefaultConfig(tc.v), epc.DefaultRemoteHostConfig(), 0)
			cell := w.addCell(1)
			ue := w.addUE(cell, 1, false)
			_, err := w.e.ActivateDedicatedBearer(1, epc.Bearer{QCI: epc.NGBRLowLatEMBB}, port9TFT(t))
			require.NoError(t, err)
			require.NoError(t, cell.Attach(ue))
			w.s.RunUntil(100 * sim.Millisecond)
			w.events = nil
			t0 := w.s.Now()
			require.NoError(t, w.e.ReleaseBearer(1, 2))
			require.Equal(t, "releasing", ue.Bearers()[1].State)
			require.Equal(t, []uint8{1}, ue.NAS().BearerIDs(), "the UE stops using the bearer at once")
			err = w.e.ReleaseBearer(1, 2)
			require.ErrorContains(t, err, "bearer 2 of IMSI 1 is not active (releasing)")
			w.s.RunUntil(t0 + 100*sim.Millisecond)
			requireSteps(t, tc.steps(t0), w.events)
			require.Len(t, ue.Bearers(), 1)

			teids := teidsOnS1U(cell.RANNode().S1ULink())
			srv := w.rh.Node.NewUDPSocket()
			require.NoError(t, srv.Bind(9))
			require.NoError(t, srv.SendTo(10, ue.Address(), 4000))
			cli := ue.Node().NewUDPSocket()
			require.NoError(t, cli.Connect(w.rh.Address, 9))
			require.NoError(t, cli.Send(10))
			w.s.RunUntil(w.s.Now() + 100*sim.Millisecond)
			require.Equal(t, []uint32{1, 1}, *teids, "port 9 on the default bearer again")
			require.Empty(t, w.drops)

			// The id is free again; the new bearer gets a new TEID.
			w.events = nil
			id, err := w.e.ActivateDedicatedBearer(1, epc.Bearer{QCI: epc.NGBRLowLatEMBB}, port9TFT(t))
			require.NoError(t, err)
			require.Equal(t, uint8(2), id)
			w.s.RunUntil(w.s.Now() + 100*sim.Millisecond)
			require.Equal(t, epc.StageBearerActivated, w.events[len(w.events)-1].Stage)
			require.Equal(t, uint32(3), ue.Bearers()[1].TEID)
		})
	}
}

// TestReleaseBeforeAttach: a bearer not set up yet is simply forgotten.
func TestReleaseBeforeAttach(t *testing.T) {
	w := newWorld(t, epc.DefaultConfig(epc.VariantNR), epc.DefaultRemoteHostConfig(), 0)
	cell := w.addCell(1)
	ue := w.addUE(cell, 1, false)
	for i := range 3 {
		id, err := w.e.ActivateDedicatedBearer(1, epc.Bearer{QCI: epc.NGBRVoiceVideoGaming}, port9TFT(t))
		require.NoError(t, err)
		require.Equal(t, uint8(2+i), id)
	}
	require.NoError(t, w.e.ReleaseBearer(1, 3))
	require.Empty(t, w.events)
	require.NoError(t, cell.Attach(ue))
	w.s.Run()
	var ids []uint8
	for _, b := range ue.Bearers() {
		ids = append(ids, b.ID)
		require.Equal(t, "active", b.State)
	}
	require.Equal(t, []uint8{1, 2, 4}, ids)
	require.Equal(t, []uint8{4, 2, 1}, ue.NAS().BearerIDs())
}

// TestRANInitiatedRelease: the RAN releases a radio bearer on its own and
// reports it (ns-3's DoReleaseIndication).
func TestRANInitiatedRelease(t *testing.T) {
	w := newWorld(t, epc.DefaultConfig(epc.VariantNR), epc.DefaultRemoteHostConfig(), 0)
	cell := w.addCell(1)
	ue := w.addUE(cell, 1, false)
	_, err := w.e.ActivateDedicatedBearer(1, epc.Bearer{QCI: epc.NGBRLowLatEMBB}, port9TFT(t))
	require.NoError(t, err)
	require.NoError(t, cell.Attach(ue))
	w.s.Run()
	r := cell.RANNode()
	require.ErrorContains(t, r.ReleaseIndication(1, 7, 2), "no UE with IMSI 1 and RNTI 7")
	require.ErrorContains(t, r.ReleaseIndication(2, 1, 2), "no UE with IMSI 2 and RNTI 1")
	require.ErrorContains(t, r.ReleaseIndication(1, 1, 5), "IMSI 1 has no bearer 5 here")
	cell.ReleaseBearer(1, 2)
	require.NoError(t, r.ReleaseIndication(1, 1, 2))
	w.s.Run()
	require.Equal(t, epc.StageBearerReleased, w.events[len(w.events)-1].Stage)
	require.Len(t, ue.Bearers(), 1)
}

// TestUEContextRelease: a RAN node forgets a UE; a new Initial UE Message
// attaches it again with all its bearers and new tunnels.
func TestUEContextRelease(t *testing.T) {
	w := newWorld(t, epc.DefaultConfig(epc.VariantNR), epc.DefaultRemoteHostConfig(), 0)
	cell := w.addCell(1)
	ue := w.addUE(cell, 1, false)
	_, err := w.e.ActivateDedicatedBearer(1, epc.Bearer{QCI: epc.NGBRLowLatEMBB}, port9TFT(t))
	require.NoError(t, err)
	require.NoError(t, cell.Attach(ue))
	w.s.Run()
	cell.RANNode().UEContextRelease(1)
	require.False(t, ue.Attached())
	// Uplink is refused at the RAN node now.
	cli := ue.Node().NewUDPSocket()
	require.NoError(t, cli.Connect(w.rh.Address, 9))
	require.NoError(t, cli.Send(10))
	w.s.Run()
	require.Equal(t, uint64(1), w.e.Stats().Drops[epc.DropNoContext])

	require.NoError(t, cell.RANNode().InitialUEMessage(1, 1))
	w.s.Run()
	require.True(t, ue.Attached())
	b := ue.Bearers()
	require.Equal(t, []uint32{3, 4}, []uint32{b[0].TEID, b[1].TEID})
	got := 0
	srv := w.rh.Node.NewUDPSocket()
	require.NoError(t, srv.Bind(9))
	srv.SetRecvCallback(func(*inet.UDPSocket, *packet.Packet, inet.RecvInfo) { got++ })
	require.NoError(t, cli.Send(10))
	w.s.Run()
	require.Equal(t, 1, got)
}

// TestBearerDuringAttach activates a dedicated bearer while the attach is
// under way: in VariantNR while the Create Session Request is on S11 (it
// is not in it: it follows with the dedicated procedure once the session
// exists), in VariantMmWave after the session exists but before the
// Initial Context Setup Request has crossed the S1-AP link (its E-RAB
// Setup Request follows on the same link).
func TestBearerDuringAttach(t *testing.T) {
	cases := []struct {
		v  epc.Variant
		at sim.Time // after the Initial UE Message reached the MME
	}{
		{epc.VariantNR, 100 * sim.Nanosecond},
		{epc.VariantMmWave, sim.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.v.String(), func(t *testing.T) {
			w := newWorld(t, epc.DefaultConfig(tc.v), epc.DefaultRemoteHostConfig(), 0)
			cell := w.addCell(1)
			record := w.e.OnControl
			var ue *epc.UE
			w.e.OnControl = func(ev epc.ControlEvent) {
				record(ev)
				if ev.Stage != epc.StageInitialUEMessage {
					return
				}
				w.s.Schedule(tc.at, func() {
					require.False(t, ue.Attached())
					id, err := w.e.ActivateDedicatedBearer(1, epc.Bearer{QCI: epc.NGBRLowLatEMBB}, port9TFT(t))
					require.NoError(t, err)
					require.Equal(t, uint8(2), id)
				})
			}
			ue = w.addUE(cell, 1, true)
			w.s.Run()
			var stages []epc.Stage
			for _, ev := range w.events {
				stages = append(stages, ev.Stage)
			}
			require.Subset(t, stages, []epc.Stage{epc.StageAttached, epc.StageERABSetupRequest, epc.StageBearerActivated})
			idx := func(s epc.Stage) int {
				for i, x := range stages {
					if x == s {
						return i
					}
				}
				return -1
			}
			require.Less(t, idx(epc.StageAttached), idx(epc.StageERABSetupRequest))
			require.Equal(t, epc.StageBearerActivated, stages[len(stages)-1])
			for _, ev := range w.events {
				if ev.Stage == epc.StageCreateSessionRequest {
					require.Equal(t, []uint8{1}, ev.BearerIDs, "the session was requested before the bearer existed")
				}
			}
			b := ue.Bearers()
			require.Equal(t, []string{"active", "active"}, []string{b[0].State, b[1].State})
			require.Equal(t, []uint8{2, 1}, ue.NAS().BearerIDs())
		})
	}
}
