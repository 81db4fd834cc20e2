package nr5g

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/mobility"
	"github.com/netgym/netgym/sim/propagation"
)

func TestConfigsValidate(t *testing.T) {
	require.NoError(t, DefaultNetworkConfig().Validate())
	for _, tc := range []struct {
		mod  func(*NetworkConfig)
		want string
	}{
		{func(c *NetworkConfig) { c.Gnb.TxPowerDbm = math.NaN() }, "GnbConfig.TxPowerDbm"},
		{func(c *NetworkConfig) { c.Gnb.NoiseFigureDb = -1 }, "GnbConfig.NoiseFigureDb"},
		{func(c *NetworkConfig) { c.Gnb.Array.Rows = 0 }, "ArrayConfig 0x4"},
		{func(c *NetworkConfig) { c.Gnb.Rlc.MaxTxBufferBytes = 0 }, "RlcConfig.MaxTxBufferBytes"},
		{func(c *NetworkConfig) { c.Gnb.Rlc.BsrTimer = 0 }, "RlcConfig.BsrTimer"},
		{func(c *NetworkConfig) { c.Gnb.Rrc.SystemInformationPeriodicity = 0 }, "RrcConfig.SystemInformationPeriodicity"},
		{func(c *NetworkConfig) { c.Gnb.Scheduler.NumHarqProcesses = 0 }, "SchedulerConfig.NumHarqProcesses"},
		{func(c *NetworkConfig) { c.Gnb.Phy.SymbolsPerSlot = 12 }, "SymbolsPerSlot 12"},
		{func(c *NetworkConfig) { c.Gnb.Phy.N0Delay = 1 }, "N0Delay 1"},
		{func(c *NetworkConfig) { c.Ue.TxPowerDbm = 1000 }, "UeConfig.TxPowerDbm"},
		{func(c *NetworkConfig) { c.Ue.MTU = 10 }, "UeConfig.MTU"},
		{func(c *NetworkConfig) { c.Channel = 7 }, "NetworkConfig.Channel"},
		{func(c *NetworkConfig) { c.Beamforming.Period = 0 }, "NetworkConfig.Beamforming"},
		{func(c *NetworkConfig) { c.UpdatePeriod = -1 }, "NetworkConfig.UpdatePeriod"},
	} {
		c := DefaultNetworkConfig()
		tc.mod(&c)
		err := c.Validate()
		require.Error(t, err, tc.want)
		require.Contains(t, err.Error(), tc.want)
		_, err = NewNetwork(sim.New(1, 1), c)
		require.Error(t, err)
	}
}

func TestNetworkErrors(t *testing.T) {
	_, err := NewNetwork(nil, DefaultNetworkConfig())
	require.Error(t, err)
	s := sim.New(1, 1)
	n, err := NewNetwork(s, DefaultNetworkConfig())
	require.NoError(t, err)
	require.Error(t, n.AttachToClosest())
	g, err := n.AddGnb(mobility.Vector{Z: 25})
	require.NoError(t, err)
	other := DefaultGnbConfig()
	other.Phy.Numerology = 2
	_, err = n.AddGnbWith(mobility.NewConstantPosition(mobility.Vector{}), other)
	require.ErrorContains(t, err, "band differs")
	_, err = n.AddGnbWith(nil, DefaultGnbConfig())
	require.Error(t, err)
	ue, err := n.AddUE(mobility.Vector{X: 30, Z: 1.5})
	require.NoError(t, err)
	require.Error(t, n.Attach(nil, g))
	require.NoError(t, n.AttachToClosest(ue))
	require.ErrorContains(t, n.Attach(ue, g), "already attached")
	require.Equal(t, uint64(1), ue.IMSI())
	require.Equal(t, uint16(1), g.CellID())
	require.Len(t, n.UEs(), 1)
	require.Len(t, n.Gnbs(), 1)

	// A channel of the caller's must have the band's RBs.
	sc, err := NewStaticChannel(10, 20)
	require.NoError(t, err)
	_, err = NewNetworkWith(inet.NewNetwork(sim.New(1, 1)), DefaultNetworkConfig(), sc)
	require.ErrorContains(t, err, "the channel has 10 RBs")
}

