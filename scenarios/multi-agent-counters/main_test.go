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
		{[]string{"-episodes", "200", "-eval", "1", "-agents", "2"}, "evaluation: mean final |counter|"},
		{[]string{"-agent", "random", "-episodes", "0"}, "evaluation: start"},
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
		return clitest.Case{Args: args, Status: cli.ExitUsage, Line: "multi-agent-counters: " + line}
	}
	clitest.Check(t, "multi-agent-counters", run,
		[]string{"agent", "episodes", "eval", "report-every", "agents", "seed", "delay-ms", "action-delay-ms", "openGymPort", "simSeed"},
		usage("rlexamples: counters agents 0 outside 1..1000", "-agents", "0"),
		usage(`invalid value "ppo" for flag -agent: want random or qlearning`, "-agent", "ppo"),
		usage(`invalid value "-1" for flag -delay-ms: want milliseconds in [0, 1e+09]`, "-delay-ms", "-1"),
		usage(`invalid value "NaN" for flag -action-delay-ms: want milliseconds in [0, 1e+09]`, "-action-delay-ms=NaN"),
		usage("-eval -1 must be >= 0", "-eval=-1"),
		usage(`invalid value "x" for flag -seed: parse error`, "--seed=x"),
		usage("flag provided but not defined: -bogus", "--bogus=1"),
	)
}
