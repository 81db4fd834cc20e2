package cosim_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/cosim"
)

// fakeEngine keeps its time; its datapack "time" holds the time in ns
// (empty before its first step if emptyAtZero), and it records what it
// is sent and asked.
type fakeEngine struct {
	name        string
	t           int64
	pending     int64
	emptyAtZero bool
	steps       []int64            // dt of every step
	received    map[int64][]string // time -> names of the datapacks set
	values      map[string]any
	failStepAt  int64 // fail RunLoopStepAsyncGet when the step ends here (0: never)
	shut        bool
	initialized int
	resets      int
}

func newFake(name string, emptyAtZero bool) *fakeEngine {
	return &fakeEngine{name: name, emptyAtZero: emptyAtZero, received: map[int64][]string{}, values: map[string]any{}}
}

func (f *fakeEngine) Initialize(context.Context) error { f.initialized++; return nil }
func (f *fakeEngine) RunLoopStepAsync(dt int64) error {
	f.steps = append(f.steps, dt)
	f.pending = dt
	return nil
}
func (f *fakeEngine) RunLoopStepAsyncGet(context.Context) (int64, error) {
	f.t += f.pending
	f.pending = 0
	if f.failStepAt != 0 && f.t == f.failStepAt {
		return 0, errors.New("simulated crash")
	}
	return f.t, nil
}
func (f *fakeEngine) GetDataPacks(_ context.Context, ids []cosim.DataPackID, dst []cosim.DataPack) ([]cosim.DataPack, error) {
	for _, id := range ids {
		dp := cosim.DataPack{DataPackID: id}
		switch {
		case id.Name == "time" && !(f.emptyAtZero && len(f.steps) == 0):
			dp.Data = float64(f.t)
		case id.Name != "time":
			dp.Data = f.values[id.Name]
		}
		dst = append(dst, dp)
	}
	return dst, nil
}
func (f *fakeEngine) SetDataPacks(_ context.Context, dps []cosim.DataPack) error {
	for _, dp := range dps {
		f.received[f.t] = append(f.received[f.t], dp.Name)
		f.values[dp.Name] = dp.Data
	}
	return nil
}
func (f *fakeEngine) Reset(context.Context) error    { f.resets++; f.t = 0; f.steps = nil; return nil }
func (f *fakeEngine) Shutdown(context.Context) error { f.shut = true; return nil }

func engineCfg(name string, timestep float64) cosim.EngineConfig {
	return cosim.EngineConfig{EngineName: name, EngineType: "fake", EngineTimestep: &timestep}
}

// seen records one call of a transceiver function.
type seen struct {
	t       int64
	empty   bool
	updated bool
	bTime   any
}

// Engines with time steps of 1 ms (a) and 3 ms (b) meet every 3 ms; a
// transceiver function linked to a sends to both, and b gets its datapack
// only when b is synchronized (t = 0 and 3 ms), the other four are
// dropped.
func TestLoopSynchronizationRule(t *testing.T) {
	a, b := newFake("a", false), newFake("b", true)
	var calls []seen
	tfA := cosim.NewTransceiverFunction("tf_a", "a", []cosim.Input{cosim.EngineDataPack("bt", "time", "b")},
		func(info cosim.StepInfo, in []cosim.DataPack) ([]cosim.DataPack, error) {
			calls = append(calls, seen{t: info.Time, empty: in[0].IsEmpty(), updated: in[0].Updated, bTime: in[0].Data})
			return []cosim.DataPack{
				{DataPackID: cosim.DataPackID{Name: "to_a", Engine: "a"}, Data: info.Time},
				{DataPackID: cosim.DataPackID{Name: "to_b", Engine: "b"}, Data: info.Time},
			}, nil
		})
	var bCalls []int64
	tfB := cosim.NewTransceiverFunction("tf_b", "b", nil, func(info cosim.StepInfo, _ []cosim.DataPack) ([]cosim.DataPack, error) {
		bCalls = append(bCalls, info.Time)
		return nil, nil
	})
	l, err := cosim.NewLoop(cosim.LoopConfig{}, []cosim.LoopEngine{
		{Config: engineCfg("a", 0.001), Engine: a}, {Config: engineCfg("b", 0.003), Engine: b},
	}, []cosim.Function{tfA, tfB})
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, l.Initialize(ctx))
	require.NoError(t, l.RunLoop(ctx, 6_000_000))
	require.Equal(t, int64(6_000_000), l.Time())

	const ms = 1_000_000
	require.Equal(t, []seen{
		{t: 0, empty: true, updated: true}, // b has nothing before its first step
		{t: 1 * ms, empty: true, updated: false},
		{t: 2 * ms, empty: true, updated: false},
		{t: 3 * ms, updated: true, bTime: float64(3 * ms)}, // the engines meet at 3 ms
		{t: 4 * ms, updated: false, bTime: float64(3 * ms)},
		{t: 5 * ms, updated: false, bTime: float64(3 * ms)},
	}, calls)
	require.Equal(t, []int64{0, 3 * ms}, bCalls)
	// b received tf_a's datapack only at the steps it was synchronized.
	require.Equal(t, map[int64][]string{0: {"to_b"}, 3 * ms: {"to_b"}}, b.received)
	require.Len(t, a.received, 6)
	require.Equal(t, cosim.Stats{Iterations: 6, Sent: 8, Dropped: 4}, l.Stats())
	require.Equal(t, []int64{ms, ms, ms, ms, ms, ms}, a.steps)
	require.Equal(t, []int64{3 * ms, 3 * ms}, b.steps)

	require.NoError(t, l.Shutdown(ctx))
	require.True(t, a.shut)
	require.True(t, b.shut)
	ta, _ := l.EngineTime("a")
	tb, _ := l.EngineTime("b")
	require.Equal(t, []int64{6 * ms, 6 * ms}, []int64{ta, tb}, "shutdown waits for the running steps")
}

