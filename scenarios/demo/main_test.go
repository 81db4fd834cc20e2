package main

import (
	"testing"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/cli/clitest"
)

// TestCommandLine: the demo takes no flags; -h says what it does.
func TestCommandLine(t *testing.T) {
	usage := clitest.Check(t, "demo", run, nil,
		clitest.Case{Args: []string{"--distance=10"}, Status: cli.ExitUsage, Line: "demo: flag provided but not defined: -distance"},
		clitest.Case{Args: []string{"now"}, Status: cli.ExitUsage, Line: `demo: unexpected argument "now" (flags are -name=value or --name=value)`},
	)
	want := "Usage: demo [flags]\n\nnetgym's first-run demonstration: UDP over a point-to-point link, then 802.11a delivery and delay versus distance.\n"
	if usage != want {
		t.Fatalf("usage %q, want %q", usage, want)
	}
}
