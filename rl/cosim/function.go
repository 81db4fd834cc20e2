package cosim

import (
	"context"
	"fmt"
)

// FunctionKind says what a datapack processing function is.
type FunctionKind uint8

// Kinds of functions (NRP-core's decorators).
const (
	// Transceiver functions (@TransceiverFunction("engine")) run when
	// their engine is synchronized; their datapacks go to their engines
	// if and only if those are synchronized in the same step.
	Transceiver FunctionKind = iota
	// Preprocessing functions (@PreprocessingFunction("engine")) run
	// before the transceiver functions when their engine is synchronized,
	// read only that engine's datapacks, and their datapacks stay in the
	// loop's cache for PreprocessedDataPack inputs.
	Preprocessing
	// Status functions (@StatusFunction()) run once every loop step,
	// after the transceiver functions, and say whether the experiment is
	// done.
	Status
)

// String returns NRP-core's decorator name.
func (k FunctionKind) String() string {
	switch k {
	case Transceiver:
		return "TransceiverFunction"
	case Preprocessing:
		return "PreprocessingFunction"
	case Status:
		return "StatusFunction"
	}
	return fmt.Sprintf("FunctionKind(%d)", uint8(k))
}

// Input is an input datapack of a function: @EngineDataPack(keyword, id)
// fetches it from its engine, @PreprocessedDataPack(keyword, id)
// (Preprocessed) takes it from the output of preprocessing functions.
type Input struct {
	Keyword      string
	ID           DataPackID
	Preprocessed bool
}

// FunctionSpec describes a function to the loop.
type FunctionSpec struct {
	Name   string
	Kind   FunctionKind
	Engine string // linked engine; empty for a status function
	Inputs []Input
}

// StepInfo is what a function may know of the loop: the simulation time
// in nanoseconds and the iteration (NRP-core's getSimulationTime and
// getSimulationIteration).
type StepInfo struct {
	Time      int64
	Iteration uint64
}

// Result is what a function returns: datapacks (for a transceiver
// function, to send; for a preprocessing function, to cache), and for a
// status function the done flag and its observations (NRP-core's RawData
// list, here JSON values).
type Result struct {
	DataPacks    []DataPack
	Done         bool
	Observations []any
}

// Function is a datapack processing function. in holds the inputs in the
// order of Spec().Inputs (possibly empty datapacks); the loop owns in and
// may reuse it after Call returns.
type Function interface {
	Spec() FunctionSpec
	Call(ctx context.Context, info StepInfo, in []DataPack) (Result, error)
}

// GoFunction is a function written in Go, run in the loop's goroutine
// without conversion of its datapacks: the fastest kind.
type GoFunction struct {
	FunctionSpec
	Fn func(info StepInfo, in []DataPack) (Result, error)
}

// Spec implements Function.
func (f *GoFunction) Spec() FunctionSpec { return f.FunctionSpec }

// Call implements Function.
func (f *GoFunction) Call(_ context.Context, info StepInfo, in []DataPack) (Result, error) {
	return f.Fn(info, in)
}

// NewTransceiverFunction returns a Go transceiver function linked to
// engine, reading inputs.
func NewTransceiverFunction(name, engine string, inputs []Input, fn func(StepInfo, []DataPack) ([]DataPack, error)) *GoFunction {
	return &GoFunction{
		FunctionSpec: FunctionSpec{Name: name, Kind: Transceiver, Engine: engine, Inputs: inputs},
		Fn: func(info StepInfo, in []DataPack) (Result, error) {
			out, err := fn(info, in)
			return Result{DataPacks: out}, err
		},
	}
}

// NewPreprocessingFunction returns a Go preprocessing function linked to
// engine; its inputs must come from engine.
func NewPreprocessingFunction(name, engine string, inputs []Input, fn func(StepInfo, []DataPack) ([]DataPack, error)) *GoFunction {
	f := NewTransceiverFunction(name, engine, inputs, fn)
	f.Kind = Preprocessing
	return f
}

// NewStatusFunction returns a Go status function.
func NewStatusFunction(name string, inputs []Input, fn func(StepInfo, []DataPack) (done bool, observations []any, err error)) *GoFunction {
	return &GoFunction{
		FunctionSpec: FunctionSpec{Name: name, Kind: Status, Inputs: inputs},
		Fn: func(info StepInfo, in []DataPack) (Result, error) {
			done, obs, err := fn(info, in)
			return Result{Done: done, Observations: obs}, err
		},
	}
}

// EngineDataPack is the input of datapack name from engine under keyword
// (NRP-core's @EngineDataPack(keyword, DataPackIdentifier(name, engine))).
func EngineDataPack(keyword, name, engine string) Input {
	return Input{Keyword: keyword, ID: DataPackID{Name: name, Engine: engine}}
}

// PreprocessedDataPack is the input of datapack name produced by a
// preprocessing function of engine (NRP-core's @PreprocessedDataPack).
func PreprocessedDataPack(keyword, name, engine string) Input {
	return Input{Keyword: keyword, ID: DataPackID{Name: name, Engine: engine}, Preprocessed: true}
}
