package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func sweepCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, diag bytes.Buffer
	code := run(args, &out, &diag)
	return code, out.String(), diag.String()
}

func TestRunSummaryPlotMerge(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "s.yaml")
	require.NoError(t, os.WriteFile(spec, []byte("scenario: channel-sim\ngrid:\n  loss_good: [0, 0.5]\n  p_gb: 0\n  steps: 2000\nseeds: 3\n"), 0o644))
	out := filepath.Join(dir, "out")
	code, _, diag := sweepCmd(t, "run", "-spec", spec, "-out", out, "-quiet")
	require.Equal(t, 0, code, diag)
	require.Contains(t, diag, "6 runs: 6 done, 0 already there, 0 failed")
	code, _, diag = sweepCmd(t, "run", "-spec", spec, "-out", out, "-quiet")
	require.Equal(t, 0, code, diag)
	require.Contains(t, diag, "6 runs: 0 done, 6 already there")

	code, table, diag := sweepCmd(t, "summary", filepath.Join(out, "results.jsonl"))
	require.Equal(t, 0, code, diag)
	lines := strings.Split(strings.TrimSpace(table), "\n")
	require.Len(t, lines, 3)
	require.Contains(t, lines[1], "1 ± 0") // loss_good 0: everything arrives

	fig := filepath.Join(dir, "fig.svg")
	code, _, diag = sweepCmd(t, "plot", filepath.Join(out, "results.jsonl"), "-x", "loss_good", "-y", "delivery", "-o", fig)
	require.Equal(t, 0, code, diag)
	data, err := os.ReadFile(fig)
	require.NoError(t, err)
	require.Contains(t, string(data), "<svg")

	shards := filepath.Join(dir, "shards")
	for _, s := range []string{"0/2", "1/2"} {
		code, _, diag = sweepCmd(t, "run", "-spec", spec, "-out", shards, "-shard", s, "-quiet")
		require.Equal(t, 0, code, diag)
	}
	merged := filepath.Join(dir, "merged")
	code, _, diag = sweepCmd(t, "merge", "-o", merged, shards)
	require.Equal(t, 0, code, diag)
	require.Contains(t, diag, "merged 6 rows")

	code, plan, _ := sweepCmd(t, "plan", "-spec", spec, "-jobs", "1,4-5")
	require.Equal(t, 0, code)
	require.Equal(t, 3, strings.Count(plan, "\n"))
	require.Contains(t, plan, `"job":4`)

	code, stream, diag := sweepCmd(t, "run", "-spec", spec, "-out", "-", "-jobs", "2")
	require.Equal(t, 0, code, diag)
	require.Equal(t, 1, strings.Count(stream, "\n"))
	require.Contains(t, stream, `"job":2,`)
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Usage: sweep COMMAND"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"run", "-scenario", "nope"}, 2, `unknown scenario "nope"`},
		{[]string{"run", "-scenario", "wifi-sim", "-p", "speed=3"}, 2, `no parameter "speed"`},
		{[]string{"run", "-scenario", "wifi-sim", "-p", "distance=0:1000:0.001"}, 2, "more than max_points 100000"},
		{[]string{"run", "-scenario", "wifi-sim", "-metrics", "goodput"}, 2, `no metric "goodput"`},
		{[]string{"run", "-scenario", "wifi-sim", "-shard", "2/2"}, 2, "0 <= i < N"},
		{[]string{"run", "-scenario", "wifi-sim", "-out", "/proc/netgym-sweep"}, 1, "cannot be created"},
		{[]string{"merge", "x"}, 2, "-o DIR is required"},
		{[]string{"plot", "x.jsonl"}, 2, "-x, -y and -o are required"},
	}
	for _, c := range cases {
		code, _, diag := sweepCmd(t, c.args...)
		require.Equal(t, c.code, code, "%v: %s", c.args, diag)
		require.Contains(t, diag, c.want, c.args)
	}
	code, out, _ := sweepCmd(t, "list", "wifi-grid")
	require.Equal(t, 0, code)
	require.Contains(t, out, "interval_ms")
}

// TestInterruptKeepsFinishedRows sends the process SIGINT while a sweep
// runs: the run under way stops, the finished row stays, the exit status is
// 130.
func TestInterruptKeepsFinishedRows(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "s.yaml")
	require.NoError(t, os.WriteFile(spec, []byte("scenario: channel-sim\npoints: [{steps: 10}, {steps: 1000000000}, {steps: 20}]\n"), 0o644))
	out := filepath.Join(dir, "out")
	done := make(chan int)
	var diag bytes.Buffer
	go func() {
		done <- run([]string{"run", "-spec", spec, "-out", out, "-quiet", "-workers", "1"}, io.Discard, &diag)
	}()
	jsonl := filepath.Join(out, "results.jsonl")
	for {
		data, _ := os.ReadFile(jsonl)
		if bytes.Count(data, []byte("\n")) == 1 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGINT))
	require.Equal(t, exitInterrupted, <-done)
	require.Contains(t, diag.String(), "sweep interrupted after 1 of 3 runs")
	data, err := os.ReadFile(jsonl)
	require.NoError(t, err)
	require.Equal(t, 1, bytes.Count(data, []byte("\n")))
	require.Contains(t, string(data), `"steps":10}`)
}
