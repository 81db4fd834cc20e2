package engineserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/cosim"
	"github.com/netgym/netgym/rl/cosim/engineserver"
	"github.com/netgym/netgym/rl/cosim/internal/nrpwire"
	"github.com/netgym/netgym/rl/cosim/netgymengine"
)

func factory(cfg cosim.EngineConfig) (cosim.Engine, error) { return netgymengine.New(cfg) }

// start serves a netgym engine on a free loopback port.
func start(t *testing.T) (*engineserver.Server, string) {
	t.Helper()
	s := engineserver.New("net", factory)
	ln, err := engineserver.Listen("127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = s.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return s, ln.Addr().String()
}

func post(t *testing.T, addr, path, body string) (int, string) {
	t.Helper()
	resp, err := http.Post("http://"+addr+path, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

const relayConfig = `{"EngineName": "net", "EngineType": "python_json", "PythonFileName": "unused.py",
	"EngineExtraConfigs": {"Scenario": "wifi-relay", "Distance": 10}, "TimeRatio": [1, 1000000000]}`

// NRP-core's REST client, request by request (its double slash included):
// a value set on the uplink arrives after a step.
func TestRESTProtocol(t *testing.T) {
	_, addr := start(t)
	for _, step := range []struct{ path, body, want string }{
		{"//initialize", relayConfig, `{}`},
		{"//get_datapacks", `{"uplink/out": {"engine_name": "net", "type": "N8nlohmann10basic_jsonE"}}`,
			`{"uplink/out":{"engine_name":"net","type":"N8nlohmann10basic_jsonE"}}`}, // empty at t = 0
		{"//set_datapacks", `{"uplink/in": {"engine_name": "net", "type": "json", "data": [0.1, 0.2, 0.3, 0.4]}}`, `{}`},
		{"//run_loop", `{"time_step": 10000000}`, `{"time":10000000}`},
		{"//get_datapacks", `{"uplink/out": {"engine_name": "net", "type": "json"}, "uplink/received": {"engine_name": "net", "type": "json"}}`,
			`{"uplink/out":{"data":[0.1,0.2,0.3,0.4],"engine_name":"net","type":"json"},"uplink/received":{"data":[1],"engine_name":"net","type":"json"}}`},
		{"/reset", `"reset"`, `{}`},
		{"/run_loop", `{"time_step": 5000000}`, `{"time":5000000}`},
		{"/shutdown", `null`, `{}`},
	} {
		code, body := post(t, addr, step.path, step.body)
		require.Equal(t, http.StatusOK, code, "%s: %s", step.path, body)
		require.JSONEq(t, step.want, body, step.path)
	}
}

// Malformed requests get an error reply naming the problem; the server
// keeps serving.
func TestRESTMalformed(t *testing.T) {
	_, addr := start(t)
	for _, tc := range []struct {
		path, body string
		code       int
		want       string
	}{
		{"/run_loop", `{"time_step": 1}`, 500, "run_loop: the engine is not initialized (POST /initialize first)"},
		{"/initialize", `{"EngineName": `, 400, "initialize: the body is not JSON: unexpected end of JSON input"},
		{"/initialize", `[1, 2]`, 400, "initialize: bad request: the body must be the engine's configuration (a JSON object)"},
		{"/initialize", `{"EngineExtraConfigs": {"Scenario": "moon-link"}}`, 500,
			`initialize: netgymengine: engine "net": unknown scenario "moon-link" (scenarios: rl-wifi, wifi-relay)`},
		{"/initialize", `{"EngineExtraConfigs": {"Distnace": 3}}`, 500,
			`initialize: netgymengine: engine "net", scenario "wifi-relay": EngineExtraConfigs: json: unknown field "Distnace"`},
		{"/initialize", relayConfig, 200, "{}"},
		{"/run_loop", `{"time_step": "soon"}`, 400, `run_loop: bad request: the body must be {"time_step": nanoseconds (an integer)}`},
		{"/run_loop", `{"time_step": -5}`, 400, "run_loop: bad request: time_step -5 must not be negative"},
		{"/set_datapacks", `{"uplink/in": {"engine_name": "net", "type": "json"}}`, 400,
			`set_datapacks: bad request: datapack "uplink/in" has no data (empty datapacks cannot be set)`},
		{"/set_datapacks", `{"uplink/in": {"data": [1, 2]}}`, 500,
			`set_datapacks: datapack "uplink/in": cosim: 2 elements for Box(-Inf, +Inf, [4], float64), which holds 4`},
		{"/set_datapacks", `{"uplink/out": {"data": [1, 2, 3, 4]}}`, 500, `set_datapacks: datapack "uplink/out" is read-only`},
		{"/get_datapacks", `{"nope": {}}`, 500, `get_datapacks: wifirelay: no datum "nope" (data: uplink/in, uplink/out, uplink/sent, uplink/received, uplink/latency_s, downlink/in, downlink/out, downlink/sent, downlink/received, downlink/latency_s)`},
		{"/get_datapacks", `"everything"`, 400, `get_datapacks: bad request: the body must be {name: {"engine_name", "type"}, ...}`},
		{"/teleport", `{}`, 404, `no such route "/teleport" (routes: /initialize, /run_loop, /set_datapacks, /get_datapacks, /reset, /shutdown)`},
		{"/run_loop", `{"time_step": 1000000}`, 200, `{"time":1000000}`}, // still alive
	} {
		code, body := post(t, addr, tc.path, tc.body)
		require.Equal(t, tc.code, code, "%s %s: %s", tc.path, tc.body, body)
		if code == 200 {
			require.JSONEq(t, tc.want, body)
			continue
		}
		var msg string
		require.NoError(t, json.Unmarshal([]byte(body), &msg), body)
		require.Equal(t, tc.want, msg)
	}
	resp, err := http.Get("http://" + addr + "/run_loop")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

// A loop drives the engine server through netgym's REST and gRPC clients:
// the same relay, the same values, whichever protocol.
func TestLoopThroughServer(t *testing.T) {
	for _, proto := range []string{"json", "grpc"} {
		t.Run(proto, func(t *testing.T) {
			s, addr := start(t)
			ts := 0.005
			cfg := cosim.EngineConfig{EngineName: "net", EngineType: proto, EngineTimestep: &ts, ServerAddress: addr,
				EngineExtraConfigs:  map[string]any{"Scenario": "wifi-relay", "Distance": 10.0},
				EngineLaunchCommand: &cosim.LaunchCommand{LaunchType: cosim.LaunchEmpty}}
			e, err := netgymengine.NewRegistry().New(context.Background(), cfg, cosim.FactoryEnv{})
			require.NoError(t, err)
			var got []any
			send := cosim.NewTransceiverFunction("send", "net", []cosim.Input{cosim.EngineDataPack("out", "uplink/out", "net")},
				func(info cosim.StepInfo, in []cosim.DataPack) ([]cosim.DataPack, error) {
					got = append(got, in[0].Data)
					x := float64(info.Iteration)
					return []cosim.DataPack{{DataPackID: cosim.DataPackID{Name: "uplink/in", Engine: "net"}, Data: []any{x, x, x, x}}}, nil
				})
			l, err := cosim.NewLoop(cosim.LoopConfig{Timeout: 20_000_000}, []cosim.LoopEngine{{Config: cfg, Engine: e}}, []cosim.Function{send})
			require.NoError(t, err)
			_, err = l.Run(context.Background())
			require.NoError(t, err)
			require.Equal(t, []any{nil, []any{0.0, 0.0, 0.0, 0.0}, []any{1.0, 1.0, 1.0, 1.0}, []any{2.0, 2.0, 2.0, 2.0}}, got)
			<-s.Done() // the loop's shutdown reached the server
		})
	}
}

// gRPC requests that are not EngineGrpc messages get INVALID_ARGUMENT or
// UNIMPLEMENTED; the server keeps serving.
func TestGRPCMalformed(t *testing.T) {
	_, addr := start(t)
	p := new(http.Protocols)
	p.SetUnencryptedHTTP2(true)
	c := &http.Client{Transport: &http.Transport{Protocols: p}}
	call := func(method string, body []byte) (string, string) {
		req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/"+method, bytes.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/grpc")
		resp, err := c.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		_, _ = io.ReadAll(resp.Body)
		require.Equal(t, 200, resp.StatusCode)
		return resp.Trailer.Get("Grpc-Status"), resp.Trailer.Get("Grpc-Message")
	}
	svc := "EngineGrpc.EngineGrpcService/"
	init := cosim.GRPCFrame(nrpwire.EncodeJSON(relayConfig))
	for _, tc := range []struct {
		method     string
		body       []byte
		code, want string
	}{
		{svc + "initialize", []byte{0, 0, 0}, "3", "initialize: gRPC body of 3 bytes is shorter than a frame header"},
		{svc + "initialize", cosim.GRPCFrame([]byte{0x0a, 0x05, '{'}), "3", "initialize: malformed protobuf message: field 1: unexpected EOF"},
		{svc + "initialize", cosim.GRPCFrame([]byte{0x0a, 0x01, '['}), "3", "initialize: bad request: InitializeRequest.json is not a JSON object: unexpected end of JSON input"},
		{svc + "initialize", init, "0", ""},
		{svc + "runLoopStep", cosim.GRPCFrame([]byte{0x0a, 0x01, 0x02}), "3", "runLoopStep: malformed protobuf message: field 1 has wire type 2, want 0"},
		{svc + "runLoopStep", []byte{1, 0, 0, 0, 0}, "3", "runLoopStep: compressed gRPC messages (flag 1) are not supported"},
		{svc + "setDataPacks", cosim.GRPCFrame([]byte{0x0a, 0x02, 0x0a, 0x00}), "3", `setDataPacks: bad request: datapack "" has no data (empty datapacks cannot be set)`},
		{svc + "teleport", cosim.GRPCFrame(nil), "12", "no such route: method \"teleport\" of EngineGrpc.EngineGrpcService"},
		{"Other.Service/run", cosim.GRPCFrame(nil), "12", "unknown method /Other.Service/run (service EngineGrpc.EngineGrpcService)"},
		{svc + "runLoopStep", cosim.GRPCFrame([]byte{0x08, 0x80, 0x89, 0x7a}), "0", ""}, // 2 ms: still alive
	} {
		code, msg := call(tc.method, tc.body)
		require.Equal(t, tc.code, code, "%s: %s", tc.method, msg)
		require.Equal(t, tc.want, msg, tc.method)
	}
}

func TestListenNextPort(t *testing.T) {
	ln, err := engineserver.Listen("127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	ln2, err := engineserver.Listen(ln.Addr().String())
	require.NoError(t, err, "a taken port moves to the next")
	defer ln2.Close()
	require.Greater(t, ln2.Addr().(*net.TCPAddr).Port, port)
	_, err = engineserver.Listen("localhost")
	require.ErrorContains(t, err, `engineserver: server address "localhost": address localhost: missing port in address`)
}
