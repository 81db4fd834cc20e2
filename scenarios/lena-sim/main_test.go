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

// TestProtocolSession: NetRL's 5G-LENA session at 50 m: the first packet
// waits for the UL MCS to settle and arrives with the second (step 1);
// from then on a packet arrives one step after it was sent (1.2 ms).
func TestProtocolSession(t *testing.T) {
	lines := session(t, []string{"--distance=50", "--step-ms", "1.0"},
		"TRANSMIT 0 64\nFLUSH 0\n\nTRANSMIT 1\nFLUSH 1\nSTEP 2 100\nSTEP 3 0\nFOO\nTRANSMIT x\nTRANSMIT 4 99999\nFLUSH 3\nSTEP 4\nRESET\nQUIT\nTRANSMIT 9\n")
	want := []string{
		"READY",
		"OK", "RECV",
		"OK", "RECV 0 1",
		"RECV",   // STEP 2 100
		"RECV 2", // STEP 3 0 sends nothing
		"ERROR unknown command: FOO",
		"ERROR TRANSMIT: step_id x is not a non-negative integer",
		"ERROR pkt_size 99999 exceeds the maximum of 1932 bytes (no fragmentation)",
		"RECV", // FLUSH of a step already flushed does not advance
		"RECV", // STEP 4: step 4's packet is in the air
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
	args := []string{"--distance=300", "--seed=7"}
	a := session(t, args, b.String())
	c := session(t, args, b.String())
	assert.Equal(t, a, c)
	assert.Len(t, a, 1+2*300+1)
}

// TestNetRLFlags: the flags exactly as NetRL's NS3LenaChannel writes them
// (floats for frequency and bandwidth, 0/1 for shadowing), every scenario
// name its validator accepts, and UMi.
func TestNetRLFlags(t *testing.T) {
	for _, sc := range []string{"UMa", "UMi", "UMi-StreetCanyon", "RMa", "InH-OfficeMixed", "InH-OfficeOpen"} {
		lines := session(t, []string{"--step-ms=1.0", "--distance=50.0", "--freq=28000000000.0", "--bandwidth=100000000.0",
			"--ue-tx-power=23.0", "--gnb-tx-power=30.0", "--scenario=" + sc, "--numerology=3", "--shadowing=1", "--pkt-size=64"},
			"STEP 0\nSTEP 1\n")
		assert.Equal(t, "READY", lines[0], sc)
		assert.Len(t, lines, 3, sc)
	}
}

// TestCommandLine: -h lists the flags; a bad flag, value or setting is one
// line and the usage on stderr, exit status 2, nothing on stdout.
func TestCommandLine(t *testing.T) {
	runNoInput := func(args []string, stdout, stderr io.Writer) int {
		return run(args, strings.NewReader(""), stdout, stderr)
	}
	usage := clitest.Check(t, "lena-sim", runNoInput,
		[]string{"step-ms", "distance", "freq", "bandwidth", "ue-tx-power", "gnb-tx-power", "scenario", "numerology",
			"shadowing", "pkt-size", "seed", "run", "max-advance-s"},
		clitest.Case{Args: []string{"--nope=1"}, Status: cli.ExitUsage, Line: "lena-sim: flag provided but not defined: -nope"},
		clitest.Case{Args: []string{"--distance=x"}, Status: cli.ExitUsage, Line: `lena-sim: invalid value "x" for flag -distance: parse error`},
		clitest.Case{Args: []string{"--distance", "-3"}, Status: cli.ExitUsage, Line: "lena-sim: lena channel: distance -3 out of range [0, 100000] m"},
		clitest.Case{Args: []string{"--scenario=V2V-Urban"}, Status: cli.ExitUsage,
			Line: `lena-sim: lena channel: scenario "V2V-Urban" unknown (want UMa, UMi, UMi-StreetCanyon, RMa, InH-OfficeMixed, InH-OfficeOpen)`},
		clitest.Case{Args: []string{"--numerology=9"}, Status: cli.ExitUsage, Line: "lena-sim: lena channel: numerology 9 out of range [0, 6]"},
		clitest.Case{Args: []string{"--freq=1e6"}, Status: cli.ExitUsage, Line: "lena-sim: lena channel: freq 1e+06 out of range [0.5e9, 100e9] Hz (TR 38.901)"},
		clitest.Case{Args: []string{"--pkt-size=99999"}, Status: cli.ExitUsage, Line: "lena-sim: lena channel: pkt-size 99999 out of range [0, 1932]"},
		clitest.Case{Args: []string{"--step-ms=NaN"}, Status: cli.ExitUsage, Line: "lena-sim: lena channel: step-ms NaN out of range [1e-06, 600000] (at most max-advance-s)"},
		clitest.Case{Args: []string{"--shadowing=1", "stray"}, Status: cli.ExitUsage, Line: `lena-sim: unexpected argument "stray" (flags are -name=value or --name=value)`},
	)
	assert.Contains(t, usage, "  -distance float\n    \tmetres between gNB and UE on the ground (default 50)\n")

	var out, diag bytes.Buffer
	assert.Equal(t, cli.ExitFailure, run(nil, iotestErrReader{}, &out, &diag))
	assert.Equal(t, "READY\n", out.String())
	assert.Equal(t, "lena-sim: stdin broke\n", diag.String())
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("stdin broke") }

// TestNetRLStyleClient drives the built binary with bench/ns3/netrl_client.py,
// which talks to a backend as NetRL's channels do (Popen in text mode,
// select() then readline() per reply).
func TestNetRLStyleClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	bin := clitest.Build(t, "lena-sim")
	for _, mode := range [][]string{nil, {"--step-cmd"}} {
		args := append([]string{"../../bench/ns3/netrl_client.py", bin, "--steps", "500"}, mode...)
		args = append(args, "--", "--distance=50")
		out, err := exec.Command(python, args...).CombinedOutput()
		require.NoError(t, err, string(out))
		// 499 packets: the last is in the air; the first arrives with the
		// second (lag 1 and 0), all others one step later.
		assert.Contains(t, string(out), "delivered=499 frac=0.9980 lag_mean=0.998", string(out))
	}
}

// TestUnreadStderr: a client that never reads stderr still gets every
// reply.
func TestUnreadStderr(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	clitest.CheckUnreadStderr(t, clitest.Build(t, "lena-sim"), []string{"--distance=50"}, "TRANSMIT 0 99999", 3000)
}
