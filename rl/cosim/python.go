package cosim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// PythonOptions says how netgym starts its Python processes (Python
// engines and the host of Python functions): `Interpreter -m
// netgym.nrp.host engine|functions` with Path on PYTHONPATH.
type PythonOptions struct {
	// Interpreter is the Python executable ($NETGYM_PYTHON, else
	// "python3").
	Interpreter string
	// Path is the directory holding the netgym Python package
	// ($NETGYM_PYTHONPATH, else the first python/ directory holding
	// netgym/nrp/host.py found from the working directory upwards; empty
	// if netgym is installed).
	Path string
	// Dir is the processes' working directory (the experiment's).
	Dir string
	// Env adds "KEY=value" entries to the processes' environment.
	Env []string
	// Stderr receives what the scripts print (os.Stderr if nil); the last
	// lines also go into the error of a process that dies.
	Stderr io.Writer
}

// DefaultPythonOptions returns the options from the environment, as the
// fields of PythonOptions say.
func DefaultPythonOptions() PythonOptions {
	o := PythonOptions{Interpreter: os.Getenv("NETGYM_PYTHON"), Path: os.Getenv("NETGYM_PYTHONPATH")}
	if o.Interpreter == "" {
		o.Interpreter = "python3"
	}
	if o.Path == "" {
		o.Path = findPythonPath()
	}
	return o
}

