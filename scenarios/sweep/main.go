// Command sweep runs parameter sweeps of netgym's scenarios on every core,
// writes one result row per run (JSON lines and CSV), resumes, shards,
// merges, summarises and plots.
//
//	sweep list                                   # scenarios, parameters, metrics
//	sweep run -spec docs/sweeps/wifi-distance.yaml -out results/dist
//	sweep run -scenario wifi-sim -p distance=40:60:1 -p step_ms=1,10 -seeds 5 -out results/d
//	sweep run -spec s.yaml -out shared/run1 -shard $SLURM_ARRAY_TASK_ID/16
//	sweep merge -o results/all shared/run1
//	sweep summary results/d/results.jsonl
//	sweep plot results/d/results.jsonl -x distance -y delivery,mean_lag -by step_ms -o fig.png
//	sweep plan -spec s.yaml                      # the jobs as JSON lines (for Ray)
//
// A rerun of the same command skips the runs its output directory already
// holds; Ctrl-C stops after the runs under way and keeps every finished
// row (a second Ctrl-C exits at once; rows are written as they finish).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/sweep"
	"github.com/netgym/netgym/sweep/catalog"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `Usage: sweep COMMAND [flags]

Commands:
  list     [scenario]             scenarios, their parameters (defaults, ranges) and metrics
  run      -spec FILE | -scenario NAME -p name=values ...   run a sweep (resumable)
  plan     (same flags as run)    print the jobs as JSON lines, run nothing
  merge    -o DIR INPUT...        merge results files or shard directories
  summary  RESULTS.jsonl          mean and 95% confidence interval per point
  plot     RESULTS.jsonl -x P -y M[,M] [-by P] -o FIG.png|svg|pdf
  version                         netgym's version

"sweep COMMAND -h" lists a command's flags.
`

func run(args []string, out, diag io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(diag, usage)
		return cli.ExitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(out, usage)
		return cli.ExitOK
	case "list":
		return cmdList(args[1:], out, diag)
	case "run":
		return cmdRun(args[1:], out, diag, false)
	case "plan":
		return cmdRun(args[1:], out, diag, true)
	case "merge":
		return cmdMerge(args[1:], out, diag)
	case "summary":
		return cmdSummary(args[1:], out, diag)
	case "plot":
		return cmdPlot(args[1:], out, diag)
	case "version":
		fmt.Fprintln(out, sweep.Version())
		return cli.ExitOK
	}
	fmt.Fprintf(diag, "sweep: unknown command %q\n%s", args[0], usage)
	return cli.ExitUsage
}

// runPositional is cli.Program.Run for commands that take positional
// arguments (flags may come before or after them).
func runPositional(p *cli.Program, args []string, out, diag io.Writer, body func(pos []string) error) int {
	var pos []string
	rest := args
	for {
		if err := p.Flags.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				p.PrintUsage(out)
				return cli.ExitOK
			}
			return p.Report(diag, &cli.UsageError{Err: err})
		}
		if p.Flags.NArg() == 0 {
			break
		}
		pos = append(pos, p.Flags.Arg(0))
		rest = p.Flags.Args()[1:]
	}
	err := body(pos)
	if errors.Is(err, errInterrupted) {
		return exitInterrupted
	}
	return p.Report(diag, err)
}

// exitInterrupted is the exit status after Ctrl-C, as a shell reports it.
const exitInterrupted = 130

func vgCm(cm float64) vg.Length { return vg.Length(cm) * vg.Centimeter }

func registry() (*sweep.Registry, error) { return catalog.New() }

func cmdList(args []string, out, diag io.Writer) int {
	p := cli.New("sweep list", "Lists the scenarios a sweep can run, with their parameters (type, default, range) and metrics.")
	return runPositional(p, args, out, diag, func(pos []string) error {
		reg, err := registry()
		if err != nil {
			return err
		}
		names := pos
		if len(names) == 0 {
			names = reg.Names()
		}
		for _, n := range names {
			sc, err := reg.Lookup(n)
			if err != nil {
				return cli.Invalid(err)
			}
			fmt.Fprintln(out, catalog.Describe(sc))
		}
		return nil
	})
}

// axisFlags collects repeated -p name=values flags.
type axisFlags struct {
	names []string
	axes  []sweep.Axis
}

func (a *axisFlags) String() string { return strings.Join(a.names, ",") }

func (a *axisFlags) Set(v string) error {
	name, vals, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("%q is not name=values (values: v1,v2,... or from:to:step)", v)
	}
	ax, err := sweep.ParseAxis(vals)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	a.names = append(a.names, strings.TrimSpace(name))
	a.axes = append(a.axes, ax)
	return nil
}

