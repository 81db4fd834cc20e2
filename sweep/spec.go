package sweep

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DefaultMaxPoints is the largest number of parameter points a spec may
// expand to unless it sets max_points: a typo in a range (a step of 0.001
// instead of 1) is refused before it queues a million runs.
const DefaultMaxPoints = 100000

// maxJobs bounds points x seeds x runs whatever max_points says.
const maxJobs = 50_000_000

// Spec describes a sweep: which scenario, which parameter points, which
// seeds and runs, which metrics. It is what a YAML spec file holds:
//
//	scenario: wifi-sim
//	grid:                      # the cartesian product of these axes
//	  distance: {from: 40, to: 59.5, step: 0.5}
//	  step_ms: [1, 10]
//	  steps: 2000              # a single value: fixed
//	seeds: 5                   # seeds 1..5 (or a list: [1, 7, 9])
//	runs: 1                    # run numbers 1..1 (or a list)
//	metrics: [delivery, mean_lag]   # default: all of the scenario's
//	max_points: 1000           # refuse a grid of more points (100000)
//
// Points, instead of or on top of a grid, lists explicit points (maps of
// parameter values); each is combined with every grid point. Parameters
// set nowhere take their defaults.
type Spec struct {
	Scenario  string           `yaml:"scenario"`
	Grid      map[string]Axis  `yaml:"grid"`
	Points    []map[string]any `yaml:"points"`
	Seeds     Numbers          `yaml:"seeds"`
	Runs      Numbers          `yaml:"runs"`
	Metrics   []string         `yaml:"metrics"`
	MaxPoints int              `yaml:"max_points"`
}

// Axis is the list of values of one grid parameter. In YAML it is a single
// value, a list, or a range {from, to, step} (to included when a whole
// number of steps away; integers stay integers).
type Axis struct {
	Values []any
}

// UnmarshalYAML reads a scalar, a sequence or a {from, to, step} mapping.
func (a *Axis) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return err
		}
		a.Values = []any{v}
		return nil
	case yaml.SequenceNode:
		var vs []any
		if err := n.Decode(&vs); err != nil {
			return err
		}
		if len(vs) == 0 {
			return fmt.Errorf("line %d: an empty list of values", n.Line)
		}
		a.Values = vs
		return nil
	case yaml.MappingNode:
		var r struct {
			From, To, Step *float64
		}
		if err := n.Decode(&r); err != nil {
			return err
		}
		if r.From == nil || r.To == nil || r.Step == nil {
			return fmt.Errorf("line %d: a range needs from, to and step", n.Line)
		}
		vs, err := expandRange(*r.From, *r.To, *r.Step)
		if err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		a.Values = vs
		return nil
	}
	return fmt.Errorf("line %d: a grid axis is a value, a list or {from, to, step}", n.Line)
}

// maxRangeValues bounds one range before it is expanded.
const maxRangeValues = 10_000_000

// expandRange returns from, from+step, ... up to to (inclusive within a
// relative 1e-9 of a step), as int64 when all three are whole numbers.
// Values are computed as from + i*step and rounded to 12 significant
// digits, so that 0.1 steps give 0.3, not 0.30000000000000004.
func expandRange(from, to, step float64) ([]any, error) {
	for _, x := range []float64{from, to, step} {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, errors.New("range bounds and step must be finite numbers")
		}
	}
	if !(step > 0) {
		return nil, fmt.Errorf("range step %v must be positive", step)
	}
	if to < from {
		return nil, fmt.Errorf("range from %v is above to %v", from, to)
	}
	n := math.Floor((to-from)/step+1e-9) + 1
	if n > maxRangeValues {
		return nil, fmt.Errorf("range from %v to %v by %v has %.0f values (most %d)", from, to, step, n, maxRangeValues)
	}
	ints := from == math.Trunc(from) && step == math.Trunc(step) && math.Abs(from)+n*step < 1<<53
	out := make([]any, 0, int(n))
	for i := range int(n) {
		x := from + float64(i)*step
		if ints {
			out = append(out, int64(x))
			continue
		}
		x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
		out = append(out, x)
	}
	return out, nil
}

