package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// toy is a fast deterministic scenario: y = a*x + seed + run/10, and
// calls counts its runs.
func toy(calls *atomic.Int64) Scenario {
	return Scenario{
		Name:    "toy",
		Summary: "y = a*x + seed + run/10",
		Params: []Param{
			{Name: "x", Kind: Float, Default: 1.0, Min: 0, Max: 100},
			{Name: "a", Kind: Int, Default: 2, Min: -10, Max: 10},
			{Name: "mode", Kind: String, Default: "plain", Choices: []string{"plain", "fail", "panic", "slow"}},
			{Name: "flag", Kind: Bool, Default: false},
		},
		Metrics: []Metric{{Name: "y"}, {Name: "z", Help: "x squared"}},
		Check: func(p Values) error {
			if p.Float("x") == 13 {
				return errors.New("x = 13 is unlucky")
			}
			return nil
		},
		Run: func(ctx context.Context, p Values, seed, run uint64) (map[string]float64, error) {
			if calls != nil {
				calls.Add(1)
			}
			switch p.String("mode") {
			case "fail":
				return nil, errors.New("asked to fail")
			case "panic":
				panic("asked to panic")
			case "slow":
				<-ctx.Done()
				return nil, ctx.Err()
			}
			x := p.Float("x")
			return map[string]float64{"y": float64(p.Int("a"))*x + float64(seed) + float64(run)/10, "z": x * x}, nil
		},
	}
}

func toyRegistry(t *testing.T, calls *atomic.Int64) *Registry {
	t.Helper()
	r := NewRegistry()
	require.NoError(t, r.Register(toy(calls)))
	return r
}

func TestRegisterRefuses(t *testing.T) {
	ok := toy(nil)
	cases := []struct {
		name string
		edit func(*Scenario)
		want string
	}{
		{"no name", func(s *Scenario) { s.Name = "" }, "non-empty"},
		{"no run", func(s *Scenario) { s.Run = nil }, "no Run"},
		{"no metric", func(s *Scenario) { s.Metrics = nil }, "no metric"},
		{"duplicate param", func(s *Scenario) { s.Params = append(s.Params, s.Params[0]) }, "declared twice"},
		{"reserved", func(s *Scenario) { s.Params[0].Name = "seed" }, "reserved"},
		{"default out of range", func(s *Scenario) { s.Params[0].Default = 101.0 }, "out of range"},
		{"default wrong type", func(s *Scenario) { s.Params[3].Default = "yes" }, "not a bool"},
		{"bad range", func(s *Scenario) { s.Params[0].Min = 5; s.Params[0].Max = 4 }, "range"},
		{"metric clash", func(s *Scenario) { s.Metrics[0].Name = "x" }, "already a column"},
		{"bad metric name", func(s *Scenario) { s.Metrics[0].Name = "a b" }, "use letters"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := ok
			s.Params = slices.Clone(ok.Params)
			s.Metrics = slices.Clone(ok.Metrics)
			c.edit(&s)
			err := NewRegistry().Register(s)
			require.Error(t, err)
			require.Contains(t, err.Error(), c.want)
		})
	}
	r := NewRegistry()
	require.NoError(t, r.Register(ok))
	require.ErrorContains(t, r.Register(ok), "already registered")
}

func TestPlanExpandsGridsInDeclarationOrder(t *testing.T) {
	r := toyRegistry(t, nil)
	spec, err := ParseSpec([]byte(`
scenario: toy
grid:
  a: [1, 2]
  x: {from: 0.1, to: 0.3, step: 0.1}
seeds: 2
runs: [5]
`))
	require.NoError(t, err)
	plan, err := r.Plan(spec)
	require.NoError(t, err)
	require.Equal(t, 6, plan.Points)
	require.Len(t, plan.Jobs, 12)
	require.Equal(t, []string{"y", "z"}, plan.Metrics)
	// x is declared before a: x is the outer axis, a varies fastest;
	// seeds inside points.
	var got []string
	for _, j := range plan.Jobs[:6] {
		got = append(got, fmt.Sprintf("%d:%v,%d,s%d,r%d", j.Point, j.Values.Float("x"), j.Values.Int("a"), j.Seed, j.Run))
	}
	require.Equal(t, []string{"0:0.1,1,s1,r5", "0:0.1,1,s2,r5", "1:0.1,2,s1,r5", "1:0.1,2,s2,r5", "2:0.2,1,s1,r5", "2:0.2,1,s2,r5"}, got)
	require.Equal(t, "x=0.3,a=2,mode=plain,flag=false|seed=2|run=5", plan.Jobs[11].Key)
	for i, j := range plan.Jobs {
		require.Equal(t, i, j.Index)
	}
}

