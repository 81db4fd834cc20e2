package cosim_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/cosim"
	"github.com/netgym/netgym/rl/cosim/wifirelay"
	"github.com/netgym/netgym/spaces"
)

// nopEngine is the cheapest in-process engine: it keeps its time and one
// datapack.
type nopEngine struct {
	t, pending int64
	v          any
}

func (e *nopEngine) Initialize(context.Context) error { return nil }
func (e *nopEngine) RunLoopStepAsync(dt int64) error  { e.pending = dt; return nil }
func (e *nopEngine) RunLoopStepAsyncGet(context.Context) (int64, error) {
	e.t += e.pending
	return e.t, nil
}
func (e *nopEngine) GetDataPacks(_ context.Context, ids []cosim.DataPackID, dst []cosim.DataPack) ([]cosim.DataPack, error) {
	for _, id := range ids {
		dst = append(dst, cosim.DataPack{DataPackID: id, Data: e.v})
	}
	return dst, nil
}
func (e *nopEngine) SetDataPacks(_ context.Context, dps []cosim.DataPack) error {
	for _, dp := range dps {
		e.v = dp.Data
	}
	return nil
}
func (e *nopEngine) Reset(context.Context) error    { e.t = 0; return nil }
func (e *nopEngine) Shutdown(context.Context) error { return nil }

func benchLoop(b *testing.B, engines []cosim.LoopEngine, fns []cosim.Function) {
	l, err := cosim.NewLoop(cosim.LoopConfig{}, engines, fns)
	require.NoError(b, err)
	ctx := context.Background()
	require.NoError(b, l.Initialize(ctx))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := l.Step(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	require.NoError(b, l.Shutdown(ctx))
}

// forward is a Go transceiver function linked to b that copies a's
// datapack "x" to b's "x" (reusing its output slice).
func forward() cosim.Function {
	out := make([]cosim.DataPack, 1)
	return &cosim.GoFunction{
		FunctionSpec: cosim.FunctionSpec{Name: "forward", Kind: cosim.Transceiver, Engine: "b",
			Inputs: []cosim.Input{cosim.EngineDataPack("x", "x", "a")}},
		Fn: func(_ cosim.StepInfo, in []cosim.DataPack) (cosim.Result, error) {
			if in[0].IsEmpty() {
				return cosim.Result{}, nil
			}
			out[0] = cosim.DataPack{DataPackID: cosim.DataPackID{Name: "x", Engine: "b"}, Data: in[0].Data}
			return cosim.Result{DataPacks: out}, nil
		},
	}
}

// The loop itself: two in-process engines due every step and one Go
// transceiver function.
func BenchmarkLoopStepInProcess(b *testing.B) {
	benchLoop(b, []cosim.LoopEngine{
		{Config: engineCfg("a", 0.001), Engine: &nopEngine{v: 1.0}},
		{Config: engineCfg("b", 0.001), Engine: &nopEngine{}},
	}, []cosim.Function{forward()})
}

// Two netgym engines (802.11a relays) instead: a value crosses a's
// uplink every millisecond, the Go function hands it to b's uplink.
func BenchmarkLoopStepWifiRelays(b *testing.B) {
	mk := func(name string) cosim.LoopEngine {
		r, err := wifirelay.New(wifirelay.DefaultConfig(), 1)
		require.NoError(b, err)
		require.NoError(b, r.Set("uplink/in", spaces.DoubleBox(1, 2, 3, 4)))
		e, err := cosim.NewStepperEngine(r, 1, 1)
		require.NoError(b, err)
		return cosim.LoopEngine{Config: engineCfg(name, 0.001), Engine: e}
	}
	out := make([]cosim.DataPack, 1)
	tf := &cosim.GoFunction{
		FunctionSpec: cosim.FunctionSpec{Name: "relay", Kind: cosim.Transceiver, Engine: "b",
			Inputs: []cosim.Input{cosim.EngineDataPack("x", "uplink/out", "a")}},
		Fn: func(_ cosim.StepInfo, in []cosim.DataPack) (cosim.Result, error) {
			if in[0].IsEmpty() {
				return cosim.Result{}, nil
			}
			out[0] = cosim.DataPack{DataPackID: cosim.DataPackID{Name: "uplink/in", Engine: "b"}, Data: in[0].Data}
			return cosim.Result{DataPacks: out}, nil
		},
	}
	benchLoop(b, []cosim.LoopEngine{mk("a"), mk("b")}, []cosim.Function{tf})
}

// A Python engine (testdata/counter_engine.py) and a Python transceiver
// function feeding a Go engine: the pipe round trips.
func BenchmarkLoopStepPython(b *testing.B) {
	opts := pythonOptions(b)
	opts.Stderr = io.Discard
	dir, err := filepath.Abs("testdata")
	require.NoError(b, err)
	opts.Dir = dir
	ts := 0.001
	cfg := cosim.EngineConfig{EngineName: "counter", EngineType: "python_json", EngineTimestep: &ts, PythonFileName: "counter_engine.py"}
	py, err := cosim.NewPythonEngine(cfg, opts)
	require.NoError(b, err)
	tfFile := filepath.Join(b.TempDir(), "tf.py")
	require.NoError(b, os.WriteFile(tfFile, []byte(`from netgym.nrp import *

@EngineDataPack(keyword="count", id=DataPackIdentifier("count", "counter"))
@TransceiverFunction("sink")
def relay(count):
    if count.isEmpty():
        return []
    return [JsonDataPack("n", "sink", count.data["n"])]
`), 0o644))
	fns, err := cosim.LoadPythonFunctions(context.Background(), []cosim.FunctionConfig{{Name: "relay", FileName: tfFile}}, nil, "", 0, opts)
	require.NoError(b, err)
	defer fns.Close()
	benchLoop(b, []cosim.LoopEngine{{Config: cfg, Engine: py}, {Config: engineCfg("sink", 0.001), Engine: &nopEngine{}}},
		fns.Functions())
}
