package catalog

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/mmwave"
	"github.com/netgym/netgym/nr5g"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sweep"
)

func runPoint(t *testing.T, reg *sweep.Registry, scenario string, set map[string]any, seed, run uint64) map[string]float64 {
	t.Helper()
	sc, err := reg.Lookup(scenario)
	require.NoError(t, err)
	v, err := sweep.NewValues(sc, set)
	require.NoError(t, err)
	if sc.Check != nil {
		require.NoError(t, sc.Check(v))
	}
	m, err := sc.Run(context.Background(), v, seed, run)
	require.NoError(t, err)
	for _, name := range sc.MetricNames() {
		_, ok := m[name]
		require.True(t, ok, "%s returned no %s", scenario, name)
	}
	return m
}

func TestEveryScenarioPlansWithItsDefaults(t *testing.T) {
	reg, err := New()
	require.NoError(t, err)
	require.Equal(t, []string{"channel-sim", "defiance-addition", "lena-sim", "mmwave-cell", "mmwave-sim", "multi-agent-counters", "nr-cell", "rl-wifi",
		"wifi-grid", "wifi-multi-ue-sim", "wifi-saturation", "wifi-sim"}, reg.Names())
	for _, n := range reg.Names() {
		plan, err := reg.Plan(sweep.Spec{Scenario: n})
		require.NoError(t, err, n)
		require.Len(t, plan.Jobs, 1)
		sc, _ := reg.Lookup(n)
		require.Contains(t, Describe(sc), n+": ")
	}
}

// TestWifiSimMatchesTheGoldenRun: a sweep row of wifi-sim at 50 m, 3000
// steps, seed 1 run 1 is bench/testdata/golden.json's wifi_sim_50m.
func TestWifiSimMatchesTheGoldenRun(t *testing.T) {
	if testing.Short() {
		t.Skip("3000 steps of 802.11a")
	}
	reg, err := New()
	require.NoError(t, err)
	m := runPoint(t, reg, "wifi-sim", map[string]any{"distance": 50, "steps": 3000}, 1, 1)
	require.Equal(t, 0.983, m["delivery"])
	require.Equal(t, 9.473380807053239, m["mean_lag"])
	require.Equal(t, 2949.0, m["received"])
}