// ParseAxis reads an axis from a command line: "v1,v2,..." or
// "from:to:step".
func ParseAxis(text string) (Axis, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Axis{}, errors.New("no value")
	}
	if parts := strings.Split(text, ":"); len(parts) == 3 {
		var f [3]float64
		for i, p := range parts {
			x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil {
				return Axis{}, fmt.Errorf("range %q: %q is not a number", text, p)
			}
			f[i] = x
		}
		vs, err := expandRange(f[0], f[1], f[2])
		return Axis{Values: vs}, err
	}
	var vs []any
	for _, f := range strings.Split(text, ",") {
		var v any
		if err := yaml.Unmarshal([]byte(strings.TrimSpace(f)), &v); err != nil || v == nil {
			v = strings.TrimSpace(f)
		}
		vs = append(vs, v)
	}
	return Axis{Values: vs}, nil
}

// Numbers is a list of seeds or run numbers. In YAML it is a count N
// (1..N), a list, or {from, to}.
type Numbers []uint64

// UnmarshalYAML reads a count, a list or a {from, to} mapping.
func (ns *Numbers) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var c int64
		if err := n.Decode(&c); err != nil || c < 1 {
			return fmt.Errorf("line %d: a count of seeds or runs is an integer >= 1 (or give a list)", n.Line)
		}
		out, err := countNumbers(1, uint64(c))
		*ns = out
		return err
	case yaml.SequenceNode:
		var vs []uint64
		if err := n.Decode(&vs); err != nil {
			return fmt.Errorf("line %d: seeds and runs are integers >= 0", n.Line)
		}
		*ns = vs
		return nil
	case yaml.MappingNode:
		var r struct{ From, To *uint64 }
		if err := n.Decode(&r); err != nil || r.From == nil || r.To == nil || *r.To < *r.From {
			return fmt.Errorf("line %d: {from, to} needs integers from <= to", n.Line)
		}
		out, err := countNumbers(*r.From, *r.To-*r.From+1)
		*ns = out
		return err
	}
	return fmt.Errorf("line %d: seeds and runs are a count, a list or {from, to}", n.Line)
}

func countNumbers(from, n uint64) (Numbers, error) {
	if n > maxJobs {
		return nil, fmt.Errorf("%d seeds or runs is more than %d", n, maxJobs)
	}
	out := make(Numbers, n)
	for i := range out {
		out[i] = from + uint64(i)
	}
	return out, nil
}

// ParseNumbers reads seeds or runs from a command line: "N" (1..N),
// "a-b" or "a,b,c".
func ParseNumbers(text string) (Numbers, error) {
	text = strings.TrimSpace(text)
	if !strings.ContainsAny(text, ",-") {
		n, err := strconv.ParseUint(text, 10, 64)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a count >= 1", text)
		}
		return countNumbers(1, n)
	}
	if a, b, ok := strings.Cut(text, "-"); ok && !strings.Contains(text, ",") {
		x, err1 := strconv.ParseUint(strings.TrimSpace(a), 10, 64)
		y, err2 := strconv.ParseUint(strings.TrimSpace(b), 10, 64)
		if err1 != nil || err2 != nil || y < x {
			return nil, fmt.Errorf("%q is not a range a-b with a <= b", text)
		}
		return countNumbers(x, y-x+1)
	}
	var out Numbers
	for _, f := range strings.Split(text, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer >= 0", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// ParseSpec reads a YAML spec. Unknown keys are errors (a misspelt
// "grdi:" must not silently sweep nothing).
func ParseSpec(data []byte) (Spec, error) {
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return Spec{}, fmt.Errorf("sweep: spec: %w", err)
	}
	return s, nil
}