func TestPlanPointsAndDefaults(t *testing.T) {
	r := toyRegistry(t, nil)
	spec, err := ParseSpec([]byte("scenario: toy\npoints:\n  - {x: 5}\n  - {x: 7, flag: true}\ngrid:\n  a: 3\nmetrics: [z]\n"))
	require.NoError(t, err)
	plan, err := r.Plan(spec)
	require.NoError(t, err)
	require.Len(t, plan.Jobs, 2)
	require.Equal(t, []string{"z"}, plan.Metrics)
	require.Equal(t, map[string]any{"x": 7.0, "a": int64(3), "mode": "plain", "flag": true}, plan.Jobs[1].Values.Map())
}

func TestPlanRefusesBadSpecs(t *testing.T) {
	r := toyRegistry(t, nil)
	cases := []struct {
		name, yaml, want string
	}{
		{"unknown scenario", "scenario: tyo", `unknown scenario "tyo" (known: toy)`},
		{"no scenario", "grid: {x: 1}", "names no scenario"},
		{"unknown parameter", "scenario: toy\ngrid: {xx: 1}", `no parameter "xx" (parameters: x, a, mode, flag)`},
		{"unknown parameter in a point", "scenario: toy\npoints: [{b: 1}]", `no parameter "b"`},
		{"unknown metric", "scenario: toy\nmetrics: [w]", `no metric "w" (metrics: y, z)`},
		{"out of range", "scenario: toy\ngrid: {x: [1, 200]}", "parameter x: 200 is out of range; accepted: a number in [0, 100]"},
		{"not an integer", "scenario: toy\ngrid: {a: 1.5}", "parameter a: 1.5 (float64) is not a int"},
		{"bad choice", "scenario: toy\ngrid: {mode: fast}", `"fast" is not accepted; accepted: plain, fail, panic, slow`},
		{"check", "scenario: toy\ngrid: {x: [12, 13]}", "x = 13 is unlucky"},
		{"too many points", "scenario: toy\nmax_points: 10\ngrid: {x: {from: 0, to: 10, step: 1}}", "11 points, more than max_points 10"},
		{"set twice", "scenario: toy\ngrid: {x: 1}\npoints: [{x: 2}]", "both in the grid and in point 0"},
		{"same point twice", "scenario: toy\npoints: [{x: 2}, {x: 2.0}]", "points 0 and 1 are the same"},
		{"duplicate seed", "scenario: toy\nseeds: [1, 1]", "seed 1 is listed twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec, err := ParseSpec([]byte(c.yaml))
			require.NoError(t, err)
			_, err = r.Plan(spec)
			require.Error(t, err)
			require.Contains(t, err.Error(), c.want)
		})
	}
	for _, bad := range []string{"scenario: toy\ngrdi: {x: 1}", "scenario: toy\nseeds: 0", "scenario: toy\ngrid: {x: {from: 0, to: 1}}",
		"scenario: toy\ngrid: {x: {from: 1, to: 0, step: 1}}", "scenario: toy\ngrid: {x: []}"} {
		_, err := ParseSpec([]byte(bad))
		require.Error(t, err, bad)
	}
}

func TestParseAxisAndNumbers(t *testing.T) {
	a, err := ParseAxis("1:2:0.25")
	require.NoError(t, err)
	require.Equal(t, []any{1.0, 1.25, 1.5, 1.75, 2.0}, a.Values)
	a, err = ParseAxis("0:10:5")
	require.NoError(t, err)
	require.Equal(t, []any{int64(0), int64(5), int64(10)}, a.Values)
	a, err = ParseAxis("1, 2.5,raw,true")
	require.NoError(t, err)
	require.Equal(t, []any{1, 2.5, "raw", true}, a.Values)
	n, err := ParseNumbers("3")
	require.NoError(t, err)
	require.Equal(t, Numbers{1, 2, 3}, n)
	n, err = ParseNumbers("7-9")
	require.NoError(t, err)
	require.Equal(t, Numbers{7, 8, 9}, n)
	n, err = ParseNumbers("4,2")
	require.NoError(t, err)
	require.Equal(t, Numbers{4, 2}, n)
	for _, bad := range []string{"0", "x", "9-7", "1,a"} {
		_, err := ParseNumbers(bad)
		require.Error(t, err, bad)
	}
}