// Datapacks go where their ids say: preprocessing outputs to the cache
// (PreprocessedDataPack), transceiver outputs to their engines, the status
// function sees both and ends the run.
func TestLoopRoutingAndStatus(t *testing.T) {
	phys, net, ctrl := newFake("phys", false), newFake("net", false), newFake("ctrl", false)
	double := cosim.NewPreprocessingFunction("pf", "phys", []cosim.Input{cosim.EngineDataPack("t", "time", "phys")},
		func(_ cosim.StepInfo, in []cosim.DataPack) ([]cosim.DataPack, error) {
			return []cosim.DataPack{{DataPackID: cosim.DataPackID{Name: "twice", Engine: "phys"}, Data: 2 * in[0].Data.(float64)}}, nil
		})
	toNet := cosim.NewTransceiverFunction("to_net", "net", []cosim.Input{cosim.PreprocessedDataPack("x", "twice", "phys")},
		func(_ cosim.StepInfo, in []cosim.DataPack) ([]cosim.DataPack, error) {
			if in[0].IsEmpty() {
				return nil, nil
			}
			return []cosim.DataPack{{DataPackID: cosim.DataPackID{Name: "uplink", Engine: "net"}, Data: in[0].Data}}, nil
		})
	toCtrl := cosim.NewTransceiverFunction("to_ctrl", "ctrl", []cosim.Input{cosim.EngineDataPack("u", "uplink", "net")},
		func(_ cosim.StepInfo, in []cosim.DataPack) ([]cosim.DataPack, error) {
			if in[0].IsEmpty() {
				return nil, nil
			}
			return []cosim.DataPack{{DataPackID: cosim.DataPackID{Name: "obs", Engine: "ctrl"}, Data: in[0].Data}}, nil
		})
	var trajectory []any
	status := cosim.NewStatusFunction("status", []cosim.Input{cosim.EngineDataPack("o", "obs", "ctrl")},
		func(info cosim.StepInfo, in []cosim.DataPack) (bool, []any, error) {
			return info.Iteration == 4, []any{fmt.Sprint(info.Iteration, ":", in[0].Data)}, nil
		})
	l, err := cosim.NewLoop(cosim.LoopConfig{Timeout: 1_000_000_000}, []cosim.LoopEngine{
		{Config: engineCfg("phys", 0.01), Engine: phys},
		{Config: engineCfg("net", 0.01), Engine: net},
		{Config: engineCfg("ctrl", 0.01), Engine: ctrl},
	}, []cosim.Function{double, toNet, toCtrl, status})
	require.NoError(t, err)
	done, err := l.Run(context.Background())
	require.NoError(t, err)
	require.True(t, done)
	trajectory = l.Trajectory()
	// Every hop takes one loop step: phys at 10 ms -> net (set at 10 ms,
	// read at 20 ms) -> ctrl (set at 20 ms, read at 30 ms).
	require.Equal(t, []any{"0:<nil>", "1:<nil>", "2:0", "3:2e+07", "4:4e+07"}, trajectory)
	require.Equal(t, int64(40_000_000), l.Time())
	require.Equal(t, 6e7, ctrl.values["obs"])
	require.True(t, phys.shut && net.shut && ctrl.shut)
}

// An engine failing its step stops the loop with an error naming it and
// the command; Run shuts the other engines down.
func TestLoopEngineFailure(t *testing.T) {
	a, b := newFake("a", false), newFake("b", false)
	b.failStepAt = 20_000_000
	l, err := cosim.NewLoop(cosim.LoopConfig{Timeout: 1_000_000_000}, []cosim.LoopEngine{
		{Config: engineCfg("a", 0.01), Engine: a}, {Config: engineCfg("b", 0.01), Engine: b},
	}, nil)
	require.NoError(t, err)
	_, err = l.Run(context.Background())
	require.EqualError(t, err, `cosim: engine "b": runLoopStep: simulated crash`)
	var ee *cosim.EngineError
	require.ErrorAs(t, err, &ee)
	require.Equal(t, "b", ee.Engine)
	require.True(t, a.shut)
	require.True(t, b.shut)
	require.Error(t, l.Step(context.Background()))
}

