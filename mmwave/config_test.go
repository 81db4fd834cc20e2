package mmwave

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/nr5g"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/spectrum/threegpp"
)

func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	require.NoError(t, c.Validate())
	require.Equal(t, 2, c.PhyMac.Numerology)
	require.Equal(t, 200e6, c.PhyMac.BandwidthHz)
	require.Equal(t, 28e9, c.PhyMac.CenterFrequencyHz)
	require.Equal(t, 1, c.PhyMac.UlSchedDelay)
	require.Equal(t, 20, c.PhyMac.NumHarqProcesses)
	require.Equal(t, 100*sim.Microsecond, c.PhyMac.TbDecodeLatency)
	require.Equal(t, 30.0, c.EnbTxPowerDbm)
	require.Equal(t, 30.0, c.UeTxPowerDbm)
	require.Equal(t, 5.0, c.EnbNoiseFigureDb)
	require.Equal(t, 5.0, c.UeNoiseFigureDb)
	require.Equal(t, nr5g.EesmIrT1, c.ErrorModel)
	require.Equal(t, FlexTtiRR, c.Scheduler.Kind)
	require.Equal(t, 100, c.Scheduler.CqiTimerThreshold)
	require.True(t, c.Scheduler.HarqEnabled)
	require.True(t, c.HarqEnabled)
	require.False(t, c.RlcAm)
	require.Equal(t, 10*1024, c.RlcUm.MaxTxBufferSize)
	require.Equal(t, 20*sim.Millisecond, c.RlcUm.ReportBufferStatusTimer)
	require.Equal(t, 100*sim.Millisecond, c.RlcUm.ReorderingTimer)
	require.Equal(t, 500*sim.Microsecond, c.RrcMessageDelay)
	require.Equal(t, threegpp.NS338Compat(), c.Channel.Compat)
	require.Equal(t, threegpp.SVD, c.Channel.Beamforming)
	require.Equal(t, [4]int{2, 2, 8, 8}, [4]int{c.Channel.UeRows, c.Channel.UeColumns, c.Channel.EnbRows, c.Channel.EnbColumns})
	require.Equal(t, "MmWaveFlexTtiMacScheduler", c.Scheduler.Kind.String())
}

