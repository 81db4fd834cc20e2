package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/cli/clitest"
)

func TestRun(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-distance", "10", "-episodes", "2"}, "10 100 100"},
		{[]string{"-distance", "80", "-agent", "random", "-episodes", "0"}, "80 0 100 0s 0.0000"},
	}
	for _, tc := range tests {
		var out, diag bytes.Buffer
		require.Equal(t, cli.ExitOK, run(tc.args, &out, &diag), "%v: %s", tc.args, diag.String())
		assert.Contains(t, out.String(), tc.want, tc.args)
		assert.Empty(t, diag.String())
	}
}

func TestCommandLine(t *testing.T) {
	usage := func(line string, args ...string) clitest.Case {
		return clitest.Case{Args: args, Status: cli.ExitUsage, Line: "rl-wifi: " + line}
	}
	clitest.Check(t, "rl-wifi", run,
		[]string{"distance", "agent", "episodes", "sigma", "tx-power", "retries", "seed", "episode-s", "openGymPort", "ns3ai", "segName", "ns3aiTimeout", "peerPid", "simSeed"},
		usage(`invalid value "ten" for flag -distance: "ten" is not a number`, "-distance", "ten"),
		usage(`invalid value "10,,20" for flag -distance: "" is not a number`, "-distance=10,,20"),
		usage("rlexamples: wifi distance -5 must be a non-negative number", "-distance", "-5"),
		usage("rlexamples: wifi retries 0 must be at least 1", "-retries", "0"),
		usage(`invalid value "a2c" for flag -agent: want random or qlearning`, "-agent", "a2c"),
		usage(`invalid value "1" for flag -episode-s: want seconds in [2, 1e+06]`, "-episode-s=1"),
		usage(`invalid value "1e300" for flag -episode-s: want seconds in [2, 1e+06]`, "-episode-s=1e300"),
		usage("flag provided but not defined: -bogus", "--bogus"),
		usage("--openGymPort and --ns3ai choose two ways to serve the agent: give one", "--openGymPort=5555", "--ns3ai"),
		usage("-ns3aiTimeout -1 must be in (0, 1e6] seconds", "--ns3ai", "--ns3aiTimeout=-1"),
	)
}
