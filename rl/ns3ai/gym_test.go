package ns3ai

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// gymAgent plays ns3-ai's Python Ns3Env in Go: it creates the Gym
// segment (netgym's layout), acks the init and answers states.
type gymAgent struct {
	t        *Transport
	obs, act *pb.SpaceDescription
	states   []*pb.EnvStateMsg
	buf      []byte
	wait     time.Duration // per message; 0: 5 s
}

func gymOpts(t *testing.T) Options {
	o := GymOptions()
	o.SegmentName = segName(t)
	o.PeerPID = -1
	o.Timeout = 5 * time.Second
	return o
}

func newGymAgent(t *testing.T, o Options) *gymAgent {
	t.Helper()
	tr, err := CreateTransport(o, Agent, GymBufferSize)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tr.Close() })
	return &gymAgent{t: tr}
}

func (a *gymAgent) recv() ([]byte, error) {
	var err error
	wait := a.wait
	if wait == 0 {
		wait = 5 * time.Second
	}
	a.buf, err = a.t.Recv(a.buf, time.Now().Add(wait))
	return a.buf, err
}

func (a *gymAgent) send(m proto.Message) error {
	b, err := proto.Marshal(m)
	if err != nil {
		return err
	}
	return a.t.Send(b, time.Now().Add(5*time.Second))
}

// handshake reads ns3-ai's SimInitMsg (obsSpace = 1, actSpace = 2) and
// acks it.
func (a *gymAgent) handshake() error {
	msg, err := a.recv()
	if err != nil {
		return err
	}
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 || typ != protowire.BytesType || num < 1 || num > 2 {
			return fmt.Errorf("SimInitMsg: unexpected field %d type %d", num, typ)
		}
		v, m := protowire.ConsumeBytes(msg[n:])
		d := &pb.SpaceDescription{}
		if m < 0 || proto.Unmarshal(v, d) != nil {
			return errors.New("SimInitMsg: bad space")
		}
		if num == 1 {
			a.obs = d
		} else {
			a.act = d
		}
		msg = msg[n+m:]
	}
	return a.send(&pb.SimInitAck{Done: true})
}

// play answers each state with policy's action until a final state,
// which it answers with a stop request, or until policy asks to stop.
func (a *gymAgent) play(policy func(st *pb.EnvStateMsg) *pb.EnvActMsg) error {
	for {
		msg, err := a.recv()
		if err != nil {
			return err
		}
		st := &pb.EnvStateMsg{}
		if err := proto.Unmarshal(msg, st); err != nil {
			return err
		}
		a.states = append(a.states, st)
		if st.IsGameOver {
			return a.send(&pb.EnvActMsg{StopSimReq: true})
		}
		reply := policy(st)
		if err := a.send(reply); err != nil || reply.StopSimReq {
			return err
		}
	}
}

// ns3aiAny packs m with ns3-ai's type URL.
func ns3aiAny(m proto.Message) *anypb.Any {
	b, _ := proto.Marshal(m)
	return &anypb.Any{TypeUrl: "type.googleapis.com/ns3_ai_gym." + string(m.ProtoReflect().Descriptor().Name()), Value: b}
}

func discreteAct(n int32) *pb.EnvActMsg {
	return &pb.EnvActMsg{ActData: &pb.DataContainer{Type: pb.SpaceType_Discrete, Data: ns3aiAny(&pb.DiscreteDataContainer{Data: n})}}
}

// plusOne answers obs + 1 (mod 10).
func plusOne(st *pb.EnvStateMsg) *pb.EnvActMsg {
	var d pb.DiscreteDataContainer
	_ = proto.Unmarshal(st.ObsData.GetData().GetValue(), &d)
	return discreteAct((d.Data + 1) % 10)
}

// countEnv observes turn % 10 in Discrete(10), acts in Discrete(10) with
// reward 1 for obs + 1; its turn `final` is game over. From turn bigAt
// on, the info string is 1500 bytes long; big replaces the observation
// space in the spec.
type countEnv struct {
	obs    spaces.Space
	turn   int
	final  int
	reward float64
	acts   []int64
	bigAt  int
	big    spaces.Space
}

func newCountEnv(final int) *countEnv {
	d, _ := spaces.NewDiscrete(10)
	return &countEnv{obs: d, final: final, bigAt: -1}
}

func (e *countEnv) Spec() agentlink.Spec {
	act, _ := spaces.NewDiscrete(10)
	obs := e.obs
	if e.big != nil {
		obs = e.big
	}
	return agentlink.SingleAgent(obs, act)
}

