package main

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/cli/clitest"
)

func TestPerfectChannelSession(t *testing.T) {
	var out, diag bytes.Buffer
	in := "TRANSMIT 0\nTRANSMIT 1 10\nFLUSH 1\nSTEP 2\nSTEP 3 0\nFLUSH 4\nBAD\nQUIT\n"
	require.Equal(t, cli.ExitOK, run([]string{"--channel=perfect"}, strings.NewReader(in), &out, &diag))
	assert.Equal(t, "READY\nOK\nOK\nRECV 0 1\nRECV 2\nRECV\nRECV\nERROR unknown command: BAD\n", out.String())
}

func TestGEChannelIsSeeded(t *testing.T) {
	var b strings.Builder
	for step := range 400 {
		b.WriteString("STEP " + strconv.Itoa(step) + "\n")
	}
	session := func(seed string) string {
		var out, diag bytes.Buffer
		require.Equal(t, cli.ExitOK, run([]string{"--channel=ge", "--loss-bad=0.9", "--seed=" + seed}, strings.NewReader(b.String()), &out, &diag))
		return out.String()
	}
	a := session("7")
	assert.Equal(t, a, session("7"))
	assert.NotEqual(t, a, session("8"))
	lost := strings.Count(a, "RECV\n")
	assert.Greater(t, lost, 10, "GE loses packets")
	assert.Less(t, lost, 200)
}

func TestCommandLine(t *testing.T) {
	runNoInput := func(args []string, stdout, stderr io.Writer) int {
		return run(args, strings.NewReader(""), stdout, stderr)
	}
	usage := func(line string, args ...string) clitest.Case {
		return clitest.Case{Args: args, Status: cli.ExitUsage, Line: "channel-sim: " + line}
	}
	clitest.Check(t, "channel-sim", runNoInput,
		[]string{"channel", "p-gb", "p-bg", "loss-good", "loss-bad", "delay-steps", "seed", "pkt-size"},
		usage(`invalid value "nope" for flag -channel: want perfect or ge`, "--channel=nope"),
		usage("ge channel: PGB=2 must be in [0, 1]", "--channel=ge", "--p-gb=2"),
		usage(`invalid value "0.1.2" for flag -p-bg: parse error`, "--p-bg=0.1.2"),
		usage("channel backend: DefaultPacketSize=-1 out of range [0,2147483647]", "--pkt-size=-1"),
		usage("channel backend: DefaultPacketSize=100000000000 out of range [0,2147483647]", "--pkt-size=100000000000"),
		usage(`invalid value "1e11" for flag -pkt-size: parse error`, "--pkt-size=1e11"),
		usage("-p-gb, -seed only apply to -channel=ge (the channel is perfect)", "--channel=perfect", "--p-gb=0.5", "--seed=3"),
		usage("-delay-steps only applies to -channel=ge (the channel is perfect)", "--delay-steps=2"),
		usage("ge channel: DelaySteps=1000000000 out of range [0,1048576]", "--channel=ge", "--delay-steps=1000000000"),
		usage("flag provided but not defined: -distance", "--distance=10"),
	)
}

// TestUnreadStderr: a client that closed stderr or never reads it still
// gets every reply.
func TestUnreadStderr(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := clitest.Build(t, "channel-sim")
	clitest.CheckUnreadStderr(t, bin, []string{"--channel=perfect"}, "FOO", 3000)
}