func findPythonPath() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		cand := filepath.Join(dir, "python")
		if _, err := os.Stat(filepath.Join(cand, "netgym", "nrp", "host.py")); err == nil {
			return cand
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func (o PythonOptions) start(what, role string) (*pipeProc, error) {
	interp := o.Interpreter
	if interp == "" {
		interp = "python3"
	}
	env := append(os.Environ(), o.Env...)
	if o.Path != "" {
		pp := o.Path
		if old := os.Getenv("PYTHONPATH"); old != "" {
			pp += string(os.PathListSeparator) + old
		}
		env = append(env, "PYTHONPATH="+pp)
	}
	env = append(env, "PYTHONUNBUFFERED=1")
	stderr := o.Stderr
	if stderr == nil {
		stderr = os.Stderr
	}
	return startPipeProc(what, []string{interp, "-m", "netgym.nrp.host", role}, env, o.Dir, stderr)
}

// NewPythonEngine returns a Python engine: cfg.PythonFileName defines
// class Script(EngineScript) (netgym.nrp.EngineScript, or NRP-core's
// python_json EngineScript imported unchanged), run in its own process by
// netgym.nrp.host and spoken to in JSON lines on its stdin and stdout. The
// process starts at once; Initialize loads the script. cfg.EngineEnvParams
// add to its environment.
func NewPythonEngine(cfg EngineConfig, opts PythonOptions) (*JSONEngine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.PythonFileName == "" {
		return nil, fmt.Errorf("cosim: Python engine %q needs a PythonFileName", cfg.EngineName)
	}
	script := cfg.PythonFileName
	if !filepath.IsAbs(script) && opts.Dir != "" {
		script = filepath.Join(opts.Dir, script)
	}
	if _, err := os.Stat(script); err != nil {
		return nil, fmt.Errorf("cosim: Python engine %q: %w", cfg.EngineName, err)
	}
	opts.Env = append(append([]string(nil), opts.Env...), cfg.EngineEnvParams...)
	p, err := opts.start(fmt.Sprintf("Python engine %q", cfg.EngineName), "engine")
	if err != nil {
		return nil, fmt.Errorf("cosim: %w", err)
	}
	init := cfg.RawConfig()
	init["EngineName"] = cfg.EngineName
	init["PythonFileName"] = script
	init["TimeRatio"] = []int64{1, 1_000_000_000} // nanoseconds, as NRP-core's Python engines expect
	return &JSONEngine{cfg: cfg, tr: &pipeTransport{p: p}, init: init}, nil
}

// PythonFunctions is the process that runs the experiment's Python
// functions (all files share one namespace, as in NRP-core).
type PythonFunctions struct {
	p       *pipeProc
	fns     []Function
	timeout time.Duration
}

type pyInputSpec struct {
	Keyword      string `json:"keyword"`
	Name         string `json:"name"`
	Engine       string `json:"engine"`
	Type         string `json:"type"`
	Preprocessed bool   `json:"preprocessed"`
}

type pyFunctionSpec struct {
	Name   string        `json:"name"`
	Kind   string        `json:"kind"`
	Engine string        `json:"engine"`
	Inputs []pyInputSpec `json:"inputs"`
}

// LoadPythonFunctions starts the function host, loads the active files of
// fns (resolved against dir) and the status function file (if any), and
// returns the functions they declare, in file order. timeout bounds every
// call (0: none).
func LoadPythonFunctions(ctx context.Context, fns []FunctionConfig, status *FunctionConfig, dir string,
	timeout time.Duration, opts PythonOptions) (*PythonFunctions, error) {
	abs := func(f FunctionConfig) (FunctionConfig, error) {
		if !filepath.IsAbs(f.FileName) && dir != "" {
			f.FileName = filepath.Join(dir, f.FileName)
		}
		if _, err := os.Stat(f.FileName); err != nil {
			return f, fmt.Errorf("cosim: function %q: %w", f.Name, err)
		}
		return f, nil
	}
	var files []FunctionConfig
	for _, f := range fns {
		if !f.Active() {
			continue
		}
		f, err := abs(f)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	var st *FunctionConfig
	if status != nil && status.Active() {
		f, err := abs(*status)
		if err != nil {
			return nil, err
		}
		st = &f
	}
	p, err := opts.start("Python functions", "functions")
	if err != nil {
		return nil, fmt.Errorf("cosim: %w", err)
	}
	pf := &PythonFunctions{p: p, timeout: timeout}
	c, cancel := withTimeout(ctx, timeout)
	raw, err := p.call(c, map[string]any{"op": "load", "functions": files, "status": st})
	cancel()
	if err != nil {
		p.close(time.Second)
		return nil, fmt.Errorf("cosim: loading the Python functions: %w", err)
	}
	var specs []pyFunctionSpec
	if err := json.Unmarshal(raw, &specs); err != nil {
		p.close(time.Second)
		return nil, fmt.Errorf("cosim: loading the Python functions: malformed reply: %w", err)
	}
	for i, s := range specs {
		sp := FunctionSpec{Name: s.Name, Engine: s.Engine}
		switch s.Kind {
		case "TransceiverFunction":
			sp.Kind = Transceiver
		case "PreprocessingFunction":
			sp.Kind = Preprocessing
		case "StatusFunction":
			sp.Kind = Status
		default:
			p.close(time.Second)
			return nil, fmt.Errorf("cosim: Python function %q has unknown kind %q", s.Name, s.Kind)
		}
		for _, in := range s.Inputs {
			sp.Inputs = append(sp.Inputs, Input{Keyword: in.Keyword, Preprocessed: in.Preprocessed,
				ID: DataPackID{Name: in.Name, Engine: in.Engine, Type: in.Type}})
		}
		pf.fns = append(pf.fns, &pyFunction{host: pf, index: i, spec: sp})
	}
	return pf, nil
}

func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d > 0 {
		return context.WithTimeout(ctx, d)
	}
	return ctx, func() {}
}

// Functions returns the loaded functions.
func (pf *PythonFunctions) Functions() []Function { return pf.fns }

// Close ends the function host.
func (pf *PythonFunctions) Close() error {
	if pf.p.alive() {
		c, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, _ = pf.p.call(c, map[string]string{"op": "shutdown"})
		cancel()
	}
	pf.p.close(2 * time.Second)
	return nil
}

type pyFunction struct {
	host  *PythonFunctions
	index int
	spec  FunctionSpec
}

type wireDataPack struct {
	Name       string `json:"name"`
	EngineName string `json:"engine_name"`
	Type       string `json:"type"`
	Data       any    `json:"data,omitempty"`
	Updated    bool   `json:"updated"`
}

type pyCall struct {
	Op        string         `json:"op"`
	Index     int            `json:"index"`
	Time      int64          `json:"time"`
	Iteration uint64         `json:"iteration"`
	Args      []wireDataPack `json:"args"`
}

type pyBatchCall struct {
	Index int            `json:"index"`
	Args  []wireDataPack `json:"args"`
}

type pyBatch struct {
	Op        string        `json:"op"`
	Time      int64         `json:"time"`
	Iteration uint64        `json:"iteration"`
	Calls     []pyBatchCall `json:"calls"`
}

type pyBatchReply struct {
	OK        *pyResult `json:"ok"`
	Error     *string   `json:"error"`
	Traceback string    `json:"traceback"`
}

type pyResult struct {
	DataPacks []struct {
		Name       string          `json:"name"`
		EngineName string          `json:"engine_name"`
		Type       string          `json:"type"`
		Data       json.RawMessage `json:"data"`
	} `json:"datapacks"`
	Done         bool  `json:"done"`
	Observations []any `json:"observations"`
}

// Spec implements Function.
func (f *pyFunction) Spec() FunctionSpec { return f.spec }

func (f *pyFunction) batcher() batcher { return f.host }

func wireArgs(in []DataPack) ([]wireDataPack, error) {
	args := make([]wireDataPack, len(in))
	for i, dp := range in {
		data, err := DataToJSON(dp.Data)
		if err != nil {
			return nil, fmt.Errorf("input %q: %w", dp.Name, err)
		}
		args[i] = wireDataPack{Name: dp.Name, EngineName: dp.Engine, Type: typeOrJSON(dp.Type), Data: data, Updated: dp.Updated}
	}
	return args, nil
}

func (r *pyResult) result() (Result, error) {
	res := Result{Done: r.Done, Observations: r.Observations}
	for _, d := range r.DataPacks {
		dp := DataPack{DataPackID: DataPackID{Name: d.Name, Engine: d.EngineName, Type: d.Type}}
		if len(d.Data) > 0 && string(d.Data) != "null" {
			var data any
			if err := json.Unmarshal(d.Data, &data); err != nil {
				return Result{}, err
			}
			dp.Data = data
		}
		res.DataPacks = append(res.DataPacks, dp)
	}
	return res, nil
}

// callBatch calls several functions in one round trip.
func (pf *PythonFunctions) callBatch(ctx context.Context, info StepInfo, calls []*pendingCall) {
	req := pyBatch{Op: "call_many", Time: info.Time, Iteration: info.Iteration, Calls: make([]pyBatchCall, 0, len(calls))}
	fail := func(err error) {
		for _, c := range calls {
			if c.err == nil {
				c.err = err
			}
		}
	}
	for _, c := range calls {
		args, err := wireArgs(c.in)
		if err != nil {
			c.err = err
			fail(fmt.Errorf("not called: %w", err))
			return
		}
		req.Calls = append(req.Calls, pyBatchCall{Index: c.f.(*pyFunction).index, Args: args})
	}
	cctx, cancel := withTimeout(ctx, pf.timeout)
	raw, err := pf.p.call(cctx, req)
	cancel()
	if err != nil {
		fail(err)
		return
	}
	var reps []pyBatchReply
	if err := json.Unmarshal(raw, &reps); err != nil || len(reps) != len(calls) {
		fail(fmt.Errorf("malformed reply to %d calls: %.200s", len(calls), raw))
		return
	}
	for i, c := range calls {
		switch r := reps[i]; {
		case r.Error != nil:
			msg := *r.Error
			if tb := strings.TrimSpace(r.Traceback); tb != "" {
				msg += "\n" + tb
			}
			c.err = errors.New(msg)
		case r.OK == nil:
			c.err = errors.New("no result")
		default:
			c.res, c.err = r.OK.result()
		}
	}
}

// Call implements Function (one round trip; the loop batches calls
// through callBatch instead).
func (f *pyFunction) Call(ctx context.Context, info StepInfo, in []DataPack) (Result, error) {
	args, err := wireArgs(in)
	if err != nil {
		return Result{}, err
	}
	req := pyCall{Op: "call", Index: f.index, Time: info.Time, Iteration: info.Iteration, Args: args}
	c, cancel := withTimeout(ctx, f.host.timeout)
	raw, err := f.host.p.call(c, req)
	cancel()
	if err != nil {
		return Result{}, err
	}
	var rep pyResult
	if err := json.Unmarshal(raw, &rep); err != nil {
		return Result{}, fmt.Errorf("malformed reply: %w", err)
	}
	return rep.result()
}
