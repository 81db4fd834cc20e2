package cosim

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// LoopEngine is an engine with its configuration (name, time step,
// command timeout).
type LoopEngine struct {
	Config EngineConfig
	Engine Engine
}

// Stats counts what the loop did.
type Stats struct {
	// Iterations is the number of loop steps run.
	Iterations uint64
	// Sent counts datapacks handed to engines.
	Sent uint64
	// Dropped counts transceiver function outputs whose engine was not
	// synchronized in that step (NRP-core drops them).
	Dropped uint64
}

// Loop is NRP-core's FTI loop: engines with their own time steps, all at
// t = 0 at the start. Each step takes the engines whose step ends next
// (the engines due), waits for them, fetches the datapacks every function
// asks of them, runs the preprocessing functions linked to them, then the
// transceiver functions linked to them, then the status function; hands
// the transceiver functions' datapacks to their engines if and only if
// those engines are due in this step (others are dropped), and starts the
// next step of each due engine. The first step, at t = 0, has every engine
// due, and engines may return empty datapacks then.
//
// The loop is deterministic: engines due at the same time are served in
// the order they were queued (first the configuration's order), functions
// in the order they were given, and nothing depends on wall time except
// the command timeouts. A Loop is used by one goroutine.
type Loop struct {
	slots   []*slot
	byName  map[string]int
	pfs     [][]Function // per slot
	tfs     [][]Function // per slot
	status  Function
	timeout int64

	queue     []queued
	seq       uint64
	simTime   int64
	iteration uint64
	state     loopState
	done      bool
	traj      []any
	stats     Stats
	pre       map[DataPackID]DataPack
	idle      []int
	calls     []pendingCall
	args      []DataPack
	batch     []batcher
	group     []*pendingCall
}

type loopState uint8

const (
	stateNew loopState = iota
	stateReady
	stateFailed
	stateShut
)

type slot struct {
	name     string
	eng      Engine
	timestep int64
	timeout  time.Duration
	time     int64 // engine time after its last completed step
	running  bool
	ids      []DataPackID // requested from this engine
	cache    map[string]DataPack
	outbox   []DataPack
	fetched  []DataPack
}

type queued struct {
	t    int64
	seq  uint64
	slot int
}

// LoopConfig configures a loop.
type LoopConfig struct {
	// Timeout is SimulationTimeout in nanoseconds: RunUntilTimeout stops
	// there (0: only the status function stops it).
	Timeout int64
}

