// Package sweep runs parameter studies of netgym scenarios: many
// independent simulations (points x seeds x runs), on every core, with one
// result row per run, resumable, shardable across machines, summarised
// with confidence intervals and plotted. scenarios/sweep is its command
// line and sweep/catalog registers netgym's scenarios; docs/sweep.md is the
// user's reference.
//
// # Pieces
//
//   - Scenario: one registration, a name, typed parameters (Param: Float
//     and Int with an inclusive range, Bool, String with choices, each
//     with a default), metrics and a RunFunc taking the point's Values, a
//     seed and a run number. A Registry holds them (no global state: make
//     one with NewRegistry or catalog.New).
//   - Spec: what to sweep (a YAML file, ParseSpec/ReadSpec, or built from
//     flags with ParseAxis and ParseNumbers): a grid of axes (lists,
//     {from, to, step} ranges, fixed values), explicit points, seeds, runs,
//     metrics and max_points.
//   - Plan: Registry.Plan checks a Spec against its scenario, everything
//     that can be checked without running (names, types, ranges, the
//     scenario's Check, the number of points), and expands it into Jobs in
//     a fixed order with stable keys. Shard selects job k mod N.
//   - Run: a pool of goroutines, one simulation each, nothing shared,
//     writing every finished row at once to results.jsonl and results.csv
//     (fsync on a cadence), skipping rows the directory already holds,
//     stopping cleanly when its context is cancelled, recovering a
//     scenario's panic as that run's error, with an optional progress bar
//     (github.com/schollz/progressbar) on stderr.
//   - Rows: ReadRows, Merge (shards to one file, in job order), Summarize
//     and Describe (mean, standard deviation and Student's t 95%
//     confidence half-width per point), WriteSummaryTable/CSV, and Plot
//     (gonum.org/v1/plot: metrics against a parameter, one line per value of
//     another, error bars at the 95% interval; PNG, SVG, PDF).
//
// A scenario's RunFunc must build its own simulation and share nothing
// mutable with other calls: the pool calls it from many goroutines at once.
// Results are deterministic per (point, seed, run), whatever the number of
// workers or shards; only wall_s and the row order differ.
package sweep
