// Package clitest checks that a program built on package cli behaves as
// every netgym binary must: -h and --help print the usage on standard
// output and exit 0; a bad command line prints exactly one line and the
// same usage on standard error and exits 2; a failure prints one line and
// exits 1.
package clitest

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// CheckUnreadStderr starts the built protocol backend bin with args twice,
// as clients that do not care for its diagnostics: once with its standard
// error a pipe whose reading end is already closed, once with a pipe that
// is never read. Each time it sends n copies of badLine (a command the
// backend answers with ERROR and a diagnostic on stderr), then QUIT, and
// requires READY, n ERROR replies and exit status 0: a backend must not
// die of SIGPIPE at its first diagnostic nor block once the pipe is full.
// Use an n whose diagnostics exceed 64 KiB.
func CheckUnreadStderr(t require.TestingT, bin string, args []string, badLine string, n int) {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	input := strings.Repeat(badLine+"\n", n) + "QUIT\n"
	for _, closeReader := range []bool{true, false} {
		r, w, err := os.Pipe()
		require.NoError(t, err)
		if closeReader {
			require.NoError(t, r.Close())
		}
		cmd := exec.Command(bin, args...)
		cmd.Stdin = strings.NewReader(input)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, w
		require.NoError(t, cmd.Start())
		require.NoError(t, w.Close()) // the child holds its own copy
		// A guard, not a measurement: a backend that blocks would hang
		// the test binary until go test's own timeout.
		guard := time.AfterFunc(2*time.Minute, func() { _ = cmd.Process.Kill() })
		err = cmd.Wait()
		guard.Stop()
		if !closeReader {
			require.NoError(t, r.Close())
		}
		require.NoError(t, err, "closed stderr: %v; stdout so far: %.200q", closeReader, out.String())
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		require.Len(t, lines, 1+n, "closed stderr: %v", closeReader)
		require.Equal(t, "READY", lines[0])
		for _, l := range lines[1:] {
			require.True(t, strings.HasPrefix(l, "ERROR "), "reply %q", l)
		}
	}
}

// Build compiles the main package in the test's working directory (a
// scenario's folder, as `go test` runs) into a temporary folder and
// returns the binary's path, for tests that drive the program as a
// process.
func Build(t testing.TB, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}
