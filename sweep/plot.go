package sweep

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PlotConfig says what Plot draws: metrics (one panel each, stacked)
// against a numeric parameter, one line per value of another parameter,
// each point the mean over seeds and runs with its 95% confidence
// interval as an error bar.
type PlotConfig struct {
	// X is the parameter on the horizontal axis (numeric).
	X string
	// Y are the metrics, one panel each, top to bottom; WallMetric
	// ("wall_s") plots the runs' wall-clock times.
	Y []string
	// By is the parameter with one line per value ("": one line).
	By string
	// Where keeps only the rows whose parameter (key) has the value
	// (written as in the results, e.g. "10" or "true").
	Where map[string]string
	// Title is drawn above the first panel ("": the scenario's name).
	Title string
	// Width and PanelHeight are the figure's width and each panel's
	// height (defaults 16 cm and 8 cm).
	Width, PanelHeight vg.Length
}

// WallMetric names each run's wall-clock time (Row.WallS) where a plot
// takes a metric: what a point costs to simulate, plotted like what it
// measured.
const WallMetric = "wall_s"

// withWall returns copies of rows with their wall-clock time appended as
// the metric WallMetric.
func withWall(rows []Row) []Row {
	out := make([]Row, len(rows))
	for i, r := range rows {
		r.MetricNames = append(slices.Clip(r.MetricNames), WallMetric)
		r.Metrics = append(slices.Clip(r.Metrics), r.WallS)
		out[i] = r
	}
	return out
}

// Plot writes the figure of rows to path, in the format its extension
// names (.png, .svg, .pdf, .eps, .jpg, .tif).
func Plot(rows []Row, cfg PlotConfig, path string) error {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	return writeAtomic(path, func(w io.Writer) error { return PlotTo(w, ext, rows, cfg) })
}

