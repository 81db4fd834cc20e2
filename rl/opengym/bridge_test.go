package opengym

import (
	"context"
	"fmt"
	"net"
	"os"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// agent is an in-process Go agent: a REP socket bound on a free loopback
// port, playing the Python side of the protocol.
type agent struct {
	t    testing.TB
	rep  zmq4.Socket
	port int
	errc chan error
}

func newAgent(t testing.TB) *agent {
	t.Helper()
	rep := zmq4.NewRep(context.Background())
	require.NoError(t, rep.Listen("tcp://127.0.0.1:0"))
	a := &agent{t: t, rep: rep, port: rep.Addr().(*net.TCPAddr).Port, errc: make(chan error, 1)}
	t.Cleanup(func() { _ = rep.Close() })
	return a
}

func (a *agent) config() Config {
	cfg := DefaultConfig()
	cfg.Host, cfg.Port = "127.0.0.1", a.port
	cfg.Timeout, cfg.ConnectTimeout = 2*time.Second, 2*time.Second
	return cfg
}

// run runs script in a goroutine; wait returns its error.
func (a *agent) run(script func() error) {
	go func() { a.errc <- script() }()
}

func (a *agent) wait() error {
	select {
	case err := <-a.errc:
		return err
	case <-time.After(5 * time.Second):
		return fmt.Errorf("agent script did not finish")
	}
}

func (a *agent) recv(m proto.Message) error {
	msg, err := a.rep.Recv()
	if err != nil {
		return err
	}
	return proto.Unmarshal(msg.Frames[0], m)
}

func (a *agent) send(m proto.Message) error {
	b, err := proto.Marshal(m)
	if err != nil {
		return err
	}
	return a.rep.Send(zmq4.NewMsg(b))
}

// handshake receives SimInitMsg and acknowledges it.
func (a *agent) handshake(stop bool) (*pb.SimInitMsg, error) {
	var init pb.SimInitMsg
	if err := a.recv(&init); err != nil {
		return nil, err
	}
	return &init, a.send(&pb.SimInitAck{Done: true, StopSimReq: stop})
}

func discreteAction(t testing.TB, n int) *pb.EnvActMsg {
	c, err := ValueToProto(spaces.DiscreteValue(n))
	require.NoError(t, err)
	return &pb.EnvActMsg{ActData: c}
}

// countEnv is ns3-gym's first example in miniature: a Box of 5 uint32 in
// [0, 10] observed, Discrete(5) actions, game over after gameOverAt steps
// (0: never), simulation end after endAt steps (0: never).
type countEnv struct {
	obs, act   spaces.Space
	step       int
	gameOverAt int
	endAt      int
	actions    []spaces.Value
}

func newCountEnv(gameOverAt, endAt int) *countEnv {
	return &countEnv{
		obs:        must(spaces.NewBox(0, 10, []int{5}, spaces.Uint)),
		act:        must(spaces.NewDiscrete(5)),
		gameOverAt: gameOverAt, endAt: endAt,
	}
}

func (e *countEnv) ObservationSpace() spaces.Space { return e.obs }
func (e *countEnv) ActionSpace() spaces.Space      { return e.act }
func (e *countEnv) Observe() (spaces.Value, float64, bool, string) {
	s := uint32(e.step % 11)
	return spaces.UintBox(s, s, s, s, s), float64(e.step), e.gameOverAt > 0 && e.step >= e.gameOverAt, fmt.Sprintf("step %d", e.step)
}
func (e *countEnv) Act(a spaces.Value) error {
	e.actions = append(e.actions, a)
	e.step++
	return nil
}
func (e *countEnv) SimulationEnded() bool { return e.endAt > 0 && e.step >= e.endAt }

// playUntilGameOver answers every state with action step%5 and the
// game-over state with a stop request, checking what it receives.
func (a *agent) playUntilGameOver(wantReason pb.EnvStateMsg_Reason) func() error {
	return func() error {
		init, err := a.handshake(false)
		if err != nil {
			return err
		}
		if init.SimProcessId != uint64(os.Getpid()) || init.WafShellProcessId != 0 {
			return fmt.Errorf("process ids %d %d", init.SimProcessId, init.WafShellProcessId)
		}
		obsSpace, err := SpaceFromProto(init.ObsSpace)
		if err != nil {
			return err
		}
		if _, err := SpaceFromProto(init.ActSpace); err != nil {
			return err
		}
		for step := 0; ; step++ {
			var st pb.EnvStateMsg
			if err := a.recv(&st); err != nil {
				return err
			}
			obs, err := ValueFromProto(st.ObsData, obsSpace)
			if err != nil {
				return err
			}
			s := uint32(step % 11)
			if !spaces.Equal(obs, spaces.UintBox(s, s, s, s, s)) || st.Reward != float32(step) || st.Info != fmt.Sprintf("step %d", step) {
				return fmt.Errorf("step %d: got %v reward %v info %q", step, obs, st.Reward, st.Info)
			}
			if st.IsGameOver {
				if st.Reason != wantReason {
					return fmt.Errorf("reason %v, want %v", st.Reason, wantReason)
				}
				return a.send(&pb.EnvActMsg{StopSimReq: true})
			}
			if err := a.send(discreteAction(a.t, step%5)); err != nil {
				return err
			}
		}
	}
}

func TestRunGameOver(t *testing.T) {
	a := newAgent(t)
	a.run(a.playUntilGameOver(pb.EnvStateMsg_GameOver))
	env := newCountEnv(7, 0)
	res, err := Run(context.Background(), env, a.config())
	require.NoError(t, err)
	require.NoError(t, a.wait())
	assert.Equal(t, Result{Steps: 8, GameOver: true, Reason: GameOver}, res)
	require.Len(t, env.actions, 7)
	for i, v := range env.actions {
		assert.Equal(t, spaces.DiscreteValue(i%5), v)
	}
}

func TestRunSimulationEnd(t *testing.T) {
	a := newAgent(t)
	a.run(a.playUntilGameOver(pb.EnvStateMsg_SimulationEnd))
	env := newCountEnv(0, 3)
	res, err := Run(context.Background(), env, a.config())
	require.NoError(t, err)
	require.NoError(t, a.wait())
	assert.Equal(t, Result{Steps: 4, GameOver: true, Reason: SimulationEnd}, res)
	assert.Len(t, env.actions, 3)
}

func TestRunStopRequest(t *testing.T) {
	a := newAgent(t)
	a.run(func() error {
		if _, err := a.handshake(false); err != nil {
			return err
		}
		for step := 0; ; step++ {
			var st pb.EnvStateMsg
			if err := a.recv(&st); err != nil {
				return err
			}
			if step == 2 {
				return a.send(&pb.EnvActMsg{StopSimReq: true})
			}
			if err := a.send(discreteAction(a.t, 1)); err != nil {
				return err
			}
		}
	})
	env := newCountEnv(0, 0)
	res, err := Run(context.Background(), env, a.config())
	require.NoError(t, err)
	require.NoError(t, a.wait())
	assert.Equal(t, Result{Steps: 3, Stopped: true}, res)
	assert.Len(t, env.actions, 2)
}

func TestRunStopAtInit(t *testing.T) {
	a := newAgent(t)
	a.run(func() error { _, err := a.handshake(true); return err })
	res, err := Run(context.Background(), newCountEnv(0, 0), a.config())
	require.NoError(t, err)
	require.NoError(t, a.wait())
	assert.Equal(t, Result{Stopped: true}, res)
}

func TestRunMalformedReplies(t *testing.T) {
	replies := map[string]func(t testing.TB) []byte{
		"garbage": func(testing.TB) []byte { return []byte{0xff, 0xff, 0xff} },
		"wrong message": func(t testing.TB) []byte {
			b, err := proto.Marshal(&pb.SimInitAck{Done: true})
			require.NoError(t, err)
			return b
		},
		"action out of space": func(t testing.TB) []byte {
			b, err := proto.Marshal(discreteAction(t, 9))
			require.NoError(t, err)
			return b
		},
		"action of wrong kind": func(t testing.TB) []byte {
			c, err := ValueToProto(spaces.FloatBox(1))
			require.NoError(t, err)
			b, err := proto.Marshal(&pb.EnvActMsg{ActData: c})
			require.NoError(t, err)
			return b
		},
	}
	for name, reply := range replies {
		t.Run(name, func(t *testing.T) {
			a := newAgent(t)
			a.run(func() error {
				if _, err := a.handshake(false); err != nil {
					return err
				}
				var st pb.EnvStateMsg
				if err := a.recv(&st); err != nil {
					return err
				}
				return a.rep.Send(zmq4.NewMsg(reply(t)))
			})
			res, err := Run(context.Background(), newCountEnv(0, 0), a.config())
			require.ErrorIs(t, err, ErrMalformed)
			require.NoError(t, a.wait())
			assert.Equal(t, 0, res.Steps)
			t.Log(err)
		})
	}
}

func TestRunVanishedAgent(t *testing.T) {
	a := newAgent(t)
	a.run(func() error {
		if _, err := a.handshake(false); err != nil {
			return err
		}
		var st pb.EnvStateMsg
		if err := a.recv(&st); err != nil {
			return err
		}
		return a.rep.Close() // dies without answering
	})
	cfg := a.config()
	cfg.Timeout = time.Hour // the dead-peer check, not the timeout, ends the wait
	_, err := Run(context.Background(), newCountEnv(0, 0), cfg)
	require.ErrorIs(t, err, ErrPeerGone)
	require.NotErrorIs(t, err, ErrTimeout)
	require.NoError(t, a.wait())
	t.Log(err)
}

func TestRunSilentAgentTimesOut(t *testing.T) {
	a := newAgent(t)
	a.run(func() error {
		_, err := a.handshake(false)
		if err != nil {
			return err
		}
		var st pb.EnvStateMsg
		return a.recv(&st) // and never answer
	})
	cfg := a.config()
	cfg.Timeout = 200 * time.Millisecond
	res, err := Run(context.Background(), newCountEnv(0, 0), cfg)
	require.ErrorIs(t, err, ErrTimeout)
	require.ErrorContains(t, err, "no reply to the state of the agent within 200ms")
	require.NoError(t, a.wait())
	assert.Equal(t, 0, res.Steps)
}

func TestDialNoAgent(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close()) // nobody listens there now
	cfg := DefaultConfig()
	cfg.Host, cfg.Port, cfg.ConnectTimeout = "127.0.0.1", port, 300*time.Millisecond
	_, err = Dial(context.Background(), cfg)
	require.ErrorIs(t, err, ErrTimeout)
	require.ErrorContains(t, err, "no agent within 300ms")
	t.Log(err)
}