// parseJobs reads "3,5,9-12".
func parseJobs(text string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(text, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		a, b, isRange := strings.Cut(f, "-")
		x, err := strconv.Atoi(a)
		if err != nil || x < 0 {
			return nil, fmt.Errorf("%q is not a job index", f)
		}
		y := x
		if isRange {
			if y, err = strconv.Atoi(b); err != nil || y < x {
				return nil, fmt.Errorf("%q is not a range a-b with a <= b", f)
			}
		}
		for k := x; k <= y; k++ {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no job index")
	}
	return out, nil
}

func cmdRun(args []string, out, diag io.Writer, planOnly bool) int {
	name := "sweep run"
	summary := "Runs a sweep: every (point, seed, run) of a spec file and/or flags, one simulation per core at a time; one row per run in OUT/results.jsonl and OUT/results.csv. A rerun skips the rows OUT holds."
	if planOnly {
		name = "sweep plan"
		summary = "Prints the jobs of a sweep as JSON lines (job, point, seed, run, key, params) and runs nothing: what a Ray driver batches."
	}
	p := cli.New(name, summary)
	fs := p.Flags
	specPath := fs.String("spec", "", "YAML spec file (scenario, grid, points, seeds, runs, metrics, max_points)")
	scenario := fs.String("scenario", "", "scenario (overrides the spec's)")
	var axes axisFlags
	fs.Var(&axes, "p", "grid axis name=v1,v2,... or name=from:to:step (repeatable; overrides the spec's)")
	seeds := fs.String("seeds", "", "seeds: N (1..N), a-b or a,b,c (overrides the spec's; default 1)")
	runs := fs.String("runs", "", "run numbers: N (1..N), a-b or a,b,c (overrides the spec's; default 1)")
	metrics := fs.String("metrics", "", "comma-separated metrics to keep (default: all)")
	maxPoints := fs.Int("max-points", 0, "refuse a sweep of more parameter points (default: the spec's max_points, else 100000)")
	outDir := fs.String("out", "sweep-results", "output directory; - writes JSON lines to stdout only (no files, no resume)")
	shardText := fs.String("shard", "", "run only shard i/N of the jobs (job k is in shard k mod N)")
	jobsText := fs.String("jobs", "", "run only these job indices (e.g. 3,5,9-12)")
	workers := fs.Int("workers", 0, "simulations at once (default: every core)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	syncEvery := fs.Duration("sync", 2*time.Second, "fsync the results files at most this often")
	return runPositional(p, args, out, diag, func(pos []string) error {
		if len(pos) > 0 {
			return cli.Invalidf("unexpected argument %q (the spec file is -spec FILE)", pos[0])
		}
		var spec sweep.Spec
		if *specPath != "" {
			var err error
			if spec, err = sweep.ReadSpec(*specPath); err != nil {
				return cli.Invalid(err)
			}
		}
		if *scenario != "" {
			if spec.Scenario != "" && spec.Scenario != *scenario {
				spec.Grid, spec.Points = nil, nil // another scenario's parameters
			}
			spec.Scenario = *scenario
		}
		if len(axes.names) > 0 && spec.Grid == nil {
			spec.Grid = map[string]sweep.Axis{}
		}
		for i, n := range axes.names {
			spec.Grid[n] = axes.axes[i]
		}
		var err error
		if *seeds != "" {
			if spec.Seeds, err = sweep.ParseNumbers(*seeds); err != nil {
				return cli.InvalidValue("seeds", *seeds, err)
			}
		}
		if *runs != "" {
			if spec.Runs, err = sweep.ParseNumbers(*runs); err != nil {
				return cli.InvalidValue("runs", *runs, err)
			}
		}
		if *metrics != "" {
			spec.Metrics = strings.Split(*metrics, ",")
		}
		if *maxPoints != 0 {
			spec.MaxPoints = *maxPoints
		}
		var opt sweep.Options
		if *shardText != "" {
			if opt.Shard, err = sweep.ParseShard(*shardText); err != nil {
				return cli.InvalidValue("shard", *shardText, err)
			}
		}
		if *jobsText != "" {
			if opt.Only, err = parseJobs(*jobsText); err != nil {
				return cli.InvalidValue("jobs", *jobsText, err)
			}
		}
		reg, err := registry()
		if err != nil {
			return err
		}
		plan, err := reg.Plan(spec)
		if err != nil {
			return cli.Invalid(err)
		}
		if planOnly {
			return printPlan(out, plan, opt)
		}
		opt.Workers = *workers
		opt.SyncEvery = *syncEvery
		// Simulations of a sweep allocate while they build and keep a
		// small heap: at Go's default GOGC=100 a pool of 1000 short runs
		// collects 135 times (8% of the time, and each stop of the world
		// waits for every worker). A larger GOGC, unless the user set one,
		// is about 10% faster; GOMEMLIMIT still bounds the heap.
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(400)
		}
		opt.Log = diag
		if *outDir == "-" {
			opt.Stream = out
		} else {
			opt.Dir = *outDir
		}
		if !*quiet {
			opt.Progress = diag
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		go func() {
			<-ctx.Done()
			stop() // a second Ctrl-C ends the process at once
		}()
		defer stop()
		rep, err := sweep.Run(ctx, plan, opt)
		if len(rep.Files) > 0 {
			fmt.Fprintf(diag, "sweep: %s: %d runs: %d done, %d already there, %d failed, in %.1f s; results in %s\n",
				plan.Scenario.Name, rep.Jobs, rep.Done, rep.Skipped, rep.Failed, rep.Elapsed.Seconds(), strings.Join(rep.Files, " and "))
		}
		if errors.Is(err, sweep.ErrInterrupted) {
			fmt.Fprintf(diag, "sweep: %v\n", err)
			return errInterrupted
		}
		return err
	})
}

// errInterrupted makes the program exit 130 (as a shell reports Ctrl-C)
// without printing the error twice.
var errInterrupted = errors.New("interrupted")

func printPlan(out io.Writer, plan *sweep.Plan, opt sweep.Options) error {
	only := map[int]bool{}
	for _, k := range opt.Only {
		only[k] = true
	}
	enc := json.NewEncoder(out)
	for _, j := range plan.Jobs {
		if !opt.Shard.Has(j.Index) || (len(only) > 0 && !only[j.Index]) {
			continue
		}
		if err := enc.Encode(map[string]any{"job": j.Index, "point": j.Point, "seed": j.Seed, "run": j.Run,
			"key": j.Key, "params": j.Values.Map()}); err != nil {
			return err
		}
	}
	return nil
}

func cmdMerge(args []string, out, diag io.Writer) int {
	p := cli.New("sweep merge", "Merges results files, or directories of shard files (results*.jsonl), into OUT/results.jsonl and OUT/results.csv: one row per run (duplicates dropped), in job order.")
	o := p.Flags.String("o", "", "output directory (required; may be one of the inputs)")
	return runPositional(p, args, out, diag, func(pos []string) error {
		if *o == "" {
			return cli.Invalidf("-o DIR is required")
		}
		if len(pos) == 0 {
			return cli.Invalidf("give the results files or directories to merge")
		}
		n, err := sweep.Merge(*o, pos...)
		if err != nil {
			return err
		}
		fmt.Fprintf(diag, "sweep: merged %d rows into %s/results.jsonl and results.csv\n", n, *o)
		return nil
	})
}

func readInputs(pos []string) ([]sweep.Row, error) {
	if len(pos) == 0 {
		return nil, cli.Invalidf("give a results file (results.jsonl)")
	}
	var rows []sweep.Row
	for _, f := range pos {
		rs, err := sweep.ReadRows(f)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no rows in %s", strings.Join(pos, ", "))
	}
	return rows, nil
}

func cmdSummary(args []string, out, diag io.Writer) int {
	p := cli.New("sweep summary", "Summarises a results file per parameter point over its seeds and runs: mean and 95% confidence interval (Student's t) of every metric.")
	asCSV := p.Flags.Bool("csv", false, "CSV (METRIC_mean, METRIC_ci95, METRIC_std columns) instead of a table")
	return runPositional(p, args, out, diag, func(pos []string) error {
		rows, err := readInputs(pos)
		if err != nil {
			return err
		}
		sums, err := sweep.Summarize(rows)
		if err != nil {
			return err
		}
		if *asCSV {
			return sweep.WriteSummaryCSV(out, sums)
		}
		return sweep.WriteSummaryTable(out, sums)
	})
}

// whereFlags collects repeated -where name=value flags.
type whereFlags map[string]string

func (w whereFlags) String() string { return fmt.Sprint(map[string]string(w)) }

func (w whereFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("%q is not name=value", v)
	}
	w[strings.TrimSpace(k)] = strings.TrimSpace(val)
	return nil
}

func cmdPlot(args []string, out, diag io.Writer) int {
	p := cli.New("sweep plot", "Plots metrics of a results file against a parameter: the mean over seeds and runs with its 95% confidence interval, one line per value of -by, one panel per metric. The format follows -o's extension (.png, .svg, .pdf).")
	fs := p.Flags
	x := fs.String("x", "", "parameter on the x axis (required)")
	y := fs.String("y", "", "comma-separated metrics, one panel each (required; wall_s: the runs' wall-clock times)")
	by := fs.String("by", "", "parameter with one line per value")
	where := whereFlags{}
	fs.Var(where, "where", "keep rows whose parameter has this value, name=value (repeatable)")
	title := fs.String("title", "", "figure title (default: the scenario)")
	o := fs.String("o", "", "output file, .png, .svg or .pdf (required)")
	width := fs.Float64("width-cm", 16, "figure width, cm")
	height := fs.Float64("panel-height-cm", 8, "height of each panel, cm")
	return runPositional(p, args, out, diag, func(pos []string) error {
		if *x == "" || *y == "" || *o == "" {
			return cli.Invalidf("-x, -y and -o are required")
		}
		rows, err := readInputs(pos)
		if err != nil {
			return err
		}
		cfg := sweep.PlotConfig{X: *x, Y: strings.Split(*y, ","), By: *by, Where: where, Title: *title}
		cfg.Width = vgCm(*width)
		cfg.PanelHeight = vgCm(*height)
		if err := sweep.Plot(rows, cfg, *o); err != nil {
			return err
		}
		fmt.Fprintf(diag, "sweep: wrote %s\n", *o)
		return nil
	})
}
