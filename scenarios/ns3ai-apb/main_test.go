package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
			require.NoError(t, run(args, &out, &diag), diag.String())
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
		name string
		args []string
		want string
	}{
		{"no segment", []string{"--segName=" + o.SegmentName, "--quiet"}, "does not exist: the creator (ns3-ai's Python side) must create it first"},
		{"bad timeout", []string{"--timeout=0"}, "--timeout 0 must be in (0, 1e6] seconds"},
		{"negative rounds", []string{"--rounds=-1"}, "ns3ai: APBConfig.Rounds -1 must be >= 0"},
		{"unknown flag", []string{"--bogus=1"}, "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, diag bytes.Buffer
			err := run(tt.args, &out, &diag)
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestSummary(t *testing.T) {
	lat := []time.Duration{time.Second, 4 * time.Microsecond, 2 * time.Microsecond, 3 * time.Microsecond, 1 * time.Microsecond}
	require.Equal(t, "rounds=4 p50=3.00us p90=4.00us p99=4.00us mean=2.50us", summary(lat))
	require.Equal(t, "rounds=0", summary(nil))
}
