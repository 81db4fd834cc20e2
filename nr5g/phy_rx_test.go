package nr5g

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/spectrum/threegpp"
)

// dlSinr runs cells (one gNB per entry of gnbs, each with the UEs of
// ues[i]) with downlink traffic to the UEs of the busy cells and returns
// the mean DL SINR in dB of each UE's blocks, UEs in order (-Inf for a
// UE without blocks).
func dlSinr(t *testing.T, st SchedulerType, ch ChannelModel, gnbs []mobility.Vector, ues [][]mobility.Vector, busy []bool) []float64 {
	t.Helper()
	s := sim.New(1, 1)
	cfg := DefaultCellRadio()
	cfg.Gnb.Phy.Numerology, cfg.Gnb.Phy.BandwidthHz = 2, 50e6
	cfg.Gnb.TxPowerDbm, cfg.Ue.TxPowerDbm = 30, 23
	cfg.Gnb.Scheduler.Type = st
	cfg.Channel = ch
	n, err := NewNetwork(s, cfg)
	require.NoError(t, err)
	rh, err := n.EPC().SetupRemoteHost(epc.DefaultRemoteHostConfig())
	require.NoError(t, err)
	var all []*UeDevice
	var send []bool
	for i, gp := range gnbs {
		g, err := n.AddGnb(gp)
		require.NoError(t, err)
		for _, up := range ues[i] {
			u, err := n.AddUE(up)
			require.NoError(t, err)
			require.NoError(t, n.Attach(u, g))
			all = append(all, u)
			send = append(send, busy[i])
		}
	}
	sum := make(map[uint64]float64)
	cnt := make(map[uint64]float64)
	n.SetTraces(Traces{Tb: func(tr TbTrace) {
		if tr.Dir != Downlink {
			return
		}
		for _, u := range all {
			if u.RNTI() == tr.RNTI && u.Gnb().CellID() == tr.CellID {
				sum[u.IMSI()] += tr.SinrDb
				cnt[u.IMSI()]++
			}
		}
	}})
	s.RunUntil(100 * sim.Millisecond)
	tx := rh.Node.NewUDPSocket()
	for k := range 100 {
		for i, u := range all {
			if send[i] {
				require.NoError(t, tx.SendTo(1400, u.UE().Address(), 5000))
				require.NoError(t, tx.SendTo(1400, u.UE().Address(), 5000))
			}
		}
		s.RunUntil(100*sim.Millisecond + sim.Time(k+1)*sim.Millisecond)
	}
	var out []float64
	for _, u := range all {
		if cnt[u.IMSI()] == 0 {
			out = append(out, math.Inf(-1))
			continue
		}
		out = append(out, sum[u.IMSI()]/cnt[u.IMSI()])
	}
	return out
}

// TestOfdmaBeams: two UEs 90 degrees apart around the gNB (direct-path
// beams, one 5G-LENA beam id). In TDMA each block has its own symbols and
// its UE's beam. In OFDMA their blocks share the symbols, hence the gNB's
// power (the same per RB: all RBs are used either way) and the beam of
// the first block: the first UE keeps its SINR, the second gets what a
// beam pointed elsewhere gives it (here 8 instead of 32 dB when they
// share a slot; about 10 dB less on average, as some slots serve it
// alone). Without beams (PathlossChannel) OFDMA never does worse per RB:
// blocks that share a symbol split the power as a TDMA block does, and a
// block alone on part of the band has its power on fewer RBs
// (UNIFORM_POWER_ALLOCATION_USED).
func TestOfdmaBeams(t *testing.T) {
	g := []mobility.Vector{{Z: 25}}
	u := [][]mobility.Vector{{{X: 60, Z: 1.5}, {Y: 60, Z: 1.5}}}
	tdma := dlSinr(t, SchedulerTdmaRR, ChannelThreeGPP, g, u, []bool{true})
	ofdma := dlSinr(t, SchedulerOfdmaRR, ChannelThreeGPP, g, u, []bool{true})
	require.InDelta(t, tdma[0], ofdma[0], 0.5)
	require.Less(t, ofdma[1], tdma[1]-8)
	tdma = dlSinr(t, SchedulerTdmaRR, ChannelPathloss, g, u, []bool{true})
	ofdma = dlSinr(t, SchedulerOfdmaRR, ChannelPathloss, g, u, []bool{true})
	require.GreaterOrEqual(t, ofdma[0], tdma[0]-1e-9)
	require.GreaterOrEqual(t, ofdma[1], tdma[1]-1e-9)
	require.Greater(t, ofdma[0]+ofdma[1], tdma[0]+tdma[1]+0.1)
}

