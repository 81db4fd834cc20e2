package sweep

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// Stat is the summary of one metric over the runs of one point.
type Stat struct {
	// N is the number of runs with a value (NaN values are skipped).
	N int
	// Mean is their mean.
	Mean float64
	// CI95 is the half-width of the 95% confidence interval of the mean,
	// Student's t with N-1 degrees of freedom times the standard error
	// (NaN for N < 2).
	CI95 float64
	// Std is the sample standard deviation (NaN for N < 2).
	Std float64
}

// Summary is one parameter point summarised over its seeds and runs.
type Summary struct {
	// ParamNames and Params are the point's parameters.
	ParamNames []string
	Params     []any
	// Runs is the number of rows of the point.
	Runs int
	// MetricNames and Stats are the metrics' summaries.
	MetricNames []string
	Stats       []Stat
}

// Param returns the value of parameter name, and whether the point has it.
func (s *Summary) Param(name string) (any, bool) {
	if i := slices.Index(s.ParamNames, name); i >= 0 {
		return s.Params[i], true
	}
	return nil, false
}

// Stat returns the summary of metric name, and whether there is one.
func (s *Summary) Stat(name string) (Stat, bool) {
	if i := slices.Index(s.MetricNames, name); i >= 0 {
		return s.Stats[i], true
	}
	return Stat{}, false
}

// Describe summarises values: mean, sample standard deviation and the
// 95% confidence half-width of the mean (Student's t), NaNs skipped.
func Describe(values []float64) Stat {
	var st Stat
	var sum float64
	for _, v := range values {
		if !math.IsNaN(v) {
			st.N++
			sum += v
		}
	}
	st.Mean, st.Std, st.CI95 = math.NaN(), math.NaN(), math.NaN()
	if st.N == 0 {
		return st
	}
	st.Mean = sum / float64(st.N)
	if st.N < 2 {
		return st
	}
	var ss float64
	for _, v := range values {
		if !math.IsNaN(v) {
			d := v - st.Mean
			ss += d * d
		}
	}
	st.Std = math.Sqrt(ss / float64(st.N-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(st.N - 1)}.Quantile(0.975)
	st.CI95 = t * st.Std / math.Sqrt(float64(st.N))
	return st
}

// Summarize groups rows by parameter point (every parameter equal) and
// summarises each metric over the group's seeds and runs. Points come in
// the order of their first row by job index.
func Summarize(rows []Row) ([]Summary, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	sorted := slices.Clone(rows)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Job < sorted[j].Job })
	idx := map[string]int{}
	var groups [][]*Row
	for i := range sorted {
		r := &sorted[i]
		if err := sameColumns(&sorted[0], r); err != nil {
			return nil, err
		}
		k := pointKey(r)
		g, ok := idx[k]
		if !ok {
			g = len(groups)
			idx[k] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], r)
	}
	out := make([]Summary, len(groups))
	for gi, g := range groups {
		s := Summary{ParamNames: g[0].ParamNames, Params: g[0].Params, Runs: len(g),
			MetricNames: g[0].MetricNames, Stats: make([]Stat, len(g[0].MetricNames))}
		vals := make([]float64, len(g))
		for m := range s.MetricNames {
			for i, r := range g {
				vals[i] = r.Metrics[m]
			}
			s.Stats[m] = Describe(vals)
		}
		out[gi] = s
	}
	return out, nil
}

func pointKey(r *Row) string {
	var b strings.Builder
	for i, n := range r.ParamNames {
		b.WriteString(n)
		b.WriteByte('=')
		b.WriteString(format(r.Params[i]))
		b.WriteByte(',')
	}
	return b.String()
}

// WriteSummaryCSV writes summaries as CSV: the parameters, the number of
// runs, then per metric its mean, 95% confidence half-width and standard
// deviation (columns METRIC_mean, METRIC_ci95, METRIC_std).
func WriteSummaryCSV(w io.Writer, sums []Summary) error {
	cw := csv.NewWriter(w)
	if len(sums) == 0 {
		cw.Flush()
		return cw.Error()
	}
	h := append(slices.Clone(sums[0].ParamNames), "runs")
	for _, m := range sums[0].MetricNames {
		h = append(h, m+"_mean", m+"_ci95", m+"_std")
	}
	cw.Write(h)
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 8, 64) }
	for _, s := range sums {
		var rec []string
		for _, v := range s.Params {
			rec = append(rec, format(v))
		}
		rec = append(rec, strconv.Itoa(s.Runs))
		for _, st := range s.Stats {
			rec = append(rec, f(st.Mean), f(st.CI95), f(st.Std))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// WriteSummaryTable writes summaries as an aligned text table (mean ±
// 95% half-width), the parameters that vary first.
func WriteSummaryTable(w io.Writer, sums []Summary) error {
	if len(sums) == 0 {
		_, err := fmt.Fprintln(w, "no rows")
		return err
	}
	var cols []int // parameters that vary
	for i := range sums[0].ParamNames {
		for _, s := range sums[1:] {
			if format(s.Params[i]) != format(sums[0].Params[i]) {
				cols = append(cols, i)
				break
			}
		}
	}
	head := []string{}
	for _, i := range cols {
		head = append(head, sums[0].ParamNames[i])
	}
	head = append(head, "runs")
	head = append(head, sums[0].MetricNames...)
	table := [][]string{head}
	for _, s := range sums {
		var rec []string
		for _, i := range cols {
			rec = append(rec, format(s.Params[i]))
		}
		rec = append(rec, strconv.Itoa(s.Runs))
		for _, st := range s.Stats {
			c := strconv.FormatFloat(st.Mean, 'g', 5, 64)
			if !math.IsNaN(st.CI95) {
				c += " ± " + strconv.FormatFloat(st.CI95, 'g', 2, 64)
			}
			rec = append(rec, c)
		}
		table = append(table, rec)
	}
	width := make([]int, len(head))
	for _, rec := range table {
		for i, c := range rec {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, rec := range table {
		var b strings.Builder
		for i, c := range rec {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(strings.Repeat(" ", width[i]-len([]rune(c))))
			b.WriteString(c)
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}