func (e *countEnv) Next() (agentlink.Turn, error) {
	st := agentlink.State{Obs: spaces.DiscreteValue(e.turn % 10), Reward: e.reward, Info: fmt.Sprintf("turn %d", e.turn)}
	if e.bigAt >= 0 && e.turn >= e.bigAt {
		st.Info = strings.Repeat("x", 1500)
	}
	st.GameOver = e.turn == e.final
	st.Reason = agentlink.GameOver
	return agentlink.Turn{State: st}, nil
}

func (e *countEnv) Act(_ string, a spaces.Value) error {
	x := int64(a.(spaces.DiscreteValue))
	e.acts = append(e.acts, x)
	e.reward = 0
	if x == int64((e.turn+1)%10) {
		e.reward = 1
	}
	e.turn++
	return nil
}

func TestServeGymEpisode(t *testing.T) {
	o := gymOpts(t)
	a := newGymAgent(t, o)
	done := make(chan error, 1)
	go func() {
		if err := a.handshake(); err != nil {
			done <- err
			return
		}
		done <- a.play(plusOne)
	}()
	env := newCountEnv(12)
	res, err := ServeGym(context.Background(), env, o)
	require.NoError(t, err)
	require.NoError(t, <-done)
	assert.Equal(t, agentlink.Result{Steps: 13, GameOver: true, Reason: agentlink.GameOver}, res)
	assert.Equal(t, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2}, env.acts)
	// the spaces in ns3-ai's SimInitMsg, with ns3-ai's type URLs
	require.NotNil(t, a.obs)
	require.NotNil(t, a.act)
	assert.Equal(t, pb.SpaceType_Discrete, a.obs.Type)
	assert.Equal(t, "type.googleapis.com/ns3_ai_gym.DiscreteSpace", a.obs.Space.TypeUrl)
	require.Len(t, a.states, 13)
	assert.Equal(t, "type.googleapis.com/ns3_ai_gym.DiscreteDataContainer", a.states[0].ObsData.Data.TypeUrl)
	assert.Equal(t, float32(0), a.states[0].Reward)
	assert.Equal(t, float32(1), a.states[5].Reward, "the reward of the previous action")
	assert.Equal(t, "turn 5", a.states[5].Info)
	last := a.states[12]
	assert.True(t, last.IsGameOver)
	assert.Equal(t, pb.EnvStateMsg_GameOver, last.Reason)
}

func TestServeGymStopRequest(t *testing.T) {
	o := gymOpts(t)
	a := newGymAgent(t, o)
	done := make(chan error, 1)
	go func() {
		if err := a.handshake(); err != nil {
			done <- err
			return
		}
		n := 0
		done <- a.play(func(st *pb.EnvStateMsg) *pb.EnvActMsg {
			if n++; n == 4 {
				return &pb.EnvActMsg{StopSimReq: true}
			}
			return plusOne(st)
		})
	}()
	env := newCountEnv(-1)
	res, err := ServeGym(context.Background(), env, o)
	require.NoError(t, err)
	require.NoError(t, <-done)
	assert.Equal(t, agentlink.Result{Steps: 4, Stopped: true}, res)
	assert.Len(t, env.acts, 3)
}

// TestServeGymTooLarge: an observation larger than ns3-ai's 1024-byte
// buffer ends the episode with ErrTooLarge on the simulation side; the
// agent is told in a final state whose info names the error, so that
// ns3-ai's Python side (no timeout) stops.
func TestServeGymTooLarge(t *testing.T) {
	for _, tc := range []struct {
		name    string
		initBig bool
	}{{"state", false}, {"init", true}} {
		t.Run(tc.name, func(t *testing.T) {
			o := gymOpts(t)
			a := newGymAgent(t, o)
			done := make(chan error, 1)
			go func() {
				if err := a.handshake(); err != nil {
					done <- err
					return
				}
				done <- a.play(plusOne)
			}()
			env := newCountEnv(-1)
			env.bigAt = 3
			want := "agentlink: send state of the agent: ns3ai: message larger than the shared buffer: 1572 bytes, the buffer holds 1024"
			if tc.initBig {
				big, err := spaces.NewBox(0, 1, []int{400}, spaces.Float)
				require.NoError(t, err)
				var keys []string
				var subs []spaces.Space
				for i := range 40 {
					keys = append(keys, fmt.Sprintf("a-long-observation-name-%02d", i))
					subs = append(subs, big)
				}
				d, err := spaces.NewDict(keys, subs)
				require.NoError(t, err)
				env.big = d
				want = "agentlink: send init message: ns3ai: message larger than the shared buffer: "
			}
			res, err := ServeGym(context.Background(), env, o)
			require.Error(t, err)
			require.ErrorIs(t, err, agentlink.ErrTooLarge)
			require.ErrorIs(t, err, ErrTooLarge)
			assert.Contains(t, err.Error(), want)
			require.NoError(t, <-done, "the agent got a final state and stopped")
			last := a.states[len(a.states)-1]
			assert.True(t, last.IsGameOver)
			assert.True(t, strings.HasPrefix(last.Info, GymErrorInfo+"ns3ai: message larger than the shared buffer"), last.Info)
			if tc.initBig {
				assert.Nil(t, a.obs, "an empty SimInitMsg before the notice")
				assert.Len(t, a.states, 1)
			} else {
				assert.Equal(t, 3, res.Steps)
				assert.Len(t, a.states, 4)
			}
		})
	}
}