func TestScenariosRun(t *testing.T) {
	reg, err := New()
	require.NoError(t, err)
	cases := []struct {
		scenario string
		set      map[string]any
		check    func(t *testing.T, m map[string]float64)
	}{
		{"wifi-sim", map[string]any{"distance": 10, "steps": 200}, func(t *testing.T, m map[string]float64) {
			// The last step's packet is still in flight at the last flush.
			require.Equal(t, 0.995, m["delivery"])
			require.Equal(t, 0.03015075376884422, m["mean_lag"]) // the first packet waits for ARP
		}},
		{"wifi-sim", map[string]any{"distance": 80, "steps": 100}, func(t *testing.T, m map[string]float64) {
			require.Equal(t, 0.0, m["delivery"])
			require.True(t, math.IsNaN(m["mean_lag"]))
		}},
		{"wifi-multi-ue-sim", map[string]any{"n_ues": 2, "steps": 200}, func(t *testing.T, m map[string]float64) {
			require.Equal(t, 1.0, m["associated"])
			require.Greater(t, m["delivery"], 0.9)
		}},
		{"channel-sim", map[string]any{"model": "perfect", "steps": 100}, func(t *testing.T, m map[string]float64) {
			require.Equal(t, map[string]float64{"delivery": 1, "mean_lag": 0, "received": 100}, m)
		}},
		{"channel-sim", map[string]any{"p_gb": 0, "loss_good": 0.5, "steps": 20000, "delay_steps": 2}, func(t *testing.T, m map[string]float64) {
			require.InDelta(t, 0.5, m["delivery"], 0.02)
			require.Equal(t, 2.0, m["mean_lag"])
		}},
		{"wifi-saturation", map[string]any{"n": 2, "duration_s": 0.2, "warmup_s": 0.1, "static_arp": true}, func(t *testing.T, m map[string]float64) {
			require.Greater(t, m["throughput_mbps"], 20.0)
		}},
		{"defiance-addition", map[string]any{"pairs": 1, "episodes": 1, "truncation_s": 20}, func(t *testing.T, m map[string]float64) {
			require.GreaterOrEqual(t, m["greedy_mean_reward"], 0.0)
			require.LessOrEqual(t, m["greedy_mean_reward"], 1.0)
		}},
		{"multi-agent-counters", map[string]any{"agents": 1, "episodes": 2, "eval_episodes": 1}, func(t *testing.T, m map[string]float64) {
			require.LessOrEqual(t, m["eval_final_abs"], 50.0)
		}},
		{"rl-wifi", map[string]any{"distance": 10, "episodes": 0, "episode_s": 5}, func(t *testing.T, m map[string]float64) {
			require.True(t, math.IsNaN(m["training_mean_reward"]))
			require.Greater(t, m["delivery"], 0.9)
		}},
		{"lena-sim", map[string]any{"distance": 50, "steps": 300}, func(t *testing.T, m map[string]float64) {
			require.Greater(t, m["delivery"], 0.9)
			require.Greater(t, m["events"], 1000.0)
		}},
		{"mmwave-sim", map[string]any{"distance": 50, "steps": 300}, func(t *testing.T, m map[string]float64) {
			require.Equal(t, 298.0/300, m["delivery"]) // the last two in flight (S1-U 1 ms)
			require.Equal(t, 1.5, m["mean_lag"])
		}},
		{"mmwave-cell", map[string]any{"n": 3, "distance": 50, "duration_s": 0.1}, func(t *testing.T, m map[string]float64) {
			require.Greater(t, m["events"], 1000.0)
			require.Greater(t, m["min_ue_mbps"], 0.0)
		}},
		{"wifi-grid", map[string]any{"bss": 4, "stations": 2, "duration_s": 0.2}, func(t *testing.T, m map[string]float64) {
			require.Equal(t, 12.0, m["nodes"])
			// 8 stations, 10 packets/s each for 0.2 s.
			require.InDelta(t, 16, m["sent"], 8)
			require.Equal(t, 1.0, m["delivery"])
			// Every frame is heard by the other 11 PHYs, 50 m apart at
			// most: a data frame and its ACK reach each one, decoded
			// (received or payload failed) or dropped.
			require.Greater(t, m["transmissions"], 2*m["sent"]-1)
			heard := m["rx_ok_per_tx"] + m["rx_error_per_tx"] + m["preamble_detect_failure_per_tx"] +
				m["busy_decoding_preamble_per_tx"] + m["rxing_per_tx"] + m["txing_per_tx"]
			require.Greater(t, m["rx_ok_per_tx"], 2.0)
			require.InDelta(t, 11, heard, 1)
			require.LessOrEqual(t, heard, 11+1e-9, "each arrival ends one way")
			require.Equal(t, 1.0, m["associated"])
			require.True(t, math.IsNaN(m["assoc_median_ms"]), "ad-hoc: no association")
			require.Zero(t, m["assoc_requests_per_sta"])
		}},
		{"wifi-grid", map[string]any{"bss": 4, "stations": 2, "duration_s": 0.1, "infra": true,
			"start_jitter_ms": 100, "warmup_s": 0.4}, func(t *testing.T, m map[string]float64) {
			// Every station scans from its own power-on in [0, 100) ms,
			// for WaitBeaconTimeout (120 ms), then associates.
			require.Equal(t, 1.0, m["associated"])
			require.GreaterOrEqual(t, m["assoc_median_ms"], 120.0)
			require.Less(t, m["assoc_last_ms"], 225.0)
			require.GreaterOrEqual(t, m["assoc_last_ms"], m["assoc_median_ms"])
			require.GreaterOrEqual(t, m["assoc_requests_per_sta"], 1.0)
			require.Equal(t, 1.0, m["delivery"])
		}},
	}
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			c.check(t, runPoint(t, reg, c.scenario, c.set, 1, 1))
		})
	}
}