// TestInterCellInterference: two cells 120 m apart, a UE of each between
// them. When both cells send their downlink at the same time, each UE
// sees the other cell's blocks as interference (that gNB's beam for its
// own UE, the UE's beam for its gNB) and its SINR drops by many dB; when
// the other cell is idle, a cell's SINR is what it is alone.
func TestInterCellInterference(t *testing.T) {
	g := []mobility.Vector{{Z: 25}, {X: 120, Z: 25}}
	u := [][]mobility.Vector{{{X: 50, Y: 5, Z: 1.5}}, {{X: 70, Y: -5, Z: 1.5}}}
	alone := dlSinr(t, SchedulerTdmaRR, ChannelThreeGPP, g[:1], u[:1], []bool{true})
	quiet1 := dlSinr(t, SchedulerTdmaRR, ChannelThreeGPP, g, u, []bool{true, false})
	quiet2 := dlSinr(t, SchedulerTdmaRR, ChannelThreeGPP, g, u, []bool{false, true})
	loud := dlSinr(t, SchedulerTdmaRR, ChannelThreeGPP, g, u, []bool{true, true})
	require.InDelta(t, alone[0], quiet1[0], 1e-9, "an idle cell interferes with nothing")
	require.Less(t, loud[0], quiet1[0]-5)
	require.Less(t, loud[1], quiet2[1]-5)
}

// beamTestNetwork is an empty NR network of the default cell radio at
// numerology 2 over 50 MHz, with beamforming method m.
func beamTestNetwork(t *testing.T, m threegpp.Method) (*sim.Simulator, *Network) {
	t.Helper()
	s := sim.New(1, 1)
	cfg := DefaultCellRadio()
	cfg.Gnb.Phy.Numerology, cfg.Gnb.Phy.BandwidthHz = 2, 50e6
	cfg.Beamforming.Method = m
	n, err := NewNetworkWith(inet.NewNetwork(s), cfg, nil)
	require.NoError(t, err)
	return s, n
}

// TestBeamKeys: direct-path beams all have 5G-LENA's empty BeamId, one
// key for every UE; cell scan beams are keyed by their codebook weights,
// so UEs around the gNB fall into several beams.
func TestBeamKeys(t *testing.T) {
	for _, tc := range []struct {
		m     threegpp.Method
		multi bool
	}{{threegpp.DirectPath, false}, {threegpp.CellScan, true}} {
		_, n := beamTestNetwork(t, tc.m)
		g, err := n.AddGnb(mobility.Vector{Z: 25})
		require.NoError(t, err)
		bc := n.Channel().(BeamChannel)
		keys := map[uint64]bool{}
		for _, p := range append(mobility.Ring(mobility.Vector{Z: 1.5}, 60, 8), mobility.Vector{X: 60, Y: 0.5, Z: 1.5}) {
			u, err := n.AddUE(p)
			require.NoError(t, err)
			require.NoError(t, n.Attach(u, g))
			keys[bc.BeamKey(g.Radio(), u.Radio())] = true
		}
		require.Equal(t, tc.multi, len(keys) > 1, "%v: %d keys", tc.m, len(keys))
	}
}

// TestPairsDrawnFromGnb: every gNB-UE pair, serving or interfering, has
// its TR 38.901 parameters drawn from the gNB's side (ns-3's
// ThreeGppChannelModel draws a pair in the direction of its first
// GetChannel call; 5G-LENA's gNBs send the MIB in a DL control symbol at
// their first slot and every frame start, which reaches every UE before a
// UE sends anything), also for a UE added while the network runs (drawn
// at the next frame start) and with direct-path beams, whose computation
// draws nothing. Without the gNBs' draws, a pair's first computation
// would be this test's own query from the UE's side.
func TestPairsDrawnFromGnb(t *testing.T) {
	s, n := beamTestNetwork(t, threegpp.DirectPath)
	g1, err := n.AddGnb(mobility.Vector{Z: 25})
	require.NoError(t, err)
	g2, err := n.AddGnb(mobility.Vector{X: 200, Z: 25})
	require.NoError(t, err)
	gnbs := []*Gnb{g1, g2}
	var ues []*UeDevice
	add := func(p mobility.Vector, g *Gnb) {
		u, err := n.AddUE(p)
		require.NoError(t, err)
		require.NoError(t, n.Attach(u, g))
		ues = append(ues, u)
	}
	add(mobility.Vector{X: 60, Z: 1.5}, g1)
	add(mobility.Vector{X: 150, Y: 20, Z: 1.5}, g2)
	s.RunUntil(12 * sim.Millisecond)
	add(mobility.Vector{X: 90, Y: -30, Z: 1.5}, g1)
	s.RunUntil(25 * sim.Millisecond)
	tc := n.Channel().(*ThreeGPPChannel)
	require.Equal(t, uint64(len(gnbs)*len(ues)), tc.FastFading().Stats().Params, "one draw per gNB-UE pair")
	for _, u := range ues {
		for _, g := range gnbs {
			d, ok, err := tc.Medium().Pair(u.Radio(), g.Radio())
			require.NoError(t, err)
			require.True(t, ok)
			require.False(t, d.Link.DrawnFromTx(), "UE %d -> gNB %d: drawn from the gNB", u.Radio(), g.Radio())
		}
	}
}
