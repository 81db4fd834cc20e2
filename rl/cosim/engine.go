package cosim

import (
	"context"
	"errors"
)

// Engine is one simulator in a co-simulation, as the loop sees it: the
// commands of NRP-core's engine clients (EngineClientInterface). Every
// engine starts at t = 0 (initialize), is asked to advance by a time step
// (runLoopStepAsync) and waited for (runLoopStepAsyncGet), and exchanges
// datapacks between steps (getDataPacks, setDataPacks); reset puts it back
// at t = 0 and shutdown ends it. Times are int64 nanoseconds.
//
// RunLoopStepAsync only starts a step: an engine in another process gets
// its request and works while the loop serves other engines, and
// RunLoopStepAsyncGet waits for its reply, so that engines due at
// different times run side by side as in NRP-core. An in-process engine
// may do the whole step in either call. The loop calls an engine's methods
// from one goroutine, never two at once.
//
// ctx bounds each call (the loop gives it the engine's
// EngineCommandTimeout); an engine that cannot answer in time returns an
// error wrapping context.DeadlineExceeded or ErrEngineTimeout.
type Engine interface {
	// Initialize prepares the engine at t = 0.
	Initialize(ctx context.Context) error
	// RunLoopStepAsync starts advancing the engine by dt > 0.
	RunLoopStepAsync(dt int64) error
	// RunLoopStepAsyncGet waits for the step started last and returns the
	// engine's time after it.
	RunLoopStepAsyncGet(ctx context.Context) (int64, error)
	// GetDataPacks appends the engine's current datapacks with the given
	// ids to dst, in the order of ids; a datapack the engine cannot give
	// yet is empty (nil Data).
	GetDataPacks(ctx context.Context, ids []DataPackID, dst []DataPack) ([]DataPack, error)
	// SetDataPacks hands datapacks (never empty ones) to the engine.
	SetDataPacks(ctx context.Context, dps []DataPack) error
	// Reset puts the engine back at t = 0.
	Reset(ctx context.Context) error
	// Shutdown ends the engine and frees what it holds (processes,
	// connections). It is called once, also after errors.
	Shutdown(ctx context.Context) error
}

// ErrEngineTimeout reports an engine that did not answer within its
// EngineCommandTimeout.
var ErrEngineTimeout = errors.New("engine did not answer in time")

// ErrEngineGone reports an engine whose process or connection ended.
var ErrEngineGone = errors.New("engine process ended")

// EngineError is an error of one engine command, naming the engine and
// the command (NRP-core's names: initialize, runLoopStep, getDataPacks,
// setDataPacks, reset, shutdown).
type EngineError struct {
	Engine  string
	Command string
	Err     error
}

// Error implements error.
func (e *EngineError) Error() string {
	return "cosim: engine \"" + e.Engine + "\": " + e.Command + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *EngineError) Unwrap() error { return e.Err }