// The status function or the timeout ends RunUntilTimeout; Reset starts
// over at t = 0.
func TestLoopTimeoutAndReset(t *testing.T) {
	a := newFake("a", false)
	l, err := cosim.NewLoop(cosim.LoopConfig{Timeout: 25_000_000}, []cosim.LoopEngine{{Config: engineCfg("a", 0.01), Engine: a}}, nil)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, l.Initialize(ctx))
	done, err := l.RunUntilTimeout(ctx)
	require.NoError(t, err)
	require.False(t, done)
	require.Equal(t, int64(25_000_000), l.Time())
	require.Equal(t, uint64(3), l.Iteration()) // steps at 0, 10 and 20 ms
	require.NoError(t, l.Reset(ctx))
	require.Equal(t, 1, a.resets)
	require.Equal(t, int64(0), l.Time())
	require.NoError(t, l.RunLoop(ctx, 10_000_000))
	require.Equal(t, uint64(1), l.Iteration())
	require.NoError(t, l.Shutdown(ctx))
	require.NoError(t, l.Shutdown(ctx), "a second shutdown does nothing")
}

func TestNewLoopErrors(t *testing.T) {
	ok := func() []cosim.LoopEngine {
		return []cosim.LoopEngine{{Config: engineCfg("a", 0.01), Engine: newFake("a", false)}}
	}
	noop := func(cosim.StepInfo, []cosim.DataPack) ([]cosim.DataPack, error) { return nil, nil }
	for _, tc := range []struct {
		name    string
		engines []cosim.LoopEngine
		fns     []cosim.Function
		want    string
	}{
		{"no engine", nil, nil, "cosim: a loop needs at least one engine"},
		{"duplicate engine", append(ok(), ok()...), nil, `cosim: two engines are named "a"`},
		{"bad timestep", []cosim.LoopEngine{{Config: engineCfg("a", -1), Engine: newFake("a", false)}}, nil,
			`cosim: engine "a": EngineTimestep -1 s must lie in (0, 1e9)`},
		{"unknown linked engine", ok(), []cosim.Function{cosim.NewTransceiverFunction("tf", "zz", nil, noop)},
			`cosim: TransceiverFunction "tf": linked to engine "zz", which the experiment does not have (engines: [a])`},
		{"unknown input engine", ok(), []cosim.Function{cosim.NewTransceiverFunction("tf", "a",
			[]cosim.Input{cosim.EngineDataPack("x", "d", "zz")}, noop)},
			`cosim: TransceiverFunction "tf": input "x" reads datapack "d" of engine "zz", which the experiment does not have (engines: [a])`},
		{"foreign preprocessing input", append(ok(), cosim.LoopEngine{Config: engineCfg("b", 0.01), Engine: newFake("b", false)}),
			[]cosim.Function{cosim.NewPreprocessingFunction("pf", "a", []cosim.Input{cosim.EngineDataPack("x", "d", "b")}, noop)},
			`cosim: PreprocessingFunction "pf": a preprocessing function reads only its own engine's ("a") datapacks, not b/d`},
		{"two status functions", ok(), []cosim.Function{
			cosim.NewStatusFunction("s1", nil, func(cosim.StepInfo, []cosim.DataPack) (bool, []any, error) { return false, nil, nil }),
			cosim.NewStatusFunction("s2", nil, func(cosim.StepInfo, []cosim.DataPack) (bool, []any, error) { return false, nil, nil }),
		}, `cosim: StatusFunction "s2": the experiment already has status function "s1"`},
		{"duplicate keyword", ok(), []cosim.Function{cosim.NewTransceiverFunction("tf", "a",
			[]cosim.Input{cosim.EngineDataPack("x", "d", "a"), cosim.EngineDataPack("x", "e", "a")}, noop)},
			`cosim: TransceiverFunction "tf": keyword "x" used twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cosim.NewLoop(cosim.LoopConfig{}, tc.engines, tc.fns)
			require.EqualError(t, err, tc.want)
		})
	}
}

// A transceiver function that returns an empty datapack or one for an
// unknown engine stops the loop with its name.
func TestLoopBadFunctionOutput(t *testing.T) {
	for _, tc := range []struct {
		dp   cosim.DataPack
		want string
	}{
		{cosim.DataPack{DataPackID: cosim.DataPackID{Name: "x", Engine: "a"}},
			`cosim: TransceiverFunction "tf" returned datapack a/x with no data (empty datapacks cannot be sent)`},
		{cosim.DataPack{DataPackID: cosim.DataPackID{Name: "x", Engine: "q"}, Data: 1.0},
			`cosim: TransceiverFunction "tf" returned datapack "x" for engine "q", which the experiment does not have (engines: [a])`},
	} {
		a := newFake("a", false)
		tf := cosim.NewTransceiverFunction("tf", "a", nil, func(cosim.StepInfo, []cosim.DataPack) ([]cosim.DataPack, error) {
			return []cosim.DataPack{tc.dp}, nil
		})
		l, err := cosim.NewLoop(cosim.LoopConfig{Timeout: 1e8}, []cosim.LoopEngine{{Config: engineCfg("a", 0.01), Engine: a}}, []cosim.Function{tf})
		require.NoError(t, err)
		_, err = l.Run(context.Background())
		require.EqualError(t, err, tc.want)
		require.True(t, a.shut)
	}
}