func TestDialSilentPeer(t *testing.T) {
	// A TCP server that accepts and never speaks ZeroMQ.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			accepted <- c
		}
	}()
	defer func() {
		_ = l.Close()
		select {
		case c := <-accepted:
			_ = c.Close()
		default:
		}
	}()
	cfg := DefaultConfig()
	cfg.Host, cfg.Port, cfg.ConnectTimeout = "127.0.0.1", l.Addr().(*net.TCPAddr).Port, 200*time.Millisecond
	_, err = Dial(context.Background(), cfg)
	require.ErrorIs(t, err, ErrTimeout)
	require.ErrorContains(t, err, "no ZeroMQ handshake within 200ms")
}

func TestDialCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := DefaultConfig()
	cfg.Host, cfg.Port = "127.0.0.1", 1
	_, err := Dial(ctx, cfg)
	require.Error(t, err)
}

func TestBridgeMisuse(t *testing.T) {
	a := newAgent(t)
	a.run(func() error {
		if _, err := a.handshake(false); err != nil {
			return err
		}
		var st pb.EnvStateMsg
		if err := a.recv(&st); err != nil {
			return err
		}
		return a.send(&pb.EnvActMsg{}) // no action: allowed
	})
	b, err := Dial(context.Background(), a.config())
	require.NoError(t, err)
	defer b.Close()
	_, err = b.Step(State{})
	require.Error(t, err, "Step before Init")
	env := newCountEnv(0, 0)
	stop, err := b.Init(env.obs, env.act)
	require.NoError(t, err)
	require.False(t, stop)
	_, err = b.Init(env.obs, env.act)
	require.Error(t, err, "Init twice")
	_, err = b.Step(State{Obs: spaces.UintBox(11, 0, 0, 0, 0)})
	require.ErrorIs(t, err, spaces.ErrNotInSpace, "observation outside its space is not sent")
	_, err = b.Step(State{GameOver: true, Reason: 7})
	require.Error(t, err)
	act, err := b.Step(State{Obs: spaces.UintBox(1, 2, 3, 4, 5)})
	require.NoError(t, err)
	assert.Equal(t, Action{}, act)
	require.NoError(t, a.wait())
	require.NoError(t, b.Close())
	_, err = b.Step(State{})
	require.ErrorIs(t, err, ErrClosed)
	require.NoError(t, b.Close())
}

func TestConfigValidate(t *testing.T) {
	require.NoError(t, DefaultConfig().Validate())
	assert.Equal(t, "tcp://localhost:5555", DefaultConfig().Endpoint())
	for _, mod := range []func(*Config){
		func(c *Config) { c.Host = "" },
		func(c *Config) { c.Port = 0 },
		func(c *Config) { c.Port = 70000 },
		func(c *Config) { c.Timeout = 0 },
		func(c *Config) { c.ConnectTimeout = -1 },
	} {
		c := DefaultConfig()
		mod(&c)
		assert.Error(t, c.Validate())
		_, err := Dial(context.Background(), c)
		assert.Error(t, err)
	}
	_, err := Run(context.Background(), nil, DefaultConfig())
	assert.Error(t, err)
	assert.Equal(t, "GameOver", GameOver.String())
	assert.Equal(t, "SimulationEnd", SimulationEnd.String())
	assert.Equal(t, "Reason(5)", Reason(5).String())
}