func TestServeGymMalformedReplies(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply func(a *gymAgent) error
		want  string
	}{
		{"length beyond the buffer", func(a *gymAgent) error {
			if err := a.t.conn.sendBegin(time.Now().Add(time.Second)); err != nil {
				return err
			}
			*a.t.outSize = 4000
			return a.t.conn.SendEnd()
		}, "agentlink: reply to the state of the agent: ns3ai: malformed message from peer: length field 4000 beyond the 1024-byte buffer"},
		{"not an EnvActMsg", func(a *gymAgent) error {
			return a.t.Send([]byte{0xff, 0xff, 0xff}, time.Now().Add(time.Second))
		}, "agentlink: malformed reply from agent: reply to the state of the agent: does not parse as EnvActMsg"},
		{"action outside its space", func(a *gymAgent) error { return a.send(discreteAct(12)) },
			"agentlink: malformed reply from agent: reply to the state of the agent: action: opengym: value not in space"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := gymOpts(t)
			a := newGymAgent(t, o)
			done := make(chan error, 1)
			go func() {
				if err := a.handshake(); err != nil {
					done <- err
					return
				}
				if _, err := a.recv(); err != nil {
					done <- err
					return
				}
				done <- tc.reply(a)
			}()
			_, err := ServeGym(context.Background(), newCountEnv(-1), o)
			require.NoError(t, <-done)
			require.ErrorIs(t, err, agentlink.ErrMalformed)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestServeGymTimeoutAndDeadAgent: an agent that stops answering is a
// timeout; one whose process exits is ErrPeerGone well before it.
func TestServeGymTimeoutAndDeadAgent(t *testing.T) {
	t.Run("silent", func(t *testing.T) {
		o := gymOpts(t)
		o.Timeout = 100 * time.Millisecond
		newGymAgent(t, o)
		_, err := ServeGym(context.Background(), newCountEnv(-1), o)
		require.ErrorIs(t, err, agentlink.ErrTimeout)
		require.ErrorIs(t, err, ErrTimeout)
		assert.Contains(t, err.Error(), "agentlink: no reply to the init message within 100ms: ns3ai: peer did not answer in time")
	})
	t.Run("dies", func(t *testing.T) {
		o := gymOpts(t)
		o.PeerPID = 0 // found from /proc
		o.Timeout = time.Minute
		startHelper(t, "gym-agent-dies 3", o.SegmentName, true)
		start := time.Now()
		res, err := ServeGym(context.Background(), newCountEnv(-1), o)
		require.ErrorIs(t, err, agentlink.ErrPeerGone)
		require.ErrorIs(t, err, ErrPeerGone)
		assert.Contains(t, err.Error(), "ns3ai: peer is gone: peer process")
		assert.Equal(t, 3, res.Steps)
		assert.Less(t, time.Since(start), 30*time.Second, "long before the 1 min timeout")
	})
}

func TestGymOptionsAndFlags(t *testing.T) {
	o := GymOptions()
	o.Vector = true
	_, err := OpenGymLink(o)
	require.EqualError(t, err, "ns3ai: the Gym interface uses the struct interface without handleFinish (ns3-ai's OpenGymInterface); Vector=true HandleFinish=false")
	_, err = ServeGym(context.Background(), &twoAgents{}, GymOptions())
	require.ErrorContains(t, err, "agentlink: a single-agent link needs exactly one agent; the env has 2 [a b]")

	for _, tc := range []struct {
		args []string
		want Options
		err  string
	}{
		{nil, func() Options { o := GymOptions(); o.PeerPID = 0; return o }(), ""},
		{[]string{"--ns3ai", "--segName=seg", "--ns3aiTimeout=2.5", "--peerPid=-1"},
			func() Options {
				o := GymOptions()
				o.SegmentName, o.Timeout, o.PeerPID = "seg", 2500*time.Millisecond, -1
				return o
			}(), ""},
		{[]string{"--ns3aiTimeout=0"}, Options{}, "-ns3aiTimeout 0 must be in (0, 1e6] seconds"},
		{[]string{"--segName=a/b"}, Options{}, `ns3ai: SegmentName "a/b" must be 1 to 255 bytes without '/' or NUL`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			t.Setenv(PeerPIDEnv, "")
			fs := flag.NewFlagSet("x", flag.ContinueOnError)
			var f GymFlags
			f.Register(fs)
			require.NoError(t, fs.Parse(tc.args))
			got, err := f.Options()
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, len(tc.args) > 0, f.Enabled)
		})
	}
}