func TestShardsPartitionTheJobs(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7} {
		seen := map[int]int{}
		for i := range n {
			s, err := ParseShard(fmt.Sprintf("%d/%d", i, n))
			require.NoError(t, err)
			for k := range 50 {
				if s.Has(k) {
					seen[k]++
				}
			}
		}
		require.Len(t, seen, 50)
		for k, c := range seen {
			require.Equal(t, 1, c, "job %d in %d shards of %d", k, c, n)
		}
	}
	for _, bad := range []string{"3/3", "-1/2", "1", "a/b", "0/0"} {
		_, err := ParseShard(bad)
		require.Error(t, err, bad)
	}
}

func toyPlan(t *testing.T, r *Registry, yaml string) *Plan {
	t.Helper()
	spec, err := ParseSpec([]byte(yaml))
	require.NoError(t, err)
	plan, err := r.Plan(spec)
	require.NoError(t, err)
	return plan
}

const toyGrid = "scenario: toy\ngrid:\n  x: [1, 2, 3]\n  a: [1, 2]\nseeds: 3\n"

func TestRunWritesRowsAndResumes(t *testing.T) {
	var calls atomic.Int64
	r := toyRegistry(t, &calls)
	plan := toyPlan(t, r, toyGrid)
	dir := filepath.Join(t.TempDir(), "out")
	rep, err := Run(context.Background(), plan, Options{Dir: dir, Workers: 3, Version: "test"})
	require.NoError(t, err)
	require.Equal(t, Report{Jobs: 18, Done: 18, Elapsed: rep.Elapsed, Files: rep.Files}, rep)
	require.EqualValues(t, 18, calls.Load())
	rows, err := ReadRows(filepath.Join(dir, "results.jsonl"))
	require.NoError(t, err)
	require.Len(t, rows, 18)
	byKey := map[string]Row{}
	for _, row := range rows {
		byKey[row.Key] = row
	}
	row := byKey["x=3,a=2,mode=plain,flag=false|seed=3|run=1"]
	require.Equal(t, []float64{2*3 + 3 + 0.1, 9}, row.Metrics)
	// x = 3.0 is written 3 and read back as an integer.
	require.Equal(t, []any{int64(3), int64(2), "plain", false}, row.Params)
	require.Equal(t, "test", row.Version)
	csvData, err := os.ReadFile(filepath.Join(dir, "results.csv"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(csvData)), "\n")
	require.Len(t, lines, 19)
	require.Equal(t, "scenario,job,point,x,a,mode,flag,seed,run,y,z,wall_s,version", lines[0])

	// A rerun runs nothing.
	rep, err = Run(context.Background(), plan, Options{Dir: dir})
	require.NoError(t, err)
	require.Equal(t, 18, rep.Skipped)
	require.Equal(t, 0, rep.Done)
	require.EqualValues(t, 18, calls.Load())

	// A killed sweep: the last line torn, four rows lost. The rerun cuts
	// the torn line, keeps the CSV in step and runs the five missing.
	jpath := filepath.Join(dir, "results.jsonl")
	data, err := os.ReadFile(jpath)
	require.NoError(t, err)
	keep := bytes.SplitAfter(data, []byte("\n"))[:13]
	torn := append(bytes.Join(keep, nil), []byte(`{"scenario":"toy","job":`)...)
	require.NoError(t, os.WriteFile(jpath, torn, 0o644))
	rep, err = Run(context.Background(), plan, Options{Dir: dir, Workers: 2})
	require.NoError(t, err)
	require.Equal(t, 13, rep.Skipped)
	require.Equal(t, 5, rep.Done)
	require.EqualValues(t, 23, calls.Load())
	rows, err = ReadRows(jpath)
	require.NoError(t, err)
	require.Len(t, rows, 18)
	keys := map[string]bool{}
	for _, row := range rows {
		keys[row.Key] = true
	}
	require.Len(t, keys, 18)
	csvData, err = os.ReadFile(filepath.Join(dir, "results.csv"))
	require.NoError(t, err)
	require.Equal(t, 19, strings.Count(string(csvData), "\n"))
}