// PlotTo writes the figure of rows to w in imageFormat ("png", "svg", "pdf",
// ...). Every parameter other than X and By must be the same in the rows
// kept (Where filters them): a figure does not silently average over a
// parameter.
func PlotTo(w io.Writer, imageFormat string, rows []Row, cfg PlotConfig) error {
	if len(cfg.Y) == 0 {
		return errors.New("sweep: plot needs at least one metric")
	}
	if len(rows) == 0 {
		return errors.New("sweep: plot: no rows")
	}
	if cfg.Width <= 0 {
		cfg.Width = 16 * vg.Centimeter
	}
	if cfg.PanelHeight <= 0 {
		cfg.PanelHeight = 8 * vg.Centimeter
	}
	if slices.Contains(cfg.Y, WallMetric) {
		if _, ok := rows[0].Metric(WallMetric); !ok {
			rows = withWall(rows)
		}
	}
	r0 := &rows[0]
	if _, ok := r0.Param(cfg.X); !ok {
		return fmt.Errorf("sweep: plot: no parameter %q (parameters: %s)", cfg.X, strings.Join(r0.ParamNames, ", "))
	}
	if cfg.By != "" {
		if _, ok := r0.Param(cfg.By); !ok {
			return fmt.Errorf("sweep: plot: no parameter %q (parameters: %s)", cfg.By, strings.Join(r0.ParamNames, ", "))
		}
	}
	for _, y := range cfg.Y {
		if _, ok := r0.Metric(y); !ok {
			return fmt.Errorf("sweep: plot: no metric %q (metrics: %s, and %s)", y, strings.Join(r0.MetricNames, ", "), WallMetric)
		}
	}
	for k := range cfg.Where {
		if _, ok := r0.Param(k); !ok {
			return fmt.Errorf("sweep: plot: no parameter %q to filter on (parameters: %s)", k, strings.Join(r0.ParamNames, ", "))
		}
	}
	var kept []Row
	for _, r := range rows {
		ok := true
		for k, v := range cfg.Where {
			if p, _ := r.Param(k); format(p) != v {
				ok = false
			}
		}
		if ok {
			kept = append(kept, r)
		}
	}
	if len(kept) == 0 {
		return fmt.Errorf("sweep: plot: no row matches %v", cfg.Where)
	}
	sums, err := Summarize(kept)
	if err != nil {
		return err
	}
	// Refuse a parameter that varies but is neither X nor By.
	for i, n := range sums[0].ParamNames {
		if n == cfg.X || n == cfg.By {
			continue
		}
		var vals []string
		for _, s := range sums {
			if v := format(s.Params[i]); !slices.Contains(vals, v) {
				vals = append(vals, v)
			}
		}
		if len(vals) > 1 {
			return fmt.Errorf("sweep: plot: parameter %s varies (%s): plot it with --by %s or keep one value with --where %s=%s",
				n, strings.Join(vals, ", "), n, n, vals[0])
		}
	}
	// Lines: By value -> points sorted by x.
	type line struct {
		label string
		order float64
		sums  []*Summary
	}
	lines := map[string]*line{}
	for i := range sums {
		s := &sums[i]
		x, _ := s.Param(cfg.X)
		if _, ok := toFloat(x); !ok {
			return fmt.Errorf("sweep: plot: parameter %s is not numeric (%v)", cfg.X, x)
		}
		label, order := "", 0.0
		if cfg.By != "" {
			b, _ := s.Param(cfg.By)
			label = cfg.By + "=" + format(b)
			if f, ok := toFloat(b); ok {
				order = f
			}
		}
		l, ok := lines[label]
		if !ok {
			l = &line{label: label, order: order}
			lines[label] = l
		}
		l.sums = append(l.sums, s)
	}
	ordered := make([]*line, 0, len(lines))
	for _, l := range lines {
		sort.Slice(l.sums, func(i, j int) bool {
			a, _ := l.sums[i].Param(cfg.X)
			b, _ := l.sums[j].Param(cfg.X)
			fa, _ := toFloat(a)
			fb, _ := toFloat(b)
			return fa < fb
		})
		ordered = append(ordered, l)
	}
	sort.Slice(ordered, func(i, j int) bool {
		if ordered[i].order != ordered[j].order {
			return ordered[i].order < ordered[j].order
		}
		return ordered[i].label < ordered[j].label
	})
	title := cfg.Title
	if title == "" {
		title = r0.Scenario
	}
	panels := make([][]*plot.Plot, len(cfg.Y))
	for pi, metric := range cfg.Y {
		p := plot.New()
		if pi == 0 {
			p.Title.Text = title
		}
		p.X.Label.Text = cfg.X
		p.Y.Label.Text = metric
		p.Add(plotter.NewGrid())
		for li, l := range ordered {
			pts := make(xyErr, 0, len(l.sums))
			for _, s := range l.sums {
				x, _ := s.Param(cfg.X)
				fx, _ := toFloat(x)
				st, _ := s.Stat(metric)
				if math.IsNaN(st.Mean) {
					continue
				}
				ci := st.CI95
				if math.IsNaN(ci) {
					ci = 0
				}
				pts = append(pts, xyErrPoint{fx, st.Mean, ci})
			}
			if len(pts) == 0 {
				continue
			}
			ln, sc, err := plotter.NewLinePoints(pts)
			if err != nil {
				return fmt.Errorf("sweep: plot: %w", err)
			}
			c := plotutil.Color(li)
			ln.Color, sc.Color = c, c
			sc.Shape = plotutil.Shape(li)
			sc.Radius = vg.Points(2)
			eb, err := plotter.NewYErrorBars(pts)
			if err != nil {
				return fmt.Errorf("sweep: plot: %w", err)
			}
			eb.Color = color.Gray{Y: 96}
			eb.Width = vg.Points(0.5)
			p.Add(ln, sc, eb)
			if l.label != "" && pi == 0 {
				p.Legend.Add(l.label, ln, sc)
			}
		}
		p.Legend.Top = true
		panels[pi] = []*plot.Plot{p}
	}
	h := cfg.PanelHeight * vg.Length(len(cfg.Y))
	c, err := draw.NewFormattedCanvas(cfg.Width, h, imageFormat)
	if err != nil {
		return fmt.Errorf("sweep: plot: %w", err)
	}
	tiles := draw.Tiles{Rows: len(cfg.Y), Cols: 1, PadTop: vg.Points(4), PadBottom: vg.Points(4),
		PadLeft: vg.Points(4), PadRight: vg.Points(8), PadY: vg.Points(8)}
	canvases := plot.Align(panels, tiles, draw.New(c))
	for i := range panels {
		panels[i][0].Draw(canvases[i][0])
	}
	_, err = c.WriteTo(w)
	return err
}

// xyErr is points with symmetric vertical error bars.
type xyErr []xyErrPoint

type xyErrPoint struct{ x, y, e float64 }

func (p xyErr) Len() int                        { return len(p) }
func (p xyErr) XY(i int) (float64, float64)     { return p[i].x, p[i].y }
func (p xyErr) YError(i int) (float64, float64) { return p[i].e, p[i].e }

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}
