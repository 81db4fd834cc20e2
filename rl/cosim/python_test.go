package cosim_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/cosim"
)

// pythonOptions returns options that run netgym.nrp from this
// repository, or skips the test without a Python interpreter.
func pythonOptions(t testing.TB) cosim.PythonOptions {
	t.Helper()
	o := cosim.DefaultPythonOptions()
	if _, err := exec.LookPath(o.Interpreter); err != nil {
		t.Skipf("no Python interpreter %q: %v", o.Interpreter, err)
	}
	abs, err := filepath.Abs(filepath.Join("..", "..", "python"))
	require.NoError(t, err)
	o.Path = abs
	o.Stderr = &lockedBuffer{}
	return o
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Two Python engines (one written for NRP-core, imported unchanged),
// NRP-core's decorators in a transceiver, a preprocessing and a status
// function, loaded from a simulation configuration.
func TestPythonExperiment(t *testing.T) {
	cfg, err := cosim.LoadSimulationConfig("testdata/simulation_config.json")
	require.NoError(t, err)
	opts := pythonOptions(t)
	x, err := cosim.NewExperiment(context.Background(), cfg, nil, cosim.ExperimentOptions{Python: opts})
	require.NoError(t, err)
	done, err := x.Run(context.Background())
	require.NoError(t, err)
	require.True(t, done)
	require.Equal(t, int64(40_000_000), x.Loop.Time())
	obs := func(it, n2 float64, seen any) any {
		return map[string]any{"iteration": it, "n2": n2, "seen": seen}
	}
	require.Equal(t, []any{
		obs(0, 0, nil), // t = 0: echo has seen nothing yet (empty datapack)
		obs(1, 2, nil), // 10 ms: echo is not synchronized
		obs(2, 4, 0.0), // 20 ms: echo saw the count of t = 0
		obs(3, 6, 0.0),
		obs(4, 8, 2.0), // 40 ms: the count relayed at 20 ms
	}, x.Loop.Trajectory())
	require.Contains(t, opts.Stderr.(*lockedBuffer).String(), "counter engine initializing", "prints go to stderr")
	require.Equal(t, cosim.Stats{Iterations: 5, Sent: 3}, x.Loop.Stats())
}

// A Python engine that crashes or hangs stops the experiment with an
// error naming it; the other engines are shut down.
func TestPythonEngineFaults(t *testing.T) {
	for _, tc := range []struct {
		fault string
		is    error
		want  string
	}{
		{"crash", cosim.ErrEngineGone, "boom: the physics diverged"},
		{"hang", cosim.ErrEngineTimeout, "engine did not answer in time (EngineCommandTimeout 300ms)"},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			opts := pythonOptions(t)
			opts.Dir, _ = filepath.Abs("testdata")
			ts := 0.01
			faulty := cosim.EngineConfig{EngineName: "physics", EngineType: "python_json", EngineTimestep: &ts,
				PythonFileName: "faulty_engine.py", EngineCommandTimeout: 0.3, EngineEnvParams: []string{"FAULT=" + tc.fault}}
			e, err := cosim.NewPythonEngine(faulty, opts)
			require.NoError(t, err)
			other := newFake("controller", false)
			l, err := cosim.NewLoop(cosim.LoopConfig{Timeout: 1_000_000_000}, []cosim.LoopEngine{
				{Config: engineCfg("controller", 0.01), Engine: other},
				{Config: faulty, Engine: e},
			}, nil)
			require.NoError(t, err)
			_, err = l.Run(context.Background())
			require.ErrorIs(t, err, tc.is)
			require.ErrorContains(t, err, `cosim: engine "physics": runLoopStep: `)
			require.ErrorContains(t, err, tc.want)
			require.True(t, other.shut, "the other engines are shut down")
			require.Equal(t, int64(30_000_000), l.Time(), "the step ending at 30 ms failed")
		})
	}
}