// NewLoop checks the engines and functions and returns their loop; call
// Initialize next. Every function must be linked to an engine of the loop
// (a status function to none, and at most one status function), read
// datapacks of the loop's engines, and a preprocessing function only its
// own engine's.
func NewLoop(cfg LoopConfig, engines []LoopEngine, fns []Function) (*Loop, error) {
	if cfg.Timeout < 0 {
		return nil, fmt.Errorf("cosim: loop timeout %d ns must not be negative", cfg.Timeout)
	}
	if len(engines) == 0 {
		return nil, errors.New("cosim: a loop needs at least one engine")
	}
	l := &Loop{byName: map[string]int{}, timeout: cfg.Timeout, pre: map[DataPackID]DataPack{}}
	for _, e := range engines {
		if err := e.Config.Validate(); err != nil {
			return nil, err
		}
		if e.Engine == nil {
			return nil, fmt.Errorf("cosim: engine %q is nil", e.Config.EngineName)
		}
		if _, dup := l.byName[e.Config.EngineName]; dup {
			return nil, fmt.Errorf("cosim: two engines are named %q", e.Config.EngineName)
		}
		l.byName[e.Config.EngineName] = len(l.slots)
		l.slots = append(l.slots, &slot{name: e.Config.EngineName, eng: e.Engine, timestep: e.Config.Timestep(),
			timeout: e.Config.CommandTimeout(), cache: map[string]DataPack{}})
	}
	l.pfs = make([][]Function, len(l.slots))
	l.tfs = make([][]Function, len(l.slots))
	for _, f := range fns {
		if f == nil {
			return nil, errors.New("cosim: a function is nil")
		}
		sp := f.Spec()
		if err := l.addFunction(f, sp); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func (l *Loop) addFunction(f Function, sp FunctionSpec) error {
	what := fmt.Sprintf("cosim: %s %q", sp.Kind, sp.Name)
	keywords := map[string]bool{}
	for _, in := range sp.Inputs {
		if in.Keyword == "" {
			return fmt.Errorf("%s: an input datapack (%v) has no keyword", what, in.ID)
		}
		if keywords[in.Keyword] {
			return fmt.Errorf("%s: keyword %q used twice", what, in.Keyword)
		}
		keywords[in.Keyword] = true
		if in.ID.Name == "" {
			return fmt.Errorf("%s: input %q has no datapack name", what, in.Keyword)
		}
		si, ok := l.byName[in.ID.Engine]
		if !ok {
			return fmt.Errorf("%s: input %q reads datapack %q of engine %q, which the experiment does not have (engines: %v)",
				what, in.Keyword, in.ID.Name, in.ID.Engine, l.names())
		}
		if sp.Kind == Preprocessing && (in.Preprocessed || in.ID.Engine != sp.Engine) {
			return fmt.Errorf("%s: a preprocessing function reads only its own engine's (%q) datapacks, not %v",
				what, sp.Engine, in.ID)
		}
		if !in.Preprocessed {
			s := l.slots[si]
			if !containsName(s.ids, in.ID.Name) {
				s.ids = append(s.ids, DataPackID{Name: in.ID.Name, Engine: s.name, Type: in.ID.Type})
			}
		}
	}
	switch sp.Kind {
	case Status:
		if sp.Engine != "" {
			return fmt.Errorf("%s: a status function is linked to no engine (got %q)", what, sp.Engine)
		}
		if l.status != nil {
			return fmt.Errorf("%s: the experiment already has status function %q", what, l.status.Spec().Name)
		}
		l.status = f
	case Transceiver, Preprocessing:
		si, ok := l.byName[sp.Engine]
		if !ok {
			return fmt.Errorf("%s: linked to engine %q, which the experiment does not have (engines: %v)", what, sp.Engine, l.names())
		}
		if sp.Kind == Transceiver {
			l.tfs[si] = append(l.tfs[si], f)
		} else {
			l.pfs[si] = append(l.pfs[si], f)
		}
	default:
		return fmt.Errorf("%s: unknown kind", what)
	}
	return nil
}

func containsName(ids []DataPackID, name string) bool {
	for _, id := range ids {
		if id.Name == name {
			return true
		}
	}
	return false
}

func (l *Loop) names() []string {
	out := make([]string, len(l.slots))
	for i, s := range l.slots {
		out[i] = s.name
	}
	return out
}

func (l *Loop) cmdCtx(ctx context.Context, s *slot) (context.Context, context.CancelFunc) {
	if s.timeout > 0 {
		return context.WithTimeout(ctx, s.timeout)
	}
	return ctx, func() {}
}

// MinSetupTimeout is the least time initialize, reset and shutdown get
// when the engine has an EngineCommandTimeout: they load scripts and
// models, which takes longer than a step.
const MinSetupTimeout = 30 * time.Second

// setupCtx bounds initialize, reset and shutdown by
// max(EngineCommandTimeout, MinSetupTimeout), if the engine has a timeout.
func (l *Loop) setupCtx(ctx context.Context, s *slot) (context.Context, context.CancelFunc) {
	if s.timeout > 0 {
		return context.WithTimeout(ctx, max(s.timeout, MinSetupTimeout))
	}
	return ctx, func() {}
}

func (l *Loop) engineErr(s *slot, cmd string, err error) error {
	if errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, ErrEngineTimeout) {
		err = fmt.Errorf("%w: %w", ErrEngineTimeout, err)
	}
	if errors.Is(err, ErrEngineTimeout) && s.timeout > 0 {
		err = fmt.Errorf("%w (EngineCommandTimeout %v)", err, s.timeout)
	}
	var ee *EngineError
	if errors.As(err, &ee) && ee.Engine == s.name {
		return err
	}
	return &EngineError{Engine: s.name, Command: cmd, Err: err}
}

func (l *Loop) fail(err error) error {
	l.state = stateFailed
	return err
}

// Initialize initializes every engine (in order), queues them all at
// t = 0 and fetches their datapacks (NRP-core's initLoop).
func (l *Loop) Initialize(ctx context.Context) error {
	if l.state != stateNew {
		return errors.New("cosim: Initialize called twice or after Shutdown")
	}
	for _, s := range l.slots {
		c, cancel := l.setupCtx(ctx, s)
		err := s.eng.Initialize(c)
		cancel()
		if err != nil {
			return l.fail(l.engineErr(s, "initialize", err))
		}
	}
	l.state = stateReady
	return l.restart(ctx)
}

// restart queues every engine at 0 and fetches their datapacks.
func (l *Loop) restart(ctx context.Context) error {
	l.queue = l.queue[:0]
	for i, s := range l.slots {
		s.time, s.running = 0, false
		clear(s.cache)
		l.push(0, i)
	}
	clear(l.pre)
	l.simTime, l.iteration, l.done, l.traj = 0, 0, false, nil
	for _, s := range l.slots {
		if err := l.fetch(ctx, s); err != nil {
			return l.fail(err)
		}
	}
	return nil
}

func (l *Loop) push(t int64, si int) {
	q := queued{t: t, seq: l.seq, slot: si}
	l.seq++
	i := len(l.queue)
	l.queue = append(l.queue, q)
	for i > 0 && l.queue[i-1].t > t { // stable: equal times keep queue order
		l.queue[i] = l.queue[i-1]
		i--
	}
	l.queue[i] = q
}

func (l *Loop) fetch(ctx context.Context, s *slot) error {
	if len(s.ids) == 0 {
		return nil
	}
	c, cancel := l.cmdCtx(ctx, s)
	got, err := s.eng.GetDataPacks(c, s.ids, s.fetched[:0])
	cancel()
	if err != nil {
		return l.engineErr(s, "getDataPacks", err)
	}
	s.fetched = got
	for i := range got {
		dp := got[i]
		dp.Engine, dp.Updated = s.name, true
		s.cache[dp.Name] = dp
	}
	return nil
}

// Time returns the loop's simulation time in nanoseconds.
func (l *Loop) Time() int64 { return l.simTime }

// Iteration returns the number of the next loop step.
func (l *Loop) Iteration() uint64 { return l.iteration }

// Done reports whether the status function said the experiment is done.
func (l *Loop) Done() bool { return l.done }

// Stats returns the loop's counters.
func (l *Loop) Stats() Stats { return l.stats }

// EngineTime returns an engine's time after its last completed step.
func (l *Loop) EngineTime(engine string) (int64, bool) {
	si, ok := l.byName[engine]
	if !ok {
		return 0, false
	}
	return l.slots[si].time, true
}

// DataPack returns the cached datapack of an engine, as the functions saw
// it in the last step (an empty one if it was never fetched).
func (l *Loop) DataPack(engine, name string) DataPack {
	si, ok := l.byName[engine]
	if !ok {
		return DataPack{DataPackID: DataPackID{Name: name, Engine: engine}}
	}
	if dp, ok := l.slots[si].cache[name]; ok {
		return dp
	}
	return DataPack{DataPackID: DataPackID{Name: name, Engine: engine}}
}

// Trajectory returns the status function's observations since the last
// call, and forgets them (NRP-core's trajectory buffer).
func (l *Loop) Trajectory() []any {
	t := l.traj
	l.traj = nil
	return t
}

// NextTime returns when the next loop step happens: the earliest end of an
// engine's current step.
func (l *Loop) NextTime() int64 {
	if len(l.queue) == 0 {
		return l.simTime
	}
	return l.queue[0].t
}

func (l *Loop) ready() error {
	switch l.state {
	case stateNew:
		return errors.New("cosim: the loop is not initialized (call Initialize)")
	case stateFailed:
		return errors.New("cosim: the loop failed earlier; shut it down")
	case stateShut:
		return errors.New("cosim: the loop is shut down")
	}
	return nil
}

// Step runs one loop step: the engines due next, their datapacks and
// functions, and their next steps.
func (l *Loop) Step(ctx context.Context) error {
	if err := l.ready(); err != nil {
		return err
	}
	if err := l.step(ctx); err != nil {
		return l.fail(err)
	}
	return nil
}

// step is FTILoop::runLoop's loop body (NRP-core 1.4,
// nrp_simulation/simulation/fti_loop.cpp): take the engines due next, wait
// for them, run the datapack cycle, restart them with
// trueRunTime = simTime - engineTime + timestep (an engine ahead of the loop
// is requeued at its own time instead).
func (l *Loop) step(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	next := l.queue[0].t
	l.idle = l.idle[:0]
	n := 0
	for n < len(l.queue) && l.queue[n].t <= next {
		l.idle = append(l.idle, l.queue[n].slot)
		n++
	}
	l.queue = append(l.queue[:0], l.queue[n:]...)
	l.simTime = next
	// Wait for the due engines to complete their steps.
	for _, si := range l.idle {
		s := l.slots[si]
		if !s.running {
			continue
		}
		t, err := l.await(ctx, s)
		if err != nil {
			return err
		}
		if t < 0 {
			return l.engineErr(s, "runLoopStep", fmt.Errorf("engine time %d ns is negative", t))
		}
		s.time = t
	}
	if err := l.datapackCycle(ctx); err != nil {
		return err
	}
	// Restart the due engines.
	for _, si := range l.idle {
		s := l.slots[si]
		run := l.simTime - s.time + s.timestep
		if run >= 0 {
			if err := s.eng.RunLoopStepAsync(run); err != nil {
				return l.engineErr(s, "runLoopStep", err)
			}
			s.running = true
			l.push(l.simTime+s.timestep, si)
		} else { // the engine is ahead: wait for the others to catch up
			l.push(s.time, si)
		}
	}
	l.iteration++
	l.stats.Iterations++
	return nil
}

// datapackCycle is NRP-core's TFManagerHandle::datapackCycle
// (nrp_simulation/datapack_handle/tf_manager_handle.cpp):
// updateDataPacksFromEngines, executePreprocessingFunctions,
// executeTransceiverFunctions, executeStatusFunction, then
// sendDataPacksToEngines for the due engines only.
func (l *Loop) datapackCycle(ctx context.Context) error {
	for _, s := range l.slots {
		for k, dp := range s.cache {
			if dp.Updated {
				dp.Updated = false
				s.cache[k] = dp
			}
		}
	}
	for k, dp := range l.pre {
		if dp.Updated {
			dp.Updated = false
			l.pre[k] = dp
		}
	}
	for _, si := range l.idle {
		if err := l.fetch(ctx, l.slots[si]); err != nil {
			return err
		}
	}
	info := StepInfo{Time: l.simTime, Iteration: l.iteration}
	// Preprocessing functions read only their engines' datapacks, so they
	// run as one batch; then the transceiver functions and the status
	// function, which read the caches but not each other's outputs.
	l.calls = l.calls[:0]
	for _, si := range l.idle {
		for _, f := range l.pfs[si] {
			l.prepare(f)
		}
	}
	if err := l.execute(ctx, info); err != nil {
		return err
	}
	for i := range l.calls {
		for _, dp := range l.calls[i].res.DataPacks {
			dp.Updated = true
			l.pre[preKey(dp.DataPackID)] = dp
		}
	}
	l.calls = l.calls[:0]
	for _, si := range l.idle {
		for _, f := range l.tfs[si] {
			l.prepare(f)
		}
	}
	if l.status != nil {
		l.prepare(l.status)
	}
	if err := l.execute(ctx, info); err != nil {
		return err
	}
	for i := range l.calls {
		c := &l.calls[i]
		if c.f == l.status {
			l.done = c.res.Done
			l.traj = append(l.traj, c.res.Observations...)
			continue
		}
		for _, dp := range c.res.DataPacks {
			if err := l.route(c.f, dp); err != nil {
				return err
			}
		}
	}
	for _, si := range l.idle {
		s := l.slots[si]
		if len(s.outbox) == 0 {
			continue
		}
		c, cancel := l.cmdCtx(ctx, s)
		err := s.eng.SetDataPacks(c, s.outbox)
		cancel()
		l.stats.Sent += uint64(len(s.outbox))
		clear(s.outbox)
		s.outbox = s.outbox[:0]
		if err != nil {
			return l.engineErr(s, "setDataPacks", err)
		}
	}
	return nil
}

// route puts a transceiver function's datapack in its engine's outbox if
// that engine is due now, and drops it otherwise.
func (l *Loop) route(f Function, dp DataPack) error {
	sp := f.Spec()
	si, ok := l.byName[dp.Engine]
	if !ok {
		return fmt.Errorf("cosim: %s %q returned datapack %q for engine %q, which the experiment does not have (engines: %v)",
			sp.Kind, sp.Name, dp.Name, dp.Engine, l.names())
	}
	if dp.IsEmpty() {
		return fmt.Errorf("cosim: %s %q returned datapack %v with no data (empty datapacks cannot be sent)", sp.Kind, sp.Name, dp.DataPackID)
	}
	for _, idle := range l.idle {
		if idle == si {
			s := l.slots[si]
			s.outbox = append(s.outbox, dp)
			return nil
		}
	}
	l.stats.Dropped++
	return nil
}

// preKey keys the preprocessed datapacks by name and engine: the type of
// an id in a decorator is usually left out.
func preKey(id DataPackID) DataPackID { return DataPackID{Name: id.Name, Engine: id.Engine} }

// pendingCall is a function call of the current phase.
type pendingCall struct {
	f        Function
	from, to int // its inputs in Loop.args
	in       []DataPack
	res      Result
	err      error
}

// batchFunction is a function whose calls go out together with the other
// calls of its batcher, in one exchange per phase (the Python functions:
// one round trip to their process).
type batchFunction interface {
	Function
	batcher() batcher
}

type batcher interface {
	callBatch(ctx context.Context, info StepInfo, calls []*pendingCall)
}

// prepare queues a call of f with its inputs from the caches.
func (l *Loop) prepare(f Function) {
	sp := f.Spec()
	from := len(l.args)
	for _, in := range sp.Inputs {
		var dp DataPack
		var ok bool
		if in.Preprocessed {
			dp, ok = l.pre[preKey(in.ID)]
		} else {
			dp, ok = l.slots[l.byName[in.ID.Engine]].cache[in.ID.Name]
		}
		if !ok {
			dp = DataPack{DataPackID: in.ID}
		}
		l.args = append(l.args, dp)
	}
	l.calls = append(l.calls, pendingCall{f: f, from: from, to: len(l.args)})
}

// execute makes the queued calls: Go functions in order, batched ones in
// one exchange per batcher; it returns the first error in call order.
func (l *Loop) execute(ctx context.Context, info StepInfo) error {
	defer func() {
		clear(l.args)
		l.args = l.args[:0]
	}()
	var batched bool
	for i := range l.calls {
		c := &l.calls[i]
		c.in = l.args[c.from:c.to:c.to]
		if _, ok := c.f.(batchFunction); ok {
			batched = true
			continue
		}
		c.res, c.err = c.f.Call(ctx, info, c.in)
	}
	if batched {
		l.batch = l.batch[:0]
		for i := range l.calls {
			bf, ok := l.calls[i].f.(batchFunction)
			if !ok {
				continue
			}
			b := bf.batcher()
			if slices.Contains(l.batch, b) {
				continue
			}
			l.batch = append(l.batch, b)
			l.group = l.group[:0]
			for j := i; j < len(l.calls); j++ {
				if other, ok := l.calls[j].f.(batchFunction); ok && other.batcher() == b {
					l.group = append(l.group, &l.calls[j])
				}
			}
			b.callBatch(ctx, info, l.group)
		}
	}
	for i := range l.calls {
		c := &l.calls[i]
		if c.err != nil {
			sp := c.f.Spec()
			where := ""
			if sp.Engine != "" {
				where = fmt.Sprintf(" (linked to %q)", sp.Engine)
			}
			return fmt.Errorf("cosim: %s %q%s at t = %d ns: %w", sp.Kind, sp.Name, where, info.Time, c.err)
		}
	}
	return nil
}

// RunLoop advances the experiment by d nanoseconds: it runs loop steps
// while the next one is earlier than the current time plus d, then sets
// the loop's time there (NRP-core's runLoop(runLoopTime)).
func (l *Loop) RunLoop(ctx context.Context, d int64) error {
	if err := l.ready(); err != nil {
		return err
	}
	if d < 0 {
		return fmt.Errorf("cosim: RunLoop by %d ns: the time must not be negative", d)
	}
	stop := l.simTime + d
	for l.queue[0].t < stop {
		if err := l.step(ctx); err != nil {
			return l.fail(err)
		}
	}
	l.simTime = stop
	return nil
}

// RunUntilTimeout runs loop steps until the timeout (LoopConfig.Timeout)
// or until the status function says done, whichever comes first; it
// reports whether the status function said done. Without a timeout the
// experiment needs a status function.
func (l *Loop) RunUntilTimeout(ctx context.Context) (done bool, err error) {
	if err := l.ready(); err != nil {
		return false, err
	}
	if l.timeout == 0 && l.status == nil {
		return false, errors.New("cosim: the experiment has neither SimulationTimeout nor a status function: it would never end")
	}
	for !l.done && (l.timeout == 0 || l.queue[0].t < l.timeout) {
		if err := l.step(ctx); err != nil {
			return false, l.fail(err)
		}
	}
	if !l.done && l.timeout > 0 {
		l.simTime = l.timeout
	}
	return l.done, nil
}

// Reset waits for the running steps, resets every engine, and starts over
// at t = 0 with fresh datapacks (NRP-core's resetLoop).
func (l *Loop) Reset(ctx context.Context) error {
	if err := l.ready(); err != nil {
		return err
	}
	if err := l.waitAll(ctx); err != nil {
		return l.fail(err)
	}
	for _, s := range l.slots {
		c, cancel := l.setupCtx(ctx, s)
		err := s.eng.Reset(c)
		cancel()
		if err != nil {
			return l.fail(l.engineErr(s, "reset", err))
		}
	}
	return l.restart(ctx)
}

func (l *Loop) waitAll(ctx context.Context) error {
	for _, s := range l.slots {
		if !s.running {
			continue
		}
		t, err := l.await(ctx, s)
		if err != nil {
			return err
		}
		s.time = t
	}
	return nil
}

// await waits for the step engine s is running and returns the engine's
// time; s is no longer running afterwards, whatever the outcome.
func (l *Loop) await(ctx context.Context, s *slot) (int64, error) {
	c, cancel := l.cmdCtx(ctx, s)
	t, err := s.eng.RunLoopStepAsyncGet(c)
	cancel()
	s.running = false
	if err != nil {
		return 0, l.engineErr(s, "runLoopStep", err)
	}
	return t, nil
}

// Shutdown waits for the engines' running steps (unless the loop failed)
// and shuts every engine down, even when some fail; it returns their
// errors joined. It may be called after any error, and more than once.
func (l *Loop) Shutdown(ctx context.Context) error {
	if l.state == stateShut {
		return nil
	}
	var errs []error
	if l.state == stateReady {
		if err := l.waitAll(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	for _, s := range l.slots {
		c, cancel := l.setupCtx(ctx, s)
		if err := s.eng.Shutdown(c); err != nil {
			errs = append(errs, l.engineErr(s, "shutdown", err))
		}
		cancel()
		s.running = false
	}
	l.state = stateShut
	return errors.Join(errs...)
}

// Run initializes the loop, runs it until its timeout or its status
// function says done, and shuts every engine down, also when something
// failed; it returns the first error, with the shutdown's errors joined.
func (l *Loop) Run(ctx context.Context) (done bool, err error) {
	if err = l.Initialize(ctx); err == nil {
		done, err = l.RunUntilTimeout(ctx)
	}
	// Shut down even when ctx was cancelled (Ctrl-C): engines' own bounds
	// keep this finite.
	if serr := l.Shutdown(context.WithoutCancel(ctx)); serr != nil {
		err = errors.Join(err, serr)
	}
	return done, err
}