func TestRunRefusesBadOutputBeforeRunning(t *testing.T) {
	var calls atomic.Int64
	r := toyRegistry(t, &calls)
	plan := toyPlan(t, r, toyGrid)
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, err := Run(context.Background(), plan, Options{Dir: filepath.Join(file, "sub")})
	require.ErrorContains(t, err, "cannot be created")

	// Results of another sweep in the directory.
	dir := t.TempDir()
	other := toyPlan(t, r, toyGrid+"metrics: [y]\n")
	_, err = Run(context.Background(), other, Options{Dir: dir})
	require.NoError(t, err)
	n := calls.Load()
	_, err = Run(context.Background(), plan, Options{Dir: dir})
	require.ErrorContains(t, err, "not of this sweep")
	require.Equal(t, n, calls.Load())

	if os.Geteuid() != 0 { // root writes anywhere
		ro := t.TempDir()
		require.NoError(t, os.Chmod(ro, 0o500))
		_, err = Run(context.Background(), plan, Options{Dir: ro})
		require.ErrorContains(t, err, "not writable")
	}
	_, err = Run(context.Background(), plan, Options{})
	require.ErrorContains(t, err, "output directory or a stream")
	_, err = Run(context.Background(), plan, Options{Dir: dir, Only: []int{99}})
	require.ErrorContains(t, err, "job 99 does not exist")
	require.Equal(t, n, calls.Load())
}

func TestRunReportsFailuresAndKeepsTheRest(t *testing.T) {
	r := toyRegistry(t, nil)
	plan := toyPlan(t, r, "scenario: toy\ngrid:\n  mode: [plain, fail, panic]\n  x: [1, 2]\n")
	var log bytes.Buffer
	dir := t.TempDir()
	rep, err := Run(context.Background(), plan, Options{Dir: dir, Log: &log, Workers: 2})
	require.ErrorContains(t, err, "4 of 6 runs failed")
	require.Equal(t, 2, rep.Done)
	require.Equal(t, 4, rep.Failed)
	require.Contains(t, log.String(), "asked to fail")
	require.Contains(t, log.String(), "panic: asked to panic")
	rows, err := ReadRows(filepath.Join(dir, "results.jsonl"))
	require.NoError(t, err)
	require.Len(t, rows, 2)
}

func TestRunStopsOnCancelKeepingFinishedRows(t *testing.T) {
	r := toyRegistry(t, nil)
	// Two quick runs, then runs that only end when cancelled.
	plan := toyPlan(t, r, "scenario: toy\npoints: [{x: 1}, {x: 2}, {mode: slow, x: 3}, {mode: slow, x: 4}, {mode: slow, x: 5}]\n")
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	var stream bytes.Buffer
	done := make(chan struct{})
	var rep Report
	var err error
	go func() {
		rep, err = Run(ctx, plan, Options{Dir: dir, Workers: 1, Stream: &stream})
		close(done)
	}()
	// Wait until the two quick rows are on disk, then interrupt.
	for {
		rows, _ := ReadRows(filepath.Join(dir, "results.jsonl"))
		if len(rows) == 2 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	require.ErrorIs(t, err, ErrInterrupted)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 2, rep.Done)
	require.Equal(t, 0, rep.Failed)
	require.Equal(t, 2, strings.Count(stream.String(), "\n"))
	rows, err := ReadRows(filepath.Join(dir, "results.jsonl"))
	require.NoError(t, err)
	require.Len(t, rows, 2)
}

