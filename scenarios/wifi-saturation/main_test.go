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
		return clitest.Case{Args: args, Status: cli.ExitUsage, Line: "wifi-saturation: " + line}
	}
	clitest.Check(t, "wifi-saturation", run,
		[]string{"n", "rate", "duration", "warmup", "payload", "mode", "infra", "radius", "static-arp", "seed", "json", "profile"},
		usage(`invalid value "fast" for flag -mode: want raw or udp`, "-mode", "fast"),
		usage(`invalid value "gpu" for flag -profile: want "", cpu or mem`, "-profile=gpu"),
		usage("saturation: need at least one station, got 0", "-n", "0"),
		usage(`invalid value "10" for flag -duration: parse error`, "-duration", "10"),
		usage(`unexpected argument "extra" (flags are -name=value or --name=value)`, "-n", "2", "extra"),
	)
}

// TestShortRun runs two raw stations for 50 ms and reads the JSON.
func TestShortRun(t *testing.T) {
	var out, diag bytes.Buffer
	require.Equal(t, cli.ExitOK, run([]string{"-mode=raw", "-n=2", "-duration=50ms", "-warmup=10ms", "-json"}, &out, &diag), diag.String())
	var res struct {
		N              int     `json:"n"`
		ThroughputMbps float64 `json:"throughput_mbps"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &res))
	assert.Equal(t, 2, res.N)
	assert.Greater(t, res.ThroughputMbps, 20.0, "two saturated stations at 54 Mb/s")
	assert.Less(t, res.ThroughputMbps, 54.0)
}