type twoAgents struct{}

func (twoAgents) Spec() agentlink.Spec {
	d, _ := spaces.NewDiscrete(2)
	return agentlink.MultiAgent(map[string]spaces.Space{"a": d, "b": d}, nil)
}
func (twoAgents) Next() (agentlink.Turn, error)  { return agentlink.Turn{}, nil }
func (twoAgents) Act(string, spaces.Value) error { return nil }

// sumBox answers A-Plus-B's Gym observation with the sum plus off.
func sumBox(off uint32) func(st *pb.EnvStateMsg) *pb.EnvActMsg {
	return func(st *pb.EnvStateMsg) *pb.EnvActMsg {
		var b pb.BoxDataContainer
		_ = proto.Unmarshal(st.ObsData.GetData().GetValue(), &b)
		s := b.UintData[0] + b.UintData[1] + off
		return &pb.EnvActMsg{ActData: &pb.DataContainer{Type: pb.SpaceType_Box,
			Data: ns3aiAny(&pb.BoxDataContainer{Dtype: pb.Dtype_UINT, Shape: []uint32{1}, UintData: []uint32{s}})}}
	}
}

func TestAPBGym(t *testing.T) {
	for _, tc := range []struct {
		name string
		off  uint32
		err  string
		out  string
	}{
		{"right sums", 0, "", "set: 2,3;\nget: 5;\nset: 9,3;\nget: 12;\nset: 5,2;\nget: 7;\n"},
		{"wrong sum", 1, "agentlink: act: ns3ai: A-Plus-B round 0: 2+3 answered 6", "set: 2,3;\nget: 6;\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := gymOpts(t)
			a := newGymAgent(t, o)
			a.wait = time.Second
			done := make(chan error, 1)
			go func() {
				if err := a.handshake(); err != nil {
					done <- err
					return
				}
				done <- a.play(sumBox(tc.off))
			}()
			var out strings.Builder
			cfg := DefaultAPBConfig()
			cfg.Rounds, cfg.Out = 3, &out
			env, err := NewAPBGym(cfg)
			require.NoError(t, err)
			res, err := ServeGym(context.Background(), env, o)
			assert.Equal(t, tc.out, out.String())
			if tc.err != "" {
				require.EqualError(t, err, tc.err)
				require.ErrorIs(t, <-done, ErrTimeout, "the agent waits for a state that never comes")
				return
			}
			require.NoError(t, err)
			require.NoError(t, <-done)
			assert.Equal(t, agentlink.Result{Steps: 4, GameOver: true, Reason: agentlink.SimulationEnd}, res)
			assert.Equal(t, pb.SpaceType_Box, a.obs.Type)
			var box pb.BoxSpace
			require.NoError(t, proto.Unmarshal(a.act.Space.Value, &box))
			assert.Equal(t, &pb.BoxSpace{Low: 0, High: 20, Dtype: pb.Dtype_UINT, Shape: []uint32{1}}, &pb.BoxSpace{Low: box.Low, High: box.High, Dtype: box.Dtype, Shape: box.Shape})
			last := a.states[3]
			assert.True(t, last.IsGameOver)
			assert.Equal(t, pb.EnvStateMsg_SimulationEnd, last.Reason)
		})
	}
}
