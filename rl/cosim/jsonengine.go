package cosim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Routes of NRP-core's JSON engine protocol (nrp_json_engine_protocol,
// config/engine_json_config.h, EngineJSONConfigConst; the bodies as
// nrp_client/engine_json_nrp_client.h sends them): each is a POST of a
// JSON body to the engine server; netgym's pipe protocol uses the same
// names as ops.
const (
	RouteInitialize   = "initialize"
	RouteRunLoop      = "run_loop"
	RouteSetDataPacks = "set_datapacks"
	RouteGetDataPacks = "get_datapacks"
	RouteReset        = "reset"
	RouteShutdown     = "shutdown"
)

// ShutdownTimeout bounds an engine's shutdown command (within the
// caller's context), so that shutting down after a failure always ends.
const ShutdownTimeout = 10 * time.Second

// pendingStepGrace is how long Shutdown waits for a step still running
// after a failure before it ends the engine.
const pendingStepGrace = 2 * time.Second

// jsonTransport carries the JSON engine protocol: a request body to a
// route, a JSON reply back.
type jsonTransport interface {
	call(ctx context.Context, route string, body any) (json.RawMessage, error)
	// start sends a request whose reply finish waits for.
	start(route string, body any) error
	finish(ctx context.Context) (json.RawMessage, error)
	// close frees the transport after shutdown (or a failure).
	close(ctx context.Context) error
}

// JSONEngine is an engine that speaks NRP-core's JSON engine protocol:
// datapacks are JSON objects {"engine_name", "type", "data"} keyed by
// name, an empty datapack has no (or null) data, run_loop takes
// {"time_step": ns} and answers {"time": ns}. The transport is either
// netgym's pipe to a Python engine (NewPythonEngine) or HTTP to an engine
// server (NewRESTEngine).
type JSONEngine struct {
	cfg     EngineConfig
	tr      jsonTransport
	init    map[string]any
	pending bool
	closed  bool
}

type jsonDataPackReq struct {
	EngineName string `json:"engine_name"`
	Type       string `json:"type"`
}

type jsonDataPack struct {
	EngineName string          `json:"engine_name"`
	Type       string          `json:"type"`
	Data       json.RawMessage `json:"data,omitempty"`
}

type jsonDataPackOut struct {
	EngineName string `json:"engine_name"`
	Type       string `json:"type"`
	Data       any    `json:"data"`
}

func typeOrJSON(t string) string {
	if t == "" {
		return TypeJSON
	}
	return t
}

// Initialize implements Engine: it sends the engine's configuration.
func (e *JSONEngine) Initialize(ctx context.Context) error {
	_, err := e.tr.call(ctx, RouteInitialize, e.init)
	return err
}

// RunLoopStepAsync implements Engine.
func (e *JSONEngine) RunLoopStepAsync(dt int64) error {
	if e.pending {
		return errors.New("a step is already running")
	}
	if err := e.tr.start(RouteRunLoop, map[string]int64{"time_step": dt}); err != nil {
		return err
	}
	e.pending = true
	return nil
}

// RunLoopStepAsyncGet implements Engine.
func (e *JSONEngine) RunLoopStepAsyncGet(ctx context.Context) (int64, error) {
	if !e.pending {
		return 0, errors.New("no step is running")
	}
	e.pending = false
	raw, err := e.tr.finish(ctx)
	if err != nil {
		return 0, err
	}
	var rep struct {
		Time *int64 `json:"time"`
	}
	if err := json.Unmarshal(raw, &rep); err != nil || rep.Time == nil {
		return 0, fmt.Errorf("malformed run_loop reply %.200s: want {\"time\": ns}", raw)
	}
	return *rep.Time, nil
}

// GetDataPacks implements Engine.
func (e *JSONEngine) GetDataPacks(ctx context.Context, ids []DataPackID, dst []DataPack) ([]DataPack, error) {
	req := make(map[string]jsonDataPackReq, len(ids))
	for _, id := range ids {
		req[id.Name] = jsonDataPackReq{EngineName: e.cfg.EngineName, Type: typeOrJSON(id.Type)}
	}
	raw, err := e.tr.call(ctx, RouteGetDataPacks, req)
	if err != nil {
		return dst, err
	}
	var rep map[string]jsonDataPack
	if err := json.Unmarshal(raw, &rep); err != nil {
		return dst, fmt.Errorf("malformed get_datapacks reply %.200s: %w", raw, err)
	}
	for _, id := range ids {
		dp := DataPack{DataPackID: id}
		if got, ok := rep[id.Name]; ok && len(got.Data) > 0 && string(got.Data) != "null" {
			var data any
			if err := json.Unmarshal(got.Data, &data); err != nil {
				return dst, fmt.Errorf("datapack %q: %w", id.Name, err)
			}
			dp.Data = data
			if got.Type != "" {
				dp.Type = got.Type
			}
		}
		dst = append(dst, dp)
	}
	return dst, nil
}

// SetDataPacks implements Engine.
func (e *JSONEngine) SetDataPacks(ctx context.Context, dps []DataPack) error {
	req := make(map[string]jsonDataPackOut, len(dps))
	for _, dp := range dps {
		data, err := DataToJSON(dp.Data)
		if err != nil {
			return fmt.Errorf("datapack %q: %w", dp.Name, err)
		}
		req[dp.Name] = jsonDataPackOut{EngineName: e.cfg.EngineName, Type: typeOrJSON(dp.Type), Data: data}
	}
	_, err := e.tr.call(ctx, RouteSetDataPacks, req)
	return err
}

// Reset implements Engine.
func (e *JSONEngine) Reset(ctx context.Context) error {
	_, err := e.tr.call(ctx, RouteReset, "reset")
	return err
}

// Shutdown implements Engine: it waits for a running step, sends
// shutdown, and frees the transport (ending the process it started).
func (e *JSONEngine) Shutdown(ctx context.Context) error {
	if e.closed {
		return nil
	}
	e.closed = true
	var err error
	if e.pending { // only after a failure: the loop waits for steps first
		e.pending = false
		c, cancel := context.WithTimeout(ctx, pendingStepGrace)
		_, err = e.tr.finish(c)
		cancel()
	}
	if err == nil {
		c, cancel := context.WithTimeout(ctx, ShutdownTimeout)
		_, err = e.tr.call(c, RouteShutdown, nil)
		cancel()
	}
	if errors.Is(err, ErrEngineGone) || errors.Is(err, ErrEngineTimeout) {
		err = nil // already reported by the command that met it
	}
	return errors.Join(err, e.tr.close(ctx))
}

// pipeTransport carries the JSON engine protocol over a pipeProc.
type pipeTransport struct {
	p *pipeProc
}

type pipeRequest struct {
	Op   string `json:"op"`
	Body any    `json:"body"`
}

func (t *pipeTransport) call(ctx context.Context, route string, body any) (json.RawMessage, error) {
	return t.p.call(ctx, pipeRequest{Op: route, Body: body})
}

func (t *pipeTransport) start(route string, body any) error {
	return t.p.send(context.Background(), pipeRequest{Op: route, Body: body})
}

func (t *pipeTransport) finish(ctx context.Context) (json.RawMessage, error) { return t.p.recv(ctx) }

func (t *pipeTransport) close(context.Context) error {
	t.p.close(2 * time.Second)
	return nil
}
