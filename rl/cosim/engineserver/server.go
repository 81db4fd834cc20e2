// Package engineserver serves a co-simulation engine (a netgym simulation)
// to NRP-core, in both of NRP-core's engine protocols on one listener:
//
//   - JSON over REST (nrp_json_engine_protocol): POST /initialize (the
//     engine's configuration), /run_loop {"time_step": ns} -> {"time": ns},
//     /set_datapacks {name: {"engine_name", "type", "data"}},
//     /get_datapacks {name: {"engine_name", "type"}} -> {name: {"engine_name",
//     "type", "data"}} (no data: an empty datapack), /reset, /shutdown;
//     HTTP/1.1, as NRP-core's REST client speaks it;
//   - gRPC (service EngineGrpc.EngineGrpcService: initialize, shutdown,
//     runLoopStep, setDataPacks, getDataPacks, reset) over HTTP/2 without
//     TLS, its messages written with protowire from the protocol's facts
//     (internal/nrpwire).
//
// Every request is answered, malformed ones with an error (HTTP 400, gRPC
// INVALID_ARGUMENT) that names what is wrong, engine failures with HTTP 500
// or gRPC INTERNAL; the server keeps serving either way. Requests are
// handled one at a time. The engine is made at initialize from the
// configuration NRP-core sends (so its EngineExtraConfigs choose the
// scenario), by the Factory given to New.
package engineserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/netgym/netgym/rl/cosim"
	"github.com/netgym/netgym/rl/cosim/internal/nrpwire"
)

// Factory makes the engine of a configuration.
type Factory func(cfg cosim.EngineConfig) (cosim.Engine, error)

// Server serves one engine. It is an http.Handler; Serve runs it on a
// listener with HTTP/1.1 and unencrypted HTTP/2.
type Server struct {
	name    string
	factory Factory

	mu       sync.Mutex
	eng      cosim.Engine
	done     chan struct{}
	doneOnce sync.Once
}

// maxBody bounds a request body.
const maxBody = 64 << 20

// New returns the server of engine name (the --engine flag; the name in
// its replies), making the engine with f at initialize.
func New(name string, f Factory) *Server {
	return &Server{name: name, factory: f, done: make(chan struct{})}
}

// Done is closed once the server has handled shutdown.
func (s *Server) Done() <-chan struct{} { return s.done }

// ServeHTTP implements http.Handler: gRPC requests (HTTP/2,
// application/grpc) go to the gRPC service, the others to the REST routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ProtoMajor == 2 && strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc") {
		s.serveGRPC(w, r)
		return
	}
	s.serveREST(w, r)
}

// errBadRequest marks errors of the request, not of the engine.
var errBadRequest = errors.New("bad request")

func badRequest(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errBadRequest, fmt.Sprintf(format, a...))
}

func (s *Server) needEngine() (cosim.Engine, error) {
	if s.eng == nil {
		return nil, errors.New("the engine is not initialized (POST /initialize first)")
	}
	return s.eng, nil
}

func (s *Server) initialize(ctx context.Context, cfg cosim.EngineConfig) error {
	if cfg.EngineName == "" {
		cfg.EngineName = s.name
	}
	if s.eng != nil {
		_ = s.eng.Shutdown(ctx)
		s.eng = nil
	}
	e, err := s.factory(cfg)
	if err != nil {
		return err
	}
	if err := e.Initialize(ctx); err != nil {
		_ = e.Shutdown(ctx)
		return err
	}
	s.eng = e
	return nil
}

func (s *Server) runLoop(ctx context.Context, dt int64) (int64, error) {
	e, err := s.needEngine()
	if err != nil {
		return 0, err
	}
	if dt < 0 {
		return 0, badRequest("time_step %d must not be negative", dt)
	}
	if err := e.RunLoopStepAsync(dt); err != nil {
		return 0, err
	}
	return e.RunLoopStepAsyncGet(ctx)
}

func (s *Server) reset(ctx context.Context) error {
	e, err := s.needEngine()
	if err != nil {
		return err
	}
	return e.Reset(ctx)
}

func (s *Server) shutdown(ctx context.Context) error {
	var err error
	if s.eng != nil {
		err = s.eng.Shutdown(ctx)
		s.eng = nil
	}
	s.doneOnce.Do(func() { close(s.done) })
	return err
}

