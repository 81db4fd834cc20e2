package cosim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Defaults of NRP-core's JSON engines (engine_comm_protocols.json).
const (
	DefaultJSONServerAddress   = "localhost:9002"
	DefaultRegistrationAddress = "localhost:9001"
	DefaultGRPCServerAddress   = "localhost:9004"
	registrationWait           = 20 * time.Second
	maxJSONReply               = 64 << 20
)

// NewRESTEngine returns an engine server spoken to in NRP-core's JSON/REST
// protocol: POST http://ServerAddress/<route> with a JSON body. If
// EngineProcCmd is set and the launch command is not EmptyLaunchCommand,
// it first starts `EngineProcCmd EngineProcStartParams... --engine=NAME
// --serverurl=ServerAddress --regservurl=REG` (NRP-core's launch), serves
// the registration at RegistrationServerAddress and waits up to 20 s for
// the engine to register its address ({"engine_name", "address"}).
func NewRESTEngine(ctx context.Context, cfg EngineConfig) (*JSONEngine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	addr := cfg.ServerAddress
	if addr == "" {
		addr = DefaultJSONServerAddress
	}
	tr := &restTransport{client: &http.Client{}, name: cfg.EngineName}
	tr.ctx, tr.cancel = context.WithCancel(context.Background())
	if cfg.EngineProcCmd != "" && !cfg.Attach() {
		reg := cfg.RegistrationServerAddress
		if reg == "" {
			reg = DefaultRegistrationAddress
		}
		got, err := tr.launch(ctx, cfg, addr, reg)
		if err != nil {
			tr.cancel()
			return nil, &EngineError{Engine: cfg.EngineName, Command: "launch", Err: err}
		}
		addr = got
	}
	tr.base = "http://" + strings.TrimPrefix(addr, "http://")
	init := cfg.RawConfig()
	init["EngineName"] = cfg.EngineName
	init["TimeRatio"] = []int64{1, 1_000_000_000}
	return &JSONEngine{cfg: cfg, tr: tr, init: init}, nil
}

type restResult struct {
	raw json.RawMessage
	err error
}

type restTransport struct {
	client  *http.Client
	base    string
	name    string
	proc    *pipeLaunched
	pending chan restResult
	ctx     context.Context // ends with the transport
	cancel  context.CancelFunc
}

// pipeLaunched is an engine process started by the loop.
type pipeLaunched struct {
	cmd    *exec.Cmd
	tail   *tailWriter
	exited chan struct{}
}

func (t *restTransport) launch(ctx context.Context, cfg EngineConfig, addr, reg string) (string, error) {
	ln, err := net.Listen("tcp", reg)
	if err != nil { // NRP-core too falls back to a free port
		host, _, _ := net.SplitHostPort(reg)
		if ln, err = net.Listen("tcp", net.JoinHostPort(host, "0")); err != nil {
			return "", fmt.Errorf("registration server: %w", err)
		}
	}
	defer ln.Close()
	registered := make(chan string, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			EngineName string `json:"engine_name"`
			Address    string `json:"address"`
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err := json.Unmarshal(body, &req); err != nil || req.Address == "" {
			http.Error(w, "registration needs {\"engine_name\", \"address\"}", http.StatusBadRequest)
			return
		}
		if req.EngineName != cfg.EngineName {
			http.Error(w, "unknown engine "+req.EngineName, http.StatusBadRequest)
			return
		}
		select {
		case registered <- req.Address:
		default:
		}
	}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	args := append([]string(nil), cfg.EngineProcStartParams...)
	args = append(args, "--engine="+cfg.EngineName, "--serverurl="+addr, "--regservurl="+ln.Addr().String())
	cmd := exec.Command(cfg.EngineProcCmd, args...)
	cmd.Env = append(os.Environ(), cfg.EngineEnvParams...)
	tail := &tailWriter{w: os.Stderr}
	cmd.Stdout, cmd.Stderr = tail, tail
	if err := cmd.Start(); err != nil {
		return "", err
	}
	p := &pipeLaunched{cmd: cmd, tail: tail, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	t.proc = p
	wait := time.NewTimer(registrationWait)
	defer wait.Stop()
	select {
	case a := <-registered:
		return a, nil
	case <-p.exited:
		return "", fmt.Errorf("%w before registering (%s); its last output:\n%s", ErrEngineGone, cmd.ProcessState, tail.String())
	case <-wait.C:
		t.kill()
		return "", fmt.Errorf("%w: no registration at %s within %v", ErrEngineTimeout, ln.Addr(), registrationWait)
	case <-ctx.Done():
		t.kill()
		return "", ctx.Err()
	}
}

func (t *restTransport) kill() {
	if t.proc == nil {
		return
	}
	_ = t.proc.cmd.Process.Kill()
	<-t.proc.exited
}

func (t *restTransport) call(ctx context.Context, route string, body any) (json.RawMessage, error) {
	if t.pending != nil {
		return nil, errors.New("a step is still running")
	}
	return t.do(ctx, route, body)
}

// do posts one request; the step goroutine calls it too, so it only reads
// the transport's fields.
func (t *restTransport) do(ctx context.Context, route string, body any) (json.RawMessage, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.base+"/"+route, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := t.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w: %v", ErrEngineTimeout, err)
		}
		if t.proc != nil {
			select {
			case <-t.proc.exited:
				return nil, fmt.Errorf("%w: %v; its last output:\n%s", ErrEngineGone, err, t.proc.tail.String())
			default:
			}
		}
		return nil, err
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONReply))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %s: %s", route, resp.Status, strings.TrimSpace(string(reply)))
	}
	if len(bytes.TrimSpace(reply)) == 0 {
		reply = []byte("null")
	}
	return reply, nil
}

func (t *restTransport) start(route string, body any) error {
	if t.pending != nil {
		return errors.New("a step is still running")
	}
	ch := make(chan restResult, 1)
	go func() {
		raw, err := t.do(t.ctx, route, body)
		ch <- restResult{raw, err}
	}()
	t.pending = ch
	return nil
}

func (t *restTransport) finish(ctx context.Context) (json.RawMessage, error) {
	ch := t.pending
	if ch == nil {
		return nil, errors.New("no step is running")
	}
	select {
	case r := <-ch:
		t.pending = nil
		return r.raw, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %v", ErrEngineTimeout, ctx.Err())
	}
}

func (t *restTransport) close(context.Context) error {
	t.cancel() // ends a step still waiting for its reply
	t.client.CloseIdleConnections()
	if t.proc != nil {
		select {
		case <-t.proc.exited:
		case <-time.After(2 * time.Second):
			t.kill()
		}
	}
	return nil
}
