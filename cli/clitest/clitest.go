// Package clitest checks that a program built on package cli behaves as
// every netgym binary must: -h and --help print the usage on standard
// output and exit 0; a bad command line prints exactly one line and the
// same usage on standard error and exits 2; a failure prints one line and
// exits 1.
package clitest

import (
	"bytes"
	"io"
	"strings"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/cli"
)

// RunFunc is a program's testable entry point: it runs with args (without
// the program name) and returns the exit status.
type RunFunc func(args []string, stdout, stderr io.Writer) int

// Case is one command line and what it must do.
type Case struct {
	// Args is the command line, without the program name.
	Args []string
	// Status is the exit status it must end with: cli.ExitUsage or
	// cli.ExitFailure.
	Status int
	// Line is the exact line it must print on standard error, without its
	// newline (the program's name first).
	Line string
}

// Result is what one run printed and returned.
type Result struct {
	Status         int
	Stdout, Stderr string
}

// Run runs the program with args and collects its output.
func Run(run RunFunc, args ...string) Result {
	var out, errOut bytes.Buffer
	status := run(args, &out, &errOut)
	return Result{Status: status, Stdout: out.String(), Stderr: errOut.String()}
}

// Check runs -h and --help and asserts the usage: it starts with
// "Usage: NAME [flags]", lists every flag in wantFlags (as "-name") and is
// all that is printed. Then it runs each case: for cli.ExitUsage standard
// error must be exactly the case's line followed by that same usage, for
// cli.ExitFailure exactly the line; standard output must stay empty. It
// returns the usage text.
func Check(t require.TestingT, name string, run RunFunc, wantFlags []string, cases ...Case) string {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	help := Run(run, "-h")
	require.Equal(t, cli.ExitOK, help.Status, "-h: exit status; stderr: %s", help.Stderr)
	require.Empty(t, help.Stderr, "-h prints nothing on stderr")
	usage := help.Stdout
	require.True(t, strings.HasPrefix(usage, "Usage: "+name+" [flags]\n"), "usage starts with the usage line:\n%s", usage)
	for _, f := range wantFlags {
		listed := strings.Contains(usage, "\n  -"+f+" ") || strings.Contains(usage, "\n  -"+f+"\n")
		require.True(t, listed, "usage lists -%s:\n%s", f, usage)
	}
	require.Equal(t, help, Run(run, "--help"), "--help prints the same as -h")
	for _, c := range cases {
		r := Run(run, c.Args...)
		require.Equal(t, c.Status, r.Status, "%q: exit status; stderr: %s", c.Args, r.Stderr)
		require.Empty(t, r.Stdout, "%q: nothing on stdout", c.Args)
		switch c.Status {
		case cli.ExitUsage:
			require.Equal(t, c.Line+"\n"+usage, r.Stderr, "%q: one line, then the usage", c.Args)
		default:
			require.Equal(t, c.Line+"\n", r.Stderr, "%q: one line", c.Args)
		}
	}
	return usage
}
