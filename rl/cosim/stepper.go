package cosim

import (
	"context"
	"errors"
	"fmt"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

// StepperEngine is a netgym simulation as an in-process engine: any
// agentlink.Stepper (an RL scenario through agentlink.ScenarioStepper, the
// Wi-Fi relay of package wifirelay, ...). Its datapacks are the stepper's
// data, by name; their data are spaces values (Go functions get them as
// they are, Python functions and JSON engines as ValueToJSON says), and a
// datapack sent to it may hold a spaces value or JSON, which the datum's
// space converts (ValueFromJSON).
//
// The step runs in RunLoopStepAsync, in the loop's goroutine: an
// in-process engine needs neither a process nor a goroutine. A stepper
// whose episode has ended stays at its end time.
type StepperEngine struct {
	st      agentlink.Stepper
	seed    uint64
	run     uint64
	spaces  map[string]agentlink.DataSpec
	stepErr error
	resetOn bool
}

// NewStepperEngine returns the engine of st. Reset (the loop's, not the
// first initialize) resets st with seed and the next run number.
func NewStepperEngine(st agentlink.Stepper, seed, run uint64) (*StepperEngine, error) {
	if st == nil {
		return nil, errors.New("cosim: NewStepperEngine needs a stepper")
	}
	e := &StepperEngine{st: st, seed: seed, run: run, spaces: map[string]agentlink.DataSpec{}}
	for _, d := range st.Data() {
		e.spaces[d.Name] = d
	}
	return e, nil
}

// Stepper returns the engine's stepper.
func (e *StepperEngine) Stepper() agentlink.Stepper { return e.st }

// Initialize implements Engine: the stepper's first episode is already
// built; a second Initialize resets it.
func (e *StepperEngine) Initialize(context.Context) error {
	if e.resetOn {
		return e.Reset(context.Background())
	}
	e.resetOn = true
	if e.st.Now() != 0 {
		return e.Reset(context.Background())
	}
	return nil
}

// RunLoopStepAsync implements Engine: it advances the stepper by dt.
func (e *StepperEngine) RunLoopStepAsync(dt int64) error {
	if dt < 0 {
		return fmt.Errorf("time step %d ns is negative", dt)
	}
	e.stepErr = nil
	if e.st.Done() {
		return nil
	}
	if err := e.st.Advance(sim.Time(dt)); err != nil && !errors.Is(err, rl.ErrEpisodeDone) {
		e.stepErr = err
	}
	return nil
}

// RunLoopStepAsyncGet implements Engine.
func (e *StepperEngine) RunLoopStepAsyncGet(context.Context) (int64, error) {
	err := e.stepErr
	e.stepErr = nil
	return int64(e.st.Now()), err
}

// GetDataPacks implements Engine; a datum without a value yet is an empty
// datapack.
func (e *StepperEngine) GetDataPacks(_ context.Context, ids []DataPackID, dst []DataPack) ([]DataPack, error) {
	for _, id := range ids {
		v, err := e.st.Get(id.Name)
		if err != nil {
			return dst, err
		}
		dp := DataPack{DataPackID: id}
		if v != nil {
			dp.Data = v
		}
		dst = append(dst, dp)
	}
	return dst, nil
}

// SetDataPacks implements Engine.
func (e *StepperEngine) SetDataPacks(_ context.Context, dps []DataPack) error {
	for _, dp := range dps {
		spec, ok := e.spaces[dp.Name]
		if !ok {
			_, err := e.st.Get(dp.Name) // the stepper's own error lists its data
			if err == nil {
				err = fmt.Errorf("no datum %q", dp.Name)
			}
			return err
		}
		if !spec.Settable {
			return fmt.Errorf("datapack %q is read-only", dp.Name)
		}
		v, err := ValueFromJSON(spec.Space, dp.Data)
		if err != nil {
			return fmt.Errorf("datapack %q: %w", dp.Name, err)
		}
		if err := e.st.Set(dp.Name, v); err != nil {
			return err
		}
	}
	return nil
}

// Reset implements Engine: a fresh episode with the next run number.
func (e *StepperEngine) Reset(context.Context) error {
	e.run++
	e.stepErr = nil
	return e.st.Reset(e.seed, e.run)
}

// Shutdown implements Engine (nothing to free).
func (e *StepperEngine) Shutdown(context.Context) error { return nil }

// DataSpecs returns the stepper's data: the names GetDataPacks and
// SetDataPacks accept.
func (e *StepperEngine) DataSpecs() []agentlink.DataSpec { return e.st.Data() }

// Space returns the space of a datum.
func (e *StepperEngine) Space(name string) (spaces.Space, bool) {
	d, ok := e.spaces[name]
	return d.Space, ok
}
