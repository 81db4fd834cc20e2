package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/cli/clitest"
)

func session(t *testing.T, args []string, input string) []string {
	t.Helper()
	var out, diag bytes.Buffer
	require.Equal(t, cli.ExitOK, run(args, strings.NewReader(input), &out, &diag), diag.String())
	return strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
}

// TestProtocolSession: no packet arrives in its own step (S1-U 1 ms);
// packets of two steps arrive together one and two steps late.
func TestProtocolSession(t *testing.T) {
	lines := session(t, []string{"--distance=50", "--step-ms", "1.0"},
		"TRANSMIT 0 64\nFLUSH 0\n\nTRANSMIT 1\nFLUSH 1\nSTEP 2 100\nSTEP 3 0\nSTEP 4\nFOO\nTRANSMIT x\nTRANSMIT 5 99999\nFLUSH 4\nRESET\nQUIT\nTRANSMIT 9\n")
	want := []string{
		"READY",
		"OK", "RECV",
		"OK", "RECV",
		"RECV 0 1", // STEP 2 100
		"RECV",     // STEP 3 0 sends nothing
		"RECV 2",
		"ERROR unknown command: FOO",
		"ERROR TRANSMIT: step_id x is not a non-negative integer",
		"ERROR pkt_size 99999 exceeds the maximum of 1472 bytes (no fragmentation)",
		"RECV", // FLUSH of a step already flushed does not advance
		"OK",   // RESET; QUIT ends the session, the last line is never read
	}
	assert.Equal(t, want, lines)
}

func TestSameFlagsSameReplies(t *testing.T) {
	var b strings.Builder
	for step := range 300 {
		fmt.Fprintf(&b, "TRANSMIT %d 64\nFLUSH %d\n", step, step)
		if step == 150 {
			b.WriteString("RESET\n")
		}
	}
	args := []string{"--distance=100", "--seed=3"}
	a := session(t, args, b.String())
	c := session(t, args, b.String())
	assert.Equal(t, a, c)
	assert.Len(t, a, 1+2*300+1)
}

// TestCommandLine: -h lists NetRL's flags; a bad flag, value or setting is
// one line and the usage on stderr, exit status 2, nothing on stdout.
func TestCommandLine(t *testing.T) {
	runNoInput := func(args []string, stdout, stderr io.Writer) int {
		return run(args, strings.NewReader(""), stdout, stderr)
	}
	usage := clitest.Check(t, "mmwave-sim", runNoInput,
		[]string{"step-ms", "distance", "freq", "bandwidth", "tx-power", "enb-tx-power", "noise-fig", "enb-noise-fig",
			"scenario", "harq", "rlc-am", "pkt-size", "seed", "run", "max-advance-s", "scheduler"},
		clitest.Case{Args: []string{"--nope=1"}, Status: cli.ExitUsage, Line: "mmwave-sim: flag provided but not defined: -nope"},
		clitest.Case{Args: []string{"--distance=x"}, Status: cli.ExitUsage, Line: `mmwave-sim: invalid value "x" for flag -distance: parse error`},
		clitest.Case{Args: []string{"--distance", "-3"}, Status: cli.ExitUsage, Line: "mmwave-sim: mmwave channel: distance -3 out of range (0, 1e+09] m"},
		clitest.Case{Args: []string{"--freq=1e12"}, Status: cli.ExitUsage, Line: "mmwave-sim: mmwave channel: freq 1e+12 out of range [5e8, 1e11] Hz"},
		clitest.Case{Args: []string{"--scenario=UMb"}, Status: cli.ExitUsage, Line: `mmwave-sim: mmwave channel: scenario "UMb" not one of RMa, UMa, UMi-StreetCanyon, InH-OfficeMixed, InH-OfficeOpen`},
		clitest.Case{Args: []string{"--harq=2"}, Status: cli.ExitUsage, Line: "mmwave-sim: mmwave channel: harq 2 is not 0 or 1"},
		clitest.Case{Args: []string{"--rlc-am=-1"}, Status: cli.ExitUsage, Line: "mmwave-sim: mmwave channel: rlc-am -1 is not 0 or 1"},
		clitest.Case{Args: []string{"--step-ms=NaN"}, Status: cli.ExitUsage, Line: "mmwave-sim: mmwave channel: step-ms NaN out of range [1e-06, 600000] (at most max-advance-s)"},
		clitest.Case{Args: []string{"--pkt-size=99999"}, Status: cli.ExitUsage, Line: "mmwave-sim: mmwave channel: pkt-size 99999 out of range [0,1472]"},
		clitest.Case{Args: []string{"--scheduler=fifo"}, Status: cli.ExitUsage, Line: `mmwave-sim: invalid value "fifo" for flag -scheduler: want rr, pf or maxrate`},
		clitest.Case{Args: []string{"--harq=1", "stray"}, Status: cli.ExitUsage, Line: `mmwave-sim: unexpected argument "stray" (flags are -name=value or --name=value)`},
	)
	assert.Contains(t, usage, "  -distance float\n    \tUE-eNB distance in metres (default 50)\n")

	var out, diag bytes.Buffer
	assert.Equal(t, cli.ExitFailure, run(nil, errReader{}, &out, &diag))
	assert.Equal(t, "READY\n", out.String())
	assert.Equal(t, "mmwave-sim: stdin broke\n", diag.String())
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("stdin broke") }

// TestNetRLStyleClient drives the built binary with bench/ns3/netrl_client.py,
// which talks to a backend as NetRL's channels do: at 50 m every packet
// but the two in flight at the end arrives, 1.5 steps late on average; at
// 250 m none does (the cliff).
func TestNetRLStyleClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	bin := clitest.Build(t, "mmwave-sim")
	for _, c := range []struct {
		mode      []string
		distance  string
		delivered string
		lag       string
	}{
		{nil, "--distance=50", "delivered=498 frac=0.9960", "lag_mean=1.500"},
		{[]string{"--step-cmd"}, "--distance=50", "delivered=498 frac=0.9960", "lag_mean=1.500"},
		{nil, "--distance=250", "delivered=0 frac=0.0000", "lag_mean=0.000"},
	} {
		args := append([]string{"../../bench/ns3/netrl_client.py", bin, "--steps", "500"}, c.mode...)
		args = append(args, "--", c.distance)
		out, err := exec.Command(python, args...).CombinedOutput()
		require.NoError(t, err, string(out))
		assert.Contains(t, string(out), c.delivered)
		assert.Contains(t, string(out), c.lag)
	}
}

// TestSpawnedBinary: the process's exit statuses, 0 for -h, 2 for a bad
// value; a client that never reads stderr still gets every reply.
func TestSpawnedBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := clitest.Build(t, "mmwave-sim")
	var stdout, stderr bytes.Buffer
	help := exec.Command(bin, "-h")
	help.Stdout = &stdout
	require.NoError(t, help.Run())
	assert.True(t, strings.HasPrefix(stdout.String(), "Usage: mmwave-sim [flags]\n"))
	bad := exec.Command(bin, "--harq=x")
	bad.Stderr = &stderr
	var exit *exec.ExitError
	require.ErrorAs(t, bad.Run(), &exit)
	assert.Equal(t, cli.ExitUsage, exit.ExitCode())
	clitest.CheckUnreadStderr(t, bin, []string{"--distance=50"}, "TRANSMIT 0 99999", 3000)
}
