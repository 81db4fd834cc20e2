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
		{[]string{"-agent", "qlearning", "-episodes", "2"}, "greedy mean reward 1.0000"},
		{[]string{"-agent", "random", "-episodes", "0"}, "greedy mean reward 0.0"},
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
		return clitest.Case{Args: args, Status: cli.ExitUsage, Line: "defiance-addition: " + line}
	}
	clitest.Check(t, "defiance-addition", run,
		[]string{"agent", "episodes", "seed", "pairs", "delay-ms", "action-delay-ms", "openGymPort", "ns3ai", "segName", "ns3aiTimeout", "peerPid", "simSeed"},
		usage("--openGymPort and --ns3ai choose two ways to serve the agent: give one", "--openGymPort=5555", "--ns3ai"),
		usage(`invalid value "sarsa" for flag -agent: want random or qlearning`, "-agent", "sarsa"),
		usage("rlexamples: addition pairs 0 outside 1..1000", "-pairs", "0"),
		usage(`invalid value "-1" for flag -delay-ms: want milliseconds in [0, 1e+09]`, "-delay-ms=-1"),
		usage(`invalid value "1e300" for flag -action-delay-ms: want milliseconds in [0, 1e+09]`, "-action-delay-ms=1e300"),
		usage("-episodes -1 must be >= 0", "-episodes=-1"),
		usage(`invalid value "many" for flag -episodes: parse error`, "--episodes=many"),
		usage("flag provided but not defined: -bogus", "-bogus"),
	)
}