func TestShardsMergeToTheWholeSweep(t *testing.T) {
	r := toyRegistry(t, nil)
	plan := toyPlan(t, r, toyGrid)
	whole := t.TempDir()
	_, err := Run(context.Background(), plan, Options{Dir: whole, Version: "v"})
	require.NoError(t, err)
	shards := t.TempDir()
	for i := range 4 {
		rep, err := Run(context.Background(), plan, Options{Dir: shards, Shard: Shard{Index: i, Count: 4}, Version: "v"})
		require.NoError(t, err)
		require.Equal(t, []int{5, 5, 4, 4}[i], rep.Done)
	}
	files, err := resultFiles(shards)
	require.NoError(t, err)
	require.Len(t, files, 4)
	require.Equal(t, "results.shard-0-of-4.jsonl", filepath.Base(files[0]))
	// An unsharded rerun in the shards' directory finds everything done.
	rep, err := Run(context.Background(), plan, Options{Dir: shards})
	require.NoError(t, err)
	require.Equal(t, 18, rep.Skipped)

	merged := filepath.Join(t.TempDir(), "merged")
	n, err := Merge(merged, shards, filepath.Join(whole, "results.jsonl"))
	require.NoError(t, err)
	require.Equal(t, 18, n)
	got, err := ReadRows(filepath.Join(merged, "results.jsonl"))
	require.NoError(t, err)
	want, err := ReadRows(filepath.Join(whole, "results.jsonl"))
	require.NoError(t, err)
	sort.Slice(want, func(i, j int) bool { return want[i].Job < want[j].Job })
	require.Len(t, got, len(want))
	for i := range want {
		require.Equal(t, want[i].Key, got[i].Key)
		require.Equal(t, want[i].Metrics, got[i].Metrics)
		require.Equal(t, i, got[i].Job)
	}
	// Merging rows of another sweep is refused.
	other := t.TempDir()
	_, err = Run(context.Background(), toyPlan(t, r, toyGrid+"metrics: [z]\n"), Options{Dir: other})
	require.NoError(t, err)
	_, err = Merge(t.TempDir(), whole, other)
	require.ErrorContains(t, err, "cannot share a results file")
	_, err = Merge(t.TempDir(), t.TempDir())
	require.ErrorContains(t, err, "no results*.jsonl")
}

func TestDescribeAndSummarize(t *testing.T) {
	st := Describe([]float64{1, 2, 3, math.NaN()})
	require.Equal(t, 3, st.N)
	require.InDelta(t, 2, st.Mean, 1e-12)
	require.InDelta(t, 1, st.Std, 1e-12)
	// t(0.975, 2) = 4.302653 (Student's t table).
	require.InDelta(t, 4.302653/math.Sqrt(3), st.CI95, 1e-5)
	one := Describe([]float64{5})
	require.Equal(t, 5.0, one.Mean)
	require.True(t, math.IsNaN(one.CI95))

	r := toyRegistry(t, nil)
	plan := toyPlan(t, r, "scenario: toy\ngrid:\n  x: [1, 2]\nseeds: 4\n")
	var buf bytes.Buffer
	_, err := Run(context.Background(), plan, Options{Stream: &buf})
	require.NoError(t, err)
	var rows []Row
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var row Row
		require.NoError(t, row.UnmarshalJSON([]byte(line)))
		rows = append(rows, row)
	}
	sums, err := Summarize(rows)
	require.NoError(t, err)
	require.Len(t, sums, 2)
	y, _ := sums[1].Stat("y")
	// y = 2*2 + seed + 0.1 for seeds 1..4: mean 6.6, std 1.2910.
	require.Equal(t, 4, y.N)
	require.InDelta(t, 6.6, y.Mean, 1e-12)
	require.InDelta(t, math.Sqrt(5.0/3), y.Std, 1e-12)
	var table, csvOut bytes.Buffer
	require.NoError(t, WriteSummaryTable(&table, sums))
	require.Contains(t, table.String(), "6.6 ± 2.1")
	require.NoError(t, WriteSummaryCSV(&csvOut, sums))
	require.True(t, strings.HasPrefix(csvOut.String(), "x,a,mode,flag,runs,y_mean,y_ci95,y_std,z_mean,z_ci95,z_std\n"))
}

