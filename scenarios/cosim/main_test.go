package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/cli"
)

func setPython(t *testing.T) {
	t.Helper()
	py := os.Getenv("NETGYM_PYTHON")
	if py == "" {
		py = "python3"
	}
	if _, err := exec.LookPath(py); err != nil {
		t.Skipf("no Python interpreter: %v", err)
	}
	abs, err := filepath.Abs(filepath.Join("..", "..", "python"))
	require.NoError(t, err)
	t.Setenv("NETGYM_PYTHONPATH", abs)
}

// The relay experiment of rl/cosim's tests, through the binary: one line
// per status observation on stdout, a summary on stderr.
func TestRunConfig(t *testing.T) {
	setPython(t)
	var out, diag bytes.Buffer
	code := run(context.Background(), []string{"-c", "../../rl/cosim/testdata/simulation_config.json"}, &out, &diag)
	require.Equal(t, cli.ExitOK, code, diag.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 5)
	require.JSONEq(t, `{"iteration": 4, "n2": 8, "seen": 2}`, lines[4])
	require.Contains(t, diag.String(), "cosim: relay: 5 loop steps, t = 0.040 s, done = true, 3 datapacks sent, 0 dropped")
}

func TestBadCommandLines(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, cli.ExitUsage, "cosim: -c: a simulation configuration is required"},
		{[]string{"-c", "nowhere.json"}, cli.ExitFailure, "cosim: cosim: open nowhere.json: no such file or directory"},
		{[]string{"-c", "../../rl/cosim/testdata/simulation_config.json", "-set", "Distance=4"}, cli.ExitUsage,
			`cosim: -set "Distance=4": want engine.Key=value`},
		{[]string{"-c", "../../rl/cosim/testdata/simulation_config.json", "-set", "moon.Distance=4"}, cli.ExitUsage,
			`cosim: -set "moon.Distance=4": the configuration has no engine "moon"`},
	} {
		var out, diag bytes.Buffer
		require.Equal(t, tc.code, run(context.Background(), tc.args, &out, &diag), diag.String())
		require.Equal(t, tc.want, strings.SplitN(diag.String(), "\n", 2)[0])
	}
}
