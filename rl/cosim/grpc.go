package cosim

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/netgym/netgym/rl/cosim/internal/nrpwire"
)

// GRPCEngine is an engine server spoken to in NRP-core's gRPC engine
// protocol (service EngineGrpc.EngineGrpcService: initialize, shutdown,
// runLoopStep, setDataPacks, getDataPacks, reset) at ServerAddress, over
// HTTP/2 without TLS (gRPC's insecure channel). Datapack data travel as
// google.protobuf.Any holding NRP-core's generic messages
// (NrpGenericProto arrays, Wrappers values); netgym packs spaces values
// and JSON data into them as docs/nrp-core.md says and unpacks them to
// JSON-like data.
type GRPCEngine struct {
	cfg     EngineConfig
	client  *http.Client
	base    string
	ctx     context.Context
	cancel  context.CancelFunc
	pending chan restResult
	closed  bool
}

// NewGRPCEngine returns the gRPC engine at cfg.ServerAddress (default
// localhost:9004); it connects on the first command.
func NewGRPCEngine(cfg EngineConfig) (*GRPCEngine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	addr := cfg.ServerAddress
	if addr == "" {
		addr = DefaultGRPCServerAddress
	}
	p := new(http.Protocols)
	p.SetUnencryptedHTTP2(true)
	e := &GRPCEngine{cfg: cfg, client: &http.Client{Transport: &http.Transport{Protocols: p}},
		base: "http://" + strings.TrimPrefix(addr, "http://") + "/" + nrpwire.Service + "/"}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	return e, nil
}

// GRPCFrame frames one gRPC message (uncompressed): a zero byte, the
// length (4 bytes, big endian), the message.
func GRPCFrame(msg []byte) []byte {
	b := make([]byte, 5+len(msg))
	binary.BigEndian.PutUint32(b[1:5], uint32(len(msg)))
	copy(b[5:], msg)
	return b
}

// GRPCUnframe returns the one message of a gRPC body.
func GRPCUnframe(body []byte) ([]byte, error) {
	if len(body) < 5 {
		return nil, fmt.Errorf("gRPC body of %d bytes is shorter than a frame header", len(body))
	}
	if body[0] != 0 {
		return nil, fmt.Errorf("compressed gRPC messages (flag %d) are not supported", body[0])
	}
	n := binary.BigEndian.Uint32(body[1:5])
	if uint64(len(body)-5) != uint64(n) {
		return nil, fmt.Errorf("gRPC frame says %d bytes, body has %d", n, len(body)-5)
	}
	return body[5:], nil
}

func (e *GRPCEngine) invoke(ctx context.Context, method string, msg []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.base+method, bytes.NewReader(GRPCFrame(msg)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/grpc")
	req.Header.Set("TE", "trailers")
	resp, err := e.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w: %v", ErrEngineTimeout, err)
		}
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJSONReply))
	if err != nil {
		return nil, err
	}
	status := resp.Trailer.Get("Grpc-Status")
	text := resp.Trailer.Get("Grpc-Message")
	if status == "" { // trailers-only reply
		status, text = resp.Header.Get("Grpc-Status"), resp.Header.Get("Grpc-Message")
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %s", method, resp.Status)
	}
	if status != "0" {
		if m, err := url.PathUnescape(text); err == nil {
			text = m
		}
		return nil, fmt.Errorf("%s: gRPC status %s: %s", method, status, text)
	}
	return GRPCUnframe(body)
}

// Initialize implements Engine: it sends the configuration as JSON.
func (e *GRPCEngine) Initialize(ctx context.Context) error {
	init := e.cfg.RawConfig()
	init["EngineName"] = e.cfg.EngineName
	text, err := json.Marshal(init)
	if err != nil {
		return err
	}
	_, err = e.invoke(ctx, nrpwire.MethodInitialize, nrpwire.EncodeJSON(string(text)))
	return err
}