func TestPlot(t *testing.T) {
	r := toyRegistry(t, nil)
	plan := toyPlan(t, r, "scenario: toy\ngrid:\n  x: [1, 2, 3]\n  a: [1, 2]\nseeds: 3\n")
	var buf bytes.Buffer
	_, err := Run(context.Background(), plan, Options{Stream: &buf})
	require.NoError(t, err)
	var rows []Row
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var row Row
		require.NoError(t, row.UnmarshalJSON([]byte(line)))
		rows = append(rows, row)
	}
	dir := t.TempDir()
	for _, name := range []string{"f.png", "f.svg"} {
		path := filepath.Join(dir, name)
		require.NoError(t, Plot(rows, PlotConfig{X: "x", Y: []string{"y", "z"}, By: "a"}, path))
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		require.Greater(t, len(data), 1000)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "f.png"))
	require.Equal(t, []byte("\x89PNG"), data[:4])
	cases := []struct {
		cfg  PlotConfig
		want string
	}{
		{PlotConfig{X: "x", Y: []string{"y"}}, "parameter a varies (1, 2)"},
		{PlotConfig{X: "mode", Y: []string{"y"}, By: "a", Where: map[string]string{"x": "1"}}, "not numeric"},
		{PlotConfig{X: "q", Y: []string{"y"}}, `no parameter "q"`},
		{PlotConfig{X: "x", Y: []string{"w"}, By: "a"}, `no metric "w"`},
		{PlotConfig{X: "x", Y: []string{"y"}, Where: map[string]string{"a": "7"}}, "no row matches"},
		{PlotConfig{X: "x", Y: nil}, "at least one metric"},
	}
	for _, c := range cases {
		err := PlotTo(&bytes.Buffer{}, "png", rows, c.cfg)
		require.ErrorContains(t, err, c.want)
	}
	require.NoError(t, PlotTo(&bytes.Buffer{}, "svg", rows, PlotConfig{X: "x", Y: []string{"y"}, Where: map[string]string{"a": "1"}}))

	// The runs' wall-clock times plot like a metric, without changing the
	// rows: a panel more than y alone.
	before := len(rows[0].Metrics)
	var withWallSVG, ySVG bytes.Buffer
	require.NoError(t, PlotTo(&withWallSVG, "svg", rows, PlotConfig{X: "x", Y: []string{"y", WallMetric}, By: "a"}))
	require.NoError(t, PlotTo(&ySVG, "svg", rows, PlotConfig{X: "x", Y: []string{"y"}, By: "a"}))
	require.Contains(t, withWallSVG.String(), WallMetric)
	require.NotContains(t, ySVG.String(), WallMetric)
	require.Len(t, rows[0].Metrics, before)
	require.Equal(t, []float64{rows[3].WallS}, withWall(rows[3:4])[0].Metrics[before:])
}

// failAfter is a writer that fails from its nth write on.
type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("disk full")
	}
	f.n--
	return len(p), nil
}

// TestWriteErrorStopsTheSweep: once a row cannot be written, no further
// run starts (a long sweep must not run for hours into a full disk).
func TestWriteErrorStopsTheSweep(t *testing.T) {
	var calls atomic.Int64
	r := toyRegistry(t, &calls)
	plan := toyPlan(t, r, "scenario: toy\ngrid:\n  x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nseeds: 10\n")
	rep, err := Run(context.Background(), plan, Options{Stream: &failAfter{n: 2}, Workers: 1})
	require.ErrorContains(t, err, "disk full")
	require.NotErrorIs(t, err, ErrInterrupted)
	require.Equal(t, 2, rep.Done)
	require.Less(t, calls.Load(), int64(10), "runs stop after the failed write (100 planned)")
}

// Result files and figures are written through a temporary file, but not
// with its private mode: a new one gets 0644 less the umask, as a file the
// runner creates, a rewritten one keeps its mode.
func TestWriteAtomicFileModes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "results.csv")
	write := func(w io.Writer) error { _, err := io.WriteString(w, "a,b\n"); return err }
	require.NoError(t, writeAtomic(path, write))
	st, err := os.Stat(path)
	require.NoError(t, err)
	ref, err := os.OpenFile(filepath.Join(dir, "ref"), os.O_CREATE|os.O_WRONLY, 0o644)
	require.NoError(t, err)
	refSt, err := ref.Stat()
	require.NoError(t, err)
	require.NoError(t, ref.Close())
	require.NoError(t, os.Remove(ref.Name()))
	require.Equal(t, refSt.Mode().Perm(), st.Mode().Perm())
	require.NotZero(t, st.Mode().Perm()&0o044, "readable beyond its owner with the usual umasks")
	require.NoError(t, os.Chmod(path, 0o640))
	require.NoError(t, writeAtomic(path, write))
	st, err = os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o640), st.Mode().Perm())
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "a,b\n", string(b))
	left, err := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	require.NoError(t, err)
	require.Empty(t, left, "no temporary file left behind")
	// A failed write leaves the old file as it was.
	require.ErrorContains(t, writeAtomic(path, func(io.Writer) error { return errors.New("disk full") }), "disk full")
	b, err = os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "a,b\n", string(b))
}
