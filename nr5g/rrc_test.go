package nr5g

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/mobility"
)

// attachRing attaches n UEs on a 100 m ring to a gNB of the reference
// cell's band (mu 2, 50 MHz: 250 us slots) and runs until 400 ms.
func attachRing(t *testing.T, n int, mod func(*NetworkConfig)) (*Gnb, []*UeDevice) {
	t.Helper()
	s := sim.New(1, 1)
	cfg := DefaultCellRadio()
	cfg.Gnb.Phy.Numerology, cfg.Gnb.Phy.BandwidthHz = 2, 50e6
	mod(&cfg)
	nr, err := NewNetwork(s, cfg)
	require.NoError(t, err)
	_, err = nr.EPC().SetupRemoteHost(epc.DefaultRemoteHostConfig())
	require.NoError(t, err)
	g, err := nr.AddGnb(mobility.Vector{Z: 25})
	require.NoError(t, err)
	var ues []*UeDevice
	for _, p := range mobility.Ring(mobility.Vector{Z: 1.5}, 100, n) {
		u, err := nr.AddUE(p)
		require.NoError(t, err)
		require.NoError(t, nr.Attach(u, g))
		ues = append(ues, u)
	}
	s.RunUntil(400 * sim.Millisecond)
	return g, ues
}

// TestAttachManyUEs: ten UEs hear SIB2 at 16 ms and send their preambles
// in the next slot. 5G-LENA numbers preambles from one counter, so none
// collide, and the gNB gives all ten an RNTI; but a Msg3 grant takes 2
// symbols at MCS 0 (26 bytes for 144 bits), so the F slot's 12 UL data
// symbols hold 6: UEs 1-6 get their RAR 3 slots after the preamble and
// connect at 17.018 ms; the other four get no RAR, their contexts time
// out at the gNB (15 ms) and they send another preamble when their RAR
// window closes (6 + 3 slots = 2.25 ms), connecting 8 slots later with
// RNTIs 11-14 at 19.018 ms. 5G-LENA nr-4.1 gives the reference cell the
// same RNTIs at the same times, to the nanosecond (its NrGnbRrc
// ConnectionEstablished trace in bench/ns3/nr-cell.cc).
func TestAttachManyUEs(t *testing.T) {
	g, ues := attachRing(t, 10, func(*NetworkConfig) {})
	first := 17017856 * sim.Nanosecond
	for i, u := range ues {
		require.True(t, u.Ready(), "UE %d", i)
		if i < 6 {
			require.Equal(t, uint16(i+1), u.RNTI())
			require.Equal(t, first, u.AttachedAt())
			require.Equal(t, uint64(1), u.Stats().Preambles)
		} else {
			require.Equal(t, uint16(i+5), u.RNTI())
			require.Equal(t, 19017856*sim.Nanosecond, u.AttachedAt())
			require.Equal(t, UeStats{Preambles: 2, RaTimeouts: 1}, UeStats{Preambles: u.Stats().Preambles, RaTimeouts: u.Stats().RaTimeouts})
		}
	}
	st := g.Stats()
	require.Equal(t, uint64(4), st.RrcTimeouts)
	require.Equal(t, uint64(10), st.Connected)
	require.Zero(t, st.PreambleCollisions)
}

// TestAttachRandomPreambles: with preambles drawn among 52 (TS 38.321),
// ten UEs sending in one occasion collide (seed 1: two UEs on one
// preamble); the colliding UEs and those without a Msg3 grant try again
// after their window, and all connect.
func TestAttachRandomPreambles(t *testing.T) {
	g, ues := attachRing(t, 10, func(c *NetworkConfig) { c.Gnb.Rrc.Rach.RandomPreambles = true })
	retried := 0
	for _, u := range ues {
		require.True(t, u.Ready())
		if u.Stats().Preambles > 1 {
			retried++
		}
	}
	st := g.Stats()
	require.Equal(t, uint64(2), st.PreambleCollisions)
	require.Equal(t, uint64(2), st.RrcTimeouts, "8 RNTIs, 6 Msg3 grants")
	require.Equal(t, 4, retried)
}

// TestRrcDelayed: with the message-delay model (2 ms) a UE connects when
// the RRC Connection Setup arrives, Request + Setup = 4 ms after the
// ideal protocol's time; with 20 ms the Request arrives after the gNB's
// ConnectionRequestTimeout (15 ms) removed the context, no Setup comes,
// and T300 (100 ms) ends the attempt.
func TestRrcDelayed(t *testing.T) {
	_, ues := attachRing(t, 1, func(c *NetworkConfig) {
		c.Gnb.Rrc.Protocol, c.Gnb.Rrc.MessageDelay = RrcDelayed, 2*sim.Millisecond
	})
	require.True(t, ues[0].Ready())
	require.Equal(t, 17017856*sim.Nanosecond+4*sim.Millisecond, ues[0].AttachedAt())
	require.Equal(t, "CONNECTED_NORMALLY", ues[0].RrcState())

	g, ues := attachRing(t, 1, func(c *NetworkConfig) {
		c.Gnb.Rrc.Protocol, c.Gnb.Rrc.MessageDelay = RrcDelayed, 20*sim.Millisecond
	})
	require.False(t, ues[0].Ready())
	require.Equal(t, "CONNECTED_PHY_PROBLEM", ues[0].RrcState())
	require.Equal(t, uint64(1), ues[0].Stats().T300Expiries)
	require.Equal(t, uint64(1), g.Stats().RrcTimeouts)
}

func TestRrcConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*RrcConfig)
		want string
	}{
		{func(c *RrcConfig) { c.Protocol = 7 }, "Protocol"},
		{func(c *RrcConfig) { c.MessageDelay = -1 }, "MessageDelay"},
		{func(c *RrcConfig) { c.ConnectionRequestTimeout = 16 * sim.Millisecond }, "ConnectionRequestTimeout"},
		{func(c *RrcConfig) { c.T300 = 50 * sim.Millisecond }, "T300"},
		{func(c *RrcConfig) { c.Rach.NumberOfRaPreambles = 65 }, "NumberOfRaPreambles"},
		{func(c *RrcConfig) { c.Rach.PreambleTransMax = 2 }, "PreambleTransMax"},
		{func(c *RrcConfig) { c.Rach.RaResponseWindowSize = 11 }, "RaResponseWindowSize"},
	} {
		c := DefaultRrcConfig()
		tc.mod(&c)
		require.ErrorContains(t, c.Validate(), tc.want)
	}
	require.NoError(t, DefaultRrcConfig().Validate())
	require.Equal(t, "delayed", RrcDelayed.String())
}
