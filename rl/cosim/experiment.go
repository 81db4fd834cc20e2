package cosim

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// EngineFactory makes the engine of a configuration.
type EngineFactory func(ctx context.Context, cfg EngineConfig, env FactoryEnv) (Engine, error)

// FactoryEnv is what an engine factory may need besides the engine's
// configuration.
type FactoryEnv struct {
	// Python starts Python processes; its Dir is the experiment's.
	Python PythonOptions
	// Dir is the experiment's directory (relative file names).
	Dir string
}

// Registry makes engines by EngineType. NewRegistry knows:
//
//   - "python_json": a Python engine script (PythonFileName) in its own
//     process, over netgym's pipe protocol; with EngineLaunchCommand
//     EmptyLaunchCommand, an engine server already at ServerAddress, over
//     NRP-core's JSON/REST protocol;
//   - "json": an engine server speaking NRP-core's JSON/REST protocol at
//     ServerAddress, or started by EngineProcCmd with --engine,
//     --serverurl and --regservurl and waited for at the registration
//     address (netgym's own nrp-engine binary, or any NRP-core JSON
//     engine server);
//   - "grpc": an engine server speaking NRP-core's gRPC engine protocol
//     at ServerAddress.
//
// netgym's in-process engines register themselves (package
// cosim/netgymengine: "netgym").
type Registry struct {
	m map[string]EngineFactory
}

// NewRegistry returns a registry of the engine types above.
func NewRegistry() *Registry {
	r := &Registry{m: map[string]EngineFactory{}}
	r.Register("python_json", func(ctx context.Context, cfg EngineConfig, env FactoryEnv) (Engine, error) {
		if cfg.Attach() {
			return NewRESTEngine(ctx, cfg)
		}
		return NewPythonEngine(cfg, env.Python)
	})
	r.Register("json", func(ctx context.Context, cfg EngineConfig, env FactoryEnv) (Engine, error) {
		return NewRESTEngine(ctx, cfg)
	})
	r.Register("grpc", func(ctx context.Context, cfg EngineConfig, env FactoryEnv) (Engine, error) {
		return NewGRPCEngine(cfg)
	})
	return r
}

// Register sets the factory of an engine type, replacing an earlier one.
func (r *Registry) Register(engineType string, f EngineFactory) { r.m[engineType] = f }

// Types returns the known engine types, sorted.
func (r *Registry) Types() []string {
	out := make([]string, 0, len(r.m))
	for k := range r.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// New makes the engine of cfg.
func (r *Registry) New(ctx context.Context, cfg EngineConfig, env FactoryEnv) (Engine, error) {
	f, ok := r.m[cfg.EngineType]
	if !ok {
		return nil, fmt.Errorf("cosim: engine %q: unknown EngineType %q (known: %s)", cfg.EngineName, cfg.EngineType,
			strings.Join(r.Types(), ", "))
	}
	e, err := f(ctx, cfg, env)
	if err != nil {
		var ee *EngineError
		if !errors.As(err, &ee) && !strings.HasPrefix(err.Error(), "cosim:") {
			err = &EngineError{Engine: cfg.EngineName, Command: "launch", Err: err}
		}
		return nil, err
	}
	return e, nil
}

// ExperimentOptions completes a simulation configuration.
type ExperimentOptions struct {
	// Python starts the Python processes (DefaultPythonOptions if
	// Interpreter is empty); its Dir defaults to the configuration's.
	Python PythonOptions
	// Functions are Go functions added after the configuration's Python
	// functions.
	Functions []Function
	// FunctionTimeout bounds every call of a Python function (0: none).
	FunctionTimeout time.Duration
}

// Experiment is a simulation configuration made real: its engines, its
// Python functions and their loop.
type Experiment struct {
	Config *SimulationConfig
	Loop   *Loop
	// Python holds the Python functions (nil without any).
	Python *PythonFunctions
}

// NewExperiment makes the engines of cfg with reg (in order), loads its
// function files and returns the experiment, not yet initialized. On an
// error, everything already started is shut down.
func NewExperiment(ctx context.Context, cfg *SimulationConfig, reg *Registry, opts ExperimentOptions) (*Experiment, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if reg == nil {
		reg = NewRegistry()
	}
	py := opts.Python
	if py.Interpreter == "" {
		d := DefaultPythonOptions()
		d.Dir, d.Env, d.Stderr = py.Dir, py.Env, py.Stderr
		if py.Path != "" {
			d.Path = py.Path
		}
		py = d
	}
	if py.Dir == "" {
		py.Dir = cfg.Dir
	}
	env := FactoryEnv{Python: py, Dir: cfg.Dir}
	x := &Experiment{Config: cfg}
	var engines []LoopEngine
	cleanup := func() {
		for _, e := range engines {
			c, cancel := withTimeout(context.Background(), e.Config.CommandTimeout())
			_ = e.Engine.Shutdown(c)
			cancel()
		}
		if x.Python != nil {
			_ = x.Python.Close()
		}
	}
	for _, ec := range cfg.EngineConfigs {
		if ec.PythonFileName != "" {
			ec.PythonFileName = cfg.Path(ec.PythonFileName)
		}
		e, err := reg.New(ctx, ec, env)
		if err != nil {
			cleanup()
			return nil, err
		}
		engines = append(engines, LoopEngine{Config: ec, Engine: e})
	}
	var fns []Function
	if len(cfg.DataPackProcessingFunctions) > 0 || cfg.StatusFunction != nil {
		pf, err := LoadPythonFunctions(ctx, cfg.DataPackProcessingFunctions, cfg.StatusFunction, cfg.Dir, opts.FunctionTimeout, py)
		if err != nil {
			cleanup()
			return nil, err
		}
		x.Python = pf
		fns = append(fns, pf.Functions()...)
	}
	fns = append(fns, opts.Functions...)
	l, err := NewLoop(LoopConfig{Timeout: cfg.Timeout()}, engines, fns)
	if err != nil {
		cleanup()
		return nil, err
	}
	x.Loop = l
	return x, nil
}

// Run initializes the experiment, runs it until SimulationTimeout or its
// status function says done, and shuts everything down, also after an
// error (Loop.Run, then the function host).
func (x *Experiment) Run(ctx context.Context) (done bool, err error) {
	done, err = x.Loop.Run(ctx)
	return done, errors.Join(err, x.Close())
}

// Close shuts the engines down (if the loop has not) and ends the function
// host.
func (x *Experiment) Close() error {
	err := x.Loop.Shutdown(context.Background())
	if x.Python != nil {
		err = errors.Join(err, x.Python.Close())
	}
	return err
}