// ---- JSON over REST ----

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code, b = http.StatusInternalServerError, []byte(strconv.Quote("encoding the reply: "+err.Error()))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}

func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	// NRP-core's client posts to "address//route": any number of slashes.
	route := strings.Trim(r.URL.Path, "/")
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, "engine routes take POST")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, "reading the body: "+err.Error())
		return
	}
	if len(body) > maxBody {
		writeJSON(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body exceeds %d bytes", maxBody))
		return
	}
	var req any
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			writeJSON(w, http.StatusBadRequest, fmt.Sprintf("%s: the body is not JSON: %v", route, err))
			return
		}
	}
	s.mu.Lock()
	reply, err := s.rest(r.Context(), route, body, req)
	s.mu.Unlock()
	switch {
	case errors.Is(err, errRoute):
		writeJSON(w, http.StatusNotFound, err.Error())
	case errors.Is(err, errBadRequest):
		writeJSON(w, http.StatusBadRequest, route+": "+err.Error())
	case err != nil:
		writeJSON(w, http.StatusInternalServerError, route+": "+err.Error())
	default:
		writeJSON(w, http.StatusOK, reply)
	}
}

var errRoute = errors.New("no such route")

func (s *Server) rest(ctx context.Context, route string, raw []byte, req any) (any, error) {
	switch route {
	case cosim.RouteInitialize:
		obj, ok := req.(map[string]any)
		if !ok {
			return nil, badRequest("the body must be the engine's configuration (a JSON object)")
		}
		var cfg cosim.EngineConfig
		if err := json.Unmarshal(raw, &cfg); err != nil {
			return nil, badRequest("engine configuration: %v", err)
		}
		cfg.Raw = obj
		return map[string]any{}, s.initialize(ctx, cfg)
	case cosim.RouteRunLoop:
		obj, _ := req.(map[string]any)
		v, ok := obj["time_step"]
		f, isNum := v.(float64)
		if !ok || !isNum || f != float64(int64(f)) {
			return nil, badRequest(`the body must be {"time_step": nanoseconds (an integer)}`)
		}
		t, err := s.runLoop(ctx, int64(f))
		if err != nil {
			return nil, err
		}
		return map[string]int64{"time": t}, nil
	case cosim.RouteSetDataPacks:
		return map[string]any{}, s.setJSON(ctx, req)
	case cosim.RouteGetDataPacks:
		return s.getJSON(ctx, req)
	case cosim.RouteReset:
		return map[string]any{}, s.reset(ctx)
	case cosim.RouteShutdown:
		return map[string]any{}, s.shutdown(ctx)
	}
	return nil, fmt.Errorf("%w %q (routes: /initialize, /run_loop, /set_datapacks, /get_datapacks, /reset, /shutdown)", errRoute, "/"+route)
}

func (s *Server) setJSON(ctx context.Context, req any) error {
	e, err := s.needEngine()
	if err != nil {
		return err
	}
	if req == nil {
		return nil
	}
	obj, ok := req.(map[string]any)
	if !ok {
		return badRequest(`the body must be {name: {"engine_name", "type", "data"}, ...}`)
	}
	names := sortedKeys(obj)
	dps := make([]cosim.DataPack, 0, len(obj))
	for _, name := range names {
		dp, ok := obj[name].(map[string]any)
		if !ok {
			return badRequest("datapack %q must be an object with engine_name, type and data", name)
		}
		data, ok := dp["data"]
		if !ok || data == nil {
			return badRequest("datapack %q has no data (empty datapacks cannot be set)", name)
		}
		typ, _ := dp["type"].(string)
		dps = append(dps, cosim.DataPack{DataPackID: cosim.DataPackID{Name: name, Engine: s.name, Type: typ}, Data: data})
	}
	return e.SetDataPacks(ctx, dps)
}