// TestFrameStructure: MmWavePhyMacCommon's numbers.
func TestFrameStructure(t *testing.T) {
	tests := []struct {
		mu      int
		bw      float64
		rbs     int
		sym     sim.Time
		slot    sim.Time
		bsr     sim.Time // the UE MAC's BSR period
		perSubf int
	}{
		{2, 200e6, 278, 17857, 250 * sim.Microsecond, 56 * sim.Microsecond, 4},
		{3, 200e6, 139, 8928, 125 * sim.Microsecond, 112 * sim.Microsecond, 8},
		{2, 400e6, 556, 17857, 250 * sim.Microsecond, 56 * sim.Microsecond, 4},
		{2, 100e6, 139, 17857, 250 * sim.Microsecond, 56 * sim.Microsecond, 4},
		{3, 50e6, 35, 8928, 125 * sim.Microsecond, 112 * sim.Microsecond, 8},
	}
	for _, tc := range tests {
		c := DefaultPhyMacConfig()
		c.Numerology, c.BandwidthHz = tc.mu, tc.bw
		require.NoError(t, c.Validate())
		require.Equal(t, tc.rbs, c.NumRBs(), "mu %d bw %g", tc.mu, tc.bw)
		require.Equal(t, tc.sym, c.SymbolPeriod())
		require.Equal(t, tc.slot, c.SlotPeriod())
		require.Equal(t, tc.perSubf, c.SlotsPerSubframe())
		require.Equal(t, tc.bsr, sim.Time(SymbolsPerSlot*c.SlotsPerSubframe())*sim.Microsecond)
		require.Less(t, SymbolsPerSlot*c.SymbolPeriod(), c.SlotPeriod())
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Config)
		want string
	}{
		{"numerology", func(c *Config) { c.PhyMac.Numerology = 1 }, "Numerology 1 must be 2 or 3"},
		{"frequency", func(c *Config) { c.PhyMac.CenterFrequencyHz = 200e9 }, "CenterFrequencyHz"},
		{"ul delay", func(c *Config) { c.PhyMac.UlSchedDelay = 2 }, "UlSchedDelay 2 out of range [0, 1]"},
		{"harq processes", func(c *Config) { c.PhyMac.NumHarqProcesses = 0 }, "NumHarqProcesses"},
		{"decode latency", func(c *Config) { c.PhyMac.TbDecodeLatency = -1 }, "TbDecodeLatency"},
		{"bandwidth", func(c *Config) { c.PhyMac.BandwidthHz = 100e3 }, "BandwidthHz"},
		{"enb power", func(c *Config) { c.EnbTxPowerDbm = 1e9 }, "EnbTxPowerDbm"},
		{"ue noise", func(c *Config) { c.UeNoiseFigureDb = -1 }, "UeNoiseFigureDb"},
		{"cqi period", func(c *Config) { c.CqiReportPeriod = 7 }, "CqiReportPeriod 7"},
		{"error model", func(c *Config) { c.ErrorModel = nr5g.LteMi }, "ErrorModel"},
		{"mcs", func(c *Config) { c.Scheduler.McsDefaultDl = 29 }, "McsDefaultDl 29 out of range [0, 28]"},
		{"both only", func(c *Config) { c.Scheduler.DlSchedOnly, c.Scheduler.UlSchedOnly = true, true }, "both set"},
		{"fixed MCS with PF", func(c *Config) { c.Scheduler.Kind, c.Scheduler.FixedMcsDl = FlexTtiPF, true },
			"SchedulerConfig.FixedMcsDl has no effect with MmWaveFlexTtiPfMacScheduler"},
		{"fixed UL MCS with MaxRate", func(c *Config) { c.Scheduler.Kind, c.Scheduler.FixedMcsUl = FlexTtiMaxRate, true },
			"SchedulerConfig.FixedMcsUl has no effect with MmWaveFlexTtiMaxRateMacScheduler"},
		{"DL only with PF", func(c *Config) { c.Scheduler.Kind, c.Scheduler.DlSchedOnly = FlexTtiPF, true }, "DlSchedOnly has no effect"},
		{"UL only with MaxRate", func(c *Config) { c.Scheduler.Kind, c.Scheduler.UlSchedOnly = FlexTtiMaxRate, true }, "UlSchedOnly has no effect"},
		{"fixed TTI with PF", func(c *Config) { c.Scheduler.Kind, c.Scheduler.FixedTti = FlexTtiPF, true }, "FixedTti has no effect"},
		{"rlc timer", func(c *Config) { c.RlcUm.ReportBufferStatusTimer = 0 }, "ReportBufferStatusTimer"},
		{"am poll", func(c *Config) { c.RlcAmConfig.PollPdu = 0 }, "PollPdu"},
		{"rrc", func(c *Config) { c.RrcMessageDelay = 2 * sim.Second }, "RrcMessageDelay"},
		{"array", func(c *Config) { c.Channel.EnbRows = 0 }, "eNB array"},
		{"update", func(c *Config) { c.Channel.UpdatePeriod = -1 }, "UpdatePeriod"},
		{"mtu", func(c *Config) { c.UeMTU = 10 }, "UeMTU"},
		{"ber", func(c *Config) { c.AmcBer = 0 }, "AmcBer"},
		{"kind", func(c *Config) { c.Scheduler.Kind = 7 }, "Kind 7 unknown"},
	}
	for _, tc := range tests {
		c := DefaultConfig()
		tc.mod(&c)
		require.ErrorContains(t, c.Validate(), tc.want, tc.name)
	}
}

// TestSchedulerKinds: every scheduler validates, names its ns3-mmwave
// class and its flag, and DefaultSchedulerConfigFor carries the PF and
// MaxRate classes' HarqEnabled default (false).
func TestSchedulerKinds(t *testing.T) {
	tests := []struct {
		flag  string
		kind  SchedulerKind
		class string
		harq  bool
	}{
		{"rr", FlexTtiRR, "MmWaveFlexTtiMacScheduler", true},
		{"pf", FlexTtiPF, "MmWaveFlexTtiPfMacScheduler", false},
		{"maxrate", FlexTtiMaxRate, "MmWaveFlexTtiMaxRateMacScheduler", false},
	}
	for _, tc := range tests {
		k, err := ParseSchedulerKind(tc.flag)
		require.NoError(t, err)
		require.Equal(t, tc.kind, k)
		require.Equal(t, tc.flag, k.Flag())
		require.Equal(t, tc.class, k.String())
		c := DefaultConfig()
		c.Scheduler.Kind = k
		require.NoError(t, c.Validate(), tc.flag)
		sc := DefaultSchedulerConfigFor(k)
		require.Equal(t, tc.harq, sc.HarqEnabled, tc.flag)
		require.Equal(t, k, sc.Kind)
		require.Equal(t, 100, sc.CqiTimerThreshold)
	}
	_, err := ParseSchedulerKind("fifo")
	require.ErrorContains(t, err, `scheduler "fifo" not one of rr, pf, maxrate`)
}