// ReadSpec reads the YAML spec file at path.
func ReadSpec(path string) (Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Spec{}, fmt.Errorf("sweep: %w", err)
	}
	s, err := ParseSpec(data)
	if err != nil {
		return Spec{}, fmt.Errorf("%w (in %s)", err, path)
	}
	return s, nil
}

// Job is one run of a sweep: a point, a seed and a run number.
type Job struct {
	// Index is the job's position in the sweep's enumeration (points
	// outermost, then seeds, then runs): what shards partition.
	Index int
	// Point is the index of the job's parameter point.
	Point int
	// Values holds every parameter of the point.
	Values Values
	Seed   uint64
	Run    uint64
	// Key identifies the job across reruns, shards and merges: the
	// parameters in declaration order, then the seed and run.
	Key string
}

// Plan is a spec checked against its scenario and expanded into jobs.
type Plan struct {
	Scenario *Scenario
	// Metrics are the metrics the results keep, in declaration order.
	Metrics []string
	// Points is the number of parameter points.
	Points int
	// Jobs are all the runs, in enumeration order.
	Jobs []Job
}

// Plan checks spec against the registry and expands it. Every error a
// sweep can find without running (an unknown scenario, parameter or
// metric, a value of the wrong type or out of range, a point the
// scenario's Check refuses, more points than max_points) is returned here,
// before any run.
func (r *Registry) Plan(spec Spec) (*Plan, error) {
	if spec.Scenario == "" {
		return nil, errors.New("sweep: the spec names no scenario")
	}
	sc, err := r.Lookup(spec.Scenario)
	if err != nil {
		return nil, err
	}
	metrics, err := selectMetrics(sc, spec.Metrics)
	if err != nil {
		return nil, err
	}
	maxPoints := spec.MaxPoints
	if maxPoints == 0 {
		maxPoints = DefaultMaxPoints
	}
	if maxPoints < 0 {
		return nil, fmt.Errorf("sweep: max_points %d must be positive", maxPoints)
	}
	// Grid axes in declaration order, each value normalized once.
	type axis struct {
		name string
		vals []any
	}
	var axes []axis
	for _, p := range sc.Params {
		a, ok := spec.Grid[p.Name]
		if !ok {
			continue
		}
		if len(a.Values) == 0 {
			return nil, fmt.Errorf("sweep: %s: grid parameter %s has no value", sc.Name, p.Name)
		}
		vals := make([]any, len(a.Values))
		for i, v := range a.Values {
			x, err := p.normalize(v)
			if err != nil {
				return nil, fmt.Errorf("sweep: %s: grid: %w", sc.Name, err)
			}
			vals[i] = x
		}
		axes = append(axes, axis{p.Name, vals})
	}
	for n := range spec.Grid {
		if _, ok := sc.param(n); !ok {
			return nil, unknownParam(sc, n)
		}
	}
	points := spec.Points
	if len(points) == 0 {
		points = []map[string]any{{}}
	}
	for i, pt := range points {
		for n := range pt {
			if _, ok := spec.Grid[n]; ok {
				return nil, fmt.Errorf("sweep: %s: parameter %s is set both in the grid and in point %d", sc.Name, n, i)
			}
		}
	}
	// Count before expanding.
	total := big.NewInt(int64(len(points)))
	for _, a := range axes {
		total.Mul(total, big.NewInt(int64(len(a.vals))))
	}
	if !total.IsInt64() || total.Int64() > int64(maxPoints) {
		return nil, fmt.Errorf("sweep: %s: the spec expands to %s points, more than max_points %d (raise max_points if you mean it)", sc.Name, total, maxPoints)
	}
	seeds, runs := spec.Seeds, spec.Runs
	if len(seeds) == 0 {
		seeds = Numbers{1}
	}
	if len(runs) == 0 {
		runs = Numbers{1}
	}
	nPoints := int(total.Int64())
	if int64(nPoints)*int64(len(seeds))*int64(len(runs)) > maxJobs {
		return nil, fmt.Errorf("sweep: %s: %d points x %d seeds x %d runs is more than %d runs", sc.Name, nPoints, len(seeds), len(runs), maxJobs)
	}
	if dup := firstDuplicate(seeds); dup >= 0 {
		return nil, fmt.Errorf("sweep: seed %d is listed twice", seeds[dup])
	}
	if dup := firstDuplicate(runs); dup >= 0 {
		return nil, fmt.Errorf("sweep: run %d is listed twice", runs[dup])
	}
	plan := &Plan{Scenario: sc, Metrics: metrics, Points: nPoints,
		Jobs: make([]Job, 0, nPoints*len(seeds)*len(runs))}
	idx := make([]int, len(axes))
	point := 0
	seen := map[string]int{}
	for pi, pt := range points {
		for {
			set := make(map[string]any, len(pt)+len(axes))
			for n, v := range pt {
				set[n] = v
			}
			for i, a := range axes {
				set[a.name] = a.vals[idx[i]]
			}
			vals, err := NewValues(sc, set)
			if err != nil {
				return nil, fmt.Errorf("%w (point %d)", err, pi)
			}
			if sc.Check != nil {
				if err := sc.Check(vals); err != nil {
					return nil, fmt.Errorf("sweep: %s: point %s: %w", sc.Name, vals.key(), err)
				}
			}
			pk := vals.key()
			if prev, dup := seen[pk]; dup {
				return nil, fmt.Errorf("sweep: %s: points %d and %d are the same (%s)", sc.Name, prev, point, pk)
			}
			seen[pk] = point
			for _, seed := range seeds {
				for _, run := range runs {
					plan.Jobs = append(plan.Jobs, Job{Index: len(plan.Jobs), Point: point, Values: vals,
						Seed: seed, Run: run, Key: jobKey(pk, seed, run)})
				}
			}
			point++
			// Next grid point: the last axis varies fastest.
			i := len(axes) - 1
			for ; i >= 0; i-- {
				idx[i]++
				if idx[i] < len(axes[i].vals) {
					break
				}
				idx[i] = 0
			}
			if i < 0 {
				break
			}
		}
	}
	return plan, nil
}

