package sweep

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Module is netgym's module path.
const Module = "github.com/netgym/netgym"

// BaseVersion is netgym's version when the build carries none (a build
// inside the repository rather than a tagged module dependency).
const BaseVersion = "0.1.0-dev"

// Version returns the netgym version recorded in every result row: the
// module version from the build information when netgym is a versioned
// dependency, otherwise BaseVersion, with the VCS revision appended
// ("+rev" and "-dirty") when the build recorded one.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return BaseVersion
	}
	v := ""
	if bi.Main.Path == Module {
		v = bi.Main.Version
	} else {
		for _, d := range bi.Deps {
			if d.Path == Module {
				v = d.Version
			}
		}
	}
	if v == "" || v == "(devel)" {
		v = BaseVersion
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		v += "+" + rev[:min(12, len(rev))] + dirty
	}
	return v
}

// Row is one finished run: one line of a results file.
type Row struct {
	Scenario string
	// Job and Point are the run's indices in its sweep's enumeration.
	Job, Point int
	// Key identifies the run (parameters, seed, run) across reruns,
	// shards and merges.
	Key string
	// ParamNames and Params are the point's parameters in declaration
	// order (float64, int64, bool or string values).
	ParamNames []string
	Params     []any
	Seed, Run  uint64
	// MetricNames and Metrics are the kept metrics in declaration order
	// (NaN where a scenario had no value).
	MetricNames []string
	Metrics     []float64
	// WallS is the run's wall-clock time in seconds.
	WallS float64
	// Version is netgym's version (Version()).
	Version string
}

// Param returns the value of parameter name, and whether the row has it.
func (r *Row) Param(name string) (any, bool) {
	if i := slices.Index(r.ParamNames, name); i >= 0 {
		return r.Params[i], true
	}
	return nil, false
}

// Metric returns the value of metric name, and whether the row has it.
func (r *Row) Metric(name string) (float64, bool) {
	if i := slices.Index(r.MetricNames, name); i >= 0 {
		return r.Metrics[i], true
	}
	return 0, false
}

