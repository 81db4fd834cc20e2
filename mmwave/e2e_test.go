package mmwave

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/sim"
)

// TestSingleUeClosedForm: one LOS UE 20 m from the eNB, offered more than
// the carrier carries (1.5 Gb/s, RLC buffer 10 MiB), gets every data
// symbol of every slot at MCS 28: 12 symbols, 25523-byte transport
// blocks, 4000 slots a second. Its UDP goodput is the closed form
// 4000 * 25523 * 8 * 1200/1230 b/s (payload over payload plus IPv4, UDP
// and PDCP headers; RLC and MAC headers take about 0.1% more) within 1%.
func TestSingleUeClosedForm(t *testing.T) {
	cfg := DefaultCellConfig()
	cfg.UEs, cfg.Distance, cfg.RateBps = 1, 20, 1.5e9
	cfg.Radio.RlcUm.MaxTxBufferSize = 10 << 20
	c, err := NewCell(cfg)
	require.NoError(t, err)
	tbs, other := 0, 0
	c.Helper().OnTB = func(tr TBTrace) {
		if tr.Time < cfg.Warmup+10*sim.Millisecond || tr.Dir != Downlink {
			return
		}
		if tr.Mcs == 28 && tr.NumSym == 12 && tr.TbSize == 25523 && !tr.Corrupted {
			tbs++
		} else {
			other++
		}
	}
	res := c.Run()
	require.Zero(t, other)
	require.Greater(t, tbs, 3900)
	closed := 4000 * 25523 * 8 * 1200.0 / 1230 / 1e6
	require.InDelta(t, 796.8, closed, 0.05)
	require.InEpsilon(t, closed, res.GoodputMbps, 0.01)
	require.Zero(t, res.Stats.DlCorrupted)
}

// TestCellDeterminism: the same seed replays bit for bit; another seed
// draws other channels.
func TestCellDeterminism(t *testing.T) {
	cfg := DefaultCellConfig()
	cfg.Duration = 200 * sim.Millisecond
	cfg.Seed = 3
	a, err := RunCell(cfg)
	require.NoError(t, err)
	b, err := RunCell(cfg)
	require.NoError(t, err)
	require.Equal(t, a.PerUEMbps, b.PerUEMbps)
	require.Equal(t, a.Events, b.Events)
	require.Equal(t, a.Stats, b.Stats)
	cfg.Seed = 4
	c, err := RunCell(cfg)
	require.NoError(t, err)
	require.NotEqual(t, a.PerUEMbps, c.PerUEMbps)
}

// TestCellSteadyStateAllocs: once the traffic has run long enough for the
// pools and queues to reach their size, 20 ms of the reference cell (80
// slots, 400 datagrams) allocate nothing.
func TestCellSteadyStateAllocs(t *testing.T) {
	cfg := DefaultCellConfig()
	c, err := NewCell(cfg)
	require.NoError(t, err)
	s := c.Sim()
	s.RunUntil(cfg.Warmup + 500*sim.Millisecond) // pools and queues at their size
	allocs := testing.AllocsPerRun(5, func() { s.RunUntil(s.Now() + 20*sim.Millisecond) })
	require.Zero(t, allocs)
}
