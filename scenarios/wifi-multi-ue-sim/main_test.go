package main

import (
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
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

// recvIDs parses a RECV reply into its "ue:step" ids, failing on anything
// else.
func recvIDs(t *testing.T, line string, nUEs int) [][2]int {
	t.Helper()
	fields := strings.Fields(line)
	require.NotEmpty(t, fields, "empty reply")
	require.Equal(t, "RECV", fields[0], "reply %q", line)
	var ids [][2]int
	for _, f := range fields[1:] {
		ue, step, ok := strings.Cut(f, ":")
		require.True(t, ok, "id %q in %q is not ue:step", f, line)
		u, err := strconv.Atoi(ue)
		require.NoError(t, err)
		s, err := strconv.Atoi(step)
		require.NoError(t, err)
		require.True(t, u >= 0 && u < nUEs, "ue %d out of range in %q", u, line)
		ids = append(ids, [2]int{u, s})
	}
	return ids
}

func TestProtocolSession(t *testing.T) {
	var in strings.Builder
	in.WriteString("TRANSMIT 0 0 64\nTRANSMIT 1 0\nFLUSH 0\n\nSTEP 1\nSTEP 2 0 64\nSTEP 3 0\n")
	for step := 4; step < 20; step++ {
		fmt.Fprintf(&in, "STEP %d 100\n", step)
	}
	in.WriteString("TRANSMIT 2 0\nTRANSMIT 0\nTRANSMIT 0 1 99999\nSTEP 5 1 2 3\nFOO\nFLUSH 3\nRESET\nQUIT\nTRANSMIT 0 9\n")
	lines := session(t, []string{"--n-ues=2", "--distances=10.0", "--step-ms", "1.0"}, in.String())

	require.Len(t, lines, 1+2+1+3+16+6+1)
	assert.Equal(t, []string{"READY", "OK", "OK"}, lines[:3])
	sent := map[[2]int]bool{{0, 0}: true, {1, 0}: true, {0, 1}: true, {1, 1}: true, {1, 2}: true}
	for step := 4; step < 20; step++ {
		sent[[2]int{0, step}], sent[[2]int{1, step}] = true, true
	}
	got := map[[2]int]bool{}
	for _, line := range lines[3 : 3+20] { // FLUSH 0, STEP 1..19
		for _, id := range recvIDs(t, line, 2) {
			assert.True(t, sent[id], "%v arrived but was never sent", id)
			assert.False(t, got[id], "%v arrived twice", id)
			got[id] = true
		}
	}
	// Once ARP has resolved (its request waits up to 10 ms) every packet
	// at 10 m arrives in the step it was sent.
	for step := 10; step < 20; step++ {
		assert.True(t, got[[2]int{0, step}] && got[[2]int{1, step}], "step %d", step)
	}
	assert.Equal(t, []string{
		"ERROR ue_id 2 out of range [0,2)",
		"ERROR TRANSMIT takes <ue_id> <step_id> [pkt_size] on a multi-UE backend, got 1 argument",
		"ERROR pkt_size 99999 exceeds the maximum of 2268 bytes (no fragmentation)",
		"ERROR STEP takes <step_id>, <step_id> <size> or <step_id> and 2 sizes (one per UE), got 4 arguments",
		"ERROR unknown command: FOO",
		"RECV", // FLUSH of a step already flushed does not advance
		"OK",   // RESET; QUIT ends the session, the last line is never read
	}, lines[3+20:])
}

func TestSameFlagsSameReplies(t *testing.T) {
	var b strings.Builder
	for step := range 300 {
		fmt.Fprintf(&b, "TRANSMIT 0 %d 64\nTRANSMIT 1 %d 64\nTRANSMIT 2 %d 64\nFLUSH %d\n", step, step, step, step)
		if step == 150 {
			b.WriteString("RESET\n")
		}
	}
	args := []string{"--n-ues=3", "--distances=20,49"}
	a := session(t, args, b.String())
	c := session(t, args, b.String())
	assert.Equal(t, a, c)
	assert.Len(t, a, 1+4*300+1)
	late, flushes := 0, 0
	for _, line := range a {
		if !strings.HasPrefix(line, "RECV") {
			continue
		}
		step := flushes % 151 // steps 0..150, RESET, then 0..148 again
		for _, id := range recvIDs(t, line, 3) {
			if id[1] != step {
				late++
			}
		}
		flushes++
	}
	assert.Equal(t, 300, flushes)
	assert.Positive(t, late, "at 49 m some packets are retried into later steps")
	d := session(t, append(args, "--seed=2"), b.String())
	assert.NotEqual(t, a, d, "another seed is another session")
	e := session(t, append(args, "--run=2"), b.String())
	assert.NotEqual(t, a, e, "another run is another session")
}

// TestCommandLine: -h lists the flags; a bad flag, value or setting is one
// line and the usage on stderr, exit status 2, nothing on stdout.
func TestCommandLine(t *testing.T) {
	runQuit := func(args []string, stdout, stderr io.Writer) int {
		return run(args, strings.NewReader("QUIT\n"), stdout, stderr)
	}
	usage := func(line string, args ...string) clitest.Case {
		return clitest.Case{Args: args, Status: cli.ExitUsage, Line: "wifi-multi-ue-sim: " + line}
	}
	clitest.Check(t, "wifi-multi-ue-sim", runQuit,
		[]string{"step-ms", "n-ues", "distances", "tx-power", "loss-exp", "retries", "pkt-size", "seed", "run", "max-advance-s"},
		usage("wifi multi-UE: n-ues 0 out of range [1,253]", "--n-ues=0"),
		usage("wifi multi-UE: n-ues -2 out of range [1,253]", "--n-ues=-2", "--distances=x"),
		usage(`invalid value "two" for flag -n-ues: parse error`, "--n-ues=two"),
		usage(`distances: "abc" is not a number`, "--distances=abc"),
		usage("distances: -1 must be > 0", "--distances=10,-1"),
		usage("distances: empty list", "--distances="),
		usage("flag provided but not defined: -distance", "--distance=10"), // NetRL's multi-UE program has no --distance
		usage("wifi multi-UE: step-ms 0 out of range [1e-06, 600000] (at most max-advance-s)", "--step-ms=0"),
		usage("wifi multi-UE: step-ms 1e+09 out of range [1e-06, 600000] (at most max-advance-s)", "--step-ms=1e9"),
		usage("wifi multi-UE: step-ms 1e+09 out of range [1e-06, 2e+06] (at most max-advance-s)", "--step-ms=1e9", "--max-advance-s=2000"),
		usage("wifi multi-UE: retries 0 out of range [1,255]", "--retries=0"),
		usage("wifi multi-UE: distance 1e+300 of UE 1 out of range (0, 1e+09] m", "--distances=10,1e300"),
		usage("wifi multi-UE: pkt-size 99999 out of range [0,2268]", "--pkt-size=99999"),
		usage("flag provided but not defined: -nope", "--nope=1"),
		usage(`unexpected argument "stray" (flags are -name=value or --name=value)`, "stray"),
	)
}

// TestSpawnedBinary builds wifi-multi-ue-sim and speaks the protocol to the
// process over pipes, as NetRL does; the process exits 0 at QUIT and at
// EOF.
func TestSpawnedBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := filepath.Join(t.TempDir(), "wifi-multi-ue-sim")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	var input strings.Builder
	for step := range 30 {
		fmt.Fprintf(&input, "TRANSMIT 0 %d 64\nTRANSMIT 1 %d 64\nTRANSMIT 2 %d 64\nFLUSH %d\n", step, step, step, step)
	}
	input.WriteString("TRANSMIT 5 30 64\nSTEP 30\nRESET\nSTEP 0 8 0 100\n")
	spawn := func(quit bool) []string {
		cmd := exec.Command(bin, "--n-ues=3", "--distances=10.0,20.0", "--step-ms=1.0", "--tx-power=20.0",
			"--loss-exp=3.0", "--retries=7", "--pkt-size=64")
		in := input.String()
		if quit {
			in += "QUIT\n"
		}
		cmd.Stdin = strings.NewReader(in)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), stderr.String())
		assert.Contains(t, stderr.String(), "ue_id 5 out of range", "diagnostics go to stderr")
		return strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	}
	lines := spawn(true)
	require.Len(t, lines, 1+4*30+4)
	assert.Equal(t, "READY", lines[0])
	got := map[[2]int]bool{}
	for step := range 30 {
		assert.Equal(t, []string{"OK", "OK", "OK"}, lines[1+4*step:4+4*step])
		for _, id := range recvIDs(t, lines[4+4*step], 3) {
			got[id] = true
		}
	}
	for step := 15; step < 30; step++ {
		for ue := range 3 {
			assert.True(t, got[[2]int{ue, step}], "UE %d step %d", ue, step)
		}
	}
	tail := lines[1+4*30:]
	assert.Equal(t, "ERROR ue_id 5 out of range [0,3)", tail[0])
	recvIDs(t, tail[1], 3)
	assert.Equal(t, "OK", tail[2])
	recvIDs(t, tail[3], 3)
	assert.Equal(t, lines, spawn(false), "EOF ends the session like QUIT, and the session replays")
}
