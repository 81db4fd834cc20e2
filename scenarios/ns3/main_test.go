package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func binaries(t *testing.T) string {
	dir := t.TempDir()
	for _, b := range []string{"ns3ai-apb", "my-scenario", "rl-wifi"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, b), []byte("#!/bin/sh\n"), 0o755))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "not-executable"), nil, 0o644))
	return dir
}

// TestPlan: the command lines ns3ai_utils.run_single_ns3 builds
// ("<ns3Path>/ns3 run <target>" and "... run <target> -- --k=v ...") and
// ns-3's other forms map to the binary and its arguments.
func TestPlan(t *testing.T) {
	dir := binaries(t)
	apb := filepath.Join(dir, "ns3ai-apb")
	tests := []struct {
		name string
		args []string
		argv []string
		cwd  string
	}{
		{"apb.py (struct)", []string{"run", "ns3ai_apb_msg_stru"}, []string{apb}, ""},
		{"apb.py (vector)", []string{"run", "ns3ai_apb_msg_vec"}, []string{apb, "--vector"}, ""},
		{"Experiment.run(setting)", []string{"run", "ns3ai_apb_msg_stru", "--", "--rounds=5", "--seed=2"},
			[]string{apb, "--rounds=5", "--seed=2"}, ""},
		{"quoted program arguments", []string{"run", "ns3ai_apb_msg_vec --rounds=5", "--no-build"},
			[]string{apb, "--vector", "--rounds=5", "--no-build"}, ""},
		{"ns3-ai's Gym A-Plus-B", []string{"run", "ns3ai_apb_gym"}, []string{apb, "--gym"}, ""},
		{"netgym's Gym example", []string{"run", "ns3ai_rlwifi_gym", "--", "--distance=45"},
			[]string{filepath.Join(dir, "rl-wifi"), "--ns3ai", "--distance=45"}, ""},
		{"Ns3Env(targetName=\"rl-wifi --ns3ai --distance=45\") through the shell", []string{"run", "rl-wifi", "--ns3ai", "--distance=45"},
			[]string{filepath.Join(dir, "rl-wifi"), "--ns3ai", "--distance=45"}, ""},
		{"options before the target", []string{"run", "--no-build", "--quiet", "--cwd=/tmp", "my-scenario", "--", "--x=1"},
			[]string{filepath.Join(dir, "my-scenario"), "--x=1"}, "/tmp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := plan(tt.args, dir)
			require.NoError(t, err)
			require.Equal(t, tt.argv[0], l.path)
			require.Equal(t, tt.argv, l.argv)
			require.Equal(t, tt.cwd, l.cwd)
		})
	}
}

func TestPlanErrors(t *testing.T) {
	dir := binaries(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, errUsage.Error()},
		{"no target", []string{"run", "--no-build"}, errUsage.Error()},
		{"unknown target", []string{"run", "ns3ai_rltcp_msg"},
			`target "ns3ai_rltcp_msg": no executable ` + filepath.Join(dir, "ns3ai_rltcp_msg") + ` (build it: go build -o ` + filepath.Join(dir, "ns3ai_rltcp_msg") + ` ./scenarios/ns3ai_rltcp_msg); ns3-ai targets netgym plays: ns3ai_apb_gym, ns3ai_apb_msg_stru, ns3ai_apb_msg_vec, ns3ai_opengym_gym, ns3ai_rlwifi_gym`},
		{"not executable", []string{"run", "not-executable"}, `target "not-executable": no executable`},
		{"path as target", []string{"run", "../x"}, `target "../x" is not a program name`},
		{"unsupported option", []string{"run", "--gdb", "ns3ai_apb_msg_stru"}, `option "--gdb" of ns3 run is not supported by netgym's launcher`},
		{"unsupported command", []string{"docs"}, `command "docs" is not supported by netgym's launcher`},
		{"build of a missing target", []string{"build", "nope"}, `target "nope": no executable`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plan(tt.args, dir)
			require.ErrorContains(t, err, tt.want)
		})
	}
	l, err := plan([]string{"build", "ns3ai_apb_msg_stru", "ns3ai_apb_msg_vec"}, dir)
	require.NoError(t, err)
	require.True(t, l.build)
}

func TestListTargets(t *testing.T) {
	var b bytes.Buffer
	listTargets(&b, "/x")
	require.Equal(t, "ns3ai_apb_gym -> /x/ns3ai-apb --gym\nns3ai_apb_msg_stru -> /x/ns3ai-apb \nns3ai_apb_msg_vec -> /x/ns3ai-apb --vector\n"+
		"ns3ai_opengym_gym -> /x/opengym --ns3ai\nns3ai_rlwifi_gym -> /x/rl-wifi --ns3ai\n", b.String())
}

// TestRunStatus: the launcher exits as every netgym binary does: -h and
// --help print the usage on standard output and exit 0, a bad command
// line is one line on standard error and exit 2, a target that cannot be
// started exit 1; a good one is handed to exec.
func TestRunStatus(t *testing.T) {
	dir := binaries(t)
	tests := []struct {
		name    string
		args    []string
		execErr error
		status  int
		stdout  string // prefix
		stderr  string // substring
		execed  []string
	}{
		{"-h", []string{"-h"}, nil, 0, "ns3 (netgym): stands in for ns-3's ./ns3", "", nil},
		{"--help", []string{"--help"}, nil, 0, "ns3 (netgym): stands in", "", nil},
		{"show targets", []string{"show", "targets"}, nil, 0, "ns3ai_apb_gym -> " + filepath.Join(dir, "ns3ai-apb") + " --gym\n", "", nil},
		{"build", []string{"build", "ns3ai_apb_msg_stru"}, nil, 0, "", "", nil},
		{"no command", nil, nil, 2, "", "ns3 (netgym): usage: ns3 run", nil},
		{"unsupported command", []string{"docs"}, nil, 2, "", `command "docs" is not supported`, nil},
		{"unsupported option", []string{"run", "--gdb", "x"}, nil, 2, "", `option "--gdb" of ns3 run is not supported`, nil},
		{"missing binary", []string{"run", "nope"}, nil, 1, "", `target "nope": no executable`, nil},
		{"exec fails", []string{"run", "my-scenario", "--", "--x=1"}, errors.New("exec format error"), 1, "", "ns3 (netgym): exec format error",
			[]string{filepath.Join(dir, "my-scenario"), "--x=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			var execed []string
			st := run(tt.args, dir, &out, &errb, func(l launch) error {
				execed = l.argv
				return tt.execErr
			})
			require.Equal(t, tt.status, st)
			require.True(t, bytes.HasPrefix(out.Bytes(), []byte(tt.stdout)), "stdout %q", out.String())
			if tt.stderr == "" {
				require.Empty(t, errb.String())
			} else {
				require.Contains(t, errb.String(), tt.stderr)
				require.Equal(t, 1, bytes.Count(errb.Bytes(), []byte("\n")), "one line on stderr")
			}
			require.Equal(t, tt.execed, execed)
		})
	}
}
