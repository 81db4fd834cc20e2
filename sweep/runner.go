package sweep

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Options configures Run.
type Options struct {
	// Dir is the output directory: Run writes ResultsName(Shard) + ".jsonl"
	// and ".csv" there and skips the runs any results*.jsonl file in it
	// already holds (resume). Empty: no files (Stream only).
	Dir string
	// Stream, if set, receives every row as a JSON line too (a Ray task
	// reads them from the binary's standard output).
	Stream io.Writer
	// Shard runs only the jobs of one shard (zero: all).
	Shard Shard
	// Only, if set, runs only these job indices (within the shard).
	Only []int
	// Workers is the number of simulations run at once, one goroutine
	// each (default runtime.GOMAXPROCS(0): every core).
	Workers int
	// Progress, if set, shows a progress bar with an ETA there (stderr).
	Progress io.Writer
	// Log, if set, receives one line per failed run.
	Log io.Writer
	// SyncEvery is the cadence of fsync on the results files (default
	// 2 s); every row is written to the operating system at once.
	SyncEvery time.Duration
	// Version is recorded in every row (default Version()).
	Version string
}

// Report says what Run did.
type Report struct {
	// Jobs is the number of jobs of the shard (and Only) selection.
	Jobs int
	// Skipped were already in the output directory.
	Skipped int
	// Done finished in this call and were written.
	Done int
	// Failed returned an error (not written: a rerun retries them).
	Failed int
	// Elapsed is the wall time of the runs.
	Elapsed time.Duration
	// Files are the results files written.
	Files []string
}

// ErrInterrupted is wrapped by Run's error when ctx was cancelled: the
// finished rows are written and a rerun of the same sweep resumes.
var ErrInterrupted = errors.New("sweep interrupted")

