package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/cli/clitest"
	"github.com/netgym/netgym/rl/ns3ai"
)

func options(t *testing.T) ns3ai.Options {
	o := ns3ai.DefaultOptions()
	o.SegmentName = fmt.Sprintf("netgym-test-apb-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"))
	o.HandleFinish = true
	o.PeerPID = -1
	t.Cleanup(func() { _ = os.Remove("/dev/shm/" + o.SegmentName) })
	return o
}

// TestAgainstGoAgent runs the binary's code against netgym's Go agent in
// both variants and checks apb.cc's output lines.
func TestAgainstGoAgent(t *testing.T) {
	for _, vector := range []bool{false, true} {
		t.Run(fmt.Sprint("vector=", vector), func(t *testing.T) {
			o := options(t)
			served := make(chan int, 1)
			if vector {
				agent, err := ns3ai.CreateVector[ns3ai.APBEnv, ns3ai.APBAct](o, ns3ai.Agent, 3)
				require.NoError(t, err)
				defer agent.Close()
				go func() { n, _ := ns3ai.ServeAPBVector(agent); served <- n }()
			} else {
				agent, err := ns3ai.CreateStruct[ns3ai.APBEnv, ns3ai.APBAct](o, ns3ai.Agent)
				require.NoError(t, err)
				defer agent.Close()
				go func() { n, _ := ns3ai.ServeAPBStruct(agent); served <- n }()
			}
			var out, diag bytes.Buffer
			args := []string{"--segName=" + o.SegmentName, "--rounds=4", "--peerPid=-1"}
			if vector {
				args = append(args, "--vector")
			}
			require.Equal(t, 0, run(args, &out, &diag), diag.String())
			require.Equal(t, 4, <-served, "the agent stopped at the end mark")
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			require.Len(t, lines, 8)
			if vector {
				require.Regexp(t, `^set: (\d+,\d+;){3}$`, lines[0])
				require.Regexp(t, `^get: (\d+;){3}$`, lines[1])
			} else {
				var a, b, c int
				_, err := fmt.Sscanf(lines[0]+" "+lines[1], "set: %d,%d; get: %d", &a, &b, &c)
				require.NoError(t, err)
				require.Equal(t, a+b, c)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	o := options(t)
	tests := []struct {
		name   string
		args   []string
		status int
		want   string
	}{
		{"no segment", []string{"--segName=" + o.SegmentName, "--quiet"}, 1, "does not exist: the creator (ns3-ai's Python side) must create it first"},
		{"bad timeout", []string{"--timeout=0"}, 2, "--timeout 0 must be in (0, 1e6] seconds"},
		{"negative rounds", []string{"--rounds=-1"}, 2, "ns3ai: APBConfig.Rounds -1 must be >= 0"},
		{"unknown flag", []string{"--bogus=1"}, 2, "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, diag bytes.Buffer
			require.Equal(t, tt.status, run(tt.args, &out, &diag))
			first, _, _ := strings.Cut(diag.String(), "\n")
			require.Contains(t, first, "ns3ai-apb: ")
			require.Contains(t, first, tt.want)
		})
	}
}

func TestSummary(t *testing.T) {
	lat := []time.Duration{time.Second, 4 * time.Microsecond, 2 * time.Microsecond, 3 * time.Microsecond, 1 * time.Microsecond}
	require.Equal(t, "rounds=4 p50=3.00us p90=4.00us p99=4.00us mean=2.50us", summary(lat))
	require.Equal(t, "rounds=0", summary(nil))
}

func TestCommandLine(t *testing.T) {
	clitest.Check(t, "ns3ai-apb", run,
		[]string{"vector", "gym", "rounds", "seed", "segName", "cpp2pyMsgName", "py2cppMsgName", "lockableName", "handleFinish", "timeout", "create"},
		clitest.Case{Args: []string{"--gym", "--vector"}, Status: cli.ExitUsage, Line: "ns3ai-apb: --gym cannot be combined with --vector or --create: ns3-ai's Gym agent creates a struct segment"},
		clitest.Case{Args: []string{"--timeout=-1"}, Status: cli.ExitUsage, Line: "ns3ai-apb: --timeout -1 must be in (0, 1e6] seconds"},
		clitest.Case{Args: []string{"--rounds=x"}, Status: cli.ExitUsage, Line: `ns3ai-apb: invalid value "x" for flag -rounds: parse error`},
	)
}