func (s *Server) getJSON(ctx context.Context, req any) (any, error) {
	e, err := s.needEngine()
	if err != nil {
		return nil, err
	}
	if req == nil {
		return map[string]any{}, nil
	}
	obj, ok := req.(map[string]any)
	if !ok {
		return nil, badRequest(`the body must be {name: {"engine_name", "type"}, ...}`)
	}
	names := sortedKeys(obj)
	ids := make([]cosim.DataPackID, len(names))
	for i, name := range names {
		typ := cosim.TypeJSON
		if m, ok := obj[name].(map[string]any); ok {
			if t, ok := m["type"].(string); ok && t != "" {
				typ = t
			}
		}
		ids[i] = cosim.DataPackID{Name: name, Engine: s.name, Type: typ}
	}
	got, err := e.GetDataPacks(ctx, ids, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(got))
	for i, dp := range got {
		m := map[string]any{"engine_name": s.name, "type": ids[i].Type}
		if !dp.IsEmpty() {
			data, err := cosim.DataToJSON(dp.Data)
			if err != nil {
				return nil, fmt.Errorf("datapack %q: %w", dp.Name, err)
			}
			m["data"] = data
		}
		out[ids[i].Name] = m
	}
	return out, nil
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	// sorted for determinism: JSON objects have no order
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// ---- gRPC ----

// gRPC status codes.
const (
	codeOK              = 0
	codeInvalidArgument = 3
	codeUnimplemented   = 12
	codeInternal        = 13
)

func (s *Server) serveGRPC(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/grpc")
	w.Header().Set("Trailer", "Grpc-Status, Grpc-Message")
	method, ok := strings.CutPrefix(r.URL.Path, "/"+nrpwire.Service+"/")
	if !ok || r.Method != http.MethodPost {
		grpcStatus(w, codeUnimplemented, fmt.Sprintf("unknown method %s (service %s)", r.URL.Path, nrpwire.Service))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+5))
	if err == nil {
		body, err = cosim.GRPCUnframe(body)
	}
	if err != nil {
		grpcStatus(w, codeInvalidArgument, method+": "+err.Error())
		return
	}
	s.mu.Lock()
	reply, err := s.grpc(r.Context(), method, body)
	s.mu.Unlock()
	switch {
	case errors.Is(err, errRoute):
		grpcStatus(w, codeUnimplemented, err.Error())
	case errors.Is(err, errBadRequest), errors.Is(err, nrpwire.ErrMalformed):
		grpcStatus(w, codeInvalidArgument, method+": "+err.Error())
	case err != nil:
		grpcStatus(w, codeInternal, method+": "+err.Error())
	default:
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(cosim.GRPCFrame(reply))
		w.Header().Set("Grpc-Status", "0")
	}
}

func grpcStatus(w http.ResponseWriter, code int, msg string) {
	w.WriteHeader(http.StatusOK)
	w.Header().Set("Grpc-Status", strconv.Itoa(code))
	w.Header().Set("Grpc-Message", grpcEscape(msg))
}