// Run runs plan's jobs (those of opt.Shard and opt.Only that the output
// directory does not hold yet) on a pool of opt.Workers goroutines, one
// simulation each, and writes one row per finished run as it finishes. It
// checks the output before any run: a directory that cannot be created or
// written, or that holds results of another scenario or other columns, is
// an error. When ctx is cancelled (Ctrl-C), no new run starts, the runs
// under way are told to stop (their results are dropped unless they
// finished), every finished row is kept and Run returns an error wrapping
// ErrInterrupted. Failed runs are reported on opt.Log and counted; Run then
// returns an error after the others finished.
func Run(ctx context.Context, plan *Plan, opt Options) (Report, error) {
	var rep Report
	if plan == nil || plan.Scenario == nil {
		return rep, errors.New("sweep: Run needs a plan (Registry.Plan)")
	}
	if opt.Dir == "" && opt.Stream == nil {
		return rep, errors.New("sweep: Run needs an output directory or a stream")
	}
	if opt.Version == "" {
		opt.Version = Version()
	}
	if opt.SyncEvery <= 0 {
		opt.SyncEvery = 2 * time.Second
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var only map[int]bool
	if opt.Only != nil {
		only = make(map[int]bool, len(opt.Only))
		for _, k := range opt.Only {
			if k < 0 || k >= len(plan.Jobs) {
				return rep, fmt.Errorf("sweep: job %d does not exist (the sweep has jobs 0..%d)", k, len(plan.Jobs)-1)
			}
			only[k] = true
		}
	}
	var todo []*Job
	for i := range plan.Jobs {
		j := &plan.Jobs[i]
		if opt.Shard.Has(j.Index) && (only == nil || only[j.Index]) {
			todo = append(todo, j)
		}
	}
	rep.Jobs = len(todo)
	var w *resultWriter
	if opt.Dir != "" {
		var done map[string]bool
		var err error
		w, done, err = openOutput(opt.Dir, opt.Shard, plan, opt.SyncEvery)
		if err != nil {
			return rep, err
		}
		defer w.Close()
		rep.Files = []string{w.jf.Name(), w.cf.Name()}
		todo = slices.DeleteFunc(todo, func(j *Job) bool { return done[j.Key] })
		rep.Skipped = rep.Jobs - len(todo)
	}
	var stream *bufio.Writer
	if opt.Stream != nil {
		stream = bufio.NewWriter(opt.Stream)
	}
	var bar *progressbar.ProgressBar
	if opt.Progress != nil && len(todo) > 0 {
		bar = progressbar.NewOptions(len(todo),
			progressbar.OptionSetWriter(opt.Progress),
			progressbar.OptionSetDescription(plan.Scenario.Name),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(opt.Progress) }),
		)
	}

	type result struct {
		job     *Job
		metrics map[string]float64
		err     error
		wall    time.Duration
	}
	start := time.Now()
	// stop ends the sweep early after a write error: no run is worth doing
	// once its row cannot be kept. The caller's ctx still tells an
	// interruption apart.
	parent := ctx
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	jobs := make(chan *Job)
	results := make(chan result, workers)
	go func() {
		defer close(jobs)
		for _, j := range todo {
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range min(workers, max(len(todo), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				t0 := time.Now()
				m, err := runOne(ctx, plan.Scenario, j)
				results <- result{job: j, metrics: m, err: err, wall: time.Since(t0)}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	var firstErr, writeErr error
	for res := range results {
		if bar != nil {
			bar.Add(1)
		}
		if writeErr != nil {
			continue
		}
		if res.err != nil {
			if ctx.Err() != nil && errors.Is(res.err, ctx.Err()) {
				continue
			}
			rep.Failed++
			err := fmt.Errorf("job %d (%s): %w", res.job.Index, res.job.Key, res.err)
			if firstErr == nil {
				firstErr = err
			}
			if opt.Log != nil {
				fmt.Fprintf(opt.Log, "sweep: %s: %v\n", plan.Scenario.Name, err)
			}
			continue
		}
		row, err := newRow(plan, res.job, res.metrics, res.wall, opt.Version)
		if err != nil {
			rep.Failed++
			if firstErr == nil {
				firstErr = err
			}
			if opt.Log != nil {
				fmt.Fprintf(opt.Log, "sweep: %v\n", err)
			}
			continue
		}
		if w != nil {
			if err := w.Write(&row); err != nil {
				writeErr = err
				stop()
				continue
			}
		}
		if stream != nil {
			b, _ := row.MarshalJSON()
			stream.Write(b)
			stream.WriteByte('\n')
			if err := stream.Flush(); err != nil {
				writeErr = fmt.Errorf("sweep: writing the stream: %w", err)
				stop()
				continue
			}
		}
		rep.Done++
	}
	rep.Elapsed = time.Since(start)
	if bar != nil && parent.Err() == nil && writeErr == nil {
		bar.Finish()
	} else if bar != nil {
		fmt.Fprintln(opt.Progress)
	}
	switch {
	case writeErr != nil:
		return rep, writeErr
	case parent.Err() != nil:
		return rep, fmt.Errorf("%w after %d of %d runs (%d failed); finished rows are kept, rerun the same command to resume: %w",
			ErrInterrupted, rep.Skipped+rep.Done, rep.Jobs, rep.Failed, parent.Err())
	case firstErr != nil:
		return rep, fmt.Errorf("sweep: %d of %d runs failed (rerun to retry them); first: %w", rep.Failed, rep.Jobs, firstErr)
	}
	return rep, nil
}

// runOne runs one job, turning a panic in the scenario's code into an
// error so that one bad run does not take the finished rows' process down.
func runOne(ctx context.Context, sc *Scenario, j *Job) (m map[string]float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return sc.Run(ctx, j.Values, j.Seed, j.Run)
}

// newRow builds the row of a finished job, keeping the plan's metrics.
func newRow(plan *Plan, j *Job, m map[string]float64, wall time.Duration, version string) (Row, error) {
	r := Row{Scenario: plan.Scenario.Name, Job: j.Index, Point: j.Point, Key: j.Key,
		ParamNames: plan.Scenario.ParamNames(), Params: j.Values.vals, Seed: j.Seed, Run: j.Run,
		MetricNames: plan.Metrics, Metrics: make([]float64, len(plan.Metrics)),
		WallS: wall.Seconds(), Version: version}
	for i, n := range plan.Metrics {
		v, ok := m[n]
		if !ok {
			return Row{}, fmt.Errorf("job %d (%s): scenario %s returned no metric %s", j.Index, j.Key, plan.Scenario.Name, n)
		}
		r.Metrics[i] = v
	}
	return r, nil
}

// openOutput prepares dir for plan's shard: it creates the directory,
// collects the keys of the runs already in any results*.jsonl file there,
// cuts a torn last line off the shard's own file, rewrites its CSV from
// its JSON lines and opens both for appending.
func openOutput(dir string, shard Shard, plan *Plan, syncEvery time.Duration) (*resultWriter, map[string]bool, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("sweep: output directory %s cannot be created: %w", dir, err)
	}
	files, err := resultFiles(dir)
	if err != nil {
		return nil, nil, err
	}
	base := filepath.Join(dir, ResultsName(shard))
	jpath, cpath := base+".jsonl", base+".csv"
	params := plan.Scenario.ParamNames()
	done := map[string]bool{}
	var own []Row
	var ownGood int64
	for _, f := range files {
		rows, good, err := readRows(f)
		if err != nil {
			return nil, nil, err
		}
		for i := range rows {
			r := &rows[i]
			if r.Scenario != plan.Scenario.Name || !slices.Equal(r.ParamNames, params) || !slices.Equal(r.MetricNames, plan.Metrics) {
				return nil, nil, fmt.Errorf("sweep: %s holds results of scenario %s with parameters %v and metrics %v, not of this sweep (%s, %v, %v): use another output directory",
					f, r.Scenario, r.ParamNames, r.MetricNames, plan.Scenario.Name, params, plan.Metrics)
			}
			done[r.Key] = true
		}
		if f == jpath {
			own, ownGood = rows, good
		}
	}
	jf, err := os.OpenFile(jpath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("sweep: output directory %s is not writable: %w", dir, err)
	}
	if err := jf.Truncate(ownGood); err != nil { // drop a torn last line
		jf.Close()
		return nil, nil, fmt.Errorf("sweep: %w", err)
	}
	if _, err := jf.Seek(ownGood, io.SeekStart); err != nil {
		jf.Close()
		return nil, nil, fmt.Errorf("sweep: %w", err)
	}
	// The CSV follows the JSON lines: rewritten from them, then appended.
	err = writeAtomic(cpath, func(f io.Writer) error {
		cw := csv.NewWriter(f)
		cw.Write(csvHeader(params, plan.Metrics))
		for i := range own {
			cw.Write(own[i].csvRecord())
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		jf.Close()
		return nil, nil, err
	}
	cf, err := os.OpenFile(cpath, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		jf.Close()
		return nil, nil, fmt.Errorf("sweep: output directory %s is not writable: %w", dir, err)
	}
	w := &resultWriter{jf: jf, cf: cf, jw: bufio.NewWriter(jf), cwBuf: bufio.NewWriter(cf),
		syncEvery: syncEvery, lastSync: time.Now()}
	w.cw = csv.NewWriter(w.cwBuf)
	return w, done, nil
}

// NaN returns a NaN: the value of a metric a run could not measure (e.g.
// the mean lag of a run that delivered nothing), written as null in JSON
// and NaN in CSV and skipped by summaries.
func NaN() float64 { return math.NaN() }
