package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/netgym/netgym/cli/clitest"
)

// deploySpec is a small sweep: 3 points x 2 seeds of channel-sim.
const deploySpec = "scenario: channel-sim\ngrid:\n  loss_good: [0, 0.2, 0.5]\n  p_gb: 0\n  steps: 500\nseeds: 2\n"

// rowsByJob reads a results.jsonl and returns every row's metrics by job
// index (wall time and version left out: they differ between runs).
func rowsByJob(t *testing.T, path string) map[int]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	out := map[int]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var row map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &row))
		job := int(row["job"].(float64))
		_, dup := out[job]
		require.False(t, dup, "job %d twice", job)
		m, err := json.Marshal(map[string]any{"params": row["params"], "seed": row["seed"], "run": row["run"], "metrics": row["metrics"]})
		require.NoError(t, err)
		out[job] = string(m)
	}
	require.NoError(t, sc.Err())
	return out
}

// The Slurm array script and the Kubernetes Indexed Job of deploy/ run the
// sweep binary as documented: every shard, then merge, gives the rows of
// one unsharded run, and a task run again skips its finished rows.
func TestDeployRoutes(t *testing.T) {
	bin := clitest.Build(t, "sweep")
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec.yaml")
	require.NoError(t, os.WriteFile(spec, []byte(deploySpec), 0o644))
	ref := filepath.Join(dir, "ref")
	out, err := exec.Command(bin, "run", "-spec", spec, "-out", ref, "-quiet").CombinedOutput()
	require.NoError(t, err, string(out))
	want := rowsByJob(t, filepath.Join(ref, "results.jsonl"))
	require.Len(t, want, 6)
	require.Contains(t, want[5], `"delivery":`)

	merge := func(t *testing.T, shards string) map[int]string {
		t.Helper()
		merged := filepath.Join(t.TempDir(), "merged")
		out, err := exec.Command(bin, "merge", "-o", merged, shards).CombinedOutput()
		require.NoError(t, err, string(out))
		require.Contains(t, string(out), "merged 6 rows")
		return rowsByJob(t, filepath.Join(merged, "results.jsonl"))
	}

	t.Run("slurm array", func(t *testing.T) {
		script, err := filepath.Abs("../../deploy/slurm/sweep.sbatch")
		require.NoError(t, err)
		shards := filepath.Join(t.TempDir(), "shards")
		task := func(id, count int) (string, error) {
			cmd := exec.Command("bash", script, spec, shards)
			cmd.Env = append(os.Environ(), "NETGYM_SWEEP_BIN="+bin, "SLURM_CPUS_PER_TASK=1",
				"SLURM_ARRAY_TASK_COUNT="+strconv.Itoa(count), "SLURM_ARRAY_TASK_ID="+strconv.Itoa(id))
			out, err := cmd.CombinedOutput()
			return string(out), err
		}
		for id := range 4 {
			out, err := task(id, 4)
			require.NoError(t, err, out)
		}
		require.Equal(t, want, merge(t, shards))
		// Resubmitted: nothing to do.
		out, err := task(1, 4)
		require.NoError(t, err, out)
		files, err := filepath.Glob(filepath.Join(shards, "results.shard-*-of-4.jsonl"))
		require.NoError(t, err)
		require.Len(t, files, 4)
		// An index outside 0..N-1 (--array=1-4) is refused.
		out, err = task(4, 4)
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee)
		require.Equal(t, 2, ee.ExitCode())
		require.Contains(t, out, "array index 4 is not in 0..3")
	})

	t.Run("kubernetes indexed job", func(t *testing.T) {
		data, err := os.ReadFile("../../deploy/k8s/sweep-job.yaml")
		require.NoError(t, err)
		var job struct {
			Kind string `yaml:"kind"`
			Spec struct {
				CompletionMode string `yaml:"completionMode"`
				Completions    int    `yaml:"completions"`
				Template       struct {
					Spec struct {
						Containers []struct {
							Command []string `yaml:"command"`
							Args    []string `yaml:"args"`
						} `yaml:"containers"`
					} `yaml:"spec"`
				} `yaml:"template"`
			} `yaml:"spec"`
		}
		require.NoError(t, yaml.Unmarshal(data, &job))
		require.Equal(t, "Job", job.Kind)
		require.Equal(t, "Indexed", job.Spec.CompletionMode)
		n := job.Spec.Completions
		require.Positive(t, n)
		require.Len(t, job.Spec.Template.Spec.Containers, 1)
		c := job.Spec.Template.Spec.Containers[0]
		require.Equal(t, []string{"/sweep"}, c.Command)
		shards := filepath.Join(t.TempDir(), "shards")
		for i := range n {
			// What the pod runs: the index the Job controller sets, the
			// ConfigMap's spec and the shared volume, mounted here.
			args := make([]string, len(c.Args))
			for k, a := range c.Args {
				a = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(i))
				a = strings.ReplaceAll(a, "/spec/spec.yaml", spec)
				a = strings.ReplaceAll(a, "/results", shards)
				args[k] = a
			}
			require.Contains(t, args, strconv.Itoa(i)+"/"+strconv.Itoa(n), "the shard's N repeats completions")
			out, err := exec.Command(bin, args...).CombinedOutput()
			require.NoError(t, err, string(out))
		}
		got := merge(t, shards)
		require.Equal(t, want, got)
		jobs := make([]int, 0, len(got))
		for j := range got {
			jobs = append(jobs, j)
		}
		sort.Ints(jobs)
		require.Equal(t, []int{0, 1, 2, 3, 4, 5}, jobs)
	})
}
