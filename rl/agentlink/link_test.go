package agentlink_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/spaces"
)

// textCodec is a readable wire protocol for tests:
//
//	INIT multi=<bool> agents=<id,id>        -> ACK | ACK STOP
//	STATE <agent>|<reward>|<over>|<reason>|<info>|<obs>  -> ACT | ACT <n> | STOP
type textCodec struct{}

func (textCodec) AppendInit(b []byte, spec agentlink.Spec) ([]byte, error) {
	return fmt.Appendf(b, "INIT multi=%t agents=%s", spec.MultiAgent, strings.Join(spec.Agents(), ",")), nil
}

func (textCodec) ParseInitReply(msg []byte) (bool, error) {
	switch string(msg) {
	case "ACK":
		return false, nil
	case "ACK STOP":
		return true, nil
	}
	return false, fmt.Errorf("%q is not ACK", msg)
}

func (textCodec) AppendState(b []byte, _ agentlink.Spec, agent string, st agentlink.State) ([]byte, error) {
	info := st.Info
	if info == "" {
		info = agentlink.InfoString(st.InfoMap)
	}
	return fmt.Appendf(b, "STATE %s|%g|%t|%d|%s|%v", agent, st.Reward, st.GameOver, st.Reason, info, st.Obs), nil
}

func (textCodec) ParseReply(msg []byte, act spaces.Space, final bool) (agentlink.Action, error) {
	s := string(msg)
	switch {
	case s == "STOP":
		return agentlink.Action{Stop: true}, nil
	case s == "ACT":
		return agentlink.Action{}, nil
	case strings.HasPrefix(s, "ACT "):
		if final {
			return agentlink.Action{}, nil
		}
		n, err := strconv.Atoi(s[4:])
		if err != nil {
			return agentlink.Action{}, err
		}
		v := spaces.DiscreteValue(n)
		if act != nil {
			if err := act.Contains(v); err != nil {
				return agentlink.Action{}, err
			}
		}
		return agentlink.Action{Value: v}, nil
	}
	return agentlink.Action{}, fmt.Errorf("%q is not a reply", s)
}

// agent is a scripted agent behind a Loopback: it records what it gets
// and answers with policy.
type agent struct {
	got    []string
	policy func(msg string) (string, error)
}

func (a *agent) respond(msg []byte) ([]byte, error) {
	a.got = append(a.got, string(msg))
	reply, err := a.policy(string(msg))
	return []byte(reply), err
}

// player acks the init and answers each state of agent id with the
// action <turn number> % n, and final states with STOP.
func player(n int) func(string) (string, error) {
	turn := 0
	return func(msg string) (string, error) {
		switch {
		case strings.HasPrefix(msg, "INIT"):
			return "ACK", nil
		case strings.Contains(msg, "|true|"):
			return "STOP", nil
		}
		turn++
		return fmt.Sprintf("ACT %d", (turn-1)%n), nil
	}
}

func newLink(t *testing.T, a *agent, clock agentlink.Clock) (*agentlink.MessageLink, *agentlink.Loopback) {
	t.Helper()
	tr := &agentlink.Loopback{Respond: a.respond, Clock: clock}
	cfg := agentlink.DefaultLinkConfig()
	cfg.Timeout, cfg.Clock = time.Second, clock
	l, err := agentlink.NewMessageLink(tr, textCodec{}, cfg)
	require.NoError(t, err)
	return l, tr
}

func must[S any](s S, err error) S {
	if err != nil {
		panic(err)
	}
	return s
}

// turnEnv hands turns to its agents in order; agent i observes
// DiscreteValue(turn%3) in Discrete(3) and acts in Discrete(2+i). Turn
// `final` is the last, with reason; final < 0 never ends.
type turnEnv struct {
	ids    []string // {""} for a single agent
	turn   int
	final  int
	reason agentlink.Reason
	acts   []string
	actErr error
}

func (e *turnEnv) Spec() agentlink.Spec {
	obs, act := map[string]spaces.Space{}, map[string]spaces.Space{}
	for i, id := range e.ids {
		obs[id] = must(spaces.NewDiscrete(3))
		act[id] = must(spaces.NewDiscrete(int64(2 + i)))
	}
	return agentlink.Spec{MultiAgent: e.ids[0] != "", Obs: obs, Act: act}
}