// grpcEscape percent-encodes a grpc-message (gRPC over HTTP/2: printable
// ASCII except '%' stays as is).
func grpcEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c <= 0x7e && c != '%' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func (s *Server) grpc(ctx context.Context, method string, msg []byte) ([]byte, error) {
	switch method {
	case nrpwire.MethodInitialize:
		text, err := nrpwire.DecodeJSON(msg)
		if err != nil {
			return nil, err
		}
		var cfg cosim.EngineConfig
		var raw map[string]any
		if strings.TrimSpace(text) != "" {
			if err := json.Unmarshal([]byte(text), &raw); err != nil {
				return nil, badRequest("InitializeRequest.json is not a JSON object: %v", err)
			}
			if err := json.Unmarshal([]byte(text), &cfg); err != nil {
				return nil, badRequest("engine configuration: %v", err)
			}
		}
		cfg.Raw = raw
		return nrpwire.EncodeJSON("{}"), s.initialize(ctx, cfg)
	case nrpwire.MethodRunLoopStep:
		dt, err := nrpwire.DecodeInt64(msg)
		if err != nil {
			return nil, err
		}
		t, err := s.runLoop(ctx, dt)
		if err != nil {
			return nil, err
		}
		return nrpwire.EncodeInt64(t), nil
	case nrpwire.MethodSetDataPacks:
		msgs, err := nrpwire.DecodeDataPacks(msg)
		if err != nil {
			return nil, err
		}
		e, err := s.needEngine()
		if err != nil {
			return nil, err
		}
		dps := make([]cosim.DataPack, len(msgs))
		for i, m := range msgs {
			if m.Data == nil {
				return nil, badRequest("datapack %q has no data (empty datapacks cannot be set)", m.ID.Name)
			}
			data, err := nrpwire.UnpackData(m.Data)
			if err != nil {
				return nil, badRequest("datapack %q: %v", m.ID.Name, err)
			}
			dps[i] = cosim.DataPack{DataPackID: cosim.DataPackID{Name: m.ID.Name, Engine: s.name, Type: m.ID.Type}, Data: data}
		}
		return nil, e.SetDataPacks(ctx, dps)
	case nrpwire.MethodGetDataPacks:
		reqIDs, err := nrpwire.DecodeIDs(msg)
		if err != nil {
			return nil, err
		}
		e, err := s.needEngine()
		if err != nil {
			return nil, err
		}
		ids := make([]cosim.DataPackID, len(reqIDs))
		for i, id := range reqIDs {
			ids[i] = cosim.DataPackID{Name: id.Name, Engine: s.name, Type: id.Type}
		}
		got, err := e.GetDataPacks(ctx, ids, nil)
		if err != nil {
			return nil, err
		}
		out := make([]nrpwire.DataPackMessage, len(got))
		for i, dp := range got {
			out[i].ID = nrpwire.DataPackID{Name: dp.Name, Engine: s.name}
			if !dp.IsEmpty() {
				a, typ, err := nrpwire.PackData(dp.Data, cosim.ValueToJSON)
				if err != nil {
					return nil, fmt.Errorf("datapack %q: %w", dp.Name, err)
				}
				out[i].Data, out[i].ID.Type = a, typ
			}
		}
		return nrpwire.EncodeDataPacks(out), nil
	case nrpwire.MethodReset:
		return nrpwire.EncodeJSON("{}"), s.reset(ctx)
	case nrpwire.MethodShutdown:
		return nrpwire.EncodeJSON("{}"), s.shutdown(ctx)
	}
	return nil, fmt.Errorf("%w: method %q of %s", errRoute, method, nrpwire.Service)
}

// ---- listening and registration ----

// MaxBindTries is how many ports Listen tries, from the one asked for up
// (NRP-core's EngineJSONConfigConst::MaxAddrBindTries).
const MaxBindTries = 1024

// Listen binds addr ("host:port"); if the port is taken, it tries the
// next ones, as NRP-core's engine servers do. Port 0 takes any free port.
func Listen(addr string) (net.Listener, error) {
	addr = strings.TrimPrefix(addr, "http://")
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("engineserver: server address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return nil, fmt.Errorf("engineserver: server address %q: port must be a number in [0, 65535]", addr)
	}
	var first error
	for i := 0; i < MaxBindTries && port+i <= 65535; i++ {
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port+i)))
		if err == nil {
			return ln, nil
		}
		if first == nil {
			first = err
		}
		if port == 0 {
			break
		}
	}
	return nil, fmt.Errorf("engineserver: %w", first)
}

// Serve serves s on ln (HTTP/1.1 and unencrypted HTTP/2) until the server
// has handled shutdown or ctx ends; it then stops listening.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	p := new(http.Protocols)
	p.SetHTTP1(true)
	p.SetUnencryptedHTTP2(true)
	hs := &http.Server{Handler: s, Protocols: p, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-s.done:
		// Let the shutdown reply go out, then drop idle connections.
		c, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		_ = hs.Shutdown(c)
	case <-ctx.Done():
	}
	return hs.Close()
}

// Register tells NRP-core's registration server at regURL ("host:port")
// where engine name listens, as NRP-core's engine servers do: a POST of
// {"engine_name", "address"}, tried up to tries times, wait apart.
func Register(ctx context.Context, regURL, name, address string, tries int, wait time.Duration) error {
	body, err := json.Marshal(map[string]string{"engine_name": name, "address": address})
	if err != nil {
		return err
	}
	url := regURL
	if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
		url = "http://" + url
	}
	var last error
	for i := 0; i < max(tries, 1); i++ {
		if i > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			last = err
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return nil
		}
		last = fmt.Errorf("registration server answered %s", resp.Status)
	}
	return fmt.Errorf("engineserver: registering %q at %s: %w", name, regURL, last)
}