// RunLoopStepAsync implements Engine.
func (e *GRPCEngine) RunLoopStepAsync(dt int64) error {
	if e.pending != nil {
		return errors.New("a step is already running")
	}
	ch := make(chan restResult, 1)
	go func() {
		raw, err := e.invoke(e.ctx, nrpwire.MethodRunLoopStep, nrpwire.EncodeInt64(dt))
		ch <- restResult{raw, err}
	}()
	e.pending = ch
	return nil
}

// RunLoopStepAsyncGet implements Engine.
func (e *GRPCEngine) RunLoopStepAsyncGet(ctx context.Context) (int64, error) {
	ch := e.pending
	if ch == nil {
		return 0, errors.New("no step is running")
	}
	select {
	case r := <-ch:
		e.pending = nil
		if r.err != nil {
			return 0, r.err
		}
		return nrpwire.DecodeInt64(r.raw)
	case <-ctx.Done():
		return 0, fmt.Errorf("%w: %v", ErrEngineTimeout, ctx.Err())
	}
}

// GetDataPacks implements Engine.
func (e *GRPCEngine) GetDataPacks(ctx context.Context, ids []DataPackID, dst []DataPack) ([]DataPack, error) {
	req := make([]nrpwire.DataPackID, len(ids))
	for i, id := range ids {
		req[i] = nrpwire.DataPackID{Name: id.Name, Type: id.Type, Engine: e.cfg.EngineName}
	}
	raw, err := e.invoke(ctx, nrpwire.MethodGetDataPacks, nrpwire.EncodeIDs(req))
	if err != nil {
		return dst, err
	}
	got, err := nrpwire.DecodeDataPacks(raw)
	if err != nil {
		return dst, err
	}
	byName := make(map[string]nrpwire.DataPackMessage, len(got))
	for _, m := range got {
		byName[m.ID.Name] = m
	}
	for _, id := range ids {
		dp := DataPack{DataPackID: id}
		if m, ok := byName[id.Name]; ok && m.Data != nil {
			data, err := nrpwire.UnpackData(m.Data)
			if err != nil {
				return dst, fmt.Errorf("datapack %q: %w", id.Name, err)
			}
			dp.Data, dp.Type = data, m.ID.Type
		}
		dst = append(dst, dp)
	}
	return dst, nil
}

// SetDataPacks implements Engine.
func (e *GRPCEngine) SetDataPacks(ctx context.Context, dps []DataPack) error {
	msgs := make([]nrpwire.DataPackMessage, len(dps))
	for i, dp := range dps {
		a, typ, err := nrpwire.PackData(dp.Data, ValueToJSON)
		if err != nil {
			return fmt.Errorf("datapack %q: %w", dp.Name, err)
		}
		msgs[i] = nrpwire.DataPackMessage{ID: nrpwire.DataPackID{Name: dp.Name, Type: typ, Engine: e.cfg.EngineName}, Data: a}
	}
	_, err := e.invoke(ctx, nrpwire.MethodSetDataPacks, nrpwire.EncodeDataPacks(msgs))
	return err
}

// Reset implements Engine.
func (e *GRPCEngine) Reset(ctx context.Context) error {
	_, err := e.invoke(ctx, nrpwire.MethodReset, nil)
	return err
}

// Shutdown implements Engine.
func (e *GRPCEngine) Shutdown(ctx context.Context) error {
	if e.closed {
		return nil
	}
	e.closed = true
	var err error
	if e.pending != nil {
		c, cancel := context.WithTimeout(ctx, pendingStepGrace)
		_, err = e.RunLoopStepAsyncGet(c)
		cancel()
	}
	if err == nil {
		c, cancel := context.WithTimeout(ctx, ShutdownTimeout)
		_, err = e.invoke(c, nrpwire.MethodShutdown, nil)
		cancel()
	}
	e.cancel()
	e.client.CloseIdleConnections()
	if errors.Is(err, ErrEngineTimeout) {
		err = nil // reported by the command that met it
	}
	return err
}