func jobKey(pointKey string, seed, run uint64) string {
	return fmt.Sprintf("%s|seed=%d|run=%d", pointKey, seed, run)
}

func firstDuplicate(ns Numbers) int {
	seen := map[uint64]bool{}
	for i, n := range ns {
		if seen[n] {
			return i
		}
		seen[n] = true
	}
	return -1
}

func selectMetrics(sc *Scenario, want []string) ([]string, error) {
	all := sc.MetricNames()
	if len(want) == 0 {
		return all, nil
	}
	for _, m := range want {
		if !slices.Contains(all, m) {
			return nil, fmt.Errorf("sweep: scenario %s has no metric %q (metrics: %s)", sc.Name, m, strings.Join(all, ", "))
		}
	}
	// Declaration order, whatever order the spec lists them in.
	var out []string
	for _, m := range all {
		if slices.Contains(want, m) {
			out = append(out, m)
		}
	}
	return out, nil
}

// Shard selects a deterministic part of a sweep's jobs: job k belongs to
// shard k mod Count. Shards of one spec are disjoint and together cover
// every job, whatever machine computes them. The zero Shard is the whole
// sweep.
type Shard struct {
	Index, Count int
}

// ParseShard reads "i/N" with 0 <= i < N (Slurm's $SLURM_ARRAY_TASK_ID
// with --array=0-(N-1), Kubernetes' $JOB_COMPLETION_INDEX).
func ParseShard(text string) (Shard, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(text), "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q must be i/N with 0 <= i < N", text)
	}
	return Shard{Index: i, Count: n}, nil
}

// Has reports whether job index k belongs to the shard.
func (s Shard) Has(k int) bool { return s.Count <= 1 || k%s.Count == s.Index }

// String returns "i/N", or "" for the whole sweep.
func (s Shard) String() string {
	if s.Count <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}
