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
// slots, 400 datagrams) allocate nothing, whichever the scheduler.
func TestCellSteadyStateAllocs(t *testing.T) {
	for _, kind := range []SchedulerKind{FlexTtiRR, FlexTtiPF, FlexTtiMaxRate} {
		t.Run(kind.Flag(), func(t *testing.T) {
			cfg := DefaultCellConfig()
			cfg.Radio.Scheduler.Kind = kind
			c, err := NewCell(cfg)
			require.NoError(t, err)
			s := c.Sim()
			s.RunUntil(cfg.Warmup + 500*sim.Millisecond) // pools and queues at their size
			allocs := testing.AllocsPerRun(5, func() { s.RunUntil(s.Now() + 20*sim.Millisecond) })
			require.Zero(t, allocs)
		})
	}
}

// TestCellSchedulers: three UEs 20, 70 and 110 m from the eNB (MCS 28, 24
// and 4 with seed 1), each offered 1 Gb/s downlink (more than the carrier
// carries; RLC buffers of 10 MiB), for 200 ms. Round robin and PF give
// each UE about a third of the data symbols, so each UE's goodput follows
// its rate; MaxRate gives the near UE all of them but the first TB of each
// far UE (sent at MCS 0 before any CQI) and starves the others, for the
// highest total.
func TestCellSchedulers(t *testing.T) {
	tests := []struct {
		kind    SchedulerKind
		sym     []int // DL new-data symbols by UE
		goodput []float64
	}{
		{FlexTtiRR, []int{3158, 3144, 3158}, []float64{260.64, 208.32, 27.84}},
		{FlexTtiPF, []int{3149, 3148, 3135}, []float64{259.728, 210, 27.696}},
		{FlexTtiMaxRate, []int{9492, 12, 12}, []float64{784.752, 0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.kind.Flag(), func(t *testing.T) {
			cfg := DefaultCellConfig()
			cfg.UEs, cfg.Distances, cfg.RateBps = 3, []float64{20, 70, 110}, 1e9
			cfg.Duration = 200 * sim.Millisecond
			cfg.Radio.Scheduler.Kind = tc.kind
			cfg.Radio.RlcUm.MaxTxBufferSize = 10 << 20
			c, err := NewCell(cfg)
			require.NoError(t, err)
			sym := make([]int, 3)
			mcs := make([]int, 3)
			c.Helper().OnTB = func(tr TBTrace) {
				if tr.Time < cfg.Warmup || tr.Dir != Downlink || tr.Rv != 0 {
					return
				}
				sym[tr.RNTI-1] += tr.NumSym
				mcs[tr.RNTI-1] = tr.Mcs
			}
			res := c.Run()
			require.Equal(t, tc.sym, sym)
			require.Equal(t, tc.goodput, res.PerUEMbps)
			total := 800 * 12 // slots in 200 ms times data symbols
			switch tc.kind {
			case FlexTtiMaxRate:
				require.Equal(t, []int{28, 0, 0}, mcs)
				require.Greater(t, float64(sym[0]), 0.98*float64(total))
			default:
				require.Equal(t, []int{28, 24, 4}, mcs)
				sum := sym[0] + sym[1] + sym[2]
				require.Greater(t, float64(sum), 0.98*float64(total))
				for i := range sym {
					require.InEpsilon(t, float64(sum)/3, float64(sym[i]), 0.005, "UE %d", i)
				}
			}
		})
	}
}

// TestCellSchedulerDeterminism: with PF and MaxRate too, the same seed
// replays the reference cell bit for bit and another seed draws other
// channels.
func TestCellSchedulerDeterminism(t *testing.T) {
	for _, kind := range []SchedulerKind{FlexTtiPF, FlexTtiMaxRate} {
		t.Run(kind.Flag(), func(t *testing.T) {
			cfg := DefaultCellConfig()
			cfg.Duration = 100 * sim.Millisecond
			cfg.Radio.Scheduler.Kind = kind
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
		})
	}
}