func TestPythonEngineErrors(t *testing.T) {
	opts := pythonOptions(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	for _, tc := range []struct {
		name, script, want string
	}{
		{"no Script class", "x = 1\n", "must define class Script(EngineScript)"},
		{"syntax error", "def (:\n", "SyntaxError"},
		{"initialize raises", "from netgym.nrp import EngineScript\nclass Script(EngineScript):\n" +
			"    def initialize(self):\n        raise RuntimeError('no model file')\n", "RuntimeError: no model file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := 0.01
			cfg := cosim.EngineConfig{EngineName: "e", EngineType: "python_json", EngineTimestep: &ts,
				PythonFileName: write(tc.name+".py", tc.script)}
			e, err := cosim.NewPythonEngine(cfg, opts)
			require.NoError(t, err)
			l, err := cosim.NewLoop(cosim.LoopConfig{Timeout: 1e8}, []cosim.LoopEngine{{Config: cfg, Engine: e}}, nil)
			require.NoError(t, err)
			_, err = l.Run(context.Background())
			require.ErrorContains(t, err, `cosim: engine "e": initialize: `)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

// A Python function that raises stops the loop with its name, linked
// engine, time and Python's message; the engines are shut down.
func TestPythonFunctionError(t *testing.T) {
	dir := t.TempDir()
	tf := filepath.Join(dir, "tf.py")
	require.NoError(t, os.WriteFile(tf, []byte(`from netgym.nrp import *

@TransceiverFunction("a")
def fine():
    return []

@TransceiverFunction("a")
def broken():
    if getSimulationIteration() == 2:
        return [1 / 0]
    return []
`), 0o644))
	opts := pythonOptions(t)
	fns, err := cosim.LoadPythonFunctions(context.Background(), []cosim.FunctionConfig{{Name: "tfs", FileName: tf}}, nil, "", 0, opts)
	require.NoError(t, err)
	defer fns.Close()
	require.Equal(t, []string{"tfs.fine", "tfs.broken"}, []string{fns.Functions()[0].Spec().Name, fns.Functions()[1].Spec().Name})
	a := newFake("a", false)
	l, err := cosim.NewLoop(cosim.LoopConfig{Timeout: 1e9}, []cosim.LoopEngine{{Config: engineCfg("a", 0.01), Engine: a}}, fns.Functions())
	require.NoError(t, err)
	_, err = l.Run(context.Background())
	require.ErrorContains(t, err, `cosim: TransceiverFunction "tfs.broken" (linked to "a") at t = 20000000 ns: ZeroDivisionError: division by zero`)
	require.True(t, a.shut)
}

// cancelAt cancels a context when the engine is asked for its n-th step.
type cancelAt struct {
	cosim.Engine
	n      int
	cancel context.CancelFunc
}

func (c *cancelAt) RunLoopStepAsync(dt int64) error {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return c.Engine.RunLoopStepAsync(dt)
}

// Cancelling the context stops the loop even with a hung Python engine
// that has no EngineCommandTimeout (Ctrl-C in the cosim binary), and its
// shutdown still ends (the hung process is killed).
func TestPythonEngineCancel(t *testing.T) {
	opts := pythonOptions(t)
	opts.Dir, _ = filepath.Abs("testdata")
	ts := 0.01
	cfg := cosim.EngineConfig{EngineName: "physics", EngineType: "python_json", EngineTimestep: &ts,
		PythonFileName: "faulty_engine.py", EngineEnvParams: []string{"FAULT=hang"}}
	e, err := cosim.NewPythonEngine(cfg, opts)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The third step (20 -> 30 ms) hangs; the context is cancelled as it starts.
	l, err := cosim.NewLoop(cosim.LoopConfig{Timeout: 1_000_000_000},
		[]cosim.LoopEngine{{Config: cfg, Engine: &cancelAt{Engine: e, n: 3, cancel: cancel}}}, nil)
	require.NoError(t, err)
	_, err = l.Run(ctx)
	require.EqualError(t, err, "context canceled", "the engines were shut down without error")
	require.Equal(t, int64(20_000_000), l.Time(), "stopped before the step ending at 30 ms")
}
