package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
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

func TestProtocolSession(t *testing.T) {
	lines := session(t, []string{"--distance=10", "--step-ms", "1.0"},
		"TRANSMIT 0 64\nFLUSH 0\n\nTRANSMIT 1\nFLUSH 1\nSTEP 2 100\nSTEP 3 0\nFOO\nTRANSMIT x\nTRANSMIT 4 99999\nFLUSH 3\nRESET\nQUIT\nTRANSMIT 9\n")
	want := []string{
		"READY",
		"OK", "RECV", // step 0 waits for ARP (request jittered by whole ms)
		"OK", "RECV",
		"RECV",       // STEP 2 100
		"RECV 0 1 2", // STEP 3 0 sends nothing; ARP resolved: the held datagrams arrive
		"ERROR unknown command: FOO",
		"ERROR TRANSMIT: step_id x is not a non-negative integer",
		"ERROR pkt_size 99999 exceeds the maximum of 2268 bytes (no fragmentation)",
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
	args := []string{"--distance=50"}
	a := session(t, args, b.String())
	c := session(t, args, b.String())
	assert.Equal(t, a, c)
	assert.Len(t, a, 1+2*300+1)
}

// TestCommandLine: -h lists the flags; a bad flag, value or setting is one
// line and the usage on stderr, exit status 2, nothing on stdout (the
// protocol's channel).
func TestCommandLine(t *testing.T) {
	runNoInput := func(args []string, stdout, stderr io.Writer) int {
		return run(args, strings.NewReader(""), stdout, stderr)
	}
	usage := clitest.Check(t, "wifi-sim", runNoInput,
		[]string{"step-ms", "distance", "tx-power", "loss-exp", "retries", "pkt-size", "seed", "run", "max-advance-s"},
		clitest.Case{Args: []string{"--nope=1"}, Status: cli.ExitUsage, Line: "wifi-sim: flag provided but not defined: -nope"},
		clitest.Case{Args: []string{"--distance=x"}, Status: cli.ExitUsage, Line: `wifi-sim: invalid value "x" for flag -distance: parse error`},
		clitest.Case{Args: []string{"--distance", "-3"}, Status: cli.ExitUsage, Line: "wifi-sim: wifi channel: distance -3 out of range [0, 1e+09] m"},
		clitest.Case{Args: []string{"--distance=1e300", "--loss-exp=1e-9"}, Status: cli.ExitUsage, Line: "wifi-sim: wifi channel: distance 1e+300 out of range [0, 1e+09] m"},
		clitest.Case{Args: []string{"--tx-power=1e308"}, Status: cli.ExitUsage, Line: "wifi-sim: wifi channel: tx-power 1e+308 out of range [-100, 100] dBm"},
		clitest.Case{Args: []string{"--retries=1000000000"}, Status: cli.ExitUsage, Line: "wifi-sim: wifi channel: retries 1000000000 out of range [1,255]"},
		clitest.Case{Args: []string{"--step-ms=1e9"}, Status: cli.ExitUsage, Line: "wifi-sim: wifi channel: step-ms 1e+09 out of range [1e-06, 600000] (at most max-advance-s)"},
		clitest.Case{Args: []string{"--step-ms=NaN"}, Status: cli.ExitUsage, Line: "wifi-sim: wifi channel: step-ms NaN out of range [1e-06, 600000] (at most max-advance-s)"},
		clitest.Case{Args: []string{"--pkt-size=99999"}, Status: cli.ExitUsage, Line: "wifi-sim: wifi channel: pkt-size 99999 out of range [0,2268]"},
		clitest.Case{Args: []string{"--retries=2", "stray"}, Status: cli.ExitUsage, Line: `wifi-sim: unexpected argument "stray" (flags are -name=value or --name=value)`},
	)
	assert.Contains(t, usage, "  -distance float\n    \tmetres between sender and receiver (default 10)\n")

	// A broken stdin is a runtime error: one line, exit status 1.
	var out, diag bytes.Buffer
	assert.Equal(t, cli.ExitFailure, run(nil, iotestErrReader{}, &out, &diag))
	assert.Equal(t, "READY\n", out.String())
	assert.Equal(t, "wifi-sim: stdin broke\n", diag.String())
}

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("stdin broke") }

// TestSpawnedBinary builds wifi-sim and speaks the protocol to the process
// over pipes, as NetRL does.
func TestSpawnedBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := filepath.Join(t.TempDir(), "wifi-sim")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	cmd := exec.Command(bin, "--step-ms=1.0", "--distance=10")
	cmd.Stdin = strings.NewReader("TRANSMIT 0 64\nFLUSH 0\nSTEP 1\nQUIT\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, "READY", lines[0])
	assert.Equal(t, "OK", lines[1])
	assert.True(t, strings.HasPrefix(lines[2], "RECV"))
	assert.True(t, strings.HasPrefix(lines[3], "RECV"))

	// The process's exit statuses: 0 for -h, 2 for a bad value.
	help := exec.Command(bin, "-h")
	stdout.Reset()
	help.Stdout = &stdout
	require.NoError(t, help.Run())
	assert.True(t, strings.HasPrefix(stdout.String(), "Usage: wifi-sim [flags]\n"))
	bad := exec.Command(bin, "--distance=x")
	stderr.Reset()
	bad.Stderr = &stderr
	var exit *exec.ExitError
	require.ErrorAs(t, bad.Run(), &exit)
	assert.Equal(t, cli.ExitUsage, exit.ExitCode())
	first, _, _ := strings.Cut(stderr.String(), "\n")
	assert.Equal(t, `wifi-sim: invalid value "x" for flag -distance: parse error`, first)
}

// TestNetRLStyleClient drives the built binary with bench/ns3/netrl_client.py,
// which talks to a backend exactly as NetRL's NS3WifiChannel does (Popen in
// text mode, select() then readline() per reply): the example of README's
// "Use with NetRL", tested.
func TestNetRLStyleClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	bin := clitest.Build(t, "wifi-sim")
	for _, mode := range [][]string{nil, {"--step-cmd"}} {
		args := append([]string{"../../bench/ns3/netrl_client.py", bin, "--steps", "500"}, mode...)
		args = append(args, "--", "--distance=10")
		out, err := exec.Command(python, args...).CombinedOutput()
		require.NoError(t, err, string(out))
		// At 10 m everything arrives, save what ARP's 3-packet pending
		// queue drops during the first request's jitter.
		var delivered int
		for _, f := range strings.Fields(string(out)) {
			if v, ok := strings.CutPrefix(f, "delivered="); ok {
				_, err := fmt.Sscan(v, &delivered)
				require.NoError(t, err)
			}
		}
		assert.GreaterOrEqual(t, delivered, 493, string(out))
		assert.LessOrEqual(t, delivered, 500, string(out))
	}
}

// TestUnreadStderr: a client that closed the backend's stderr, or never
// reads it, still gets every reply (no SIGPIPE at the first diagnostic, no
// block after 64 KiB of them).
func TestUnreadStderr(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := clitest.Build(t, "wifi-sim")
	// 3000 diagnostics of about 70 bytes: 210 KiB.
	clitest.CheckUnreadStderr(t, bin, []string{"--distance=10"}, "TRANSMIT 0 99999", 3000)
}