func (e *turnEnv) Next() (agentlink.Turn, error) {
	t := e.turn
	e.turn++
	st := agentlink.State{Obs: spaces.DiscreteValue(t % 3), Reward: float64(t), InfoMap: map[string]string{"turn": strconv.Itoa(t)}}
	if t == e.final {
		st.GameOver, st.Reason = true, e.reason
		if e.reason == agentlink.SimulationEnd && e.ids[0] != "" {
			return agentlink.Turn{State: agentlink.State{Reward: 42, GameOver: true, Reason: agentlink.SimulationEnd}}, nil
		}
	}
	return agentlink.Turn{Agent: e.ids[t%len(e.ids)], State: st}, nil
}

func (e *turnEnv) Act(id string, a spaces.Value) error {
	e.acts = append(e.acts, fmt.Sprintf("%s:%v", id, a))
	return e.actErr
}

func TestRunSingleAndMultiAgent(t *testing.T) {
	tests := []struct {
		name     string
		ids      []string
		final    int
		reason   agentlink.Reason
		want     agentlink.Result
		wantActs []string
		wantLast string
	}{
		{"single game over", []string{""}, 3, agentlink.GameOver,
			agentlink.Result{Steps: 4, GameOver: true, Reason: agentlink.GameOver},
			[]string{":0", ":1", ":0"}, `STATE |3|true|1|{"turn":"3"}|0`},
		{"single simulation end", []string{""}, 2, agentlink.SimulationEnd,
			agentlink.Result{Steps: 3, GameOver: true, Reason: agentlink.SimulationEnd},
			[]string{":0", ":1"}, `STATE |2|true|0|{"turn":"2"}|2`},
		{"multi game over", []string{"a", "b"}, 3, agentlink.GameOver,
			agentlink.Result{Steps: 4, GameOver: true, Reason: agentlink.GameOver},
			[]string{"a:0", "b:1", "a:0"}, `STATE b|3|true|1|{"turn":"3"}|0`},
		{"multi simulation end", []string{"a", "b"}, 4, agentlink.SimulationEnd,
			agentlink.Result{Steps: 5, GameOver: true, Reason: agentlink.SimulationEnd},
			[]string{"a:0", "b:1", "a:0", "b:1"}, `STATE |42|true|0||<nil>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ag := &agent{policy: player(2)}
			l, tr := newLink(t, ag, nil)
			env := &turnEnv{ids: tc.ids, final: tc.final, reason: tc.reason}
			res, err := agentlink.Run(context.Background(), l, env)
			require.NoError(t, err)
			assert.Equal(t, tc.want, res)
			assert.Equal(t, tc.wantActs, env.acts)
			require.Len(t, ag.got, tc.want.Steps+1)
			assert.Equal(t, fmt.Sprintf("INIT multi=%t agents=%s", tc.ids[0] != "", strings.Join(tc.ids, ",")), ag.got[0])
			assert.Equal(t, tc.wantLast, ag.got[len(ag.got)-1])
			assert.True(t, tr.Closed(), "the final state closes the link")
			assert.Equal(t, tc.want.Steps, l.Steps())
			_, err = l.Step(tc.ids[0], agentlink.State{})
			require.ErrorIs(t, err, agentlink.ErrClosed)
		})
	}
}

func TestRunStopRequests(t *testing.T) {
	tests := []struct {
		name      string
		stopAt    int // message index answered with a stop (0: the init)
		wantSteps int
		wantActs  int
	}{
		{"at init", 0, 0, 0},
		{"at the first state", 1, 1, 0},
		{"at the fourth state", 4, 4, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			ag := &agent{policy: func(msg string) (string, error) {
				defer func() { n++ }()
				switch {
				case n == 0 && tc.stopAt == 0:
					return "ACK STOP", nil
				case n == 0:
					return "ACK", nil
				case n == tc.stopAt:
					return "STOP", nil
				}
				return "ACT 1", nil
			}}
			l, tr := newLink(t, ag, nil)
			env := &turnEnv{ids: []string{""}, final: -1}
			res, err := agentlink.Run(context.Background(), l, env)
			require.NoError(t, err)
			assert.Equal(t, agentlink.Result{Steps: tc.wantSteps, Stopped: true}, res)
			assert.Len(t, env.acts, tc.wantActs)
			assert.True(t, tr.Closed())
			assert.Equal(t, tc.stopAt+1, tr.Sent)
		})
	}
}

func TestRunMalformedReplies(t *testing.T) {
	tests := []struct {
		name  string
		reply string // the reply to the first state
		init  string // the reply to the init, if not ACK
	}{
		{"garbage", "\xff\xfe", ""},
		{"init reply garbage", "", "HELLO"},
		{"action out of space", "ACT 2", ""}, // agent "" acts in Discrete(2)
		{"action not a number", "ACT x", ""},
		{"init reply where an action is due", "ACK", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ag := &agent{policy: func(msg string) (string, error) {
				if strings.HasPrefix(msg, "INIT") {
					if tc.init != "" {
						return tc.init, nil
					}
					return "ACK", nil
				}
				return tc.reply, nil
			}}
			l, tr := newLink(t, ag, nil)
			env := &turnEnv{ids: []string{""}, final: -1}
			res, err := agentlink.Run(context.Background(), l, env)
			require.ErrorIs(t, err, agentlink.ErrMalformed)
			assert.Equal(t, agentlink.Result{}, res)
			assert.Empty(t, env.acts)
			assert.True(t, tr.Closed(), "a malformed reply closes the link")
			_, err = l.Step("", agentlink.State{})
			require.ErrorIs(t, err, agentlink.ErrClosed)
			assert.ErrorContains(t, err, "malformed", "later calls say why the link closed")
		})
	}
}

func TestRunDeadPeerAndTimeout(t *testing.T) {
	crash := errors.New("agent process exited")
	tests := []struct {
		name    string
		think   time.Duration // agent's thinking time per state, on the manual clock
		fail    error
		wantErr error
	}{
		{"dead peer", 0, crash, agentlink.ErrPeerGone},
		{"peer reports a timeout itself", 0, fmt.Errorf("%w: shm", agentlink.ErrTimeout), agentlink.ErrTimeout},
		{"thinks exactly the timeout", time.Second, nil, nil},
		{"thinks 1 ns past the timeout", time.Second + 1, nil, agentlink.ErrTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := &agentlink.ManualClock{}
			play := player(2)
			ag := &agent{policy: func(msg string) (string, error) {
				if strings.HasPrefix(msg, "STATE") {
					clock.Advance(tc.think)
					if tc.fail != nil {
						return "", tc.fail
					}
				}
				return play(msg)
			}}
			l, tr := newLink(t, ag, clock)
			env := &turnEnv{ids: []string{""}, final: 3, reason: agentlink.GameOver}
			res, err := agentlink.Run(context.Background(), l, env)
			if tc.wantErr == nil {
				require.NoError(t, err)
				assert.Equal(t, 4, res.Steps)
				assert.Equal(t, 4*tc.think, clock.Now().Sub(time.Time{}))
				return
			}
			require.ErrorIs(t, err, tc.wantErr)
			if tc.fail == crash {
				require.ErrorIs(t, err, crash)
			}
			assert.Equal(t, 0, res.Steps)
			assert.True(t, tr.Closed())
		})
	}
}

func TestMessageLinkMisuse(t *testing.T) {
	ag := &agent{policy: player(2)}
	l, tr := newLink(t, ag, nil)
	_, err := l.Step("a", agentlink.State{})
	require.ErrorContains(t, err, "before Init")
	_, err = l.Init(agentlink.Spec{MultiAgent: true, Obs: map[string]spaces.Space{"": nil}})
	require.ErrorContains(t, err, "empty agent id")
	env := &turnEnv{ids: []string{"a", "b"}}
	stop, err := l.Init(env.Spec())
	require.NoError(t, err)
	require.False(t, stop)
	_, err = l.Init(env.Spec())
	require.ErrorContains(t, err, "twice")

	misuse := []struct {
		name  string
		agent string
		st    agentlink.State
		end   bool
		want  string
	}{
		{"unknown agent", "c", agentlink.State{}, false, `unknown agent "c"`},
		{"empty id for a turn", "", agentlink.State{}, false, "empty agent id"},
		{"empty id for a game over", "", agentlink.State{Reason: agentlink.GameOver}, true, "empty agent id"},
		{"observation outside its space", "a", agentlink.State{Obs: spaces.DiscreteValue(3)}, false, "observation of agent \"a\": discrete value 3 outside 0..2"},
		{"final state through Step", "a", agentlink.State{GameOver: true}, false, "use End"},
		{"unknown reason", "a", agentlink.State{Reason: 7}, true, "unknown reason Reason(7)"},
		{"info string in a multi-agent state", "a", agentlink.State{Info: "x"}, false, "InfoMap"},
	}
	for _, m := range misuse {
		if m.end {
			err = l.End(m.agent, m.st)
		} else {
			_, err = l.Step(m.agent, m.st)
		}
		require.ErrorContains(t, err, m.want, m.name)
	}
	assert.False(t, tr.Closed(), "misuse leaves the link open")
	assert.Equal(t, 1, tr.Sent, "and sends nothing")
	a, err := l.Step("b", agentlink.State{Obs: spaces.DiscreteValue(2)})
	require.NoError(t, err)
	assert.Equal(t, agentlink.Action{Value: spaces.DiscreteValue(0)}, a)
	require.NoError(t, l.End("", agentlink.State{Reward: 1, Reason: agentlink.SimulationEnd}))
	assert.Equal(t, "STATE |1|true|0||<nil>", ag.got[len(ag.got)-1])
	require.NoError(t, l.Close())
	require.NoError(t, l.Close())
	_, err = l.Init(env.Spec())
	require.ErrorIs(t, err, agentlink.ErrClosed)
}

func TestRunErrors(t *testing.T) {
	_, err := agentlink.Run(context.Background(), nil, &turnEnv{})
	require.Error(t, err)

	boom := errors.New("boom")
	ag := &agent{policy: player(2)}
	l, _ := newLink(t, ag, nil)
	env := &turnEnv{ids: []string{"a"}, final: -1, actErr: boom}
	res, err := agentlink.Run(context.Background(), l, env)
	require.ErrorIs(t, err, boom)
	require.ErrorContains(t, err, `act of agent "a"`)
	assert.Equal(t, 1, res.Steps)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l, _ = newLink(t, &agent{policy: player(2)}, nil)
	res, err = agentlink.Run(ctx, l, &turnEnv{ids: []string{""}, final: -1})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 0, res.Steps)

	_, err = agentlink.NewMessageLink(nil, textCodec{}, agentlink.DefaultLinkConfig())
	require.Error(t, err)
	_, err = agentlink.NewMessageLink(&agentlink.Loopback{}, textCodec{}, agentlink.LinkConfig{})
	require.ErrorContains(t, err, "timeout 0s is not positive")
}

func TestSpec(t *testing.T) {
	d := must(spaces.NewDiscrete(2))
	tests := []struct {
		name   string
		spec   agentlink.Spec
		err    string
		agents []string
	}{
		{"single", agentlink.SingleAgent(d, nil), "", []string{""}},
		{"single with an id", agentlink.Spec{Obs: map[string]spaces.Space{"a": d}}, `agent "a" (use MultiAgent)`, []string{"a"}},
		{"multi", agentlink.MultiAgent(map[string]spaces.Space{"b": d}, map[string]spaces.Space{"a": d, "b": d}), "", []string{"a", "b"}},
		{"multi with the empty id", agentlink.MultiAgent(nil, map[string]spaces.Space{"": d}), "empty agent id", []string{""}},
	}
	for _, tc := range tests {
		err := tc.spec.Validate()
		if tc.err == "" {
			require.NoError(t, err, tc.name)
		} else {
			require.ErrorContains(t, err, tc.err, tc.name)
		}
		assert.Equal(t, tc.agents, tc.spec.Agents(), tc.name)
	}
	obs := map[string]spaces.Space{"a": d}
	s := agentlink.MultiAgent(obs, nil)
	obs["z"] = d
	assert.Equal(t, []string{"a"}, slices.Collect(maps.Keys(s.Obs)), "MultiAgent copies its maps")
	assert.Equal(t, "GameOver", agentlink.GameOver.String())
	assert.Equal(t, "SimulationEnd", agentlink.SimulationEnd.String())
	assert.Equal(t, "Reason(5)", agentlink.Reason(5).String())
	assert.Equal(t, "", agentlink.InfoString(nil))
	assert.Equal(t, `{"a":"1","b":"2"}`, agentlink.InfoString(map[string]string{"b": "2", "a": "1"}))
}