// TestChannelLinkBudget: the SINR per RB of NetRL's LOS link (50 m, gNB
// at 3 m, 4x8 and 2x4 isotropic arrays, UE at 23 dBm over 66 RBs of 1.44
// MHz) is the link budget: 23 dBm - 10 log10(66) - pathloss + 24.08 dB of
// matched beams - (-174 dBm/Hz + 10 log10(1.44 MHz) + 5 dB). The pathloss
// channel and the TR 38.901 channel without fast fading give it exactly;
// with fast fading the LOS cluster channel stays within a few dB of it.
func TestChannelLinkBudget(t *testing.T) {
	grid := Grid{CenterHz: 28e9, NumRBs: 66, SubcarrierSpacingHz: 120e3}
	gnbPos, uePos := mobility.Vector{Z: 3}, mobility.Vector{X: 50, Z: 1.5}
	pl := 28 + 22*math.Log10(gnbPos.Distance(uePos)) + 20*math.Log10(28) // UMa LOS, d < d'BP
	want := 23 - 10*math.Log10(66) - pl + 10*math.Log10(32*8) - (-174 + 10*math.Log10(1.44e6) + 5)
	all := RbgMask(nil).resize(66)
	all.setAll(66)
	build := func(ch Channel) (int, int) {
		g, err := ch.AddRadio(Radio{Mobility: mobility.NewConstantPosition(gnbPos), Array: ArrayConfig{Rows: 4, Columns: 8}, NoiseFigureDb: 5})
		require.NoError(t, err)
		u, err := ch.AddRadio(Radio{Mobility: mobility.NewConstantPosition(uePos), Array: ArrayConfig{Rows: 2, Columns: 4}, NoiseFigureDb: 5})
		require.NoError(t, err)
		require.NoError(t, ch.Connect(g, u))
		return g, u
	}
	mean := func(s []float64) float64 {
		sum := 0.0
		for _, v := range s {
			sum += v
		}
		return 10 * math.Log10(sum/float64(len(s)))
	}

	s := sim.New(1, 1)
	pc := DefaultPathlossChannelConfig(propagation.UMa, grid)
	pc.Pathloss.ShadowingEnabled = false
	pc.Pathloss.Condition = propagation.AlwaysLOS{}
	plc, err := NewPathlossChannel(s, pc)
	require.NoError(t, err)
	g, u := build(plc)
	sinr, err := plc.SINR(nil, u, g, 23, all, 0)
	require.NoError(t, err)
	require.InDelta(t, want, 10*math.Log10(sinr[0]), 1e-9)
	require.InDelta(t, want, mean(sinr), 1e-9)
	_, err = plc.AddRadio(Radio{Mobility: mobility.NewConstantPosition(uePos), Array: ArrayConfig{Rows: 1, Columns: 1, Element: antenna.ThreeGPPElement{}}})
	require.ErrorContains(t, err, "isotropic elements only")

	for _, fading := range []bool{false, true} {
		s := sim.New(1, 1)
		tc := DefaultThreeGPPChannelConfig(propagation.UMa, grid)
		tc.Pathloss.ShadowingEnabled = false
		tc.Pathloss.Condition = propagation.AlwaysLOS{}
		tc.FastFading = fading
		tc.Beamforming.Method = 1 // DirectPath
		ch, err := NewThreeGPPChannel(s, tc)
		require.NoError(t, err)
		g, u := build(ch)
		sinr, err := ch.SINR(nil, u, g, 23, all, 0)
		require.NoError(t, err)
		if !fading {
			require.InDelta(t, want, 10*math.Log10(sinr[0]), 1e-6)
			continue
		}
		require.InDelta(t, want, mean(sinr), 3, "LOS with fast fading: K-factor and clusters")
		half := all.resize(66)
		for rb := 0; rb < 33; rb++ {
			half[rb/64] |= 1 << (rb % 64)
		}
		s2, err := ch.SINR(nil, u, g, 23, half, 0)
		require.NoError(t, err)
		require.Zero(t, s2[40])
		require.InDelta(t, 10*math.Log10(sinr[0])+10*math.Log10(2), 10*math.Log10(s2[0]), 1e-9, "the power of 66 RBs on 33")
	}
}

// TestDeterminism: the same seed and run give the same transport blocks,
// bit for bit; another run gives another channel.
func TestDeterminism(t *testing.T) {
	run := func(seed uint64, dist float64) []TbTrace {
		s := sim.New(seed, 1)
		cfg := DefaultNetworkConfig()
		cfg.Gnb.Phy.Numerology, cfg.Gnb.Phy.BandwidthHz = 3, 100e6
		cfg.Gnb.TxPowerDbm, cfg.Ue.TxPowerDbm = 30, 23
		n, err := NewNetwork(s, cfg)
		require.NoError(t, err)
		g, _ := n.AddGnb(mobility.Vector{Z: 3})
		ue, _ := n.AddUE(mobility.Vector{X: dist, Z: 1.5})
		require.NoError(t, n.Attach(ue, g))
		var tbs []TbTrace
		g.OnTb = func(tr TbTrace) { tbs = append(tbs, tr) }
		cli := ue.Node().NewUDPSocket()
		gw := n.EPC().UEGateway()
		require.NoError(t, cli.Connect(gw, 9))
		var send func(any)
		send = func(any) {
			_ = cli.Send(200)
			s.ScheduleWith(sim.Millisecond, send, nil)
		}
		s.ScheduleWith(50*sim.Millisecond, send, nil)
		s.RunUntil(150 * sim.Millisecond)
		return tbs
	}
	a := run(1, 150)
	require.NotEmpty(t, a)
	require.Equal(t, a, run(1, 150))
	require.NotEqual(t, a, run(2, 150))
}
