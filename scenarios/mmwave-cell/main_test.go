package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/cli/clitest"
)

func TestCommandLine(t *testing.T) {
	usage := func(line string, args ...string) clitest.Case {
		return clitest.Case{Args: args, Status: cli.ExitUsage, Line: "mmwave-cell: " + line}
	}
	clitest.Check(t, "mmwave-cell", run,
		[]string{"n", "bandwidth", "freq", "distance", "rate", "packet", "duration", "warmup", "enb-height", "seed", "run", "uplink", "scheduler", "json", "profile"},
		usage("mmwave cell: n 0 out of range [1, 1000]", "-n", "0"),
		usage("mmwave cell: rate -1 out of range (0, 1e11] b/s", "-rate=-1"),
		usage("mmwave cell: packet 1500 out of range [1, 1472] bytes (MTU 1500)", "-packet", "1500"),
		usage("mmwave cell: distance 0 out of range [1, 1e5] m", "-distance=0"),
		usage("mmwave cell: enb-height 1 out of range [1.5, 150] m", "-enb-height=1"),
		usage(`invalid value "10" for flag -duration: parse error`, "-duration", "10"),
		usage(`invalid value "gpu" for flag -profile: want "", cpu or mem`, "-profile=gpu"),
		usage(`invalid value "fifo" for flag -scheduler: want rr, pf or maxrate`, "-scheduler", "fifo"),
		usage(`unexpected argument "extra" (flags are -name=value or --name=value)`, "-n", "2", "extra"),
	)
}

// TestShortRun: three LOS UEs at 50 m (seed 4) receive their 20 Mb/s but
// the datagrams still in flight at the end of the 100 ms window (204 of
// the 208 sent by then), downlink and uplink. Offered 400 Mb/s each at
// 100 m (seed 1), the three schedulers share the carrier differently:
// MaxRate gives the UE of the best channel the most, PF the least.
func TestShortRun(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []float64
	}{
		{[]string{"-n=3", "-distance=50", "-seed=4", "-duration=100ms", "-warmup=100ms", "-json"}, []float64{19.584, 19.584, 19.584}},
		{[]string{"-n=2", "-duration=100ms", "-warmup=100ms", "-uplink", "-json"}, []float64{19.68, 19.68}},
		{[]string{"-n=3", "-rate=400e6", "-duration=100ms", "-warmup=100ms", "-json"}, []float64{27.648, 152.544, 27.552}},
		{[]string{"-n=3", "-rate=400e6", "-duration=100ms", "-warmup=100ms", "-scheduler=rr", "-json"}, []float64{27.648, 152.544, 27.552}},
		{[]string{"-n=3", "-rate=400e6", "-duration=100ms", "-warmup=100ms", "-scheduler=pf", "-json"}, []float64{27.936, 147.648, 27.84}},
		{[]string{"-n=3", "-rate=400e6", "-duration=100ms", "-warmup=100ms", "-scheduler=maxrate", "-json"}, []float64{27.648, 168.48, 24.096}},
	} {
		var out, diag bytes.Buffer
		require.Equal(t, cli.ExitOK, run(c.args, &out, &diag), diag.String())
		var res struct {
			Goodput float64   `json:"goodput_mbps"`
			PerUE   []float64 `json:"per_ue_mbps"`
			Events  uint64    `json:"events"`
			WallS   float64   `json:"wall_s"`
		}
		require.NoError(t, json.Unmarshal(out.Bytes(), &res))
		assert.InDeltaSlice(t, c.want, res.PerUE, 1e-9)
		sum := 0.0
		for _, g := range c.want {
			sum += g
		}
		assert.InDelta(t, sum, res.Goodput, 1e-9)
		assert.Positive(t, res.Events)
	}
	var out, diag bytes.Buffer
	require.Equal(t, cli.ExitOK, run([]string{"-n=1", "-duration=10ms", "-warmup=50ms"}, &out, &diag), diag.String())
	assert.Contains(t, out.String(), "1 UEs at 100 m, 20 Mb/s each, 10ms of traffic after 50ms\n")
}
