package opengym

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// turnEnv alternates between agent_0 and agent_1; agent_i observes a
// Discrete(3+i) value and acts in Discrete(2+i). The simulation ends
// after turns turns, or a turn is game over at gameOverAt.
type turnEnv struct {
	turn, turns, gameOverAt int
	acts                    []string
}

func (e *turnEnv) id(i int) string { return fmt.Sprintf("agent_%d", i%2) }

func (e *turnEnv) ObservationSpaces() map[string]spaces.Space {
	return map[string]spaces.Space{"agent_0": must(spaces.NewDiscrete(3)), "agent_1": must(spaces.NewDiscrete(4))}
}

func (e *turnEnv) ActionSpaces() map[string]spaces.Space {
	return map[string]spaces.Space{"agent_0": must(spaces.NewDiscrete(2)), "agent_1": must(spaces.NewDiscrete(3))}
}

func (e *turnEnv) NextTurn() (Turn, bool) {
	if e.turn >= e.turns {
		return Turn{Reward: 42, Info: map[string]string{"why": "end"}}, false
	}
	t := Turn{
		AgentID:  e.id(e.turn),
		Obs:      spaces.DiscreteValue(e.turn % 3),
		Reward:   float64(e.turn),
		GameOver: e.gameOverAt > 0 && e.turn >= e.gameOverAt,
		Info:     map[string]string{"turn": fmt.Sprint(e.turn)},
	}
	e.turn++
	return t, true
}

func (e *turnEnv) Act(id string, a spaces.Value) error {
	e.acts = append(e.acts, fmt.Sprintf("%s:%v", id, a))
	return nil
}

// playMultiAgent plays turn-based: it answers agent_i with action i and
// the game-over or final message with a stop request.
func (a *agent) playMultiAgent(wantFinal string, wantReason pb.MultiAgentEnvStateMsg_Reason) func() error {
	return func() error {
		var init pb.MultiAgentSimInitMsg
		if err := a.recv(&init); err != nil {
			return err
		}
		if got := slices.Sorted(maps.Keys(init.ObsSpaces)); !slices.Equal(got, []string{"agent_0", "agent_1"}) {
			return fmt.Errorf("obs spaces for %v", got)
		}
		act := map[string]spaces.Space{}
		for id, d := range init.ActSpaces {
			s, err := SpaceFromProto(d)
			if err != nil {
				return err
			}
			act[id] = s
		}
		if err := a.send(&pb.SimInitAck{Done: true}); err != nil {
			return err
		}
		for turn := 0; ; turn++ {
			var st pb.MultiAgentEnvStateMsg
			if err := a.recv(&st); err != nil {
				return err
			}
			if st.IsGameOver {
				if st.AgentID != wantFinal || st.Reason != wantReason {
					return fmt.Errorf("final message for %q reason %v", st.AgentID, st.Reason)
				}
				if st.AgentID == "" && (st.Reward != 42 || st.Info["why"] != "end" || st.ObsData != nil) {
					return fmt.Errorf("final message %v", &st)
				}
				return a.send(&pb.EnvActMsg{StopSimReq: true})
			}
			if want := fmt.Sprintf("agent_%d", turn%2); st.AgentID != want || st.Info["turn"] != fmt.Sprint(turn) {
				return fmt.Errorf("turn %d: agent %q info %v", turn, st.AgentID, st.Info)
			}
			if _, err := ValueFromProto(st.ObsData, nil); err != nil {
				return err
			}
			if err := a.send(discreteAction(a.t, turn%2)); err != nil {
				return err
			}
		}
	}
}

func TestRunMultiAgentSimulationEnd(t *testing.T) {
	a := newAgent(t)
	a.run(a.playMultiAgent("", pb.MultiAgentEnvStateMsg_SimulationEnd))
	env := &turnEnv{turns: 5}
	res, err := RunMultiAgent(context.Background(), env, a.config())
	require.NoError(t, err)
	require.NoError(t, a.wait())
	assert.Equal(t, Result{Steps: 6, GameOver: true, Reason: SimulationEnd}, res)
	assert.Equal(t, []string{"agent_0:0", "agent_1:1", "agent_0:0", "agent_1:1", "agent_0:0"}, env.acts)
}

func TestRunMultiAgentGameOver(t *testing.T) {
	a := newAgent(t)
	a.run(a.playMultiAgent("agent_1", pb.MultiAgentEnvStateMsg_GameOver))
	env := &turnEnv{turns: 10, gameOverAt: 3}
	res, err := RunMultiAgent(context.Background(), env, a.config())
	require.NoError(t, err)
	require.NoError(t, a.wait())
	assert.Equal(t, Result{Steps: 4, GameOver: true, Reason: GameOver}, res)
	assert.Len(t, env.acts, 3)
}

func TestMultiAgentBridgeErrors(t *testing.T) {
	a := newAgent(t)
	a.run(func() error {
		var init pb.MultiAgentSimInitMsg
		if err := a.recv(&init); err != nil {
			return err
		}
		if err := a.send(&pb.SimInitAck{Done: true}); err != nil {
			return err
		}
		var st pb.MultiAgentEnvStateMsg
		if err := a.recv(&st); err != nil {
			return err
		}
		return a.send(discreteAction(a.t, 2)) // outside agent_0's Discrete(2)
	})
	b, err := DialMultiAgent(context.Background(), a.config())
	require.NoError(t, err)
	defer b.Close()
	env := &turnEnv{}
	_, err = b.Init(map[string]spaces.Space{"": must(spaces.NewDiscrete(1))}, nil)
	require.Error(t, err, "empty agent id")
	stop, err := b.Init(env.ObservationSpaces(), env.ActionSpaces())
	require.NoError(t, err)
	require.False(t, stop)
	_, err = b.Step("", MultiAgentState{})
	require.Error(t, err)
	_, err = b.Step("nobody", MultiAgentState{})
	require.Error(t, err)
	_, err = b.Step("agent_0", MultiAgentState{Obs: spaces.DiscreteValue(3)})
	require.ErrorIs(t, err, spaces.ErrNotInSpace)
	_, err = b.Step("agent_0", MultiAgentState{Obs: spaces.DiscreteValue(1)})
	require.ErrorIs(t, err, ErrMalformed)
	require.NoError(t, a.wait())
	_, err = b.Step("agent_0", MultiAgentState{})
	require.ErrorIs(t, err, ErrClosed)
	require.ErrorIs(t, b.End(0, nil), ErrClosed)
	assert.Equal(t, 0, b.Steps())
}

func TestRunMultiAgentStop(t *testing.T) {
	a := newAgent(t)
	a.run(func() error {
		var init pb.MultiAgentSimInitMsg
		if err := a.recv(&init); err != nil {
			return err
		}
		return a.send(&pb.SimInitAck{Done: true, StopSimReq: true})
	})
	res, err := RunMultiAgent(context.Background(), &turnEnv{turns: 3}, a.config())
	require.NoError(t, err)
	require.NoError(t, a.wait())
	assert.Equal(t, Result{Stopped: true}, res)
	_, err = RunMultiAgent(context.Background(), nil, a.config())
	require.Error(t, err)
}
