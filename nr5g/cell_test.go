package nr5g

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

func TestCellConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*CellConfig)
		want string
	}{
		{func(c *CellConfig) { c.UEs = 0 }, "n 0"},
		{func(c *CellConfig) { c.Distance = 0 }, "distance"},
		{func(c *CellConfig) { c.RateBps = 0 }, "rate"},
		{func(c *CellConfig) { c.PacketSize = 5000 }, "packet"},
		{func(c *CellConfig) { c.Warmup = -1 }, "warmup"},
		{func(c *CellConfig) { c.Duration = 0 }, "duration"},
		{func(c *CellConfig) { c.GnbHeight = 1 }, "gnb-height"},
		{func(c *CellConfig) { c.Numerology = 7 }, "mu"},
		{func(c *CellConfig) { c.FrequencyHz = 200e9 }, "freq"},
		{func(c *CellConfig) { c.BandwidthHz = 1e5 }, "bandwidth"},
		{func(c *CellConfig) { c.RateBps, c.PacketSize = 1e11, 1 }, "less than 1 ns apart"},
		{func(c *CellConfig) { c.Radio.Gnb.Scheduler.Type = 99 }, "Scheduler"},
	} {
		c := DefaultCellConfig()
		tc.mod(&c)
		require.ErrorContains(t, c.Validate(), tc.want)
	}
	require.NoError(t, DefaultCellConfig().Validate())
}

// TestCell: a small cell of the reference radio (3 UEs at 60 m, 100 ms of
// traffic after 100 ms) runs twice alike; every UE is served, the events
// and per-UE figures add up, and the flow monitor sees the delays.
func TestCell(t *testing.T) {
	cfg := DefaultCellConfig()
	cfg.UEs, cfg.Distance = 3, 60
	cfg.Warmup, cfg.Duration = 100*sim.Millisecond, 100*sim.Millisecond
	cfg.FlowMonitor = true
	a, err := RunCell(cfg)
	require.NoError(t, err)
	b, err := RunCell(cfg)
	require.NoError(t, err)
	require.Equal(t, a.PerUEMbps, b.PerUEMbps)
	require.Equal(t, a.Events, b.Events)
	require.Equal(t, a.UEs, b.UEs)
	require.Len(t, a.PerUEMbps, 3)
	sum := 0.0
	for i, u := range a.UEs {
		sum += u.Mbps
		require.Positive(t, u.DlTbs, "UE %d", i)
		require.Contains(t, []string{"LOS", "NLOS"}, u.Los)
		require.Positive(t, u.DelayMs, "UE %d", i)
		require.InDelta(t, u.Mbps, a.PerUEMbps[i], 0.0005)
	}
	require.InDelta(t, a.GoodputMbps, sum, 1e-9)
	require.Positive(t, a.GoodputMbps)
	require.LessOrEqual(t, a.GoodputMbps, 3*10.0)
	data := 0
	for _, f := range a.Flows {
		if f.Tuple.DstPort == CellPort {
			data++
		}
	}
	require.Equal(t, 3, data, "one flow per UE (the others are the core's GTP-C)")
	require.Positive(t, a.Events)
}

// TestCellAttach: the reference cell's 10 UEs attach as in 5G-LENA nr-4.1
// (bench/ns3/nr-cell.cc, its ConnectionEstablished trace): the first six
// at 17.017856 ms with RNTIs 1 to 6 (six Msg3 grants fit the first F
// slot), the other four, whose RAR window ran out, at 19.017856 ms with
// RNTIs 11 to 14 (the gNB gave RNTIs 7 to 10 to their first preambles).
func TestCellAttach(t *testing.T) {
	cfg := DefaultCellConfig()
	cfg.Warmup, cfg.Duration = 30*sim.Millisecond, sim.Millisecond
	res, err := RunCell(cfg)
	require.NoError(t, err)
	var rntis []uint16
	var at []sim.Time
	for _, u := range res.UEs {
		rntis, at = append(rntis, u.RNTI), append(at, u.AttachedAt)
	}
	first, second := 17017856*sim.Nanosecond, 19017856*sim.Nanosecond
	require.Equal(t, []uint16{1, 2, 3, 4, 5, 6, 11, 12, 13, 14}, rntis)
	require.Equal(t, []sim.Time{first, first, first, first, first, first, second, second, second, second}, at)
}