// TestRunsDiffer: run numbers are independent replications, the same run
// is the same result.
func TestRunsDiffer(t *testing.T) {
	reg, err := New()
	require.NoError(t, err)
	set := map[string]any{"distance": 52, "steps": 300, "step_ms": 10}
	a := runPoint(t, reg, "wifi-sim", set, 1, 1)
	b := runPoint(t, reg, "wifi-sim", set, 1, 2)
	c := runPoint(t, reg, "wifi-sim", set, 1, 1)
	require.Equal(t, a, c)
	require.NotEqual(t, a["events"], b["events"])
}

// TestMmwaveCellRowMatchesRunCell: a sweep row of mmwave-cell is the
// reference cell mmwave.RunCell computes for the same seed, run and
// scheduler.
func TestMmwaveCellRowMatchesRunCell(t *testing.T) {
	reg, err := New()
	require.NoError(t, err)
	for _, c := range []struct {
		scheduler string // "" leaves the default (rr)
		kind      mmwave.SchedulerKind
	}{{"", mmwave.FlexTtiRR}, {"pf", mmwave.FlexTtiPF}, {"maxrate", mmwave.FlexTtiMaxRate}} {
		pt := map[string]any{"n": 4, "duration_s": 0.2}
		if c.scheduler != "" {
			pt["scheduler"] = c.scheduler
		}
		plan, err := reg.Plan(sweep.Spec{Scenario: "mmwave-cell", Points: []map[string]any{pt}, Seeds: sweep.Numbers{3}})
		require.NoError(t, err)
		var buf bytes.Buffer
		_, err = sweep.Run(context.Background(), plan, sweep.Options{Stream: &buf})
		require.NoError(t, err)
		var row sweep.Row
		require.NoError(t, row.UnmarshalJSON(bytes.TrimSpace(buf.Bytes())))
		cfg := mmwave.DefaultCellConfig()
		cfg.UEs, cfg.Duration, cfg.Seed = 4, 200*sim.Millisecond, 3
		cfg.Radio.Scheduler.Kind = c.kind
		want, err := mmwave.RunCell(cfg)
		require.NoError(t, err)
		got, ok := row.Metric("goodput_mbps")
		require.True(t, ok)
		require.Equal(t, want.GoodputMbps, got, c.kind.Flag())
		ev, _ := row.Metric("events")
		require.Equal(t, float64(want.Events), ev, c.kind.Flag())
	}
	_, err = reg.Plan(sweep.Spec{Scenario: "mmwave-cell", Points: []map[string]any{{"scheduler": "fifo"}}, Seeds: sweep.Numbers{1}})
	require.ErrorContains(t, err, "fifo")
}

// TestNrCellRowMatchesRunCell: a sweep row of nr-cell is the reference
// cell nr5g.RunCell computes for the same seed and run.
func TestNrCellRowMatchesRunCell(t *testing.T) {
	reg, err := New()
	require.NoError(t, err)
	plan, err := reg.Plan(sweep.Spec{Scenario: "nr-cell", Points: []map[string]any{{"n": 3, "duration_s": 0.2}}, Seeds: sweep.Numbers{2}})
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = sweep.Run(context.Background(), plan, sweep.Options{Stream: &buf})
	require.NoError(t, err)
	var row sweep.Row
	require.NoError(t, row.UnmarshalJSON(bytes.TrimSpace(buf.Bytes())))
	cfg := nr5g.DefaultCellConfig()
	cfg.UEs, cfg.Duration, cfg.Seed = 3, 200*sim.Millisecond, 2
	want, err := nr5g.RunCell(cfg)
	require.NoError(t, err)
	got, ok := row.Metric("goodput_mbps")
	require.True(t, ok)
	require.Equal(t, want.GoodputMbps, got)
	ev, _ := row.Metric("events")
	require.Equal(t, float64(want.Events), ev)
}