// MarshalJSON writes the row with its parameters and metrics in
// declaration order; a non-finite metric is null.
func (r *Row) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	str := func(s string) {
		q, _ := json.Marshal(s)
		b.Write(q)
	}
	b.WriteString(`{"scenario":`)
	str(r.Scenario)
	fmt.Fprintf(&b, `,"job":%d,"point":%d,"seed":%d,"run":%d,"params":{`, r.Job, r.Point, r.Seed, r.Run)
	for i, n := range r.ParamNames {
		if i > 0 {
			b.WriteByte(',')
		}
		str(n)
		b.WriteByte(':')
		switch v := r.Params[i].(type) {
		case string:
			str(v)
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				b.WriteString("null")
			} else {
				b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
			}
		default:
			b.WriteString(format(v))
		}
	}
	b.WriteString(`},"metrics":{`)
	for i, n := range r.MetricNames {
		if i > 0 {
			b.WriteByte(',')
		}
		str(n)
		b.WriteByte(':')
		if v := r.Metrics[i]; math.IsNaN(v) || math.IsInf(v, 0) {
			b.WriteString("null")
		} else {
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	fmt.Fprintf(&b, `},"wall_s":%s,"version":`, strconv.FormatFloat(r.WallS, 'g', 6, 64))
	str(r.Version)
	b.WriteString(`,"key":`)
	str(r.Key)
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads a row written by MarshalJSON, keeping the order of
// parameters and metrics.
func (r *Row) UnmarshalJSON(data []byte) error {
	var raw struct {
		Scenario string          `json:"scenario"`
		Job      *int            `json:"job"`
		Point    int             `json:"point"`
		Seed     uint64          `json:"seed"`
		Run      uint64          `json:"run"`
		Params   json.RawMessage `json:"params"`
		Metrics  json.RawMessage `json:"metrics"`
		WallS    float64         `json:"wall_s"`
		Version  string          `json:"version"`
		Key      string          `json:"key"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	if raw.Scenario == "" || raw.Key == "" || raw.Job == nil {
		return errors.New("not a result row (no scenario, job or key)")
	}
	*r = Row{Scenario: raw.Scenario, Job: *raw.Job, Point: raw.Point, Seed: raw.Seed, Run: raw.Run,
		WallS: raw.WallS, Version: raw.Version, Key: raw.Key}
	var err error
	if r.ParamNames, r.Params, err = orderedObject(raw.Params); err != nil {
		return fmt.Errorf("params: %w", err)
	}
	names, vals, err := orderedObject(raw.Metrics)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	r.MetricNames = names
	r.Metrics = make([]float64, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
			r.Metrics[i] = math.NaN()
		case float64:
			r.Metrics[i] = x
		case int64:
			r.Metrics[i] = float64(x)
		default:
			return fmt.Errorf("metric %s is not a number", names[i])
		}
	}
	return nil
}

// orderedObject decodes a flat JSON object of scalars in order: integers
// as int64, other numbers as float64, strings, booleans, null as nil.
func orderedObject(data json.RawMessage) ([]string, []any, error) {
	if len(data) == 0 {
		return nil, nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, errors.New("not an object")
	}
	var names []string
	var vals []any
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		name, _ := t.(string)
		t, err = dec.Token()
		if err != nil {
			return nil, nil, err
		}
		var v any
		switch x := t.(type) {
		case json.Number:
			if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
				v = i
			} else if f, err := x.Float64(); err == nil {
				v = f
			} else {
				return nil, nil, err
			}
		case string, bool, nil:
			v = x
		default:
			return nil, nil, fmt.Errorf("value of %s is not a scalar", name)
		}
		names = append(names, name)
		vals = append(vals, v)
	}
	return names, vals, nil
}

// csvHeader returns the CSV columns of rows with these parameters and
// metrics.
func csvHeader(params, metrics []string) []string {
	h := []string{"scenario", "job", "point"}
	h = append(h, params...)
	h = append(h, "seed", "run")
	h = append(h, metrics...)
	return append(h, "wall_s", "version")
}

// csvRecord returns the row's CSV cells.
func (r *Row) csvRecord() []string {
	rec := []string{r.Scenario, strconv.Itoa(r.Job), strconv.Itoa(r.Point)}
	for _, v := range r.Params {
		rec = append(rec, format(v))
	}
	rec = append(rec, strconv.FormatUint(r.Seed, 10), strconv.FormatUint(r.Run, 10))
	for _, v := range r.Metrics {
		rec = append(rec, strconv.FormatFloat(v, 'g', -1, 64))
	}
	return append(rec, strconv.FormatFloat(r.WallS, 'g', 6, 64), r.Version)
}

// ReadRows reads a JSON-lines results file. A last line without its
// newline (a run killed while writing it) is ignored; any other bad line
// is an error naming it.
func ReadRows(path string) ([]Row, error) {
	rows, _, err := readRows(path)
	return rows, err
}

// readRows also returns the length of the file's complete lines.
func readRows(path string) ([]Row, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("sweep: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var rows []Row
	var good int64
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return rows, good, nil // b, if any, is a torn last line
		}
		if err != nil {
			return nil, 0, fmt.Errorf("sweep: %s: %w", path, err)
		}
		good += int64(len(b))
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		var r Row
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, 0, fmt.Errorf("sweep: %s line %d: %w", path, line, err)
		}
		rows = append(rows, r)
	}
}

// WriteCSV writes rows as CSV with one header; every row must have the
// parameters and metrics of the first.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if len(rows) > 0 {
		if err := cw.Write(csvHeader(rows[0].ParamNames, rows[0].MetricNames)); err != nil {
			return err
		}
	}
	for i := range rows {
		if err := sameColumns(&rows[0], &rows[i]); err != nil {
			return err
		}
		if err := cw.Write(rows[i].csvRecord()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSONL writes rows as JSON lines.
func WriteJSONL(w io.Writer, rows []Row) error {
	bw := bufio.NewWriter(w)
	for i := range rows {
		b, _ := rows[i].MarshalJSON()
		bw.Write(b)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

func sameColumns(a, b *Row) error {
	if a.Scenario != b.Scenario {
		return fmt.Errorf("sweep: rows of scenarios %s and %s cannot share a results file", a.Scenario, b.Scenario)
	}
	if !slices.Equal(a.ParamNames, b.ParamNames) || !slices.Equal(a.MetricNames, b.MetricNames) {
		return fmt.Errorf("sweep: rows with columns %v %v and %v %v cannot share a results file",
			a.ParamNames, a.MetricNames, b.ParamNames, b.MetricNames)
	}
	return nil
}

// ResultsName returns the base name (without .jsonl or .csv) of the
// results files of a shard: "results", or "results.shard-3-of-16".
func ResultsName(s Shard) string {
	if s.Count <= 1 {
		return "results"
	}
	return fmt.Sprintf("results.shard-%d-of-%d", s.Index, s.Count)
}

// resultFiles returns the JSON-lines results files in dir.
func resultFiles(dir string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(dir, "results*.jsonl"))
	if err != nil {
		return nil, err
	}
	sort.Strings(m)
	return m, nil
}

// Merge reads the results files or directories in inputs (a directory
// stands for its results*.jsonl files: the shards of a sweep), drops
// duplicate runs (the same key; the first read wins), sorts the rows by
// job index and writes out/results.jsonl and out/results.csv. It refuses
// rows of different scenarios or columns. It returns the number of rows
// written.
func Merge(out string, inputs ...string) (int, error) {
	if len(inputs) == 0 {
		return 0, errors.New("sweep: merge needs at least one results file or directory")
	}
	var files []string
	for _, in := range inputs {
		st, err := os.Stat(in)
		if err != nil {
			return 0, fmt.Errorf("sweep: %w", err)
		}
		if !st.IsDir() {
			files = append(files, in)
			continue
		}
		fs, err := resultFiles(in)
		if err != nil {
			return 0, err
		}
		if len(fs) == 0 {
			return 0, fmt.Errorf("sweep: %s holds no results*.jsonl file", in)
		}
		files = append(files, fs...)
	}
	var rows []Row
	seen := map[string]bool{}
	for _, f := range files {
		rs, err := ReadRows(f)
		if err != nil {
			return 0, err
		}
		for _, r := range rs {
			if len(rows) > 0 {
				if err := sameColumns(&rows[0], &r); err != nil {
					return 0, fmt.Errorf("%w (%s)", err, f)
				}
			}
			if seen[r.Key] {
				continue
			}
			seen[r.Key] = true
			rows = append(rows, r)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Job < rows[j].Job })
	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, fmt.Errorf("sweep: %w", err)
	}
	for _, w := range []struct {
		ext   string
		write func(io.Writer, []Row) error
	}{{".jsonl", WriteJSONL}, {".csv", WriteCSV}} {
		if err := writeAtomic(filepath.Join(out, "results"+w.ext), func(f io.Writer) error { return w.write(f, rows) }); err != nil {
			return 0, err
		}
	}
	return len(rows), nil
}

// writeAtomic writes path through a temporary file renamed over it, so
// that a merge reading path itself, or interrupted, never leaves it half
// written. The file keeps the mode of the one it replaces; a new one gets
// 0644 less the umask, as the sweep's own results files (os.CreateTemp's
// 0600 would hide results and figures from the collaborators sharing a
// cluster's results directory, and a fixed 0644 would override a umask of
// 002 or 077).
func writeAtomic(path string, write func(io.Writer) error) error {
	keep, mode := false, os.FileMode(0)
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		keep, mode = true, st.Mode().Perm()
	}
	tmp, err := createTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path), 0o644)
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	defer os.Remove(tmp.Name())
	if keep {
		if err := tmp.Chmod(mode); err != nil {
			tmp.Close()
			return fmt.Errorf("sweep: %w", err)
		}
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("sweep: %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sweep: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}

// createTemp creates a new file in dir named prefix and a random suffix,
// as os.CreateTemp does, but with perm (less the umask) instead of 0600.
func createTemp(dir, prefix string, perm os.FileMode) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("creating a temporary file in %s: every name taken", dir)
}

// resultWriter appends rows to a JSON-lines and a CSV file, flushing every
// row to the operating system (a killed sweep loses no finished row) and
// syncing to disk at most every syncEvery (a machine crash loses at most
// that much).
type resultWriter struct {
	jf, cf    *os.File
	jw, cwBuf *bufio.Writer
	cw        *csv.Writer
	syncEvery time.Duration
	lastSync  time.Time
}

// Write appends one row to both files.
func (w *resultWriter) Write(r *Row) error {
	b, _ := r.MarshalJSON()
	w.jw.Write(b)
	w.jw.WriteByte('\n')
	if err := w.jw.Flush(); err != nil {
		return fmt.Errorf("sweep: writing %s: %w", w.jf.Name(), err)
	}
	if err := w.cw.Write(r.csvRecord()); err != nil {
		return err
	}
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return fmt.Errorf("sweep: writing %s: %w", w.cf.Name(), err)
	}
	if err := w.cwBuf.Flush(); err != nil {
		return fmt.Errorf("sweep: writing %s: %w", w.cf.Name(), err)
	}
	if time.Since(w.lastSync) >= w.syncEvery {
		return w.sync()
	}
	return nil
}

func (w *resultWriter) sync() error {
	w.lastSync = time.Now()
	return errors.Join(w.jf.Sync(), w.cf.Sync())
}

// Close syncs and closes both files.
func (w *resultWriter) Close() error {
	return errors.Join(w.sync(), w.jf.Close(), w.cf.Close())
}
