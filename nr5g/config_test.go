package nr5g

import (
	"testing"

	"github.com/netgym/netgym/sim"
	"github.com/stretchr/testify/require"
)

func TestDefaultPhyConfig(t *testing.T) {
	c := DefaultPhyConfig()
	require.NoError(t, c.Validate())
	require.Equal(t, Numerology(0), c.Numerology)
	require.Equal(t, 14, c.SymbolsPerSlot)
	require.Equal(t, 0.04, c.RbOverhead)
	require.Equal(t, "F|F|F|F|F|F|F|F|F|F|", c.Pattern.String())
	require.Equal(t, []int{1, 1, 1}, []int{c.DlCtrlSymbols, c.UlCtrlSymbols, c.SrsSymbols})
	require.Equal(t, []int{0, 2, 2, 2}, []int{c.N0Delay, c.N1Delay, c.N2Delay, c.L1L2CtrlLatency})
	require.Equal(t, 100*sim.Microsecond, c.TbDecodeLatency)
	require.Equal(t, LteMi, c.ErrorModel)
	require.Equal(t, DefaultAmcConfig(), c.Amc)
	rbs, err := c.RbCount()
	require.NoError(t, err)
	require.Equal(t, 2133, rbs) // 400 MHz * 0.96 / 180 kHz
	require.Equal(t, sim.Millisecond, c.SlotDuration())
	require.Equal(t, sim.Time(71428), c.SymbolDuration())

	// NetRL's 5G-LENA scenario: mu 3, 100 MHz.
	c.Numerology, c.BandwidthHz = 3, 100e6
	require.NoError(t, c.Validate())
	rbs, err = c.RbCount()
	require.NoError(t, err)
	require.Equal(t, 66, rbs)
	c.NumRbPerRbg = 4
	rbgs, err := c.RbgCount()
	require.NoError(t, err)
	require.Equal(t, 16, rbgs)
}

func TestPhyConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*PhyConfig)
	}{
		{"Numerology", func(c *PhyConfig) { c.Numerology = 9 }},
		{"SymbolsPerSlot", func(c *PhyConfig) { c.SymbolsPerSlot = 15 }},
		{"CentralFrequencyHz", func(c *PhyConfig) { c.CentralFrequencyHz = 0 }},
		{"BandwidthHz", func(c *PhyConfig) { c.BandwidthHz = 50e3 }},
		{"RbOverhead", func(c *PhyConfig) { c.RbOverhead = 0.7 }},
		{"NumRbPerRbg", func(c *PhyConfig) { c.NumRbPerRbg = 3000 }},
		{"Pattern", func(c *PhyConfig) { c.Pattern = nil }},
		{"N0Delay", func(c *PhyConfig) { c.N0Delay = 2 }},
		{"N1Delay", func(c *PhyConfig) { c.N1Delay = 5 }},
		{"N2Delay", func(c *PhyConfig) { c.N2Delay = -1 }},
		{"DlCtrlSymbols", func(c *PhyConfig) { c.DlCtrlSymbols = 14 }},
		{"control symbols", func(c *PhyConfig) { c.DlCtrlSymbols, c.UlCtrlSymbols, c.SrsSymbols = 6, 6, 2 }},
		{"SrsPeriodicity", func(c *PhyConfig) { c.SrsPeriodicity = 0 }},
		{"TbDecodeLatency", func(c *PhyConfig) { c.TbDecodeLatency = -1 }},
		{"NumRbPerRbg", func(c *PhyConfig) { c.NumRbPerRbg = 0 }},
		{"ErrorModel", func(c *PhyConfig) { c.ErrorModel = 9 }},
		{"NumRefScPerRb", func(c *PhyConfig) { c.Amc.NumRefScPerRb = 13 }},
		{"Amc.ErrorModel", func(c *PhyConfig) { c.ErrorModel = EesmIrT1 }},
	} {
		c := DefaultPhyConfig()
		tc.mod(&c)
		err := c.Validate()
		require.Error(t, err, tc.name)
		require.Contains(t, err.Error(), tc.name)
	}
}

// Slot layouts of NrMacSchedulerNs3 (ScheduleDl prepends the DL control
// symbol, ScheduleUl appends the UL control symbol, DoScheduleUl puts SRS
// before it in F and UL slots).
func TestSlotSymbols(t *testing.T) {
	c := DefaultPhyConfig()
	for _, tc := range []struct {
		st                                    SlotType
		srs                                   bool
		dlCtrl, dataStart, dataLen, srsS, ulC int
	}{
		{SlotF, false, 1, 1, 12, 0, 1},
		{SlotF, true, 1, 1, 11, 1, 1},
		{SlotDL, true, 1, 1, 13, 0, 0},
		{SlotS, false, 1, 1, 12, 0, 1},
		{SlotUL, false, 0, 0, 13, 0, 1},
		{SlotUL, true, 0, 0, 12, 1, 1},
	} {
		a, b, d, e, f := c.SlotSymbols(tc.st, tc.srs)
		require.Equal(t, []int{tc.dlCtrl, tc.dataStart, tc.dataLen, tc.srsS, tc.ulC}, []int{a, b, d, e, f}, "%v srs=%v", tc.st, tc.srs)
	}
}
